import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/generate.py


def cpu_seconds(call: Callable[[], object], repeat: int = 1) -> float:
    """The best CPU time of this process over ``repeat`` calls: other load on the machine
    does not count, nor a garbage collection, which in a long test session costs by the
    whole heap."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        started = time.process_time()
        try:
            call()
        finally:
            best = min(best, time.process_time() - started)
            gc.enable()
    return best

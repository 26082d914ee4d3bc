import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/generate.py


def corpus_feeds(suffixes: tuple[str, ...] = (".txt", ".md", ".html")):
    """(section key, Feed) of every table section of the bundled text reports: the text a
    table grammar reads, as the pipeline makes it."""
    from govreport_lark.locate.feed import section_feed
    from govreport_lark.locate.outline import Doc
    from govreport_lark.locate.sections import find_sections
    from govreport_lark.normalise import normalise
    from govreport_lark.read import detect_format, read_source

    paths = sorted((CORPUS / "seeds").glob("*.txt"))
    paths += sorted(p for p in (CORPUS / "real").iterdir() if p.suffix in suffixes)
    for path in paths:
        data = path.read_bytes()
        doc = Doc(normalise(read_source(data, path=str(path), fmt=detect_format(data, str(path)))))
        for section in find_sections(doc):
            if section.key in ("二", "三", "四"):
                yield section.key, section_feed(doc, section)


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


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive (a .docx's container) holding ``members``, deflated."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()

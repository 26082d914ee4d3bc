"""Parsing the files of a batch: one file, in order on local processes, or on Dask."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .files import BatchError, sha256_file

# LocalCluster started by ``--engine dask`` without ``--scheduler`` (tests make it lighter).
LOCAL_CLUSTER_KWARGS: dict[str, Any] = {"processes": True, "threads_per_worker": 1,
                                        "dashboard_address": None}


def error_record(path: str, sha256: str | None, code: str, message: str) -> dict[str, Any]:
    return {"source": {"path": path, "sha256": sha256}, "error": {"code": code, "message": message}}


def is_error(record: dict[str, Any]) -> bool:
    return "error" in record


def parse_one(path: str | os.PathLike[str], max_bytes: int | None = None,
              provenance: bool = True) -> dict[str, Any]:
    """Parse one file: its output-contract dict, or an error record; never raises
    (except ``KeyboardInterrupt``/``SystemExit``).  The unit of work of every engine."""
    from govreport_lark.errors import InputError
    from govreport_lark.output.emit import report_to_dict
    from govreport_lark.pipeline import DEFAULT_MAX_BYTES, parse_file

    name = str(Path(path))
    try:
        report = parse_file(name, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
        # With each cell's provenance (the cell outputs take its status from it) unless the
        # run writes none: a third of the record, sent from the worker for nothing.
        return report_to_dict(report, provenance=provenance)
    except InputError as exc:
        code, message = exc.code, exc.message
    except Exception as exc:  # one bad file must not end a run of thousands
        code, message = "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}"
    return error_record(name, sha256_file(name), code, message)


def _parse_chunk(paths: Sequence[str], max_bytes: int | None,
                 provenance: bool = True) -> list[dict[str, Any]]:
    return [parse_one(path, max_bytes, provenance) for path in paths]


def _warm() -> None:
    """Load the table grammars once (before forking, or once per worker)."""
    from govreport_lark.grammar.rows import row_parser
    from govreport_lark.spec import TABLE_GRAMMARS

    for name in TABLE_GRAMMARS:
        row_parser(name)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> bool:
    """Linux: have the kernel kill this process when its parent dies, even by SIGKILL
    (``prctl(PR_SET_PDEATHSIG)``).  False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    """End this process once its parent is gone (it was given to another process)."""
    import time

    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            os._exit(1)


def _worker_start(parent: int | None, deathsig: bool) -> None:
    """Every pool worker first: it ends when the batch process ends, however that ends.
    Ctrl-C is the parent's to handle (it stops the workers and says how to resume), so
    the worker ignores SIGINT; SIGTERM ends it at once, and so does its parent's death
    (the kernel's signal where there is one, else a thread that looks every second).
    ``parent`` is the pid the worker must have as its parent (None under forkserver, whose
    server forks it); ``deathsig`` asks the kernel's help, given only when the pool was
    made by the main thread (the signal follows the thread that forked, not the process)."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the handler a forked parent had
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    watched = os.getppid()
    if deathsig:
        _die_with_parent()
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the kernel was asked to tell
    threading.Thread(target=_watch_parent, args=(watched,), daemon=True,
                     name="govreport-parent-watch").start()
    _warm()


def _stop_workers(pool: Any) -> None:
    """Terminate the pool's workers now, not after their current files."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass  # already gone


_WARM_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml")


def _warm_file(files: Sequence[str], look: int = 50, max_bytes: int = 1 << 20) -> int | None:
    """The index of a small text report among the first ``look`` files: parsed by the
    parent before it forks, it leaves compiled in the parent what every worker would
    otherwise compile again for its first file (a second of CPU each)."""
    for index, path in enumerate(files[:look]):
        try:
            if path.lower().endswith(_WARM_SUFFIXES) and os.path.getsize(path) <= max_bytes:
                return index
        except OSError:
            continue
    return None


def _pool_context() -> Any:
    """``fork`` (workers inherit the loaded grammars) when this process runs no other
    thread; otherwise ``forkserver``/``spawn``, which are safe with threads."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(files: Sequence[str], jobs: int = 1,
              max_bytes: int | None = None, provenance: bool = True) -> Iterator[dict[str, Any]]:
    """Records for ``files`` in input order: in this process, or on ``jobs`` processes
    (``concurrent.futures``, files sent in chunks).  The workers end with the run: when
    the records are not all read (an interruption, a failed write) they are terminated at
    once, and they end by themselves when this process dies."""
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield parse_one(path, max_bytes, provenance)
        return
    import signal
    import threading
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    method = context.get_start_method()
    first: int | None = None
    if method == "fork":
        _warm()
        first = _warm_file(files)
    if first is not None:
        warm_record = parse_one(files[first], max_bytes, provenance)
        rest = [*files[:first], *files[first + 1 :]]
    else:
        rest = list(files)
    main = threading.current_thread() is threading.main_thread()
    size = max(1, min(16, -(-len(rest) // (jobs * 8))))
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_start,
        initargs=(None if method == "forkserver" else os.getpid(), main))
    finished = False
    try:
        # Workers start at the first submit: a Ctrl-C then waits until they ignore it.
        blocked = main and hasattr(signal, "pthread_sigmask")
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            futures = [pool.submit(_parse_chunk, chunk, max_bytes, provenance)
                       for chunk in chunks]
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        emitted = 0
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                records = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool, MemoryError…)
                records = [error_record(p, sha256_file(p), "WORKER_ERROR",
                                        f"the worker process failed ({type(exc).__name__}: "
                                        f"{exc})") for p in chunk]
            for record in records:
                if emitted == first:  # the parent's own file, in its place
                    yield warm_record
                    emitted += 1
                yield record
                emitted += 1
        if emitted == first:
            yield warm_record
        finished = True
    finally:
        if not finished:
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BatchError("--engine dask needs the optional extra dask[distributed]: "
                         "pip install 'govreport-lark[dask]'") from None
    return distributed


def _connect(distributed: Any, scheduler: str) -> Any:
    """``distributed.Client(scheduler)``; a misspelt or unreachable address is the user's to
    fix (``BatchError``), not an internal error."""
    try:
        return distributed.Client(scheduler)
    except (ValueError, TypeError) as exc:
        raise BatchError(f"--scheduler {scheduler}: not a scheduler address "
                         f"({' '.join(str(exc).split())}); give one like tcp://HOST:8786"
                         ) from None
    except OSError as exc:  # refused, timed out, no route, unknown host
        raise BatchError(f"--scheduler {scheduler}: cannot reach the Dask scheduler "
                         f"({' '.join(str(exc).split())}); check that it runs and that this "
                         "machine can reach it") from None


class _DaskRecords:
    """The records of a Dask run; ``close()`` ends the run and closes the client (and the
    local cluster), whether or not the records were read."""

    def __init__(self, records: Iterator[dict[str, Any]], client: Any, cluster: Any) -> None:
        self.records, self.client, self.cluster = records, client, cluster

    def __iter__(self) -> _DaskRecords:
        return self

    def __next__(self) -> dict[str, Any]:
        try:
            return next(self.records)
        except StopIteration:
            self.close()
            raise

    def close(self) -> None:
        self.records.close()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def run_dask(files: Sequence[str], scheduler: str | None = None, max_bytes: int | None = None,
             *, n_workers: int | None = None, window: int = 5000,
             provenance: bool = True) -> Iterator[dict[str, Any]]:
    """Records for ``files`` in input order, ``parse_one`` mapped over a Dask cluster:
    ``distributed.Client(scheduler)``, or a ``LocalCluster`` when ``scheduler`` is None.
    The workers must see the files under the same paths (a shared filesystem).
    At most two windows of ``window`` files are in flight.  The client connects here, before
    the first record is asked for: a bad ``scheduler`` raises ``BatchError`` at once."""
    distributed = _import_distributed()
    import logging

    cluster = None
    if scheduler:
        client = _connect(distributed, scheduler)
    else:
        kwargs = {"silence_logs": logging.ERROR, **LOCAL_CLUSTER_KWARGS}
        if n_workers:
            kwargs["n_workers"] = n_workers
        cluster = distributed.LocalCluster(**kwargs)
        client = distributed.Client(cluster)

    def records() -> Iterator[dict[str, Any]]:
        def submit(start: int) -> tuple[list[str], list[Any]]:
            part = list(files[start : start + window])
            return part, client.map(parse_one, part, max_bytes=max_bytes, provenance=provenance,
                                    pure=False)

        pending = submit(0) if files else ([], [])
        for start in range(0, len(files), window):
            part, futures = pending
            pending = submit(start + window) if start + window < len(files) else ([], [])
            for path, future in zip(part, futures, strict=True):
                try:
                    record = future.result()
                except Exception as exc:  # KilledWorker, lost connection…
                    record = error_record(path, sha256_file(path), "WORKER_ERROR",
                                          f"the Dask task failed ({type(exc).__name__}: {exc})")
                future.release()
                yield record

    return _DaskRecords(records(), client, cluster)

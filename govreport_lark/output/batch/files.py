"""Finding the report files of a batch: files, folders searched recursively, globs."""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx")


class BatchError(Exception):
    """A bad argument or a missing optional dependency: the run does not start (exit 2)."""


# What to do about an output that cannot be written, by errno.
_WRITE_ADVICE = {
    errno.EACCES: "permission denied; choose a folder you may write to or fix its permissions",
    errno.EPERM: "operation not permitted; choose a folder you may write to",
    errno.EROFS: "read-only file system; write the output somewhere else",
    errno.ENOSPC: "no space left on device; free some space or write the output elsewhere",
    errno.EDQUOT: "disk quota exceeded; free some space or write the output elsewhere",
    errno.ENOTDIR: "a part of the path is not a directory; check the path",
    errno.ENOENT: "no such directory; create the folder first",
    errno.EISDIR: "is a directory; give a file name",
    errno.EFBIG: "the file is too large for this file system; write the output elsewhere",
}


def output_error(path: str, exc: OSError) -> BatchError:
    """A ``BatchError`` naming the output ``path`` that could not be written and why."""
    reason = _WRITE_ADVICE.get(exc.errno or 0)
    if reason is None:
        reason = f"{(exc.strerror or str(exc)).lower()}; check the path and the disk"
    return BatchError(f"{path}: cannot write the output: {reason}")


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _is_report_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(REPORT_SUFFIXES) and not lower.endswith(".expected.json")


def _walk(directory: str) -> Iterator[str]:
    """Report files under ``directory``, recursively, in sorted order; hidden entries
    (``.git``, ``.ipynb_checkpoints``…) are skipped."""
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and _is_report_name(name):
                yield os.path.join(root, name)


def collect_files(paths: Iterable[str | os.PathLike[str]], *,
                  exclude: Iterable[str | os.PathLike[str]] = ()) -> tuple[list[str], list[str]]:
    """Expand files, directories (recursive) and globs into report files.

    A file named explicitly is taken whatever its name; directories and globs give files
    with a report suffix (``.txt .md .html .htm .shtml .pdf .docx``), never
    ``*.expected.json``.  Returns ``(files, problems)``, ``problems`` being messages for
    paths that matched nothing.  Duplicates (same real path) are kept once.
    """
    skip = {os.path.realpath(p) for p in exclude}
    seen: set[str] = set()
    files: list[str] = []
    problems: list[str] = []

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real in seen or real in skip:
            return
        seen.add(real)
        files.append(str(Path(path)))

    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            found = list(_walk(path))
            if not found:
                problems.append(f"{path}: no report files ({' '.join(REPORT_SUFFIXES)}) in this "
                                "directory")
            for name in found:
                add(name)
        elif os.path.exists(path):
            add(path)
        elif _is_glob(path):
            matches = sorted(glob.glob(path, recursive=True))
            found = []
            for match in matches:
                if os.path.isdir(match):
                    found.extend(_walk(match))
                elif _is_report_name(match):
                    found.append(match)
            if not found:
                problems.append(f"{path}: the pattern matches no report file")
            for name in found:
                add(name)
        else:
            problems.append(f"{path}: no such file or directory")
    return files, problems


def sha256_file(path: str) -> str | None:
    """The file's SHA-256, or ``None`` when it cannot be read or is not a regular file
    (a FIFO or a device is never opened: reading it could block or never end)."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()

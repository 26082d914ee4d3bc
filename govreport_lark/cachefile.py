"""A cache file of this user's, beside Lark's: read only when it is ours, written whole.

The kept expressions (``regex_cache``) and the kept parsers (``spec.built``) are files in the
temporary folder that another user could have put there first; each is read only when this
user owns it, and written to a temporary name and renamed, so a reader never sees half of
one.  Any failure is a missing cache: the caller compiles or loads as it always did."""

from __future__ import annotations

import os


def read_own(path: str) -> bytes | None:
    """The bytes of ``path`` when this user owns it; None when it is missing, unreadable or
    another user's."""
    try:
        with open(path, "rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            return handle.read()
    except OSError:
        return None


def write_whole(path: str, data: bytes, prefix: str) -> bool:
    """``data`` to ``path`` whole (a temporary file renamed over it); False when the folder
    cannot be written, which only means no cache."""
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(prefix=prefix, dir=os.path.dirname(path) or ".")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except Exception:
        return False
    return True

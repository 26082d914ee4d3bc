"""A dependency's import that only a rare path uses, run when that path first uses it.

Lark imports ``interegular`` (when installed) as it is imported itself, for one job: looking
for terminal collisions while it builds a lexer from a grammar's text (``strict=True``, and
the first run after a grammar changes).  A parser loaded from Lark's cache never looks, yet
the import was about a tenth of a cold ``govreport parse``.  ``install()`` has the import
give a module that runs its code on the first attribute asked of it
(``importlib.util.LazyLoader``): ``import interegular`` and ``bool(interegular)`` cost
nothing, ``interegular.Comparator`` loads it whole, so every caller sees the same module
with the same contents, only later.  A module already imported is left as it is.
"""

from __future__ import annotations

import sys
from typing import Any

LAZY = frozenset({"interegular"})


class _LazyFinder:
    """Finds a module of ``LAZY`` as the other finders do, with a loader that defers it."""

    @classmethod
    def find_spec(cls, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in LAZY:
            return None
        for finder in sys.meta_path:
            if finder is cls or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None  # not installed: the import fails as it always did
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        from importlib.util import LazyLoader

        spec.loader = LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Put the finder first (once)."""
    if _LazyFinder not in sys.meta_path:
        sys.meta_path.insert(0, _LazyFinder)

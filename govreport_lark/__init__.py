"""govreport-lark: Chinese government information disclosure annual reports
(政府信息公开工作年度报告) parsed into typed, validated data."""

from __future__ import annotations

import importlib
from typing import Any

from govreport_lark import charsets, lazy, regex_cache

# Every CJK character class compiles once a process (charsets.py); an expression compiled
# by an earlier run is not compiled again (regex_cache.py); Lark's collision checker loads
# when a check needs it (lazy.py).
charsets.install()
regex_cache.install()
lazy.install()

# Imported on first use, so that `govreport --help` starts without Lark or OpenCC.
_EXPORTS = {
    "Diagnostic": ".model",
    "Report": ".model",
    "InputError": ".errors",
    "parse_bytes": ".pipeline",
    "parse_file": ".pipeline",
    "parse_text": ".pipeline",
    "report_to_dict": ".output.emit",
    "to_json": ".output.emit",
    "iter_parse": ".output.api",
    "to_dataframe": ".output.api",
    "cross_year_findings": ".output.panel",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

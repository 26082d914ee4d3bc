"""The wording of ``govreport check``, one catalogue per language (``zh``, the default, and
``en``): a key -> template dict.  A finding's key is its code, then a variant where the code
has several (``SUM_MISMATCH.balance``), then ``.title`` (the group's sentence) or ``.item``
(one place).  Counts look up ``<key>.one`` for one and ``<key>.other`` otherwise."""

from __future__ import annotations

from importlib import import_module
from string import Formatter
from typing import Any

LANGUAGES = ("zh", "en")


class Catalogue:
    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"no message catalogue for {lang!r}")
        self.lang = lang
        self.messages: dict[str, str] = import_module(f"{__name__}.{lang}").MESSAGES

    def has(self, key: str) -> bool:
        return key in self.messages

    def __call__(self, key: str, **values: Any) -> str:
        return fill(self.messages[key], values)

    def count(self, key: str, n: int) -> str:
        """"1 warning", "2 warnings"; Chinese has one form (``<key>.other``)."""
        form = f"{key}.one" if n == 1 and f"{key}.one" in self.messages else f"{key}.other"
        return self(form, n=n)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, Any]) -> str:
    """``str.format`` where a value not given is blank: a template may name more than one
    diagnostic supplies."""
    return Formatter().vformat(template, (), _Blank(values))

"""An agency's name folded so that the reports of one agency over the years match: the
region prefix is kept, the variants an agency is printed under are made one."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (variant, the form kept); longer first, so 人民政府办公厅 folds whole.
_FOLDS = (("人民政府", "政府"), ("办公厅", "办公室"))
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def agency_key(name: str | None) -> str | None:
    """``"平潭综合實驗區 人民政府辦公廳"`` → ``"平潭综合实验区政府办公室"``; None stays None."""
    if not name:
        return None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    from govreport_lark.normalise import has_traditional

    if has_traditional(text):
        from govreport_lark.normalise.tw2sp import converter

        text = converter().convert(text)
    for variant, kept in _FOLDS:
        text = text.replace(variant, kept)
    return text or None

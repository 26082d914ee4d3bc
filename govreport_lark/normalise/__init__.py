"""Token normalisation: a pipeline of small named steps over lines.

Every step maps a list of ``Line`` to a list of ``Line`` and never merges lines,
so each line keeps the input line (and PDF page) it came from.  Order matters:
Markdown and cells first (they read the raw layout), then script and width,
then spacing.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from govreport_lark.read.source import SPANNED, SourceText

BLANK = "∅"  # an empty table cell that keeps its column

CJK = "\u3400-\u9fff\uf900-\ufaff"


class Line(NamedTuple):
    """One normalised line and where it came from (a named tuple: cheap to make, as every
    step that changes a line's text makes a new one)."""

    text: str
    src: int  # 1-based line in the input
    page: int | None = None
    grid: int | None = None  # the table whose grid row this is (cells tab-separated)


Step = Callable[[list[Line]], list[Line]]


def _map(lines: list[Line], fn: Callable[[str], str]) -> list[Line]:
    return _retext(lines, [fn(line.text) for line in lines])


def _retext(lines: list[Line], texts: list[str]) -> list[Line]:
    """``lines`` with new texts; a line whose text did not change is kept as it is."""
    return [line if text == line.text else Line(text, line.src, line.page, line.grid)
            for line, text in zip(lines, texts)]


def _map_whole(lines: list[Line], fn: Callable[[str], str]) -> list[Line]:
    """``_map`` for a ``fn`` that works within lines and never adds or removes a line
    break: applied once to all the lines joined (one call instead of one per line)."""
    texts = fn("\n".join(line.text for line in lines)).split("\n")
    if len(texts) != len(lines):  # a line held a line break of its own
        return _map(lines, fn)
    return _retext(lines, texts)


# --- Markdown ---------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def strip_markdown(lines: list[Line]) -> list[Line]:
    """Headings, emphasis, quotes; pipe-table rows become tab-separated cells, the rows of
    one pipe table a grid (a rule row between them does not end it)."""
    # Each pattern needs its characters (a rule "--"): asked of the whole text first, as
    # most reports hold none of them.
    text = "\n".join([line.text for line in lines])
    rule, pipe, heading, quote = "--" in text, "|" in text, "#" in text, ">" in text
    emphasis = "*" in text or "_" in text
    if not (rule or pipe or heading or quote or emphasis):
        return list(lines)
    out = []
    grid = max((line.grid or 0 for line in lines), default=0)
    in_table = False
    for line in lines:
        text = line.text
        if rule and "--" in text and _MD_RULE.match(text):
            continue
        if pipe and "|" in text and _MD_PIPE_ROW.match(text):
            cells = text.strip().strip("|").split("|")
            text = "\t".join(cell.strip() for cell in cells)
            if not in_table:
                grid += 1
            in_table = True
            if "*" in text or "_" in text:
                text = _MD_EMPHASIS.sub("", text)
            out.append(Line(text, line.src, line.page, grid))
            continue
        in_table = False
        if heading and "#" in text:
            text = _MD_HEADING.sub("", text)
        if quote and ">" in text:
            text = _MD_QUOTE.sub("", text)
        if emphasis and ("*" in text or "_" in text):
            text = _MD_EMPHASIS.sub("", text)
        out.append(line if text == line.text else Line(text, line.src, line.page))
    return out


# --- traditional to simplified -----------------------------------------------

# What OpenCC tw2sp leaves in Taiwan phrasing, seen in real reports (template.md §5.1).
DOMAIN_TERMS = (
    ("人民民众", "人民群众"),
    ("法务部", "司法部"),
    ("行政许可证以外", "行政许可以外"),
    ("规范性档案", "规范性文件"),
    ("行政查找事项", "行政查询事项"),  # tw2sp turns 查詢 into 查找
    ("视窗单位", "窗口单位"),
    ("民众", "群众"),
    ("资讯", "信息"),
)


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = set()
    with open(path, encoding="utf-8") as handle:
        for row in handle:
            key, _, values = row.partition("\t")
            if len(key) == 1 and key not in values.split():
                chars.add(key)
    return frozenset(chars)


@lru_cache(maxsize=1)
def _tw2sp():
    from govreport_lark.normalise.tw2sp import Converter  # OpenCC's own result, ten times faster

    return Converter("tw2sp")


@lru_cache(maxsize=1)
def _gb2312_traditional() -> tuple[str, ...]:
    """The few traditional characters that GB 2312 (a simplified character set) holds."""
    return tuple(sorted(ch for ch in _traditional_chars()
                        if ch.encode("gb2312", errors="replace") != b"?"))


class _Traditional(Exception):
    pass


def _outside_gb2312(error: UnicodeError) -> tuple[str, int]:
    if isinstance(error, UnicodeEncodeError):
        if not _traditional_chars().isdisjoint(error.object[error.start : error.end]):
            raise _Traditional
        return "", error.end
    raise error


codecs.register_error("govreport-traditional", _outside_gb2312)


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character that OpenCC converts.  GB 2312's encoder finds
    the characters outside that simplified set in C; only those are looked up."""
    try:
        text.encode("gb2312", "govreport-traditional")
    except _Traditional:
        return True
    return any(ch in text for ch in _gb2312_traditional())


def to_simplified(lines: list[Line]) -> list[Line]:
    """OpenCC tw2sp plus a small domain table, only when traditional characters occur
    (the converter costs milliseconds even on simplified text)."""
    text = "\n".join(line.text for line in lines)
    if not has_traditional(text):
        return lines
    # The domain terms hold no line break: replaced in the whole text, as in each line.
    converted = fix_domain_terms(_tw2sp().convert(text)).split("\n")
    if len(converted) != len(lines):  # never lose the line map
        converted = [fix_domain_terms(_tw2sp().convert(line.text)) for line in lines]
    return _retext(lines, converted)


def fix_domain_terms(text: str) -> str:
    for before, after in DOMAIN_TERMS:
        text = text.replace(before, after)
    return text


# --- width ------------------------------------------------------------------

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space (&nbsp;)
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: None,  # zero-width space
        0xFEFF: None,
        0xFE63: 0x2D,  # small hyphen-minus
        0x2212: 0x2D,  # minus sign
        0x2010: 0x2D,
        0x2011: 0x2D,
        0x00B7: 0x2E,  # middle dot used as a decimal point in some PDFs? no: as item dot
        0x3002: 0x3002,
    }
)
# The middle dot is an item separator, not a decimal point: keep it.
_WIDTH.pop(0x00B7)

# The same as a pattern of the characters that change: ``sub`` finds the few of them in C,
# where ``str.translate`` looks every character up in the dict.
_FOLD = {chr(a): "" if b is None else chr(b) for a, b in _WIDTH.items() if a != b}
_FOLDABLE = re.compile("[" + "".join(map(re.escape, sorted(_FOLD))) + "]")


def _fold(text: str) -> str:
    # One replace per distinct character found (a report holds a dozen kinds of them, but
    # hundreds of （ ） ， ：): no Python call per occurrence.  Each turns into a character
    # that is not foldable, so the order does not matter.
    for char in set(_FOLDABLE.findall(text)):
        text = text.replace(char, _FOLD[char])
    return text


def fold_width(lines: list[Line]) -> list[Line]:
    """Full-width ASCII to half-width (（一）→(一), ０→0, ：→:); odd spaces to plain."""
    return _map_whole(lines, _fold)


# --- page junk -------------------------------------------------------------

_PAGE_JUNK = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]"  # - 3 -
    r"|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?"  # 第3页 / 第3页共5页
    r"|\d{1,3}\s*/\s*\d{1,3}\s*页"  # 3/5页
    r"|page\s*\d{1,3}(?:\s*of\s*\d{1,3})?)\s*$",
    re.IGNORECASE,
)


def drop_page_junk(lines: list[Line]) -> list[Line]:
    """Page numbers that PDF text layers put between lines (``- 3 -``, ``第3页``)."""
    return [line for line in lines if not _PAGE_JUNK.match(line.text)]


# --- table cells --------------------------------------------------------------

# A field that holds a value: a number (with a unit of money, a count's 件/个, or %), a
# placeholder, or a kept blank.
_VALUE_FIELD = re.compile(
    r"^(?:[¥￥]?\s*[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|千元|亿元|元|件|个|%)?|[-/—–]+|--|无|不适用|N/?A|"
    + BLANK + r")$"
)


# A header cell numbered like "数据1": its digits are part of the label, never a value.
_TRAILING_INDEX = re.compile(f"(?<=[{CJK}])([1-9]|1[0-9]|20)$")


def _circled(match: re.Match[str]) -> str:
    return chr(0x2460 + int(match.group(1)) - 1)


def header_word(field: str) -> str:
    """A header cell with its trailing index circled ("数据1" → "数据①")."""
    return _TRAILING_INDEX.sub(_circled, field) if field[-1].isdigit() else field


def is_value_field(field: str) -> bool:
    return field.isdecimal() or bool(_VALUE_FIELD.match(field))  # most are plain digits


# A cell that holds neither a number nor words ("x", "NaN", "?"): no label has no CJK.
_JUNK_CELL = re.compile(f"^[^\\d{CJK}]+$")


def is_junk_cell(field: str) -> bool:
    return bool(_JUNK_CELL.match(field))


def _cells_of_row(fields: list[str], trailing: bool,
                  above: list[str] | None = None) -> list[str]:
    """The fields of one tab-separated row, with every empty field that is a cell as ∅.

    Before the row's label, empty fields are rowspan stubs; between header words they
    separate nothing.  After the label, an empty field followed by a value, or by nothing,
    is a blank cell; at the row's end only where the reader knows the cells (``trailing``),
    so that a trailing blank keeps its column ("政府集中采购 12 ∅").  A row of values only
    (section 四 has no row label) keeps every empty field.  A cell of junk after the first
    value is a blank too.  A stub field that repeats the row above in the same place is a
    rowspan written out on every row ("（六）其他处理" before each of 1.–3.): not this
    row's label.
    """
    is_value = [bool(f) and is_value_field(f) for f in fields]
    values = [i for i, v in enumerate(is_value) if v]
    if not values:
        return [header_word(f) for f in fields if f]
    texts = [i for i, f in enumerate(fields) if f and not is_value[i]]
    if not texts:
        return [f or BLANK for f in fields]
    first_value = values[0]
    own_label = max((i for i in texts if i < first_value), default=-1)
    # The next non-empty field after each position, found once from the right (a row of
    # a hundred thousand empty fields stays linear).
    after: list[int | None] = [None] * len(fields)
    nxt: int | None = None
    for i in range(len(fields) - 1, -1, -1):
        after[i] = nxt
        if fields[i]:
            nxt = i
    kept = []
    for i, f in enumerate(fields):
        if is_value[i]:
            kept.append(f)
        elif f and i > first_value and _JUNK_CELL.match(f):
            kept.append(BLANK)
        elif f:
            if i < own_label and above is not None and i < len(above) and above[i] == f:
                continue
            kept.append(header_word(f))
        elif i > texts[0]:
            j = after[i]
            if (j is None and trailing) or (j is not None and is_value[j]):
                kept.append(BLANK)
    return kept


def mark_blank_cells(lines: list[Line], *, trailing: bool = False) -> list[Line]:
    """Tab-separated rows: an empty field that is a cell becomes ``∅`` (see
    ``_cells_of_row``); fields are then separated by single spaces."""
    out = []
    above: list[str] | None = None
    for line in lines:
        if "\t" not in line.text or line.grid is not None:  # a grid's rows: read by column
            out.append(line)
            above = None
            continue
        fields = [field.strip() for field in line.text.split("\t")]
        out.append(Line(" ".join(_cells_of_row(fields, trailing, above)), line.src, line.page))
        above = fields
    return out


def cells_of_grid_row(fields: list[str], trailing: bool = True) -> str:
    """A grid row read as free text (its columns could not be told): the row's own cells,
    without the slots that spans cover, as ``mark_blank_cells`` writes them."""
    return " ".join(_cells_of_row([f for f in fields if f != SPANNED], trailing))


def mark_tab_grids(lines: list[Line]) -> list[Line]:
    """Each run of plain-text tab rows is a grid of its own; whether its field counts line
    up, and so whether its columns can be told, is the locating stage's call (real tab
    text leaves out the slots that spans cover)."""
    out = list(lines)
    grid = max((line.grid or 0 for line in lines), default=0)
    in_run = False
    for i, line in enumerate(lines):
        if "\t" in line.text and line.grid is None:
            if not in_run:
                grid += 1
            in_run = True
            out[i] = Line(line.text, line.src, line.page, grid)
        else:
            in_run = False
    return out


def mark_table_cells(lines: list[Line]) -> list[Line]:
    """``mark_blank_cells`` for readers that know every cell (HTML, DOCX, PDF tables)."""
    return mark_blank_cells(lines, trailing=True)


# --- spacing ----------------------------------------------------------------

_JOINABLE = f"[{CJK}()\u3001\u3002:,\u201c\u201d\"《》〔〕\\[\\]<>.;!?]"
# The spaces between two joinable characters; written to start with the space, so that
# the regex engine looks for spaces only (the same matches as (?<=J) +(?=J)).
_INNER_SPACE = re.compile(f" (?<={_JOINABLE} ) *(?={_JOINABLE})")


def join_cjk_spaces(lines: list[Line]) -> list[Line]:
    """Spaces inside CJK words (``结 果 维 持``, ``政府 信息公开``, ``(一) 予以公开``);
    spaces next to digits and placeholders separate cells and stay."""
    texts = _INNER_SPACE.sub("", "\n".join(line.text for line in lines)).split("\n")
    if len(texts) != len(lines):  # a line held a line break of its own
        texts = [_INNER_SPACE.sub("", line.text) for line in lines]
    # A grid row keeps its leading and trailing empty cells (its tabs).
    return _retext(lines, [text.strip(" ") if line.grid is not None else text.strip()
                           for line, text in zip(lines, texts)])


PIPELINE: tuple[Step, ...] = (
    strip_markdown,
    mark_tab_grids,
    mark_blank_cells,
    to_simplified,
    fold_width,
    drop_page_junk,
    join_cjk_spaces,
)


TABLE_PIPELINE: tuple[Step, ...] = tuple(
    mark_table_cells if step is mark_blank_cells else step for step in PIPELINE
)


def normalise(source: SourceText, steps: tuple[Step, ...] | None = None) -> list[Line]:
    if steps is None:
        steps = TABLE_PIPELINE if source.cells_exact else PIPELINE
    # Each (text, src, page, grid) made the named tuple it is by tuple's own constructor
    # (C, no Python frame a line as Line._make or Line() take): zip gives four fields.
    lines = list(map(tuple.__new__, repeat(Line), zip(source.lines, source.src_lines,
                                                      source.pages, source.grids)))
    for step in steps:
        lines = step(lines)
    return lines

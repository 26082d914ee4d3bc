"""The HTML reader as it was on BeautifulSoup (with lxml as its parser), kept unchanged
so tests/test_html_equal.py can hold govreport_lark/read/html.py to it.  Not shipped.

HTML reader: a saved report page to text lines, one table row per line.

Government sites wrap the report in site chrome (menus, search boxes, footers)
and often a metadata table (名称/索引号/发布机构).  The reader drops the chrome,
picks the smallest element that holds the report, and emits its blocks in
document order.  Word-exported HTML splits words into one <span> per run
(三/、本/年/度), so inline text is joined without separators.

Table rows become one line each with the row's own cells joined by tabs: a cell
spanning columns is emitted once, a cell covered by a rowspan from an earlier
row is not repeated (as in PDF text), and an empty cell stays an empty field.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from govreport_lark.errors import InputError
from govreport_lark.read.source import SPANNED, SourceText

if TYPE_CHECKING:  # bs4 is an optional extra: only imported when reading
    from bs4 import Tag

_MISSING = "reading HTML needs the html extra: pip install 'govreport-lark[html]'"

# Tags whose whole subtree is never report text.
_DROP_TAGS = (
    "script", "style", "nav", "header", "footer", "form", "iframe", "noscript",
    "template", "svg", "button", "select", "textarea", "input", "object", "embed",
    "title", "meta", "link",  # saved pages nest a second <head>'s tags in <body>
)  # fmt: skip
# id/class fragments of site chrome (nav, menu, breadcrumb, footer, share bar,
# sidebar, copyright, header, toolbar, search); matched as substrings of the
# lowercased id + class string, so mainNav, header-menu, bread-crumb all match.
_CHROME = re.compile(
    r"nav|menu|crumb|foot|share|sidebar|side-bar|copyright|header"
    r"|toolbar|tool-bar|(?<!re)search|topbar|top-bar"
)
# Table parts are never chrome even if styled so (<tr class="header"> is a table
# head row of the report).
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})

_BLOCK = frozenset({
    "html", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "section", "article", "main", "aside", "blockquote", "pre",
    "address", "center", "figure", "figcaption", "fieldset", "legend", "hr", "details",
    "summary", "caption", "header", "footer", "nav", "form", "menu", "dir",
})  # fmt: skip

# Text that marks the element holding a report: the 一、 heading plus a heading
# or label only reports have.  Matched on text with all whitespace removed.
_FIRST = "一、"
_STRONG = ("收到和处理", "依申请公开政府信息", "申请人情况", "行政复议")
# Labels that only the template tables carry (not the page's metadata table).
_TABLE_MARKS = ("自然人", "行政复议", "信息内容", "第二十条", "本年新收", "予以公开")

_MAX_TABLE_DEPTH = 20  # nested tables deeper than this are read as plain blocks
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WS_RUN = re.compile(r"\s+")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
# Western single-byte labels on a Chinese page are template leftovers: any
# bytes decode under them, as mojibake, so they are not believed.
_WESTERN = frozenset({"ascii", "iso8859-1", "cp1252"})
_GB_FAMILY = frozenset({"gbk", "gb2312", "gb_2312-80", "gb_2312", "x-gbk", "cp936", "gb18030",
                        "euc-cn", "x-euc-cn", "csgb2312", "chinese", "936", "ms936"})  # fmt: skip


# --------------------------------------------------------------------------- text


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def clean_text(raw: str) -> str:
    """Collapse whitespace to single spaces, the way a browser shows the text.

    A whitespace run holding a line break between two wide (CJK) characters is
    dropped, as CSS Text 3 does: hard-wrapped source and one-span-per-line Word
    HTML would otherwise put spaces inside words.  &nbsp; and U+3000 count as
    whitespace; zero-width characters are removed.
    """
    text = raw.translate(_ZERO_WIDTH)

    def repl(m: re.Match[str]) -> str:
        run, start, end = m.group(), m.start(), m.end()
        if "\n" in run or "\r" in run:
            if start == 0 or end == len(text) or (_wide(text[start - 1]) and _wide(text[end])):
                return ""
        return " "

    return _WS_RUN.sub(repl, text).strip()


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of one table cell: CJK wrapped in a narrow column joins
    without a space (商业/企业 → 商业企业); two ASCII ends keep one space."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and out[-1].isascii() and part[0].isascii():
            out += " "
        out += part
    return out


# ----------------------------------------------------------------------- decoding


def _codec(label: str) -> str | None:
    name = label.strip().lower()
    if name in _GB_FAMILY:
        return "gb18030"  # superset of GB2312/GBK; sites that say gbk often mean cp936 extras
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    """BOM, then the page's own charset declaration, then UTF-8, then GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    "UNDECODABLE",
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}",
                ) from None
    declared = None
    m = _META_CHARSET.search(data[:65536])
    if m:
        declared = _codec((m.group(1) or m.group(2)).decode("ascii", "replace"))
    tries: list[str] = []
    if declared in _WESTERN:
        declared = None
    if declared == "gb18030" and not data.isascii():
        # Pages re-saved as UTF-8 keep their old <meta charset=gbk>; real GBK text
        # is almost never valid UTF-8, so valid UTF-8 wins over a GBK label.
        tries = ["utf-8", "gb18030"]
    elif declared and declared not in ("utf-16-le", "utf-16-be", "utf-16"):
        tries = [declared]  # a UTF-16 label in bytes we can read as ASCII is wrong
    for enc in ("utf-8", "gb18030"):
        if enc not in tries:
            tries.append(enc)
    for enc in tries:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(
        "UNDECODABLE",
        "the HTML page is neither in its declared charset, UTF-8 nor GB18030; check its encoding",
    )


# ------------------------------------------------------------------------- tree


def _iter_events(
    root: Tag, prune: Callable[[Tag], bool] | None = None
) -> Iterator[tuple[str, Any]]:
    """("start", tag) / ("text", str) / ("end", tag) in document order, without
    recursion (libxml2 happily builds trees thousands of levels deep).  A tag for
    which ``prune`` says yes gives its start and end but not what it holds, so a
    caller that handles such subtrees itself does not walk them twice."""
    from bs4 import NavigableString, Tag

    yield "start", root
    stack = [(root, iter(root.contents))]
    while stack:
        node, it = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            yield "end", node
        elif isinstance(child, Tag):
            yield "start", child
            if prune is not None and prune(child):
                yield "end", child
            else:
                stack.append((child, iter(child.contents)))
        elif type(child) is NavigableString:  # not comments, doctypes, CDATA
            yield "text", str(child)


def _source_lines(text: str, soup: Any) -> dict[int, int]:
    """Map id(tag) → 1-based source line.

    bs4's lxml builder keeps no line numbers, so parse again with lxml itself
    (same libxml2 HTML parser, same tree) and pair the elements in document
    order; stop pairing at the first mismatch rather than guess.
    """
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        parser.feed(text)
        root = parser.close()
    except (etree.Error, ValueError):
        return {}
    lines: dict[int, int] = {}
    if root is None:
        return lines
    elements = (e for e in root.iter() if isinstance(e.tag, str))
    for tag, el in zip(soup.find_all(True), elements, strict=False):
        if tag.name != el.tag.lower():
            break
        if el.sourceline:
            lines[id(tag)] = el.sourceline
    return lines


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    if tag.name in _TABLE_PARTS or tag.name in ("body", "html"):
        return False
    attrs = tag.attrs or {}
    cls = attrs.get("class") or []
    names = " ".join([attrs.get("id") or "", *(cls if isinstance(cls, list) else [cls])])
    return bool(names.strip()) and bool(_CHROME.search(names.lower()))


class _Index:
    """Whitespace-free text of a subtree with the [start, end) range of every tag,
    so "does this element hold marker X" is a bisect, not a get_text per tag.

    Every question is answered in logarithmic time, whatever the nesting: a page
    of ten thousand nested elements must not cost ten thousand walks of itself.
    """

    def __init__(self, root: Tag) -> None:
        parts: list[str] = []
        self.ranges: dict[int, tuple[int, int]] = {}
        # Tags in document order, and for each tag (by id) its own place and the
        # place after its last descendant in that order.
        self.tags: list[Tag] = []
        self.order: dict[int, tuple[int, int]] = {}
        starts: dict[int, tuple[int, int]] = {}
        pos = 0
        for kind, obj in _iter_events(root):
            if kind == "text":
                chunk = _WS_RUN.sub("", obj)
                parts.append(chunk)
                pos += len(chunk)
            elif kind == "start":
                starts[id(obj)] = (pos, len(self.tags))
                self.tags.append(obj)
            else:
                start, first = starts[id(obj)]
                self.ranges[id(obj)] = (start, pos)
                self.order[id(obj)] = (first, len(self.tags))
        self.text = "".join(parts)
        self._found: dict[str, list[int]] = {}

    def span(self, tag: Tag) -> tuple[int, int]:
        return self.ranges.get(id(tag), (0, 0))

    def holds(self, tag: Tag, needle: str) -> bool:
        """Whether ``needle`` occurs inside the tag's text."""
        starts = self._found.get(needle)
        if starts is None:
            starts = self._found[needle] = _occurrences(self.text, needle)
        s, e = self.span(tag)
        i = bisect_left(starts, s)
        return i < len(starts) and starts[i] + len(needle) <= e

    def holds_report(self, tag: Tag) -> bool:
        return self.holds(tag, _FIRST) and any(self.holds(tag, m) for m in _STRONG)

    def descendants_among(self, tag: Tag, places: list[int]) -> int:
        """How many of ``places`` (sorted places in document order) are the tag's
        descendants, the tag itself not counted."""
        first, after = self.order.get(id(tag), (0, 0))
        return max(0, bisect_left(places, after) - bisect_left(places, first + 1))


def _occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _drop_chrome(body: Tag) -> _Index | None:
    """Take the site's chrome out of ``body``; the _Index of ``body`` when nothing was taken
    (it is then the index of what is left), None otherwise."""
    index = _Index(body)
    doomed = []
    for tag in index.tags:
        # ASP.NET pages wrap the whole page in <form>; never drop what holds the report.
        if tag is not body and _is_chrome(tag) and not index.holds_report(tag):
            doomed.append(tag)
    for tag in doomed:
        if tag.parent is not None:  # not already gone with an ancestor
            tag.decompose()
    return None if doomed else index


def _choose_body(body: Tag, index: _Index) -> Tag:
    """The smallest element holding 一、 and a report-only marker, widened until
    it holds every template table of the page.  Falls back to <body>.

    ``index`` is the _Index of ``body``."""
    if not index.holds(body, _FIRST):
        return body
    best, best_len = None, None
    for tag in index.tags:
        s, e = index.span(tag)
        if best_len is not None and e - s > best_len:
            continue
        if index.holds_report(tag):
            best, best_len = tag, e - s  # later in document order = deeper on ties
    if best is None:
        return body

    # The template tables' places in document order: how many lie inside a tag is
    # two bisects, so widening through thousands of ancestors stays linear.
    tables = [
        place
        for place, tag in enumerate(index.tags)
        if tag.name == "table" and any(index.holds(tag, m) for m in _TABLE_MARKS)
    ]
    wanted = index.descendants_among(body, tables)
    node = best
    while (
        node is not body
        and node.parent is not None
        and index.descendants_among(node, tables) < wanted
    ):
        node = node.parent
    return node


def _title_before(body: Tag, index: _Index) -> Tag | None:
    """The report's heading when it sits just outside the chosen body
    (<h1 class="article-title"> above <div id="zoomcon">)."""
    ancestors = {id(parent) for parent in body.parents}
    for tag in body.find_all_previous(True, limit=400):
        if id(tag) in ancestors:
            continue
        classes = tag.get("class") or []
        if tag.name in ("h1", "h2", "h3") or "title" in " ".join(classes).lower():
            s, e = index.span(tag)
            if e - s > 100:  # its text without white space is already too long for a title
                continue
            text = clean_text(tag.get_text())
            if "报告" in text and len(text) <= 100:
                return tag
    return None


# ------------------------------------------------------------------------ emit


class _Emitter:
    def __init__(self, src: dict[int, int]) -> None:
        self.src = src
        self.lines: list[str] = []
        self.src_lines: list[int] = []
        self.buf: list[str] = []
        self.buf_line = 0
        self.pending_line = 1
        # Where table rows go: this emitter, or (inside a table cell) a separate
        # one whose lines follow the outer row, so nested tables stay whole rows.
        self.table_out: _Emitter = self
        self.grids: list[int | None] = []
        self.grid_ids = [0]  # shared by the emitters of a page: the next table's id

    def new_grid(self) -> int:
        self.grid_ids[0] += 1
        return self.grid_ids[0]

    def line_of(self, tag: Tag) -> int:
        """A tag lxml did not pair takes its nearest paired ancestor's line.  The answer is
        remembered for every tag on the way up (in ``src``, shared by all emitters of a
        page; 0 for "no paired ancestor"), so deep nesting costs linear time."""
        node: Any = tag
        path = []
        line = None
        while node is not None:
            line = self.src.get(id(node))
            if line is not None:
                break
            path.append(node)
            node = node.parent
        for visited in path:
            self.src[id(visited)] = line or 0
        return line or self.pending_line

    def text(self, s: str) -> None:
        if not self.buf:
            self.buf_line = self.pending_line
        self.buf.append(s)

    def flush(self) -> None:
        if self.buf:
            line = clean_text("".join(self.buf))
            if line:
                self.lines.append(line)
                self.src_lines.append(self.buf_line)
                self.grids.append(None)
            self.buf = []

    def add(self, line: str, src_line: int, grid: int | None = None) -> None:
        self.lines.append(line)
        self.src_lines.append(src_line)
        self.grids.append(grid)


def _is_table(tag: Tag) -> bool:
    return tag.name == "table"


def _emit_children(root: Tag, em: _Emitter, depth: int = 0) -> None:
    """Walk the subtree under ``root`` (not root itself) into ``em``."""
    # A table is read as a whole by _emit_table: its subtree is not walked here too.
    prune = _is_table if depth < _MAX_TABLE_DEPTH else None
    events = _iter_events(root, prune)
    next(events)  # root's own start
    skip_until: Any = None  # a table being handled as a whole: ignore its events
    for kind, obj in events:
        if skip_until is not None:
            if kind == "end" and obj is skip_until:
                skip_until = None
            continue
        if kind == "text":
            em.text(obj)
            continue
        if obj is root:  # root's own end
            break
        name = obj.name
        if kind == "start":
            if name == "br":
                em.flush()
                em.pending_line = em.line_of(obj)
            elif name == "table" and depth < _MAX_TABLE_DEPTH:
                em.flush()
                _emit_table(obj, em.table_out, depth + 1)
                skip_until = obj
            elif name in _BLOCK or name in _TABLE_PARTS:
                em.flush()
                em.pending_line = em.line_of(obj)
        elif name in _BLOCK or name in _TABLE_PARTS:
            em.flush()
    em.flush()


def _rows(table: Tag) -> Iterator[Tag]:
    for child in table.find_all(["tr", "thead", "tbody", "tfoot"], recursive=False):
        if child.name == "tr":
            yield child
        else:
            yield from child.find_all("tr", recursive=False)


# Spans beyond these are absurd (the template's widest is 15 columns, its longest rowspan
# 20 rows); capping them keeps a hostile page's grid linear in its cells.
_MAX_SPAN = 64
_MAX_WIDTH = 256


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _emit_table(table: Tag, em: _Emitter, depth: int) -> None:
    caption = table.find("caption", recursive=False)
    if caption is not None:
        _emit_children(caption, em, depth)
    # The rowspan/colspan grid: each row holds every slot, a slot that a span covers
    # written as SPANNED, so a value keeps its column however the stub cells span.
    grid_id = em.new_grid()
    trs = list(_rows(table))
    below: dict[int, int] = {}  # column -> rows a rowspan above still covers
    for index, tr in enumerate(trs):
        fields: list[str] = []
        nested = _Emitter(em.src)
        nested.grid_ids = em.grid_ids

        def covered() -> None:
            while below.get(len(fields), 0) > 0 and len(fields) < _MAX_WIDTH:
                below[len(fields)] -= 1
                fields.append(SPANNED)

        for cell in tr.find_all(["td", "th"], recursive=False):
            covered()
            sub = _Emitter(em.src)
            sub.table_out = nested
            sub.grid_ids = em.grid_ids
            sub.pending_line = em.line_of(cell)
            _emit_children(cell, sub, depth)
            rows = min(_span(cell, "rowspan"), len(trs) - index)
            for k in range(_span(cell, "colspan")):
                if len(fields) >= _MAX_WIDTH:
                    break
                if rows > 1:
                    below[len(fields)] = rows - 1
                fields.append(join_wrapped(sub.lines).replace("\t", " ") if k == 0 else SPANNED)
        covered()
        for column in [c for c in below if c >= len(fields)]:
            below[column] -= 1  # a rowspan past this row's last cell
        if any(f and f != SPANNED for f in fields):
            em.add("\t".join(fields), em.line_of(tr), grid_id)
        for line, src, grid in zip(nested.lines, nested.src_lines, nested.grids, strict=True):
            em.add(line, src, grid)


# ------------------------------------------------------------------------ entry


def _meta(soup: Any, *names: str) -> list[str | None]:
    """The content of the first ``<meta name=...>`` of each of ``names`` among the page's
    first 200 (names compared without case: ArticleTitle, PubDate as government CMSs write
    them), found in one walk of the page."""
    found: dict[str, str | None] = {}
    for tag in soup.find_all("meta", limit=200):
        name = str(tag.get("name") or "").strip().lower()
        if name in names and name not in found:
            found[name] = clean_text(str(tag.get("content") or "")) or None
            if len(found) == len(names):
                break
    return [found.get(name) for name in names]


def read_html(data: bytes) -> SourceText:
    """Read a saved report page (bytes in any common encoding) into lines."""
    if importlib.util.find_spec("bs4") is None or importlib.util.find_spec("lxml") is None:
        raise InputError("MISSING_EXTRA", _MISSING)
    from bs4 import BeautifulSoup

    text = decode_html(data)
    soup = BeautifulSoup(text, "lxml")
    src = _source_lines(text, soup)

    title_tag = soup.find("title")
    title_hint = clean_text(title_tag.get_text()) if title_tag is not None else ""
    meta_title, published_hint = _meta(soup, "articletitle", "pubdate")

    root = soup.body or soup  # no <body>: an empty page or a bare fragment
    index = _drop_chrome(root) or _Index(root)
    body = _choose_body(root, index)

    em = _Emitter(src)
    if body is not root:
        heading = _title_before(body, index)
        if heading is not None:
            em.add(clean_text(heading.get_text()), em.line_of(heading))
    em.pending_line = em.line_of(body)
    _emit_children(body, em)
    return SourceText(
        lines=em.lines,
        format="html",
        src_lines=em.src_lines,
        pages=[None] * len(em.lines),
        title_hint=title_hint or None,
        meta_title=meta_title,
        published_hint=published_hint,
        grids=em.grids,
    )

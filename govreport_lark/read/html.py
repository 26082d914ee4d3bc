"""HTML reader: a saved report page to text lines, one table row per line.

Government sites wrap the report in site chrome (menus, search boxes, footers)
and often a metadata table (名称/索引号/发布机构).  The reader drops the chrome,
picks the smallest element that holds the report, and emits its blocks in
document order.  Word-exported HTML splits words into one <span> per run
(三/、本/年/度), so inline text is joined without separators.

Table rows become one line each with the row's own cells joined by tabs: a cell
spanning columns is emitted once, a cell covered by a rowspan from an earlier
row is not repeated (as in PDF text), and an empty cell stays an empty field.

The page is lxml's tree laid out flat (read/html_tree.py): every walk below is a loop
over indices, and what a walk needs of a subtree (its text, where it ends) is a lookup.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from govreport_lark.errors import InputError
from govreport_lark.read.html_tree import DOCUMENT, Page
from govreport_lark.read.source import SPANNED, SourceText

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
_PLAIN = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff\u00ad]*")

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
    if _PLAIN.fullmatch(raw):
        return raw  # nothing to collapse or remove: most table cells
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


# ------------------------------------------------------------------------- index


@dataclass
class _Subtree:
    """An element of the page (the root the reader starts from) and the subtrees taken
    out of it as chrome, the roots of those in document order."""

    page: Page
    root: int
    dropped: list[int] = field(default_factory=list)


_NEVER_CHROME = _TABLE_PARTS | {"body", "html"}


def _is_chrome(page: Page, i: int) -> bool:
    name = page.names[i]
    if name in _DROP_TAGS:
        return True
    if name in _NEVER_CHROME:
        return False
    attrs = page.attrs[i]
    cls = attrs.get("class")
    ident = attrs.get("id")
    if not cls and not ident:
        return False
    names = " ".join([ident or "", *(cls.split() if cls else ())])
    return bool(names.strip()) and bool(_CHROME.search(names.lower()))


class _Index:
    """The flat text (no white space) of a subtree without what was taken out of it, and
    every element's [start, end) in it, so "does this element hold marker X" is a bisect,
    not a walk of the element.

    Every question is answered in logarithmic time, whatever the nesting: a page of ten
    thousand nested elements must not cost ten thousand walks of itself.
    """

    def __init__(self, tree: _Subtree) -> None:
        page, root = tree.page, tree.root
        self.page = page
        self.root = root
        self.dropped = list(tree.dropped)
        starts, ends = page.flat_starts, page.flat_ends
        # A dropped subtree's text is cut out: a place after it moves back by its length.
        self._cut_ends: list[int] = []
        self._cut: list[int] = [starts[root]]
        parts, at = [], starts[root]
        for d in self.dropped:
            parts.append(page.flat[at : starts[d]])
            at = ends[d]
            self._cut_ends.append(at)
            self._cut.append(self._cut[-1] + at - starts[d])
        parts.append(page.flat[at : ends[root]])
        self.text = "".join(parts)
        self._found: dict[str, list[int]] = {}

    def span(self, i: int) -> tuple[int, int]:
        page = self.page
        if not self.root <= i < page.ends[self.root]:
            return (0, 0)
        s, e = page.flat_starts[i], page.flat_ends[i]
        cut, at = self._cut, self._cut_ends
        if not at:
            return (s - cut[0], e - cut[0])
        return (s - cut[bisect_right(at, s)], e - cut[bisect_right(at, e)])

    def holds(self, i: int, needle: str) -> bool:
        """Whether ``needle`` occurs inside the element's text."""
        starts = self._found.get(needle)
        if starts is None:
            starts = self._found[needle] = _occurrences(self.text, needle)
        if not starts:
            return False
        s, e = self.span(i)
        k = bisect_left(starts, s)
        return k < len(starts) and starts[k] + len(needle) <= e

    def holds_report(self, i: int) -> bool:
        return self.holds(i, _FIRST) and any(self.holds(i, m) for m in _STRONG)

    def kept_children(self, i: int) -> Iterator[int]:
        dropped = self.dropped
        for child in self.page.children(i):
            k = bisect_left(dropped, child)
            if k == len(dropped) or dropped[k] != child:
                yield child


def _occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _drop_chrome(tree: _Subtree) -> _Index | None:
    """Take the site's chrome out of ``tree``; its _Index when nothing was taken (it is
    then the index of what is left), None otherwise."""
    page, root = tree.page, tree.root
    index = _Index(tree)
    names, ends = page.names, page.ends
    doomed: list[int] = []
    i, end = root + 1, ends[root]
    while i < end:
        # ASP.NET pages wrap the whole page in <form>; never drop what holds the report.
        if names[i] not in _NEVER_CHROME and _is_chrome(page, i) and not index.holds_report(i):
            doomed.append(i)
            i = ends[i]  # what it holds goes with it
        else:
            i += 1
    tree.dropped = doomed
    return None if doomed else index


def _choose_body(index: _Index) -> int:
    """The smallest element holding 一、 and a report-only marker, widened until
    it holds every template table of the page.  Falls back to the root."""
    page, root = index.page, index.root
    if not index.holds(root, _FIRST):
        return root
    # Whatever holds the report is inside something that does: walking down from the root
    # through those finds every one, in document order.
    best, best_len = None, None
    todo = [root]
    while todo:
        i = todo.pop()
        if not index.holds_report(i):
            continue
        s, e = index.span(i)
        if best_len is None or e - s <= best_len:
            best, best_len = i, e - s  # later in document order = deeper on ties
        todo.extend(reversed(list(index.kept_children(i))))
    if best is None:
        return root

    # The template tables in document order: how many lie inside an element is two
    # bisects, so widening through thousands of ancestors stays linear.
    dropped, ends = index.dropped, page.ends
    tables = [
        t
        for t in page.tables
        if root < t < ends[root]
        and not _inside(t, dropped, ends)
        and any(index.holds(t, m) for m in _TABLE_MARKS)
    ]

    def inside(i: int) -> int:
        return bisect_left(tables, ends[i]) - bisect_right(tables, i)

    wanted = inside(root)
    node = best
    while node != root and page.parents[node] >= 0 and inside(node) < wanted:
        node = page.parents[node]
    return node


def _inside(i: int, dropped: list[int], ends: list[int]) -> bool:
    """Whether element ``i`` lies in one of the ``dropped`` subtrees."""
    k = bisect_right(dropped, i) - 1
    return k >= 0 and i < ends[dropped[k]]


def _title_before(index: _Index, body: int) -> int | None:
    """The report's heading when it sits just outside the chosen body
    (<h1 class="article-title"> above <div id="zoomcon">)."""
    page = index.page
    ancestors = set()
    a = page.parents[body]
    while a > 0:
        ancestors.add(a)
        a = page.parents[a]
    # The 400 elements before the body, nearest first, not counting the dropped ones.
    last_of = {page.ends[d] - 1: d for d in index.dropped}
    skip = set(index.dropped)
    seen = 0
    i = body - 1
    while i > 0 and seen < 400:
        d = last_of.get(i)
        if d is not None:
            i = d - 1
            continue
        seen += 1
        if i not in ancestors:
            name = page.names[i]
            cls = page.attrs[i].get("class")
            if name in ("h1", "h2", "h3") or (cls and "title" in " ".join(cls.split()).lower()):
                s, e = index.span(i)
                # its text without white space is already too long for a title
                if e - s <= 100:
                    text = clean_text(page.text(i, skip))
                    if "报告" in text and len(text) <= 100:
                        return i
        i -= 1
    return None


# ------------------------------------------------------------------------ emit


class _Emitter:
    __slots__ = ("page", "lines", "src_lines", "buf", "buf_line", "pending_line", "table_out",
                 "grids", "grid_ids")

    def __init__(self, page: Page, grid_ids: list[int] | None = None) -> None:
        self.page = page
        self.lines: list[str] = []
        self.src_lines: list[int] = []
        self.buf: list[str] = []
        self.buf_line = 0
        self.pending_line = 1
        # Where table rows go: this emitter, or (inside a table cell) a separate
        # one whose lines follow the outer row, so nested tables stay whole rows.
        self.table_out: _Emitter = self
        self.grids: list[int | None] = []
        self.grid_ids = grid_ids if grid_ids is not None else [0]  # the page's next table id

    def new_grid(self) -> int:
        self.grid_ids[0] += 1
        return self.grid_ids[0]

    def line_of(self, i: int) -> int:
        """The element's source line, else its nearest ancestor's, else the line pending."""
        return self.page.lines[i] or self.pending_line

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


_BREAKS = _BLOCK | _TABLE_PARTS


def _emit_children(root: int, em: _Emitter, dropped: set[int], depth: int = 0) -> None:
    """Walk the subtree under ``root`` (not root itself) into ``em``."""
    page = em.page
    events, closes, names, lines = page.events, page.closes, page.names, page.lines
    tables = depth < _MAX_TABLE_DEPTH  # deeper tables are read as plain blocks
    buf = em.buf
    k, stop = page.opens[root] + 1, closes[root]
    while k < stop:
        x = events[k]
        k += 1
        kind = type(x)
        if kind is str:
            if not buf:
                em.buf_line = em.pending_line
            buf.append(x)
        elif kind is int:
            if x >= 0:
                if x in dropped:
                    k = closes[x] + 1
                    continue
                name = names[x]
                if name == "br":
                    em.flush()
                    buf = em.buf
                    em.pending_line = lines[x] or em.pending_line
                elif name == "table" and tables:
                    em.flush()
                    # A table is read as a whole by _emit_table, not walked here too.
                    _emit_table(x, em.table_out, dropped, depth + 1)
                    buf = em.buf
                    k = closes[x] + 1
                elif name in _BREAKS:
                    em.flush()
                    buf = em.buf
                    em.pending_line = lines[x] or em.pending_line
            elif names[~x] in _BREAKS:
                em.flush()
                buf = em.buf
    em.flush()


def _rows(page: Page, table: int) -> Iterator[int]:
    names = page.names
    for child in page.children(table):
        name = names[child]
        if name == "tr":
            yield child
        elif name in ("thead", "tbody", "tfoot"):
            yield from (r for r in page.children(child) if names[r] == "tr")


# Spans beyond these are absurd (the template's widest is 15 columns, its longest rowspan
# 20 rows); capping them keeps a hostile page's grid linear in its cells.
_MAX_SPAN = 64
_MAX_WIDTH = 256


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _cell_lines(page: Page, cell: int, dropped: set[int]) -> list[str] | None:
    """The lines of a cell without a table inside, as _emit_children gives them (where
    they come from is not needed: a row takes its own line); None for a cell with one."""
    events, closes, names = page.events, page.closes, page.names
    lines: list[str] = []
    buf: list[str] = []
    k, stop = page.opens[cell] + 1, closes[cell]
    while k < stop:
        x = events[k]
        k += 1
        kind = type(x)
        if kind is str:
            buf.append(x)
            continue
        if kind is not int:
            continue
        if x >= 0:
            if x in dropped:
                k = closes[x] + 1
                continue
            name = names[x]
            if name == "table":
                return None
            if name != "br" and name not in _BREAKS:
                continue
        elif names[~x] not in _BREAKS:
            continue
        if buf:
            line = clean_text("".join(buf))
            if line:
                lines.append(line)
            buf = []
    if buf:
        line = clean_text("".join(buf))
        if line:
            lines.append(line)
    return lines


def _emit_table(table: int, em: _Emitter, dropped: set[int], depth: int) -> None:
    page = em.page
    names, attrs, events, opens, closes = page.names, page.attrs, page.events, page.opens, page.closes
    caption = next((c for c in page.children(table) if names[c] == "caption"), None)
    if caption is not None:
        _emit_children(caption, em, dropped, depth)
    # The rowspan/colspan grid: each row holds every slot, a slot that a span covers
    # written as SPANNED, so a value keeps its column however the stub cells span.
    grid_id = em.new_grid()
    trs = list(_rows(page, table))
    below: dict[int, int] = {}  # column -> rows a rowspan above still covers
    for index, tr in enumerate(trs):
        fields: list[str] = []
        # Where the rows of tables inside this row's cells go: after the row.
        nested: _Emitter | None = None

        def covered() -> None:
            while below.get(len(fields), 0) > 0 and len(fields) < _MAX_WIDTH:
                below[len(fields)] -= 1
                fields.append(SPANNED)

        for cell in page.children(tr):
            if names[cell] not in ("td", "th"):
                continue
            if below:
                covered()
            # The cell's lines joined: most cells hold one run of text, which is one line.
            first, stop = opens[cell] + 1, closes[cell]
            if first == stop:
                text = ""
            elif first + 1 == stop and type(events[first]) is str:
                text = clean_text(events[first])  # white space collapsed: no tab is left
            else:
                lines = _cell_lines(page, cell, dropped)
                if lines is None:  # a table inside: its rows go after this row
                    if nested is None:
                        nested = _Emitter(page, em.grid_ids)
                    sub = _Emitter(page, em.grid_ids)
                    sub.table_out = nested
                    sub.pending_line = em.line_of(cell)
                    _emit_children(cell, sub, dropped, depth)
                    lines = sub.lines
                text = join_wrapped(lines).replace("\t", " ")
            rowspan, colspan = attrs[cell].get("rowspan"), attrs[cell].get("colspan")
            if rowspan is None and colspan is None:  # one slot: most cells
                if len(fields) < _MAX_WIDTH:
                    fields.append(text)
                continue
            rows = min(_span(rowspan), len(trs) - index)
            for k in range(_span(colspan)):
                if len(fields) >= _MAX_WIDTH:
                    break
                if rows > 1:
                    below[len(fields)] = rows - 1
                fields.append(text if k == 0 else SPANNED)
        if below:
            covered()
            for column in [c for c in below if c >= len(fields)]:
                below[column] -= 1  # a rowspan past this row's last cell
        if any(f and f != SPANNED for f in fields):
            em.add("\t".join(fields), em.line_of(tr), grid_id)
        if nested is not None:
            for line, src, grid in zip(nested.lines, nested.src_lines, nested.grids, strict=True):
                em.add(line, src, grid)


# ------------------------------------------------------------------------ entry


def _meta(page: Page, *names: str) -> list[str | None]:
    """The content of the first ``<meta name=...>`` of each of ``names`` among the page's
    first 200 (names compared without case: ArticleTitle, PubDate as government CMSs write
    them)."""
    found: dict[str, str | None] = {}
    for seen, i in enumerate(page.named("meta")):
        if seen == 200:
            break
        attrs = page.attrs[i]
        name = (attrs.get("name") or "").strip().lower()
        if name in names and name not in found:
            found[name] = clean_text(attrs.get("content") or "") or None
            if len(found) == len(names):
                break
    return [found.get(name) for name in names]


def read_html(data: bytes) -> SourceText:
    """Read a saved report page (bytes in any common encoding) into lines."""
    if importlib.util.find_spec("lxml") is None:
        raise InputError("MISSING_EXTRA", _MISSING)
    from govreport_lark.read.html_tree import parse

    return _read(parse(decode_html(data)))


def _read(page: Page) -> SourceText:
    title = page.first("title")
    title_hint = clean_text(page.text(title)) if title is not None else ""
    meta_title, published_hint = _meta(page, "articletitle", "pubdate")

    # no <body>: an empty page or a bare fragment
    tree = _Subtree(page, page.first("body") or DOCUMENT)
    index = _drop_chrome(tree) or _Index(tree)
    body = _choose_body(index)
    dropped = set(index.dropped)

    em = _Emitter(page)
    if body != tree.root:
        heading = _title_before(index, body)
        if heading is not None:
            em.add(clean_text(page.text(heading, dropped)), em.line_of(heading))
    em.pending_line = em.line_of(body)
    _emit_children(body, em, dropped)
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

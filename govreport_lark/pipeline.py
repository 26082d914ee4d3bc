"""The pipeline: read → normalise → sections → grammars → transformers → validate."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

from govreport_lark.errors import InputError
from govreport_lark.fit import active, applications, narrative, review
from govreport_lark.fit.template import detect
from govreport_lark.fit.validate import validate
from govreport_lark.grammar.tables import TableParse, parse_table, stray_labels, stray_numbers
from govreport_lark.locate.feed import section_feed
from govreport_lark.locate.grids import resolve_grids
from govreport_lark.locate.metadata import find_metadata
from govreport_lark.locate.outline import Doc, Section
from govreport_lark.locate.prose import sentences
from govreport_lark.locate.sections import find_sections
from govreport_lark.model import Cell, Diagnostic, Report, Source
from govreport_lark.normalise import normalise
from govreport_lark.read import detect_format, read_source
from govreport_lark.read.source import SourceText

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Web-page furniture after the report's end (seed 004: 相关词条 / 热门词条 / 联络我们).
_CHROME = re.compile(
    r"^(?:相关词条|热门词条|联系我们|联络我们|网站地图|版权所有|主办单位|承办单位|扫一扫|打印本页|"
    r"关闭窗口|上一篇|下一篇|分享到|【?打印】?|【?关闭】?|返回顶部|相关链接|附件下载)"
)
_DATE_LINE = re.compile(r"^\(?\d{4}年\d{1,2}月\d{1,2}日\)?$")
_PUBLICATION_NOTE = re.compile(r"^\(此件公开发布\)$|^\(此件主动公开\)$")


def _narrative(doc: Doc, section: Section, agency: str | None) -> list[str]:
    text = doc.text[section.body_start : section.end]
    out = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if _CHROME.match(line):
            break
        if _DATE_LINE.match(line) or _PUBLICATION_NOTE.match(line) or (agency and line == agency):
            continue
        out.append(line)
    return out


def _null_cells(table: object) -> None:
    """Every cell of a table left null (its values cannot be placed with certainty)."""
    stack = [table]
    while stack:
        item = stack.pop()
        if isinstance(item, Cell):
            item.value = item.raw = None
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)


# Diagnostics of one code in one section beyond this many are counted, not listed: a hostile
# table of a hundred thousand repeated rows must not give a hundred thousand findings.
MAX_SAME_DIAGNOSTICS = 50


def _capped(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: dict[tuple[str, str | None], int] = {}
    out = []
    for d in diags:
        key = (d.code, d.section)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= MAX_SAME_DIAGNOSTICS:
            out.append(d)
    for (code, section), n in seen.items():
        if n > MAX_SAME_DIAGNOSTICS:
            first = next(d for d in diags if d.code == code and d.section == section)
            out.append(Diagnostic(
                "DIAGNOSTICS_CAPPED", first.severity,
                f"{n - MAX_SAME_DIAGNOSTICS} more {code} findings in section {section or '-'} "
                f"are not listed ({n} in all; the first {MAX_SAME_DIAGNOSTICS} are)",
                section=section, line=None, responsibility=first.responsibility))
    return out


def parse_source(source: SourceText, *, path: str | None = None, sha256: str = "") -> Report:
    grids = resolve_grids(normalise(source), trailing=source.cells_exact)
    doc = Doc(grids.lines)
    sections = {s.key: s for s in find_sections(doc)}
    meta = find_metadata(doc, list(sections.values()), source)
    # Tables are found by their rows and header words, or by the template's headings.
    tables = [k for k in ("二", "三", "四") if k in sections]
    if not tables or (meta.title is None and len(sections) < 3):
        found = ("none of the template's tables (sections 二–四) was found, by its rows or "
                 "its heading" if not tables else
                 f"it has no title and holds only {len(sections)} of the template's parts")
        raise InputError("NOT_A_REPORT", f"is not a 政府信息公开工作年度报告: {found}", path=path)
    report = Report(Source(path, sha256, source.format), meta.title, meta.agency, meta.year,
                    None, meta.published)
    diags: list[Diagnostic] = list(grids.diagnostics)
    if meta.title is None:
        diags.append(Diagnostic("TITLE_MISSING", "warning",
                                "no title naming the agency and year was found", None, None,
                                responsibility="report", params={"year": meta.year}
                                if meta.year is not None else {}))
    for key in ("一", "二", "三", "四", "五", "六"):
        if key in sections:
            continue
        table = key in ("二", "三", "四")
        missing = ("neither its table nor its heading" if table
                   else "no heading names it, whatever its number")
        diags.append(Diagnostic(
            "SECTION_MISSING", "error" if table else "warning",
            f"section {key} was not found ({missing})",
            section=key, line=None, responsibility="report", params={"table": table}))

    parses: dict[str, TableParse] = {}
    for key, grammar in (("二", "active_disclosure"), ("三", "applications"),
                         ("四", "review_litigation")):
        if key in sections:
            parses[key] = parse_table(grammar, key, section_feed(doc, sections[key]))
            parses[key].diagnostics.extend(stray_labels(parses[key], grammar, key))
            diags.extend(parses[key].diagnostics)

    items = active.items(parses["二"].tree) if "二" in parses else []
    parsed_3 = applications.collect(parses["三"].tree if "三" in parses else None)
    sig = parsed_3.signals
    other_single = sig.other_single and any(
        r.key == "other" and any(t.is_value for t in r.cells) for r in parsed_3.rows)
    report.template, template_diags = detect(active.template_votes(items), other_single,
                                             sig.other_rows, meta.year)
    diags.extend(template_diags)

    if "二" in parses:
        report.active_disclosure, found = active.build(items, report.template, parses["二"].feed)
        diags.extend(found)
    if "三" in parses:
        in_order = not any(d.code in ("TABLE_PARSE_ERROR", "LABEL_OUT_OF_ORDER")
                           for d in parses["三"].diagnostics)
        report.applications, found = applications.build(parsed_3, report.template,
                                                        parses["三"].feed, in_order=in_order)
        diags.extend(found)
    else:
        report.applications = applications.empty(report.template)
    if "四" in parses:
        report.review_litigation, found = review.build(parses["四"].tree, parses["四"].feed)
        diags.extend(found)
    else:
        report.review_litigation = review.empty()
    for key, parse in parses.items():
        diags.extend(stray_numbers(parse, key))

    for key, name in (("一", "overview"), ("五", "problems"), ("六", "other_matters")):
        if key in sections:
            report.narrative[name] = _narrative(doc, sections[key], report.agency)
    for key in grids.unreadable:  # never a value put under a column by guess
        _null_cells({"二": report.active_disclosure, "三": report.applications,
                     "四": report.review_litigation}.get(key))
    # A table the grids left unreadable is not read in any order, however its text reads.
    diags = [d for d in diags
             if not (d.code == "COLUMNS_REORDERED" and d.section in grids.unreadable)]
    diags.extend(validate(report))
    diags.extend(narrative.check(report, sentences(doc, list(sections.values())), diags))
    report.diagnostics = _capped(diags)
    return report


def parse_bytes(data: bytes, *, path: str | None = None, fmt: str | None = None) -> Report:
    if not data.strip():
        raise InputError("EMPTY_INPUT", "is empty; there is nothing to parse", path=path)
    fmt = fmt or detect_format(data, path)
    source = read_source(data, path=path, fmt=fmt)
    return parse_source(source, path=path, sha256=hashlib.sha256(data).hexdigest())


def parse_text(text: str, *, path: str | None = None, fmt: str = "txt") -> Report:
    """Parse a report already in memory as text (a .txt or .md body)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: bytes smuggled in by surrogateescape
        raise InputError(
            "UNDECODABLE",
            f"holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start}, "
            "so it is not text; read the file with parse_file or decode it strictly",
            path=path,
        ) from None
    source = SourceText(lines=text.splitlines(), format=fmt)
    return parse_source(source, path=path, sha256=hashlib.sha256(data).hexdigest())


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1_000_000 else f"{n / 1e6:.1f} MB ({n:,} bytes)"


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    path = Path(path)
    name = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError("UNREADABLE", f"cannot be read ({exc.strerror}); check the path",
                         path=name) from None
    if path.is_dir():
        raise InputError("UNREADABLE", "is a directory, not a report file", path=name)
    size, mode = info.st_size, info.st_mode
    if not stat.S_ISREG(mode):  # a FIFO would block and a device never end: never read them
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "a special file")
        raise InputError("NOT_A_FILE", f"is {kind}, not a regular file; give the report file "
                         "itself (or pipe it to `govreport parse -`)", path=name)
    if size > max_bytes:
        raise InputError(
            "TOO_LARGE",
            f"is {_size(size)}, over the limit of {_size(max_bytes)}; raise it with "
            "--max-bytes if this really is one report",
            path=name,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("UNREADABLE", f"cannot be read ({exc.strerror})", path=name) from None
    return parse_bytes(data, path=name)

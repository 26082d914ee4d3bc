"""``govreport check``: each report's findings for the people who write and assess it, in
Chinese by default (``--lang en``), as text, as JSON (``--format json``) or as a page to open
in a browser (``--html FILE``)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from typing import Any

from govreport_lark.model import Report
from govreport_lark.output.findings import SEVERITIES, Finding, findings, render_finding
from govreport_lark.output.messages import LANGUAGES, Catalogue

CHECK_SCHEMA = "govreport-check/1"


@dataclass
class Checked:
    """One input: its report and findings, or why it was refused."""

    path: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    refused_code: str | None = None
    refused_message: str | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def places(self) -> int:
        return sum(len(f.items) for f in self.findings)

    @property
    def status(self) -> str:
        if self.report is None:
            return "refused"
        if self.count("error"):
            return "errors"
        return "warnings" if self.count("warning") else "clean"


def check_file(path: str, parse, lang: str) -> Checked:
    """``parse``: path -> Report, raising on a refused input (the caller reports it)."""
    report = parse(path)
    return Checked(path, report, findings(report, lang))


def refused(path: str, exc: BaseException) -> Checked:
    from govreport_lark.errors import InputError

    if isinstance(exc, InputError):
        return Checked(path, refused_code=exc.code, refused_message=exc.message)
    return Checked(path, refused_code="INTERNAL_ERROR",
                   refused_message=f"{type(exc).__name__}: {exc}")


# --- text ----------------------------------------------------------------------------------


def refusal_reason(cat: Catalogue, c: Checked) -> str:
    key = f"refused.{c.refused_code}"
    return cat(key) if cat.has(key) else c.refused_message or ""


def render_text(c: Checked, cat: Catalogue, *, verbose: bool = False) -> str:
    if c.report is None:
        return cat("file.refused", path=c.path, reason=refusal_reason(cat, c), code=c.refused_code) + "\n"
    r = c.report
    unknown = cat("file.head.unknown")
    lines = [cat("file.head", path=c.path, agency=r.agency or unknown, year=r.year or unknown,
                 template=r.template or unknown)]
    shown = [f for f in c.findings if verbose or f.severity != "info"]
    for f in shown:
        lines += render_finding(f, cat)
    if not shown:
        lines.append(cat("file.clean"))
    lines.append(summary_line(c, cat, verbose=verbose))
    return "\n".join(lines) + "\n"


def summary_line(c: Checked, cat: Catalogue, *, verbose: bool = False) -> str:
    """小结：1 条错误，2 条警告，共涉及 4 处。"""
    counts = [cat.count("count.error", c.count("error")),
              cat.count("count.warning", c.count("warning"))]
    info = c.count("info")
    if verbose and info:
        counts.append(cat.count("count.info", info))
    places = sum(len(f.items) for f in c.findings if verbose or f.severity != "info")
    if places:
        counts.append(cat.count("count.place", places))
    if info and not verbose:
        counts.append(cat.count("file.info_hidden", info))
    return cat("summary.file", counts=cat("list.sep").join(counts))


def render_summary(results: list[Checked], cat: Catalogue) -> str:
    status = [c.status for c in results]
    return cat("summary.all", files=cat.count("count.file", len(results)),
               errors=status.count("errors"), warnings=status.count("warnings"),
               clean=status.count("clean"), refused=status.count("refused")) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def to_dict(results: list[Checked], lang: str) -> dict[str, Any]:
    files = []
    for c in results:
        entry: dict[str, Any] = {"path": c.path, "status": c.status}
        if c.report is None:
            entry["refused"] = {"code": c.refused_code, "message": c.refused_message,
                                "reason": refusal_reason(Catalogue(lang), c)}
        else:
            r = c.report
            entry.update(title=r.title, agency=r.agency, year=r.year, template=r.template)
            entry["counts"] = {s: c.count(s) for s in SEVERITIES} | {"places": c.places}
            entry["findings"] = [f.to_dict() for f in c.findings]
        files.append(entry)
    status = [c.status for c in results]
    return {"schema": CHECK_SCHEMA, "lang": lang, "files": files,
            "summary": {"files": len(results), "with_errors": status.count("errors"),
                        "with_warnings": status.count("warnings"), "clean": status.count("clean"),
                        "refused": status.count("refused")}}


# --- across years --------------------------------------------------------------------------

_TABLE_SECTION = {"applications": "三", "active_disclosure": "二"}


def cross_year(results: list[Checked], previous: list[Checked]) -> list[Any]:
    """Findings between the checked reports and the earlier years given with --previous."""
    from govreport_lark.output.panel import cross_year_findings

    reports = [c.report for c in results + previous if c.report is not None]
    return [f for f in cross_year_findings(reports) if f.code != "IDENTITY_MISSING"
            or any(f.source == c.path for c in results)]


def render_cross_year(found: list[Any], cat: Catalogue) -> str:
    from govreport_lark.output.labels import cell_label

    lines = [cat("cross.head", n=cat.count("count.warning", len(found)))] if found else [
        cat("cross.none")]
    for f in found:
        section = _TABLE_SECTION.get(f.table)

        def cell(row: str, column: str, section: str | None = section) -> str:
            short = row.split(".", 1)[1] if section == "二" and "." in row else row
            return cell_label(section, short, column)

        if f.code == "CROSS_YEAR_MISMATCH":
            lines.append(cat("cross.CROSS_YEAR_MISMATCH", year=f.year, source=f.source,
                             cell=cell(f.row, f.column), value=f.value,
                             previous_year=f.previous_year, previous_source=f.previous_source,
                             previous_cell=cell(f.previous_row, f.previous_column),
                             previous_value=f.previous_value, expected=f.expected))
        else:
            lines.append(cat(f"cross.{f.code}", agency=f.agency or "", year=f.year or "",
                             source=f.source, other=f.previous_source))
    return "\n".join(lines) + "\n"


# --- the command ---------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from govreport_lark.output.cli import _emit_error, _parse_input, _Stdin

    stdin = _Stdin()
    cat = Catalogue(args.lang)
    status = 0
    results: list[Checked] = []
    text = args.format == "text"
    for path in args.files:
        try:
            result = check_file(path, lambda p: _parse_input(p, args.max_bytes, stdin), args.lang)
        except Exception as exc:  # every input gets an answer, never a traceback
            status = max(status, _emit_error(exc, path, args.debug))
            result = refused(path, exc)
        results.append(result)
        if result.count("error"):
            status = max(status, 1)
        if text:
            print(render_text(result, cat, verbose=args.verbose), end="", flush=True)
    previous: list[Checked] = []
    for path in args.previous or ():
        try:
            previous.append(check_file(path, lambda p: _parse_input(p, args.max_bytes, stdin),
                                       args.lang))
        except Exception as exc:
            status = max(status, _emit_error(exc, path, args.debug))
            previous.append(refused(path, exc))
    across = cross_year(results, previous) if args.previous else []
    if text and len(results) > 1:
        print(render_summary(results, cat), end="")
    if text and args.previous:
        print(render_cross_year(across, cat), end="")
    if not text:
        out = to_dict(results, args.lang)
        if args.previous:
            out["cross_year"] = [f.to_dict() for f in across]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.html:
        from govreport_lark.output.check_html import render_html

        try:
            with open(args.html, "w", encoding="utf-8") as handle:
                handle.write(render_html(results, args.lang))
        except OSError as exc:
            from govreport_lark.output.cli import _output_failed

            return max(status, _output_failed(args.html, exc))
    return status


def add_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("-v", "--verbose", action="store_true", help="also list info findings")
    c.add_argument("--lang", choices=LANGUAGES, default="zh",
                   help="language of the findings: zh (default) or en")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for people (default) or JSON: the same grouped findings as data")
    c.add_argument("--html", metavar="FILE",
                   help="also write a page to open in a browser: the tables as the template "
                   "lays them out, each cell a finding touches highlighted")
    c.add_argument("--previous", metavar="FILE", action="append",
                   help="the same agency's report of an earlier year (may be given again): "
                   "carry-overs and counts in force are checked across the years")
    c.set_defaults(func=cmd_check)

"""``govreport corpus check``: parse every report of a corpus and compare it with its
hand-checked expected file, cell by cell.

A corpus is a folder tree of report files (.txt .md .html .htm .pdf .docx), each with a
sibling ``<stem>.expected.json`` (the keys of the output contract that were checked by
hand, plus ``file`` and ``notes``).  Report files without an expected file are ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreport_lark.errors import InputError
from govreport_lark.output.compare import Comparison, _flagged, compare

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
EXPECTED_SUFFIX = ".expected.json"
# Keys an expected file may hold; ``--update`` rewrites the data keys it already has
# from the parse and keeps ``file`` and ``notes`` as written by hand.
EXPECTED_KEYS = ("file", "title", "agency", "year", "template", "published",
                 "active_disclosure", "applications", "review_litigation", "notes")
_HAND_KEYS = ("file", "notes")
SHOWN_DIFFERENCES = 10


def bundled_corpus() -> Path | None:
    """The repository's ``corpus/`` folder, or None in an installed wheel."""
    root = Path(__file__).resolve().parents[2] / "corpus"
    return root if root.is_dir() else None


def expected_path(report: Path) -> Path:
    return report.with_name(report.stem + EXPECTED_SUFFIX)


def find_reports(root: Path) -> list[Path]:
    """Report files under ``root`` (recursively) that have an expected file, sorted."""
    found = []
    for path in root.rglob("*"):
        if (path.is_file() and path.suffix.lower() in REPORT_SUFFIXES
                and not path.name.endswith(EXPECTED_SUFFIX) and expected_path(path).is_file()):
            found.append(path)
    return sorted(found)


@dataclass
class Result:
    """One report of the corpus: its parse (None if it failed) against its expected file."""

    path: Path
    expected: dict[str, Any] | None = None
    actual: dict[str, Any] | None = None
    comparison: Comparison | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.comparison is not None and self.comparison.ok


def _load_expected(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(expected_path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("BAD_EXPECTED",
                         f"expected file {expected_path(path).name} cannot be read ({exc})",
                         path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("BAD_EXPECTED",
                         f"expected file {expected_path(path).name} is not a JSON object",
                         path=str(path))
    return data


def check_one(path: Path) -> Result:
    from govreport_lark.output.emit import report_to_dict
    from govreport_lark.pipeline import parse_file

    result = Result(path)
    try:
        result.expected = _load_expected(path)
        result.actual = report_to_dict(parse_file(path))
    except InputError as exc:
        result.error = f"{exc.message} [{exc.code}]"
        return result
    except Exception as exc:  # one bad file must not stop the run
        result.error = f"internal error ({type(exc).__name__}: {exc})"
        return result
    result.comparison = compare(result.actual, result.expected)
    for d in result.actual.get("diagnostics", []):
        result.counts[d["severity"]] = result.counts.get(d["severity"], 0) + 1
    return result


def check_corpus(root: Path) -> list[tuple[Path, Comparison | None, str | None]]:
    """(report path, comparison or None, error message or None) for every report under
    ``root`` that has an expected file.  A report passes when the error is None and the
    comparison has no differences."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder")
    return [(r.path, r.comparison, r.error) for r in map(check_one, find_reports(root))]


# ------------------------------------------------------------------------- output


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [text + " " * (w - _width(text)) for text, w in zip(row, widths, strict=True)]
        out.append("  ".join(cells).rstrip())
    return out


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _row(result: Result, root: Path) -> list[str]:
    actual = result.actual or {}
    fmt = (actual.get("source") or {}).get("format") or result.path.suffix.lstrip(".").lower()
    template = str(actual.get("template") or "-")
    c = result.comparison
    cells = f"{c.right}/{c.cells}" if c is not None else "-"
    diags = (f"{result.counts.get('error', 0)}/{result.counts.get('warning', 0)}"
             if result.error is None else "-")
    return [_name(result.path, root), fmt, template, cells, diags,
            "pass" if result.ok else "FAIL"]


def report_lines(results: list[Result], root: Path) -> list[str]:
    header = ["file", "format", "template", "cells right", "diagnostics (err/warn)", "status"]
    lines = _table([header] + [_row(r, root) for r in results])
    lines.insert(1, "-" * max(len(line) for line in lines))
    failures = [r for r in results if not r.ok]
    if failures:
        lines.append("")
    for r in failures:
        lines.append(f"{_name(r.path, root)}:")
        if r.error is not None:
            lines.append(f"    {r.error}")
            continue
        assert r.comparison is not None
        diffs = r.comparison.differences
        lines += [f"    {d}" for d in diffs[:SHOWN_DIFFERENCES]]
        if len(diffs) > SHOWN_DIFFERENCES:
            lines.append(f"    … and {len(diffs) - SHOWN_DIFFERENCES} more differences")
    passed = sum(r.ok for r in results)
    lines.append(f"{passed} passed, {len(results) - passed} failed")
    return lines


# ------------------------------------------------------------------------- update


def _keep_accepted_nulls(new: dict[str, Any], old: dict[str, Any],
                         actual: dict[str, Any]) -> None:
    """Where the hand-checked file says null and the parse gives a value that ``compare``
    accepts (a flagged row whose cell the report did not print), keep the null."""

    def keep(section: str, row: str, want: Any, got: Any) -> bool:
        return want is None and got is not None and _flagged(actual, section, row)

    for item, rows in (old.get("active_disclosure") or {}).items():
        new_item = (new.get("active_disclosure") or {}).get(item)
        if not isinstance(new_item, dict) or not isinstance(rows, dict):
            continue
        for row, cells in rows.items():
            pairs = ([(label, extra, (new_item.get("extra") or {}).get(label))
                      for label, extra in cells.items()] if row == "extra"
                     else [(row, cells, new_item.get(row))])
            for label, want_cells, got_cells in pairs:
                if not isinstance(got_cells, dict) or not isinstance(want_cells, dict):
                    continue
                for column, want in want_cells.items():
                    if keep("二", label, want, got_cells.get(column)):
                        got_cells[column] = None
    new_rows = (new.get("applications") or {}).get("rows") or {}
    for row, cells in ((old.get("applications") or {}).get("rows") or {}).items():
        got = new_rows.get(row)
        if isinstance(got, list) and isinstance(cells, list):
            for i, want in enumerate(cells[: len(got)]):
                if keep("三", row, want, got[i]):
                    got[i] = None
    for group, cells in (old.get("review_litigation") or {}).items():
        got = (new.get("review_litigation") or {}).get(group)
        if isinstance(got, dict) and isinstance(cells, dict):
            for name, want in cells.items():
                if keep("四", group, want, got.get(name)):
                    got[name] = None


def updated_expected(old: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """The expected file rewritten from ``actual``: the same keys in the same order,
    ``file``, ``notes`` and keys outside the contract kept as they were."""
    new: dict[str, Any] = {}
    for key, value in old.items():
        if key in _HAND_KEYS or key not in EXPECTED_KEYS or key not in actual:
            new[key] = value
        else:
            new[key] = json.loads(json.dumps(actual[key]))  # a deep copy
    _keep_accepted_nulls(new, old, actual)
    return new


def _flat(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return not any(isinstance(v, (dict, list)) for v in items)


def dump_expected(data: dict[str, Any]) -> str:
    """JSON in the corpus's hand-written style: one row (a dict or list of scalars) a line."""

    def fmt(value: Any, indent: int) -> str:
        if not isinstance(value, (dict, list)) or not value or _flat(value):
            return json.dumps(value, ensure_ascii=False)
        pad, inner = " " * indent, " " * (indent + 2)
        if isinstance(value, list):
            body = [f"{inner}{fmt(v, indent + 2)}" for v in value]
            return "[\n" + ",\n".join(body) + f"\n{pad}]"
        body = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {fmt(v, indent + 2)}"
                for k, v in value.items()]
        return "{\n" + ",\n".join(body) + f"\n{pad}}}"

    return fmt(data, 0) + "\n"


def update_corpus(root: Path, out: Any = None) -> int:
    """Rewrite every expected file under ``root`` from the current parse; print which
    files changed.  Returns the exit code: 0, or 1 if a file could not be parsed or written."""
    out = out or sys.stdout
    status, changed, reports = 0, 0, find_reports(root)
    for path in reports:
        name = _name(path, root)
        result = check_one(path)
        if result.error is not None or result.actual is None or result.expected is None:
            print(f"{name}: not updated: {result.error}", file=out)
            status = 1
            continue
        new = updated_expected(result.expected, result.actual)
        target = expected_path(path)
        text = dump_expected(new)
        try:
            if target.read_text(encoding="utf-8") == text:
                continue
            before = compare(result.actual, result.expected)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{name}: cannot write {target.name} ({exc.strerror or exc})", file=out)
            status = 1
            continue
        changed += 1
        n = len(before.differences)
        what = (f"{n} difference{'s' if n != 1 else ''} taken from the parse" if n
                else "layout only")
        print(f"updated {_name(target, root)} ({what})", file=out)
    print(f"{changed} of {len(reports)} expected files changed", file=out)
    return status


# ------------------------------------------------------------------------- CLI


def cmd_corpus_check(args: argparse.Namespace) -> int:
    if args.dir is None:
        root = bundled_corpus()
        if root is None:
            print("govreport: the bundled corpus is not installed (it ships with the source "
                  "repository, not the wheel); pass the corpus folder: govreport corpus check "
                  "DIR", file=sys.stderr)
            return 2
    else:
        root = Path(args.dir)
        if not root.is_dir():
            print(f"govreport: {root}: no such folder", file=sys.stderr)
            return 2
    if not find_reports(root):
        print(f"govreport: {root}: no report files with a <stem>{EXPECTED_SUFFIX} beside them",
              file=sys.stderr)
        return 2
    if args.update:
        return update_corpus(root)
    results = [check_one(path) for path in find_reports(root)]
    for line in report_lines(results, root):
        print(line)
    return 0 if all(r.ok for r in results) else 1


def add_parser(subparsers: Any) -> None:
    corpus = subparsers.add_parser(
        "corpus", help="check the parser against a corpus of hand-checked reports",
        description="Work with a corpus: report files, each with a sibling "
                    f"<stem>{EXPECTED_SUFFIX} of hand-checked values.")
    sub = corpus.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)
    check = sub.add_parser(
        "check", help="parse every report and compare it with its expected file",
        description="Parse every report under DIR that has a sibling "
                    f"<stem>{EXPECTED_SUFFIX} and compare the two cell by cell; exit 1 if "
                    "any report differs or fails to parse.")
    check.add_argument("dir", nargs="?", metavar="DIR",
                       help="corpus folder (default: the repository's bundled corpus/)")
    check.add_argument("--update", action="store_true",
                       help="rewrite each expected file from the current output, keeping "
                            "its keys, file and notes; print which files changed")
    check.set_defaults(func=cmd_corpus_check)

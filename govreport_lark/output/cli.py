"""``govreport``: parse, check and batch-process annual reports from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence

EPILOG = """examples:
  govreport parse corpus/seeds/002_529dae6be8c784ed.txt
  govreport parse a.txt b.html c.pdf -o reports.jsonl        (JSON Lines, one object per file)
  govreport parse --provenance report.docx                   (input line/page of every cell)
  govreport check draft.txt                                  (findings for people; exit 1 on errors)
  govreport corpus check                                     (the bundled corpus against its expected files)

exit codes: 0 output produced (with or without diagnostics); 1 `check` found errors or
`corpus check` found differences; 2 unreadable input or not an annual report; 3 internal error.
"""


def _emit_error(exc: BaseException, path: str, debug: bool) -> int:
    from govreport_lark.errors import InputError

    if isinstance(exc, InputError):
        print(f"govreport: {exc.path or path}: {exc.message} [{exc.code}]", file=sys.stderr)
        return exc.exit_code
    if debug:
        traceback.print_exception(exc)
    print(
        f"govreport: {path}: internal error ({type(exc).__name__}: {exc}); "
        "rerun with --debug and report it with the file",
        file=sys.stderr,
    )
    return 3


def cmd_parse(args: argparse.Namespace) -> int:
    from govreport_lark.output.emit import report_to_dict
    from govreport_lark.pipeline import parse_file

    status = 0
    outputs = []
    for path in args.files:
        try:
            report = parse_file(path, max_bytes=args.max_bytes)
        except Exception as exc:  # every input gets an answer, never a traceback
            status = max(status, _emit_error(exc, path, args.debug))
            continue
        outputs.append(report_to_dict(report, provenance=args.provenance))
    if len(args.files) == 1 and outputs:
        text = json.dumps(outputs[0], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in outputs)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return status


def _describe(d) -> str:
    where = " ".join(
        part
        for part in (
            f"section {d.section}" if d.section else "",
            f"line {d.line}" if d.line else "",
            f"page {d.page}" if d.page else "",
            f"row {d.row}" if d.row else "",
            f"column {d.column}" if d.column else "",
        )
        if part
    )
    return f"  {d.severity:<7} {d.code:<20} {where}\n          {d.message}"


def cmd_check(args: argparse.Namespace) -> int:
    from govreport_lark.pipeline import parse_file

    status = 0
    for path in args.files:
        try:
            report = parse_file(path, max_bytes=args.max_bytes)
        except Exception as exc:
            status = max(status, _emit_error(exc, path, args.debug))
            continue
        errors = [d for d in report.diagnostics if d.severity == "error"]
        warnings = [d for d in report.diagnostics if d.severity == "warning"]
        shown = [d for d in report.diagnostics if args.verbose or d.severity != "info"]
        print(f"{path}: {report.agency or '?'} {report.year or '?'} (template {report.template}): "
              f"{len(errors)} errors, {len(warnings)} warnings")
        for d in shown:
            print(_describe(d))
        if errors:
            status = max(status, 1)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Parse 政府信息公开工作年度报告 (Chinese government information disclosure "
        "annual reports) into validated JSON.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("files", nargs="+", metavar="FILE", help=".txt .md .html .pdf .docx")
    common.add_argument("--max-bytes", type=int, default=50 * 1024 * 1024,
                        help="refuse files larger than this (default 50 MB)")
    # SUPPRESS: an absent subcommand flag must not overwrite `govreport --debug parse …`.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)

    p = sub.add_parser("parse", parents=[common], help="print the JSON of each report",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--provenance", action="store_true",
                   help="add the input line (and PDF page) of every cell")
    p.set_defaults(func=cmd_parse)

    c = sub.add_parser("check", parents=[common], help="list each report's findings for people")
    c.add_argument("-v", "--verbose", action="store_true", help="also list info findings")
    c.set_defaults(func=cmd_check)

    from govreport_lark.output import corpus, dictionary
    from govreport_lark.output.batch import command

    corpus.add_parser(sub)
    command.add_parser(sub)
    dictionary.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _emit_error(exc, "-", getattr(args, "debug", False))


if __name__ == "__main__":
    sys.exit(main())

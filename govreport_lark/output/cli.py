"""``govreport``: parse, check and batch-process annual reports from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

EPILOG = """examples:
  govreport parse corpus/seeds/002_529dae6be8c784ed.txt
  govreport parse a.txt b.html c.pdf -o reports.jsonl        (JSON Lines, one object per file)
  govreport parse --provenance report.docx                   (input line/page of every cell)
  govreport check draft.txt                                  (findings for people, in Chinese; exit 1 on errors)
  govreport check a.pdf b.docx --html check.html             (also a page with the tables, findings highlighted)
  govreport check --lang en --format json draft.txt          (English; the grouped findings as JSON)
  govreport corpus check                                     (the bundled corpus against its expected files)
  cat report.txt | govreport parse -                         (- reads standard input)

exit codes: 0 output produced (with or without diagnostics); 1 `check` found errors or
`corpus check` found differences; 2 unreadable input, not an annual report, or an output that
cannot be written (permission, read-only, disk full); 3 internal error.
"""


def _emit_error(exc: BaseException, path: str, debug: bool) -> int:
    from govreport_lark.errors import InputError

    if isinstance(exc, InputError):
        print(f"govreport: {exc.path or path}: {exc.message} [{exc.code}]", file=sys.stderr)
        return exc.exit_code
    if debug:
        import traceback

        traceback.print_exception(exc)
    print(
        f"govreport: {path}: internal error ({type(exc).__name__}: {exc}); "
        "rerun with --debug and report it with the file",
        file=sys.stderr,
    )
    return 3


class _Stdin:
    """``-``: standard input, read once (a second ``-`` gives the same bytes)."""

    def __init__(self) -> None:
        self.data: bytes | None = None

    def read(self, max_bytes: int) -> bytes:
        from govreport_lark.errors import InputError

        if self.data is None:
            stream = getattr(sys.stdin, "buffer", None)
            self.data = stream.read(max_bytes + 1) if stream is not None else b""
            if len(self.data) > max_bytes:
                raise InputError("TOO_LARGE", f"standard input is over the limit of {max_bytes:,} "
                                 "bytes; raise it with --max-bytes if this really is one report",
                                 path="-")
        return self.data


def _parse_input(path: str, max_bytes: int, stdin: _Stdin):
    """The report of ``path``; ``-`` is standard input."""
    from govreport_lark.pipeline import parse_bytes, parse_file

    if path == "-":
        return parse_bytes(stdin.read(max_bytes), path="-")
    return parse_file(path, max_bytes=max_bytes)


def _error_record(exc: BaseException, path: str, stdin: _Stdin) -> dict:
    """The record of an input that failed, as ``govreport batch`` writes it."""
    import hashlib

    from govreport_lark.errors import InputError
    from govreport_lark.output.batch.files import sha256_file
    from govreport_lark.output.batch.run import error_record

    if path == "-":
        sha = hashlib.sha256(stdin.data).hexdigest() if stdin.data is not None else None
    else:
        sha = sha256_file(path)
    if isinstance(exc, InputError):
        return error_record(path, sha, exc.code, exc.message)
    return error_record(path, sha, "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}")


def _output_failed(target: str | None, exc: OSError) -> int:
    """An output that cannot be written is the user's to fix: one line naming the file and
    the problem, exit 2."""
    from govreport_lark.output.batch.files import output_error

    name = target if target and target != "-" else "standard output"
    print(f"govreport: {output_error(name, exc)}", file=sys.stderr)
    return 2


def cmd_parse(args: argparse.Namespace) -> int:
    from govreport_lark.output.emit import report_to_dict

    # -o FILE.jsonl: JSON Lines whatever the number of inputs, a failed one as an error record.
    jsonl = bool(args.output) and args.output.lower().endswith(".jsonl")
    handle = sys.stdout
    if args.output and args.output != "-":
        try:  # opened first: an output that cannot be written is known before any parse
            handle = open(args.output, "w", encoding="utf-8")
        except OSError as exc:
            return _output_failed(args.output, exc)
    stdin = _Stdin()
    status = 0
    outputs = []
    for path in args.files:
        try:
            report = _parse_input(path, args.max_bytes, stdin)
        except Exception as exc:  # every input gets an answer, never a traceback
            status = max(status, _emit_error(exc, path, args.debug))
            if jsonl:
                outputs.append(_error_record(exc, path, stdin))
            continue
        outputs.append(report_to_dict(report, provenance=args.provenance))
    if len(args.files) == 1 and outputs and not jsonl:
        text = json.dumps(outputs[0], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in outputs)
    try:
        handle.write(text)
        handle.flush()
        if handle is not sys.stdout:
            handle.close()
    except OSError as exc:
        if handle is not sys.stdout:
            try:
                handle.close()
            except OSError:
                pass  # the same failure, already reported below
        return max(status, _output_failed(args.output, exc))
    return status


COMMANDS = ("parse", "check", "corpus", "batch", "dictionary")


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option (the options
    before it take no value)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``command`` one of ``COMMANDS``, that subcommand alone (so
    `govreport parse` imports neither check, corpus, batch nor the dictionary), with
    anything else every subcommand (help, errors)."""
    whole = command not in COMMANDS
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Parse 政府信息公开工作年度报告 (Chinese government information disclosure "
        "annual reports) into validated JSON.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    from govreport_lark import __version__

    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("files", nargs="+", metavar="FILE",
                        help=".txt .md .html .pdf .docx; - reads standard input")
    common.add_argument("--max-bytes", type=int, default=50 * 1024 * 1024,
                        help="refuse files larger than this (default 50 MB)")
    # SUPPRESS: an absent subcommand flag must not overwrite `govreport --debug parse …`.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)

    if whole or command == "parse":
        p = sub.add_parser("parse", parents=[common], help="print the JSON of each report",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("-o", "--output", metavar="FILE",
                       help="write to this file instead of standard output; a .jsonl file "
                       "gets one line per input, a failed one as an error record")
        p.add_argument("--provenance", action="store_true",
                       help="add the input line (and PDF page) of every cell")
        p.set_defaults(func=cmd_parse)

    if whole or command == "check":
        c = sub.add_parser("check", parents=[common],
                           help="list each report's findings for people",
                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        from govreport_lark.output import check

        check.add_arguments(c)

    if whole or command == "corpus":
        from govreport_lark.output import corpus

        corpus.add_parser(sub)
    if whole or command == "batch":
        from govreport_lark.output.batch import command as batch_command

        batch_command.add_parser(sub)
    if whole or command == "dictionary":
        from govreport_lark.output import dictionary

        dictionary.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; ``argv`` None: the process's own, which ends when this returns
    (or exits, as ``--help`` does)."""
    try:
        return _run(argv)
    finally:
        if argv is None:
            _leave_to_exit()


def _run(argv: Sequence[str] | None) -> int:
    import gc

    # Starting up (the command line, then the pipeline's modules for `parse`) makes tens of
    # thousands of objects and no garbage: on the process's own command line the collector
    # waits until the work starts, and then leaves those objects out of its walks.
    own = argv is None and gc.isenabled()
    if own:
        gc.disable()
    try:
        parser = build_parser(_command(sys.argv[1:] if argv is None else argv))
        args = parser.parse_args(argv)
        if own and getattr(args, "command", None) == "parse":
            import govreport_lark.output.emit
            import govreport_lark.pipeline  # noqa: F401
    finally:
        if own:
            gc.freeze()
            gc.enable()
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _emit_error(exc, f"govreport {args.command}", getattr(args, "debug", False))


def _leave_to_exit() -> None:
    """The process ends next: the objects it holds now (parsers, modules) are left to the
    operating system, not walked again by the interpreter's last garbage collections at
    exit (a sixth of a cold parse).  Every file the command wrote is closed already."""
    import gc

    gc.freeze()


if __name__ == "__main__":
    sys.exit(main())

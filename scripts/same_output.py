#!/usr/bin/env python3
"""Whether a change to the parser changed any output: the whole JSON (with provenance) of a
fixed set of inputs, written at one commit and compared at another.

The inputs are every corpus file, generated reports in every layout (both templates, with
and without blank cells) and ``--fuzz`` inputs drawn as ``scripts/fuzz.py`` draws them
(mutated reports, random text).  An input that fails gives its error's code and message,
so a change in which inputs fail, or how, is a difference too.

    python scripts/same_output.py --write /tmp/before.json      # at the old commit
    python scripts/same_output.py --compare /tmp/before.json    # after the change
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

logging.disable(logging.CRITICAL)

from fuzz import build_seeds, draw  # noqa: E402

from govreport_lark.errors import InputError  # noqa: E402
from govreport_lark.output.emit import report_to_dict  # noqa: E402
from govreport_lark.pipeline import parse_bytes  # noqa: E402


def inputs(generated: int, fuzz: int) -> list[tuple[str, str, bytes]]:
    """(key, file name, bytes) of every input, in a fixed order."""
    try:  # a generated PDF without the time it was made in it, so that a splice is the same
        from reportlab import rl_config

        rl_config.invariant = 1
    except ImportError:
        pass
    seeds = build_seeds(generated)
    out = [(f"seed:{i}:{name}", name, data) for i, (name, data) in enumerate(seeds)]
    for i in range(fuzz):
        name, data = draw(7, i, seeds)
        out.append((f"fuzz:{i}:{name}", name, data))
    return out


def output(name: str, data: bytes) -> str:
    """The JSON of one input, or its error."""
    try:
        report = parse_bytes(data, path=name)
    except InputError as error:
        return f"InputError {error.code}: {error}"
    out = report_to_dict(report, provenance=True)
    out["source"].pop("sha256")  # a generated PDF or Word file holds the time it was made
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write every output's digest here")
    group.add_argument("--compare", type=Path, help="compare with a file --write wrote")
    ap.add_argument("--generated", type=int, default=8, help="generated reports per layout")
    ap.add_argument("--fuzz", type=int, default=3000, help="fuzz inputs")
    ap.add_argument("--keep", action="store_true", help="keep whole outputs, not digests")
    args = ap.parse_args(argv)

    results = {}
    for key, name, data in inputs(args.generated, args.fuzz):
        text = output(name, data)
        results[key] = text if args.keep else hashlib.sha256(text.encode()).hexdigest()
    if args.write:
        args.write.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(results)} outputs written to {args.write}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | results.keys() if before.get(k) != results.get(k))
    for key in differ[:50]:
        print(f"differs: {key}")
    print(f"{len(results)} outputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

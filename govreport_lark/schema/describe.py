"""The JSON Schema's descriptions, written from the data dictionary.

``report.schema.json`` holds the contract's structure; every ``description`` in it but the
document's own is the dictionary's words for that key (``dictionary.tsv``), put there by
``describe()``, so the two cannot drift: ``tests/test_schema.py`` checks the shipped file is
exactly ``describe(strip(file))``.  After editing the dictionary or the structure:

    python -m govreport_lark.schema.describe --write
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from importlib import resources
from typing import Any

from govreport_lark.schema.dictionary import Entry, entries

SCHEMA_FILE = "report.schema.json"


def text(entry: Entry) -> str:
    """One key's description: label, then where the template prints it and its unit, then
    what it means."""
    where = "; ".join(p for p in (entry.item, entry.unit) if p)
    head = " ".join(p for p in (entry.label, f"({where})" if where else "") if p)
    return f"{head}: {entry.meaning}" if head else entry.meaning


def strip(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without descriptions, but for the document's own at the top."""
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items() if k != "description"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out = walk(schema)
    if "description" in schema:
        out = {**out, "description": schema["description"]}
        out = {k: out[k] for k in schema if k in out}  # the document's key order
    return out


def describe(schema: dict[str, Any], rows: list[Entry]) -> tuple[dict[str, Any], list[str]]:
    """The schema with each dictionary key's description at every node that key names, and
    the keys that name no node (list positions of a ``const`` list have none)."""
    out = copy.deepcopy(schema)
    unplaced = []
    for entry in rows:
        nodes = list(_nodes(out, out, entry.key.replace("[]", ".[]").split("."), entry.template))
        for node in nodes:
            node["description"] = text(entry)
        if not nodes:
            unplaced.append(entry.key)
    _drop_unused_defs(out)
    return out, unplaced


def _expand(node: dict[str, Any], root: dict[str, Any], template: str) -> Iterator[dict[str, Any]]:
    """The node, what its ``$ref`` names, and the ``then`` of each ``allOf`` branch that
    holds for the template (a branch on ``template`` holds for its own year only)."""
    yield node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        yield from _expand(root["$defs"][ref[len("#/$defs/"):]], root, template)
    for branch in node.get("allOf", ()):
        const = branch.get("if", {}).get("properties", {}).get("template", {}).get("const")
        if "then" in branch and (const is None or template in ("both", const)):
            yield from _expand(branch["then"], root, template)


def _nodes(node: dict[str, Any], root: dict[str, Any], parts: list[str],
           template: str) -> Iterator[dict[str, Any]]:
    if not parts:
        yield node
        return
    if parts[0].startswith("[") and parts[0] != "[]":
        return  # one position of a list: a const list has no node for it
    for here in _expand(node, root, template):
        if parts[0] == "[]":
            if isinstance(here.get("items"), dict):
                yield from _nodes(here["items"], root, parts[1:], template)
            continue
        props = here.get("properties", {})
        names = list(props) if parts[0] == "*" else [
            ".".join(parts[:n]) for n in range(len(parts), 0, -1)]  # "denied.state_secret"
        for name in names:
            if name not in props:
                continue
            width = 1 if parts[0] == "*" else name.count(".") + 1
            child = props[name]
            if width < len(parts):
                child = props[name] = _own(child, root)
            yield from _nodes(child, root, parts[width:], template)


def _own(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """A property's node to describe inside: the definition it names, copied in where other
    properties name it too (their descriptions differ)."""
    ref = node.get("$ref")
    if not (isinstance(ref, str) and ref.startswith("#/$defs/")):
        return node
    if _uses(root, ref) < 2:
        return node
    return {**copy.deepcopy(root["$defs"][ref[len("#/$defs/"):]]),
            **{k: v for k, v in node.items() if k != "$ref"}}


def _uses(node: Any, ref: str) -> int:
    if isinstance(node, dict):
        return (node.get("$ref") == ref) + sum(_uses(v, ref) for v in node.values())
    if isinstance(node, list):
        return sum(_uses(v, ref) for v in node)
    return 0


def _drop_unused_defs(schema: dict[str, Any]) -> None:
    defs = schema.get("$defs", {})
    while unused := [n for n in defs if _uses(schema, f"#/$defs/{n}") == 0]:
        for name in unused:
            del defs[name]


def shipped() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(
        encoding="utf-8"))


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govreport_lark.schema.describe",
                                     description="write the schema's descriptions from the "
                                     "data dictionary")
    parser.add_argument("--write", action="store_true",
                        help="rewrite report.schema.json in place (else print it)")
    args = parser.parse_args(argv)
    schema, _ = describe(strip(shipped()), entries())
    if args.write:
        path = resources.files(__package__).joinpath(SCHEMA_FILE)
        with open(str(path), "w", encoding="utf-8") as f:
            f.write(dumps(schema))
    else:
        sys.stdout.write(dumps(schema))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The JSON Schema of ``report_to_dict``'s output (the output contract, ``govreport/1``).

``load_schema()`` reads ``report.schema.json`` (package data); ``validate_output(obj)`` checks an
object against it and returns the problems found, one string each, empty when it conforms.  It
uses ``jsonschema`` when installed and otherwise a small built-in checker of the keywords the
schema uses, so the check never needs an extra and never raises.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["SCHEMA_FILE", "load_schema", "validate_output"]

SCHEMA_FILE = "report.schema.json"


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a fresh dict (draft 2020-12)."""
    return json.loads(_schema_text())


def validate_output(obj: Any) -> list[str]:
    """Problems of ``obj`` against the schema as ``"<json path>: <problem>"``; ``[]`` if valid.

    Besides the schema, every number must be finite: ``json.dumps`` writes ``NaN`` and
    ``Infinity`` for them, which no strict JSON reader accepts (a schema cannot say so).
    """
    schema = load_schema()
    problems = [
        f"{where}: {value!r} is not a JSON number (NaN and Infinity are not JSON)"
        for where, value in _non_finite(obj, "$")
    ]
    try:
        import jsonschema
    except ImportError:
        return problems + _builtin_check(obj, schema)
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(f"{_path(error.absolute_path)}: {error.message}")
    return problems


def _non_finite(value: Any, where: str) -> list[tuple[str, float]]:
    if isinstance(value, float):
        return [] if math.isfinite(value) else [(where, value)]
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _non_finite(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in _non_finite(v, f"{where}[{i}]")]
    return []


def _path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


# --------------------------------------------------------------- built-in checker
# Enough of draft 2020-12 for report.schema.json: $ref (local), type, const, enum, required,
# properties, additionalProperties, items, minItems, maxItems, minLength, minimum, pattern,
# maxProperties, contains, anyOf, allOf, if/then/else.  Unknown keywords are ignored.

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0 but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )


def _builtin_check(obj: Any, schema: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    try:
        _check(obj, schema, schema, "$", problems)
    except Exception as exc:  # a checker bug must not hide the object's problems as a crash
        problems.append(f"$: the built-in schema check failed ({type(exc).__name__}: {exc})")
    return problems


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref is supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _check(value: Any, schema: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if schema is True:
        return
    if schema is False:
        out.append(f"{path}: not allowed here")
        return
    if "$ref" in schema:
        _check(value, _resolve(schema["$ref"], root), root, path, out)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            out.append(f"{path}: {value!r:.60} is not of type {' or '.join(types)}")
            return
    if "const" in schema and not _equal(value, schema["const"]):
        out.append(f"{path}: {value!r:.60} is not {schema['const']!r}")
    if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
        out.append(f"{path}: {value!r:.60} is not one of {schema['enum']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{path}: {value!r} is too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: {value!r:.60} does not match {schema['pattern']!r}")
    if _TYPES["number"](value) and "minimum" in schema and value < schema["minimum"]:
        out.append(f"{path}: {value!r} is less than the minimum of {schema['minimum']}")
    if isinstance(value, dict):
        _check_object(value, schema, root, path, out)
    if isinstance(value, list):
        _check_array(value, schema, root, path, out)
    for sub in schema.get("allOf", ()):
        _check(value, sub, root, path, out)
    if "anyOf" in schema and not any(_valid(value, s, root) for s in schema["anyOf"]):
        out.append(f"{path}: matches none of the allowed shapes")
    if "if" in schema:
        branch = "then" if _valid(value, schema["if"], root) else "else"
        if branch in schema:
            _check(value, schema[branch], root, path, out)


def _valid(value: Any, schema: Any, root: dict[str, Any]) -> bool:
    found: list[str] = []
    _check(value, schema, root, "$", found)
    return not found


def _check_object(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any],
                  path: str, out: list[str]) -> None:
    for key in schema.get("required", ()):
        if key not in value:
            out.append(f"{path}: {key!r} is a required property")
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        out.append(f"{path}: has more than {schema['maxProperties']} properties")
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        where = f"{path}.{key}"
        if key in props:
            _check(item, props[key], root, where, out)
        elif extra is False:
            out.append(f"{path}: additional property {key!r} is not allowed")
        elif extra is not True:
            _check(item, extra, root, where, out)


def _check_array(value: list[Any], schema: dict[str, Any], root: dict[str, Any],
                 path: str, out: list[str]) -> None:
    if len(value) < schema.get("minItems", 0):
        out.append(f"{path}: has {len(value)} items, fewer than {schema['minItems']}")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        out.append(f"{path}: has {len(value)} items, more than {schema['maxItems']}")
    if "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], root, f"{path}[{i}]", out)
    if "contains" in schema and not any(_valid(item, schema["contains"], root) for item in value):
        out.append(f"{path}: contains no item of the required shape")

"""Validate request entities against their JSON Schema and phrase each failure the way LinkedIn does:
``ERROR :: /<field> :: <reason>`` (https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/create-jobs,
error table).

Two validators share each schema: ``jsonschema_rs`` answers "is this valid?" on the hot path (it is an order of
magnitude faster, which is what keeps bulk sync calls cheap), and the ``jsonschema`` package is authoritative:
it finds and words the errors whenever the fast check says no, so a document is refused only when
``jsonschema`` itself reports an error. ``jsonschema`` is imported on the first refusal, not at start-up (it is
a fifth of ``rsc-mock serve``'s import time and only ever words errors).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs

from mock_server import schemas
from mock_server.restli.errors import RestliError, shown

if TYPE_CHECKING:
    import jsonschema
    import jsonschema.protocols

_TYPE_NAMES = {"integer": "Long", "string": "String", "boolean": "Boolean", "number": "Double",
               "array": "Array", "object": "Record"}


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A cached validator for schema ``name``."""
    import jsonschema

    schema = schemas.load(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER, registry=schemas.registry())


SCHEMA_BASE = "https://rsc-mock.invalid/schemas/"


@functools.cache
def fast_registry() -> jsonschema_rs.Registry:
    """The ``jsonschema_rs`` registry of every schema (under :data:`SCHEMA_BASE`), built once for all of
    :func:`fast_validator`'s validators."""
    return jsonschema_rs.Registry([(SCHEMA_BASE + f"{name}.json", schemas.load(name)) for name in schemas.names()])


@functools.cache
def fast_validator(name: str) -> jsonschema_rs.Validator:
    """A cached ``jsonschema_rs`` validator for schema ``name`` (every format checked, so it is never more
    lenient than :func:`validator`)."""
    return jsonschema_rs.validator_for(schemas.load(name), registry=fast_registry(),
                                       base_uri=SCHEMA_BASE + f"{name}.json", validate_formats=True)


def pointer(path: Iterable[str | int]) -> str:
    """A JSON pointer ``/a/0/b`` for a jsonschema error path."""
    return "/" + "/".join(str(part) for part in path)


def describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """``(pointer, reason)`` for one jsonschema error, in LinkedIn's wording where it has one: the pointer names
    the field (for an unrecognized field, that field), the reason the limit broken and at most a short JSON
    excerpt of the value (:func:`~mock_server.restli.errors.shown`), never jsonschema's own message (Python's
    ``repr`` of the whole value)."""
    where: list[str | int] = list(error.absolute_path)
    kind, limit, value = str(error.validator), cast(Any, error.validator_value), cast(Any, error.instance)
    declared: Any = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    if kind == "required":
        # jsonschema reports each missing name as its own error, spelled only in the message: "'<name>' is a …"
        missing = str(ast.literal_eval(error.message.rsplit(" is a required property", 1)[0]))
        return pointer(where + [missing]), "field is required but not found and has no default value"
    if kind == "type":
        expected = str(limit[0] if isinstance(limit, list) else limit)  # a type name, or a list of them
        return pointer(where), f"{shown(value)} cannot be coerced to {_TYPE_NAMES.get(expected, expected)}"
    if kind in ("minimum", "maximum") and limit in (schemas.LONG_MIN, schemas.LONG_MAX):
        return pointer(where), f"{shown(value)} cannot be coerced to Long (a signed 64-bit integer)"
    if kind == "enum":
        return pointer(where), f"{shown(value)} is not an enum symbol"
    if kind == "additionalProperties":
        extra = [name for name in value if name not in declared] or list(value)
        others = f" (also unrecognized: {', '.join('/' + name for name in extra[1:])})" if len(extra) > 1 else ""
        return pointer(where + [extra[0]]), f"unrecognized field found but not allowed{others}"
    if kind == "minLength" and limit == 1:
        return pointer(where), "must not be empty"
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    return pointer(where), custom or _reason(kind, limit, value)


def _reason(kind: str, limit: Any, value: Any) -> str:
    """The reason a value broke keyword ``kind`` (with ``limit``, the keyword's value), naming the limit."""
    size = len(value) if isinstance(value, (str, list, dict)) else 0
    reasons = {
        "minLength": f"must be at least {limit} characters long, got {size}: {shown(value)}",
        "maxLength": f"must be at most {limit} characters long, got {size}: {shown(value)}",
        "pattern": f"{shown(value)} does not match the pattern {limit}",
        "format": f"{shown(value)} is not a valid {limit}",
        "minimum": f"must be at least {limit}, got {shown(value)}",
        "maximum": f"must be at most {limit}, got {shown(value)}",
        "exclusiveMinimum": f"must be greater than {limit}, got {shown(value)}",
        "exclusiveMaximum": f"must be less than {limit}, got {shown(value)}",
        "minItems": f"must have at least {limit} items, got {size}",
        "maxItems": f"must have at most {limit} items, got {size}",
        "uniqueItems": "must not repeat an item",
        "minProperties": f"must have at least {limit} fields, got {size}",
        "maxProperties": f"must have at most {limit} fields, got {size}",
        "const": f"must be {shown(limit)}, got {shown(value)}",
        "not": f"{shown(value)} is not allowed here",
    }
    return reasons.get(kind, f"{shown(value)} is not valid here (schema keyword {kind})")


def errors(name: str, document: Any) -> list[tuple[str, str]]:
    """Every ``(pointer, reason)`` of ``document`` against schema ``name``, in a stable order."""
    if fast_validator(name).is_valid(document):
        return []
    found = sorted(validator(name).iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    return [describe(error) for error in found]


def check(name: str, document: Any, status: int = 422) -> None:
    """Raise :class:`RestliError` (``status``, default 422) for the first schema violation of ``document``;
    the message is ``ERROR :: /<field> :: <reason>`` (all violations, one per line, as LinkedIn does)."""
    found = errors(name, document)
    if found:
        raise RestliError(status, "\n".join(f"ERROR :: {where} :: {reason}" for where, reason in found))

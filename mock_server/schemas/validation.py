"""Validate request entities against their JSON Schema and phrase each failure the way LinkedIn does:
``ERROR :: /<field> :: <reason>`` (https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/create-jobs,
error table).

Two validators share each schema: ``jsonschema_rs`` answers "is this valid?" on the hot path (it is an order of
magnitude faster, which is what keeps bulk sync calls cheap), and the ``jsonschema`` package is authoritative:
it finds and words the errors whenever the fast check says no, so a document is refused only when
``jsonschema`` itself reports an error.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

import jsonschema
import jsonschema_rs

from mock_server import schemas
from mock_server.restli.errors import RestliError

_TYPE_NAMES = {"integer": "Long", "string": "String", "boolean": "Boolean", "number": "Double",
               "array": "Array", "object": "Record"}


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A cached validator for schema ``name``."""
    schema = schemas.load(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER, registry=schemas.registry())


SCHEMA_BASE = "https://rsc-mock.invalid/schemas/"


@functools.cache
def fast_validator(name: str) -> jsonschema_rs.Validator:
    """A cached ``jsonschema_rs`` validator for schema ``name`` (every format checked, so it is never more
    lenient than :func:`validator`)."""
    resources = [(SCHEMA_BASE + f"{other}.json", schemas.load(other)) for other in schemas.names()]
    registry = jsonschema_rs.Registry(resources)
    return jsonschema_rs.validator_for(schemas.load(name), registry=registry, base_uri=SCHEMA_BASE + f"{name}.json",
                                       validate_formats=True)


def pointer(path: Iterable[str | int]) -> str:
    """A JSON pointer ``/a/0/b`` for a jsonschema error path."""
    return "/" + "/".join(str(part) for part in path)


def describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """``(pointer, reason)`` for one jsonschema error, in LinkedIn's wording where it has one."""
    where: list[str | int] = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return pointer(where + [missing]), "field is required but not found and has no default value"
    if error.validator == "type":
        declared = error.validator_value  # a type name, or a list of them
        expected = str(declared[0] if isinstance(declared, list) else declared)
        type_name = _TYPE_NAMES.get(expected, expected)
        return pointer(where), f"{json.dumps(error.instance)} cannot be coerced to {type_name}"
    if error.validator in ("minimum", "maximum") and error.validator_value in (schemas.LONG_MIN, schemas.LONG_MAX):
        return pointer(where), f"{json.dumps(error.instance)} cannot be coerced to Long (a signed 64-bit integer)"
    if error.validator == "enum":
        return pointer(where), f"{json.dumps(error.instance)} is not an enum symbol"
    if error.validator == "additionalProperties":
        return pointer(where), f"unrecognized field(s): {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "minLength" and error.validator_value == 1:
        return pointer(where), "must not be empty"
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    return pointer(where), custom or error.message


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

"""Every table the emulator keeps in its store, and the check a snapshot's tables pass before an import replaces
the state (``PUT /_mock/snapshot``, ``rsc-mock snapshot import``), so that nothing imported can break a later
call or reset.

Each table is declared once, as a :class:`~mock_server.store.spec.TableSpec`, by the domain module that owns
it, which lists its specs in ``TABLES``; :data:`ALL_TABLES` gathers them from every module of
:mod:`mock_server.domain`, so a new table is known as soon as its owner declares it. A snapshot naming any other
table is refused. The documents of the tables the emulator has a shape for are checked too:

* fixture tables (``applications``, ``members``, ``seats``, …; :data:`mock_server.domain.fixtures.KINDS`): each document
  against the items of ``schemas/fixture.<kind>.json``, stored under the key the fixture loader gives it;
* ``tokens``: the fields of :class:`mock_server.domain.tokens.Token` with their types, stored under its ``value``.

The other tables (notifications, synced records, counters, …) hold the emulator's own bookkeeping; their
documents only have to be JSON objects (:mod:`mock_server.store.snapshot`).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import types
import typing
from typing import Any

from mock_server import domain
from mock_server.domain.fixtures import KINDS
from mock_server.domain.tokens import TOKENS, Token
from mock_server.restli.errors import json_type_names, shown
from mock_server.schemas import validation
from mock_server.store.snapshot import Tables
from mock_server.store.spec import TableSpec


def owned_tables() -> tuple[TableSpec, ...]:
    """The ``TABLES`` of every other module of :mod:`mock_server.domain` (sub-packages included), in module
    order."""
    found: list[TableSpec] = []
    for module in pkgutil.walk_packages(domain.__path__, domain.__name__ + "."):
        if module.name != __name__:
            found += getattr(importlib.import_module(module.name), "TABLES", ())
    return tuple(found)


ALL_TABLES = owned_tables()
"""Every table the emulator uses, each declared once by its owner."""
KNOWN_TABLES = frozenset(spec.name for spec in ALL_TABLES)
"""The name of every table the emulator uses."""


def check_tables(tables: Tables) -> None:
    """Raise ``ValueError`` naming the table (and key and field) of the first problem in ``tables``
    (``{table: {key: document}}``, already checked to be JSON objects): an unknown table, or a document of a
    fixture table or of ``tokens`` that the emulator could not read (see the module docstring)."""
    unknown = sorted(set(tables) - KNOWN_TABLES)
    if unknown:
        raise ValueError(f"table {shown(unknown[0])} is not a table of the emulator"
                         f" (known: {', '.join(sorted(KNOWN_TABLES))})")
    for kind, (spec, key_of) in KINDS.items():
        table = spec.name
        rows = list(tables.get(table, {}).items())
        found = validation.errors(f"fixture.{kind}", [doc for _, doc in rows])
        if found:
            where, reason = found[0]
            index, _, field = where[1:].partition("/")
            raise ValueError(f"table {shown(table)}, key {shown(rows[int(index)][0])}: /{field} :: {reason}")
        for key, doc in rows:
            if key_of(doc) != key:
                raise ValueError(f"table {shown(table)}, key {shown(key)}: the document belongs under"
                                 f" {shown(key_of(doc))}")
    for key, doc in tables.get(TOKENS.name, {}).items():
        problem = record_problem(Token, doc)
        if problem is None and doc["value"] != key:
            problem = f"the token belongs under its value {shown(doc['value'])}"
        if problem is not None:
            raise ValueError(f"table {shown(TOKENS.name)}, key {shown(key)}: {problem}")


def record_problem(cls: type, doc: dict[str, Any]) -> str | None:
    """Why ``cls(**doc)`` would not be a well-typed instance of dataclass ``cls`` (a field unknown, missing
    without a default, or of another type than annotated), or None."""
    fields = {field.name: field for field in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    unknown = sorted(set(doc) - set(fields))
    if unknown:
        return f"/{unknown[0]} :: unknown field (known: {', '.join(fields)})"
    for name, field in fields.items():
        if name not in doc:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                return f"/{name} :: field is required but not found and has no default value"
        elif not has_type(doc[name], hints[name]):
            return f"/{name} :: {shown(doc[name])} is not of type {json_type_names(hints[name])}"
    return None


def has_type(value: object, hint: Any) -> bool:
    """True when JSON ``value`` is of the annotated type ``hint`` (a class, or a union of classes and None);
    a bool is not an int here."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    return any(value is None if option is type(None) else
               isinstance(value, option) and not (option is not bool and isinstance(value, bool))
               for option in options)

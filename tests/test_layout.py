"""The layout holds: tables are opened only through the TableSpec their owner declares, each table is declared
once, and the domain imports nothing above it (no Starlette, no ``api``, no ``harness``)."""

from __future__ import annotations

import ast
from pathlib import Path

import mock_server
from mock_server.domain.tables import ALL_TABLES, KNOWN_TABLES

PACKAGE = Path(mock_server.__file__).resolve().parent


def sources(under: Path):
    """Every Python file under ``under`` with its text."""
    for path in sorted(under.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_tables_are_opened_only_through_their_spec():
    offenders = [f"{path.relative_to(PACKAGE)}:{number}" for path, text in sources(PACKAGE)
                 if path.parent.name != "store" for number, line in enumerate(text.splitlines(), 1)
                 if ".table(" in line]
    assert offenders == [], "open tables with TableSpec.of(store), declared by the owning domain module"


def test_every_table_is_declared_once():
    names = [spec.name for spec in ALL_TABLES]
    assert sorted(names) == sorted(KNOWN_TABLES), "a table name is declared twice"
    assert {"candidates", "inbox", "authorizationCodes", "counters", "contracts"} <= KNOWN_TABLES


def imported_modules(text: str) -> set[str]:
    """Absolute names of the modules a source file imports."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "the domain imports absolutely"
            found.add(node.module)
    return found


def test_the_domain_imports_nothing_above_it():
    forbidden = ("starlette", "mock_server.api", "mock_server.harness", "mock_server.tools", "mock_server.app",
                 "mock_server.emulator", "mock_server.testing")
    offenders = [(str(path.relative_to(PACKAGE)), name) for path, text in sources(PACKAGE / "domain")
                 for name in sorted(imported_modules(text))
                 if any(name == top or name.startswith(top + ".") for top in forbidden)]
    assert offenders == []

"""The request journal as the dashboard shows it: the newest entries matching the filters of ``GET
/_mock/requests`` (same names, same checks: :data:`mock_server.harness.criteria.REQUEST_CRITERIA`), one entry with
its headers and bodies, the fault rule that answered it, and the request as a ``curl`` command.
"""

from __future__ import annotations

from mock_server.dashboard.curl import curl_command
from mock_server.harness.criteria import REQUEST_CRITERIA

FILTERS = tuple(name for name in REQUEST_CRITERIA.criteria if name != "since")
SHOWN = 100


def read_filters(params) -> tuple[dict, dict]:
    """``(filters as given, parsed criteria)`` from query parameters (only :data:`FILTERS`, empty ones
    dropped); raises the admin API's ``RestliError`` 400 naming a bad one."""
    given = {name: params.get(name, "").strip() for name in FILTERS if params.get(name, "").strip()}
    return given, REQUEST_CRITERIA.subset(*FILTERS).parse(given, "/query")


def newest(world, criteria: dict, limit: int = SHOWN) -> list[dict]:
    """The newest ``limit`` entries matching ``criteria``, newest first."""
    return world.journal.query(criteria, limit)[::-1]


def newer(world, criteria: dict, seq: int) -> tuple[list[dict], int]:
    """``(entries after seq matching criteria, newest first; the last seq seen)``."""
    entries = world.journal.after(seq)
    last = entries[-1]["seq"] if entries else seq
    return [entry for entry in entries if REQUEST_CRITERIA.matches(entry, criteria)][::-1], last


def entry_by_id(world, request_id: str) -> dict | None:
    """The journal entry with request id ``request_id``, or None (never journaled, or evicted)."""
    return next((entry for entry in world.journal.query() if entry["id"] == request_id), None)


def fault_rule(world, rule_id: str | None) -> dict | None:
    """The fault rule ``rule_id`` as ``GET /_mock/faults`` lists it, if it still exists."""
    return next((rule.view() for rule in world.faults.all() if rule.id == rule_id), None) if rule_id else None


def entry_curl(entry: dict, base_url: str) -> str:
    """The journaled request as a ``curl`` command against ``base_url`` (a masked token becomes
    ``$RSC_TOKEN``)."""
    url = base_url.rstrip("/") + entry["path"] + (f"?{entry['query']}" if entry.get("query") else "")
    return curl_command(entry["method"], url, entry["request"].get("headers", {}), entry["request"].get("body"))

"""Persistent id counters: every number the emulator hands out (developer applications, organizations,
contracts, job postings, exports, notifications, prospect notes, stub profiles, inbox entries) comes from one
named counter, so ids never repeat, across restarts too when there is a data dir.

Table ``counters``: ``"<counter name>" -> {"next": int}`` (the number the next call returns).
"""

from __future__ import annotations

from mock_server.store import Store
from mock_server.store.spec import TableSpec

COUNTERS = TableSpec("counters")
TABLES = (COUNTERS,)


class Counters:
    """The counters of one store."""

    def __init__(self, store: Store) -> None:
        self.rows = COUNTERS.of(store)

    def next_number(self, name: str, first: int) -> int:
        """A fresh number from counter ``name`` (``first`` the first time)."""
        doc = self.rows.get(name) or {"next": first}
        number: int = doc["next"]
        self.rows.put(name, {"next": number + 1})
        return number

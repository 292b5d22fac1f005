"""Callback inboxes: named receivers (``/_mock/inbox/{name}``) that record every request sent to them, so a test
can point a CALLBACK_URL at the emulator itself and read what LinkedIn would have pushed.

Table ``inbox``, indexed by ``inbox``: ``"<name>/<9-digit number>" -> {"inbox": name, "method", "path",
"query", "headers": {name: value}, "receivedAt": epoch ms, "body": text | "bodyBase64": base64 of a body that
is not UTF-8}``. Numbers come from the ``inbox`` counter, so entries list in the order they arrived.
"""

from __future__ import annotations

import base64
from typing import Any

from mock_server.domain.counters import Counters
from mock_server.store import Store
from mock_server.store.spec import TableSpec

INBOX = TableSpec("inbox", ("inbox",))
TABLES = (INBOX,)


class Inboxes:
    """The inboxes of ``store``; entry numbers come from ``counters``. The table is opened on first use."""

    def __init__(self, store: Store, counters: Counters) -> None:
        self.store, self.counters = store, counters

    def received(self, name: str) -> list[dict[str, Any]]:
        """What inbox ``name`` received, oldest first."""
        return [doc for _, doc in INBOX.of(self.store).find(inbox=name)]

    def clear(self, name: str) -> None:
        """Forget what inbox ``name`` received."""
        rows = INBOX.of(self.store)
        rows.delete_many([key for key, _ in rows.find(inbox=name)])

    def record(self, name: str, method: str, path: str, query: str, headers: dict[str, Any], body: bytes,
               now_ms: int) -> dict[str, Any]:
        """Record one request received by inbox ``name`` at ``now_ms``; returns the entry."""
        entry = {"inbox": name, "method": method, "path": path, "query": query, "headers": headers,
                 "receivedAt": now_ms}
        try:
            entry["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            entry["bodyBase64"] = base64.b64encode(body).decode()
        INBOX.of(self.store).put(f"{name}/{self.counters.next_number('inbox', 1):09d}", entry)
        return entry

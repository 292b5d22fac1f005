"""The request journal: the last requests and their replies, queryable, clearable, and awaitable.

An entry (a JSON-able dict, recorded by :class:`mock_server.harness.middleware.RecordingMiddleware`)::

    {"id": request id (also the X-Request-Id / X-LI-UUID reply headers), "seq": 1, 2, …,
     "at": arrival, epoch ms on the emulator's clock, "method", "path", "query",
     "resource", "restliMethod", "application", "clientId",
     "status": int (None when the connection was dropped), "latencyMs": float,
     "fault": id of the fault rule that answered or None, "dropped": bool,
     "request": {"headers": {...} (secrets masked), "body": str, "bodyBytes": int, "bodyTruncated": bool},
     "response": {"headers": {...}, "body": str, "bodyBytes": int, "bodyTruncated": bool}}

Request headers hide ``Authorization`` and cookies, request forms their ``client_secret``/``refresh_token``/
``code`` (last four characters shown); reply bodies are recorded as sent. The journal keeps at most
``capacity`` entries and ``max_body_bytes`` of bodies (the oldest go first).
:meth:`RequestJournal.wait` suspends until enough entries match: every :meth:`record` checks the waiting
criteria and wakes the waiters it completes (futures, no polling).
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import itertools
import threading

from mock_server.harness.criteria import REQUEST_CRITERIA

DEFAULT_CAPACITY = 10_000
DEFAULT_MAX_BODY_BYTES = 64 << 20


@dataclasses.dataclass
class _Waiter:
    criteria: dict
    count: int
    found: list
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop


class RequestJournal:
    """Bounded, thread-safe list of journal entries (see the module docstring), oldest first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.capacity = capacity
        self.max_body_bytes = max_body_bytes
        self._entries: collections.deque[dict] = collections.deque()
        self._body_bytes = 0
        self._seq = 0
        self._waiters: list[_Waiter] = []
        self._lock = threading.Lock()

    def record(self, entry: dict) -> dict:
        """Append ``entry`` (numbering it with ``seq``), evict the oldest past the bounds, wake waiters."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
            self._body_bytes += _body_size(entry)
            while len(self._entries) > self.capacity or (self._body_bytes > self.max_body_bytes
                                                           and len(self._entries) > 1):
                self._body_bytes -= _body_size(self._entries.popleft())
            for waiter in list(self._waiters):
                if REQUEST_CRITERIA.matches(entry, waiter.criteria):
                    waiter.found.append(entry)
                    if len(waiter.found) >= waiter.count:
                        self._waiters.remove(waiter)
                        waiter.loop.call_soon_threadsafe(_resolve, waiter.future)
        return entry

    def query(self, criteria: dict | None = None, limit: int | None = None) -> list[dict]:
        """Entries matching ``criteria`` (checked :data:`~mock_server.harness.criteria.REQUEST_CRITERIA`), oldest
        first; with ``limit`` only the newest ``limit`` of them."""
        with self._lock:
            found = [entry for entry in self._entries if REQUEST_CRITERIA.matches(entry, criteria or {})]
        return found[-limit:] if limit else found

    def after(self, seq: int) -> list[dict]:
        """Entries numbered after ``seq`` (the ``seq`` of an entry seen before; 0 for all), oldest first."""
        with self._lock:
            newer = list(itertools.takewhile(lambda entry: entry["seq"] > seq, reversed(self._entries)))
        return newer[::-1]

    async def wait_after(self, seq: int, timeout: float) -> bool:
        """Wait until an entry numbered after ``seq`` is journaled (True at once when one is), at most
        ``timeout`` seconds (then False). Woken by :meth:`record`, never polls."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._entries and self._entries[-1]["seq"] > seq:
                return True
            waiter = _Waiter({}, 1, [], loop.create_future(), loop)
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def clear(self) -> None:
        """Forget every entry (waiters keep waiting for new ones)."""
        with self._lock:
            self._entries.clear()
            self._body_bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def wait(self, criteria: dict, count: int, timeout: float) -> tuple[bool, list[dict]]:
        """Wait until ``count`` entries (already journaled or new) match ``criteria``, at most ``timeout``
        seconds. Returns ``(True, the matching entries)`` or, on timeout, ``(False, those seen so far)``."""
        loop = asyncio.get_running_loop()
        with self._lock:
            found = [entry for entry in self._entries if REQUEST_CRITERIA.matches(entry, criteria)]
            if len(found) >= count:
                return True, found
            waiter = _Waiter(criteria, count, found, loop.create_future(), loop)
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), timeout)
            return True, waiter.found
        except asyncio.TimeoutError:
            return False, list(waiter.found)
        finally:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _body_size(entry: dict) -> int:
    return sum(len(entry.get(part, {}).get("body", "")) for part in ("request", "response"))

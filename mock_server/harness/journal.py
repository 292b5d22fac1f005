"""The request journal: the last requests and their replies, queryable, clearable, and awaitable.

An entry (a JSON-able dict, recorded by :class:`mock_server.harness.middleware.RecordingMiddleware`)::

    {"id": request id (also the X-Request-Id / X-LI-UUID reply headers), "seq": 1, 2, …,
     "at": arrival, epoch ms on the emulator's clock, "method", "path", "query",
     "resource", "restliMethod", "application", "clientId",
     "queryTruncated": bool, "status": int (None when the connection was dropped by a fault rule, 499 when the
     client closed it before sending its whole body), "latencyMs": float,
     "fault": id of the fault rule that answered or None, "dropped": bool,
     "advisories": [{"code", "message", "source"}] (see :mod:`mock_server.advisories`),
     "request": {"headers": {...}, "headersTruncated": bool, "body": str, "bodyBytes": int, "bodyTruncated": bool},
     "response": {"headers": {...}, "headersTruncated": bool, "body": str, "bodyBytes": int,
                  "bodyTruncated": bool}}

Every part is bounded and has its secrets masked before it is recorded (:mod:`mock_server.harness.middleware`,
:mod:`mock_server.harness.masking`). The journal keeps at most ``capacity`` entries and ``max_bytes`` of their
text (bodies, query strings, headers; the oldest go first). :meth:`RequestJournal.page` reads it a page at a
time, each page at most :data:`MAX_PAGE` entries and about :data:`PAGE_BYTES` of text.
:meth:`RequestJournal.wait` suspends until enough entries match: every :meth:`record` checks the waiting
criteria and wakes the waiters it completes (futures, no polling).

Memory: only the newest :data:`PLAIN_WINDOW` entries are kept as recorded; older ones are kept in the compact
form of :mod:`mock_server.harness.journal_packing` (~1 KB an entry rather than its bodies and ~5 KB of fields),
unpacked whenever read: every reader sees each entry exactly as recorded, and the bounds count the text as
recorded, so what the journal keeps and shows is unchanged.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import itertools
import threading

from mock_server.harness.criteria import REQUEST_CRITERIA
from mock_server.harness.journal_packing import EntryPacker, is_record, packed_size, unpacked

DEFAULT_CAPACITY = 10_000
DEFAULT_MAX_BYTES = 64 << 20
DEFAULT_PAGE = 100
MAX_PAGE = 1000
PAGE_BYTES = 4 << 20
ENTRY_OVERHEAD = 512  # the fixed fields of an entry, counted once per entry in the text sizes
PLAIN_WINDOW = 256  # the newest entries, kept as recorded (the ones read most)


@dataclasses.dataclass
class Page:
    """One page of the journal: ``entries`` (oldest first) and ``next``: the ``seq`` to read the next page after
    (None when no later entry matches)."""

    entries: list[dict]
    next: int | None


@dataclasses.dataclass
class _Waiter:
    criteria: dict
    count: int
    found: list
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop


class RequestJournal:
    """Bounded, thread-safe list of journal entries (see the module docstring), oldest first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self._entries: collections.deque[dict] = collections.deque()
        self._bytes = 0
        self._seq = 0
        self._waiters: list[_Waiter] = []
        self._lock = threading.Lock()
        self._packer = EntryPacker()

    def record(self, entry: dict) -> dict:
        """Append ``entry`` (numbering it with ``seq``), evict the oldest past the bounds, wake waiters."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
            self._bytes += entry_size(entry)
            while len(self._entries) > self.capacity or (self._bytes > self.max_bytes and len(self._entries) > 1):
                self._bytes -= entry_size(self._entries.popleft())
            if len(self._entries) > PLAIN_WINDOW:
                aged = self._entries[-PLAIN_WINDOW - 1]
                self._entries[-PLAIN_WINDOW - 1] = self._packer.record(aged, entry_size(aged))
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
        return [unpacked(entry) for entry in (found[-limit:] if limit else found)]

    def page(self, criteria: dict | None = None, after: int = 0, limit: int = DEFAULT_PAGE,
             max_bytes: int = PAGE_BYTES) -> Page:
        """The entries matching ``criteria`` whose ``seq`` is above ``after``, oldest first: at most ``limit`` of
        them and, past the first, no more than ``max_bytes`` of text (:func:`entry_size`). The scan stops at the
        first match past the page."""
        found: list[dict] = []
        with self._lock:
            for entry in self._entries:
                if entry["seq"] > after and REQUEST_CRITERIA.matches(entry, criteria or {}):
                    found.append(entry)
                    if len(found) > limit:
                        break
        kept = within_bytes(found[:limit], max_bytes)
        return Page([unpacked(entry) for entry in kept], kept[-1]["seq"] if len(kept) < len(found) else None)

    def after(self, seq: int) -> list[dict]:
        """Entries numbered after ``seq`` (the ``seq`` of an entry seen before; 0 for all), oldest first."""
        with self._lock:
            newer = list(itertools.takewhile(lambda entry: entry["seq"] > seq, reversed(self._entries)))
        return [unpacked(entry) for entry in reversed(newer)]

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
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def wait(self, criteria: dict, count: int, timeout: float) -> tuple[bool, list[dict]]:
        """Wait until ``count`` entries (already journaled or new) match ``criteria``, at most ``timeout``
        seconds. Returns ``(True, the matching entries)`` or, on timeout, ``(False, those seen so far)``."""
        loop = asyncio.get_running_loop()
        with self._lock:
            found = [unpacked(entry) for entry in self._entries if REQUEST_CRITERIA.matches(entry, criteria)]
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


def within_bytes(entries: list[dict], max_bytes: int = PAGE_BYTES) -> list[dict]:
    """The first of ``entries`` whose text (:func:`entry_size`) adds up to at most ``max_bytes`` (the first entry
    always, whatever its size)."""
    kept: list[dict] = []
    used = 0
    for entry in entries:
        used += entry_size(entry)
        if kept and used > max_bytes:
            break
        kept.append(entry)
    return kept


def entry_size(entry: dict) -> int:
    """About how many characters ``entry`` holds: its bodies, query string and headers, plus
    :data:`ENTRY_OVERHEAD` for the rest."""
    if is_record(entry):
        return packed_size(entry)
    size = ENTRY_OVERHEAD + len(entry.get("query") or "")
    for part in ("request", "response"):
        side = entry.get(part, {})
        headers = side.get("headers", {})
        size += len(side.get("body", "")) + sum(len(name) + len(value) for name, value in headers.items())
    return size

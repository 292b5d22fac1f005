"""Case-insensitive prefix and whole-value lookups over one indexed field of a store table, for the data
browser's search box.

The store indexes equality only. :class:`FoldedValues` keeps the field's distinct values (from the store's index,
:meth:`mock_server.store.Table.values`) case-folded and sorted, so a prefix is a binary search; the matching
values are then turned into keys by the store's index (:meth:`mock_server.store.Table.keys_of`). A list value
(a candidate's ``emailAddresses``) is found by each of its items. When the table's
:attr:`~mock_server.store.Table.revision` has moved, the values that appeared or went since are inserted or
removed in place (a sync of a batch of candidates: a hundred binary searches); the sorted copy costs one entry
per distinct value.
"""

from __future__ import annotations

import bisect
import weakref

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
REBUILD_AFTER = 1000  # values appeared or gone since the last refresh beyond which sorting again is cheaper


def texts_of(value) -> list[str]:
    """The case-folded texts a value is found by: a string itself, a list's strings."""
    return [item.casefold() for item in (value if isinstance(value, tuple) else (value,)) if isinstance(item, str)]


class FoldedValues:
    """The distinct values of ``field`` of a table, as ``(folded text, value)`` pairs sorted by the text
    (``texts`` and ``values``, index by index), and ``known``: the values they were built from."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.revision: int | None = None
        self.known: set = set()
        self.texts: list[str] = []
        self.values: list = []

    def refresh(self, table) -> None:
        """Bring up to date with ``table`` when it changed since: the values that appeared or went are inserted
        or removed in place (a binary search each); past :data:`REBUILD_AFTER` of them, everything is sorted
        again."""
        if self.revision == table.revision:
            return
        current = set(table.values(self.field))
        added, gone = current - self.known, self.known - current
        if self.revision is None or len(added) + len(gone) > REBUILD_AFTER:
            pairs = sorted(((text, value) for value in current for text in texts_of(value)), key=lambda p: p[0])
            self.texts = [text for text, _ in pairs]
            self.values = [value for _, value in pairs]
        else:
            for value in gone:
                for text in texts_of(value):
                    index = bisect.bisect_left(self.texts, text)
                    while self.values[index] != value:
                        index += 1
                    del self.texts[index], self.values[index]
            for value in added:
                for text in texts_of(value):
                    index = bisect.bisect_right(self.texts, text)
                    self.texts.insert(index, text)
                    self.values.insert(index, value)
        self.known, self.revision = current, table.revision

    def starting(self, prefix: str) -> list:
        """The values one of whose texts starts with ``prefix`` (case-insensitive)."""
        prefix = prefix.casefold()
        start = bisect.bisect_left(self.texts, prefix)
        end = start
        while end < len(self.texts) and self.texts[end].startswith(prefix):
            end += 1
        return self.values[start:end]

    def equal(self, text: str) -> list:
        """The values one of whose texts is ``text`` (case-insensitive)."""
        text = text.casefold()
        start = bisect.bisect_left(self.texts, text)
        end = bisect.bisect_right(self.texts, text, lo=start)
        return self.values[start:end]


def folded(table, field: str) -> FoldedValues:
    """The current :class:`FoldedValues` of ``field`` of ``table`` (kept per table while it lives)."""
    fields = _CACHE.setdefault(table, {})
    found = fields.get(field)
    if found is None:
        found = fields[field] = FoldedValues(field)
    found.refresh(table)
    return found


def keys_starting(table, field: str, prefix: str) -> set[str]:
    """Keys of the documents whose ``field`` (a string, or a list holding one) starts with ``prefix``,
    case-insensitive."""
    return set(table.keys_of(field, folded(table, field).starting(prefix)))


def keys_equal(table, field: str, text: str) -> set[str]:
    """Keys of the documents whose ``field`` (a string, or a list holding one) is ``text``, case-insensitive."""
    return set(table.keys_of(field, folded(table, field).equal(text)))

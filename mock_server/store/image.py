"""Table states and prebuilt table images (the fast path of reset/import/recovery)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .indexes import Buckets, FieldIndexes, build_buckets, copy_buckets
from .jsondoc import encode
from .resident import Rows


@dataclass
class TableState:
    """Everything one table holds; swapped as a unit by clear, its rollback, reset and import.

    ``rows``: ``{str(doc_id): doc text}`` (the TinyDB table dict); ``ids``: key ->
    doc id; ``keys``: doc id -> key; ``indexes``: the field indexes.
    ``rows`` and ``keys`` are in doc-id (= insertion) order unless
    ``disordered`` is set, which only rolling back a delete does.
    """

    rows: Rows
    ids: dict[str, int]
    keys: dict[int, str]
    indexes: FieldIndexes
    disordered: bool = False

    @classmethod
    def empty(cls, fields: Iterable[str]) -> TableState:
        """A state with no documents, indexing ``fields``."""
        return cls({}, {}, {}, FieldIndexes({name: {} for name in fields}))


@dataclass
class TableImage:
    """A prebuilt, never-mutated table that can be installed many times, fast.

    ``docs`` is ``{key: canonical document}``, each encoded once into the
    rows' text.  Installing copies only dicts of references at C speed; the
    texts are shared with the live table (strings never change).  Index
    buckets are built on first use per field and copied afterwards.
    """

    docs: dict[str, dict[str, Any]]
    _rows: Rows = field(init=False, repr=False)
    _ids: dict[str, int] = field(init=False, repr=False)
    _keys: dict[int, str] = field(init=False, repr=False)
    _buckets: dict[str, Buckets] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._keys = dict(enumerate(self.docs, 1))
        self._ids = {key: doc_id for doc_id, key in self._keys.items()}
        self._rows = {str(doc_id): encode(doc) for doc_id, doc in enumerate(self.docs.values(), 1)}

    def __len__(self) -> int:
        return len(self.docs)

    def state(self, fields: Iterable[str]) -> TableState:
        """A fresh live state holding this image (doc ids ``1..len(self)``), indexing ``fields``."""
        return TableState(
            self._rows.copy(),
            self._ids.copy(),
            self._keys.copy(),
            FieldIndexes({name: copy_buckets(self._index(name)) for name in fields}),
        )

    def _index(self, name: str) -> Buckets:
        if name not in self._buckets:
            self._buckets[name] = build_buckets(name, zip(self._keys, self.docs.values(), strict=True))
        return self._buckets[name]

"""TinyDB running on a resident, in-place-mutated dict.

Stock TinyDB 4.9 re-reads the whole database from its storage, rebuilds the
table dict and writes everything back on every single write
(``Table._update_table``), which makes each write O(rows).  The classes here
plug into TinyDB's documented extension points so that:

* :class:`ResidentStorage` (``storage=``) hands out the *live* data dict
  instead of a deserialised copy, and never persists anything itself;
* :class:`ResidentTable` (``table_class``) runs TinyDB's own updaters against
  that live dict through :class:`_IdKeyedView`, so insert/remove/replace cost
  O(1), and hands out document IDs from its own counter (O(1) too).

The storage keeps TinyDB's layout ``{table: {str(doc_id): document}}``, so
TinyDB's read API (``get(doc_id=...)``, ``search``, ``all``...) works as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table as TinyTable

Rows = dict[str, dict[str, Any]]
"""One table's resident rows: ``{str(doc_id): document}`` in doc-id order."""


class ResidentStorage(Storage):
    """A TinyDB storage that is the data itself: ``read()`` returns the live dict."""

    def __init__(self) -> None:
        self._data: dict[str, Rows] = {}

    def read(self) -> dict[str, Rows]:
        return self._data

    def write(self, data: dict[str, Rows]) -> None:
        self._data = data


class _IdKeyedView(MutableMapping[int, dict[str, Any]]):
    """The resident ``{str(doc_id): doc}`` dict seen with ``int`` keys, as TinyDB's updaters expect."""

    __slots__ = ("_rows",)

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def __getitem__(self, doc_id: int) -> dict[str, Any]:
        return self._rows[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: dict[str, Any]) -> None:
        self._rows[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        del self._rows[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._rows

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        self._rows.clear()


class ResidentTable(TinyTable):
    """A TinyDB table whose writes mutate the resident rows in place (O(1) each)."""

    def __init__(self, storage: Storage, name: str, **kwargs: Any) -> None:
        super().__init__(storage, name, **kwargs)
        cast(dict[str, Rows], storage.read()).setdefault(name, {})
        self._next_doc_id = 1

    @property
    def rows(self) -> Rows:
        """The live ``{str(doc_id): document}`` dict (do not mutate documents)."""
        return cast(dict[str, Rows], self._storage.read())[self.name]

    def next_id(self) -> int:
        """A new document ID, for a row the caller writes into :attr:`rows` itself (then :meth:`clear_cache`)."""
        doc_id = self._next_doc_id
        self._next_doc_id += 1
        return doc_id

    def _get_next_id(self) -> int:
        return self.next_id()

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        updater(_IdKeyedView(self.rows))  # type: ignore[arg-type]
        self.clear_cache()

    def replace(self, doc_id: int, doc: dict[str, Any]) -> None:
        """Store ``doc`` under ``doc_id`` as is, whether or not the ID is in use (no merge, no copy)."""

        def put(table: MutableMapping[int, dict[str, Any]]) -> None:
            table[doc_id] = doc

        self._update_table(put)

    def install(self, rows: Rows, max_doc_id: int) -> None:
        """Make ``rows`` (highest ID ``max_doc_id``) the table's live dict; IDs keep increasing."""
        cast(dict[str, Rows], self._storage.read())[self.name] = rows
        self._next_doc_id = max(self._next_doc_id, max_doc_id + 1)
        self.clear_cache()


class ResidentDatabase(TinyDB):
    """A TinyDB database of :class:`ResidentTable` over a :class:`ResidentStorage`."""

    table_class = ResidentTable  # type: ignore[assignment]  # TinyDB types its extension points narrowly
    default_storage_class = ResidentStorage  # type: ignore[assignment]

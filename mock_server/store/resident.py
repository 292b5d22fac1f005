"""TinyDB holding a resident, in-place-mutated dict.

Stock TinyDB 4.9 re-reads the whole database from its storage, rebuilds the
table dict and writes everything back on every single write
(``Table._update_table``), which makes each write O(rows).  The classes here
plug into TinyDB's documented extension points so that:

* :class:`ResidentStorage` (``storage=``) hands out the *live* data dict
  instead of a deserialised copy, and never persists anything itself;
* :class:`ResidentTable` (``table_class``) hands out document IDs from its own
  counter and exposes its live rows, which ``table.Table`` writes in place
  (O(1) each; TinyDB's own write and query API is not used on them).

The storage keeps TinyDB's layout ``{table: {str(doc_id): row}}``; a row is
the document's compact JSON text (see ``table.Table``).
"""

from __future__ import annotations

from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table as TinyTable

Rows = dict[str, str]
"""One table's resident rows: ``{str(doc_id): document JSON text}`` in doc-id order (see ``table.Table``)."""


class ResidentStorage(Storage):
    """A TinyDB storage that is the data itself: ``read()`` returns the live dict."""

    def __init__(self) -> None:
        self._data: dict[str, Rows] = {}

    def read(self) -> dict[str, Rows]:
        return self._data

    def write(self, data: dict[str, Rows]) -> None:
        self._data = data


class ResidentTable(TinyTable):
    """A TinyDB table whose writes mutate the resident rows in place (O(1) each)."""

    def __init__(self, storage: Storage, name: str, **kwargs: Any) -> None:
        super().__init__(storage, name, **kwargs)
        cast(dict[str, Rows], storage.read()).setdefault(name, {})
        self._next_doc_id = 1

    @property
    def rows(self) -> Rows:
        """The live ``{str(doc_id): document text}`` dict."""
        return cast(dict[str, Rows], self._storage.read())[self.name]

    def next_id(self) -> int:
        """A new document ID, for a row the caller writes into :attr:`rows` itself (then :meth:`clear_cache`)."""
        doc_id = self._next_doc_id
        self._next_doc_id += 1
        return doc_id

    def _get_next_id(self) -> int:
        return self.next_id()

    def install(self, rows: Rows, max_doc_id: int) -> None:
        """Make ``rows`` (highest ID ``max_doc_id``) the table's live dict; IDs keep increasing."""
        cast(dict[str, Rows], self._storage.read())[self.name] = rows
        self._next_doc_id = max(self._next_doc_id, max_doc_id + 1)
        self.clear_cache()


class ResidentDatabase(TinyDB):
    """A TinyDB database of :class:`ResidentTable` over a :class:`ResidentStorage`."""

    table_class = ResidentTable  # type: ignore[assignment]  # TinyDB types its extension points narrowly
    default_storage_class = ResidentStorage  # type: ignore[assignment]

"""Secondary equality indexes over top-level document fields."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from .jsondoc import index_key

Bucket = int | dict[int, None]
"""The documents listed under one value: the one doc id, or an ordered set ``{doc_id: None}`` of two or more (a
value held by one document only, such as an id or an email address, costs no set)."""
Buckets = dict[Hashable, Bucket]
"""One field's index: ``{index_key(value): bucket}``."""


def build_buckets(field: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> Buckets:
    """Index ``field`` over ``(doc_id, document)`` pairs; documents without the field are skipped."""
    buckets: Buckets = {}
    for doc_id, doc in rows:
        if field in doc:
            FieldIndexes._list(buckets, index_key(doc[field]), doc_id)
    return buckets


def copy_buckets(buckets: Buckets) -> Buckets:
    """Return an independent copy of one field's index (the doc-id sets are copied)."""
    return {value: ids if isinstance(ids, int) else ids.copy() for value, ids in buckets.items()}


class FieldIndexes:
    """The equality indexes of one table: ``{field: Buckets}``.

    A document is listed under ``index_key(doc[field])`` for every indexed
    field it has; one lacking the field is not listed for it.
    """

    __slots__ = ("_by_field",)

    def __init__(self, by_field: dict[str, Buckets]) -> None:
        self._by_field = by_field

    def __contains__(self, field: object) -> bool:
        return field in self._by_field

    @property
    def fields(self) -> tuple[str, ...]:
        """The indexed field names, in declaration order."""
        return tuple(self._by_field)

    def declare(self, field: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Start indexing ``field``, building it from ``rows`` (no-op if already indexed)."""
        if field not in self._by_field:
            self._by_field[field] = build_buckets(field, rows)

    def add(self, doc_id: int, doc: dict[str, Any]) -> None:
        """List a newly stored document."""
        self.add_many([(doc_id, doc)])

    def discard(self, doc_id: int, doc: dict[str, Any]) -> None:
        """Unlist a document that is being removed (``doc`` is its stored version)."""
        for field, buckets in self._by_field.items():
            if field in doc:
                self._unlist(buckets, index_key(doc[field]), doc_id)

    def move(self, doc_id: int, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Re-list a document replaced from ``old`` to ``new``; unchanged fields are left alone."""
        self.move_many([(doc_id, old, new)])

    def lists(self, doc_id: int, doc: dict[str, Any]) -> bool:
        """Whether ``doc`` has every indexed field and ``doc_id`` is listed under each value as ``doc`` has it.
        A document is listed under one value per field it has, so then the document listed as ``doc_id`` has
        the same indexed values (``==``) and re-listing it as ``doc`` would change nothing: a replacement that
        keeps them needs no copy of the document it replaces."""
        for field, buckets in self._by_field.items():
            if field not in doc:
                return False
            ids = buckets.get(index_key(doc[field]))
            if ids is None or (ids != doc_id if isinstance(ids, int) else doc_id not in ids):
                return False
        return True

    def add_many(self, docs: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """:meth:`add` of every ``(doc_id, doc)``, each index touched once for all of them."""
        docs = list(docs)
        for field, buckets in self._by_field.items():
            for doc_id, doc in docs:
                if field in doc:
                    self._list(buckets, index_key(doc[field]), doc_id)

    def move_many(self, moves: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
        """:meth:`move` of every ``(doc_id, old, new)`` in order, each index touched once for all of them."""
        for field, buckets in self._by_field.items():
            for doc_id, old, new in moves:
                had, has = field in old, field in new
                if had and has and old[field] == new[field]:
                    continue
                if had:
                    self._unlist(buckets, index_key(old[field]), doc_id)
                if has:
                    self._list(buckets, index_key(new[field]), doc_id)

    def values(self, field: str) -> Iterable[Hashable]:
        """The index key of every distinct value of ``field``. Raises ``KeyError`` if ``field`` is not indexed."""
        return self._by_field[field].keys()

    def lookup(self, field: str, value: Any) -> dict[int, None]:
        """IDs of the documents whose ``field`` equals ``value``, as an ordered set (possibly live: do not mutate).

        Raises ``KeyError`` if ``field`` is not indexed, ``TypeError`` if
        ``value`` is unhashable and not a list or dict.
        """
        ids = self._by_field[field].get(index_key(value))
        if ids is None:
            return {}
        return {ids: None} if isinstance(ids, int) else ids

    @staticmethod
    def _list(buckets: Buckets, key: Hashable, doc_id: int) -> None:
        ids = buckets.get(key)
        if ids is None:
            buckets[key] = doc_id
        elif isinstance(ids, int):
            buckets[key] = {ids: None, doc_id: None}
        else:
            ids[doc_id] = None

    @staticmethod
    def _unlist(buckets: Buckets, key: Hashable, doc_id: int) -> None:
        ids = buckets[key]
        if isinstance(ids, int):
            del buckets[key]
            return
        del ids[doc_id]
        if len(ids) == 1:
            buckets[key] = next(iter(ids))

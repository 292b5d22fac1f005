"""The public table: keyed JSON documents with equality indexes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from functools import partial
from threading import RLock
from typing import Any

from tinydb import Query
from tinydb.queries import QueryLike

from .image import TableImage, TableState
from .journal import Journal
from .jsondoc import canonical_fields, decode, encode, list_items
from .resident import ResidentTable, Rows

Document = dict[str, Any]
Stored = tuple[str, Document]
"""A document being written: ``(its compact JSON text, its indexed fields as that text reads back)``; the row
keeps the text, the indexes are updated from the fields."""

_REVISIONS = itertools.count(1)  # every table's revisions, process-wide


class Table:
    """A collection of JSON documents addressed by string keys.

    Obtain one with ``Store.table(name, indexes)``; never construct it
    directly.  Each document is stored as its compact JSON text (the text
    the write-ahead log holds, a third of the memory of the parsed
    document); reads parse a fresh copy and writes store the text of a
    canonical copy (see :mod:`.jsondoc`), so callers may mutate what they
    pass and get freely.  Key lookups go through a key -> doc id dict; ``find`` uses the
    declared field indexes.  Every write method is one commit unless it runs
    inside ``Store.transaction()``.  Order everywhere is insertion order of
    the key (replacing a document keeps its place).
    """

    def __init__(
        self,
        name: str,
        tiny: ResidentTable,
        lock: RLock,
        writing: Callable[[], AbstractContextManager[Journal]],
    ) -> None:
        self.name = name
        self._tiny = tiny
        self._lock = lock
        self._writing = writing
        self._name_json = encode(name)
        self._fields: tuple[str, ...] = ()
        self._declared: set[tuple[str, ...]] = set()  # every ``indexes`` argument _declare was given
        self._revision = next(_REVISIONS)
        self._state = TableState.empty(())
        tiny.install(self._state.rows, 0)

    def __repr__(self) -> str:
        return f"<Table {self.name!r} rows={len(self)} indexes={self.indexes!r}>"

    def __len__(self) -> int:
        return len(self._state.ids)

    def __contains__(self, key: object) -> bool:
        return key in self._state.ids

    @property
    def revision(self) -> int:
        """A number that changes whenever the content changes (a write, a rollback, a reset, an import): what
        is derived from the table stays current while it is unchanged. Unique among all tables of the process
        (one counter), so no two tables, nor a table and its successor, ever show the same revision."""
        return self._revision

    @property
    def indexes(self) -> tuple[str, ...]:
        """The indexed top-level fields, in declaration order."""
        return self._fields

    # -- reads -------------------------------------------------------------

    def get(self, key: str) -> Document | None:
        """Return a copy of the document stored under ``key``, or ``None``.  O(1)."""
        with self._lock:
            state = self._state
            doc_id = state.ids.get(key)
            return None if doc_id is None else decode(state.rows[str(doc_id)])

    def field(self, key: str, name: str) -> Any:
        """A copy of the top-level field ``name`` of the document stored under ``key``; ``None`` when there is no
        such document, or it lacks the field (or holds null). O(1); the document is parsed only when its text
        holds the member ``"name":`` (every stored text is :func:`~.jsondoc.encode`'s compact form, where a
        member's name is written so and nothing else looks like it), so asking for a field documents rarely
        have costs no parse."""
        with self._lock:
            state = self._state
            doc_id = state.ids.get(key)
            if doc_id is None:
                return None
            text = state.rows[str(doc_id)]
            return decode(text).get(name) if f"{encode(name)}:" in text else None

    def keys(self) -> list[str]:
        """All keys, in insertion order."""
        with self._lock:
            self._settle()
            return list(self._state.keys.values())

    def items(self) -> list[tuple[str, Document]]:
        """All ``(key, document copy)`` pairs, in insertion order."""
        with self._lock:
            self._settle()
            rows = self._state.rows
            return [(key, decode(rows[str(doc_id)])) for doc_id, key in self._state.keys.items()]

    def find(self, **equals: Any) -> list[tuple[str, Document]]:
        """``(key, document copy)`` pairs whose fields equal ``equals`` (``==``), in insertion order.

        A document lacking a named field never matches.  When any named field
        is indexed, candidates come from the indexes (intersected, smallest
        first) and only they are checked against the other fields; otherwise
        the table is scanned.  Raises ``TypeError`` for an unhashable value
        other than a list or dict on an indexed field.
        """
        with self._lock:
            state = self._state
            indexed = [name for name in equals if name in state.indexes]
            if not indexed:
                return self.search(Query().fragment(equals))
            sets = sorted((state.indexes.lookup(name, equals[name]) for name in indexed), key=len)
            others = [(name, value) for name, value in equals.items() if name not in state.indexes]
            found = []
            for doc_id in sorted(doc_id for doc_id in sets[0] if all(doc_id in ids for ids in sets[1:])):
                doc = decode(state.rows[str(doc_id)])
                if _has_fields(doc, others):
                    found.append((state.keys[doc_id], doc))
            return found

    def find_keys(self, **equals: Any) -> list[str]:
        """The keys of the documents :meth:`find` returns, in the same order, without copying a document.

        Through the indexes when a named field is indexed (no other document is looked at), else a scan.
        Raises ``TypeError`` as :meth:`find` does.
        """
        with self._lock:
            self._settle()
            state = self._state
            indexed = [name for name in equals if name in state.indexes]
            if not indexed:
                ids = list(state.keys)
            else:
                sets = sorted((state.indexes.lookup(name, equals[name]) for name in indexed), key=len)
                ids = sorted(sets[0] if len(sets) == 1 else
                             (doc_id for doc_id in sets[0] if all(doc_id in found for found in sets[1:])))
            others = [(name, value) for name, value in equals.items() if name not in state.indexes]
            if others:
                rows = state.rows
                ids = [doc_id for doc_id in ids if _has_fields(decode(rows[str(doc_id)]), others)]
            return [state.keys[doc_id] for doc_id in ids]

    def values(self, field: str) -> list[Any]:
        """The distinct values of indexed ``field``, read from its index: scalars (str, number, bool, null) as
        they are, lists of scalars as the tuples of their items; other values are left out. Raises
        ``KeyError`` if ``field`` is not indexed."""
        with self._lock:
            found = []
            for value in self._state.indexes.values(field):
                if isinstance(value, tuple):  # a list or an object
                    value = list_items(value)
                    if value is None:
                        continue
                found.append(value)
            return found

    def keys_of(self, field: str, values: Iterable[Any]) -> list[str]:
        """The keys of the documents whose indexed ``field`` equals one of ``values`` (as :meth:`values` gives
        them: a list as a tuple), in insertion order; a union of index lookups, no document read. Raises
        ``KeyError`` if ``field`` is not indexed."""
        with self._lock:
            self._settle()
            state = self._state
            ids: set[int] = set()
            for value in values:
                ids.update(state.indexes.lookup(field, list(value) if isinstance(value, tuple) else value))
            return [state.keys[doc_id] for doc_id in sorted(ids)]

    def search(self, cond: QueryLike) -> list[tuple[str, Document]]:
        """``(key, document copy)`` pairs matching a TinyDB query (e.g. ``Query().name.matches('A.*')``).

        Always a full scan, in insertion order.
        """
        with self._lock:
            self._settle()
            rows = self._state.rows
            found = ((key, decode(rows[str(doc_id)])) for doc_id, key in self._state.keys.items())
            return [(key, doc) for key, doc in found if cond(doc)]

    # -- writes ------------------------------------------------------------

    def put(self, key: str, doc: Document) -> None:
        """Insert or fully replace the document under ``key`` (one commit).

        Raises ``TypeError`` if ``key`` is not a ``str`` or ``doc`` is not a
        JSON-serialisable dict, ``ValueError`` for NaN/infinite floats;
        nothing is written then.
        """
        self.put_many([(key, doc)])

    def put_many(self, items: Iterable[tuple[str, Document]]) -> None:
        """Upsert every ``(key, doc)`` in order, as one commit (a later duplicate key wins).

        All documents are validated before anything is written; errors as in :meth:`put`.
        """
        staged = [self._stage(key, doc) for key, doc in items]
        with self._writing() as journal:
            undo = self._upsert_many([(key, doc) for _, key, doc in staged])
            for (redo, _, _), action in zip(staged, undo, strict=True):
                journal.record(redo, action)

    def delete(self, key: str) -> bool:
        """Remove ``key``; return whether it existed (one commit if it did)."""
        return self.delete_many([key])[0]

    def delete_many(self, keys: Iterable[str]) -> list[bool]:
        """Remove every key, as one commit; return, per key, whether it existed at that point."""
        with self._writing() as journal:
            existed = []
            for key in keys:
                undo = self._remove(key)
                if undo is not None:
                    journal.record(f'["del",{self._name_json},{encode(key)}]', undo)
                existed.append(undo is not None)
            return existed

    def clear(self) -> None:
        """Remove every document (one commit); the declared indexes stay."""
        with self._writing() as journal:
            if self._state.ids:
                journal.record(f'["clear",{self._name_json}]', self._truncate())

    # -- package internals: mutations that return their undo action --------

    def _stage(self, key: str, doc: Document) -> tuple[str, str, Stored]:
        """``(redo text, key, stored form)`` of a put, validated: nothing is written when this raises."""
        if type(key) is not str:
            raise TypeError(f"table {self.name!r}: keys must be str, not {type(key).__name__}")
        if not isinstance(doc, dict):
            raise TypeError(f"table {self.name!r}, key {key!r}: a document must be a dict, not {type(doc).__name__}")
        try:
            text = encode(doc)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"table {self.name!r}, key {key!r}: {exc}") from exc
        return f'["put",{self._name_json},{encode(key)},{text}]', key, (text, canonical_fields(doc, self._fields))

    def _upsert(self, key: str, doc: Document) -> Callable[[], object]:
        """Store canonical ``doc`` under ``key`` (replaying the log); its undo action."""
        return self._upsert_many([(key, (encode(doc), doc))])[0]

    def _upsert_many(self, items: list[tuple[str, Stored]]) -> list[Callable[[], object]]:
        """Store every ``(key, (text, indexed fields))`` in order: the rows first, then each index once for the
        whole batch (new documents listed, then replaced ones moved in order, so a key given twice ends listed
        under its last document; a replacement whose indexed values are those already listed is not moved, and
        the document it replaces is not parsed: :meth:`FieldIndexes.lists`). Returns the undo action of each
        item, in order. Nothing here raises for canonical values (a dict write each; index keys of JSON values
        are hashable), so no batch is half-applied."""
        self._revision = next(_REVISIONS)
        state = self._state
        rows, ids, keys = state.rows, state.ids, state.keys
        added: dict[int, Document] = {}
        moved: list[tuple[int, Document, Document]] = []
        undo: list[Callable[[], object]] = []
        written: dict[int, Document] = {}  # the latest document of each row this batch wrote
        for key, (text, doc) in items:
            doc_id = ids.get(key)
            if doc_id is None:
                doc_id = ids[key] = self._tiny.next_id()
                keys[doc_id] = key
                rows[str(doc_id)] = text
                added[doc_id] = doc
                undo.append(partial(self._remove, key))
            else:
                old_text = rows[str(doc_id)]
                if doc_id in written:  # its indexes are not moved yet: move from the batch's earlier document
                    moved.append((doc_id, written[doc_id], doc))
                elif not state.indexes.lists(doc_id, doc):  # else its indexed values are unchanged: no parse
                    moved.append((doc_id, decode(old_text), doc))
                rows[str(doc_id)] = text
                undo.append(partial(self._replace_back, doc_id, text, old_text))
            written[doc_id] = doc
        self._tiny.clear_cache()
        state.indexes.add_many(added.items())
        state.indexes.move_many(moved)
        return undo

    def _replace_back(self, doc_id: int, new: str, old: str) -> None:
        """Undo a replacement: the row back to text ``old`` from ``new``, re-indexed (every declared field)."""
        self._revision = next(_REVISIONS)
        self._state.rows[str(doc_id)] = old
        self._tiny.clear_cache()
        self._state.indexes.move(doc_id, decode(new), decode(old))

    def _remove(self, key: str) -> Callable[[], object] | None:
        state = self._state
        doc_id = state.ids.pop(key, None)
        if doc_id is None:
            return None
        self._revision = next(_REVISIONS)
        del state.keys[doc_id]
        text = state.rows.pop(str(doc_id))
        self._tiny.clear_cache()
        state.indexes.discard(doc_id, decode(text))
        return partial(self._restore, key, doc_id, text)

    def _restore(self, key: str, doc_id: int, text: str) -> None:
        """Undo a removal: the row back under its old ``doc_id`` (out of order: see :meth:`_settle`)."""
        self._revision = next(_REVISIONS)
        state = self._state
        state.rows[str(doc_id)] = text
        self._tiny.clear_cache()
        state.ids[key] = doc_id
        state.keys[doc_id] = key
        state.indexes.add(doc_id, decode(text))
        state.disordered = True

    def _truncate(self) -> Callable[[], object]:
        old = self._state
        self._use(TableState.empty(self._fields))
        return partial(self._use, old)

    def _use(self, state: TableState, max_doc_id: int = 0) -> None:
        """Install ``state`` (indexing any field declared since it was set aside)."""
        self._revision = next(_REVISIONS)
        self._state = state
        self._tiny.install(state.rows, max_doc_id)
        self._declare(())

    def _load(self, image: TableImage) -> None:
        """Replace the whole content with ``image`` (not journaled: reset/import/recovery)."""
        self._use(image.state(self._fields), len(image))

    def _declare(self, fields: Iterable[str]) -> None:
        """Index ``fields`` too; every declared field missing from the state's indexes is built from its rows."""
        fields = tuple(fields)
        self._fields += tuple(name for name in dict.fromkeys(fields) if name not in self._fields)
        self._declared.add(fields)
        state = self._state
        for name in self._fields:
            if name not in state.indexes:
                state.indexes.declare(name, ((doc_id, decode(state.rows[str(doc_id)])) for doc_id in state.keys))

    def _live_docs(self) -> dict[str, str]:
        """``{key: stored document text}`` in order (for serialisation)."""
        self._settle()
        rows = self._state.rows
        return {key: rows[str(doc_id)] for doc_id, key in self._state.keys.items()}

    def _capture(self) -> tuple[dict[int, str], Rows]:
        """Copies of the doc id -> key and the rows dicts (C speed): the state as of now, for a thread to
        serialise (see :func:`captured_rows`) while writes go on."""
        self._settle()
        return self._state.keys.copy(), self._state.rows.copy()

    def _settle(self) -> None:
        """Restore doc-id order after a rolled-back delete re-appended rows at the end."""
        state = self._state
        if state.disordered:
            state.keys = dict(sorted(state.keys.items()))
            ordered = {str(doc_id): state.rows[str(doc_id)] for doc_id in state.keys}
            state.rows.clear()
            state.rows.update(ordered)
            state.disordered = False
            self._tiny.clear_cache()


def captured_rows(keys: dict[int, str], rows: Rows) -> Iterator[tuple[str, str]]:
    """``(key, stored document text)`` pairs, in order, of a table captured with ``Table._capture``."""
    return ((key, rows[str(doc_id)]) for doc_id, key in keys.items())


def _has_fields(doc: Document, pairs: list[tuple[str, Any]]) -> bool:
    """True when ``doc`` has every ``(field, value)`` of ``pairs`` (``==``)."""
    return all(name in doc and doc[name] == value for name, value in pairs)

"""The store: tables, transactions, reset, snapshots and (optionally) durability."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from .datadir import DataDir, PendingCheckpoint
from .files import atomic_write
from .image import TableImage
from .journal import Journal
from .jsondoc import encode
from .records import Op
from .resident import ResidentDatabase, ResidentTable, Rows
from .snapshot import (
    Tables,
    encode_snapshot,
    parse_snapshot,
    parse_tables,
    snapshot_chunks,
    snapshot_document,
)
from .table import Table, captured_rows

log = logging.getLogger(__name__)

DEFAULT_COMPACT_MIN_BYTES = 8 << 20
"""The log is never compacted into a checkpoint before it reaches this size."""

_EMPTY = TableImage({})


class Store:
    """All tables of the mock, in memory, optionally made durable in ``data_dir``.

    ``seed`` (``{table: {key: document}}``) is the fixture state that
    :meth:`reset` returns to; it is validated and copied once (``ValueError``
    if malformed).  With ``data_dir`` the store recovers the directory's
    checkpoint plus log, or starts from ``seed`` if the directory is new or
    empty; a directory can be open in one Store at a time.  Opening raises
    :class:`~.errors.DataDirError` (a ``RuntimeError``) naming the file and
    offset when the directory is busy, not a data directory or damaged (see
    datadir.py).  ``compact_min_bytes``: the log is folded into a new
    checkpoint once it is larger than this and than the last checkpoint; that
    checkpoint is written by a background thread while requests go on.

    Thread-safe through one re-entrant lock; a transaction holds it until it
    ends, so never ``await`` inside one.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        seed: dict[str, dict[str, dict[str, Any]]] | None = None,
        *,
        compact_min_bytes: int = DEFAULT_COMPACT_MIN_BYTES,
    ) -> None:
        self._lock = threading.RLock()
        self._db = ResidentDatabase()
        self._tables: dict[str, Table] = {}
        self._journal: Journal | None = None
        self._closed = False
        self._seed = {name: TableImage(docs) for name, docs in parse_tables(seed or {}, what="seed").items()}
        self._seed_body: bytes | None = None
        self._dir: DataDir | None = None
        self._checkpointer: threading.Thread | None = None
        if data_dir is None:
            self._install(self._seed)
            return
        self._dir = DataDir(Path(data_dir), compact_min_bytes)
        try:
            tables, ops = self._dir.take_recovery()
            if tables is None:
                self._dir.checkpoint([self._seed_snapshot()])
                self._install(self._seed)
            else:
                self._install({name: TableImage(docs) for name, docs in tables.items()})
            for op in ops:
                self._replay(op)
        except BaseException:
            self._dir.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def data_dir(self) -> Path | None:
        """The data directory, or ``None`` for a memory-only store."""
        return None if self._dir is None else self._dir.path

    # -- tables ------------------------------------------------------------

    def table(self, name: str, indexes: tuple[str, ...] = ()) -> Table:
        """The table called ``name``, created empty on first use.

        ``indexes``: top-level fields to index for equality lookups; fields
        not yet indexed are added (built from the current rows), none are
        dropped.  Raises ``TypeError`` for a non-str name or index field.
        """
        known = self._tables.get(name) if type(indexes) is tuple else None
        if known is not None and indexes in known._declared:  # the common call: nothing to check or build
            return known
        if type(name) is not str or isinstance(indexes, str) or not all(type(f) is str for f in indexes):
            raise TypeError("table(name: str, indexes: tuple[str, ...])")
        with self._lock:
            table = self._tables.get(name)
            if table is None:
                tiny = cast(ResidentTable, self._db.table(name))
                table = self._tables[name] = Table(name, tiny, self._lock, self._writing)
            table._declare(indexes)
            return table

    def counts(self) -> dict[str, int]:
        """Rows per table: ``{table_name: row_count}``."""
        with self._lock:
            return {name: len(table) for name, table in self._tables.items()}

    # -- transactions ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group every write made inside into one commit (one log record, fsynced at exit).

        If the block raises, every write made inside it is undone in memory
        and nothing is logged; the exception propagates.  Nested blocks roll
        back alone when they raise and commit with the outermost one.
        Raises ``RuntimeError`` if the store is closed; ``OSError`` if the
        commit cannot be logged (then the writes are undone too).
        """
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[Journal]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            journal = self._journal
            outer = journal is None
            if journal is None:
                journal = self._journal = Journal()
            mark = len(journal)
            try:
                yield journal
            except BaseException:
                journal.rollback(mark)
                raise
            finally:
                if outer:
                    self._journal = None
            if outer and journal.redo and self._dir is not None:
                self._commit(self._dir, journal)

    def _commit(self, data_dir: DataDir, journal: Journal) -> None:
        try:
            data_dir.commit(journal.redo)
        except BaseException:
            journal.rollback()
            raise
        if (self._checkpointer is None or not self._checkpointer.is_alive()) and data_dir.wants_checkpoint():
            try:
                pending = data_dir.start_checkpoint()
            except OSError:
                log.exception("could not start a checkpoint of %s; the log keeps growing", data_dir.path)
                return
            captured = [(name, *table._capture()) for name, table in self._tables.items()]
            self._checkpointer = threading.Thread(target=_write_checkpoint, args=(data_dir, pending, captured),
                                                  name="rsc-mock checkpoint", daemon=True)
            self._checkpointer.start()

    # -- whole-state operations ---------------------------------------------

    def reset(self) -> None:
        """Return to the seed state (with a data directory: fresh checkpoint, empty log).

        Tables absent from the seed are emptied; declared indexes are kept.
        Raises ``RuntimeError`` inside a transaction or on a closed store.
        """
        with self._lock:
            self._check_idle()
            self._checkpoint_now([self._seed_snapshot()])
            self._install(self._seed)

    def export(self) -> dict[str, Any]:
        """The whole state as one JSON-able dict (a copy): ``{"format", "version", "tables"}``.

        Empty tables are left out: a table with no rows and a missing table are the same state.
        """
        with self._lock:
            return snapshot_document({name: dict(table.items()) for name, table in self._tables.items() if len(table)})

    def import_snapshot(self, doc: dict[str, Any], check: Callable[[Tables], None] | None = None) -> None:
        """Replace the whole state with the snapshot ``doc`` (as produced by :meth:`export`).

        ``doc`` is validated completely first: ``ValueError`` for another
        format or version or malformed content, or raised by ``check`` (given
        the parsed tables: what the store's user can read), and the state is
        unchanged.  Tables absent from ``doc`` are emptied.  With a data
        directory the new state is checkpointed before it is installed.
        Raises ``RuntimeError`` inside a transaction or on a closed store.
        """
        with self._lock:
            self._check_idle()
            tables = parse_snapshot(doc)
            if check is not None:
                check(tables)
            self._checkpoint_now(snapshot_chunks((name, ((key, encode(doc)) for key, doc in docs.items()))
                                                 for name, docs in tables.items()))
            self._install({name: TableImage(docs) for name, docs in tables.items()})

    def write_snapshot(self, path: Path) -> None:
        """Write :meth:`export` as JSON to ``path`` atomically (temporary file, fsync, rename).

        Raises ``OSError`` if it cannot be written; ``path`` is then untouched.
        """
        with self._lock:
            body = b"".join(snapshot_chunks(self._live_tables()))
        atomic_write(Path(path), body)

    def checkpoint(self) -> None:
        """Fold the log into a fresh checkpoint now, blocking writes meanwhile (no-op without a data
        directory).  Raises ``OSError`` if it cannot be written (the log then stays as it is)."""
        with self._lock:
            self._check_idle()
            self._checkpoint_now(snapshot_chunks(self._live_tables()))

    def close(self) -> None:
        """Wait for a checkpoint being written, close the data directory's files (sealing it, see seal.py)
        and refuse further writes (idempotent).

        Every commit is already durable when it returns, so nothing is lost.
        """
        with self._lock:
            self._closed = True
            self._await_checkpoint()
            if self._dir is not None:
                self._dir.close()

    # -- internals -----------------------------------------------------------

    def _check_idle(self) -> None:
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._journal is not None:
            raise RuntimeError("not allowed inside a transaction")

    def _checkpoint_now(self, body: Iterable[bytes]) -> None:
        """Write ``body`` as the checkpoint of the current commit, after any background checkpoint."""
        self._await_checkpoint()
        if self._dir is not None:
            self._dir.checkpoint(body)

    def _await_checkpoint(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.join()
            self._checkpointer = None

    def _install(self, images: dict[str, TableImage]) -> None:
        for name, table in self._tables.items():
            table._load(images.get(name, _EMPTY))
        for name, image in images.items():
            if name not in self._tables:
                self.table(name)._load(image)

    def _live_tables(self) -> list[tuple[str, Iterable[tuple[str, str]]]]:
        """``(table name, (key, stored document text) pairs)`` of every table with rows."""
        return [(name, table._live_docs().items()) for name, table in self._tables.items() if len(table)]

    def _seed_snapshot(self) -> bytes:
        if self._seed_body is None:
            self._seed_body = encode_snapshot({name: image.docs for name, image in self._seed.items()})
        return self._seed_body

    def _replay(self, op: Op) -> None:
        kind, table = op[0], self.table(op[1])
        if kind == "put":
            table._upsert(op[2], op[3])
        elif kind == "del":
            table._remove(op[2])
        elif kind == "clear":
            table._truncate()
        else:
            raise RuntimeError(f"unknown operation {kind!r} in the write-ahead log")


def _write_checkpoint(data_dir: DataDir, pending: PendingCheckpoint,
                      captured: list[tuple[str, dict[int, str], Rows]]) -> None:
    """The body of a background checkpoint thread: serialise the captured tables into the checkpoint."""
    try:
        data_dir.finish_checkpoint(pending, snapshot_chunks((name, captured_rows(keys, rows))
                                                            for name, keys, rows in captured))
    except Exception:
        log.exception("checkpoint of %s failed; its logs are kept (and replayed on start)", data_dir.path)

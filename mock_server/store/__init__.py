"""Storage layer of the mock: keyed JSON documents on TinyDB, optionally durable.

Usage::

    store = Store(data_dir=None, seed={"candidates": {"c1": {...}}})
    candidates = store.table("candidates", indexes=("email",))
    candidates.put("c2", {"email": "a@b.c"})
    with store.transaction():          # one commit, all or nothing
        candidates.put_many([...]); store.table("events").delete("e1")
    candidates.find(email="a@b.c")     # index lookup
    store.reset()                      # back to the seed, in milliseconds

Design
------
**Why TinyDB's stock write path is not used as is.**  TinyDB 4.9 turns every
write into read-everything / modify / write-everything: ``Table._update_table``
rebuilds the whole table dict (converting every doc id) and ``JSONStorage``
re-serialises and rewrites the whole file, with no fsync and no atomic
rename.  A write therefore costs O(rows) and a crash mid-write can leave a
half-written file.  Lookups other than by doc id are scans.

**What runs instead** (module per job):

* ``resident`` -- TinyDB through its documented extension points: a
  ``Storage`` subclass whose ``read()`` returns the live in-memory dict, and a
  ``Table`` subclass (``table_class``) whose ``_update_table`` runs TinyDB's
  own updaters on that dict in place and whose doc ids come from a counter.
  TinyDB's data layout and read/query API stay intact (``Table.search``).
* ``table`` -- the public :class:`Table`: key -> doc id and doc id -> key dicts
  (O(1) ``get``/``put``/``delete``), field ``indexes`` (equality, moved when
  a field changes), copies in and out.  Every mutation returns its undo action.
* ``journal`` -- a transaction's redo texts (for the log) and undo actions
  (for rollback, newest first, with nested savepoints).
* ``wal`` -- append-only write-ahead log: one record per commit, framed as
  ``<u32 length><u32 crc32><JSON payload>`` and flushed with ``fdatasync``
  before the commit returns.  Recovery stops at the first short, empty or
  bad-checksum record (a torn tail left by ``kill -9``) and truncates it.
  After a failed append the log refuses further commits (its state is unknown).
* ``checkpoint`` / ``files`` -- the full state as of commit number ``lsn``,
  written to a temporary file, fsynced, renamed over the old one with
  ``os.replace``, directory fsynced.  A checkpoint is taken when the log has
  outgrown both ``compact_min_bytes`` and the previous checkpoint (so its cost
  is amortised O(1) per logged byte), then the log is truncated.  Records
  numbered ``<= lsn`` are skipped on recovery, so a crash between the rename
  and the truncation is harmless.
* ``datadir`` -- the directory (``LOCK``, ``checkpoint.json``, ``wal.log``):
  recovery = checkpoint + replay of later log records.
* ``image`` -- reset/import/recovery install a prebuilt ``TableImage``:
  only dicts of references are copied (C speed); documents are shared with
  the seed (structural sharing), which is safe because stored documents are
  never mutated in place -- writes replace them, reads return copies.
  Index buckets of the seed are built once per field and copied.
* ``snapshot`` -- ``{"format": "rsc-mock-snapshot", "version": 1, "tables":
  {table: {key: doc}}}``, validated completely before anything is swapped.
  An empty table and a missing one are the same state (exports omit it).
* ``jsondoc`` -- documents are stored in canonical form (what a JSON round
  trip returns); the same JSON text goes to the log, so recovered state is
  byte-for-byte the state that was acknowledged.

Durability contract: a write (or transaction) that has returned is on disk;
one that raised or was interrupted is absent after recovery, or -- if the
crash came after its record reached the disk but before it returned -- present
in full; a commit is never partially applied.  Data directories need a POSIX
file system (``fcntl.flock``, directory fsync).

Concurrency: one re-entrant lock guards everything, so a second thread may
use the store; a transaction holds the lock until it ends, so never
``await`` inside one (another coroutine of the same thread would join it).
"""

from .snapshot import SNAPSHOT_FORMAT, SNAPSHOT_VERSION
from .store import DEFAULT_COMPACT_MIN_BYTES, Store
from .table import Table

__all__ = [
    "DEFAULT_COMPACT_MIN_BYTES",
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_VERSION",
    "Store",
    "Table",
]

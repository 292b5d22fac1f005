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
  ``Table`` subclass (``table_class``) whose doc ids come from a counter.
  TinyDB's data layout stays (``{table: {str(doc_id): row}}``); queries
  (``Table.search``) take TinyDB's ``Query``.
* ``table`` -- the public :class:`Table`: key -> doc id and doc id -> key dicts
  (O(1) ``get``/``put``/``delete``), field ``indexes`` (equality, moved when
  a field changes; a value one document holds is a bare doc id, not a set),
  each row the document's compact JSON text (a third of the memory of the
  parsed document; reads parse a fresh copy; ``field`` parses a row only
  when its text holds the member asked for).  A batch (``put_many``) writes
  its rows, then updates each index once, moving a replaced document only
  where its indexed values changed (the indexes tell, no parse of the old
  row).  Every mutation returns its undo action.
* ``journal`` -- a transaction's redo texts (for the log) and undo actions
  (for rollback, newest first, with nested savepoints).
* ``wal`` / ``records`` -- append-only write-ahead log: one record per commit,
  framed as ``<marker><u32 length><u32 crc32(payload)><u32 crc32(header)>
  <JSON payload>`` and flushed with ``fdatasync`` before the commit returns;
  each log file starts with a header record naming the data directory, its
  checkpoint generation and the commit it continues from.  Scanning tells a
  torn tail (the last record cut short by a crash) from damage (any other bad
  record).  After a failed append the log refuses further commits.
* ``checkpoint`` / ``files`` -- the full state as of commit number ``lsn``,
  generation G, with a SHA-256 and per-MiB CRC-32 trailer, streamed to a
  temporary file, fsynced, renamed over the old one with ``os.replace``,
  directory fsynced.  A checkpoint is due when the log has outgrown both
  ``compact_min_bytes`` and the previous checkpoint (so its cost is amortised
  O(1) per logged byte); the commit that finds it due starts the log of
  generation G+1 and copies the tables' dicts (C speed), and a thread writes
  the file while commits go on; the older logs are deleted once it is durable.
* ``survey`` -- the one read-only reading of a data directory: checksums, the
  chain checkpoint -> logs -> commits, the clean-close ``seal``; everything
  before the first problem is provably intact.  ``datadir`` opens a directory
  (refusing with a ``DataDirError`` naming file and offset on any problem,
  changing nothing; keeping a torn tail under ``kept/``; migrating format 1),
  ``offline`` backs ``rsc-mock store verify|repair``.  File names: ``layout``.
* ``image`` -- reset/import/recovery install a prebuilt ``TableImage``:
  only dicts of references are copied (C speed); the rows' texts are shared
  with the seed (strings never change).  Index buckets of the seed are built
  once per field and copied.
* ``snapshot`` -- ``{"format": "rsc-mock-snapshot", "version": 1, "tables":
  {table: {key: doc}}}``, validated completely before anything is swapped.
  An empty table and a missing one are the same state (exports omit it).
* ``jsondoc`` -- documents are stored in canonical form (what a JSON round
  trip returns), as the very JSON text that goes to the log, so recovered
  state is byte-for-byte the state that was acknowledged.

Durability contract: a write (or transaction) that has returned is on disk;
one that raised or was interrupted is absent after recovery, or -- if the
crash came after its record reached the disk but before it returned -- present
in full; a commit is never partially applied; damage is never taken for a
torn tail, and nothing is truncated or overwritten without keeping the
original.  Data directories need a POSIX file system (``fcntl.flock``,
directory fsync).

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

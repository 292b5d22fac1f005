"""The on-disk half of a durable store: lock, checkpoint, write-ahead log, commit numbers.

Directory layout::

    LOCK             flock()ed while a Store has the directory open
    checkpoint.json  full state up to commit number ``lsn`` (see checkpoint.py)
    wal.log          commits after it, one framed record each (see wal.py):
                     {"lsn": N, "ops": [["put", table, key, doc] | ["del", table, key] | ["clear", table], ...]}
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .checkpoint import CHECKPOINT_NAME, read_checkpoint, write_checkpoint
from .files import temp_prefix
from .snapshot import Tables
from .wal import WriteAheadLog

WAL_NAME = "wal.log"
LOCK_NAME = "LOCK"


class DataDir:
    """An open data directory.

    Opening it recovers (see :meth:`take_recovery`) and truncates a torn log
    tail.  Raises ``RuntimeError`` if another Store has the directory
    open or the log is inconsistent with the checkpoint, ``ValueError`` if
    the checkpoint is unreadable.
    """

    def __init__(self, path: Path, compact_min_bytes: int) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._compact_min_bytes = compact_min_bytes
        self._lock_fd = _lock(path / LOCK_NAME)
        try:
            for stale in path.glob(temp_prefix(path / CHECKPOINT_NAME) + "*.tmp"):
                stale.unlink()
            wal_path = path / WAL_NAME
            found = read_checkpoint(path)
            if found is None and wal_path.exists() and wal_path.stat().st_size:
                raise RuntimeError(f"{path} has a write-ahead log but no checkpoint; refusing to guess its base")
            self.lsn, tables, self._checkpoint_size = found or (0, None, 0)
            self._wal, payloads = WriteAheadLog.open(wal_path)
            self._recovery: tuple[Tables | None, list[list[Any]]] | None = (tables, self._after_checkpoint(payloads))
        except BaseException:
            os.close(self._lock_fd)
            raise

    def take_recovery(self) -> tuple[Tables | None, list[list[Any]]]:
        """Hand over, once, ``(checkpoint_tables, ops)``.

        ``ops`` are the logged operations to apply on top of the checkpoint's
        state, in order.

        ``checkpoint_tables`` is ``None`` for a fresh directory, which must
        then get a first :meth:`checkpoint` before any :meth:`commit`.
        Raises ``RuntimeError`` on a second call.
        """
        if self._recovery is None:
            raise RuntimeError("recovery was already taken")
        recovery, self._recovery = self._recovery, None
        return recovery

    def _after_checkpoint(self, payloads: list[bytes]) -> list[list[Any]]:
        ops: list[list[Any]] = []
        for payload in payloads:
            record = json.loads(payload)
            lsn = record["lsn"]
            if lsn <= self.lsn:
                continue  # a crash hit between writing a checkpoint and truncating the log
            if lsn != self.lsn + 1:
                raise RuntimeError(f"{self.path / WAL_NAME}: commit {lsn} follows commit {self.lsn}")
            ops.extend(record["ops"])
            self.lsn = lsn
        return ops

    def commit(self, redo: list[str]) -> None:
        """Durably log one commit made of the JSON operation texts ``redo``.

        Raises ``OSError`` on I/O failure (then nothing may be assumed logged
        and every later commit raises ``RuntimeError``).
        """
        payload = f'{{"lsn":{self.lsn + 1},"ops":[{",".join(redo)}]}}'.encode()
        self._wal.append(payload)
        self.lsn += 1

    def wants_checkpoint(self) -> bool:
        """Whether the log has outgrown both the minimum and the last checkpoint (amortised O(1) per write)."""
        return self._wal.size >= max(self._compact_min_bytes, self._checkpoint_size)

    def checkpoint(self, snapshot_body: bytes) -> None:
        """Make ``snapshot_body`` the state as of the current commit, then empty the log."""
        self._checkpoint_size = write_checkpoint(self.path, self.lsn, snapshot_body)
        self._wal.truncate()

    def close(self) -> None:
        """Close the log and release the directory (idempotent)."""
        self._wal.close()
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1


def _lock(path: Path) -> int:
    import fcntl  # POSIX only: imported here so that memory-only stores work everywhere

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RuntimeError(f"{path.parent} is already open by another Store") from None
    return fd

"""The on-disk half of a durable store: lock, recovery, commits, checkpoints, clean close.

The files are described in layout.py.  Opening a directory reads it with
:func:`~.survey.survey` and refuses (:class:`~.errors.DataDirError`) on any
problem, changing nothing.  Otherwise it finishes what a stopped process left
(a format-1 directory is migrated, a torn log tail and the originals of the
migration are kept under ``kept/``; logs a checkpoint made redundant,
temporaries and the clean-close seal are removed) and appends to the last log.

A checkpoint of generation G+1 starts a new log, ``wal.<G+1>.log``, from the
current commit (:meth:`DataDir.start_checkpoint`, with the state frozen),
so commits go on while the checkpoint file is written
(:meth:`DataDir.finish_checkpoint`, from any thread); the logs before it are
deleted once the checkpoint is durable.  Until then recovery replays both.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

from .checkpoint import write_checkpoint
from .errors import DataDirBusy
from .files import atomic_write, fsync_dir
from .layout import FORMAT1_LOG_NAME, KEPT_NAME, LOCK_NAME, SEAL_NAME, is_temporary, kept_name, log_name
from .records import LogHeader, Op, commit_payload, header_payload
from .seal import Seal, write_seal
from .snapshot import Tables
from .survey import Survey, check_path, survey
from .wal import WriteAheadLog, frame

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class PendingCheckpoint:
    """A checkpoint started: generation ``generation`` of the state as of commit ``lsn``."""

    generation: int
    lsn: int


class DataDir:
    """An open data directory.

    Raises :class:`~.errors.NotADataDir` (``path`` is a file, or a
    directory holding other things), :class:`~.errors.DataDirBusy` (another
    process has it open), :class:`~.errors.DataDirDamaged` (see survey.py;
    nothing is changed then), another :class:`~.errors.DataDirError` (a
    newer format), ``OSError``.  ``compact_min_bytes``: see
    :meth:`wants_checkpoint`.
    """

    def __init__(self, path: Path, compact_min_bytes: int) -> None:
        check_path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._compact_min_bytes = compact_min_bytes
        self._lock_fd = _lock(path / LOCK_NAME)
        self._meta = threading.Lock()  # guards the checkpoint bookkeeping a checkpoint thread updates
        try:
            _remove_temporaries(path)
            found = _read(path)
            if found.version == 1:
                _migrate(found)
                found = _read(path)
            self._open(found)
        except BaseException:
            os.close(self._lock_fd)
            raise

    def _open(self, found: Survey) -> None:
        self._wal: WriteAheadLog | None = None
        self._older_logs: dict[int, int] = {}  # generation -> bytes, of the live logs before the current one
        self._retry_at = 0
        self.lsn = found.lsn
        checkpoint = found.checkpoint
        self.dir_id = checkpoint.dir_id if checkpoint is not None else uuid.uuid4().hex
        self._generation = checkpoint.generation if checkpoint is not None else 0
        self._checkpoint_size = checkpoint.size if checkpoint is not None else 0
        ops = [op for commit in found.commits for op in commit.ops]
        self._recovery: tuple[Tables | None, list[Op]] | None = (found.tables, ops)
        last = found.last_log
        if last is not None and found.torn is not None:
            _set_aside_tail(path=self.path, log_path=last.path, offset=found.torn.offset, reason=found.torn.reason)
        for redundant in found.obsolete + found.leftovers:
            redundant.unlink()
        (self.path / SEAL_NAME).unlink(missing_ok=True)  # from here on the log may grow
        fsync_dir(self.path)
        if last is not None:
            for older in found.logs[:-1]:
                self._older_logs[older.generation] = older.scan.size
            self._log_generation = last.generation
            self._wal = WriteAheadLog.reopen(last.path, last.scan.valid)
        else:
            self._log_generation = 0

    def take_recovery(self) -> tuple[Tables | None, list[Op]]:
        """Hand over, once, ``(checkpoint_tables, ops)``.

        ``ops`` are the logged operations to apply on top of the checkpoint's
        state, in order.  ``checkpoint_tables`` is ``None`` for a directory
        holding no data yet, which must then get a first :meth:`checkpoint`
        before any :meth:`commit`.  Raises ``RuntimeError`` on a second call.
        """
        if self._recovery is None:
            raise RuntimeError("recovery was already taken")
        recovery, self._recovery = self._recovery, None
        return recovery

    def commit(self, redo: list[str]) -> None:
        """Durably log one commit made of the JSON operation texts ``redo``.

        Raises ``OSError`` on I/O failure (then nothing may be assumed logged
        and every later commit raises ``RuntimeError``), ``RuntimeError``
        before the first checkpoint.
        """
        if self._wal is None:
            raise RuntimeError("the data directory has no checkpoint yet")
        self._wal.append(commit_payload(self.lsn + 1, redo))
        self.lsn += 1

    @property
    def log_bytes(self) -> int:
        """Bytes of log since the last durable checkpoint."""
        with self._meta:
            return sum(self._older_logs.values()) + (self._wal.size if self._wal is not None else 0)

    def wants_checkpoint(self) -> bool:
        """Whether the log has outgrown ``compact_min_bytes`` and the last checkpoint (amortised O(1) per
        logged byte), and no failed checkpoint asked to wait for more."""
        size = self.log_bytes
        return size >= max(self._compact_min_bytes, self._checkpoint_size, self._retry_at)

    def start_checkpoint(self) -> PendingCheckpoint:
        """Start the log of a new checkpoint generation from the current commit; later commits go there.

        Call with the state frozen (no commit may run concurrently), then
        :meth:`finish_checkpoint` with the state as of now.  Raises
        ``OSError`` if the log cannot be created (nothing changes then).
        """
        generation = self._log_generation + 1
        new = WriteAheadLog.create(self.path / log_name(generation),
                                   header_payload(LogHeader(self.dir_id, generation, self.lsn)))
        old, self._wal = self._wal, new
        if old is not None:
            with self._meta:
                self._older_logs[self._log_generation] = old.size
            old.close()
        self._log_generation = generation
        return PendingCheckpoint(generation, self.lsn)

    def finish_checkpoint(self, pending: PendingCheckpoint, body: Iterable[bytes]) -> None:
        """Write the checkpoint of ``pending`` (``body``: the snapshot JSON in chunks), then delete the logs
        it made redundant.  May run in another thread while commits go on.

        Raises ``OSError`` if it cannot be written: the logs are kept (recovery
        replays them) and :meth:`wants_checkpoint` waits for
        ``compact_min_bytes`` more log before asking again.
        """
        try:
            size = write_checkpoint(self.path, self.dir_id, pending.generation, pending.lsn, body)
        except BaseException:
            with self._meta:
                self._retry_at = sum(self._older_logs.values()) + self._compact_min_bytes
            raise
        with self._meta:
            self._checkpoint_size, self._generation, self._retry_at = size, pending.generation, 0
            redundant = [g for g in self._older_logs if g < pending.generation]
            for generation in redundant:
                del self._older_logs[generation]
        for generation in redundant:
            (self.path / log_name(generation)).unlink(missing_ok=True)
        fsync_dir(self.path)

    def checkpoint(self, body: Iterable[bytes]) -> None:
        """Make ``body`` (snapshot JSON in chunks) the state as of the current commit, now."""
        self.finish_checkpoint(self.start_checkpoint(), body)

    def close(self) -> None:
        """Close the log, seal the directory (unless an append failed) and release it (idempotent)."""
        wal, self._wal = self._wal, None
        if wal is not None:
            wal.close()
            if not wal.failed:
                seal = Seal(self.dir_id, self._log_generation, self.lsn, wal.size)
                try:
                    write_seal(self.path, seal)
                except OSError:
                    log.exception("could not write %s; the next start checks %s as after a crash",
                                  self.path / SEAL_NAME, wal.path)
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1


def _read(path: Path) -> Survey:
    found = survey(path)
    if found.problem is not None:
        raise found.problem
    return found


def _lock(path: Path) -> int:
    import fcntl  # POSIX only: imported here so that memory-only stores work everywhere

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DataDirBusy(path.parent, "in use by another rsc-mock process (a server or a command)",
                          fix="stop it first, or use another directory") from None
    return fd


def lock_for_reading(path: Path) -> int:
    """Take the lock of the existing data directory ``path`` (creating nothing but ``LOCK``); return the
    descriptor to ``os.close``.  Raises :class:`~.errors.DataDirBusy`."""
    return _lock(path / LOCK_NAME)


def _remove_temporaries(path: Path) -> None:
    for name in os.listdir(path):
        if is_temporary(name):
            (path / name).unlink()


def _set_aside_tail(path: Path, log_path: Path, offset: int, reason: str) -> None:
    """Copy the bytes of ``log_path`` from ``offset`` on to ``kept/``, then cut them off the log."""
    with open(log_path, "rb") as torn:
        torn.seek(offset)
        tail = torn.read()
    kept = path / KEPT_NAME
    kept.mkdir(exist_ok=True)
    copy = kept / kept_name(log_path.name, f"torn-at-{offset}")
    atomic_write(copy, tail)
    fsync_dir(path)
    fd = os.open(log_path, os.O_WRONLY)
    try:
        os.ftruncate(fd, offset)
        os.fsync(fd)
    finally:
        os.close(fd)
    log.warning("%s: set aside a torn tail of %d bytes at byte %d (%s; never acknowledged) as %s",
                log_path, len(tail), offset, reason, copy)


def _migrate(found: Survey) -> None:
    """Rewrite a format-1 directory in format 2, keeping its original files under ``kept/``."""
    checkpoint = found.checkpoint
    assert checkpoint is not None
    path = found.path
    kept = path / KEPT_NAME / kept_name("format-1", "migrated")
    kept.mkdir(parents=True)
    for name in (checkpoint.path.name, FORMAT1_LOG_NAME):
        if (path / name).exists():
            _keep_copy(path / name, kept / name)
    fsync_dir(kept)
    fsync_dir(kept.parent)
    for leftover in found.leftovers:
        leftover.unlink()
    write_format2(path, uuid.uuid4().hex, checkpoint.lsn, checkpoint.body, [c.payload for c in found.commits])
    (path / FORMAT1_LOG_NAME).unlink(missing_ok=True)
    fsync_dir(path)
    log.warning("%s: migrated from format 1 to format 2 (commit %d); the original files are in %s",
                path, found.lsn, kept)


def _keep_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)
        with open(target, "rb") as copy:
            os.fsync(copy.fileno())


def write_format2(path: Path, dir_id: str, lsn: int, body: bytes, payloads: list[bytes]) -> None:
    """Write the files of a format-2 data directory at ``path`` (an existing directory): checkpoint
    generation 1 holding the snapshot JSON ``body`` as of commit ``lsn``, and its log holding the commit
    ``payloads`` (numbered from ``lsn + 1``).  Raises ``OSError``."""
    records = [frame(header_payload(LogHeader(dir_id, 1, lsn)))] + [frame(payload) for payload in payloads]
    atomic_write(path / log_name(1), *records)
    write_checkpoint(path, dir_id, 1, lsn, [body])


"""Reading a data directory without changing it: what is provably intact, and the first problem.

:func:`survey` is the one reading of a data directory.  Opening a store acts
on it (and refuses on a problem), ``rsc-mock store verify`` prints it and
``rsc-mock store repair`` copies its intact part.  The rules:

* the checkpoint must match its checksum; its generation G names the log
  that continues it, ``wal.<G>.log``, which must exist (a missing log means
  commits may be lost); logs ``wal.<G+1>.log``... (a checkpoint being
  written when the process stopped) follow without a gap;
* each log starts with a header naming the data directory, its generation
  and the commit it continues from, which must be where the previous file
  ended; commits are numbered one after another (a replayed, reordered or
  foreign record breaks the sequence);
* the last log may end in a torn tail (see wal.py), which was never
  acknowledged; any other bad record is damage;
* after a clean close, the seal (seal.py) must match the log's end exactly.

Everything before the first problem is provably intact: the checkpoint's
state and the commits up to it, in order.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .checkpoint import Checkpoint, read_checkpoint, repair_hint
from .errors import DataDirDamaged, DataDirError, NotADataDir
from .format1 import scan_format1
from .layout import (
    CHECKPOINT_NAME,
    FORMAT1_LOG_NAME,
    KEPT_NAME,
    SEAL_NAME,
    is_own,
    log_generation,
    log_name,
)
from .records import Commit, LogHeader, parse_commit, parse_header
from .seal import Seal, read_seal
from .snapshot import Tables
from .wal import Flaw, LogScan, scan


@dataclasses.dataclass
class LogFile:
    """A log file that recovery reads: its ``generation`` (0 for format 1's ``wal.log``) and its scan."""

    generation: int
    path: Path
    scan: LogScan


@dataclasses.dataclass
class Survey:
    """What a data directory holds.

    ``version``: 0 when it holds no data yet (new, empty, or an interrupted
    first start), else the format (1 or 2).  ``checkpoint`` and ``tables``:
    the checkpoint and its state (``None`` when missing or damaged);
    ``commits``: the intact commits after it, in order; ``logs``: the logs
    read, in order; ``torn``: the torn tail of the last one; ``obsolete``:
    logs the checkpoint made redundant; ``leftovers``: files an interrupted
    first start or migration left; ``seal``: the clean-close seal;
    ``problem``: the first problem (nothing after it is in ``commits``).
    """

    path: Path
    version: int = 0
    checkpoint: Checkpoint | None = None
    tables: Tables | None = None
    commits: list[Commit] = dataclasses.field(default_factory=list)
    logs: list[LogFile] = dataclasses.field(default_factory=list)
    torn: Flaw | None = None
    obsolete: list[Path] = dataclasses.field(default_factory=list)
    leftovers: list[Path] = dataclasses.field(default_factory=list)
    seal: Seal | None = None
    problem: DataDirError | None = None

    @property
    def lsn(self) -> int:
        """The last intact commit (the checkpoint's if no commit follows it; 0 without a checkpoint)."""
        if self.commits:
            return self.commits[-1].lsn
        return 0 if self.checkpoint is None else self.checkpoint.lsn

    @property
    def last_log(self) -> LogFile | None:
        """The log new commits go to."""
        return self.logs[-1] if self.logs else None


def survey(path: Path) -> Survey:
    """Read the data directory at ``path`` (a missing one holds no data).

    Raises :class:`NotADataDir` for a file, or a directory holding other
    files and no store files; ``OSError`` if it cannot be read.  Damage is
    not raised but returned in :attr:`Survey.problem`.
    """
    found = Survey(path)
    check_path(path)
    if not path.exists():
        return found
    names = sorted(os.listdir(path))
    generations = sorted(g for g in map(log_generation, names) if g is not None)
    try:
        found.checkpoint = read_checkpoint(path)
    except DataDirDamaged as error:
        found.problem = error
        return found
    if found.checkpoint is None:
        return _without_checkpoint(found, names, generations)
    found.version = found.checkpoint.version
    try:
        found.tables = found.checkpoint.tables()
    except DataDirDamaged as error:
        found.problem = error
        return found
    if found.version == 1:
        found.leftovers = [path / log_name(g) for g in generations]
        _read_format1(found)
    else:
        _read_format2(found, generations, FORMAT1_LOG_NAME in names)
    return found


def _without_checkpoint(found: Survey, names: list[str], generations: list[int]) -> Survey:
    path = found.path
    for generation in generations:
        log = path / log_name(generation)
        if len(scan(log.read_bytes()).records) > 1:
            found.problem = _lost_base(path, log)
            return found
        found.leftovers.append(log)  # a first start stopped before its checkpoint: nothing was committed
    if FORMAT1_LOG_NAME in names and (path / FORMAT1_LOG_NAME).stat().st_size:
        found.problem = _lost_base(path, path / FORMAT1_LOG_NAME)
    elif (path / SEAL_NAME).exists():
        found.problem = _lost_base(path, path / SEAL_NAME)
    return found


def check_path(path: Path) -> None:
    """Raise :class:`NotADataDir` if ``path`` is a file, or a directory holding files that are not a store's
    and none that are (a missing path is fine: it becomes a new data directory)."""
    if not path.exists():
        return
    fix = "give a new or empty directory, or one rsc-mock wrote"
    if not path.is_dir():
        raise NotADataDir(path, "not a directory", fix=fix)
    names = os.listdir(path)
    if _has_store_files(names):
        return
    foreign = sorted(name for name in names if not is_own(name))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise NotADataDir(path, f"not an rsc-mock data directory (it holds {shown})", fix=fix)


def holds_data(path: Path) -> bool:
    """Whether the directory ``path`` holds any store file (checkpoint, log, seal), whole or not."""
    return path.is_dir() and _has_store_files(os.listdir(path))


def _has_store_files(names: list[str]) -> bool:
    return any(name in _DATA_NAMES or log_generation(name) is not None for name in names)


_DATA_NAMES = frozenset({CHECKPOINT_NAME, SEAL_NAME, FORMAT1_LOG_NAME})


def _lost_base(path: Path, evidence: Path) -> DataDirDamaged:
    return DataDirDamaged(path / CHECKPOINT_NAME, f"missing, but {evidence.name} shows the directory held data",
                          fix="nothing was changed; restore checkpoint.json from a backup (the state it held cannot"
                              " be rebuilt from the log alone)")


def _read_format1(found: Survey) -> None:
    assert found.checkpoint is not None
    path = found.path / FORMAT1_LOG_NAME
    data = path.read_bytes() if path.exists() else b""
    log = LogFile(0, path, scan_format1(data))
    found.logs = [log]
    lsn = found.checkpoint.lsn
    for record in log.scan.records:
        commit = parse_commit(record.payload)
        if commit is not None and commit.lsn <= found.checkpoint.lsn:
            continue  # format 1: the checkpoint was written, the log not yet truncated
        if not _next_commit(found, log, record.offset, commit, lsn):
            return
        assert commit is not None
        lsn = commit.lsn
    _end_of_log(found, log, last=True)


def _read_format2(found: Survey, generations: list[int], has_format1_log: bool) -> None:
    checkpoint = found.checkpoint
    assert checkpoint is not None
    path = found.path
    found.obsolete = [path / log_name(g) for g in generations if g < checkpoint.generation]
    live = [g for g in generations if g >= checkpoint.generation]
    if has_format1_log:
        stray = path / FORMAT1_LOG_NAME
        if not _kept_copy_exists(path, stray):
            found.problem = DataDirDamaged(stray, "a format-1 log beside a format-2 checkpoint",
                                           fix="nothing was changed; move it out of the directory")
            return
        found.leftovers.append(stray)
    seal_problem = None
    try:
        found.seal = read_seal(path)
    except DataDirDamaged as error:
        seal_problem = error  # reported unless the logs show a problem of their own
    lsn = checkpoint.lsn
    for expected in range(checkpoint.generation, (live[-1] if live else checkpoint.generation) + 1):
        if expected not in live:
            found.problem = _missing_log(found, expected, lsn)
            return
        log = LogFile(expected, path / log_name(expected), scan((path / log_name(expected)).read_bytes()))
        found.logs.append(log)
        if not _check_header(found, log, checkpoint.dir_id, lsn):
            return
        for record in log.scan.records[1:]:
            commit = parse_commit(record.payload)
            if not _next_commit(found, log, record.offset, commit, lsn):
                return
            assert commit is not None
            lsn = commit.lsn
        if not _end_of_log(found, log, last=expected == live[-1]):
            return
    if found.seal is not None:
        _check_seal(found, found.seal, lsn)
    else:
        found.problem = seal_problem


def _kept_copy_exists(path: Path, stray: Path) -> bool:
    """Whether ``stray`` is linked from kept/ (a migration that stopped before removing it)."""
    kept = path / KEPT_NAME
    if not kept.is_dir():
        return False
    return any(copy.is_file() and os.path.samefile(copy, stray) for copy in kept.glob(f"*/{stray.name}"))


def _missing_log(found: Survey, generation: int, lsn: int) -> DataDirDamaged:
    log = found.path / log_name(generation)
    return DataDirDamaged(log, f"missing: it holds the commits after commit {lsn} (checkpoint generation"
                               f" {found.checkpoint.generation if found.checkpoint else 0}), which may be lost",
                          fix=f"nothing was changed; restore the file from a backup, or {repair_hint(found.path)}"
                              f" (up to commit {lsn})")


def _check_header(found: Survey, log: LogFile, dir_id: str, lsn: int) -> bool:
    records = log.scan.records
    header = parse_header(records[0].payload) if records else None
    problem = None
    if header is None:
        problem = "the log's header record is damaged or missing"
    elif header.dir_id != dir_id:
        problem = f"belongs to another data directory (id {header.dir_id}; checkpoint.json has {dir_id})"
    elif header != LogHeader(dir_id, log.generation, lsn):
        problem = (f"its header says generation {header.generation} from commit {header.lsn}; expected generation"
                   f" {log.generation} from commit {lsn} (a file from another time or place)")
    if problem is not None:
        found.problem = _damage(found, log.path, problem, 0, lsn)
        return False
    return True


def _next_commit(found: Survey, log: LogFile, offset: int, commit: Commit | None, lsn: int) -> bool:
    if commit is None:
        found.problem = _damage(found, log.path, "a record that is not a well-formed commit", offset, lsn)
    elif commit.lsn != lsn + 1:
        found.problem = _damage(found, log.path, f"commit {commit.lsn} where commit {lsn + 1} was due (a replayed,"
                                                 " reordered or foreign record)", offset, lsn)
    else:
        found.commits.append(commit)
        return True
    return False


def _end_of_log(found: Survey, log: LogFile, last: bool) -> bool:
    flaw = log.scan.flaw
    if flaw is None:
        return True
    if flaw.torn and last and found.seal is None:
        found.torn = flaw
        return True
    if flaw.torn:
        why = "a clean close left it whole" if last else "a newer log follows it, so it was complete"
        problem = f"{flaw.reason}, but {why}"
    elif flaw.intact_after:
        problem = f"{flaw.reason}; {flaw.intact_after} intact record(s) follow, so this is damage, not a torn write"
    else:
        problem = f"{flaw.reason} in a complete record, so this is damage, not a torn write"
    found.problem = _damage(found, log.path, problem, flaw.offset, found.lsn)
    return False


def _check_seal(found: Survey, seal: Seal, lsn: int) -> None:
    log = found.last_log
    assert log is not None and found.checkpoint is not None
    if (seal.dir_id, seal.generation) != (found.checkpoint.dir_id, log.generation):
        found.problem = DataDirDamaged(found.path / SEAL_NAME, f"names log generation {seal.generation} of"
                                       f" data directory {seal.dir_id}, not {log.path.name}",
                                       fix="if the log is intact, delete closed.json")
    elif (seal.lsn, seal.log_bytes) != (lsn, log.scan.size):
        found.problem = _damage(found, log.path, f"ends at commit {lsn} after {log.scan.size} bytes, but the store"
                                f" was closed at commit {seal.lsn} after {seal.log_bytes} bytes (closed.json): the"
                                " log was cut or changed", min(log.scan.size, seal.log_bytes), lsn)


def _damage(found: Survey, file: Path, problem: str, offset: int, lsn: int) -> DataDirDamaged:
    return DataDirDamaged(file, problem, offset=offset,
                          fix=f"nothing was changed; {repair_hint(found.path)} (up to commit {lsn})")

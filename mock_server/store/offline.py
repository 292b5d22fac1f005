"""Checking and repairing a data directory that no process has open (``rsc-mock store verify|repair``).

Both read the directory with :func:`~.survey.survey` under its lock and
change nothing in it: verifying reports what a start would find, repairing
copies what is provably intact -- the checkpoint and the commits before the
first problem -- into a new directory, in the current format.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from .datadir import lock_for_reading, write_format2
from .errors import DataDirDamaged, NotADataDir
from .survey import Survey, check_path, holds_data, survey


def inspect(path: Path) -> Survey:
    """Read the data directory at ``path`` under its lock, changing nothing (damage is in ``problem``).

    Raises :class:`~.errors.NotADataDir` (missing, a file, other files, or
    no data yet), :class:`~.errors.DataDirBusy`, another
    :class:`~.errors.DataDirError` (a newer format), ``OSError``.
    """
    check_path(path)
    if not holds_data(path):
        raise NotADataDir(path, "no rsc-mock data in it" if path.is_dir() else "no such directory",
                          fix="give the directory a server was started with as --data-dir")
    fd = lock_for_reading(path)
    try:
        return survey(path)
    finally:
        os.close(fd)


def row_counts(found: Survey) -> dict[str, int]:
    """Rows per table after the intact commits: ``{table: rows}`` (tables with rows only)."""
    keys = {name: set(rows) for name, rows in (found.tables or {}).items()}
    for commit in found.commits:
        for op in commit.ops:
            table = keys.setdefault(op[1], set())
            if op[0] == "put":
                table.add(op[2])
            elif op[0] == "del":
                table.discard(op[2])
            else:
                table.clear()
    return {name: len(rows) for name, rows in keys.items() if rows}


def repair(source: Path, target: Path) -> Survey:
    """Write the provably intact part of the data directory ``source`` to ``target``; return the survey of
    ``source`` (its ``problem`` says what was left out).

    ``target`` must not exist or be an empty directory (its parent must
    exist); it becomes a format-2 data directory of its own (a new id)
    holding the checkpoint's state and the intact commits after it.  Raises
    what :func:`inspect` raises, :class:`~.errors.DataDirDamaged` when
    nothing is provably intact (the checkpoint is missing or damaged),
    :class:`~.errors.NotADataDir` for an unusable ``target``, ``OSError``.
    """
    found = inspect(source)
    checkpoint = found.checkpoint
    if checkpoint is None or found.tables is None:
        assert found.problem is not None
        raise DataDirDamaged(found.problem.file, found.problem.problem, offset=found.problem.offset,
                             fix="nothing is provably intact without the checkpoint; restore the directory from"
                                 " a backup or a snapshot export")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NotADataDir(target, "exists and is not an empty directory",
                          fix="give a new or empty directory for the repaired copy")
    target.mkdir(exist_ok=True)
    write_format2(target, uuid.uuid4().hex, checkpoint.lsn, checkpoint.body, [c.payload for c in found.commits])
    return found

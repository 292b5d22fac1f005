"""The clean-close seal (``closed.json``): where the log ended when the store was last closed.

A log cut exactly at a record boundary looks like a crash at that point: no
checksum can tell.  The seal can: a clean close writes the last log's
generation, its size and the last commit number as one framed, checksummed
record (the log's own framing, see wal.py), and opening the directory
checks the log against it, then removes it before any new write (so a
later crash never leaves a stale seal).  After a crash there is no seal and
a torn tail is expected.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .errors import DataDirDamaged
from .files import atomic_write
from .jsondoc import encode, json_object
from .layout import FORMAT_VERSION, SEAL_NAME
from .wal import frame, scan

SEAL_FORMAT = "rsc-mock-closed"


@dataclasses.dataclass(frozen=True)
class Seal:
    """The state of the log at a clean close: data directory ``dir_id``, last log ``generation`` holding
    ``log_bytes`` bytes, last commit ``lsn``."""

    dir_id: str
    generation: int
    lsn: int
    log_bytes: int


def write_seal(directory: Path, seal: Seal) -> None:
    """Write ``closed.json`` atomically.  Raises ``OSError``."""
    payload = {"format": SEAL_FORMAT, "version": FORMAT_VERSION, "id": seal.dir_id,
               "generation": seal.generation, "lsn": seal.lsn, "logBytes": seal.log_bytes}
    atomic_write(directory / SEAL_NAME, frame(encode(payload).encode()))


def read_seal(directory: Path) -> Seal | None:
    """The seal of ``directory``, or ``None``.  Raises :class:`DataDirDamaged` if it is damaged."""
    path = directory / SEAL_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    found = scan(data)
    seal = _parse(found.records[0].payload) if len(found.records) == 1 and found.flaw is None else None
    if seal is None:
        raise DataDirDamaged(path, "the clean-close seal is damaged", offset=0,
                             fix="if the log is intact, delete this file (the directory is then treated as"
                                 " after a crash)")
    return seal


def _parse(payload: bytes) -> Seal | None:
    fields = json_object(payload)
    if fields is None or fields.get("format") != SEAL_FORMAT:
        return None
    dir_id, generation, lsn, log_bytes = (fields.get(name) for name in ("id", "generation", "lsn", "logBytes"))
    if type(dir_id) is not str or type(generation) is not int or type(lsn) is not int or type(log_bytes) is not int:
        return None
    return Seal(dir_id, generation, lsn, log_bytes)

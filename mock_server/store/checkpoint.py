"""Checkpoint files: the full state at a log position, replaced atomically.

File layout (``checkpoint.json`` in the data directory)::

    {"format":"rsc-mock-checkpoint","version":1,"lsn":N}\n
    <snapshot document, see snapshot.py>

``lsn`` is the number of the last commit the checkpoint includes; log
records with a number up to ``lsn`` are redundant.  The header is a separate
line so a cached snapshot body (the seed's) can be reused with a new ``lsn``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .files import atomic_write
from .snapshot import Tables, parse_snapshot

CHECKPOINT_NAME = "checkpoint.json"
CHECKPOINT_FORMAT = "rsc-mock-checkpoint"
CHECKPOINT_VERSION = 1


def write_checkpoint(directory: Path, lsn: int, snapshot_body: bytes) -> int:
    """Atomically replace the checkpoint with ``snapshot_body`` at ``lsn``; return its size in bytes.

    Raises ``OSError`` if the file cannot be written (the old one then stays).
    """
    header = json.dumps({"format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION, "lsn": lsn})
    head = header.encode() + b"\n"
    atomic_write(directory / CHECKPOINT_NAME, head, snapshot_body)
    return len(head) + len(snapshot_body)


def read_checkpoint(directory: Path) -> tuple[int, Tables, int] | None:
    """Return ``(lsn, tables, size_in_bytes)`` of the checkpoint, or ``None`` if there is none.

    Raises ``ValueError`` if the file is not a checkpoint this code can read.
    """
    path = directory / CHECKPOINT_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    head, _, body = data.partition(b"\n")
    header = json.loads(head)
    if not isinstance(header, dict) or header.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path} is not a store checkpoint")
    if header.get("version") != CHECKPOINT_VERSION:
        raise ValueError(f"{path}: unsupported checkpoint version {header.get('version')!r}")
    return header["lsn"], parse_snapshot(json.loads(body), copy=False), len(data)

"""Crash-safe file primitives (POSIX)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o644
"""Mode of the files written here, before the umask: readable by all, writable by the owner."""

sync_data = getattr(os, "fdatasync", os.fsync)
"""Flush a file's data (and the size needed to read it back) to stable storage."""


def fsync_dir(directory: Path) -> None:
    """Make renames/creations/removals inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    """The name prefix of the temporary files :func:`atomic_write` uses for ``path``."""
    return f".{path.name}."


def atomic_write(path: Path, *chunks: bytes) -> None:
    """Replace ``path`` with the concatenated ``chunks``, all or nothing (see :func:`atomic_stream`)."""
    atomic_stream(path, chunks)


def atomic_stream(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace ``path`` with the bytes ``chunks`` yields, all or nothing.

    Writes a temporary file in the same directory as the chunks come (so
    they need not all be in memory at once), fsyncs it, renames it over
    ``path`` and fsyncs the directory, so a crash at any point leaves either
    the old or the new file, never a partial one.  The file gets mode 0644
    less the process umask (as the write-ahead log), not ``mkstemp``'s 0600.
    On error (``OSError``, or whatever ``chunks`` raises) the temporary file
    is removed and the error propagates.
    """
    tmp = path.parent / f"{temp_prefix(path)}{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)

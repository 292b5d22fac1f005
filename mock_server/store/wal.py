"""Append-only write-ahead log of framed, checksummed records."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

from .files import fsync_dir, sync_data

_FRAME = struct.Struct(">II")
"""Record header: payload length, CRC-32 of the payload (big-endian u32 each)."""


def frame(payload: bytes) -> bytes:
    """One log record: header + payload."""
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def scan(data: bytes) -> tuple[list[bytes], int]:
    """Split log bytes into payloads; return them and the length of the valid prefix.

    Scanning stops at the first record that is incomplete, empty or fails its
    checksum: that is a torn tail (a write cut short by a crash), and it and
    anything after it are not part of the log.
    """
    payloads: list[bytes] = []
    offset = 0
    while offset + _FRAME.size <= len(data):
        length, crc = _FRAME.unpack_from(data, offset)
        start = offset + _FRAME.size
        payload = data[start : start + length]
        if length == 0 or len(payload) != length or zlib.crc32(payload) != crc:
            break
        payloads.append(payload)
        offset = start + length
    return payloads, offset


class WriteAheadLog:
    """The log file of a data directory, opened for appending.

    Use :meth:`open`, which also recovers the existing records.  Each
    :meth:`append` is durable when it returns.  After a failed append the
    log's content is uncertain, so every later append raises ``RuntimeError``.
    """

    def __init__(self, fd: int, size: int) -> None:
        self._fd = fd
        self.size = size
        self._failure: BaseException | None = None

    @classmethod
    def open(cls, path: Path) -> tuple[WriteAheadLog, list[bytes]]:
        """Open (creating if needed) the log at ``path``; return it and its record payloads.

        A torn tail is cut off the file (and the cut fsynced) before returning.
        """
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            with open(fd, "rb", closefd=False) as existing:
                data = existing.read()
            payloads, valid = scan(data)
            if valid < len(data):
                os.ftruncate(fd, valid)
                os.fsync(fd)
            if created:
                fsync_dir(path.parent)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, valid), payloads

    def append(self, payload: bytes) -> None:
        """Append one record and flush it to stable storage.

        Raises ``OSError`` if writing fails, ``RuntimeError`` if an earlier append failed.
        """
        if self._failure is not None:
            raise RuntimeError("the write-ahead log failed earlier; reopen the store") from self._failure
        record = memoryview(frame(payload))
        try:
            while record:
                record = record[os.write(self._fd, record) :]
            sync_data(self._fd)
        except BaseException as exc:
            self._failure = exc
            raise
        self.size += _FRAME.size + len(payload)

    def truncate(self) -> None:
        """Empty the log (after a checkpoint made its records redundant)."""
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self.size = 0

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

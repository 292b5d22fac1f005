"""Write-ahead log files: framed, checksummed records; scanning that tells a torn tail from damage.

Record layout (format 2)::

    0   4  marker b"\\x89WAL"
    4   4  payload length (big-endian u32, > 0)
    8   4  CRC-32 of the payload
    12  4  CRC-32 of bytes 0..11 (so a damaged length is caught before it is trusted)
    16  n  payload: UTF-8 JSON

The first record of a log file is its header (see :func:`header_payload`);
every later one is a commit, ``{"lsn": N, "ops": [...]}`` (see datadir.py).

**Torn tail or damage.**  A commit returns only after its record is
flushed, so a crash can only leave the *last* record incomplete.  Scanning
therefore calls the bytes after the last whole record a torn tail only when
they are: shorter than a record header; a header (whose own checksum holds)
announcing more bytes than the file has; zeros to the end of the file; or a
last record whose final byte is zero (a file system that lost power fills
unwritten blocks with zeros, and a payload always ends with ``}``).  Any
other bad record -- a wrong marker, header or payload checksum -- is damage,
however far from the end, and scanning counts the intact records after it.
"""

from __future__ import annotations

import dataclasses
import os
import struct
import zlib
from pathlib import Path

from .files import atomic_write, sync_data

MAGIC = b"\x89WAL"
_HEAD = struct.Struct(">4sII")
_HEAD_CRC = struct.Struct(">I")
HEADER_SIZE = _HEAD.size + _HEAD_CRC.size
"""Bytes before each payload."""


def frame(payload: bytes) -> bytes:
    """One log record: header + ``payload`` (non-empty)."""
    head = _HEAD.pack(MAGIC, len(payload), zlib.crc32(payload))
    return head + _HEAD_CRC.pack(zlib.crc32(head)) + payload


@dataclasses.dataclass(frozen=True)
class Record:
    """A whole record: it starts at byte ``offset`` of the file and ends before ``end``."""

    offset: int
    end: int
    payload: bytes


@dataclasses.dataclass(frozen=True)
class Flaw:
    """Bad bytes at ``offset`` that end a scan: a ``torn`` tail, or damage with ``intact_after`` whole records
    found after it; ``reason`` says what is wrong."""

    offset: int
    reason: str
    torn: bool
    intact_after: int = 0


@dataclasses.dataclass(frozen=True)
class LogScan:
    """The whole records of a file's bytes, in order, and the flaw that ended the scan (``None``: none)."""

    records: list[Record]
    flaw: Flaw | None
    size: int

    @property
    def valid(self) -> int:
        """Length of the prefix made of whole records."""
        return self.records[-1].end if self.records else 0


def scan(data: bytes) -> LogScan:
    """Split log bytes into records, stopping at the first bad one (see the module docstring)."""
    records: list[Record] = []
    offset = 0
    while offset < len(data):
        checked = _check(data, offset)
        if isinstance(checked, Flaw):
            if not checked.torn:
                checked = dataclasses.replace(checked, intact_after=_intact_after(data, offset))
            return LogScan(records, checked, len(data))
        records.append(Record(offset, checked, data[offset + HEADER_SIZE : checked]))
        offset = checked
    return LogScan(records, None, len(data))


def _check(data: bytes, offset: int) -> int | Flaw:
    """The end of the whole record at ``offset``, or the flaw found there."""
    rest = len(data) - offset
    if rest < HEADER_SIZE:
        return Flaw(offset, f"a record header cut short ({rest} of {HEADER_SIZE} bytes)", torn=True)
    head: tuple[bytes, int, int] = _HEAD.unpack_from(data, offset)
    marker, length, crc = head
    head_crc: int = _HEAD_CRC.unpack_from(data, offset + _HEAD.size)[0]
    if marker != MAGIC or zlib.crc32(data[offset : offset + _HEAD.size]) != head_crc:
        if data.count(0, offset) == rest:
            return Flaw(offset, f"{rest} zero bytes after the last record", torn=True)
        what = "no record marker" if marker != MAGIC else "record header checksum mismatch"
        return Flaw(offset, what, torn=False)
    start = offset + HEADER_SIZE
    if length == 0:
        return Flaw(offset, "an empty record", torn=False)
    if start + length > len(data):
        return Flaw(offset, f"a record cut short ({len(data) - start} of {length} bytes)", torn=True)
    if zlib.crc32(data[start : start + length]) != crc:
        if start + length == len(data) and data[-1] == 0:
            return Flaw(offset, "the last record ends in zero bytes (unwritten blocks)", torn=True)
        return Flaw(offset, "record checksum mismatch", torn=False)
    return start + length


def _intact_after(data: bytes, offset: int) -> int:
    """How many whole records start after ``offset`` (found by their marker, each checked in full)."""
    count = 0
    at = data.find(MAGIC, offset + 1)
    while at != -1:
        checked = _check(data, at)
        if isinstance(checked, Flaw):
            at = data.find(MAGIC, at + 1)
        else:
            count += 1
            at = data.find(MAGIC, checked)
    return count


class WriteAheadLog:
    """A log file opened for appending; each :meth:`append` is durable when it returns.

    Open with :meth:`create` (a new file holding its header record) or
    :meth:`reopen` (an existing file whose whole records end at ``size``).
    After a failed append the log's content is uncertain, so every later
    append raises ``RuntimeError`` and :attr:`failed` is true.
    """

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self.path = path
        self.size = size
        self._fd = fd
        self._failure: BaseException | None = None

    @classmethod
    def create(cls, path: Path, header: bytes) -> WriteAheadLog:
        """Write a new log holding only the record ``header``, atomically, and open it.  Raises ``OSError``."""
        record = frame(header)
        atomic_write(path, record)
        return cls(path, os.open(path, os.O_WRONLY | os.O_APPEND), len(record))

    @classmethod
    def reopen(cls, path: Path, size: int) -> WriteAheadLog:
        """Open the existing log at ``path`` (``size`` bytes of whole records) for appending."""
        return cls(path, os.open(path, os.O_WRONLY | os.O_APPEND), size)

    @property
    def failed(self) -> bool:
        """Whether an append failed (the file may then hold a partial record)."""
        return self._failure is not None

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
        self.size += HEADER_SIZE + len(payload)

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

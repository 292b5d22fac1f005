"""Reading format 1 logs (``wal.log``), so that data directories written before format 2 are migrated.

A format-1 record is ``<u32 length><u32 CRC-32 of the payload><payload>``
(big-endian), with no marker and no checksum of its own length.  A bad record
with an intact record after it (found by the ``{"lsn":`` every payload starts
with) is damage; otherwise it is taken for a torn tail, as format 1 did.
Records numbered up to the checkpoint's ``lsn`` are redundant (format 1
truncated the log after a checkpoint, so a crash could leave them).
"""

from __future__ import annotations

import struct
import zlib

from .wal import Flaw, LogScan, Record

_FRAME = struct.Struct(">II")
_PAYLOAD_START = b'{"lsn":'


def scan_format1(data: bytes) -> LogScan:
    """Split format-1 log bytes into records, stopping at the first bad one."""
    records: list[Record] = []
    offset = 0
    while offset < len(data):
        end = _whole(data, offset)
        if end is None:
            after = _intact_after(data, offset)
            reason = "bad record (length or checksum)"
            return LogScan(records, Flaw(offset, reason, torn=after == 0, intact_after=after), len(data))
        records.append(Record(offset, end, data[offset + _FRAME.size : end]))
        offset = end
    return LogScan(records, None, len(data))


def _whole(data: bytes, offset: int) -> int | None:
    if offset + _FRAME.size > len(data):
        return None
    frame: tuple[int, int] = _FRAME.unpack_from(data, offset)
    length, crc = frame
    start = offset + _FRAME.size
    payload = data[start : start + length]
    if length == 0 or len(payload) != length or zlib.crc32(payload) != crc:
        return None
    return start + length


def _intact_after(data: bytes, offset: int) -> int:
    count = 0
    at = data.find(_PAYLOAD_START, offset + 1)
    while at != -1:
        end = _whole(data, at - _FRAME.size) if at - _FRAME.size > offset else None
        if end is None:
            at = data.find(_PAYLOAD_START, at + 1)
        else:
            count += 1
            at = data.find(_PAYLOAD_START, end + _FRAME.size)
    return count

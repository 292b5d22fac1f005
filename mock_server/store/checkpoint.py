"""Checkpoint files: the full state at a commit number, checksummed, replaced atomically.

Layout of ``checkpoint.json`` (format 2), three lines::

    {"format":"rsc-mock-checkpoint","version":2,"id":"<data dir id>","generation":G,"lsn":N}
    <snapshot document, see snapshot.py>
    {"blocks":"<CRC-32 of each 1 MiB block, 8 hex digits each>","bytes":B,"sha256":"<hex>"}

``lsn`` is the number of the last commit the checkpoint includes; ``G``
names the log that continues it (``wal.<G>.log``); ``id`` is the data
directory's, also in its logs, so files of two directories cannot be mixed.
The trailer's SHA-256 covers the ``B`` bytes before it (header and body), so
any change to the file is caught, and the block checksums say where; it is a
trailer so the body can be written as it is encoded.  Format 1 had the header (``{"format", "version":
1, "lsn"}``) and the body only: it is still read (see format1.py) but never
written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import DataDirDamaged, DataDirError
from .files import atomic_stream
from .jsondoc import encode, json_object
from .layout import CHECKPOINT_NAME, FORMAT_VERSION
from .snapshot import Tables, parse_snapshot

CHECKPOINT_FORMAT = "rsc-mock-checkpoint"
_TRAILER_KEYS = ["blocks", "bytes", "sha256"]
BLOCK_BYTES = 1 << 20
"""The span of each block checksum of the trailer."""


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """A checkpoint file as read: its format ``version`` (1 or 2), the data directory ``dir_id`` and
    ``generation`` (``""`` and 0 in format 1), the commit number ``lsn``, the snapshot ``body`` (JSON bytes,
    not yet parsed) and the file's ``size`` in bytes."""

    path: Path
    version: int
    dir_id: str
    generation: int
    lsn: int
    body: bytes
    size: int

    def tables(self) -> Tables:
        """Parse and validate the body.  Raises :class:`DataDirDamaged` naming the file and offset."""
        start = self.body_offset
        try:
            return parse_snapshot(json.loads(self.body), copy=False)
        except json.JSONDecodeError as error:
            raise _damaged(self.path, f"the state inside is not JSON ({error.msg})", start + error.pos) from None
        except ValueError as error:  # UnicodeDecodeError too
            raise _damaged(self.path, f"the state inside is not a store snapshot ({error})", start) from None

    @property
    def body_offset(self) -> int:
        """Where the body starts in the file."""
        return len(self.header_line())

    def header_line(self) -> bytes:
        """The file's first line (with its newline) as written for this checkpoint."""
        if self.version == 1:
            return encode({"format": CHECKPOINT_FORMAT, "version": 1, "lsn": self.lsn}).encode() + b"\n"
        return _header(self.dir_id, self.generation, self.lsn)


def _header(dir_id: str, generation: int, lsn: int) -> bytes:
    fields = {"format": CHECKPOINT_FORMAT, "version": FORMAT_VERSION, "id": dir_id, "generation": generation,
              "lsn": lsn}
    return encode(fields).encode() + b"\n"


def write_checkpoint(directory: Path, dir_id: str, generation: int, lsn: int, body: Iterable[bytes]) -> int:
    """Atomically replace ``directory/checkpoint.json`` with the snapshot JSON that ``body`` yields (in
    chunks) as generation ``generation`` at commit ``lsn``; return the file's size in bytes.

    Raises ``OSError`` if the file cannot be written (the old one then stays).
    """
    written = [0]

    def chunks() -> Iterator[bytes]:
        digest, blocks = hashlib.sha256(), _BlockChecksums()
        for chunk in _lines(_header(dir_id, generation, lsn), body):
            digest.update(chunk)
            blocks.update(chunk)
            written[0] += len(chunk)
            yield chunk
        trailer = encode({"blocks": blocks.hex(), "bytes": written[0], "sha256": digest.hexdigest()}).encode()
        trailer += b"\n"
        written[0] += len(trailer)
        yield trailer

    atomic_stream(directory / CHECKPOINT_NAME, chunks())
    return written[0]


def _lines(header: bytes, body: Iterable[bytes]) -> Iterator[bytes]:
    yield header
    yield from body
    yield b"\n"


def read_checkpoint(directory: Path) -> Checkpoint | None:
    """The checkpoint of ``directory``, checked, or ``None`` if there is none (body not parsed yet).

    Raises :class:`DataDirDamaged` (naming the file and, where it can, the
    offset) when the file does not match its checksum or is not a
    checkpoint, :class:`DataDirError` when a newer format wrote it.
    """
    path = directory / CHECKPOINT_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    head_end = data.find(b"\n") + 1
    header = json_object(data[:head_end])
    trailer_start = data.rfind(b"\n", 0, len(data) - 1) + 1
    trailer = json_object(data[trailer_start:]) if data.endswith(b"\n") and trailer_start else None
    if trailer is not None and sorted(trailer) == _TRAILER_KEYS:
        content = memoryview(data)[:trailer_start]
        blocks = _BlockChecksums()
        blocks.update(content)
        if (trailer["bytes"], trailer["sha256"], trailer["blocks"]) != (
                trailer_start, hashlib.sha256(content).hexdigest(), blocks.hex()):
            where = _first_bad_block(blocks.hex(), trailer["blocks"])
            what = "the 1 MiB block from here fails its checksum" if where is not None else "its checksum trailer"
            raise _damaged(path, f"changed after it was written ({what} does not match)",
                           trailer_start if where is None else where)
        return _format2(path, header, data, head_end, trailer_start)
    if header is not None and header.get("format") == CHECKPOINT_FORMAT:
        version = header.get("version")
        if version == 1 and type(version) is int and type(header.get("lsn")) is int and header["lsn"] >= 0:
            return Checkpoint(path, 1, "", 0, header["lsn"], data[head_end:], len(data))
        if type(version) is int and version > FORMAT_VERSION:
            raise DataDirError(path, f"written by a newer rsc-mock (checkpoint format {version}; this one reads"
                                     f" formats 1 and {FORMAT_VERSION})", fix="run that version of rsc-mock")
    raise _damaged(path, "no valid checksum trailer (cut short, damaged, or not a checkpoint)", trailer_start)


def _format2(path: Path, header: dict[str, Any] | None, data: bytes, head_end: int, trailer_start: int) -> Checkpoint:
    if (
        header is None
        or header.get("format") != CHECKPOINT_FORMAT
        or header.get("version") != FORMAT_VERSION
        or type(header.get("id")) is not str
        or type(header.get("generation")) is not int
        or type(header.get("lsn")) is not int
        or header["generation"] < 1
        or header["lsn"] < 0
    ):
        raise _damaged(path, "the header line is not a format-2 checkpoint header", 0)
    body = data[head_end : trailer_start - 1]
    return Checkpoint(path, FORMAT_VERSION, header["id"], header["generation"], header["lsn"], body, len(data))


class _BlockChecksums:
    """CRC-32 of each :data:`BLOCK_BYTES` block of a stream fed in chunks."""

    def __init__(self) -> None:
        self._done: list[int] = []
        self._crc = 0
        self._filled = 0

    def update(self, chunk: bytes | memoryview) -> None:
        view = memoryview(chunk)
        while view:
            take = view[: BLOCK_BYTES - self._filled]
            self._crc = zlib.crc32(take, self._crc)
            self._filled += len(take)
            view = view[len(take) :]
            if self._filled == BLOCK_BYTES:
                self._done.append(self._crc)
                self._crc, self._filled = 0, 0

    def hex(self) -> str:
        tail = [self._crc] if self._filled else []
        return "".join(f"{crc:08x}" for crc in self._done + tail)


def _first_bad_block(actual: str, expected: object) -> int | None:
    """The offset of the first block whose checksum in ``actual`` differs from ``expected`` (both as in the
    trailer), ``None`` if none does or ``expected`` is not comparable."""
    if not isinstance(expected, str) or len(expected) != len(actual):
        return None
    for index in range(0, len(actual), 8):
        if expected[index : index + 8] != actual[index : index + 8]:
            return index // 8 * BLOCK_BYTES
    return None


def _damaged(path: Path, problem: str, offset: int | None) -> DataDirDamaged:
    return DataDirDamaged(path, problem, offset=offset, fix=f"nothing was changed; {repair_hint(path.parent)}")


def repair_hint(directory: Path) -> str:
    """What to run about a damaged data directory (one clause, for error messages)."""
    return (f"check it with `rsc-mock store verify --data-dir {directory}`, and `rsc-mock store repair"
            f" --data-dir {directory} --out NEWDIR` copies what is provably intact into a new directory")

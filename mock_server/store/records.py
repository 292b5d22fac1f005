"""What the log's records say: the header of a log file, and one commit.

Header (first record of ``wal.<G>.log``)::

    {"format": "rsc-mock-wal", "version": 2, "id": "<data dir id>", "generation": G, "lsn": N}

``lsn`` is the commit the log continues from: that of checkpoint G, or the
end of log G-1 when the log was started before checkpoint G was written.

Commit::

    {"lsn": N, "ops": [["put", table, key, doc] | ["del", table, key] | ["clear", table], ...]}
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .jsondoc import encode, json_object
from .layout import FORMAT_VERSION

LOG_FORMAT = "rsc-mock-wal"

Op = list[Any]
"""One logged operation (see the module docstring)."""


@dataclasses.dataclass(frozen=True)
class LogHeader:
    """The header of a log file."""

    dir_id: str
    generation: int
    lsn: int


@dataclasses.dataclass(frozen=True)
class Commit:
    """One commit: its number, its operations and the payload they were read from."""

    lsn: int
    ops: list[Op]
    payload: bytes


def header_payload(header: LogHeader) -> bytes:
    """The payload of a log file's header record."""
    fields = {"format": LOG_FORMAT, "version": FORMAT_VERSION, "id": header.dir_id,
              "generation": header.generation, "lsn": header.lsn}
    return encode(fields).encode()


def parse_header(payload: bytes) -> LogHeader | None:
    """The header in ``payload``, or ``None`` if it is not a format-2 log header."""
    fields = json_object(payload)
    if fields is None or fields.get("format") != LOG_FORMAT or fields.get("version") != FORMAT_VERSION:
        return None
    dir_id, generation, lsn = fields.get("id"), fields.get("generation"), fields.get("lsn")
    if type(dir_id) is not str or type(generation) is not int or type(lsn) is not int:
        return None
    return LogHeader(dir_id, generation, lsn)


def commit_payload(lsn: int, redo: list[str]) -> bytes:
    """The payload of commit ``lsn`` made of the JSON operation texts ``redo``."""
    return f'{{"lsn":{lsn},"ops":[{",".join(redo)}]}}'.encode()


def parse_commit(payload: bytes) -> Commit | None:
    """The commit in ``payload``, or ``None`` if it is not a well-formed commit."""
    fields = json_object(payload)
    if fields is None or set(fields) != {"lsn", "ops"}:
        return None
    lsn, ops = fields["lsn"], fields["ops"]
    if type(lsn) is not int or not isinstance(ops, list) or not all(_is_op(op) for op in ops):
        return None
    return Commit(lsn, ops, payload)


def _is_op(op: Any) -> bool:
    if not isinstance(op, list) or len(op) < 2 or type(op[1]) is not str:
        return False
    kind = op[0]
    if kind == "put":
        return len(op) == 4 and type(op[2]) is str and isinstance(op[3], dict)
    if kind == "del":
        return len(op) == 3 and type(op[2]) is str
    return kind == "clear" and len(op) == 2


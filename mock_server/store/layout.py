"""The names of the files in a data directory (format 2) and what each is.

::

    LOCK                flock()ed while a process has the directory open
    checkpoint.json     the full state as of commit ``lsn``, generation G (checkpoint.py)
    wal.<G>.log         the commits after checkpoint generation G, one record each (wal.py);
                        wal.<G+1>.log also exists while checkpoint G+1 is being written
    closed.json         written by a clean close: where the log ended (seal.py); removed on open
    kept/               originals that recovery set aside (a torn log tail, the files of format 1)
    .<name>.<hex>.tmp   a file being written (files.atomic_stream); removed on open

Format 1 (before checksummed checkpoints) had ``checkpoint.json`` without a
checksum and one ``wal.log``; see format1.py.
"""

from __future__ import annotations

import re
import time

CHECKPOINT_NAME = "checkpoint.json"
SEAL_NAME = "closed.json"
LOCK_NAME = "LOCK"
KEPT_NAME = "kept"
FORMAT1_LOG_NAME = "wal.log"

FORMAT_VERSION = 2
"""The on-disk format written by this code (checkpoint, log and seal headers carry it)."""

_LOG_NAME = re.compile(r"wal\.([0-9]{1,18})\.log")
_FOREIGN_OK = frozenset({"lost+found"})
"""Names a data directory may hold besides its own files (the root of a mounted volume has lost+found)."""


def log_name(generation: int) -> str:
    """The file name of the log of checkpoint generation ``generation`` (``wal.000007.log``)."""
    return f"wal.{generation:06d}.log"


def log_generation(name: str) -> int | None:
    """The generation of a log file name, or ``None`` if ``name`` is not one."""
    match = _LOG_NAME.fullmatch(name)
    return None if match is None else int(match.group(1))


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a file left half-written by an interrupted atomic write."""
    return name.startswith(".") and name.endswith(".tmp")


def is_own(name: str) -> bool:
    """Whether ``name`` may appear in a data directory (its files, temporaries, dot-files, lost+found)."""
    return (
        name in (CHECKPOINT_NAME, SEAL_NAME, LOCK_NAME, KEPT_NAME, FORMAT1_LOG_NAME)
        or log_generation(name) is not None
        or name.startswith(".")
        or name in _FOREIGN_OK
    )


def kept_name(original: str, what: str) -> str:
    """A name under ``kept/`` for an ``original`` file set aside because of ``what``, unique per microsecond
    (``20261129T134524.416381Z-wal.000005.log-torn-at-2455``)."""
    now = time.time_ns() // 1000
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000))
    return f"{stamp}.{now % 1_000_000:06d}Z-{original}-{what}"

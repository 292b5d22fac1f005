"""Checks of the paths given to ``rsc-mock``: each bad one is a :class:`UsageError` naming the flag, the path
and the fix, in one line, before the command does anything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mock_server.store.errors import DataDirBusy, NotADataDir


class UsageError(Exception):
    """A command line that cannot be carried out as given (``rsc-mock`` exits 2); the message is one line."""


def existing_dir(flag: str, path: Path) -> Path:
    """``path``, which must be an existing directory."""
    if not path.exists():
        raise UsageError(f"{flag} {path}: no such directory; give an existing directory")
    if not path.is_dir():
        raise UsageError(f"{flag} {path}: a file, not a directory; give a directory")
    return path


def existing_file(flag: str, path: Path) -> Path:
    """``path``, which must be an existing file."""
    if not path.exists():
        raise UsageError(f"{flag} {path}: no such file; give an existing file")
    if path.is_dir():
        raise UsageError(f"{flag} {path}: a directory, not a file; give a file")
    return path


def output_file(flag: str, path: Path) -> Path:
    """``path``, a file to write: its directory must exist, and it must be new or a regular file (a symbolic
    link to one included). Output files are written whole and renamed over ``path``, which would replace a
    device, a FIFO or a socket (``-o /dev/full``, ``-o /dev/stdout``) with a regular file and report success."""
    _parent_exists(flag, path)
    if path.is_dir():
        raise UsageError(f"{flag} {path}: a directory; give a file name (such as {path / 'out.json'})")
    if path.exists() and not path.is_file() or path.is_symlink() and not path.exists():
        raise UsageError(f"{flag} {path}: not a regular file (a device, FIFO, socket or broken link), which the"
                         " output would replace; give the name of a new or a regular file")
    if path.is_symlink():
        return path.resolve()
    return path


def output_dir(flag: str, path: Path, *, empty: bool) -> Path:
    """``path``, a directory to write into: missing (its parent must exist) or a directory (``empty`` when it
    must hold nothing)."""
    _parent_exists(flag, path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: a file, not a directory; give a new directory")
    if empty and path.is_dir() and any(path.iterdir()):
        raise UsageError(f"{flag} {path}: not empty; give a new or empty directory (nothing is overwritten)")
    return path


def _parent_exists(flag: str, path: Path) -> None:
    parent = path.absolute().parent
    if not parent.exists():
        raise UsageError(f"{flag} {path}: directory {parent} does not exist; create it first")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: {parent} is not a directory")


@contextmanager
def data_dir_flag(flag: str) -> Iterator[None]:
    """Turn a data directory that is not one or is in use into a :class:`UsageError` naming ``flag``."""
    try:
        yield
    except (NotADataDir, DataDirBusy) as error:
        raise UsageError(f"{flag} {error}") from None

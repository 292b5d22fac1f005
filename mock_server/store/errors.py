"""Why a data directory cannot be opened: one error value naming the file, the byte offset and the fix."""

from __future__ import annotations

from pathlib import Path


class DataDirError(RuntimeError):
    """A data directory that cannot be used as it is; nothing in it was changed.

    ``file``: the file (or directory) at fault; ``offset``: the byte offset
    in it where the problem starts, when there is one; ``problem``: what is
    wrong; ``fix``: what the user can do.  ``str()`` is one line:
    ``<file> at byte <offset>: <problem>; <fix>``.
    """

    def __init__(self, file: Path, problem: str, *, offset: int | None = None, fix: str = "") -> None:
        self.file = file
        self.offset = offset
        self.problem = problem
        self.fix = fix
        super().__init__(self.what + (f"; {fix}" if fix else ""))

    @property
    def what(self) -> str:
        """``<file> at byte <offset>: <problem>``, without the fix."""
        where = str(self.file) if self.offset is None else f"{self.file} at byte {self.offset}"
        return f"{where}: {self.problem}"


class DataDirBusy(DataDirError):
    """Another process (a server, a CLI command) has the data directory open."""


class NotADataDir(DataDirError):
    """The path is not a data directory: a file, or a directory holding other things."""


class DataDirDamaged(DataDirError):
    """Files of the data directory are damaged, missing or do not belong together."""

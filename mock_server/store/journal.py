"""The change journal of one open transaction."""

from __future__ import annotations

from collections.abc import Callable


class Journal:
    """Changes made so far by one transaction, applied in memory already.

    ``redo`` holds one JSON text per change (what goes to the write-ahead
    log); a parallel list holds the action that undoes each change.  A mark
    (``len(journal)``) taken when a nested scope opens lets that scope roll
    back alone.
    """

    __slots__ = ("redo", "_undo")

    def __init__(self) -> None:
        self.redo: list[str] = []
        self._undo: list[Callable[[], object]] = []

    def __len__(self) -> int:
        return len(self.redo)

    def record(self, redo: str, undo: Callable[[], object]) -> None:
        """Append a change that has just been applied in memory."""
        self.redo.append(redo)
        self._undo.append(undo)

    def rollback(self, mark: int = 0) -> None:
        """Undo, newest first, every change recorded after ``mark`` and forget them."""
        while len(self._undo) > mark:
            self._undo.pop()()
        del self.redo[mark:]

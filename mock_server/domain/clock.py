"""The emulator's clock: real time plus an offset that tests can move, or a frozen instant.

Everything time-dependent (token expiry, job-posting task completion, daily quotas, notification retries
and expiry) reads this clock, never ``time.time()`` directly, so a test can jump a token past its 1800 s
lifetime or a quota past midnight UTC without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

EARLIEST_MS = 0
LATEST_MS = 64_060_588_800_000  # 4000-01-01T00:00:00Z: far enough from year 9999 that every date computed
#                                 from "now" (token expiry, quota days, month of an export) stays valid


class ClockRangeError(ValueError):
    """A clock change that would leave the instants the emulator can work with (:data:`EARLIEST_MS` to
    :data:`LATEST_MS`); the clock is left as it was."""


def check_instant(epoch_ms: float) -> int:
    """``epoch_ms`` when it is from 1970-01-01 to 4000-01-01 (:data:`EARLIEST_MS`..:data:`LATEST_MS`); raises
    :class:`ClockRangeError` otherwise."""
    if not EARLIEST_MS <= epoch_ms <= LATEST_MS:
        raise ClockRangeError(f"the clock must stay from 1970-01-01 to 4000-01-01 (epoch ms {EARLIEST_MS} to"
                              f" {LATEST_MS})")
    return int(epoch_ms)


class Clock:
    """Emulated wall clock.

    ``now_ms()`` is epoch milliseconds, ``now_s()`` epoch seconds (float). ``advance(seconds)`` moves the
    clock forward (or back, with a negative number); ``freeze()`` stops it at the current emulated instant;
    ``unfreeze()`` lets it run again from where it stands; ``set_ms(epoch_ms)`` jumps to an instant;
    ``reset()`` returns to real time. ``subscribe(listener)`` registers a no-argument callable run after every
    one of these changes (from the changing thread), so waiting work (notification retries) can wake up.
    ``advance``, ``set_ms`` and ``freeze`` raise :class:`ClockRangeError` (changing nothing) when the instant
    they would reach is outside :data:`EARLIEST_MS`..:data:`LATEST_MS`.
    """

    def __init__(self) -> None:
        self._offset_ms = 0
        self._frozen_at_ms: int | None = None
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change of the clock (advance, set, freeze, unfreeze, reset)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def now_ms(self) -> int:
        """Current emulated time in epoch milliseconds."""
        if self._frozen_at_ms is not None:
            return self._frozen_at_ms
        return int(time.time() * 1000) + self._offset_ms

    def now_s(self) -> float:
        """Current emulated time in epoch seconds."""
        return self.now_ms() / 1000

    def advance(self, seconds: float) -> int:
        """Move the clock by ``seconds`` (may be negative); returns the new time in epoch ms."""
        check_instant(self.now_ms() + seconds * 1000)  # first: refuses infinite and NaN moves too
        delta = int(round(seconds * 1000))
        if self._frozen_at_ms is not None:
            self._frozen_at_ms += delta
        else:
            self._offset_ms += delta
        self._changed()
        return self.now_ms()

    def set_ms(self, epoch_ms: int) -> int:
        """Jump to ``epoch_ms`` (staying frozen if frozen); returns it."""
        epoch_ms = check_instant(epoch_ms)
        if self._frozen_at_ms is not None:
            self._frozen_at_ms = epoch_ms
        else:
            self._offset_ms = epoch_ms - int(time.time() * 1000)
        self._changed()
        return self.now_ms()

    def freeze(self) -> int:
        """Stop the clock at the current emulated instant; returns it in epoch ms."""
        self._frozen_at_ms = check_instant(self.now_ms())
        self._changed()
        return self._frozen_at_ms

    def unfreeze(self) -> int:
        """Let the clock run again from the instant it was frozen at; returns the current epoch ms."""
        if self._frozen_at_ms is not None:
            self._offset_ms = self._frozen_at_ms - int(time.time() * 1000)
            self._frozen_at_ms = None
        self._changed()
        return self.now_ms()

    def reset(self) -> None:
        """Back to real time: no offset, not frozen."""
        self._offset_ms = 0
        self._frozen_at_ms = None
        self._changed()

    @property
    def frozen(self) -> bool:
        """True while the clock is frozen."""
        return self._frozen_at_ms is not None

    def state(self) -> dict[str, Any]:
        """``{"now": epoch ms, "offsetMs": int, "frozen": bool}`` for the admin API: both from one reading of the
        real clock (two readings a millisecond apart made a running clock's offset ``-1``)."""
        real = int(time.time() * 1000)
        now = self._frozen_at_ms if self._frozen_at_ms is not None else real + self._offset_ms
        return {"now": now, "offsetMs": now - real, "frozen": self.frozen}

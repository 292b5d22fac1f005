"""Checks of the values given to ``rsc-mock``'s flags, as ``argparse`` types: a value out of its range is refused
by argparse (exit 2) with one line naming the flag (``argument --port: 70000 is not a port (1 to 65535)``)
before the command does anything."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from urllib.parse import urlsplit

from mock_server.api.versions import VERSIONS


def integer(low: int | None = None, high: int | None = None, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (either ``None``: unbounded); ``what`` names
    the range in the message (``a port``)."""
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is not {what or 'in range'} ({_range(low, high)})")
        return value
    return read


def _range(low: int | None, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return f"{low} to {high}" if low is not None else f"{high} or less"


def seconds(low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type`` for a number of seconds from ``low`` to ``high`` (both included): NaN, infinities
    and values outside the bounds are usage errors (exit 2) naming the bounds, rather than a crash later
    (``time.sleep(nan)`` raises ValueError, ``time.sleep(1e308)`` OverflowError)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not a number of seconds from {low:g} to {high:g}")
        return value

    return parse


def version_month(text: str) -> int:
    """An argparse type: a ``YYYYMM`` month of the version table (:data:`mock_server.api.versions.VERSIONS`),
    or 0 for the table's own bound."""
    months = sorted({version.month for version in VERSIONS})
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value != 0 and value not in months:
        raise argparse.ArgumentTypeError(f"{text} is not a LinkedIn-Version of the emulator's table (one of"
                                         f" {', '.join(map(str, months))}; 0 for the table's own)")
    return value


def http_url(text: str) -> str:
    """An argparse type: an ``http://`` or ``https://`` URL with a host (the emulator to talk to)."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// URL with a host (such as"
                                         " http://127.0.0.1:8080)")
    try:
        parts.port  # noqa: B018 - a port past 65535 or not a number raises here
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a usable URL ({error})") from None
    return text


PORT = integer(1, 65535, "a port")
COUNT = integer(0, None, "a count")

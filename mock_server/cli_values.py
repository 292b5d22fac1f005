"""Checks of the values given to ``rsc-mock``'s flags, as ``argparse`` types: a value out of its range is refused
by argparse (exit 2) with one line naming the flag (``argument --port: 70000 is not a port (1 to 65535)``)
before the command does anything. The checks themselves are :mod:`mock_server.config`'s, which applies the same
ones to the ``RSC_MOCK_*`` variables."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from mock_server.api.versions import VERSIONS
from mock_server.config import read_setting, seconds_value, whole_number
from mock_server.tools.admin_url import checked_sandbox_id


def integer(low: int | None = None, high: int | None = None, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (either ``None``: unbounded); ``what`` names
    the range in the message (``a port``); the check is :func:`mock_server.config.whole_number`."""
    def read(text: str) -> int:
        try:
            return whole_number(text, low, high, what)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return read


def seconds(low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type`` for a number of seconds from ``low`` to ``high`` (both included): NaN, infinities
    and values outside the bounds are usage errors (exit 2) naming the bounds; the check is
    :func:`mock_server.config.seconds_value`."""
    def read(text: str) -> float:
        try:
            return seconds_value(text, low, high)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return read


def sandbox_id(text: str) -> str:
    """An argparse type: a sandbox id (:func:`mock_server.tools.admin_url.checked_sandbox_id`), so that an empty
    ``--sandbox ''`` (an unset variable in a CI script) or ``..`` never addresses the server's own world."""
    try:
        return checked_sandbox_id(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def setting(name: str) -> Callable[[str], Any]:
    """An argparse type for the ``rsc-mock serve`` flag of setting ``name``: the same rule as its
    ``RSC_MOCK_*`` variable (:func:`mock_server.config.read_setting`), so a flag and its variable are refused
    alike."""
    def read(text: str):
        try:
            return read_setting(name, text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    read.__name__ = name  # argparse names the type in some messages
    return read


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

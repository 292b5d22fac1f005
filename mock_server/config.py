"""Settings of one emulator instance, from CLI flags or ``RSC_MOCK_*`` environment variables.

Every field of :class:`Settings` can be given as ``--flag-name`` on ``rsc-mock serve`` or as the environment
variable ``RSC_MOCK_<FIELD_NAME>`` (upper case); a flag wins over the environment, the environment over the
default. ``settings_from_env()`` builds settings from the environment alone (the pytest plugin uses it).

One rule per setting, for both: a field's :class:`Rule` (its metadata) says what it takes — a whole number or a
number of seconds within bounds, one of some words, a switch — and :func:`read_setting` applies it to the text
of a flag or a variable, so ``--port 70000`` and ``RSC_MOCK_PORT=70000`` are refused with the same reason
(``70000 is not a port (1 to 65535)``), the flag by argparse (:mod:`mock_server.cli_values`), the variable by
:func:`settings_from_env` naming it.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "RSC_MOCK_"
DAY_S = 86_400  # the longest delay, timeout or interval of a setting
SWITCH_ON = ("1", "true", "yes", "on")
SWITCH_OFF = ("0", "false", "no", "off", "")
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


WHOLE_NUMBER = re.compile(r"-?[0-9]+")
LONG_MAX = 2**63 - 1  # an unbounded whole-number setting still ends where every integer of the emulator does
DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|-?(?i:inf|infinity|nan)")


def whole_number(text: str, low: int | None = None, high: int | None = None, what: str = "") -> int:
    """``text`` — ASCII digits, an optional ``-``, nothing else (not ``1_000``, `` 3``, other scripts' digits,
    which Python's ``int`` would take) — as a whole number from ``low`` to ``high`` (either ``None``: unbounded);
    ``ValueError`` saying why not, ``what`` naming the range (``70000 is not a port (1 to 65535)``)."""
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not a whole number")
    value = int(text)
    if (low is not None and value < low) or (high is not None and value > high):
        unbounded = high is None or (high == LONG_MAX and value <= high)  # a long's end is named only when passed
        span = f"{low} or more" if unbounded else f"{low} to {high}" if low is not None else f"{high} or less"
        raise ValueError(f"{value} is not {what or 'in range'} ({span})")
    return value


def seconds_value(text: str, low: float, high: float) -> float:
    """``text`` as a number of seconds from ``low`` to ``high`` (both included); ``ValueError`` for NaN, an
    infinity or a value outside the bounds, naming them (rather than a crash later: ``time.sleep(nan)`` raises
    ValueError, ``time.sleep(1e308)`` OverflowError)."""
    if not DECIMAL.fullmatch(text):
        raise ValueError(f"{text!r} is not a number of seconds")
    value = float(text)
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{text} is not a number of seconds from {low:g} to {high:g}")
    return value


@dataclasses.dataclass(frozen=True)
class Rule:
    """What a setting takes: ``kind`` ``"int"`` (a whole number from ``low`` to ``high`` — no ``high``: a
    signed 64-bit ``long``, as ``PUT /_mock/quotas`` and every other integer the emulator takes —, ``what`` naming
    the range), ``"seconds"`` (from ``low`` to ``high``), ``"choice"`` (one of ``choices``), ``"switch"`` (on: 1,
    true, yes, on; off: 0, false, no, off or empty), ``"text"`` or ``"path"`` (anything; the command checks
    paths)."""

    kind: str
    low: float | None = None
    high: float | None = None
    what: str = ""
    choices: tuple[str, ...] = ()

    def read(self, text: str):
        """The value of ``text``; ``ValueError`` saying why it cannot be one."""
        if self.kind == "int":
            return whole_number(text, None if self.low is None else int(self.low),
                                LONG_MAX if self.high is None else int(self.high), self.what)
        if self.kind == "seconds":
            return seconds_value(text, self.low or 0.0, DAY_S if self.high is None else self.high)
        if self.kind == "choice":
            if text.strip().lower() not in self.choices:
                raise ValueError(f"{text!r} is not one of {', '.join(self.choices)}")
            return text.strip().lower()
        if self.kind == "switch":
            word = text.strip().lower()
            if word not in SWITCH_ON + SWITCH_OFF:
                raise ValueError(f"{text!r} is neither on ({', '.join(SWITCH_ON)}) nor off (0, false, no, off or"
                                 " empty)")
            return word in SWITCH_ON
        if self.kind == "path":
            return Path(text) if text else None
        return text


def rule(kind: str, default, low: float | None = None, high: float | None = None, what: str = "",
         choices: tuple[str, ...] = ()):
    """A :class:`Settings` field with ``default`` and its :class:`Rule`."""
    return dataclasses.field(default=default, metadata={"rule": Rule(kind, low, high, what, choices)})


def read_setting(name: str, text: str):
    """The value of setting ``name`` (a :class:`Settings` field) given as ``text``; ``ValueError`` with the
    reason (without the flag's or variable's name: the caller adds it)."""
    return SETTING_RULES[name].read(text)


def bundled_fixtures_dir() -> Path:
    """The demo tenant's fixture directory: ``fixtures/demo`` of a source checkout, else the installed copy."""
    source_tree = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
    if source_tree.is_dir():
        return source_tree
    return Path(__file__).resolve().parent / "bundled_fixtures" / "demo"


@dataclasses.dataclass
class Settings:
    """Configuration of one emulator instance. Times are seconds unless the name says otherwise."""

    host: str = rule("text", "127.0.0.1")
    port: int = rule("int", 8080, 1, 65535, "a port")
    fixtures: Path = dataclasses.field(default_factory=bundled_fixtures_dir, metadata={"rule": Rule("path")})
    data_dir: Path | None = rule("path", None)
    # With a data dir: bytes of log before a checkpoint folds it (and at least the last checkpoint's size).
    compact_min_bytes: int = rule("int", 8 << 20, 0, None, "a size in bytes")
    log_level: str = rule("choice", "info", choices=LOG_LEVELS)
    log_json: bool = rule("switch", False)
    # Daily per-application quota for every resource (calls per UTC day); 0 keeps LinkedIn's numbers.
    daily_quota: int = rule("int", 0, 0, None, "a count")
    # Records-per-minute limit for every resource (per application, per member where LinkedIn counts members);
    # 0 keeps LinkedIn's numbers (10,000 on the sync resources, 12 per member on conversationEvents).
    minute_quota: int = rule("int", 0, 0, None, "a count")
    # Seconds after a simpleJobPostings call before its tasks leave IN_PROGRESS (0: done by the second poll).
    job_task_delay: float = rule("seconds", 0.0, 0, DAY_S)
    # Seconds a job-posting task can be polled after it was created, then it is forgotten (30 days: LinkedIn's
    # check-job-taskstatus page; its create-jobs page says 24 hours, 86400).
    task_lifespan: int = rule("int", 30 * DAY_S, 1, 3650 * DAY_S, "a number of seconds")
    # Lifetime of a push notification's requestId, seconds (7 days).
    notification_ttl: int = rule("int", 7 * 24 * 3600, 1, None, "a number of seconds")
    # Send LinkedIn's challenge handshake before accepting a CALLBACK_URL.
    callback_validation: bool = rule("switch", False)
    # Oldest and latest LinkedIn-Version months served on /rest (YYYYMM; 0: the version table's own,
    # mock_server/api/versions.py).
    oldest_version: int = rule("int", 0, 0, None, "a YYYYMM month")
    latest_version: int = rule("int", 0, 0, None, "a YYYYMM month")
    # Request bodies on every route: a bigger one is refused with 413 (mock_server.harness.receiving).
    max_body_bytes: int = rule("int", 1024 * 1024, 1, None, "a size in bytes")
    # ... except a snapshot import (PUT /_mock/snapshot), which takes back a whole world's export: 1 GiB.
    max_snapshot_bytes: int = rule("int", 1 << 30, 1, None, "a size in bytes")
    # Slow clients: seconds for a request's head (its headers) and then its whole body to arrive; past them the
    # connection is answered 408 and closed (mock_server.serving, mock_server.harness.receiving).
    header_timeout: float = rule("seconds", 10.0, 0.001, DAY_S)
    body_timeout: float = rule("seconds", 30.0, 0.001, DAY_S)
    # Seconds (real time) between two prunings of expired tokens and codes and old job-posting tasks.
    prune_interval: float = rule("seconds", 60.0, 0.001, DAY_S)
    # Request journal: how many requests it keeps, and whether /_mock/* admin requests are journaled too.
    journal_size: int = rule("int", 10_000, 1, None, "a number of requests")
    journal_admin: bool = rule("switch", False)
    # Sandboxes (POST /_mock/sandboxes): how many may exist besides the default world, and the seconds of real
    # time without a request after which one is deleted.
    max_sandboxes: int = rule("int", 64, 0, None, "a number of sandboxes")
    sandbox_ttl: int = rule("int", 600, 1, None, "a number of seconds")

    @property
    def base_url(self) -> str:
        """``http://host:port`` as a client on this machine would call it."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"


SETTING_RULES: dict[str, Rule] = {field.name: field.metadata["rule"] for field in dataclasses.fields(Settings)}


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Settings from ``RSC_MOCK_*`` variables, then ``overrides`` (values that are ``None`` are ignored). A
    setting given in ``overrides`` (a flag) wins: its variable is not read, so a bad one does not matter.

    Raises ``ValueError`` naming the variable when its value breaks the setting's rule, in one line
    (``RSC_MOCK_PORT=70000: 70000 is not a port (1 to 65535)``).
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        name = ENV_PREFIX + field.name.upper()
        if name in environ and overrides.get(field.name) is None:
            try:
                values[field.name] = read_setting(field.name, environ[name])
            except ValueError as error:
                raise ValueError(f"{name}={environ[name]!r}: {error}") from None
    values.update({key: value for key, value in overrides.items() if value is not None})
    return Settings(**values)

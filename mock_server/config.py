"""Settings of one emulator instance, from CLI flags or ``RSC_MOCK_*`` environment variables.

Every field of :class:`Settings` can be given as ``--flag-name`` on ``rsc-mock serve`` or as the environment
variable ``RSC_MOCK_<FIELD_NAME>`` (upper case); a flag wins over the environment, the environment over the
default. ``settings_from_env()`` builds settings from the environment alone (the pytest plugin uses it).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "RSC_MOCK_"


def bundled_fixtures_dir() -> Path:
    """The demo tenant's fixture directory: ``fixtures/demo`` of a source checkout, else the installed copy."""
    source_tree = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
    if source_tree.is_dir():
        return source_tree
    return Path(__file__).resolve().parent / "bundled_fixtures" / "demo"


@dataclasses.dataclass
class Settings:
    """Configuration of one emulator instance. Times are seconds unless the name says otherwise."""

    host: str = "127.0.0.1"
    port: int = 8080
    fixtures: Path = dataclasses.field(default_factory=bundled_fixtures_dir)
    data_dir: Path | None = None
    # With a data dir: bytes of log before a checkpoint folds it (and at least the last checkpoint's size).
    compact_min_bytes: int = 8 << 20
    log_level: str = "info"
    log_json: bool = False
    # Daily per-application quota for every resource (calls per UTC day); 0 keeps LinkedIn's numbers.
    daily_quota: int = 0
    # Records-per-minute limit for every resource (per application, per member where LinkedIn counts members);
    # 0 keeps LinkedIn's numbers (10,000 on the sync resources, 12 per member on conversationEvents).
    minute_quota: int = 0
    # Seconds after a simpleJobPostings call before its tasks leave IN_PROGRESS (0: done by the second poll).
    job_task_delay: float = 0.0
    # Lifetime of a push notification's requestId, seconds (7 days).
    notification_ttl: int = 7 * 24 * 3600
    # Send LinkedIn's challenge handshake before accepting a CALLBACK_URL.
    callback_validation: bool = False
    # Oldest and latest LinkedIn-Version months served on /rest (YYYYMM; 0: the version table's own,
    # mock_server/api/versions.py).
    oldest_version: int = 0
    latest_version: int = 0
    # Request bodies on every route: a bigger one is refused with 413 (mock_server.harness.receiving).
    max_body_bytes: int = 1024 * 1024
    # Slow clients: seconds for a request's head (its headers) and then its whole body to arrive; past them the
    # connection is answered 408 and closed (mock_server.serving, mock_server.harness.receiving).
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    # Seconds (real time) between two prunings of expired tokens and codes and old job-posting tasks.
    prune_interval: float = 60.0
    # Request journal: how many requests it keeps, and whether /_mock/* admin requests are journaled too.
    journal_size: int = 10_000
    journal_admin: bool = False
    # Sandboxes (POST /_mock/sandboxes): how many may exist besides the default world, and the seconds of real
    # time without a request after which one is deleted.
    max_sandboxes: int = 64
    sandbox_ttl: int = 600

    @property
    def base_url(self) -> str:
        """``http://host:port`` as a client on this machine would call it."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"


def _coerce(field: dataclasses.Field, raw: str):
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", str(field.type))
    if "bool" in kind:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if "int" in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    if "Path" in kind:
        return Path(raw) if raw else None
    return raw


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Settings from ``RSC_MOCK_*`` variables, then ``overrides`` (values that are ``None`` are ignored).

    Raises ``ValueError`` naming the variable when a value cannot be read as its type.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        name = ENV_PREFIX + field.name.upper()
        if name in environ:
            try:
                values[field.name] = _coerce(field, environ[name])
            except ValueError as error:
                raise ValueError(f"{name}={environ[name]!r}: {error}") from None
    values.update({key: value for key, value in overrides.items() if value is not None})
    return Settings(**values)

"""Sandboxes: isolated worlds on one server, so that parallel test runs (xdist workers, the jobs of a CI fleet)
share one emulator without seeing each other's state — as moto isolates callers by account and LocalStack by
account and region.

A sandbox is a world of its own (an :class:`~mock_server.emulator.Emulator`: store, tokens, clock, fault rules,
quotas, request journal, notification outbox) made from a fixture world that was loaded and validated once
(:class:`FixtureWorlds`). Its id, ``sb`` and 8 lower-case letters and digits, is also its *tag*: its
applications' client ids and secrets end with ``-<id>`` and every token it mints starts ``AQV<id>…``, so the
credentials of a call name its sandbox. The server's own world is the sandbox :data:`DEFAULT`: there from the
start, never deleted, and the one that answers a request that names no other.

Which sandbox serves a request (:meth:`Sandboxes.place`, given the request's
:class:`~mock_server.harness.addressing.Address`):

1. the sandbox the request names — the admin path ``/_mock/sandboxes/{id}/…``, else the ``X-RSC-Mock-Sandbox``
   header; 404 naming it when there is no such sandbox, 400 when path and header name different ones or the
   header names none (empty) or several (repeated or comma-separated lines);
2. else the sandbox its credentials belong to (a bearer token, else a client id): the one their tag names when it
   holds them, else the default when it does;
3. else :data:`DEFAULT` (also for credentials no sandbox holds).

A request that names one sandbox and carries credentials it does not hold but another does is refused (400
naming both).

Lifetime: :meth:`Sandboxes.create` (503 once ``limit`` sandboxes exist besides the default),
:meth:`Sandboxes.delete` (which stops the sandbox's outbox and closes its store), and the idle sweep
(:meth:`Sandboxes.sweep`, every second while :meth:`Sandboxes.run_sweeper` runs): a sandbox without a request
for its idle TTL — seconds of real time, not of its clock — and none in flight is deleted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
import string
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_server.domain.customers import tag_of_client_id
from mock_server.domain.fixtures import load_dir
from mock_server.domain.tokens import tag_of
from mock_server.harness.addressing import SANDBOX_HEADER, Address
from mock_server.restli.errors import SHOWN_CHARS, RestliError

log = logging.getLogger("rsc_mock.sandboxes")

DEFAULT = "default"
ID_PREFIX = "sb"
ID_LENGTH = 10
ID_ALPHABET = string.ascii_lowercase + string.digits
SWEEP_INTERVAL_S = 1.0


def quoted(sandbox_id: str) -> str:
    """A sandbox id a request named, quoted for a message and cut to :data:`SHOWN_CHARS` characters (``…``
    after), so a huge id never makes a huge reply."""
    if len(sandbox_id) <= SHOWN_CHARS:
        return repr(sandbox_id)
    return repr(sandbox_id[:SHOWN_CHARS]) + "…"


def header_refusal(values: tuple[str, ...]) -> str:
    """Why ``X-RSC-Mock-Sandbox`` header lines carrying the ids ``values`` name no one sandbox: one is empty
    (an unset variable in ``-H "X-RSC-Mock-Sandbox: $ID"`` must not reach the server's own world), or they name
    several (the first three are shown)."""
    if "" in values:
        return (f"The {SANDBOX_HEADER} header names no sandbox (it is empty): send a sandbox id, or"
                f" {DEFAULT!r} for the server's own world, or leave the header out")
    distinct = list(dict.fromkeys(values))
    shown = ", ".join(quoted(value) for value in distinct[:3]) + (", …" if len(distinct) > 3 else "")
    return f"The {SANDBOX_HEADER} header names {len(distinct)} sandboxes ({shown}): a request is for one"


def new_id() -> str:
    """A fresh sandbox id: ``sb`` + 8 random lower-case letters and digits (:data:`ID_LENGTH` characters)."""
    return ID_PREFIX + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH - len(ID_PREFIX)))


@dataclasses.dataclass(eq=False)
class Sandbox:
    """One world on the server: its ``id``, the ``world`` (an Emulator), the ``fixtures`` name it was made from,
    a free-text ``label``, its idle TTL ``ttl_s`` (seconds; ``None``: never deleted), ``created_at`` (epoch ms,
    real time), ``last_used`` (``time.monotonic()`` of its last request) and ``active`` (requests in flight)."""

    id: str
    world: Any
    fixtures: str
    label: str | None = None
    ttl_s: int | None = None
    created_at: int = dataclasses.field(default_factory=lambda: int(time.time() * 1000))
    last_used: float = dataclasses.field(default_factory=time.monotonic)
    active: int = 0

    def enter(self) -> None:
        """A request for this sandbox started."""
        self.active += 1
        self.last_used = time.monotonic()

    def leave(self) -> None:
        """A request for this sandbox finished."""
        self.active -= 1
        self.last_used = time.monotonic()

    def idle_s(self, now: float | None = None) -> float:
        """Seconds since the last request started or finished (0 while one is in flight)."""
        return 0.0 if self.active else max(0.0, (time.monotonic() if now is None else now) - self.last_used)

    def expired(self, now: float) -> bool:
        """Idle for at least its TTL at ``now`` (``time.monotonic()``)."""
        return self.ttl_s is not None and self.idle_s(now) >= self.ttl_s


class FixtureWorlds:
    """Fixture worlds loaded and validated once each, by name: the server's own (``server_dir``, whose ``data``
    the default world has already loaded) and the bundled ones, the directories of ``bundled_root``
    (``demo``, ``sample``)."""

    def __init__(self, server_dir: Path, data: dict, bundled_root: Path) -> None:
        self.server_dir = Path(server_dir).resolve()
        self.bundled_root = bundled_root
        self._loaded: dict[Path, dict] = {self.server_dir: data}

    def names(self) -> list[str]:
        """The names a sandbox may be made from besides the server's world: the bundled worlds."""
        return sorted(path.name for path in self.bundled_root.iterdir()
                      if path.is_dir() and not path.name.startswith(("_", ".")) and any(path.glob("*.json")))

    def get(self, name: str | None) -> tuple[str, dict]:
        """``(name, loaded fixtures)`` of world ``name`` (``None``: the server's own); 400 naming the worlds
        there are when ``name`` is not one of them."""
        if name is None:
            directory = self.server_dir
        elif name in self.names():
            directory = (self.bundled_root / name).resolve()
        else:
            raise RestliError(400, f"ERROR :: /fixtures :: no fixture world {name!r} (known: "
                                   f"{', '.join(self.names())}; leave it out for the server's own)")
        if directory not in self._loaded:
            self._loaded[directory] = load_dir(directory)
        return directory.name, self._loaded[directory]


class Sandboxes:
    """The server's sandboxes (see the module docstring): :data:`DEFAULT` → ``default`` (the server's world,
    loaded from ``worlds.server_dir``), and up to ``limit`` more, each built by ``build(fixture data, id)`` and
    deleted after ``ttl_s`` idle seconds unless it was created with a shorter TTL."""

    def __init__(self, default: Any, worlds: FixtureWorlds, build: Callable[[dict, str], Any], limit: int,
                 ttl_s: int) -> None:
        self.worlds = worlds
        self.build = build
        self.limit = limit
        self.ttl_s = ttl_s
        self.default = Sandbox(DEFAULT, default, worlds.server_dir.name)
        self._sandboxes: dict[str, Sandbox] = {DEFAULT: self.default}
        self._starting: set[str] = set()

    def all(self) -> list[Sandbox]:
        """Every sandbox, the default first, then by creation."""
        return list(self._sandboxes.values())

    def get(self, sandbox_id: str) -> Sandbox:
        """The sandbox ``sandbox_id``; 404 naming it when there is none."""
        sandbox = self._sandboxes.get(sandbox_id)
        if sandbox is None:
            raise RestliError(404, f"No sandbox {quoted(sandbox_id)}: it was never created, was deleted, or expired"
                                   " after its idle TTL (GET /_mock/sandboxes lists those there are)")
        return sandbox

    # ---- which sandbox serves a request -----------------------------------------------------------------

    def place(self, address: Address) -> Sandbox:
        """The sandbox serving a request with ``address`` (rules in the module docstring); ``RestliError`` 404
        for a named sandbox that does not exist, 400 when the request names two different sandboxes or one
        sandbox and the credentials of another, or its header names none (it is empty) or several."""
        if address.header_values and address.header is None:
            raise RestliError(400, header_refusal(address.header_values))
        if address.path and address.header and address.path != address.header:
            raise RestliError(400, f"The path names sandbox {quoted(address.path)} but the {SANDBOX_HEADER} header"
                                   f" names {quoted(address.header)}")
        named_id = address.path or address.header
        named = self.get(named_id) if named_id else None
        owner, what = self.owner(address, named)
        if named is not None and owner is not None and owner is not named:
            raise RestliError(400, f"The {SANDBOX_HEADER} header names sandbox {named.id!r} but the {what} belongs to"
                                   f" sandbox {owner.id!r}: credentials work in their own sandbox only")
        return named or owner or self.default

    def owner(self, address: Address, named: Sandbox | None = None) -> tuple[Sandbox | None, str]:
        """``(sandbox holding the request's credentials or None, what they are)``: its bearer token, else its
        client id, looked up in the ``named`` sandbox (which may hold foreign credentials, imported with a
        snapshot), the sandbox their tag names, then the default world."""
        if address.token:
            found = self._holder((named, self._sandboxes.get(tag_of(address.token, ID_LENGTH))),
                                 lambda world: world.tokens.exists(address.token))
            return found, "access token"
        if address.client_id:
            found = self._holder((named, self._sandboxes.get(tag_of_client_id(address.client_id, ID_LENGTH))),
                                 lambda world: world.customers.by_client_id(address.client_id) is not None)
            return found, f"client id {address.client_id!r}"
        return None, ""

    def _holder(self, candidates: tuple[Sandbox | None, ...], holds: Callable[[Any], bool]) -> Sandbox | None:
        for sandbox in (*candidates, self.default):
            if sandbox is not None and holds(sandbox.world):
                return sandbox
        return None

    # ---- lifetime ---------------------------------------------------------------------------------------

    async def create(self, fixtures: str | None = None, label: str | None = None, ttl_s: int | None = None) -> Sandbox:
        """A new sandbox on fixture world ``fixtures`` (:meth:`FixtureWorlds.get`), its outbox started. 503 when
        ``limit`` sandboxes exist already; 400 for an unknown world or a ``ttl_s`` not from 1 to the server's."""
        if len(self._sandboxes) - 1 + len(self._starting) >= self.limit:
            raise RestliError(503, f"The emulator holds its limit of {self.limit} sandboxes (RSC_MOCK_MAX_SANDBOXES):"
                                   " delete one (DELETE /_mock/sandboxes/{id}) or wait until an idle one expires"
                                   f" (after {self.ttl_s} s without a request)")
        if ttl_s is not None and not 1 <= ttl_s <= self.ttl_s:
            raise RestliError(400, f"ERROR :: /ttl :: must be from 1 to {self.ttl_s} seconds (the server's"
                                   " RSC_MOCK_SANDBOX_TTL)")
        sandbox_id = new_id()
        while sandbox_id in self._sandboxes or sandbox_id in self._starting:
            sandbox_id = new_id()
        self._starting.add(sandbox_id)
        try:  # loaded and built in a thread: a large world takes tens of ms the other sandboxes need not wait
            name, data = await asyncio.to_thread(self.worlds.get, fixtures)
            world = await asyncio.to_thread(self.build, data, sandbox_id)
            await world.start()
        finally:
            self._starting.discard(sandbox_id)
        sandbox = Sandbox(sandbox_id, world, name, label, ttl_s or self.ttl_s)
        self._sandboxes[sandbox_id] = sandbox
        log.info("sandbox %s created on %s%s", sandbox_id, name, f" ({label})" if label else "")
        return sandbox

    async def delete(self, sandbox_id: str) -> Sandbox:
        """Remove sandbox ``sandbox_id``, stop its outbox and close its store; 404 when there is none, 400 for
        the default (the server's own world: reset it instead)."""
        if sandbox_id == DEFAULT:
            raise RestliError(400, "The default sandbox is the server's own world and cannot be deleted"
                                   " (POST /_mock/reset returns it to its fixtures)")
        sandbox = self.get(sandbox_id)
        del self._sandboxes[sandbox_id]
        await sandbox.world.stop()
        return sandbox

    async def sweep(self, now: float | None = None) -> list[str]:
        """Delete every sandbox idle for its TTL at ``now`` (``time.monotonic()``); their ids."""
        now = time.monotonic() if now is None else now
        expired = [sandbox for sandbox in self.all() if sandbox.expired(now)]
        for sandbox in expired:
            await self.delete(sandbox.id)
            log.info("sandbox %s deleted after %s s without a request", sandbox.id, sandbox.ttl_s)
        return [sandbox.id for sandbox in expired]

    async def run_sweeper(self) -> None:
        """:meth:`sweep` every :data:`SWEEP_INTERVAL_S` seconds until cancelled."""
        while True:
            await asyncio.sleep(SWEEP_INTERVAL_S)
            try:
                await self.sweep()
            except Exception:  # a defect: log it and keep sweeping
                log.exception("the sandbox sweep failed")

    async def close(self) -> None:
        """Delete every sandbox but the default (the server is stopping)."""
        for sandbox in self.all()[1:]:
            await self.delete(sandbox.id)

"""The emulator's state and services in one object, built from :class:`~mock_server.config.Settings`: the
world that requests read and change, with nothing HTTP in it.

:class:`Emulator` owns the clock, the store (seeded from the fixture directory), the id counters, the token
registry and authorization codes, the customers and integrations, the recruiter interactions, the callback
inboxes, the quotas, the notification outbox, and the harness's request journal and fault rules. The Rest.li
dispatcher and its gate are wired by :mod:`mock_server.app` (:mod:`mock_server.api.gate`).

While the server runs (:meth:`Emulator.start`), expired tokens and codes and old job-posting tasks are pruned
every ``settings.prune_interval`` seconds (:mod:`mock_server.domain.retention`). Tokens minted with a client
secret their application no longer has, or of an application that is gone, are revoked whenever the
applications may have changed under them: at start (a data directory or snapshot imported offline), after a
reset and after a snapshot import (:meth:`Emulator.revoke_stale_tokens`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from mock_server.config import Settings
from mock_server.domain import retention
from mock_server.domain.clock import Clock
from mock_server.domain.counters import Counters
from mock_server.domain.customers import Customers
from mock_server.domain.fixtures import load_dir, seed_tables, tag_applications
from mock_server.domain.inbox import Inboxes
from mock_server.domain.integrations import Integrations
from mock_server.domain.jobs import Jobs
from mock_server.domain.quotas import Quotas
from mock_server.domain.recruiter.interactions import Interactions
from mock_server.domain.recruiter.notifications import Outbox
from mock_server.domain.tokens import AuthorizationCodes, TokenRegistry
from mock_server.harness.faults import FaultRules
from mock_server.harness.journal import RequestJournal
from mock_server.store import Store

log = logging.getLogger("rsc_mock.retention")


class Emulator:
    """One emulated LinkedIn tenant world, on the fixtures of ``settings.fixtures`` (``FixtureError`` when the
    directory is invalid) or on ``fixture_data`` already loaded and validated from one
    (:func:`~mock_server.domain.fixtures.load_dir`).

    ``tag`` makes the world a sandbox's (:mod:`mock_server.harness.sandboxes`): its applications' client ids and
    secrets and every token it mints carry the tag, so a request's credentials name the world they belong to.
    The default world has none.
    """

    def __init__(self, settings: Settings, fixture_data: dict[str, list[dict]] | None = None, tag: str = "") -> None:
        self.settings = settings
        self.tag = tag
        self.stopped = asyncio.Event()  # set by stop(): waits of this world's requests end with it
        self.clock = Clock()
        loaded = load_dir(settings.fixtures) if fixture_data is None else fixture_data
        self.fixture_data = tag_applications(loaded, tag) if tag else loaded
        self.store = Store(settings.data_dir, seed_tables(self.fixture_data),
                           compact_min_bytes=settings.compact_min_bytes)
        self.counters = Counters(self.store)
        self.customers = Customers(self.store, self.counters, tag)
        self.integrations = Integrations(self.store)
        self.interactions = Interactions(self.store, self.counters)
        self.tokens = TokenRegistry(self.clock, self.store, tag)
        self.codes = AuthorizationCodes(self.store)
        self.inboxes = Inboxes(self.store, self.counters)
        self.quotas = Quotas(self.clock, settings.daily_quota, settings.minute_quota)
        self.journal = RequestJournal(settings.journal_size)
        self.faults = FaultRules()
        self.outbox = Outbox(self.store, self.clock, self.counters, self.customers, self.integrations,
                             settings.notification_ttl)
        self._pruner: asyncio.Task | None = None
        self.revoke_stale_tokens()

    def reset(self) -> None:
        """Back to the fixtures: store, clock, quotas; the request journal and fault rules emptied. Tokens of
        applications that still exist are kept, and stay valid unless the fixtures give their application
        another client secret than the one they were minted with."""
        kept = self.tokens.all()
        self.store.reset()
        self.clock.reset()
        self.quotas.reset()
        self.journal.clear()
        self.faults.clear()
        self.outbox.reset()
        with self.store.transaction():  # one commit, not one fsync per token with a data dir
            for token in kept:
                if self.customers.by_key(token.application) is not None:
                    self.tokens.table.put(token.value, token.to_dict())
            self.revoke_stale_tokens()

    def revoke_stale_tokens(self) -> int:
        """Revoke the tokens of applications that are gone or no longer have the secret they were minted with
        (:meth:`~mock_server.domain.tokens.TokenRegistry.revoke_stale`); returns how many."""
        return self.tokens.revoke_stale(self.customers.secrets_for)

    def prune(self) -> dict[str, int]:
        """Forget expired tokens and codes and old job-posting tasks now (:func:`retention.prune`); returns
        ``{table: rows forgotten}``."""
        return retention.prune(self.store, self.clock, self.tokens, self.codes, Jobs(self.store, self.counters),
                               self.settings.task_lifespan)

    async def _prune_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.settings.prune_interval)
            try:
                forgotten = self.prune()
            except Exception:  # a defect: log it and try again next time rather than stop pruning
                log.exception("pruning failed")
                continue
            if any(forgotten.values()):
                log.info("pruned %s", ", ".join(f"{rows} {table}" for table, rows in forgotten.items() if rows))

    async def start(self) -> None:
        """Start background work (notification delivery, pruning) when the server starts."""
        await self.outbox.start()
        self._pruner = asyncio.create_task(self._prune_periodically(), name="rsc-mock-retention")

    async def validate_callback(self, application: dict, url: str) -> None:
        """LinkedIn's challenge handshake for a CALLBACK_URL of ``application`` (when
        ``settings.callback_validation`` is on); ``RestliError(400)`` saying what failed."""
        await self.outbox.validate_callback(application, url)

    async def stop(self) -> None:
        """Stop background work and close the store (flushing it) when the server stops or the world's sandbox
        is deleted; sets :attr:`stopped` first."""
        self.stopped.set()
        if self._pruner is not None:
            self._pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruner
        await self.outbox.stop()
        self.store.close()

"""The emulator's state and services in one object, built from :class:`~mock_server.config.Settings`: the
world that requests read and change, with nothing HTTP in it.

:class:`Emulator` owns the clock, the store (seeded from the fixture directory), the id counters, the token
registry and authorization codes, the customers and integrations, the recruiter interactions, the callback
inboxes, the quotas, the notification outbox, and the harness's request journal and fault rules. The Rest.li
dispatcher and its gate are wired by :mod:`mock_server.app` (:mod:`mock_server.api.gate`).
"""

from __future__ import annotations

from mock_server.config import Settings
from mock_server.domain.clock import Clock
from mock_server.domain.counters import Counters
from mock_server.domain.customers import Customers
from mock_server.domain.fixtures import load_dir, seed_tables, tag_applications
from mock_server.domain.inbox import Inboxes
from mock_server.domain.integrations import Integrations
from mock_server.domain.quotas import Quotas
from mock_server.domain.recruiter.interactions import Interactions
from mock_server.domain.recruiter.notifications import Outbox
from mock_server.domain.tokens import AuthorizationCodes, TokenRegistry
from mock_server.harness.faults import FaultRules
from mock_server.harness.journal import RequestJournal
from mock_server.store import Store


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
        self.clock = Clock()
        loaded = load_dir(settings.fixtures) if fixture_data is None else fixture_data
        self.fixture_data = tag_applications(loaded, tag) if tag else loaded
        self.store = Store(settings.data_dir, seed_tables(self.fixture_data))
        self.counters = Counters(self.store)
        self.customers = Customers(self.store, self.counters, tag)
        self.integrations = Integrations(self.store)
        self.interactions = Interactions(self.store, self.counters)
        self.tokens = TokenRegistry(self.clock, self.store, tag)
        self.codes = AuthorizationCodes(self.store)
        self.inboxes = Inboxes(self.store, self.counters)
        self.quotas = Quotas(self.clock, settings.daily_quota)
        self.journal = RequestJournal(settings.journal_size)
        self.faults = FaultRules()
        self.outbox = Outbox(self.store, self.clock, self.counters, self.customers, self.integrations,
                             settings.notification_ttl)

    def reset(self) -> None:
        """Back to the fixtures: store, clock, quotas; the request journal and fault rules emptied. Tokens of
        applications that still exist stay valid."""
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

    async def start(self) -> None:
        """Start background work (notification delivery) when the server starts."""
        await self.outbox.start()

    async def validate_callback(self, application: dict, url: str) -> None:
        """LinkedIn's challenge handshake for a CALLBACK_URL of ``application`` (when
        ``settings.callback_validation`` is on); ``RestliError(400)`` saying what failed."""
        await self.outbox.validate_callback(application, url)

    async def stop(self) -> None:
        """Stop background work and close the store (flushing it) when the server stops."""
        await self.outbox.stop()
        self.store.close()

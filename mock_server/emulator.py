"""The emulator's state and services in one object, built from :class:`~mock_server.config.Settings`.

:class:`Emulator` owns the clock, the store (seeded from the fixture directory), the token registry, the
customers and integrations, the quotas and the Rest.li dispatcher with every resource registered.
``authorize`` is the dispatcher's gate: ``LinkedIn-Version`` on ``/rest``, the bearer token, the access rules,
the daily quota.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from mock_server.api.access import Caller, check_resource
from mock_server.api.resources import all_resources
from mock_server.config import Settings
from mock_server.domain.clock import Clock
from mock_server.domain.customers import Customers
from mock_server.domain.fixtures import load_dir, seed_tables
from mock_server.domain.integrations import Integrations
from mock_server.domain.quotas import Quotas
from mock_server.domain.recruiter.interactions import Interactions
from mock_server.domain.recruiter.notifications import Outbox
from mock_server.domain.tokens import TokenRegistry
from mock_server.harness.faults import FaultRules
from mock_server.harness.journal import RequestJournal
from mock_server.restli.dispatch import Dispatcher
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call
from mock_server.store import Store

VERSION_PATTERN = re.compile(r"([0-9]{4})([0-9]{2})(?:\.([0-9]{2}))?")


@dataclasses.dataclass
class RequestContext:
    """What a resource handler gets as ``call.context``: the emulator and (after auth) the caller."""

    emulator: "Emulator"
    caller: Caller | None = None


class Emulator:
    """One emulated LinkedIn tenant world. Raises ``FixtureError`` when the fixture directory is invalid."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clock = Clock()
        self.fixture_data = load_dir(settings.fixtures)
        self.store = Store(settings.data_dir, seed_tables(self.fixture_data),
                           compact_min_bytes=settings.compact_min_bytes)
        self.customers = Customers(self.store)
        self.integrations = Integrations(self.store)
        self.interactions = Interactions(self.store, self.customers.next_number)
        self.tokens = TokenRegistry(self.clock, self.store)
        self.quotas = Quotas(self.clock, settings.daily_quota)
        self.journal = RequestJournal(settings.journal_size)
        self.faults = FaultRules()
        self.outbox = Outbox(self.store, self.clock, self.customers, self.integrations, settings.notification_ttl)
        self.dispatcher = Dispatcher(settings.max_body_bytes)
        self.dispatcher.authorize = self.authorize
        for resource, bases in all_resources():
            self.dispatcher.register(resource, bases)

    def context(self) -> RequestContext:
        """A fresh request context."""
        return RequestContext(self)

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

    def caller(self, authorization: str | None) -> Caller:
        """The caller behind an ``Authorization`` header; 401 as LinkedIn answers when it is not valid."""
        token = self.tokens.authenticate(authorization)
        application = self.customers.by_key(token.application)
        if application is None:
            raise RestliError(401, "Invalid access token", 65600)
        return Caller(token, application, frozenset(self.customers.contexts(application)))

    def check_version(self, header: str | None) -> None:
        """``LinkedIn-Version`` rules of ``/rest``: missing → 400; not ``YYYYMM[.RR]`` → 400; a month in the
        future or older than ``settings.oldest_version`` → 426."""
        if header is None or not header.strip():
            raise RestliError(400, "A version must be present. Please specify a version by adding the"
                                   " LinkedIn-Version header.", 400)
        match = VERSION_PATTERN.fullmatch(header.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise RestliError(400, f"Invalid LinkedIn-Version header {header!r}: expected YYYYMM or YYYYMM.RR")
        month = int(match.group(1) + match.group(2))
        now = datetime.datetime.fromtimestamp(self.clock.now_s(), datetime.timezone.utc)
        current = now.year * 100 + now.month
        if month > current or month < self.settings.oldest_version:
            raise RestliError(426, f"Requested version {header.strip()} is not active", 426)

    def authorize(self, call: Call) -> None:
        """The gate before every Rest.li handler (see the module docstring)."""
        if call.base == "rest":
            self.check_version(call.headers.get("linkedin-version"))
        caller = self.caller(call.headers.get("authorization"))
        call.context.caller = caller
        resource = call.resource.path
        check_resource(caller, resource, call.method)
        self.quotas.charge(caller.application["key"], resource)

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

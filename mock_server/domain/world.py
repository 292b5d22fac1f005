"""What the domain's functions need of the emulator's world, as a type: the services
:class:`mock_server.emulator.Emulator` holds. The emulator sits above the domain, so the domain names the
services it uses here instead of importing it; any object with these attributes will do (tests build smaller
ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mock_server.domain.clock import Clock
    from mock_server.domain.counters import Counters
    from mock_server.domain.customers import Customers
    from mock_server.domain.integrations import Integrations
    from mock_server.domain.recruiter.interactions import Interactions
    from mock_server.domain.recruiter.notifications import Outbox
    from mock_server.domain.tokens import AuthorizationCodes, TokenRegistry
    from mock_server.store import Store


class World(Protocol):
    """The services a recruiter action or view reads and changes (attributes of the same names on
    :class:`~mock_server.emulator.Emulator`)."""

    store: Store
    clock: Clock
    counters: Counters
    customers: Customers
    integrations: Integrations
    interactions: Interactions
    outbox: Outbox
    tokens: TokenRegistry
    codes: AuthorizationCodes

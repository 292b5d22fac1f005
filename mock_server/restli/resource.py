"""How a resource is described to the protocol layer: its name, key shape, and a handler per method.

A handler takes a :class:`Call` and returns plain data; :mod:`mock_server.restli.dispatch` turns that into the
Rest.li reply. What each method's handler returns:

=====================  ==================================================================================
GET                    the entity (dict); raise ``RestliError(404, ...)`` when missing
BATCH_GET              ``{canonical_key: entity dict or RestliError}`` for the keys of ``call.keys``
FINDER / GET_ALL       the full list of matching entities (the dispatcher pages it) or a :class:`PagedResult`
CREATE                 :class:`Created`
BATCH_CREATE           a list, in request order, of :class:`Created` or ``RestliError``
UPDATE, PARTIAL_UPDATE ``None`` (204)
DELETE                 ``None`` (204)
BATCH_UPDATE, BATCH_PARTIAL_UPDATE, BATCH_DELETE
                       ``{canonical_key: int status or RestliError}``
ACTION                 the action's value (wrapped as ``{"value": ...}``)
=====================  ==================================================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from mock_server.restli.keys import Key
from mock_server.restli.paging import DEFAULT_COUNT, MAX_COUNT, Page
from mock_server.restli.projection import Projection
from mock_server.restli.query import Query

# A method's or finder's handler: takes the call, returns what the table above says (or an awaitable of it).
Handler: TypeAlias = Callable[["Call"], Any]


@dataclasses.dataclass
class Created:
    """The outcome of one create: its key, HTTP ``status`` (201, or 202 for asynchronous creates) and,
    when the resource returns it, the created ``entity``."""

    key: Key
    status: int = 201
    entity: dict[str, Any] | None = None


@dataclasses.dataclass
class PagedResult:
    """A finder result the handler paged itself: this page's ``elements`` out of ``total``."""

    elements: list[dict[str, Any]]
    total: int


@dataclasses.dataclass
class Finder:
    """A FINDER (``q=<name>``) with its paging rules."""

    handler: Handler
    default_count: int = DEFAULT_COUNT
    max_count: int = MAX_COUNT
    require_start: bool = False


@dataclasses.dataclass
class Resource:
    """A Rest.li collection resource.

    ``path`` is the resource's name, ``parent/child`` for a sub-resource (``atsCandidates/notes``).
    ``key_parts`` names the parts of a compound key (``None`` for a simple key); ``parent_key_parts`` the
    parent's key shape for a sub-resource. ``handlers`` maps method names to handlers, ``finders`` finder
    names to :class:`Finder`. ``max_batch`` caps the entities of one batch call (LinkedIn: 100).
    ``missing_batch_create_header`` overrides the error for a batch create sent without its header.
    ``simple`` marks a Rest.li simple resource: one entity and no key, so ``GET /v2/me`` is a GET.
    ``actions`` names the actions its ACTION handler answers (``?action=<name>``), for listings such as
    ``rsc-mock fidelity``; the handler itself refuses any other name.
    ``policy`` is whatever the application's gate checks before the handlers run (who may call the resource,
    its quota); the protocol layer never looks inside it.
    """

    path: str
    key_parts: tuple[str, ...] | None = None
    parent_key_parts: tuple[str, ...] | None = None
    handlers: dict[str, Handler] = dataclasses.field(default_factory=dict)
    finders: dict[str, Finder] = dataclasses.field(default_factory=dict)
    max_batch: int = 100
    missing_batch_create_header: Callable[[], Exception] | None = None
    simple: bool = False
    actions: tuple[str, ...] = ()
    policy: Any = None

    @property
    def methods(self) -> list[str]:
        """Every method the resource answers, FINDER included when it has finders."""
        return sorted(set(self.handlers) | ({"FINDER"} if self.finders else set()))


@dataclasses.dataclass
class Call:
    """One parsed Rest.li request, handed to a handler.

    ``keys`` is ``[(canonical, key)]`` for batch methods and ``entities`` ``[(canonical, key, value)]`` for
    BATCH_UPDATE / BATCH_PARTIAL_UPDATE, both in request order. ``context`` is whatever the application
    attached (the caller's identity, the services); the protocol layer never looks inside it.
    ``path`` names the collection without keys (``/v2/atsCandidates/notes``); ``url_path`` is the collection
    as the request wrote it, parent key included (``/v2/atsCandidates/<key>/notes``), for ``Location`` and
    paging links. ``fields`` is the parsed projection of a read method (``None``: no projection).

    The keys (``key``, ``parent_key`` and those in ``keys`` / ``entities``) are typed ``Any`` although each is a
    :data:`~mock_server.restli.keys.Key`: which of its two shapes (``str`` for a simple key, ``dict[str, str]``
    for a compound one) is fixed by the resource's ``key_parts``, which the handler knows and a type cannot say.
    """

    resource: Resource
    method: str
    protocol: int
    base: str
    path: str
    query: Query
    headers: Mapping[str, str]
    parent_key: Any = None
    key: Any = None
    keys: list[tuple[str, Any]] = dataclasses.field(default_factory=list)
    entities: list[tuple[str, Any, dict[str, Any]]] = dataclasses.field(default_factory=list)
    body: Any = None
    finder: str | None = None
    action: str | None = None
    page: Page | None = None
    context: Any = None
    url_path: str | None = None
    fields: Projection | None = None

"""Versioned (``/rest``) resources served by the v2 handlers through a rename table
(:class:`~mock_server.domain.renames.Renames`), so both families read and write the same records.

:func:`versioned_resource` builds the Rest.li resource of one table. For each call it:

1. checks each entity against the versioned resource's own JSON Schema (``schema``, with the names of the
   latest version; a key against ``key_schema``) after refusing fields the requested ``LinkedIn-Version`` does
   not have (per-entity 422 naming the field, in the names of that version);
2. turns keys, entities and finder parameters into their v2 form and runs the v2 handler — for a versioned
   resource that is a v2 *sub-resource* (``rest/candidateNotes``) once per parent key, a request-level error
   of the v2 handler (403 for another customer's context, 404 for a missing parent) becoming the error of each
   key under that parent;
3. shows the replies in the requested version's names: renamed fields, fields the version does not have left
   out, dropped key parts removed, and a missing entity reported as ``<resource> <key> does not exist`` in the
   versioned key.

The requested version is ``call.context.version`` (set by the gate on every ``/rest`` call).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from urllib.parse import quote, unquote

from mock_server.api.access import malformed_context
from mock_server.api.gate import Policy
from mock_server.domain.renames import Renames
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.query import Query
from mock_server.restli.resource import Call, Finder, Resource
from mock_server.schemas import validation

ENTITY_METHODS = ("BATCH_UPDATE",)
STATUS_METHODS = ("BATCH_UPDATE", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE")


def month_of(call: Call) -> int:
    """The ``YYYYMM`` of the call's ``LinkedIn-Version``."""
    return call.context.version.month


@dataclasses.dataclass
class VersionedHandlers:
    """The handlers of one versioned resource over the v2 ``handlers`` (method → handler) of ``renames.v2``.

    ``schema`` names the versioned entity schema BATCH_UPDATE entities are checked against (None: no body
    beyond the v2 rules), ``key_schema`` the schema of the versioned key, ``label`` the entity's name in
    messages, ``finders`` v2 finder handlers by name with their query renames (versioned → v2 parameter),
    ``key_echo`` body fields that may repeat a key part (they must then equal it, and are not stored), and
    ``policy`` what the gate checks (its ``since``: the first LinkedIn-Version that has the resource).
    """

    renames: Renames
    handlers: dict[str, Callable]
    label: str
    policy: Policy
    schema: str | None = None
    key_schema: str | None = None
    finders: dict[str, tuple[Callable, dict[str, str]]] = dataclasses.field(default_factory=dict)
    key_echo: tuple[str, ...] = ()

    # ---- translation ------------------------------------------------------------------------------------

    def error(self, call: Call, key: dict, error: RestliError) -> RestliError:
        """A v2 error as the versioned resource reports it."""
        if error.status == 404:
            return RestliError(404, f"{self.label} {keycodec.format_key(key, 1)} does not exist", 404)
        message = self.renames.message_to_rest(error.message, month_of(call))
        return RestliError(error.status, message, error.service_error_code, error.headers, error.code)

    def shown(self, call: Call, value):
        """A v2 result (entity, status or error) for one versioned key."""
        if isinstance(value, dict):
            return self.renames.to_rest(value, month_of(call))
        return value

    def entity_to_v2(self, call: Call, key: dict, entity: dict) -> dict:
        """A versioned request entity in v2 names, after the versioned schemas; raises its 422 (in the names of
        the requested version)."""
        month = month_of(call)
        malformed = malformed_context(key["integrationContext"]) if "integrationContext" in key else None
        if malformed is not None:  # the key's context first: a 400 as on every resource, not the schema's 422
            raise malformed
        if self.key_schema is not None:
            validation.check(self.key_schema, key)
        v2 = self.renames.request_to_v2(entity, month)
        try:
            if self.schema is not None:
                validation.check(self.schema, self.renames.to_latest(v2))
            for part in self.key_echo:
                if part in v2 and v2.pop(part) != key[part]:
                    raise field_error(part, f"must be the key's {part} ({key[part]}) when given")
            return v2
        except RestliError as error:
            raise RestliError(error.status, self.renames.message_to_rest(error.message, month),
                              error.service_error_code) from None

    # ---- running the v2 handlers ------------------------------------------------------------------------

    def groups(self, call: Call) -> dict[str, tuple[dict | None, list]]:
        """The call's keys by v2 parent: ``{parent canonical: (parent key, [(canonical, versioned key, v2 key
        or child, entity or None)])}`` (one group with parent None for a top-level resource)."""
        entities = {canonical: entity for canonical, _, entity in call.entities}
        found: dict[str, tuple[dict | None, list]] = {}
        for canonical, key in call.keys:
            v2_key, child = self.renames.key_to_v2(key)
            parent = v2_key if self.renames.child else None
            group = found.setdefault(keycodec.canonical(parent) if parent else "", (parent, []))
            group[1].append((canonical, key, child if self.renames.child else v2_key, entities.get(canonical)))
        return found

    async def run(self, call: Call) -> dict:
        """A batch method: the v2 handler per parent group, results keyed by the versioned canonical keys."""
        results: dict = {}
        for parent, members in self.groups(call).values():
            ready = []
            for canonical, key, v2_key, entity in members:
                if call.method in ENTITY_METHODS:
                    try:
                        entity = self.entity_to_v2(call, key, entity)
                    except RestliError as error:
                        results[canonical] = error
                        continue
                ready.append((canonical, key, v2_key, entity))
            if ready:
                results.update(await self.run_group(call, parent, ready))
        return {canonical: results[canonical] for canonical, _ in call.keys}

    async def run_group(self, call: Call, parent: dict | None, members: list) -> dict:
        """The v2 handler over one group; each result shown in versioned form."""
        keys = {canonical: key for canonical, key, _, _ in members}
        v2_call = dataclasses.replace(
            call, parent_key=parent, keys=[(canonical, v2_key) for canonical, _, v2_key, _ in members],
            entities=[(canonical, v2_key, entity) for canonical, _, v2_key, entity in members
                      if entity is not None])
        try:
            result = self.handlers[call.method](v2_call)
            if inspect.isawaitable(result):
                result = await result
        except RestliError as error:
            return {canonical: self.error(call, keys[canonical], error) for canonical in keys}
        return {canonical: (self.error(call, keys[canonical], value) if isinstance(value, RestliError)
                            else self.shown(call, value))
                for canonical, value in result.items()}

    def finder(self, name: str) -> Callable:
        """The versioned finder ``name``: its parameters renamed to the v2 finder's, elements shown versioned."""
        handler, parameters = self.finders[name]
        values = {rename.rest: rename for rename in self.renames.key}

        def find(call: Call) -> list[dict]:
            pairs = []
            for raw_name, raw_value in call.query.pairs:
                query_name = unquote(raw_name)
                rename = values.get(query_name)
                value = raw_value
                if rename is not None and rename.values:
                    value = quote(rename.value_to_v2(unquote(raw_value)), safe="")
                pairs.append((parameters.get(query_name, query_name), value))
            try:
                found = handler(dataclasses.replace(call, query=Query(pairs)))
            except RestliError as error:
                raise RestliError(error.status, self.renames.message_to_rest(error.message, month_of(call)),
                                  error.service_error_code, error.headers, error.code) from None
            return [self.renames.to_rest(element, month_of(call)) for element in found]
        return find

    def resource(self) -> Resource:
        """The Rest.li resource: the batch methods of ``handlers`` and the ``finders``."""
        return Resource(path=self.renames.rest, key_parts=self.renames.key_parts,
                        handlers={method: self.run for method in self.handlers},
                        finders={name: Finder(self.finder(name)) for name in self.finders}, policy=self.policy)

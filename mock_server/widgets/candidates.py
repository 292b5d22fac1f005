"""The profile widget reads and changes ``atsCandidates`` through the resource's own handlers, acting as the
customer application whose api_key the widget carries: a read is the BATCH_GET a partner would send (the
candidate as synced plus ``matchedMembers`` and ``manualMatchedMember``), link and unlink are the "Attach
Person URN" BATCH_PARTIAL_UPDATE (``$set`` / ``$delete`` of ``manualMatchedMember``), so the store effect and
the rules (member must exist, a candidate without email keeps its person URN) are exactly the API's.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ; linking in
the widget = setting ``manualMatchedMember`` (spec sync-and-retrieve.md §7.1, [INFERRED]).
"""

from __future__ import annotations

from mock_server.auth.access import Caller
from mock_server.auth.tokens import Token
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.query import Query
from mock_server.restli.resource import Call

RESOURCE = "atsCandidates"


def candidate_key(ats_candidate_id: str, integration_context: str) -> dict:
    """The ``atsCandidates`` key of a widget's ``data-ats-candidate-id`` and ``data-integration-context``."""
    return {"atsCandidateId": ats_candidate_id, "dataProvider": "ATS", "integrationContext": integration_context}


def _run(world, application: dict, method: str, key: dict, body=None):
    """Run ``method`` of ``atsCandidates`` for one ``key`` as ``application``; its per-key outcome (an entity,
    a status, or a raised :class:`RestliError`)."""
    resource = world.dispatcher.lookup("v2", RESOURCE)
    now = world.clock.now_ms()
    context = world.context()
    # The widget acts for the customer as its own 2-legged token would; the token is never issued or stored.
    token = Token(value="", client_id=application["clientId"], application=application["key"], auth_type="2L",
                  created_at=now, expires_at=now)
    context.caller = Caller(token, application, frozenset(world.customers.contexts(application)))
    canonical = keycodec.canonical(key)
    call = Call(resource=resource, method=method, protocol=2, base="v2", path=f"/v2/{RESOURCE}", query=Query([]),
                headers={}, keys=[(canonical, key)], entities=[(canonical, key, body)], context=context,
                url_path=f"/v2/{RESOURCE}")
    outcome = resource.handlers[method](call)[canonical]
    if isinstance(outcome, RestliError):
        raise outcome
    return outcome


def read(world, application: dict, key: dict) -> dict | None:
    """The candidate as BATCH_GET returns it, or None when it has not been synced. Raises 403 for another
    customer's context."""
    try:
        return _run(world, application, "BATCH_GET", key)
    except RestliError as error:
        if error.status == 404:
            return None
        raise


def set_manual_match(world, application: dict, key: dict, person: str | None) -> None:
    """Attach ``person`` (``urn:li:person:<id>``) as the candidate's ``manualMatchedMember``, or remove it when
    ``person`` is None. Raises the BATCH_PARTIAL_UPDATE's per-key error (404, 422, 403)."""
    patch = {"$set": {"manualMatchedMember": person}} if person else {"$delete": ["manualMatchedMember"]}
    _run(world, application, "BATCH_PARTIAL_UPDATE", key, {"patch": patch})

"""Application evaluations by LinkedIn Hiring Assistant (LiHA): LinkedIn evaluates a synced application,
pushes an ``EXPORT_APPLICATION_EVALUATION`` notification to the customer's callback, and
``rest/exportedApplicationEvaluations?q=request&requestId=…`` returns the evaluation.

Documented (https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/retrieve-application-evaluation/exported-application-evaluation):
the follow-up GET by the webhook's id, the notification's requestId expires after 24 hours, an application is
evaluated at most once in 24 hours. The notification type name and the evaluation's fields
(``schemas/exportedApplicationEvaluation.json``) are [INFERRED].

Table ``evaluations`` (key = evaluation id), indexed by ``applicationKey`` (the application's store key)::

    {"id", "application": the customer's child application key, "applicationKey", "integrationContext",
     "atsJobApplicationId", "atsJobPostingId"?, "atsCandidateId"?, "evaluation": {...}, "evaluatedAt"}
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.customers import context_urn_kind
from mock_server.domain.synced import APPLICATIONS, store_key
from mock_server.domain.world import World
from mock_server.restli.errors import RestliError, shown
from mock_server.schemas import validation
from mock_server.store import Store, Table
from mock_server.store.spec import TableSpec

EVALUATIONS = TableSpec("evaluations", ("applicationKey",))
TABLES = (EVALUATIONS,)
EXPORT_APPLICATION_EVALUATION = "EXPORT_APPLICATION_EVALUATION"
FIRST_EVALUATION_ID = 7300000000000000001
REQUEST_TTL_S = 24 * 3600
EVALUATION_INTERVAL_MS = 24 * 3600 * 1000
DEFAULT_EVALUATION = {"recommendation": "GOOD_FIT", "summary": "Meets the main qualifications of the job.",
                      "qualifications": []}
VIEW_FIELDS = ("integrationContext", "atsJobApplicationId", "atsJobPostingId", "atsCandidateId", "evaluation",
               "evaluatedAt")


def evaluations_table(store: Store) -> Table:
    """The ``evaluations`` table."""
    return EVALUATIONS.of(store)


def evaluation_view(record: dict[str, Any]) -> dict[str, Any]:
    """The ``exportedApplicationEvaluations`` element of a record."""
    return {name: record[name] for name in VIEW_FIELDS if name in record}


def evaluate(world: World, context: str, application_id: str, evaluation: dict[str, Any] | None) -> dict[str, Any]:
    """LiHA evaluates application ``application_id`` synced in organization ``context``. Returns
    ``{"evaluation": record, "notification": doc}``; raises 404 naming ``/integrationContext`` (no customer owns
    it) or ``/atsJobApplicationId`` (not synced), 400 naming ``/integrationContext`` when it is not an
    organization URN or the evaluation's field when it is malformed (an admin body: README "Rules and errors"),
    409 when the application
    was evaluated less than 24 hours ago (with ``Retry-After``)."""
    evaluation = DEFAULT_EVALUATION if evaluation is None else evaluation
    if context_urn_kind(context) != "organization":
        raise RestliError(400, f"ERROR :: /integrationContext :: {shown(context)} is not an organization URN"
                               " (urn:li:organization:<id>)")
    owner = world.customers.owner_of_context(context)
    if owner is None:
        raise RestliError(404, f"ERROR :: /integrationContext :: no customer owns {context}")
    where = store_key({"atsJobApplicationId": application_id, "integrationContext": context})
    application = APPLICATIONS.table.of(world.store).get(where)
    if application is None:
        raise RestliError(404, f"ERROR :: /atsJobApplicationId :: no application {shown(application_id)} synced for"
                               f" {context}")
    errors = validation.errors("exportedApplicationEvaluation", {"integrationContext": context, "evaluatedAt": 0,
                                                                 "atsJobApplicationId": application_id,
                                                                 "evaluation": evaluation})
    if errors:
        where_, reason = errors[0]
        raise RestliError(400, f"ERROR :: {where_} :: {reason}")
    now = world.clock.now_ms()
    table = evaluations_table(world.store)
    last = max((doc["evaluatedAt"] for _, doc in table.find(applicationKey=where)), default=None)
    if last is not None and now - last < EVALUATION_INTERVAL_MS:
        retry = (last + EVALUATION_INTERVAL_MS - now + 999) // 1000
        raise RestliError(409, f"ERROR :: /atsJobApplicationId :: {shown(application_id)} was evaluated at {last}"
                               " (epoch ms); LinkedIn evaluates an application at most once in 24 hours", 409,
                          headers={"Retry-After": str(retry)})
    record = {"id": str(world.counters.next_number("evaluation", FIRST_EVALUATION_ID)),
              "application": owner["key"], "applicationKey": where, "integrationContext": context,
              "atsJobApplicationId": application_id, "evaluation": evaluation, "evaluatedAt": now}
    for name in ("atsJobPostingId", "atsCandidateId"):
        if name in application:
            record[name] = application[name]
    with world.store.transaction():
        table.put(record["id"], record)
        notification = world.outbox.enqueue(owner, EXPORT_APPLICATION_EVALUATION, context,
                                            {"evaluations": [record["id"]]}, ttl_s=REQUEST_TTL_S)
    return {"evaluation": record, "notification": notification}


def evaluations_of_application(store: Store, application_key: str) -> list[dict[str, Any]]:
    """The evaluations of the application whose store key is ``application_key``, oldest first, as elements."""
    found = [doc for _, doc in evaluations_table(store).find(applicationKey=application_key)]
    return [evaluation_view(doc) for doc in sorted(found, key=lambda doc: (doc["evaluatedAt"], doc["id"]))]


def evaluations_of_notification(world: World, notification: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``exportedApplicationEvaluations`` elements a notification refers to."""
    table = evaluations_table(world.store)
    return [evaluation_view(record) for record in map(table.get, notification.get("evaluations", [])) if record]

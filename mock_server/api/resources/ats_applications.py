"""``atsApplications`` and its sub-resources ``notes``, ``interviewFeedback`` and ``stages`` (RSC module 2
"Sync Job Applications", module 5 deletion).

* BATCH_UPDATE replaces the whole application (an omitted field is gone), checked against
  ``schemas/atsApplication.json`` plus ``atsLastModifiedAt ≥ atsCreatedAt``;
* BATCH_GET returns the application as synced; BATCH_DELETE removes it with its notes, stages, interview
  feedback and attachments (``rest/attachments``; applications of a deleted candidate stay);
* sub-resources: BATCH_UPDATE / BATCH_GET / BATCH_DELETE, entities checked against ``atsNote``,
  ``atsInterviewFeedback`` and ``atsApplicationStage``. A PUT without ``X-RestLi-Method`` is a BATCH_UPDATE
  (LinkedIn's Postman request for interview feedback sends none).

The versioned family (``rest/atsApplications``, ``rest/applicationNotes``, ``rest/applicationStage``,
``rest/applicationInterviewFeedbacks``) serves the same records: :mod:`mock_server.api.resources.applications`.

Table ``atsApplications`` (``applications`` holds the developer applications): ``{<application fields>,
"atsJobApplicationId", "dataProvider", "integrationContext", "syncedAt"}``, indexed by integrationContext,
atsCandidateId and atsJobPostingId; sub-records in ``applicationNotes``, ``applicationInterviewFeedback``,
``applicationStages`` (see :mod:`mock_server.domain.synced`).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-applications ,
…/sync-application-notes, …/sync-application-interview-feedback, …/sync-application-stages,
…/recruiter-system-connect/rsc-data-deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mock_server.api.gate import Policy
from mock_server.api.resources.batch import child_handlers, record_handlers
from mock_server.api.resources.common import V2
from mock_server.domain.quotas import SYNC_QUOTA
from mock_server.domain.synced import APPLICATIONS, CHILDREN, check_times
from mock_server.restli.resource import Call, Resource
from mock_server.schemas import validation

KEY_PARTS = APPLICATIONS.key_parts
POLICY = Policy(quota=SYNC_QUOTA, enabled_only=True)  # each resource its own quota


def prepare(call: Call, key: dict, entity: dict, stored: Callable[[str], Any]) -> dict:
    """The whole application to store for one BATCH_UPDATE entity (full replace); raises its 422."""
    validation.check("atsApplication", entity)
    check_times(entity)
    return dict(entity)


HANDLERS = record_handlers(APPLICATIONS, prepare)
CHILD_HANDLERS = {name: child_handlers(APPLICATIONS, kind) for name, kind in CHILDREN.items()}

RESOURCES = [(Resource(path="atsApplications", key_parts=KEY_PARTS, handlers=HANDLERS, policy=POLICY), V2)] + [
    (Resource(path=f"atsApplications/{name}", parent_key_parts=KEY_PARTS, handlers=handlers, policy=POLICY), V2)
    for name, handlers in CHILD_HANDLERS.items()]

"""``atsApplications`` and its sub-resources ``notes``, ``interviewFeedback`` and ``stages`` (RSC module 2
"Sync Job Applications", module 5 deletion).

* BATCH_UPDATE replaces the whole application (an omitted field is gone), checked against
  ``schemas/atsApplication.json`` plus ``atsLastModifiedAt ≥ atsCreatedAt``;
* BATCH_GET returns the application as synced; BATCH_DELETE removes it with its notes, stages and interview
  feedback (applications of a deleted candidate stay);
* sub-resources: BATCH_UPDATE / BATCH_GET / BATCH_DELETE, entities checked against ``atsNote``,
  ``atsInterviewFeedback`` and ``atsApplicationStage``. A PUT without ``X-RestLi-Method`` is a BATCH_UPDATE
  (LinkedIn's Postman request for interview feedback sends none).

Under ``/rest`` the key is ``atsJobApplicationId`` + ``integrationContext`` (no ``dataProvider``; emulator
decisions table, from the pt-br copy of sync-applications); both bases share the same records.

Table ``atsApplications`` (``applications`` holds the developer applications): ``{<application fields>,
"atsJobApplicationId", "dataProvider", "integrationContext", "syncedAt"}``, indexed by integrationContext,
atsCandidateId and atsJobPostingId; sub-records in ``applicationNotes``, ``applicationInterviewFeedback``,
``applicationStages`` (see :mod:`mock_server.domain.synced`).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-applications ,
…/sync-application-notes, …/sync-application-interview-feedback, …/sync-application-stages,
…/recruiter-system-connect/rsc-data-deletion.
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.batch import child_handlers, record_handlers
from mock_server.api.resources.common import V2
from mock_server.domain.quotas import SYNC_QUOTA
from mock_server.domain.synced import APPLICATIONS, CHILDREN, check_times
from mock_server.restli.resource import Call, Resource
from mock_server.schemas import validation

KEY_PARTS = APPLICATIONS.key_parts
REST_KEY_PARTS = ("atsJobApplicationId", "integrationContext")
REST = ("rest",)
POLICY = Policy(quota=SYNC_QUOTA, enabled_only=True)  # each resource its own quota


def prepare(call: Call, key: dict, entity: dict, existing: dict | None) -> dict:
    """The whole application to store for one BATCH_UPDATE entity (full replace); raises its 422."""
    validation.check("atsApplication", entity)
    check_times(entity)
    return dict(entity)


def resources(key_parts: tuple[str, ...], bases: tuple[str, ...]) -> list:
    """The application resource and its sub-resources for one key shape, served under ``bases``."""
    found = [(Resource(path="atsApplications", key_parts=key_parts, handlers=record_handlers(APPLICATIONS, prepare),
                       policy=POLICY), bases)]
    for name, kind in CHILDREN.items():
        found.append((Resource(path=f"atsApplications/{name}", parent_key_parts=key_parts,
                               handlers=child_handlers(APPLICATIONS, kind), policy=POLICY), bases))
    return found


RESOURCES = resources(KEY_PARTS, V2) + resources(REST_KEY_PARTS, REST)

"""The versioned applications: ``rest/atsApplications`` and the top-level ``rest/applicationNotes``,
``rest/applicationStage`` and ``rest/applicationInterviewFeedbacks``, on the same records as
``v2/atsApplications`` and its ``notes``, ``stages`` and ``interviewFeedback`` sub-resources (tables of
:mod:`mock_server.domain.renames`). Each: BATCH_UPDATE, BATCH_GET, BATCH_DELETE.

* ``rest/atsApplications`` keeps its name and ``atsJobApplicationId`` (sync-applications, pt-br versioned copy):
  key ``(atsJobApplicationId, integrationContext)``, body as on v2 (``schemas/atsApplication.json``).
* ``rest/applicationNotes`` (withone.ai copy): key ``(externalJobApplicationId, integrationContext,
  externalNoteId)``, ``schemas/applicationNote.json``; from 202512 ("applicationNotes … updated").
* ``rest/applicationStage`` (withone.ai copy; the singular name as scraped): key ``(jobApplicationId,
  integrationContext, jobApplicationStageId)``; the value may repeat ``integrationContext``, which must then be
  the key's (``schemas/applicationStage.json``).
* ``rest/applicationInterviewFeedbacks`` (sync-application-interview-feedback throttle table, withone.ai copy):
  key ``(jobApplicationId, integrationContext, interviewFeedbackId)``,
  ``schemas/applicationInterviewFeedback.json``; 1,000,000 calls/day.

Resources without a documented first version are served from :data:`~mock_server.api.versions.FIRST_RSC`.
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.ats_applications import CHILD_HANDLERS, HANDLERS
from mock_server.api.resources.common import REST
from mock_server.api.resources.versioned import VersionedHandlers
from mock_server.api.versions import FIRST_RSC
from mock_server.domain import renames
from mock_server.domain.quotas import SYNC, Quota

SYNCED = Quota(SYNC)
RECORDS = (
    VersionedHandlers(renames.APPLICATIONS, HANDLERS, label="atsApplication",
                      policy=Policy(quota=SYNCED, since=FIRST_RSC)),
    VersionedHandlers(renames.APPLICATION_NOTES, CHILD_HANDLERS["notes"], label="application note",
                      policy=Policy(quota=SYNCED, since="202512"), schema="applicationNote"),
    VersionedHandlers(renames.APPLICATION_STAGES, CHILD_HANDLERS["stages"], label="application stage",
                      policy=Policy(quota=SYNCED, since=FIRST_RSC), schema="applicationStage",
                      key_echo=("integrationContext",)),
    # sync-application-interview-feedback (en-us): rest/applicationInterviewFeedbacks, 1,000,000 calls/day
    VersionedHandlers(renames.APPLICATION_FEEDBACKS, CHILD_HANDLERS["interviewFeedback"],
                      label="application interview feedback", policy=Policy(quota=Quota(1_000_000), since=FIRST_RSC),
                      schema="applicationInterviewFeedback"),
)

RESOURCES = [(records.resource(), REST) for records in RECORDS]

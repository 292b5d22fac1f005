"""``rest/candidates`` and ``rest/candidateNotes``: the versioned candidates, on the same records as
``v2/atsCandidates`` and its notes (tables of :mod:`mock_server.domain.renames`).

* ``rest/candidates`` (RSC release notes, 2026-03 view): BATCH_UPDATE, BATCH_GET, BATCH_DELETE; key
  ``(externalCandidateId, integrationContext)``, no ``dataProvider``; ``externalCreatedAt`` /
  ``externalLastModifiedAt`` from LinkedIn-Version 202602 (the version whose release notes carry the "breaking
  changes to candidates"), the v2 names before it. Entities checked against ``schemas/candidate.json`` and the
  v2 candidate rules. Served from 202512 [INFERRED: a breaking change in 202602 needs a versioned candidates
  resource before it; the version before 202602 is 202512].
* ``rest/candidateNotes`` (withone.ai copy of LinkedIn's page): a top-level resource keyed
  ``(externalCandidateId, integrationContext, externalNoteId)``; BATCH_UPDATE, BATCH_GET, BATCH_DELETE (query
  tunnelling included); ``schemas/candidateNote.json``. Served from 202512 ("candidateNotes … updated").
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.ats_candidates import prepare
from mock_server.api.resources.batch import child_handlers, record_handlers
from mock_server.api.resources.common import REST
from mock_server.api.resources.versioned import VersionedHandlers
from mock_server.domain import renames
from mock_server.domain.quotas import SYNC, Quota
from mock_server.domain.synced import CANDIDATE_NOTES, CANDIDATES

CANDIDATE_RECORDS = VersionedHandlers(renames.CANDIDATES, record_handlers(CANDIDATES, prepare), label="candidate",
                                      policy=Policy(quota=Quota(SYNC), since="202512"), schema="candidate")
NOTE_RECORDS = VersionedHandlers(renames.CANDIDATE_NOTES, child_handlers(CANDIDATES, CANDIDATE_NOTES),
                                 label="candidate note", policy=Policy(quota=Quota(SYNC), since="202512"),
                                 schema="candidateNote")

RESOURCES = [(CANDIDATE_RECORDS.resource(), REST), (NOTE_RECORDS.resource(), REST)]

"""One world behind both API families: how each versioned (``/rest``) resource's names map onto the v2 records
it shares, one :class:`Renames` table per resource.

The store keeps every synced record under its v2 key and v2 field names, so a candidate written through
``v2/atsCandidates`` is the candidate ``rest/candidates`` returns and the other way round (a partner migrates
customer by customer). A table says, for one versioned resource:

* ``key``: each part of the versioned key and the v2 part it stands for (``externalCandidateId`` ↔
  ``atsCandidateId``), with value renames where the two families spell a value differently
  (``JOB_REQUISITION`` ↔ ``JOB_POSTING``);
* ``dropped``: the v2 key parts the versioned key no longer has, with the value the v2 record holds
  (``dataProvider: ATS``);
* ``child``: for a versioned top-level resource that is a v2 *sub-resource* (``rest/candidateNotes`` ↔
  ``v2/atsCandidates/{key}/notes``), the versioned key part that is the sub-resource's own key; the other parts
  make the parent's key;
* ``fields``: body fields named differently, each with the version (``since``, ``YYYYMM``) from which the
  versioned name applies. Before ``since`` the v2 name is the versioned name too; a field with no v2 name
  (``v2=None``) does not exist before ``since``: left out of replies, refused in requests.

Every function here is pure: it maps names and raises ``RestliError`` (422 naming the field) for a field the
requested version does not have. Sources of each table: spec ``versioned-rest.md`` §1-2 and the ``source`` of
the table.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from mock_server.restli.errors import field_error


@dataclasses.dataclass(frozen=True)
class Rename:
    """One name on both families: ``v2`` (None: the versioned family only), ``rest``, the version from which
    ``rest`` applies (``since``, ``YYYYMM``; None: every version) and value renames ``values`` (v2 → rest)."""

    v2: str | None
    rest: str
    since: str | None = None
    values: tuple[tuple[str, str], ...] = ()

    def applies(self, month: int) -> bool:
        """True when the versioned name is in force for a request of version month ``month`` (``YYYYMM``)."""
        return self.since is None or month >= int(self.since)

    def name_at(self, month: int) -> str | None:
        """The field's name for a request of ``month``: ``rest`` from ``since`` on, else the v2 name (None:
        the field does not exist yet)."""
        return self.rest if self.applies(month) else self.v2

    def value_to_v2(self, value: Any) -> Any:
        """``value`` as the v2 record holds it."""
        return next((old for old, new in self.values if new == value), value)

    def value_to_rest(self, value: Any) -> Any:
        """``value`` as the versioned family spells it."""
        return next((new for old, new in self.values if old == value), value)


@dataclasses.dataclass(frozen=True)
class Renames:
    """The name mapping of versioned resource ``rest`` onto v2 resource ``v2`` (see the module docstring)."""

    rest: str
    v2: str
    key: tuple[Rename, ...]
    source: str
    dropped: tuple[tuple[str, str], ...] = ()
    child: str | None = None
    fields: tuple[Rename, ...] = ()

    @property
    def key_parts(self) -> tuple[str, ...]:
        """The parts of the versioned key, in table order."""
        return tuple(rename.rest for rename in self.key)

    # ---- keys -------------------------------------------------------------------------------------------

    def key_to_v2(self, key: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """``(v2 key, sub-resource key or None)`` of a versioned key: for a sub-resource the v2 key is the
        parent's."""
        v2 = {rename.v2: rename.value_to_v2(key[rename.rest]) for rename in self.key
              if rename.rest != self.child and rename.v2 is not None}  # only the child part has no v2 name
        return {**v2, **dict(self.dropped)}, (key[self.child] if self.child else None)

    def key_to_rest(self, v2_key: dict[str, Any], child: str | None = None) -> dict[str, Any]:
        """The versioned key of a v2 key (and sub-resource key ``child``)."""
        return {rename.rest: (child if rename.rest == self.child or rename.v2 is None
                              else rename.value_to_rest(v2_key[rename.v2]))
                for rename in self.key}

    # ---- bodies -----------------------------------------------------------------------------------------

    def request_to_v2(self, entity: dict[str, Any], month: int) -> dict[str, Any]:
        """A request entity written for version ``month`` with the v2 names. Raises 422 naming a field the
        version does not have: a versioned name used before its ``since``, or a v2 name the version has
        renamed."""
        v2 = dict(entity)
        for rename in self.fields:
            current = rename.name_at(month)
            for name in {rename.rest, rename.v2} - {current, None}:
                if name in entity:
                    raise field_error(name, self.absent_reason(rename, month))
            if current is not None and current in entity and rename.v2 is not None:
                v2[rename.v2] = rename.value_to_v2(v2.pop(current))
        return v2

    def absent_reason(self, rename: Rename, month: int) -> str:
        """Why a field name is not part of version ``month``."""
        if rename.applies(month):
            since = f" since LinkedIn-Version {rename.since}" if rename.since else ""
            return f"is not a field of {self.rest}{since}: it is named {rename.rest}"
        if rename.v2 is None:
            return f"is not a field of {self.rest} before LinkedIn-Version {rename.since}"
        return f"is named {rename.v2} before LinkedIn-Version {rename.since} ({rename.rest} from {rename.since} on)"

    def to_rest(self, doc: dict[str, Any], month: int) -> dict[str, Any]:
        """A v2 document (a reply entity) as version ``month`` shows it: renamed fields under the name of
        that version, fields the version does not have left out, dropped key parts removed."""
        shown = {name: value for name, value in doc.items() if name not in dict(self.dropped)}
        for rename in self.fields:
            if rename.v2 is None:
                if not rename.applies(month):
                    shown.pop(rename.rest, None)
                continue
            if rename.v2 in shown:
                value = shown.pop(rename.v2)
                if rename.applies(month):
                    shown[rename.rest] = rename.value_to_rest(value)
                else:
                    shown[rename.v2] = value
        for rename in self.key:
            if rename.v2 in shown and rename.rest != self.child:
                shown[rename.rest] = rename.value_to_rest(shown.pop(rename.v2))
        return shown

    def to_latest(self, v2: dict[str, Any]) -> dict[str, Any]:
        """A v2 request entity under the names of the latest version (what the versioned schema checks)."""
        return {self._latest_names().get(name, name): value for name, value in v2.items()}

    def _latest_names(self) -> dict[str, str]:
        return {rename.v2: rename.rest for rename in self.fields if rename.v2 is not None}

    def message_to_rest(self, message: str, month: int) -> str:
        """An error message naming v2 names or latest versioned names, with each replaced by the name version
        ``month`` uses; the dropped key parts (``&dataProvider=ATS``) removed from keys it quotes."""
        names = [(rename.v2, rename.rest) for rename in self.key if rename.v2 and rename.v2 != rename.rest]
        names += [value for rename in self.key for value in rename.values]
        for rename in self.fields:
            current = rename.name_at(month)
            names += [(other, current) for other in (rename.v2, rename.rest) if other and current and other != current]
        for old, new in names:
            message = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(old)}(?![A-Za-z0-9_])", new, message)
        for name, _ in self.dropped:
            message = re.sub(rf"&{name}=[^&\s]*|{name}=[^&\s]*&?", "", message)
        return message


ATS = (("dataProvider", "ATS"),)
CONTEXT = Rename("integrationContext", "integrationContext")
CANDIDATE_TIMES = (Rename("atsCreatedAt", "externalCreatedAt", "202602"),
                   Rename("atsLastModifiedAt", "externalLastModifiedAt", "202602"))
APPLICATION_KEY = (Rename("atsJobApplicationId", "jobApplicationId"), CONTEXT)
INTEGRATION_KEY = (CONTEXT, Rename("integrationType", "integrationType"),
                   Rename("tenantType", "tenantType"))
ENTITY_TYPE = Rename("atsEntityType", "entityType", values=(("JOB_POSTING", "JOB_REQUISITION"),))
NOTE_TIMES = (Rename("atsCreatedAt", "externalCreatedAt"),)

CANDIDATES = Renames(
    rest="candidates", v2="atsCandidates",
    key=(Rename("atsCandidateId", "externalCandidateId"), CONTEXT),
    dropped=ATS, fields=CANDIDATE_TIMES,
    source="RSC release notes (2026-03 view), 'APIs migrated from v2 to REST': atsCandidateId → externalCandidateId,"
           " atsCreatedAt → externalCreatedAt, atsLastModifiedAt → externalLastModifiedAt, dataProvider removed;"
           " Talent release notes: 202602 'breaking changes to candidates' (so the timestamps carry their v2"
           " names before 202602 [INFERRED])")
CANDIDATE_NOTES = Renames(
    rest="candidateNotes", v2="atsCandidates/notes",
    key=(Rename("atsCandidateId", "externalCandidateId"), CONTEXT,
         Rename(None, "externalNoteId")),
    dropped=ATS, child="externalNoteId", fields=NOTE_TIMES,
    source="withone.ai 'Sync Candidate Notes' (third-party copy of LinkedIn's page): key externalCandidateId,"
           " integrationContext, externalNoteId; atsCreatedAt → externalCreatedAt by analogy with candidates"
           " [INFERRED]")
APPLICATIONS = Renames(
    rest="atsApplications", v2="atsApplications",
    key=(Rename("atsJobApplicationId", "atsJobApplicationId"), CONTEXT),
    dropped=ATS,
    source="sync-applications (pt-br copy, versioned): PUT rest/atsApplications with ids[i].atsJobApplicationId and"
           " ids[i].integrationContext, no dataProvider; body fields as on v2")
APPLICATION_NOTES = Renames(
    rest="applicationNotes", v2="atsApplications/notes",
    key=(Rename("atsJobApplicationId", "externalJobApplicationId"), CONTEXT,
         Rename(None, "externalNoteId")),
    dropped=ATS, child="externalNoteId", fields=NOTE_TIMES,
    source="withone.ai 'Sync Application Notes' (third-party copy): key externalJobApplicationId,"
           " integrationContext, externalNoteId; atsCreatedAt → externalCreatedAt [INFERRED]")
APPLICATION_STAGES = Renames(
    rest="applicationStage", v2="atsApplications/stages",
    key=(*APPLICATION_KEY, Rename(None, "jobApplicationStageId")),
    dropped=ATS, child="jobApplicationStageId",
    source="withone.ai 'Sync Application Stages' (third-party copy): PUT rest/applicationStage, key jobApplicationId,"
           " integrationContext, jobApplicationStageId; body as on v2 [INFERRED]")
APPLICATION_FEEDBACKS = Renames(
    rest="applicationInterviewFeedbacks", v2="atsApplications/interviewFeedback",
    key=(*APPLICATION_KEY, Rename(None, "interviewFeedbackId")),
    dropped=ATS, child="interviewFeedbackId",
    source="sync-application-interview-feedback (current en-us): throttle row rest/applicationInterviewFeedbacks;"
           " withone.ai 'Sync Application Interview Feedbacks': key jobApplicationId, integrationContext,"
           " interviewFeedbackId; body as on v2 [INFERRED]")
INTEGRATIONS = Renames(
    rest="integrations", v2="atsIntegrations", key=INTEGRATION_KEY, dropped=ATS,
    source="RSC release notes (2026-03 view): v2/atsIntegrations → rest/integrations, dataProvider removed from"
           " entity keys; Talent release notes: renamed in 202602")
INTEGRATION_CONFIGURATIONS = Renames(
    rest="integrationConfigurations", v2="atsIntegrations/configurations",
    key=(*INTEGRATION_KEY, Rename(None, "configurationKey")), dropped=ATS, child="configurationKey",
    source="RSC customer configuration (2026-03 view) and Talent release notes (202602): the name"
           " rest/integrationConfigurations; key = the integration key without dataProvider + configurationKey"
           " [INFERRED]")
ENTITY_ACLS = Renames(
    rest="entityAcls", v2="atsEntityAcls",
    key=(Rename("atsEntityAclId", "entityAclId"), Rename("dataProvider", "dataProvider"),
         CONTEXT, ENTITY_TYPE, Rename("atsEntityId", "entityId")),
    source="withone.ai 'Upsert Entity ACL' / 'Retrieve Entity ACLs' (third-party copies): key entityAclId,"
           " dataProvider, integrationContext, entityType (example JOB_REQUISITION), entityId; JOB_REQUISITION"
           " stands for v2's JOB_POSTING [INFERRED]")
ENTITY_ACL_ASSIGNEES = Renames(
    rest="entityAclAssignees", v2="atsEntityAclAssignees",
    key=(Rename("atsEntityAclId", "entityAclId"), Rename("dataProvider", "dataProvider"),
         CONTEXT, ENTITY_TYPE, Rename("assignee", "assignee")),
    source="Talent release notes 202511: the name; key by analogy with entityAcls [INFERRED]")

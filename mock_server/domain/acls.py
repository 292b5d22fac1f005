"""ACLs of synced entities: which ATS security groups a job is bound to (``atsEntityAcls``) and which LinkedIn
members belong to each group (``atsEntityAclAssignees``).

Both tables hold, under the entity's canonical key, a document made of the key parts and ``syncedAt`` (epoch
ms of the last upsert): ``atsEntityAcls`` → ``{atsEntityAclId, dataProvider, integrationContext,
atsEntityType, atsEntityId, syncedAt}``, ``atsEntityAclAssignees`` → ``{atsEntityAclId, dataProvider,
integrationContext, atsEntityType, assignee, syncedAt}``.
Lookups go through the tables' indexes (``integrationContext`` with ``atsEntityId`` / ``assignee``), never a
scan. The Recruiter side asks :func:`acls_of_job` and :func:`acl_groups_of`: a recruiter sees a restricted
job when the two sets meet.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/acl-overview and
https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-acls (only JOB_POSTING can be
secured; "do not assign more than 10 ACLs per user").
"""

from __future__ import annotations

from mock_server.domain.synced import RecordKind
from mock_server.store import Store, Table
from mock_server.store.spec import TableSpec

ACLS = TableSpec("atsEntityAcls", ("integrationContext", "atsEntityId", "atsEntityAclId"))
ASSIGNEES = TableSpec("atsEntityAclAssignees", ("integrationContext", "assignee", "atsEntityAclId"))
TABLES = (ACLS, ASSIGNEES)
JOB_POSTING = "JOB_POSTING"
MAX_ACLS_PER_ASSIGNEE = 10
ACL_RECORDS = RecordKind("ACL", ACLS, ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType",
                                       "atsEntityId"))
ASSIGNEE_RECORDS = RecordKind("ACL assignee", ASSIGNEES, ("atsEntityAclId", "dataProvider", "integrationContext",
                                                          "atsEntityType", "assignee"))


def acl_table(store: Store) -> Table:
    """The ``atsEntityAcls`` table, indexed by context, entity and group."""
    return ACLS.of(store)


def assignee_table(store: Store) -> Table:
    """The ``atsEntityAclAssignees`` table, indexed by context, assignee and group."""
    return ASSIGNEES.of(store)


def acls_of_job(store: Store, context: str, external_job_posting_id: str) -> set[str]:
    """The ``atsEntityAclId`` of every ACL binding job ``external_job_posting_id`` in ``context`` (an
    organization URN); empty when the job has none."""
    found = acl_table(store).find(atsEntityId=external_job_posting_id, integrationContext=context)
    return {doc["atsEntityAclId"] for _, doc in found if doc["atsEntityType"] == JOB_POSTING}


def acl_groups_of(store: Store, context: str, person: str) -> set[str]:
    """The ``atsEntityAclId`` of every group ``person`` (``urn:li:person:<id>``) is assigned to in ``context``."""
    found = assignee_table(store).find(assignee=person, integrationContext=context)
    return {doc["atsEntityAclId"] for _, doc in found if doc["atsEntityType"] == JOB_POSTING}

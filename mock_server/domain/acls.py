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

ACLS = "atsEntityAcls"
ASSIGNEES = "atsEntityAclAssignees"
ACL_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "atsEntityId")
ASSIGNEE_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "assignee")
JOB_POSTING = "JOB_POSTING"
MAX_ACLS_PER_ASSIGNEE = 10
ACL_INDEXES = ("integrationContext", "atsEntityId", "atsEntityAclId")
ASSIGNEE_INDEXES = ("integrationContext", "assignee", "atsEntityAclId")


def acl_table(store):
    """The ``atsEntityAcls`` table, indexed by context, entity and group."""
    return store.table(ACLS, indexes=ACL_INDEXES)


def assignee_table(store):
    """The ``atsEntityAclAssignees`` table, indexed by context, assignee and group."""
    return store.table(ASSIGNEES, indexes=ASSIGNEE_INDEXES)


def acls_of_job(store, context: str, external_job_posting_id: str) -> set[str]:
    """The ``atsEntityAclId`` of every ACL binding job ``external_job_posting_id`` in ``context`` (an
    organization URN); empty when the job has none."""
    found = acl_table(store).find(atsEntityId=external_job_posting_id, integrationContext=context)
    return {doc["atsEntityAclId"] for _, doc in found if doc["atsEntityType"] == JOB_POSTING}


def acl_groups_of(store, context: str, person: str) -> set[str]:
    """The ``atsEntityAclId`` of every group ``person`` (``urn:li:person:<id>``) is assigned to in ``context``."""
    found = assignee_table(store).find(assignee=person, integrationContext=context)
    return {doc["atsEntityAclId"] for _, doc in found if doc["atsEntityType"] == JOB_POSTING}

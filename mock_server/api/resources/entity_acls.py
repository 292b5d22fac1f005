"""``rest/entityAcls`` and ``rest/entityAclAssignees`` (migrated to the versioned API in LinkedIn-Version
202511, Talent release notes), on the same ACL records as ``v2/atsEntityAcls`` and ``v2/atsEntityAclAssignees``
(tables of :mod:`mock_server.domain.renames`).

Keys (withone.ai copies of LinkedIn's pages for entityAcls; assignees by analogy [INFERRED]): ``entityAclId``,
``dataProvider`` (still ``ATS``), ``integrationContext``, ``entityType`` (``JOB_REQUISITION``, which stands for
v2's ``JOB_POSTING`` [INFERRED]) and ``entityId`` / ``assignee``. BATCH_UPDATE with an empty body, BATCH_DELETE,
FINDER ``q=criteria`` (the v2 finder name [INFERRED]; parameters ``integrationContext``, ``entityType``,
``entityId``, ``dataProvider`` as withone.ai lists them, ``assignee`` and ``entityAclId`` for assignees).
Keys are checked against ``schemas/entityAcl.json`` / ``entityAclAssignee.json``, bodies against
``entityAcl.body.json``, then the v2 rules apply (fixture members, at most 10 groups per member).
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.ats_entity_acls import (
    ACL_CRITERIA,
    ACL_HANDLERS,
    ASSIGNEE_CRITERIA,
    ASSIGNEE_HANDLERS,
)
from mock_server.api.resources.common import REST
from mock_server.api.resources.versioned import VersionedHandlers
from mock_server.domain import renames
from mock_server.domain.quotas import SYNC, Quota

PARAMETERS = {"entityAclId": "atsEntityAclId", "entityType": "atsEntityType", "entityId": "atsEntityId"}

ACLS = VersionedHandlers(
    renames.ENTITY_ACLS, ACL_HANDLERS, label="entity ACL", policy=Policy(quota=Quota(SYNC), since="202511"),
    schema="entityAcl.body", key_schema="entityAcl", finders={"criteria": (ACL_CRITERIA, PARAMETERS)})
ASSIGNEES = VersionedHandlers(
    renames.ENTITY_ACL_ASSIGNEES, ASSIGNEE_HANDLERS, label="entity ACL assignee",
    policy=Policy(quota=Quota(SYNC), since="202511"), schema="entityAcl.body", key_schema="entityAclAssignee",
    finders={"criteria": (ASSIGNEE_CRITERIA, PARAMETERS)})

RESOURCES = [(ACLS.resource(), REST), (ASSIGNEES.resource(), REST)]

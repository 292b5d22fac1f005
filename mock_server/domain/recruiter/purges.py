"""Closed LinkedIn accounts: when a member closes their account, every One-Click Export of that member becomes
an entry of ``rest/atsPurgedExportedCandidates``, the list partners must poll at least once every 30 days and
delete from (RSC release notes, July 2023 "Retrieving Closed Candidate Profiles"; retrieve-exported-candidates,
2026-04 view: rest/atsPurgedExportedCandidates, 100,000 calls/day).

An entry stays listed for :data:`LISTED_DAYS` days after the account closed [INFERRED: the polling rule, so a
partner polling every 30 days sees each one]. The finder (``q=criteria&integrationContext=…``) and the entry's
fields (``schemas/atsPurgedExportedCandidate.json``) are [INFERRED].

Table ``purgedExports`` (key = export id), indexed by ``integrationContext``::

    {"id", "application", "integrationContext", "person", "externalJobPostingId", "jobPosting", "exportedAt",
     "closedAt"}

The member's fixture document gets ``closedAt``; from then on the member is shown nowhere and can no longer act
(:func:`mock_server.domain.matching.account_closed`): the member's tokens are revoked and unused authorization
codes withdrawn, and a closed member can no longer be exported (409).
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.matching import MEMBERS
from mock_server.domain.recruiter.actors import find_member, person_urn
from mock_server.domain.recruiter.exports import EXPORTS
from mock_server.domain.world import World
from mock_server.store import Store, Table
from mock_server.store.spec import TableSpec

PURGED = TableSpec("purgedExports", ("integrationContext",))
TABLES = (PURGED,)
LISTED_DAYS = 30
DAY_MS = 24 * 3600 * 1000
VIEW_FIELDS = ("integrationContext", "person", "externalJobPostingId", "jobPosting", "exportedAt", "closedAt")


def purged_table(store: Store) -> Table:
    """The ``purgedExports`` table."""
    return PURGED.of(store)


def close_account(world: World, member_value: object) -> dict[str, Any]:
    """Member ``member_value`` (``urn:li:person:<id>``) closes the LinkedIn account: 404 / 400 as
    :func:`find_member` (409 when already closed). In one commit the member gets ``closedAt``, each export of the
    member a purge entry, and the member's tokens are revoked and unused authorization codes withdrawn (a closed
    account cannot sign in [INFERRED]). Returns ``{"member", "closedAt", "purged": [entries]}``."""
    member = find_member(world, member_value)
    person, now = person_urn(member), world.clock.now_ms()
    exported = [record for _, record in EXPORTS.of(world.store).items() if record["candidate"]["person"] == person]
    entries = [{"id": record["id"], "application": record["application"],
                "integrationContext": record["integrationContext"], "person": person,
                "externalJobPostingId": record["externalJobPostingId"], "jobPosting": record["jobPosting"],
                "exportedAt": record["exportedAt"], "closedAt": now} for record in exported]
    table = purged_table(world.store)
    with world.store.transaction():
        MEMBERS.of(world.store).put(person, {**member, "closedAt": now})
        for entry in entries:
            table.put(entry["id"], entry)
        world.tokens.revoke_member(person)
        world.codes.withdraw(person)
    return {"member": person, "closedAt": now, "purged": [purged_view(entry) for entry in entries]}


def purged_view(entry: dict[str, Any]) -> dict[str, Any]:
    """The ``atsPurgedExportedCandidates`` element of an entry."""
    return {name: entry[name] for name in VIEW_FIELDS}


def purged_in(world: World, context: str) -> list[dict[str, Any]]:
    """The entries of ``context`` still listed on the emulator's clock, oldest closure first."""
    oldest = world.clock.now_ms() - LISTED_DAYS * DAY_MS
    found = [entry for _, entry in purged_table(world.store).find(integrationContext=context)
             if entry["closedAt"] >= oldest]
    return [purged_view(entry) for entry in sorted(found, key=lambda e: (e["closedAt"], e["id"]))]

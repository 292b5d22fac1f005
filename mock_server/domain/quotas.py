"""Daily per-application call quotas, counted on the emulator's clock and reset at midnight UTC.

LinkedIn's numbers (rate-limits page; RSC pages' throttle tables): 100,000 calls/day for each sync resource,
5,000 for atsIntegrations, 300,000 for simpleJobPostingTasks, 100,000 for exportedCandidates, and 100,000
shared by the prospect-interaction APIs (seats, conversationEvents, mailStubs, prospectNotes). Over quota →
429 with ``Retry-After`` (seconds to the next midnight UTC).
"""

from __future__ import annotations

from mock_server.restli.errors import RestliError

DAY_MS = 24 * 3600 * 1000
SYNC = 100_000

# resource path -> (quota group, calls per day)
DEFAULT_LIMITS: dict[str, tuple[str, int]] = {
    "atsCandidates": ("atsCandidates", SYNC),
    "atsCandidates/notes": ("atsCandidates/notes", SYNC),
    "atsApplications": ("atsApplications", SYNC),
    "atsApplications/notes": ("atsApplications/notes", SYNC),
    "atsApplications/interviewFeedback": ("atsApplications/interviewFeedback", SYNC),
    "atsApplications/stages": ("atsApplications/stages", SYNC),
    "atsEntityAcls": ("atsEntityAcls", SYNC),
    "atsEntityAclAssignees": ("atsEntityAclAssignees", SYNC),
    "atsIntegrations": ("atsIntegrations", 5_000),
    "atsIntegrations/configurations": ("atsIntegrations/configurations", 5_000),
    "simpleJobPostingTasks": ("simpleJobPostingTasks", 300_000),
    "exportedCandidates": ("exportedCandidates", SYNC),
    "seats": ("prospectInteractions", SYNC),
    "seatsV2": ("prospectInteractions", SYNC),
    "conversationEvents": ("conversationEvents", SYNC),
    "mailStubs": ("prospectInteractions", SYNC),
    "prospectNotes": ("prospectInteractions", SYNC),
}


class Quotas:
    """Counts calls per (application, quota group, UTC day).

    ``limits`` starts from LinkedIn's numbers; ``override_all`` (settings ``daily_quota``) replaces every
    limit when non-zero; :meth:`set_limit` changes one resource's limit (admin API, tests).
    """

    def __init__(self, clock, override_all: int = 0) -> None:
        self.clock = clock
        self.override_all = override_all
        self.limits: dict[str, int] = {}
        self.counts: dict[tuple[str, str, int], int] = {}

    def limit_of(self, resource: str) -> tuple[str, int] | None:
        """``(group, calls per day)`` for a resource path, or None when LinkedIn sets none."""
        if resource in self.limits:
            group = DEFAULT_LIMITS.get(resource, (resource, 0))[0]
            return group, self.limits[resource]
        if resource not in DEFAULT_LIMITS:
            return (resource, self.override_all) if self.override_all else None
        group, limit = DEFAULT_LIMITS[resource]
        return group, (self.override_all or limit)

    def set_limit(self, resource: str, limit: int | None) -> None:
        """Set (or with None, restore) the daily limit of ``resource``."""
        if limit is None:
            self.limits.pop(resource, None)
        else:
            self.limits[resource] = int(limit)

    def charge(self, application: str, resource: str) -> None:
        """Count one call; raise 429 with ``Retry-After`` when the day's quota is used up."""
        found = self.limit_of(resource)
        if found is None:
            return
        group, limit = found
        now = self.clock.now_ms()
        day = now // DAY_MS
        slot = (application, group, day)
        used = self.counts.get(slot, 0)
        if used >= limit:
            retry_after = max(1, ((day + 1) * DAY_MS - now + 999) // 1000)
            raise RestliError(429, "Resource level throttle APPLICATION DAY limit for calls to this resource is"
                                   " reached.", 429, headers={"Retry-After": str(retry_after)})
        self.counts[slot] = used + 1

    def usage(self) -> list[dict]:
        """Today's counts: ``[{"application", "group", "day", "used"}]``."""
        return [{"application": a, "group": g, "day": d, "used": n} for (a, g, d), n in sorted(self.counts.items())]

    def reset(self) -> None:
        """Forget all counts and per-resource overrides."""
        self.counts.clear()
        self.limits.clear()

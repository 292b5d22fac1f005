"""Daily per-application call quotas, counted on the emulator's clock and reset at midnight UTC.

Each resource declares its own quota (:class:`Quota`, on its registration: :class:`mock_server.api.gate.Policy`);
:class:`Quotas` counts the calls. LinkedIn's numbers (rate-limits page; RSC pages' throttle tables): 100,000
calls/day for each sync resource, 5,000 for atsIntegrations, 300,000 for simpleJobPostingTasks, 100,000 for
exportedCandidates, and 100,000 shared by the prospect-interaction APIs (seats, mailStubs, prospectNotes; the
emulator counts conversationEvents apart); for the versioned names, 5,000 for integrations and
integrationConfigurations, 1,000,000 for applicationInterviewFeedbacks and 100,000 for the others. A name both
families serve (``exportedCandidates``, ``atsApplications``, ``seatsV2``, ``mailStubs``) has one counter for
both. Over quota → 429 with ``Retry-After`` (seconds to the next midnight
UTC).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mock_server.domain.clock import Clock
from mock_server.restli.errors import RestliError

DAY_MS = 24 * 3600 * 1000
SYNC = 100_000
INTEGRATIONS = 5_000
JOB_TASKS = 300_000


@dataclasses.dataclass(frozen=True)
class Quota:
    """``per_day`` calls per application and UTC day, counted in quota ``group`` (None: the resource's own
    path; resources sharing one quota name the same group)."""

    per_day: int
    group: str | None = None


PROSPECT_INTERACTIONS = Quota(SYNC, "prospectInteractions")


class Quotas:
    """Counts calls per (application, quota group, UTC day).

    A resource's limit is its declared :class:`Quota`; ``override_all`` (settings ``daily_quota``) replaces
    every limit when non-zero (and gives resources without a quota one); :meth:`set_limit` changes one
    resource's limit (admin API, tests).
    """

    def __init__(self, clock: Clock, override_all: int = 0) -> None:
        self.clock = clock
        self.override_all = override_all
        self.limits: dict[str, int] = {}
        self.counts: dict[tuple[str, str, int], int] = {}

    def limit_of(self, resource: str, quota: Quota | None) -> tuple[str, int] | None:
        """``(group, calls per day)`` for resource path ``resource`` whose declared quota is ``quota``, or None
        when it has no limit."""
        group = (quota.group if quota else None) or resource
        if resource in self.limits:
            return group, self.limits[resource]
        if quota is None:
            return (resource, self.override_all) if self.override_all else None
        return group, (self.override_all or quota.per_day)

    def set_limit(self, resource: str, limit: int | None) -> None:
        """Set (or with None, restore) the daily limit of ``resource``."""
        if limit is None:
            self.limits.pop(resource, None)
        else:
            self.limits[resource] = int(limit)

    def charge(self, application: str, resource: str, quota: Quota | None) -> None:
        """Count one call of ``application`` to ``resource`` (declared ``quota``); raise 429 with
        ``Retry-After`` when the day's quota is used up."""
        found = self.limit_of(resource, quota)
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

    def usage(self) -> list[dict[str, Any]]:
        """Today's counts: ``[{"application", "group", "day", "used"}]``."""
        return [{"application": a, "group": g, "day": d, "used": n} for (a, g, d), n in sorted(self.counts.items())]

    def reset(self) -> None:
        """Forget all counts and per-resource overrides."""
        self.counts.clear()
        self.limits.clear()

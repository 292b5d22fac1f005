"""Call and record quotas, counted on the emulator's clock: calls per application and UTC day (reset at midnight
UTC) and records per minute (per application, or per member).

Each resource declares its own quota (:class:`Quota`, on its registration: :class:`mock_server.api.gate.Policy`);
:class:`Quotas` counts. LinkedIn's numbers (rate-limits page; the RSC pages' throttle tables):

* calls per day: 100,000 for each sync resource, 5,000 for atsIntegrations, 300,000 for simpleJobPostingTasks,
  100,000 for exportedCandidates, and one 100,000 shared by the prospect-interaction APIs — seats, InMail
  history (conversationEvents), stub profiles (mailStubs) and prospect notes
  (https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions);
  for the versioned names, 5,000 for integrations and integrationConfigurations, 1,000,000 for
  applicationInterviewFeedbacks and 100,000 for the others. A name both families serve
  (``exportedCandidates``, ``atsApplications``, ``seatsV2``, ``mailStubs``) has one counter for both;
* records per minute: 10,000 per application on the sync resources (candidates, applications, their notes,
  interview feedback and stages, ACLs: "Records Per Minute" on sync-candidates and its siblings; the versioned
  names of the same records too, as the pt-br versioned sync-applications page shows the v2 table), 12 per
  member on conversationEvents ("Records Per member Per Minute", inmail-history).

A call is refused once the current window's count has reached the limit; otherwise it is let through and its
records counted (so the last call of a minute may carry the count past the limit, as a batch of 100 records
lands on 10,000 exactly). Minutes are fixed windows of the emulator's clock.

Over a limit → 429 with ``Retry-After`` (seconds to the next midnight UTC, or to the next minute) and the message
field reports show for LinkedIn's throttles: "Resource level throttle APPLICATION DAY limit for calls to this
resource is reached." (``APPLICATION MINUTE`` / ``MEMBER MINUTE`` for the per-minute limits, by analogy).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mock_server.domain.clock import Clock
from mock_server.restli.errors import RestliError

DAY_MS = 24 * 3600 * 1000
MINUTE_MS = 60 * 1000
SYNC = 100_000
SYNC_RECORDS_PER_MINUTE = 10_000
INMAIL_RECORDS_PER_MEMBER_MINUTE = 12
INTEGRATIONS = 5_000
JOB_TASKS = 300_000
THROTTLED = "Resource level throttle {scope} limit for calls to this resource is reached."


@dataclasses.dataclass(frozen=True)
class Quota:
    """``per_day`` calls per application and UTC day, counted in quota ``group`` (None: the resource's own
    path; resources sharing one quota name the same group); ``records_per_minute`` records per application
    and minute of the resource (None: no such limit), per member of the call instead when ``per_member``."""

    per_day: int
    group: str | None = None
    records_per_minute: int | None = None
    per_member: bool = False


SYNC_QUOTA = Quota(SYNC, records_per_minute=SYNC_RECORDS_PER_MINUTE)
PROSPECT_INTERACTIONS = Quota(SYNC, "prospectInteractions")
INMAIL_HISTORY = Quota(SYNC, "prospectInteractions", INMAIL_RECORDS_PER_MEMBER_MINUTE, per_member=True)


class Quotas:
    """Counts calls per (application, quota group, UTC day) and records per (application, resource, member,
    minute).

    A resource's limits are its declared :class:`Quota`; ``override_all`` (settings ``daily_quota``) replaces
    every daily limit when non-zero (and gives resources without a quota one), ``minute_override_all``
    (settings ``minute_quota``) every records-per-minute limit; :meth:`set_limit` and :meth:`set_minute_limit`
    change one resource's limits (admin API, tests).
    """

    def __init__(self, clock: Clock, override_all: int = 0, minute_override_all: int = 0) -> None:
        self.clock = clock
        self.override_all = override_all
        self.minute_override_all = minute_override_all
        self.limits: dict[str, int] = {}
        self.minute_limits: dict[str, int] = {}
        self.counts: dict[tuple[str, str, int], int] = {}
        self.minute_counts: dict[tuple[str, str, str, int], int] = {}

    def limit_of(self, resource: str, quota: Quota | None) -> tuple[str, int] | None:
        """``(group, calls per day)`` for resource path ``resource`` whose declared quota is ``quota``, or None
        when it has no limit."""
        group = (quota.group if quota else None) or resource
        if resource in self.limits:
            return group, self.limits[resource]
        if quota is None:
            return (resource, self.override_all) if self.override_all else None
        return group, (self.override_all or quota.per_day)

    def minute_limit_of(self, resource: str, quota: Quota | None) -> int | None:
        """Records per minute allowed on resource path ``resource`` whose declared quota is ``quota``, or None
        when it has no such limit."""
        if resource in self.minute_limits:
            return self.minute_limits[resource]
        if quota is None or quota.records_per_minute is None:
            return self.minute_override_all or None
        return self.minute_override_all or quota.records_per_minute

    def set_limit(self, resource: str, limit: int | None) -> None:
        """Set (or with None, restore) the daily limit of ``resource``."""
        if limit is None:
            self.limits.pop(resource, None)
        else:
            self.limits[resource] = int(limit)

    def set_minute_limit(self, resource: str, limit: int | None) -> None:
        """Set (or with None, restore) the records-per-minute limit of ``resource``."""
        if limit is None:
            self.minute_limits.pop(resource, None)
        else:
            self.minute_limits[resource] = int(limit)

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
            raise throttled("APPLICATION DAY", (day + 1) * DAY_MS - now)
        self.counts[slot] = used + 1

    def charge_records(self, application: str, resource: str, quota: Quota | None, records: int,
                       member: str | None = None) -> None:
        """Count ``records`` of ``application`` (of ``member`` for a per-member limit) on resource path
        ``resource`` in the current minute; raise 429 with ``Retry-After`` when the minute's count has already
        reached the limit (nothing is counted then)."""
        limit = self.minute_limit_of(resource, quota)
        if limit is None:
            return
        now = self.clock.now_ms()
        minute = now // MINUTE_MS
        if any(slot[3] != minute for slot in self.minute_counts):  # only the current minute is kept
            self.minute_counts = {slot: n for slot, n in self.minute_counts.items() if slot[3] == minute}
        slot = (application, resource, member or "", minute)
        used = self.minute_counts.get(slot, 0)
        if used >= limit:
            raise throttled("MEMBER MINUTE" if member else "APPLICATION MINUTE", (minute + 1) * MINUTE_MS - now)
        self.minute_counts[slot] = used + records

    def usage(self) -> list[dict[str, Any]]:
        """Today's counts: ``[{"application", "group", "day", "used"}]``."""
        return [{"application": a, "group": g, "day": d, "used": n} for (a, g, d), n in sorted(self.counts.items())]

    def minute_usage(self) -> list[dict[str, Any]]:
        """Records counted in the current minute: ``[{"application", "resource", "member"?, "records"}]``."""
        minute = self.clock.now_ms() // MINUTE_MS
        return [{"application": a, "resource": r, **({"member": m} if m else {}), "records": n}
                for (a, r, m, at), n in sorted(self.minute_counts.items()) if at == minute]

    def reset(self) -> None:
        """Forget all counts and per-resource overrides."""
        self.counts.clear()
        self.limits.clear()
        self.minute_counts.clear()
        self.minute_limits.clear()


def throttled(scope: str, wait_ms: int) -> RestliError:
    """LinkedIn's 429 for a used-up ``scope`` limit (``APPLICATION DAY``, ``APPLICATION MINUTE``,
    ``MEMBER MINUTE``), with ``Retry-After``: ``wait_ms`` rounded up to whole seconds, at least 1."""
    return RestliError(429, THROTTLED.format(scope=scope), 429,
                       headers={"Retry-After": str(max(1, (wait_ms + 999) // 1000))})

"""Advisories: where LinkedIn accepts a call but its documentation advises against what the call does (or the
emulator accepts, for local testing, what LinkedIn would refuse), the emulator answers as LinkedIn does and says
so on the side.

An API function records an :class:`Advisory` on the request (:func:`advise` with the ASGI scope, or
:func:`mock_server.api.resources.common.advise` with a Rest.li call); the harness middleware writes every advisory
of a request to its journal entry (``"advisories": [{"code", "message", "source"}]``), to its log line, and to
the reply as one ``X-RSC-Mock-Advisory: <code>: <message>`` header each. Nothing here changes a reply's status
or body.

:data:`KINDS` lists every advisory the emulator gives, each with the LinkedIn page that words the
recommendation (the fidelity ledger, :mod:`mock_server.tools.fidelity`, lists them too). Only points the
documentation words as a recommendation are here; none is invented.
"""

from __future__ import annotations

import dataclasses
from collections.abc import MutableMapping
from typing import Any

SCOPE_KEY = "rsc_mock.advisories"
HEADER = "X-RSC-Mock-Advisory"
LEARN = "https://learn.microsoft.com/en-us/linkedin/"
RPI = LEARN + "talent/recruiter-system-connect/recruiter-prospect-interactions/"


@dataclasses.dataclass(frozen=True)
class Advisory:
    """One advisory on one request: its ``code``, a ``message`` saying what the call did and what LinkedIn
    recommends, and the ``source`` (URL of the LinkedIn page)."""

    code: str
    message: str
    source: str

    def to_dict(self) -> dict:
        """``{"code", "message", "source"}`` (journal entries, log lines)."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class AdvisoryKind:
    """An advisory the emulator gives: ``code``, what LinkedIn recommends (``recommendation``) and where it says
    so (``source``). Calling it with the call's particulars gives the :class:`Advisory`."""

    code: str
    recommendation: str
    source: str

    def __call__(self, detail: str) -> Advisory:
        """The advisory for one request: ``detail`` (what the call did) followed by the recommendation."""
        return Advisory(self.code, f"{detail}; {self.recommendation}", self.source)


CLIENT_SECRET_IN_URL = AdvisoryKind(
    "CLIENT_SECRET_IN_URL", "LinkedIn asks that the client secret never be passed in the URL but in the"
    " x-www-form-urlencoded request body", LEARN + "shared/authentication/client-credentials-flow")
INMAIL_WINDOW_OVER_12_HOURS = AdvisoryKind(
    "TIME_WINDOW_OVER_12_HOURS", "LinkedIn recommends a time range of no more than 12 hours per call, polled"
    " periodically (e.g. every 30 minutes)", RPI + "inmail-history")
NOTES_WINDOW_OVER_12_HOURS = AdvisoryKind(
    "TIME_WINDOW_OVER_12_HOURS", "LinkedIn recommends polling prospect notes in windows of no more than 12 hours"
    " per call", RPI + "prospect-notes")
STUBS_WITHOUT_OWNERS = AdvisoryKind(
    "OWNERS_NOT_GIVEN", "LinkedIn recommends always sending owners (the seats) to avoid expensive searches",
    RPI + "inmail-stub-profiles")
SEATS_WITHOUT_STATES = AdvisoryKind(
    "STATES_NOT_GIVEN", "LinkedIn recommends filtering seat holders by state (ACTIVE)", RPI + "recruiter-seatholders")
JOB_WITHOUT_CONTEXT = AdvisoryKind(
    "INTEGRATION_CONTEXT_NOT_GIVEN", "LinkedIn's job schema recommends integrationContext (the organization URN),"
    " and Recruiter System Connect needs it", LEARN + "talent/job-postings/api/job-posting-api-schema")
JOB_REPEATED_IN_BATCH = AdvisoryKind(
    "DUPLICATE_JOB_IN_BATCH", "LinkedIn asks not to send duplicate updates for the same externalJobPostingId in"
    " one request", LEARN + "talent/job-postings/api/create-jobs")
LOCAL_CALLBACK_URL = AdvisoryKind(
    "LOCAL_CALLBACK_URL", "LinkedIn requires an https callback URL on port 443 or 80 that it can reach; the"
    " emulator accepts loopback URLs for local testing only", LEARN + "talent/receive-push-events")

KINDS = (CLIENT_SECRET_IN_URL, INMAIL_WINDOW_OVER_12_HOURS, NOTES_WINDOW_OVER_12_HOURS, STUBS_WITHOUT_OWNERS,
         SEATS_WITHOUT_STATES, JOB_WITHOUT_CONTEXT, JOB_REPEATED_IN_BATCH, LOCAL_CALLBACK_URL)


def advisories_of(scope: MutableMapping[str, Any]) -> list[Advisory]:
    """The advisories of the request whose ASGI ``scope`` this is (a list, created on first use, that the
    harness reads after the reply)."""
    return scope.setdefault(SCOPE_KEY, [])


def add(found: list[Advisory], advisory: Advisory) -> None:
    """Append ``advisory`` to a request's ``found`` advisories unless it is there already."""
    if advisory not in found:
        found.append(advisory)


def advise(scope: MutableMapping[str, Any], advisory: Advisory) -> None:
    """Record ``advisory`` on the request of ASGI ``scope``."""
    add(advisories_of(scope), advisory)


def header_lines(advisories: list[Advisory]) -> list[tuple[bytes, bytes]]:
    """The ``X-RSC-Mock-Advisory`` reply headers of ``advisories`` (raw ASGI pairs; characters outside
    latin-1 replaced)."""
    return [(HEADER.lower().encode(), f"{item.code}: {item.message}".encode("latin-1", errors="replace"))
            for item in advisories]

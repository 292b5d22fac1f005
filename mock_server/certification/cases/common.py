"""What the case modules share: LinkedIn's certification pages, the two-year history rule, how evidence names
things and instants, and the journal look-ups several graders make.

Sources (read 2026-11, spec oauth-restli-onboarding.md §6 and sync-and-retrieve.md §9): module 1, 2, 4 and 5
pages under ``learn.microsoft.com/…/recruiter-system-connect/rsc-cert-module<N>`` (module 2's new RSC-2xx rows
were read in a translated copy, its en-us page still uses the "Test Case N" numbering); module 3 only in its
older version ``rsc-cert-module3-orig?view=li-lts-2025-01`` ("Test Case 6" …).
"""

from __future__ import annotations

import datetime

from mock_server.certification import requests as journal

PAGES = "https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/"
CERT1 = PAGES + "rsc-cert-module1"
CERT2 = PAGES + "rsc-cert-module2"
CERT3 = PAGES + "rsc-cert-module3-orig?view=li-lts-2025-01"
CERT4 = PAGES + "rsc-cert-module4"
CERT5 = PAGES + "rsc-cert-module5"

DAY_MS = 86_400_000
HISTORY_DAYS = 730  # "at least 2 years of historical data (if available)" (module 2)
SHOWN = 5           # how many names a message lists before "… (N in all)"


def when(epoch_ms: int) -> str:
    """An instant as evidence shows it: ``2026-11-29T10:15:02Z``."""
    return datetime.datetime.fromtimestamp(epoch_ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def listing(names) -> str:
    """``a, b, c`` — at most :data:`SHOWN` names, then ``… (N in all)``."""
    names = list(names)
    shown = ", ".join(names[:SHOWN])
    return shown + (f", … ({len(names)} in all)" if len(names) > SHOWN else "")


def days(ms: int) -> int:
    """Whole days in ``ms`` milliseconds."""
    return ms // DAY_MS


def ids(entries) -> list[str]:
    """The journal request ids of ``entries``."""
    return [entry["id"] for entry in entries]


def history(g, obs, label: str, records: list[dict], field: str, case: str, name) -> None:
    """The two-year rule on ``records`` (synced jobs, candidates or applications): the oldest ``field``
    (epoch ms) must be at least :data:`HISTORY_DAYS` days before now. ``name(record)`` names one in evidence."""
    dated = [record for record in records if isinstance(record.get(field), int)]
    if not dated:
        g.wait(f"{label} with {field}")
        return
    oldest = min(dated, key=lambda record: record[field])
    age = days(obs.now - oldest[field])
    if age >= HISTORY_DAYS:
        g.ok(f"the oldest of the {len(records)} synced {label} is {age} days old ({name(oldest)}, {field}"
             f" {when(oldest[field])}): at least 2 years of history", entities=[name(oldest)], at=[oldest[field]])
    else:
        g.fail(f"the oldest of the {len(records)} synced {label} is {age} days old ({name(oldest)}, {field}"
               f" {when(oldest[field])}); {case} asks for at least 2 years ({HISTORY_DAYS} days) of history where the"
               " ATS has it", entities=[name(oldest)], at=[oldest[field]])


def totals(g, obs, label: str, found: int, reported, case: str) -> None:
    """Compare LinkedIn's count of synced ``label`` with the count the ATS reported (guided runs: the
    partner's ``status`` answer); nothing to compare when the ATS reported none."""
    if reported is None:
        return
    if found == reported:
        g.ok(f"LinkedIn holds {found} {label}, the ATS reports {reported}: the totals match")
    elif found < reported:
        g.fail(f"LinkedIn holds {found} {label} but the ATS reports {reported}: {reported - found} are missing;"
               f" {case} asks that the totals match")
    else:
        g.fail(f"LinkedIn holds {found} {label} but the ATS reports only {reported}: {found - reported} synced"
               f" {label} no longer exist in the ATS (deletions not synced?)")


def reported(obs, *path):
    """A value of the partner's ``status`` answer in the guided run's subject (``("totals", "jobs")``), or
    None when grading passively or the partner did not say."""
    value = (obs.subject or {}).get("status")
    for name in path:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def read_back(obs, doc: dict, parts: tuple[str, ...], resource: str) -> list[dict]:
    """Accepted BATCH_GET calls of ``resource`` by the customer that include ``doc``'s key and came after the
    record's last write (``syncedAt``)."""
    wanted = journal.canonical({part: doc[part] for part in parts})
    return [entry for entry in obs.requests(resource=resource, restli_method="BATCH_GET", ok=True)
            if entry["at"] >= doc.get("syncedAt", 0)
            and wanted in {journal.canonical(key) for key in journal.batch_keys(entry, parts)}]


def deletes(obs, resource: str, parts: tuple[str, ...]) -> list[tuple[dict, dict]]:
    """``[(entry, key)]`` of every key a BATCH_DELETE of ``resource`` by the customer removed (accepted),
    oldest first."""
    return [(entry, key) for entry in obs.requests(resource=resource, restli_method="BATCH_DELETE")
            for key in journal.accepted(entry, parts)]


def sub_deletes(obs, resource: str, parent_parts: tuple[str, ...], parent: dict) -> list[dict]:
    """Accepted BATCH_DELETE calls of sub-resource ``resource`` (``atsCandidates/notes``) under ``parent``."""
    wanted = journal.canonical({part: parent[part] for part in parent_parts})
    found = []
    for entry in obs.requests(resource=resource, restli_method="BATCH_DELETE", ok=True):
        key = journal.parent_key(entry, parent_parts)
        if key is not None and journal.canonical(key) == wanted and journal.accepted(entry, None):
            found.append(entry)
    return found


def sub_writes(obs, resource: str, parent_parts: tuple[str, ...], parent: dict, since_start: bool = True) -> list[dict]:
    """Accepted BATCH_UPDATE calls of sub-resource ``resource`` under ``parent`` (the whole journal when not
    ``since_start``)."""
    wanted = journal.canonical({part: parent[part] for part in parent_parts})
    entries = obs.requests(resource=resource, restli_method="BATCH_UPDATE", ok=True, whole=not since_start)
    return [entry for entry in entries
            if (key := journal.parent_key(entry, parent_parts)) is not None and journal.canonical(key) == wanted]


def person_seat(obs, person: str, role: str):
    """The ACTIVE seat of ``person`` on the customer's contracts; ``role`` names them in the message of the
    ``LookupError`` raised when they hold none."""
    seat = obs.seat_of(person)
    if seat is None:
        raise LookupError(f"{role} {person} holds no ACTIVE seat on {', '.join(obs.contracts)}")
    return seat

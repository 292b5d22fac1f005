"""Which LinkedIn members a synced ATS candidate matches (emulator decisions table, "Candidate matching").

A candidate matches a fixture member (table ``members``, key ``urn:li:person:<id>``) when one of its
``emailAddresses`` equals one of the member's (compared case-insensitively) or its ``linkedInProfileUrl``
equals the member's ``profileUrl`` (scheme, ``www.``, case, query and trailing slash ignored). LinkedIn says
matching is automatic on email and other profile fields
(https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates); the exact rules are
[INFERRED].

Lookups go through the derived table ``memberIdentifiers``: key ``email:<address>`` or ``profile:<url>`` →
``{"members": [person URN, ...]}``, checked against ``members`` (and rewritten when it differs) by the first
lookup after either table changed: a start, reset, snapshot import, or an account closed
(:mod:`mock_server.domain.recruiter.purges` adds ``closedAt``, which no identifier depends on).

A member who closed the LinkedIn account (:func:`account_closed`) is no LinkedIn member to any served call: it
matches no candidate and :meth:`MemberDirectory.exists` says no (emulator decisions table, "A closed member's
data").
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from mock_server.store import Store
from mock_server.store.spec import TableSpec

MEMBERS = TableSpec("members")
IDENTIFIERS = TableSpec("memberIdentifiers")
TABLES = (MEMBERS, IDENTIFIERS)
REMEMBERED_MATCHES = 4096  # candidates' matches kept per store (forgotten all at once when full)
# Per store: the (members, memberIdentifiers) revisions its identifiers were checked at (MemberDirectory.rebuild),
# and the matches found since, by the candidate's (emailAddresses, linkedInProfileUrl).
_MATCHES: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], dict[Any, list[str]]]] = weakref.WeakKeyDictionary()


def account_closed(member: Mapping[str, Any] | None) -> bool:
    """True when ``member`` (a ``members`` document, None for an unknown member) closed the LinkedIn account
    (``closedAt``, epoch ms, set by :func:`mock_server.domain.recruiter.purges.close_account`). The one rule
    every served call applies: from then on the member's data is shown nowhere and the member can no longer act
    (sign in, be InMailed, matched, linked or exported); only ``rest/atsPurgedExportedCandidates`` names the
    member (RSC release notes, July 2023 "Retrieving Closed Candidate Profiles"; what the other APIs show is
    [INFERRED])."""
    return member is not None and "closedAt" in member


def email_identifier(address: str) -> str:
    """The lookup key of an email address."""
    return "email:" + address.strip().lower()


def profile_identifier(url: str) -> str | None:
    """The lookup key of a LinkedIn profile URL (``linkedin.com/in/<name>``), None when it has no valid host."""
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an unclosed IPv6 literal
        return None
    if not host:
        return None
    host = host[4:] if host.startswith("www.") else host
    return f"profile:{host}{parts.path.rstrip('/').lower()}"


def identifiers(emails: Iterable[object] | None, profile_url: object) -> list[str]:
    """The lookup keys of a candidate's ``emailAddresses`` (list of str) and ``linkedInProfileUrl`` (str)."""
    found = [email_identifier(email) for email in emails or () if isinstance(email, str)]
    if isinstance(profile_url, str):
        profile = profile_identifier(profile_url)
        if profile:
            found.append(profile)
    return list(dict.fromkeys(found))


class MemberDirectory:
    """The fixture members of one store, with an index from email / profile URL to person URNs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.members = MEMBERS.of(store)
        self.index = IDENTIFIERS.of(store)

    def exists(self, person: object) -> bool:
        """True when ``person`` (``urn:li:person:<id>``) is a member of the fixtures who has not closed the
        account (:func:`account_closed`)."""
        return isinstance(person, str) and person in self.members and not account_closed(self.members.get(person))

    def rebuild(self) -> None:
        """Make ``memberIdentifiers`` what ``members`` gives (one commit, only when it differs). Checked whenever
        either table changed (:meth:`matches`; so again after the write was rolled back): an imported snapshot
        (HTTP or ``--data-dir``) brings identifiers computed from the members it was exported with, which the
        file's editor may have changed."""
        rows: dict[str, dict[str, list[str]]] = {}
        for urn, member in self.members.items():
            for identifier in identifiers(member.get("emailAddresses"), member.get("profileUrl")):
                rows.setdefault(identifier, {"members": []})["members"].append(urn)
        if dict(self.index.items()) != rows:
            with self.store.transaction():
                self.index.clear()
                self.index.put_many(list(rows.items()))

    def matches(self, emails: Iterable[object] | None, profile_url: object) -> list[str]:
        """Person URNs matching a candidate's ``emailAddresses`` and ``linkedInProfileUrl``, in the order the
        candidate's identifiers and then the members come; no duplicates, none who closed the account
        (:func:`account_closed`). Remembered per store while its members and their identifiers are unchanged
        (their table revisions): a partner reads the same candidates again and again."""
        remembered = self._remembered()
        try:
            asked = (tuple(emails) if isinstance(emails, list) else emails, profile_url)
            hash(asked)
        except TypeError:  # not the strings a candidate holds: nothing to remember it by
            return self._matches(emails, profile_url)
        found = remembered.get(asked)
        if found is None:
            found = remembered[asked] = self._matches(emails, profile_url)
        return list(found)

    def _remembered(self) -> dict[Any, list[str]]:
        """The matches kept for this store: none (and the identifiers checked, :meth:`rebuild`) once either table
        changed, none either once :data:`REMEMBERED_MATCHES` are kept."""
        kept = _MATCHES.get(self.store)
        if kept is None or kept[0] != (self.members.revision, self.index.revision):
            self.rebuild()
            kept = _MATCHES[self.store] = ((self.members.revision, self.index.revision), {})
        elif len(kept[1]) >= REMEMBERED_MATCHES:
            kept[1].clear()
        return kept[1]

    def _matches(self, emails: Iterable[object] | None, profile_url: object) -> list[str]:
        """:meth:`matches`, looked up."""
        found: dict[str, None] = {}
        for identifier in identifiers(emails, profile_url):
            row = self.index.get(identifier)
            if row is not None:
                found.update(dict.fromkeys(row["members"]))
        return [person for person in found if not account_closed(self.members.get(person))]

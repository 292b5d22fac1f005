"""Finding LinkedIn members by what a person types, as the profile widget's search and the 3-legged consent page
do: a member matches when every word of the text (case-insensitive) appears in its name, headline, current
company or one of its email addresses. Members are the fixture documents of the ``members`` table
(:mod:`mock_server.domain.recruiter.interactions`); one who closed the account is never found
(:func:`mock_server.domain.matching.account_closed`)."""

from __future__ import annotations

from typing import Any

from mock_server.domain.matching import account_closed


def search_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (none for blank text)."""
    return text.lower().split()


def matches(member: dict[str, Any], words: list[str]) -> bool:
    """True when every one of ``words`` (lower case, :func:`search_words`) appears in the member's first or last
    name, headline, current company or an email address (any member matches no words); a member who closed the
    account matches nothing."""
    if account_closed(member):
        return False
    position = member.get("currentPosition") or {}
    haystack = " ".join([member.get("firstName", ""), member.get("lastName", ""), member.get("headline", ""),
                         position.get("companyName", ""), *member.get("emailAddresses", [])]).lower()
    return all(word in haystack for word in words)

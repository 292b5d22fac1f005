"""The profile widget (``IN/HcmWidget``): for an ATS candidate (``data-ats-candidate-id`` in the customer's
``data-integration-context``) it shows the matched LinkedIn member's profile and the recruiting activity of
the customer's Recruiter contracts with that member, or "no match" with a search over the members to link
one. Link and unlink change the candidate's ``manualMatchedMember`` (:mod:`.candidates`); the page's
``data-onlink`` / ``data-onunlink`` functions get the person URN.

The member shown is ``manualMatchedMember`` when set, else the first of ``matchedMembers`` (automatic match
on email / profile URL). Unlink removes a manual link only; an automatic match can be replaced by linking
another member [INFERRED]. Activity [INFERRED from LinkedIn help "Recruiting Activities" tab]: the InMails
between the customer's seats and the member (newest first) and the member's active prospect notes on the
customer's contracts — PUBLIC ones in full, PRIVATE ones only counted (the widget has no signed-in viewer).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/profile-plugin (spec
sync-and-retrieve.md §7.1).
"""

from __future__ import annotations

from mock_server.api.widgets import candidates
from mock_server.domain.member_search import matches, search_words
from mock_server.domain.recruiter.views import enabled
from mock_server.restli.errors import RestliError, shown

SEARCH_LIMIT = 10
PROFILE_FIELDS = ("firstName", "lastName", "headline", "location", "currentPosition", "profileUrl")


def profile(world, person: str) -> dict:
    """What the widget shows of member ``person``: ``{"member", "name", <PROFILE_FIELDS present>}``."""
    doc = world.interactions.member(person) or {}
    shown = {"member": person, "name": " ".join(filter(None, (doc.get("firstName"), doc.get("lastName")))) or person}
    shown.update({name: doc[name] for name in PROFILE_FIELDS if name in doc})
    return shown


def activity(world, application: dict, person: str) -> dict:
    """The customer's recruiting activity with ``person``: ``{"inMails": [{"created" (epoch ms),
    "direction", "recruiter", "subject"?, "body", "response"?}] newest first, "notes": [{"created",
    "lastModified", "recruiter", "note"}] newest first, "privateNotes": int}``."""
    contracts = application.get("contracts", [])
    recruiters = {f"urn:li:seat:{seat['id']}": profile(world, seat["member"])["name"]
                  for seat in world.interactions.seats_of(contracts)}
    in_mails = []
    for seat, recruiter in recruiters.items():
        for event in world.interactions.events(seat):
            if event["prospect"] == person:
                in_mails.append({"created": event["created"], "direction": event["direction"],
                                 "recruiter": recruiter, "body": event["body"],
                                 **{name: event[name] for name in ("subject", "response") if name in event}})
    notes = [doc for contract in contracts for doc in world.interactions.notes(contract)
             if doc["member"] == person and doc["active"]]
    public = [{"created": doc["created"], "lastModified": doc["lastModified"], "note": doc["note"],
               "recruiter": recruiters.get(doc["owner"], doc["owner"])}
              for doc in notes if doc["visibility"] == "PUBLIC"]
    return {"inMails": sorted(in_mails, key=lambda item: -item["created"]),
            "notes": sorted(public, key=lambda item: -item["lastModified"]),
            "privateNotes": len(notes) - len(public)}


def check_context(world, application: dict, context) -> None:
    """403 unless ``context`` (``data-integration-context``) is one of the customer's integration contexts and
    its PROFILE_PLUGIN integration is enabled in Recruiter (disabled, the widget shows, searches and links
    nothing) [INFERRED: LinkedIn documents the integration's enablement, not what the widget shows without it]."""
    owned = sorted(world.customers.contexts(application))
    if context not in owned:
        raise RestliError(403, f"data-integration-context {shown(context)} is not an integration context of"
                               f" {application['name']} (api_key {shown(application['clientId'])} owns"
                               f" {', '.join(owned) or 'none'})")
    if not enabled(world, context, "PROFILE_PLUGIN"):
        raise RestliError(403, f"The PROFILE_PLUGIN integration of {context} is not enabled in LinkedIn Recruiter, so"
                               " the profile widget shows nothing; a Recruiter admin of the customer enables it"
                               " (POST /_mock/recruiter/integrations)")


def state(world, application: dict, key: dict) -> dict:
    """What the widget shows for candidate ``key`` (:func:`candidates.candidate_key`)::

        {"candidate": None (not synced) | {"atsCandidateId", "integrationContext", "firstName"?, "lastName"?},
         "match": None | {"member": person URN, "how": "manual" | "automatic", "profile": {...},
                          "activity": {...}, "otherMatches": [person URN, ...]}}

    Raises 403 for a context the customer does not own.
    """
    check_context(world, application, key["integrationContext"])
    candidate = candidates.read(world, key)
    if candidate is None:
        return {"candidate": None, "match": None}
    shown = {"atsCandidateId": key["atsCandidateId"], "integrationContext": key["integrationContext"],
             **{name: candidate[name] for name in ("firstName", "lastName") if name in candidate}}
    manual, automatic = candidate.get("manualMatchedMember"), candidate.get("matchedMembers", [])
    person = manual or (automatic[0] if automatic else None)
    if person is None:
        return {"candidate": shown, "match": None}
    return {"candidate": shown,
            "match": {"member": person, "how": "manual" if manual else "automatic",
                      "profile": profile(world, person), "activity": activity(world, application, person),
                      "otherMatches": [urn for urn in automatic if urn != person]}}


def search(world, application: dict, context: str, text: str) -> list[dict]:
    """Up to ``SEARCH_LIMIT`` members whose name, headline, company or email hold every word of ``text``
    (case-insensitive, :mod:`mock_server.domain.member_search`), as :func:`profile` shows them; ``[]`` for
    blank ``text``. 403 as :func:`check_context` for the widget's ``context``."""
    check_context(world, application, context)
    words = search_words(text)
    if not words:
        return []
    found = []
    for person, doc in world.interactions.members.items():
        if matches(doc, words):
            found.append(profile(world, person))
            if len(found) == SEARCH_LIMIT:
                break
    return found


def link(world, application: dict, key: dict, person) -> dict:
    """Link member ``person`` to the candidate (``manualMatchedMember``); returns the new :func:`state`.
    Raises 400 for a value that is not a person URN, else the BATCH_PARTIAL_UPDATE's errors (404 candidate
    not synced, 422 unknown member)."""
    if not isinstance(person, str) or not person.startswith("urn:li:person:"):
        raise RestliError(400, "member must be a person URN (urn:li:person:<id>)")
    check_context(world, application, key["integrationContext"])
    candidates.set_manual_match(world, key, person)
    return state(world, application, key)


def unlink(world, application: dict, key: dict) -> tuple[str, dict]:
    """Remove the candidate's manual link: ``(person URN that was linked, new state)``. Raises 404 when the
    candidate is not synced, 409 when it has no manual link, 422 when it has no email address (LinkedIn keeps
    the person URN then)."""
    check_context(world, application, key["integrationContext"])
    candidate = candidates.read(world, key)
    if candidate is None:
        raise RestliError(404, f"Candidate {shown(key['atsCandidateId'])} has not been synced to atsCandidates")
    person = candidate.get("manualMatchedMember")
    if not person:
        raise RestliError(409, f"Candidate {shown(key['atsCandidateId'])} has no linked profile to unlink"
                               " (an automatic"
                               " match can be replaced by linking another member)")
    candidates.set_manual_match(world, key, None)
    return person, state(world, application, key)

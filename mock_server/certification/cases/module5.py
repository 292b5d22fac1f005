"""Module 5 — Data Deletion (RSC-501 to RSC-505).

The guided run asks the ATS to select and delete: a candidate's notes and then the candidate
(``deleteCandidate`` with ``notesFirst``), a whole candidate, an application's notes, stages and interview
feedback and then the application (``deleteApplication`` with ``recordsFirst``), a whole application. RSC-505
("explain the migration path to the versioned APIs") is judged on the calls the integration made.
"""

from __future__ import annotations

import functools

from mock_server.certification import requests as journal
from mock_server.certification.cases.common import CERT5, deletes, ids, listing, sub_deletes, sub_writes, when
from mock_server.certification.model import Case

RECORD_KINDS = {"notes": "notes", "stages": "stages", "interviewFeedback": "interview feedback"}


def deleted_keys(obs, resource: str, parts: tuple[str, ...], exists) -> list[tuple[dict, dict]]:
    """``[(entry, key)]`` of records the customer deleted in the window that do not exist again now."""
    return [(entry, key) for entry, key in deletes(obs, resource, parts) if not exists(key)]


def subject_or_latest(obs, g, name: str, resource: str, parts: tuple[str, ...], exists, awaited: str, wanted=None):
    """``(key, delete entry or None)`` of the record a grader judges: the guided run's (``name`` in the
    subject), else the latest deleted one (``wanted(entry, key)`` narrowing the choice); None after waiting
    for the deletion, or for ``awaited`` when grading passively."""
    subject = obs.subject or {}
    if subject.get(name):
        key = {name: subject[name], "integrationContext": subject["integrationContext"], "dataProvider": "ATS"}
        if exists(key):
            g.wait(f"the ATS to delete {resource[3:-1].lower()} {subject[name]}")
            return None
        wanted_key = journal.canonical(key)
        entry = next((e for e, k in deletes(obs, resource, parts) if journal.canonical(k) == wanted_key), None)
        return key, entry
    found = [(entry, key) for entry, key in deleted_keys(obs, resource, parts, exists)
             if wanted is None or wanted(entry, key)]
    if not found:
        g.wait(awaited)
        return None
    entry, key = found[-1]
    return key, entry


def ask_deletion(session, action: str, id_field: str, **flags) -> dict:
    """The guided play of module 5: the ATS selects a record and deletes it (hook ``action`` with ``flags``);
    the subject names the record by ``id_field``."""
    session.ensure_onboarded()
    answer = session.ask(action, required=(id_field,), **flags)
    return {id_field: answer[id_field], "integrationContext": answer.get("integrationContext", session.organization)}


def candidate_gone(obs, g, key: dict, entry: dict | None) -> None:
    """The candidate, its notes and its In-ATS indicator are gone."""
    name = f"candidate {key['atsCandidateId']}"
    g.ok(f"{name} is deleted" + (f" (request {entry['id']} at {when(entry['at'])})" if entry else ""),
         requests=[entry["id"]] if entry else [], entities=[name], at=[entry["at"]] if entry else [])
    notes = obs.candidate_notes_by_key(key["integrationContext"], key["atsCandidateId"])
    if notes:
        g.fail(f"{len(notes)} notes of the deleted {name} remain ({listing(n['id'] for n in notes)})", entities=[name])
    else:
        g.ok(f"no note of {name} remains")
    shown = [(seat, person) for person in persons_of(obs, key) for seat in obs.seats()
             if any(item["atsCandidateId"] == key["atsCandidateId"] for item in obs.indicator(seat, person))]
    if shown:
        seat, person = shown[0]
        g.fail(f"the In-ATS indicator of seat {seat['id']} still shows {name} on {person}'s profile", entities=[name])
    else:
        g.ok(f"no In-ATS indicator shows {name}")


def persons_of(obs, key: dict) -> list[str]:
    """Members the candidate was matched to when last synced (from its last journaled BATCH_UPDATE)."""
    wanted = journal.canonical(key)
    for entry in reversed(obs.requests(resource="atsCandidates", restli_method="BATCH_UPDATE", ok=True, whole=True)):
        for found, entity in journal.entities(entry, journal.CANDIDATE_KEY):
            if journal.canonical(found) == wanted:
                return obs.matches(entity)
    return []


def candidate_exists(obs):
    """``exists(key)`` for candidates."""
    return lambda key: obs.candidate(key["integrationContext"], key["atsCandidateId"]) is not None


def application_exists(obs):
    """``exists(key)`` for applications."""
    return lambda key: obs.application(key["integrationContext"], key["atsJobApplicationId"]) is not None


def notes_first(obs, entry: dict, key: dict) -> bool:
    """True when the candidate's notes were deleted before ``entry`` deleted the candidate."""
    removed = sub_deletes(obs, "atsCandidates/notes", journal.CANDIDATE_KEY, key)
    return any(note["at"] <= entry["at"] for note in removed)


# ---- RSC-501 ---------------------------------------------------------------------------------------------------

def grade_candidate_entities(obs, g) -> str:
    """RSC-501: the candidate's notes are deleted, then the candidate; notes and indicator disappear."""
    chosen = subject_or_latest(obs, g, "atsCandidateId", "atsCandidates", journal.CANDIDATE_KEY, candidate_exists(obs),
                               "a candidate whose notes the ATS deleted before deleting the candidate",
                               wanted=lambda entry, key: notes_first(obs, entry, key))
    if chosen is None:
        return ""
    key, entry = chosen
    name = f"candidate {key['atsCandidateId']}"
    removed = sub_deletes(obs, "atsCandidates/notes", journal.CANDIDATE_KEY, key)
    synced = sub_writes(obs, "atsCandidates/notes", journal.CANDIDATE_KEY, key, since_start=False)
    if entry is not None and not any(note["at"] <= entry["at"] for note in removed):
        if synced:
            g.fail(f"{name} was deleted (request {entry['id']}) without deleting its notes first; RSC-501 deletes"
                   " the candidate's notes, then the candidate", requests=[entry["id"]], entities=[name], settled=True)
        else:
            g.fail(f"{name} never had notes: RSC-501 deletes the notes of a candidate, then the candidate",
                   entities=[name], settled=True)
    elif removed:
        g.ok(f"the notes of {name} were deleted first (request {removed[0]['id']})", requests=ids(removed[:3]))
    candidate_gone(obs, g, key, entry)
    return f"{name}: notes deleted, then the candidate; nothing left in Recruiter"


# ---- RSC-502 ---------------------------------------------------------------------------------------------------

def grade_entire_candidate(obs, g) -> str:
    """RSC-502: deleting a whole candidate removes it, its notes and indicator, and the applications the
    ATS deleted with it."""
    chosen = subject_or_latest(obs, g, "atsCandidateId", "atsCandidates", journal.CANDIDATE_KEY, candidate_exists(obs),
                               "a candidate deleted by the ATS (atsCandidates BATCH_DELETE)")
    if chosen is None:
        return ""
    key, entry = chosen
    candidate_gone(obs, g, key, entry)
    name = f"candidate {key['atsCandidateId']}"
    left = [doc["atsJobApplicationId"] for doc in obs.applications()
            if doc.get("atsCandidateId") == key["atsCandidateId"]
            and doc["integrationContext"] == key["integrationContext"]]
    if left:
        g.fail(f"applications {listing(left)} of the deleted {name} are still synced: the ATS deleted them with the"
               " candidate but not at LinkedIn", entities=[f"application {a}" for a in left[:5]])
    else:
        g.ok(f"no application of {name} remains")
    return f"{name} deleted with its notes and applications"


# ---- RSC-503 / RSC-504 -----------------------------------------------------------------------------------------

def records_gone(obs, g, key: dict, entry: dict | None) -> None:
    """The application and its notes, stages and interview feedback are gone."""
    name = f"application {key['atsJobApplicationId']}"
    g.ok(f"{name} is deleted" + (f" (request {entry['id']} at {when(entry['at'])})" if entry else ""),
         requests=[entry["id"]] if entry else [], entities=[name])
    records = obs.application_records_by_key(key["integrationContext"], key["atsJobApplicationId"])
    for kind, label in RECORD_KINDS.items():
        if records[kind]:
            g.fail(f"{len(records[kind])} {label} record(s) of the deleted {name} remain", entities=[name])
    if not any(records.values()):
        g.ok(f"no note, stage or interview feedback of {name} remains")


def records_first(obs, entry: dict | None, key: dict) -> list[str]:
    """The kinds of record synced under the application (ever) that were not deleted before ``entry``."""
    late = []
    for kind, label in RECORD_KINDS.items():
        resource = f"atsApplications/{kind}"
        if not sub_writes(obs, resource, journal.APPLICATION_KEY, key, since_start=False):
            continue
        removed = sub_deletes(obs, resource, journal.APPLICATION_KEY, key)
        if entry is None or not any(item["at"] <= entry["at"] for item in removed):
            late.append(label)
    return late


def grade_application_entities(obs, g) -> str:
    """RSC-503: the application's notes, stages and feedback are deleted, then the application."""
    chosen = subject_or_latest(obs, g, "atsJobApplicationId", "atsApplications", journal.APPLICATION_KEY,
                               application_exists(obs),
                               "an application whose notes, stages and feedback the ATS deleted before it",
                               wanted=lambda entry, key: len(records_first(obs, entry, key)) < len(RECORD_KINDS))
    if chosen is None:
        return ""
    key, entry = chosen
    late = records_first(obs, entry, key)
    name = f"application {key['atsJobApplicationId']}"
    if late:
        g.fail(f"{name} was deleted{' (request ' + entry['id'] + ')' if entry else ''} without deleting its"
               f" {listing(late)} first; RSC-503 deletes notes, stages and interview feedback, then the application",
               requests=[entry["id"]] if entry else [], entities=[name], settled=True)
    else:
        g.ok(f"the notes, stages and interview feedback of {name} were deleted before it")
    records_gone(obs, g, key, entry)
    return f"{name}: its records deleted, then the application"


def grade_entire_application(obs, g) -> str:
    """RSC-504: deleting a whole application removes its notes, stages and interview feedback."""
    chosen = subject_or_latest(obs, g, "atsJobApplicationId", "atsApplications", journal.APPLICATION_KEY,
                               application_exists(obs),
                               "an application deleted by the ATS (atsApplications BATCH_DELETE)")
    if chosen is None:
        return ""
    key, entry = chosen
    records_gone(obs, g, key, entry)
    return f"application {key['atsJobApplicationId']} deleted with everything under it"


# ---- RSC-505 ---------------------------------------------------------------------------------------------------

def version_header(entry: dict) -> str | None:
    """The ``LinkedIn-Version`` a journaled call asked for, or None."""
    return entry.get("request", {}).get("headers", {}).get("linkedin-version")


def grade_versioned(obs, g) -> str:
    """RSC-505: the integration has a migration path to the versioned ``/rest`` APIs: it calls them (any
    ``/rest`` resource) with a ``LinkedIn-Version`` the emulator's version table serves; a ``/rest`` call
    without the header or with a version not served fails the case."""
    calls = [entry for entry in obs.requests() + obs.partner_requests() if journal.base(entry)]
    if not calls:
        g.wait("Rest.li calls of the integration")
        return ""
    rest = [entry for entry in calls if journal.base(entry) == "rest"]
    unversioned = [entry for entry in rest if not version_header(entry)]
    stale = [entry for entry in rest if version_header(entry) and not obs.version_served(version_header(entry),
                                                                                         entry["at"])]
    served = [entry for entry in rest if entry not in stale and version_header(entry)
              and 200 <= (entry.get("status") or 0) < 300]
    if unversioned:
        g.fail(f"{len(unversioned)} /rest calls carried no LinkedIn-Version header (request {unversioned[0]['id']})",
               requests=ids(unversioned[:5]))
    if stale:
        g.fail(f"{len(stale)} /rest calls asked for a LinkedIn-Version LinkedIn does not serve then"
               f" ({listing(sorted({version_header(entry) for entry in stale}))}; request {stale[0]['id']})",
               requests=ids(stale[:5]))
    if served:
        versions = sorted({entry["request"]["headers"]["linkedin-version"] for entry in served})
        resources = sorted({entry.get("versionedResource") or entry.get("resource") or "?" for entry in served})
        left = sorted({entry["resource"] for entry in calls if journal.base(entry) == "v2"
                       and entry.get("resource") in journal.V2_OF_VERSIONED})
        g.ok(f"{len(served)} of the integration's {len(calls)} Rest.li calls used the versioned /rest resources with"
             f" LinkedIn-Version {listing(versions)} ({listing(resources)})"
             + (f"; still on /v2: {listing(left)}" if left else ""), requests=ids(served[:3]))
    elif not unversioned and not stale:
        g.fail(f"all {len(calls)} Rest.li calls of the integration used /v2; RSC-505 asks for the migration path to"
               " the versioned /rest APIs with a LinkedIn-Version header", requests=ids(calls[:3]))
    return "the integration calls the versioned /rest APIs with a LinkedIn-Version LinkedIn serves"


def play_versioned(session) -> dict:
    """RSC-505: nothing to play; the run's traffic is judged."""
    session.ensure_onboarded()
    return {}


CASES = (
    Case("RSC-501", "Delete candidate related entities", 5, CERT5,
         needs="Delete a candidate's notes, then the candidate. Guided: hook action deleteCandidate (notesFirst).",
         documented=("select a candidate, delete its notes, then delete the candidate",
                     "the deleted notes no longer appear in the Enhanced In-ATS indicator",
                     "the Enhanced In-ATS indicator no longer appears for that candidate"),
         inferred=("the order is read from the journal; the members the candidate matched come from its last sync",),
         grade=grade_candidate_entities,
         play=functools.partial(ask_deletion, action="deleteCandidate", id_field="atsCandidateId", notesFirst=True)),
    Case("RSC-502", "Delete entire candidate", 5, CERT5,
         needs="Deleting a candidate in the ATS deletes it at LinkedIn, and the applications the ATS deleted with"
               " it. Guided: hook action deleteCandidate.",
         documented=("select a candidate and delete it in the ATS",
                     "its notes no longer appear in the Enhanced In-ATS indicator",
                     "the Enhanced In-ATS indicator no longer appears for that candidate"),
         inferred=("deleting a whole candidate in an ATS deletes its applications, which must be deleted at"
                   " LinkedIn too (LinkedIn keeps applications whose candidate is gone)",),
         grade=grade_entire_candidate,
         play=functools.partial(ask_deletion, action="deleteCandidate", id_field="atsCandidateId", notesFirst=False)),
    Case("RSC-503", "Delete application related entities", 5, CERT5,
         needs="Delete an application's notes, stages and interview feedback, then the application. Guided: hook"
               " action deleteApplication (recordsFirst).",
         documented=("select an application and delete its notes, stages, interview feedback, then the application",
                     "each of them no longer appears in the Enhanced In-ATS indicator"),
         inferred=("the order is read from the journal; a kind of record never synced under the application needs"
                   " no delete",),
         grade=grade_application_entities,
         play=functools.partial(ask_deletion, action="deleteApplication", id_field="atsJobApplicationId",
                                recordsFirst=True)),
    Case("RSC-504", "Delete entire application", 5, CERT5,
         needs="Deleting an application deletes it at LinkedIn. Guided: hook action deleteApplication.",
         documented=("select an application and delete it",
                     "its notes, stages and interview feedback no longer appear in the Enhanced In-ATS indicator"),
         inferred=(),
         grade=grade_entire_application,
         play=functools.partial(ask_deletion, action="deleteApplication", id_field="atsJobApplicationId",
                                recordsFirst=False)),
    Case("RSC-505", "Migration path to the versioned APIs", 5, CERT5,
         needs="Call the versioned /rest APIs with a LinkedIn-Version header (LinkedIn asks for the migration"
               " path in the meeting).",
         documented=("explain the migration path to the versioned endpoints (/rest with LinkedIn-Version)",),
         inferred=("judged on the calls: at least one /rest call (any versioned resource) answered 2xx with a"
                   " LinkedIn-Version the version table serves, no /rest call without the header or with a version"
                   " not served; versioned record resources (rest/candidates …) count as their v2 resources for the"
                   " other cases",),
         grade=grade_versioned, play=play_versioned),
)

"""Module 2 — Sync Data from ATS to LinkedIn.

CERT2's newer rows RSC-201 to RSC-203 split the older "Test Case 2 - Historical Data Sync" into jobs,
candidates and applications; "Test Case 3" (candidate sync), "Test Case 4" (candidate update) and "Test Case
5" (error handling, its expected result cut off) are known only under the older numbering. The guided run
asks the ATS for its totals (hook action ``status``) so "totals match" can be checked, and asks it to create,
edit and mis-sync records (``createCandidate``, ``updateCandidate``, ``syncInvalidJob``).
"""

from __future__ import annotations

from mock_server.certification import requests as journal
from mock_server.certification.cases.common import (
    CERT2,
    history,
    ids,
    listing,
    read_back,
    reported,
    totals,
    when,
)
from mock_server.certification.model import Case
from mock_server.certification.observed import application_name, candidate_name, job_name

CHECKED = 50  # records whose Recruiter view a grader opens (each view reads the customer's records)
MATCH_FIELDS = ("firstName", "lastName", "emailAddresses", "phoneNumbers", "currentCompanyName", "currentJobTitle")
SYNC_CALLS = (("simpleJobPostings", "BATCH_CREATE"), ("atsCandidates", "BATCH_UPDATE"),
              ("atsApplications", "BATCH_UPDATE"), ("atsCandidates/notes", "BATCH_UPDATE"),
              ("atsApplications/notes", "BATCH_UPDATE"), ("atsApplications/stages", "BATCH_UPDATE"),
              ("atsApplications/interviewFeedback", "BATCH_UPDATE"))


def play_totals(session) -> dict:
    """Module 2's historical cases: the ATS's totals (hook action ``status``)."""
    session.ensure_onboarded()
    return {"status": session.status()}


# ---- RSC-201 ---------------------------------------------------------------------------------------------------

def grade_jobs(obs, g) -> str:
    """RSC-201: every historical job, closed ones included, two years back, each in some recruiter's
    One-Click Export drop-down."""
    jobs = obs.jobs()
    if not jobs:
        g.wait("the historical job sync")
        return ""
    history(g, obs, "jobs", jobs, "listedAt", "RSC-201", job_name)
    listed = [job for job in jobs if job["state"] == "LISTED"]
    closed = [job for job in jobs if job["state"] == "CLOSED"]
    counts = reported(obs, "totals", "jobs")
    if isinstance(counts, dict):
        totals(g, obs, "LISTED jobs", len(listed), counts.get("LISTED"), "RSC-201")
        totals(g, obs, "CLOSED jobs", len(closed), counts.get("CLOSED"), "RSC-201")
    elif not closed:
        g.wait(f"a CLOSED job among the {len(jobs)} synced jobs (RSC-201 counts closed jobs too)")
    else:
        g.ok(f"{len(closed)} of the {len(jobs)} synced jobs are CLOSED", entities=[job_name(job) for job in closed[:5]])
    seats = obs.seats()
    if not seats:
        g.wait(f"an ACTIVE Recruiter seat on {', '.join(obs.contracts)} to open the export drop-down")
        return ""
    shown = set().union(*(obs.export_jobs(seat) for seat in seats))
    hidden = [job["externalJobPostingId"] for job in listed if job["externalJobPostingId"] not in shown]
    if hidden:
        g.fail(f"{len(hidden)} of the {len(listed)} LISTED jobs are in no recruiter's export drop-down"
               f" ({listing(hidden)}): access-restricted with no seat holder among their ACL assignees",
               entities=[f"job {job}" for job in hidden[:5]])
    else:
        g.ok(f"all {len(listed)} LISTED jobs are in the export drop-down of the customer's {len(seats)} seat(s)")
    return f"{len(jobs)} jobs ({len(closed)} closed) synced with two years of history, all exportable"


# ---- RSC-202 ---------------------------------------------------------------------------------------------------

def grade_candidates(obs, g) -> str:
    """RSC-202: every historical candidate, two years back, shown by the In-ATS indicator, its LinkedIn match
    read back by the ATS."""
    candidates = obs.candidates()
    if not candidates:
        g.wait("the historical candidate sync")
        return ""
    history(g, obs, "candidates", candidates, "atsCreatedAt", "RSC-202", candidate_name)
    totals(g, obs, "candidates", len(candidates), reported(obs, "totals", "candidates"), "RSC-202")
    matched = [(doc, obs.matches(doc)) for doc in candidates]
    matched = [(doc, people) for doc, people in matched if people]
    if not matched:
        g.wait("a synced candidate that matches a LinkedIn member")
        return ""
    seats = obs.seats()
    if not seats:
        g.wait(f"an ACTIVE Recruiter seat on {', '.join(obs.contracts)}")
        return ""
    unseen = []
    for doc, people in matched[:CHECKED]:
        shown = {item["atsCandidateId"] for item in obs.indicator(seats[0], people[0])}
        if doc["atsCandidateId"] not in shown:
            unseen.append(doc["atsCandidateId"])
    if unseen:
        g.fail(f"{len(unseen)} matched candidates show no In-ATS indicator ({listing(unseen)}): is IN_ATS_INDICATOR"
               " enabled?", entities=[f"candidate {c}" for c in unseen[:5]])
    else:
        checked = min(len(matched), CHECKED)
        g.ok(f"the In-ATS indicator shows {'all' if checked == len(matched) else checked} of the {len(matched)}"
             f" candidates matched to LinkedIn members (of {len(candidates)} synced)")
    unread = [doc["atsCandidateId"] for doc in candidates
              if not read_back(obs, doc, journal.CANDIDATE_KEY, "atsCandidates")]
    if unread:
        g.fail(f"the ATS never read back the LinkedIn match of {len(unread)} of the {len(candidates)} synced"
               f" candidates ({listing(unread)}): BATCH_GET atsCandidates after syncing, so the profile widget shows"
               " the right member", entities=[f"candidate {c}" for c in unread[:5]])
    else:
        g.ok(f"the ATS read back the LinkedIn match of all {len(candidates)} candidates after their last sync")
    return f"{len(candidates)} candidates synced with two years of history, shown in Recruiter, matches read back"


# ---- RSC-203 ---------------------------------------------------------------------------------------------------

def grade_applications(obs, g) -> str:
    """RSC-203: every historical application with its stages, two years back, tied to synced jobs and
    candidates, visible in Recruiter."""
    applications = obs.applications()
    if not applications:
        g.wait("the historical application sync")
        return ""
    history(g, obs, "applications", applications, "atsCreatedAt", "RSC-203", application_name)
    totals(g, obs, "applications", len(applications), reported(obs, "totals", "applications"), "RSC-203")
    jobs = {job["externalJobPostingId"] for job in obs.jobs()}
    candidates = {doc["atsCandidateId"]: doc for doc in obs.candidates()}
    orphans = [doc for doc in applications if doc.get("atsJobPostingId") not in jobs]
    if orphans:
        pairs = [f"{doc['atsJobApplicationId']} → job {doc.get('atsJobPostingId')}" for doc in orphans]
        g.fail(f"{len(orphans)} applications name a job LinkedIn never got ({listing(pairs)}): sync every job an"
               " application refers to", entities=[application_name(d) for d in orphans[:5]])
    homeless = [doc for doc in applications if doc.get("atsCandidateId") not in candidates]
    if homeless:
        g.fail(f"{len(homeless)} applications name a candidate LinkedIn does not have"
               f" ({listing(application_name(d) for d in homeless)})",
               entities=[application_name(d) for d in homeless[:5]])
    if not orphans and not homeless:
        g.ok(f"all {len(applications)} applications name a synced job and a synced candidate")
    staged = [doc for doc in applications if obs.application_records(doc)["stages"]]
    if staged:
        g.ok(f"{len(staged)} of the {len(applications)} applications have their stage history",
             entities=[application_name(doc) for doc in staged[:3]])
    else:
        g.wait("application stages (Test Case 2 syncs the stage history with the applications)")
    visibility(obs, g, applications, candidates)
    return f"{len(applications)} applications synced with stages and two years of history, visible in Recruiter"


def visibility(obs, g, applications: list[dict], candidates: dict) -> None:
    """Each application of a matched candidate is visible to at least one seat's In-ATS indicator."""
    seats = obs.seats()
    if not seats:
        g.wait(f"an ACTIVE Recruiter seat on {', '.join(obs.contracts)}")
        return
    checked, invisible = 0, []
    for doc in applications:
        candidate = candidates.get(doc.get("atsCandidateId"))
        people = obs.matches(candidate) if candidate else []
        if not people or checked >= CHECKED:
            continue
        checked += 1
        if not any(doc["atsJobApplicationId"] in {app["atsJobApplicationId"] for item in obs.indicator(seat, people[0])
                                                  for app in item["applications"]} for seat in seats):
            invisible.append(doc["atsJobApplicationId"])
    if invisible:
        g.fail(f"{len(invisible)} applications are visible to no seat's In-ATS indicator ({listing(invisible)})",
               entities=[f"application {a}" for a in invisible[:5]])
    elif checked:
        g.ok(f"{checked} applications of matched candidates checked: each is visible to a seat's In-ATS indicator")
    else:
        g.wait("an application of a candidate matched to a LinkedIn member")


# ---- Test Case 3 -----------------------------------------------------------------------------------------------

def grade_new_candidate(obs, g) -> str:
    """Test Case 3: a new candidate for a role, every field filled, shown by the indicator on the right
    member's profile."""
    subject = obs.subject or {}
    if subject.get("atsCandidateId"):
        doc = obs.candidate(subject["integrationContext"], subject["atsCandidateId"])
        if doc is None:
            g.wait(f"the ATS to sync candidate {subject['atsCandidateId']}")
            return ""
        person = subject.get("member")
    else:
        matched = [doc for doc in obs.candidates() if obs.matches(doc) and applications_of(obs, doc)]
        if not matched:
            g.wait("a new candidate with an application, matched to a LinkedIn member")
            return ""
        doc = max(matched, key=lambda item: (item.get("atsCreatedAt", 0), item.get("syncedAt", 0)))
        person = None
    name = candidate_name(doc)
    people = obs.matches(doc)
    shown_member = people[0] if people else None
    if person and shown_member != person:
        g.fail(f"the profile widget would show {shown_member or 'no member'} for {name}, not {person}",
               entities=[name], at=[doc["syncedAt"]])
    elif shown_member:
        g.ok(f"{name} is matched to {shown_member}: the profile widget shows that member", entities=[name])
    else:
        g.wait(f"{name} to match a LinkedIn member")
    empty = [field for field in MATCH_FIELDS if not doc.get(field)]
    if empty:
        g.fail(f"{name} was synced without {listing(empty)}: Test Case 3 fills every field with a unique value",
               entities=[name])
    else:
        g.ok(f"{name} carries {listing(MATCH_FIELDS)}", entities=[name])
    applications = applications_of(obs, doc)
    if applications:
        roles = [f"{application_name(a)} → job {a.get('atsJobPostingId')}" for a in applications]
        g.ok(f"{name} applied for a role ({listing(roles)})",
             entities=[application_name(a) for a in applications])
    else:
        g.wait(f"an application of {name} for a role")
    seats = obs.seats()
    if shown_member and seats:
        shown = [item for item in obs.indicator(seats[0], shown_member)
                 if item["atsCandidateId"] == doc["atsCandidateId"]]
        if shown and all(shown[0].get(field) == doc.get(field) for field in MATCH_FIELDS):
            g.ok(f"the In-ATS indicator of seat {seats[0]['id']} shows {name} with its synced values", entities=[name])
        else:
            g.fail(f"the In-ATS indicator of seat {seats[0]['id']} does not show {name} on {shown_member}'s profile",
                   entities=[name])
    return f"{name} synced with unique values, shown by the indicator on the right profile"


def applications_of(obs, doc: dict) -> list[dict]:
    """The synced applications naming candidate ``doc``."""
    return [item for item in obs.applications() if item.get("atsCandidateId") == doc["atsCandidateId"]
            and item["integrationContext"] == doc["integrationContext"]]


def play_new_candidate(session) -> dict:
    """Test Case 3: a LinkedIn member applies for an open job in the ATS (hook ``createCandidate``)."""
    session.ensure_onboarded()
    member = session.prospect("Test Case 3")
    job = session.open_job()
    answer = session.ask("createCandidate", member=member, externalJobPostingId=job, required=("atsCandidateId",))
    subject = {"atsCandidateId": answer["atsCandidateId"], "member": member["person"],
               "integrationContext": answer.get("integrationContext", session.organization)}
    session.memory["new candidate"] = subject
    return subject


# ---- Test Case 4 -----------------------------------------------------------------------------------------------

def grade_update(obs, g) -> str:
    """Test Case 4: an edited field of a synced candidate reaches LinkedIn."""
    subject = obs.subject or {}
    if subject.get("field"):
        doc = obs.candidate(subject["integrationContext"], subject["atsCandidateId"])
        if doc is None:
            g.wait(f"candidate {subject['atsCandidateId']}")
            return ""
        field, value = subject["field"], subject["value"]
        if doc.get(field) != value or doc.get("syncedAt", 0) < subject.get("startedAt", 0):
            g.wait(f"the edit of {field} of {candidate_name(doc)} ({value!r}) to be synced")
            return ""
        g.ok(f"{candidate_name(doc)}: {field} is now {value!r} at LinkedIn (synced {when(doc['syncedAt'])})",
             entities=[candidate_name(doc)], at=[doc["syncedAt"]])
        edits = edits_of(obs, doc)
    else:
        found = [(doc, edits_of(obs, doc)) for doc in obs.candidates()]
        found = [(doc, edits) for doc, edits in found if len(edits) >= 2 and changed_fields(edits)]
        if not found:
            g.wait("a synced candidate edited in the ATS and synced again")
            return ""
        doc, edits = found[-1]
        g.ok(f"{candidate_name(doc)} was synced again with {listing(changed_fields(edits))} changed",
             requests=[edits[-1][0]["id"]], entities=[candidate_name(doc)], at=[edits[-1][0]["at"]])
    if len(edits) >= 2:
        before, after = edits[-2][1].get("atsLastModifiedAt"), edits[-1][1].get("atsLastModifiedAt")
        if isinstance(before, int) and isinstance(after, int) and after <= before:
            g.fail(f"{candidate_name(doc)} was re-synced with atsLastModifiedAt {after}, not later than before"
                   f" ({before}): an edit must move atsLastModifiedAt", requests=[edits[-1][0]["id"]],
                   entities=[candidate_name(doc)])
    return f"the edit of {candidate_name(doc)} is shown in Recruiter"


def edits_of(obs, doc: dict) -> list[tuple[dict, dict]]:
    """``[(journal entry, entity)]`` of every accepted BATCH_UPDATE of candidate ``doc``, oldest first."""
    wanted = journal.canonical({part: doc[part] for part in journal.CANDIDATE_KEY})
    found = []
    for entry in obs.requests(resource="atsCandidates", restli_method="BATCH_UPDATE", ok=True, whole=True):
        accepted = {journal.canonical(key) for key in journal.accepted(entry, journal.CANDIDATE_KEY)}
        for key, entity in journal.entities(entry, journal.CANDIDATE_KEY):
            if journal.canonical(key) == wanted and wanted in accepted:
                found.append((entry, entity))
    return found


def changed_fields(edits: list[tuple[dict, dict]]) -> list[str]:
    """Fields (other than atsLastModifiedAt) whose value differs between the last two writes."""
    before, after = edits[-2][1], edits[-1][1]
    return sorted(name for name in set(before) | set(after)
                  if name != "atsLastModifiedAt" and before.get(name) != after.get(name))


def play_update(session) -> dict:
    """Test Case 4: the recruiter edits a synced field of Test Case 3's candidate (hook ``updateCandidate``)."""
    candidate = session.memory.get("new candidate") or play_new_candidate(session)
    answer = session.ask("updateCandidate", atsCandidateId=candidate["atsCandidateId"], required=("field",))
    return {**candidate, "field": answer["field"], "value": answer.get("value")}


# ---- Test Case 5 -----------------------------------------------------------------------------------------------

def grade_errors(obs, g) -> str:
    """Test Case 5: a sync with a missing required field is refused by LinkedIn; the ATS reports the error
    and does not resend the same refused entity unchanged."""
    refused = []
    for resource, method in SYNC_CALLS:
        for entry in obs.requests(resource=resource, restli_method=method):
            if 400 <= (entry.get("status") or 0) < 500:
                refused.append((entry, "request", {"message": (journal.reply_json(entry) or {}).get("message", "")}))
            for where, error in journal.entity_errors(entry):
                refused.append((entry, where, error))
    if not refused:
        g.wait("a sync call LinkedIn refuses for a missing required field (e.g. a job without title or description)")
        return ""
    entry, where, error = refused[0]
    message = error.get("message", "") if isinstance(error, dict) else str(error)
    g.ok(f"LinkedIn refused {where} of request {entry['id']} ({entry['restliMethod']} {entry['resource']}):"
         f" {message.strip()}", requests=[entry["id"]], at=[entry["at"]])
    shown = (obs.subject or {}).get("error")
    if obs.subject is not None and "error" in (obs.subject or {}):
        pointer = message.split("::")[1].strip() if "::" in message else message.strip()
        if shown and pointer and pointer in shown:
            g.ok(f"the ATS shows LinkedIn's error: {shown!r}")
        else:
            g.fail(f"the ATS shows {shown!r}, not LinkedIn's error ({message.strip()})")
    repeats = resent(obs, refused)
    if repeats:
        entity, entries = repeats[0]
        g.fail(f"the ATS sent the refused {entity} again unchanged {len(entries) - 1} times"
               f" (requests {listing(ids(entries))}): a 4xx does not succeed on retry", requests=ids(entries),
               settled=True)
    return "LinkedIn's refusal reached the ATS, which reports it and does not resend the same data"


def resent(obs, refused) -> list[tuple[str, list[dict]]]:
    """Refused job postings sent three times or more with the same body: ``[(label, entries)]``."""
    bodies: dict[str, list[dict]] = {}
    for entry, _, _ in refused:
        if entry.get("resource") != "simpleJobPostings":
            continue
        for element in (journal.request_json(entry) or {}).get("elements", []):
            if isinstance(element, dict):
                bodies.setdefault(repr(sorted(element.items())), []).append(entry)
    found = []
    for text, entries in bodies.items():
        if len(entries) >= 3:
            elements = (journal.request_json(entries[0]) or {})["elements"]
            label = next((f"job {e['externalJobPostingId']}" for e in elements
                          if isinstance(e, dict) and repr(sorted(e.items())) == text and "externalJobPostingId" in e),
                         "job")
            found.append((label, entries))
    return found


def play_errors(session) -> dict:
    """Test Case 5: the ATS syncs a job that lacks a required field (hook ``syncInvalidJob``) and says which
    error it shows."""
    session.ensure_onboarded()
    answer = session.ask("syncInvalidJob")
    return {"error": answer.get("error")}


CASES = (
    Case("RSC-201", "Historical job sync", 2, CERT2,
         needs="At enablement, sync every job of the customer (public and private, open and closed) at least two"
               " years back. Guided: hook action status (totals).",
         documented=("all historical jobs are synced, public and private, closed ones included",
                     "at least 2 years of history (if available)",
                     "all synced jobs are available in the export drop-down on a member's profile",
                     "the totals match"),
         inferred=("two years = the oldest listedAt is at least 730 days old",
                   "available = each LISTED job is in some ACTIVE seat's drop-down (ACLs may narrow it)",
                   "passively (no ATS totals): at least one CLOSED job is awaited"),
         grade=grade_jobs, play=play_totals, aliases=("Test Case 2",)),
    Case("RSC-202", "Historical candidate sync", 2, CERT2,
         needs="At enablement, sync every candidate at least two years back, then read back each one's LinkedIn"
               " match. Guided: hook action status (totals).",
         documented=("all synced candidates show the Enhanced In-ATS indicator",
                     "the correct LinkedIn profile appears in the Enhanced ATS Profile Widget",
                     "at least 2 years of history; the totals match",
                     "after syncing, read back the candidate to get and store its LinkedIn match (sync-candidates)"),
         inferred=("only candidates matched to a member can show the indicator; up to 50 are opened",
                   "read back = a BATCH_GET of the candidate after its last write"),
         grade=grade_candidates, play=play_totals, aliases=("Test Case 2",)),
    Case("RSC-203", "Historical application sync", 2, CERT2,
         needs="At enablement, sync every application with its stages at least two years back, each naming a synced"
               " job and candidate. Guided: hook action status (totals).",
         documented=("all synced applications are visible in Recruiter (Enhanced In-ATS indicator)",
                     "at least 2 years of history; the historical sync includes application stages",
                     "applications link to previously synced jobs and to candidates (sync-applications)"),
         inferred=("visible = in some ACTIVE seat's indicator for a matched candidate; up to 50 are opened",
                   "the rest of the row is cut off; the totals are compared as for RSC-201"),
         grade=grade_applications, play=play_totals, aliases=("Test Case 2",)),
    Case("Test Case 3", "Candidate sync", 2, CERT2,
         needs="Sync a new candidate for a role with every field filled. Guided: hook action createCandidate.",
         documented=("a new candidate for a role with unique values for all fields appears in the In-ATS"
                     " indicator in Recruiter search results and profile page",
                     "the correct LinkedIn profile appears in the ATS Profile Widget"),
         inferred=("'all fields' = the fields LinkedIn matches on (names, emails, phones, current company and"
                   " title)", "passively: the newest matched candidate with an application is judged"),
         grade=grade_new_candidate, play=play_new_candidate),
    Case("Test Case 4", "Candidate sync updates", 2, CERT2,
         needs="Sync a candidate again when a field changes in the ATS. Guided: hook action updateCandidate.",
         documented=("the edited value of a synced field is reflected in the In-ATS indicator",),
         inferred=("an edit moves atsLastModifiedAt forward",),
         grade=grade_update, play=play_update),
    Case("Test Case 5", "Error handling", 2, CERT2,
         needs="Show LinkedIn's error for data with a missing required field and not resend it unchanged."
               " Guided: hook action syncInvalidJob (answers the error the ATS shows).",
         documented=("sync data with a missing required field (for example a job without title or description)"
                     " — the expected result is cut off on LinkedIn's page",),
         inferred=("the ATS shows LinkedIn's error (it names the field)",
                   "the same refused job is not sent three times unchanged"),
         grade=grade_errors, play=play_errors),
)

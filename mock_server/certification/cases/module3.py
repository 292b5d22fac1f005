"""Module 3 — Retrieve Data from LinkedIn.

Only the older page (CERT3, ``rsc-cert-module3-orig``) could be read: Test Case 6 (One-Click Export of a new
candidate), 7 (export of an existing candidate to a second job), 8 (manual profile link), 9 (widget signed
out / in; not gradable here, see :mod:`mock_server.certification.cases`) and 10 (InMail history, its text cut
off after the candidate's reply). The guided run plays the recruiter: it exports members, links a profile in
the profile widget, sends an InMail that the member answers sharing contact details; before the first
export it also sends the ATS's CALLBACK_URL a push with a wrong ``X-LI-Signature``, which the ATS must not act
on.
"""

from __future__ import annotations

from mock_server.certification import requests as journal
from mock_server.certification.cases.common import CERT3, ids, listing, read_back, when
from mock_server.certification.model import Case
from mock_server.certification.observed import candidate_name

FOLLOW_UPS = ("exportedCandidates", "atsIntegrations")


def candidates_of(obs, person: str) -> list[dict]:
    """The customer's synced candidates the profile widget would show as ``person`` (manual match, else
    the first automatic one)."""
    return [doc for doc in obs.candidates() if (obs.matches(doc) or [None])[0] == person]


def resolved(obs, g, notification: dict) -> None:
    """The push was delivered and the ATS fetched its export (``exportedCandidates?q=request``)."""
    if notification["status"] in ("failed", "expired"):
        replies = [str(attempt.get("status", attempt.get("error"))) for attempt in notification.get("attempts", [])]
        g.fail(f"push {notification['id']} was not delivered ({notification['status']}; the CALLBACK_URL answered"
               f" {listing(replies)})", entities=[f"notification {notification['id']}"], settled=True)
        return
    fetched = [entry for entry in obs.requests(resource="exportedCandidates", ok=True)
               if journal.query_value(entry, "requestId") == notification["id"]]
    if fetched:
        g.ok(f"the ATS fetched export {notification['id']} ({journal.base(fetched[0])}/exportedCandidates"
             f" q=request) after LinkedIn's push", requests=ids(fetched[:2]), at=[fetched[0]["at"]])
    else:
        g.wait(f"the ATS to fetch exportedCandidates?q=request&requestId={notification['id']} after the push")


def unsigned(obs, g) -> None:
    """The ATS acted on no push LinkedIn did not send: every requestId it looked up was pushed to it."""
    known = obs.all_notification_ids()
    forged = (obs.subject or {}).get("forged")
    foreign = [entry for resource in FOLLOW_UPS for entry in obs.requests(resource=resource)
               if entry.get("restliMethod") == "FINDER" and journal.query_value(entry, "q") == "request"
               and journal.query_value(entry, "requestId") not in known]
    if foreign:
        entry = foreign[0]
        what = ("after a push whose X-LI-Signature was wrong" if journal.query_value(entry, "requestId") == forged
                else "which LinkedIn never pushed to it")
        g.fail(f"the ATS fetched requestId {journal.query_value(entry, 'requestId')} (request {entry['id']}) {what}:"
               " it does not verify X-LI-Signature", requests=ids(foreign[:5]), at=[entry["at"]], settled=True)
    elif forged:
        g.ok(f"the ATS ignored a push with a wrong X-LI-Signature (requestId {forged}"
             f"{', answered ' + str(obs.subject['forgedReply']) if obs.subject.get('forgedReply') else ''})")


def export_subject(obs) -> dict | None:
    """The export a grader judges: the guided run's, else the latest pushed in the window."""
    if (obs.subject or {}).get("notification"):
        return obs.subject
    exports = {doc["id"]: doc for doc in obs.exports()}
    for notification in reversed(obs.notifications("EXPORT_CANDIDATE_PROFILE")):
        record = next((exports[item] for item in notification.get("exports", []) if item in exports), None)
        if record:
            return {"notification": notification["id"], "member": record["candidate"]["person"],
                    "externalJobPostingId": record["externalJobPostingId"],
                    "integrationContext": record["integrationContext"]}
    return None


def notification_of(obs, notification_id: str) -> dict | None:
    """A push of the customer by id."""
    return next((doc for doc in obs.notifications() if doc["id"] == notification_id), None)


def application_for(obs, doc: dict, job: str) -> list[dict]:
    """Applications of candidate ``doc`` to job ``job``."""
    return [item for item in obs.applications() if item.get("atsCandidateId") == doc["atsCandidateId"]
            and item.get("atsJobPostingId") == job and item["integrationContext"] == doc["integrationContext"]]


# ---- Test Case 6 -----------------------------------------------------------------------------------------------

def grade_export(obs, g) -> str:
    """Test Case 6: the exported member becomes an ATS candidate for the job, matched exactly."""
    unsigned(obs, g)
    subject = export_subject(obs)
    if subject is None:
        g.wait("a One-Click Export by a recruiter (EXPORT_CANDIDATE_PROFILE push)")
        return ""
    notification = notification_of(obs, subject["notification"])
    if notification is None:
        g.wait(f"push {subject['notification']}")
        return ""
    resolved(obs, g, notification)
    person, job = subject["member"], subject["externalJobPostingId"]
    found = candidates_of(obs, person)
    if not found:
        g.wait(f"the ATS to sync a candidate matched to the exported member {person} (Attach Person URN)")
        return ""
    doc = found[0]
    g.ok(f"{candidate_name(doc)} is matched to {person}: the profile widget shows the exact member",
         entities=[candidate_name(doc)], at=[doc["syncedAt"]])
    applications = application_for(obs, doc, job)
    if applications:
        g.ok(f"{candidate_name(doc)} is a candidate for job {job} (application"
             f" {applications[0]['atsJobApplicationId']})",
             entities=[f"application {applications[0]['atsJobApplicationId']}"])
    else:
        g.wait(f"an application of {candidate_name(doc)} to the job {job} it was exported to")
    return f"export {subject['notification']} became {candidate_name(doc)} for job {job}"


def play_export(session) -> dict:
    """Test Case 6: a push with a wrong signature, then a recruiter exports a new member to an open job."""
    session.ensure_onboarded()
    forged, reply = session.forge_push()
    member = session.prospect("Test Case 6")
    seat, job = session.recruiter_seat(), session.open_job()
    result = session.export(seat, member["person"], job)
    subject = {"notification": result["notification"]["id"], "member": member["person"], "externalJobPostingId": job,
               "integrationContext": result["export"]["integrationContext"], "seat": seat, "forged": forged,
               "forgedReply": reply}
    session.memory["export"] = subject
    return subject


# ---- Test Case 7 -----------------------------------------------------------------------------------------------

def grade_second_export(obs, g) -> str:
    """Test Case 7: exporting the same member to another job adds the job to the same candidate."""
    subject = obs.subject or {}
    if subject.get("jobs"):
        person, jobs = subject["member"], subject["jobs"]
        notification = notification_of(obs, subject["notification"])
        if notification is not None:
            resolved(obs, g, notification)
    else:
        by_person: dict[str, list[dict]] = {}
        for record in obs.exports():
            by_person.setdefault(record["candidate"]["person"], []).append(record)
        repeated = [(p, records) for p, records in by_person.items()
                    if len({r["externalJobPostingId"] for r in records}) >= 2]
        if not repeated:
            g.wait("a member exported to a second job")
            return ""
        person, records = repeated[-1]
        jobs = list(dict.fromkeys(record["externalJobPostingId"] for record in records))
    found = candidates_of(obs, person)
    if not found:
        g.wait(f"a candidate matched to {person}")
        return ""
    if len(found) > 1:
        g.fail(f"{listing(candidate_name(doc) for doc in found)} are all matched to {person}: the second export"
               " created a duplicate candidate", entities=[candidate_name(doc) for doc in found], settled=True)
        return ""
    doc = found[0]
    g.ok(f"one candidate for {person}: {candidate_name(doc)}", entities=[candidate_name(doc)])
    missing = [job for job in jobs if not application_for(obs, doc, job)]
    if missing:
        g.wait(f"{candidate_name(doc)} to be associated with job {listing(missing)} too")
    else:
        g.ok(f"{candidate_name(doc)} is associated with both jobs ({listing(jobs)})", entities=[candidate_name(doc)])
    return f"{candidate_name(doc)} associated with {len(jobs)} jobs, no duplicate"


def play_second_export(session) -> dict:
    """Test Case 7: the recruiter exports Test Case 6's member to a different job."""
    first = session.memory.get("export") or play_export(session)
    job = session.open_job(other_than=first["externalJobPostingId"])
    result = session.export(first["seat"], first["member"], job)
    return {"member": first["member"], "jobs": [first["externalJobPostingId"], job],
            "notification": result["notification"]["id"]}


# ---- Test Case 8 -----------------------------------------------------------------------------------------------

def grade_manual_link(obs, g) -> str:
    """Test Case 8: a candidate with an invented identity, linked by hand in the profile widget, keeps the
    link; the ATS updates its mapping."""
    subject = obs.subject or {}
    if subject.get("atsCandidateId"):
        doc = obs.candidate(subject["integrationContext"], subject["atsCandidateId"])
        person = subject["member"]
        if doc is None:
            g.wait(f"the ATS to sync candidate {subject['atsCandidateId']}")
            return ""
    else:
        linked = [doc for doc in obs.candidates() if doc.get("manualMatchedMember")]
        if not linked:
            g.wait("a candidate linked by hand in the profile widget")
            return ""
        doc, person = linked[-1], linked[-1]["manualMatchedMember"]
    name = candidate_name(doc)
    automatic = [p for p in obs.matches(doc) if p != doc.get("manualMatchedMember")]
    if automatic:
        g.fail(f"{name} matches {listing(automatic)} automatically: Test Case 8 needs a candidate whose invented name"
               " and email match no LinkedIn profile", entities=[name], settled=True)
    if doc.get("manualMatchedMember") != person:
        g.wait(f"{name} to be linked to {person} (manualMatchedMember)")
        return ""
    g.ok(f"{name} stays linked to {person} (manualMatchedMember): the widget shows it after a refresh",
         entities=[name], at=[doc["syncedAt"]])
    mapping = subject.get("atsMapping")
    reads = read_back(obs, doc, journal.CANDIDATE_KEY, "atsCandidates")
    if "atsMapping" in subject:
        if mapping == person:
            g.ok(f"the ATS maps {name} to {person}")
        else:
            g.fail(f"the ATS maps {name} to {mapping or 'nobody'}, not to {person}", entities=[name])
    elif reads:
        g.ok(f"the ATS read back the mapping of {name}", requests=ids(reads[:2]))
    else:
        g.wait(f"the ATS to update its mapping of {name} (the widget's onlink callback, or a BATCH_GET)")
    return f"{name} linked by hand to {person}, mapping kept on both sides"


def play_manual_link(session) -> dict:
    """Test Case 8: the ATS adds a candidate with an invented name and email; the recruiter links it to a
    member in the profile widget; the page's ``data-onlink`` tells the ATS."""
    session.ensure_onboarded()
    answer = session.ask("createCandidate", member=None, required=("atsCandidateId",))
    context = answer.get("integrationContext", session.organization)
    member = session.prospect("Test Case 8")
    session.widget_link(answer["atsCandidateId"], context, member["person"])
    linked = session.ask("profileLinked", atsCandidateId=answer["atsCandidateId"], member=member["person"])
    subject = {"atsCandidateId": answer["atsCandidateId"], "integrationContext": context, "member": member["person"]}
    if "member" in linked:
        subject["atsMapping"] = linked["member"]
    return subject


# ---- Test Case 10 ----------------------------------------------------------------------------------------------

def grade_inmail(obs, g) -> str:
    """Test Case 10: the ATS retrieves the InMail history of its recruiters, and the stub profile a
    candidate shared."""
    enabled = [doc["enabledAt"] for doc in obs.integrations()
               if doc["integrationType"] == "CSA_API" and "enabledAt" in doc]
    if not enabled:
        g.wait("the customer's admin to enable CSA_API (the retrieve APIs)")
        return ""
    events = [event for event in obs.conversations() if event["created"] >= min(enabled)]
    if (obs.subject or {}).get("conversation"):
        events = [event for event in events if event["conversation"] == obs.subject["conversation"]]
    if not events:
        g.wait("an InMail sent from a seat of the customer since CSA_API was enabled")
        return ""
    seen_events, seen_stubs, reads = set(), set(), []
    for entry in obs.requests(resource="conversationEvents", ok=True):
        reads.append(entry)
        seen_events |= {item.get("id") for item in (journal.reply_json(entry) or {}).get("elements", [])}
    for entry in obs.requests(resource="mailStubs", ok=True):
        reads.append(entry)
        seen_stubs |= {item.get("id") for item in (journal.reply_json(entry) or {}).get("elements", [])}
    unseen = [event for event in events if event["id"] not in seen_events]
    if unseen:
        event = unseen[0]
        g.wait(f"the ATS to retrieve the InMail history of {event['viewer']} (conversationEvents) covering"
               f" {len(unseen)} event(s) since {when(event['created'])}")
    else:
        threads = sorted({event["conversation"] for event in events})
        g.ok(f"the ATS retrieved all {len(events)} InMail events ({listing(threads)})",
             requests=ids(reads[:3]), at=[event["created"] for event in events[:3]])
    stubs = [stub for stub in obs.stubs() if stub["created"] >= min(enabled)]
    if (obs.subject or {}).get("conversation"):
        stubs = [stub for stub in stubs if stub.get("conversation") == obs.subject["conversation"]]
    missing = [stub for stub in stubs if stub["id"] not in seen_stubs]
    if missing:
        g.wait(f"the ATS to retrieve the stub profile {missing[0]['id']} the member shared (mailStubs)")
    elif stubs:
        g.ok(f"the ATS retrieved the shared stub profile(s) {listing(str(stub['id']) for stub in stubs)}")
    return f"InMail history ({len(events)} events) and shared contact details retrieved"


def play_inmail(session) -> dict:
    """Test Case 10: a recruiter InMails a candidate, who replies and shares contact details; the ATS's
    scheduled jobs get a quarter of an hour."""
    session.ensure_onboarded()
    member = (session.memory.get("export") or {}).get("member") or session.prospect("Test Case 10")["person"]
    seat = session.recruiter_seat()
    sent = session.admin("POST", "/_mock/recruiter/inmails", {"seat": seat, "member": member,
                                                               "subject": "Certification: InMail history",
                                                               "body": "Would you like to talk about a role?"})["event"]
    answer = session.admin("POST", "/_mock/recruiter/replies", {"conversation": sent["conversation"],
                                                                 "body": "Yes, happy to talk.", "response": "ACCEPTED",
                                                                 "shareContactInfo": True})
    session.advance(15 * 60)
    return {"conversation": sent["conversation"], "seat": seat, "member": member,
            "stub": (answer.get("mailStub") or {}).get("id")}


CASES = (
    Case("Test Case 6", "One-Click Export of a new candidate", 3, CERT3,
         needs="A push receiver that checks X-LI-Signature, fetches exportedCandidates?q=request, creates the"
               " candidate for the job and attaches the person URN. Guided: none beyond the push receiver.",
         documented=("the exported candidate appears in the ATS as a candidate for that job",
                     "the profile widget in the ATS shows the exact match"),
         inferred=("the push is verified: the ATS fetches no requestId LinkedIn did not push (the run also sends"
                   " one push with a wrong signature)",
                   "exact match = the widget's member (manualMatchedMember, else the first automatic match) is the"
                   " exported member", "for that job = an application naming the job"),
         grade=grade_export, play=play_export, deadline_s=600),
    Case("Test Case 7", "Export of an existing candidate to a second job", 3, CERT3,
         needs="Recognise an exported member who is already a candidate. Guided: none beyond the push receiver.",
         documented=("the candidate is not duplicated", "the candidate is associated with both jobs"),
         inferred=("one candidate = one synced candidate the widget shows as that member",),
         grade=grade_second_export, play=play_second_export),
    Case("Test Case 8", "Manual profile link", 3, CERT3,
         needs="Sync a candidate with an invented identity and keep the member the recruiter links in the profile"
               " widget. Guided: hook actions createCandidate (member null) and profileLinked.",
         documented=("after a refresh the chosen LinkedIn profile is still displayed in the profile widget",
                     "the ATS candidate and LinkedIn profile mappings are updated (Attach Person URN)"),
         inferred=("still displayed = manualMatchedMember holds the member",
                   "mapping updated = the ATS's own mapping (profileLinked answer) or a read back of the candidate"),
         grade=grade_manual_link, play=play_manual_link),
    Case("Test Case 10", "InMail history", 3, CERT3,
         needs="Retrieve conversationEvents for the customer's seats (and mailStubs for shared contact details) on"
               " a schedule. Guided: hook action tick (the runner moves the clock 15 minutes).",
         documented=("a recruiter sends an InMail to a member and the member replies (the expected result is cut"
                     " off on LinkedIn's page)",),
         inferred=("the ATS retrieves every InMail event of the customer's seats since CSA_API was enabled"
                   " (conversationEvents)",
                   "a reply that shares contact details is retrieved as a stub profile (mailStubs)"),
         grade=grade_inmail, play=play_inmail, deadline_s=1800),
)

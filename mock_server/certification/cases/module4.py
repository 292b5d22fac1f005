"""Module 4 — Sync ACLs (RSC-401 to RSC-404; the older page calls them Test Case 14 to 17).

The guided run picks two seat holders of the customer, an assignee and an outsider, and asks the ATS to
create an ACL group with a restricted job and the assignee (hook ``createAcl``), to take an application of a
LinkedIn member to that job (``applyToJob``), then to remove and re-add the assignee (``removeAclAssignee``,
``addAclAssignee``); it judges what each seat sees in the One-Click Export drop-down and the In-ATS indicator.
"""

from __future__ import annotations

from mock_server.certification import requests as journal
from mock_server.certification.cases.common import CERT4, listing
from mock_server.certification.model import Case
from mock_server.certification.observed import job_name


def sees_job(obs, seat: dict, job: str) -> bool:
    """True when ``job`` is in the seat's One-Click Export drop-down."""
    return job in obs.export_jobs(seat)


def sees_application(obs, seat: dict, person: str, application: str) -> bool:
    """True when the seat's In-ATS indicator on ``person`` shows ``application``."""
    return any(item["atsJobApplicationId"] == application
               for candidate in obs.indicator(seat, person) for item in candidate["applications"])


def secured_jobs(obs) -> list[tuple[dict, set[str], set[str]]]:
    """``[(job, ACL groups, assignees)]`` of the customer's LISTED access-restricted jobs bound to a group."""
    groups: dict[tuple[str, str], set[str]] = {}
    for acl in obs.acls():
        groups.setdefault((acl["integrationContext"], acl["atsEntityId"]), set()).add(acl["atsEntityAclId"])
    members: dict[tuple[str, str], set[str]] = {}
    for assignee in obs.assignees():
        group = (assignee["integrationContext"], assignee["atsEntityAclId"])
        members.setdefault(group, set()).add(assignee["assignee"])
    found = []
    for job in obs.jobs():
        bound = groups.get((job["integrationContext"], job["externalJobPostingId"]), set())
        if job["state"] == "LISTED" and job.get("accessRestricted") and bound:
            people = set().union(*(members.get((job["integrationContext"], group), set()) for group in bound))
            found.append((job, bound, people))
    return found


def setup(obs, g) -> dict | None:
    """The secured job a grader judges: the guided run's, else the latest secured job with an assignee and an
    outsider holding seats. ``{"job", "integrationContext", "acl", "assignee", "outsider"}``."""
    subject = obs.subject or {}
    if subject.get("job"):
        return subject
    for job, groups, people in reversed(secured_jobs(obs)):
        assignee = next((person for person in sorted(people) if obs.seat_of(person)), None)
        outsider = next((seat["member"] for seat in obs.seats() if seat["member"] not in people), None)
        if assignee and outsider:
            return {"job": job["externalJobPostingId"], "integrationContext": job["integrationContext"],
                    "acl": sorted(groups)[0], "assignee": assignee, "outsider": outsider}
    g.wait("a LISTED access-restricted job bound to an ACL group, an assignee holding a seat and a seat holder"
           " outside the group")
    return None


def application_of(obs, subject: dict) -> tuple[str, str] | None:
    """``(application id, member)`` of an application to the secured job whose candidate is matched."""
    if subject.get("application"):
        return subject["application"], subject["member"]
    candidates = {doc["atsCandidateId"]: doc for doc in obs.candidates()}
    for doc in obs.applications():
        candidate = candidates.get(doc.get("atsCandidateId"))
        people = obs.matches(candidate) if candidate else []
        if doc.get("atsJobPostingId") == subject["job"] and people:
            return doc["atsJobApplicationId"], people[0]
    return None


def seats_of(obs, g, subject: dict):
    """``(assignee's seat, outsider's seat)``, or None after a wait naming who holds no seat."""
    seats = (obs.seat_of(subject["assignee"]), obs.seat_of(subject["outsider"]))
    for seat, person in zip(seats, (subject["assignee"], subject["outsider"]), strict=True):
        if seat is None:
            g.wait(f"{person} to hold an ACTIVE seat on {', '.join(obs.contracts)}")
            return None
    return seats


# ---- RSC-401 ---------------------------------------------------------------------------------------------------

def grade_secure_job(obs, g) -> str:
    """RSC-401: only the ACL's assignees see the secured job in the One-Click Export drop-down."""
    subject = setup(obs, g)
    if subject is None:
        return ""
    job = obs.job(subject["integrationContext"], subject["job"])
    if job is None:
        g.wait(f"the ATS to sync job {subject['job']}")
        return ""
    groups = {acl["atsEntityAclId"] for acl in obs.acls() if acl["atsEntityId"] == subject["job"]}
    if not job.get("accessRestricted") or subject["acl"] not in groups:
        g.wait(f"{job_name(job)} to be access-restricted and bound to ACL {subject['acl']}"
               f" (accessRestricted {job.get('accessRestricted')}, groups {listing(sorted(groups)) or 'none'})")
        return ""
    seats = seats_of(obs, g, subject)
    if seats is None:
        return ""
    inside, outside = seats
    if not sees_job(obs, inside, subject["job"]):
        g.wait(f"{subject['assignee']} (seat {inside['id']}) to see {job_name(job)} in the export drop-down: an"
               f" assignee of ACL {subject['acl']}")
    else:
        g.ok(f"seat {inside['id']} ({subject['assignee']}, assignee of ACL {subject['acl']}) sees {job_name(job)} in"
             " the export drop-down", entities=[job_name(job), f"seat {inside['id']}"])
    if sees_job(obs, outside, subject["job"]):
        g.fail(f"seat {outside['id']} ({subject['outsider']}, not in ACL {subject['acl']}) sees the secured"
               f" {job_name(job)} in the export drop-down", entities=[job_name(job), f"seat {outside['id']}"])
    else:
        g.ok(f"seat {outside['id']} ({subject['outsider']}) does not see {job_name(job)}",
             entities=[f"seat {outside['id']}"])
    return f"{job_name(job)} is exportable only by the assignees of ACL {subject['acl']}"


def play_secure_job(session) -> dict:
    """RSC-401: the ATS creates an ACL group, a job secured by it and adds the assignee."""
    return session.acl_setup()


# ---- RSC-402 ---------------------------------------------------------------------------------------------------

def grade_secure_application(obs, g) -> str:
    """RSC-402: an application to the secured job shows in the In-ATS indicator of assignees only."""
    subject = setup(obs, g)
    if subject is None:
        return ""
    found = application_of(obs, subject)
    if found is None:
        g.wait(f"an application of a matched candidate to the secured job {subject['job']}")
        return ""
    application, person = found
    seats = seats_of(obs, g, subject)
    if seats is None:
        return ""
    inside, outside = seats
    if sees_application(obs, inside, person, application):
        g.ok(f"seat {inside['id']} (assignee) sees application {application} in the In-ATS indicator of {person}",
             entities=[f"application {application}", f"seat {inside['id']}"])
    else:
        g.wait(f"seat {inside['id']} (assignee) to see application {application} on {person}'s profile")
    if sees_application(obs, outside, person, application):
        g.fail(f"seat {outside['id']} ({subject['outsider']}, not in ACL {subject['acl']}) sees application"
               f" {application} of the secured job {subject['job']} in the In-ATS indicator",
               entities=[f"application {application}", f"seat {outside['id']}"])
    else:
        g.ok(f"seat {outside['id']} (outsider) does not see application {application}",
             entities=[f"seat {outside['id']}"])
    return f"application {application} of the secured job is visible to assignees only"


def play_secure_application(session) -> dict:
    """RSC-402: a LinkedIn member applies to the secured job in the ATS."""
    return session.acl_application()


# ---- RSC-403 ---------------------------------------------------------------------------------------------------

def removals(obs) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """``(removed, re-added)``: ``[(entry, assignee key)]`` removed by the customer's BATCH_DELETEs, split by
    whether the assignee is still gone or was added again since."""
    removed = [(entry, key) for entry in obs.requests(resource="atsEntityAclAssignees", restli_method="BATCH_DELETE")
               for key in journal.accepted(entry, journal.ASSIGNEE_KEY)]
    current = {journal.canonical({part: doc[part] for part in journal.ASSIGNEE_KEY}) for doc in obs.assignees()}
    return ([(entry, key) for entry, key in removed if journal.canonical(key) not in current],
            [(entry, key) for entry, key in removed if journal.canonical(key) in current])


def grade_remove(obs, g) -> str:
    """RSC-403: a removed assignee no longer sees the secured jobs in the drop-down nor their applications in
    the indicator."""
    subject = obs.subject or {}
    if subject.get("job"):
        person, group = subject["assignee"], subject["acl"]
        still = [doc for doc in obs.assignees() if doc["assignee"] == person and doc["atsEntityAclId"] == group]
        if still:
            g.wait(f"the ATS to remove {person} from ACL {group} (atsEntityAclAssignees BATCH_DELETE)")
            return ""
        deleted = [entry for entry, key in removals(obs)[0]
                   if key["assignee"] == person and key["atsEntityAclId"] == group]
        g.ok(f"{person} is no longer an assignee of ACL {group}", requests=[e["id"] for e in deleted[:2]])
        pairs = [(person, group, subject["job"], subject.get("application"), subject.get("member"))]
    else:
        found, readded = removals(obs)
        if not found and readded:
            entry, key = readded[-1]
            g.ok(f"{key['assignee']} was removed from ACL {key['atsEntityAclId']} (request {entry['id']}) and has been"
                 " added again since (RSC-404): the journal shows the removal, the state shows the re-add",
                 requests=[entry["id"]], at=[entry["at"]])
            return "the ATS synced the removal of an ACL assignee"
        if not found:
            g.wait("an ACL assignee removed by the ATS (atsEntityAclAssignees BATCH_DELETE)")
            return ""
        entry, key = found[-1]
        g.ok(f"{key['assignee']} was removed from ACL {key['atsEntityAclId']} (request {entry['id']})",
             requests=[entry["id"]], at=[entry["at"]])
        jobs = [acl["atsEntityId"] for acl in obs.acls() if acl["atsEntityAclId"] == key["atsEntityAclId"]]
        pairs = [(key["assignee"], key["atsEntityAclId"], job, None, None) for job in jobs]
    visibility_after(obs, g, pairs, visible=False)
    return "the removed assignee sees neither the secured jobs nor their applications"


def visibility_after(obs, g, changes, visible: bool) -> None:
    """For each ``(person, group, job, application or None, member or None)``: the person's seat sees the job
    in the drop-down and the application in the indicator (``visible``), or sees neither — after the person
    was added back to (or removed from) the group."""
    change = "is back in" if visible else "was removed from"
    for person, group, job, application, member in changes:
        seat = obs.seat_of(person)
        if seat is None:
            g.wait(f"{person} to hold an ACTIVE seat")
            continue
        found = (application, member) if application else application_of(obs, {"job": job})
        for label, sees in ((f"job {job}", sees_job(obs, seat, job)),
                            *(((f"application {found[0]}", sees_application(obs, seat, found[1], found[0])),)
                              if found else ())):
            entities = [label, f"seat {seat['id']}"]
            if sees == visible:
                g.ok(f"seat {seat['id']} {'sees' if visible else 'no longer sees'} {label} ({person} {change} ACL"
                     f" {group})", entities=entities)
            elif visible:
                g.fail(f"seat {seat['id']} does not see {label} although {person} is back in ACL {group}",
                       entities=entities)
            else:
                g.fail(f"{label} is still visible to seat {seat['id']} after {person} was removed from ACL {group}",
                       entities=entities)


def play_remove(session) -> dict:
    """RSC-403: the ATS removes the assignee from the ACL group."""
    subject = session.acl_application()
    session.ask("removeAclAssignee", atsEntityAclId=subject["acl"], member=subject["assignee"])
    return subject


# ---- RSC-404 ---------------------------------------------------------------------------------------------------

def grade_readd(obs, g) -> str:
    """RSC-404: a re-added assignee sees the secured jobs and their applications again."""
    subject = obs.subject or {}
    if subject.get("job"):
        present = [doc for doc in obs.assignees()
                   if doc["assignee"] == subject["assignee"] and doc["atsEntityAclId"] == subject["acl"]]
        if not present:
            g.wait(f"the ATS to add {subject['assignee']} to ACL {subject['acl']} again")
            return ""
        cases = [(subject["assignee"], subject["acl"], subject["job"], subject.get("application"),
                  subject.get("member"))]
    else:
        readded = removals(obs)[1]
        if not readded:
            g.wait("an ACL assignee the ATS removed and added again")
            return ""
        entry, key = readded[-1]
        jobs = [acl["atsEntityId"] for acl in obs.acls() if acl["atsEntityAclId"] == key["atsEntityAclId"]]
        cases = [(key["assignee"], key["atsEntityAclId"], job, None, None) for job in jobs]
    visibility_after(obs, g, cases, visible=True)
    return "the re-added assignee sees the secured jobs and their applications again"


def play_readd(session) -> dict:
    """RSC-404: the ATS adds the assignee to the ACL group again."""
    subject = session.acl_application()
    session.ask("addAclAssignee", atsEntityAclId=subject["acl"], member=subject["assignee"])
    return subject


NEEDS = ("Sync ACL groups (atsEntityAcls), their members (atsEntityAclAssignees) and secured jobs"
         " (accessRestricted), and every change to them.")
CASES = (
    Case("RSC-401", "One-Click Export secure job posting", 4, CERT4,
         needs=NEEDS + " Guided: hook action createAcl.",
         documented=("create an ACL, a job assigned to it and users in it",
                     "an assigned user sees the secure job in One-Click Export; a user not assigned does not"),
         inferred=("users are the seat holders of the customer's contracts; visibility as the emulator's"
                   " One-Click Export drop-down shows it",),
         grade=grade_secure_job, play=play_secure_job, aliases=("Test Case 14",)),
    Case("RSC-402", "In-ATS indicator secure job posting", 4, CERT4,
         needs=NEEDS + " Guided: hook action applyToJob.",
         documented=("sync a candidate and an application to the secured job",
                     "an assigned user sees it in the In-ATS indicator; a user not assigned does not"),
         inferred=("the application is judged on the profile of the member its candidate matches",),
         grade=grade_secure_application, play=play_secure_application, aliases=("Test Case 15",)),
    Case("RSC-403", "Remove ACL assignee", 4, CERT4,
         needs=NEEDS + " Guided: hook action removeAclAssignee.",
         documented=("remove users from the ACL",
                     "a removed user no longer sees the secured jobs in the One-Click Export drop-down nor in the"
                     " In-ATS indicator for any candidate"),
         inferred=("passively: the latest assignee removal in the journal is judged; one added back since is"
                   " judged by the journal alone",),
         grade=grade_remove, play=play_remove, aliases=("Test Case 16",)),
    Case("RSC-404", "Re-add ACL assignee", 4, CERT4,
         needs=NEEDS + " Guided: hook action addAclAssignee.",
         documented=("re-add users to the security group",
                     "a re-added user sees the secured jobs in the drop-down and in the In-ATS indicator again"),
         inferred=("passively: an assignee removed and later synced again is judged",),
         grade=grade_readd, play=play_readd, aliases=("Test Case 17",)),
)

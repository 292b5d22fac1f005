"""The reference ATS's own data: a deliberately tiny applicant tracking system, one :class:`Tenant` per
customer, with jobs, candidates, applications (with notes, stages and interview feedback) and security
groups. Nothing here knows LinkedIn; :mod:`.connector` maps it onto RSC.

:func:`seed` fills a tenant with three years of history relative to ``now`` (epoch ms): open and closed
jobs, one of them secured by a group, candidates (some with the e-mail address of a member of the emulator's
demo tenant, so LinkedIn matches them), applications to open and closed jobs.
"""

from __future__ import annotations

import dataclasses
import itertools

DAY_MS = 86_400_000


@dataclasses.dataclass
class Note:
    """A note on a candidate or an application."""

    id: str
    text: str
    author: str
    created_at: int


@dataclasses.dataclass
class Stage:
    """One step of an application's pipeline ("Phone Screen", "Onsite Interview", …)."""

    id: str
    name: str
    created_at: int


@dataclasses.dataclass
class Feedback:
    """An interviewer's feedback on an application."""

    id: str
    interviewer: str
    text: str
    score: str
    created_at: int


@dataclasses.dataclass
class Job:
    """A requisition. ``status`` is ``open``, ``closed`` or ``draft`` (never synced); ``group`` the
    security group that may see it (None: everyone)."""

    id: str
    title: str
    description: str
    location: str
    status: str
    availability: str  # PUBLIC or PRIVATE, as the customer chose
    created_at: int
    group: str | None = None


@dataclasses.dataclass
class Candidate:
    """A person in the ATS; ``linkedin_member`` is the LinkedIn match the ATS keeps (person URN)."""

    id: str
    first_name: str
    last_name: str
    emails: list[str]
    phones: list[str]
    company: str
    title: str
    city: str
    created_at: int
    modified_at: int
    notes: list[Note] = dataclasses.field(default_factory=list)
    linkedin_member: str | None = None


@dataclasses.dataclass
class Application:
    """A candidate's application to a job."""

    id: str
    candidate_id: str
    job_id: str
    source: str
    created_at: int
    modified_at: int
    stages: list[Stage] = dataclasses.field(default_factory=list)
    notes: list[Note] = dataclasses.field(default_factory=list)
    feedback: list[Feedback] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Group:
    """A security group: the LinkedIn person URNs of its members."""

    id: str
    name: str
    members: set[str] = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Tenant:
    """One customer of the ATS. ``offers_availability_choice``: the customer picks PUBLIC or PRIVATE per job
    (RSC-102); ``origin`` is where its ATS pages live."""

    customer: str
    name: str
    jobs: dict[str, Job] = dataclasses.field(default_factory=dict)
    candidates: dict[str, Candidate] = dataclasses.field(default_factory=dict)
    applications: dict[str, Application] = dataclasses.field(default_factory=dict)
    groups: dict[str, Group] = dataclasses.field(default_factory=dict)
    offers_availability_choice: bool = True
    counter: itertools.count = dataclasses.field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        """A fresh id: ``CAND-7``, ``JOB-12`` …"""
        return f"{prefix}-{next(self.counter) + 100}"

    def applications_of(self, candidate_id: str) -> list[Application]:
        """The applications of a candidate."""
        return [app for app in self.applications.values() if app.candidate_id == candidate_id]

    def totals(self) -> dict:
        """What the ATS's settings page shows LinkedIn's engineer: jobs (open / closed), candidates,
        applications (drafts are not counted: they are never synced)."""
        jobs = [job for job in self.jobs.values() if job.status != "draft"]
        return {"jobs": {"LISTED": sum(job.status == "open" for job in jobs),
                         "CLOSED": sum(job.status == "closed" for job in jobs)},
                "candidates": len(self.candidates), "applications": len(self.applications)}


DESCRIPTION = ("We are looking for someone who enjoys hard problems and good company. You will work with a small"
               " team, own your results from the first day and learn something new every week.")

JOBS = (  # title, location, status, availability, days ago, group
    ("Senior Software Engineer", "San Francisco, CA", "open", "PRIVATE", 40, None),
    ("Product Designer", "New York, NY", "open", "PUBLIC", 120, None),
    ("Data Analyst", "Austin, TX", "open", "PRIVATE", 300, None),
    ("Site Reliability Engineer", "Seattle, WA", "open", "PRIVATE", 500, None),
    ("Head of Engineering", "San Francisco, CA", "open", "PRIVATE", 200, "EXECUTIVES"),
    ("Recruiting Coordinator", "Chicago, IL", "closed", "PRIVATE", 650, None),
    ("Support Engineer", "Denver, CO", "closed", "PUBLIC", 900, None),
    ("QA Engineer", "Boston, MA", "closed", "PRIVATE", 1000, None),
)

PEOPLE = (  # first, last, email (a demo-tenant member's where LinkedIn should match), company, title, days ago
    ("Vicki", "Mendez", "vicki.mendez@example.com", "Initech", "Software Engineer", 950),
    ("Luis", "Shaffer", "luis.shaffer@example.com", "Globex", "Designer", 820),
    ("Lisa", "Brown", "lbrown15@example.org", "Umbrella", "Analyst", 700),
    ("Jeffrey", "Ford", "jford16@example.org", "Hooli", "SRE", 480),
    ("Karen", "Zuniga", "kzuniga17@example.org", "Stark Industries", "VP Engineering", 190),
    ("Ryan", "Liu", "rliu28@example.org", "Wayne Enterprises", "QA Lead", 990),
    ("Cheryl", "Jensen", "cjensen20@example.org", "Soylent", "Support Engineer", 880),
    ("Tomasz", "Invented", "tomasz.invented@ats.example", "Nowhere Ltd", "Engineer", 60),
    ("Amara", "Fictive", "amara.fictive@ats.example", "Nowhere Ltd", "Analyst", 30),
)

APPLICATIONS = (  # candidate index, job index, days ago, stages
    (0, 7, 940, ("Applied", "Phone Screen", "Rejected")),
    (0, 0, 35, ("Applied", "Onsite Interview")),
    (1, 1, 110, ("Applied", "Phone Screen")),
    (1, 6, 800, ("Applied", "Hired")),
    (2, 2, 290, ("Applied",)),
    (3, 3, 470, ("Applied", "Phone Screen", "Onsite Interview")),
    (4, 4, 180, ("Applied", "Phone Screen")),
    (5, 7, 985, ("Applied", "Offer Extended", "Hired")),
    (6, 5, 640, ("Applied", "Rejected")),
    (7, 0, 55, ("Applied",)),
    (8, 2, 25, ("Applied", "Phone Screen")),
)

RECRUITERS = ("urn:li:person:demo-recruiter", "urn:li:person:demo-sourcer", "urn:li:person:demo-hiring-lead")


def seed(tenant: Tenant, now: int) -> Tenant:
    """Fill ``tenant`` with the history above, dated back from ``now`` (epoch ms)."""
    tenant.groups["EXECUTIVES"] = Group("EXECUTIVES", "Executive searches", {RECRUITERS[0]})
    jobs = []
    for title, location, status, availability, days, group in JOBS:
        job = Job(tenant.new_id("JOB"), title, f"{title}. {DESCRIPTION}", location, status, availability,
                  now - days * DAY_MS, group)
        tenant.jobs[job.id] = job
        jobs.append(job)
    people = []
    for index, (first, last, email, company, title, days) in enumerate(PEOPLE):
        created = now - days * DAY_MS
        candidate = Candidate(tenant.new_id("CAND"), first, last, [email], [f"+1 555 010{index}"], company, title,
                              "Springfield", created, created + DAY_MS)
        candidate.notes.append(Note(tenant.new_id("CNOTE"), f"Met {first} at a meetup; strong communicator.",
                                    "Riley Recruiter", created + DAY_MS))
        tenant.candidates[candidate.id] = candidate
        people.append(candidate)
    for person, job, days, stages in APPLICATIONS:
        created = now - days * DAY_MS
        app = Application(tenant.new_id("APP"), people[person].id, jobs[job].id, "Referral", created,
                          created + len(stages) * DAY_MS)
        app.stages = [Stage(tenant.new_id("STAGE"), name, created + step * DAY_MS) for step, name in enumerate(stages)]
        app.notes.append(Note(tenant.new_id("ANOTE"), "Good fit for the team.", "Priya Natarajan", created + DAY_MS))
        app.feedback.append(Feedback(tenant.new_id("FB"), "Marcus Chen", "Clear thinker, would hire.", "4/5",
                                     created + 2 * DAY_MS))
        tenant.applications[app.id] = app
    return tenant

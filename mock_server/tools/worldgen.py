"""``rsc-mock fixtures generate``: a realistic fixture world built with Faker, reproducible from a seed.

A world is a partner application, ``customers`` customer applications (each with an organization, a
Recruiter contract and the four RSC integrations pre-approved and enabled), ``members`` LinkedIn members
(the first ``seats`` of them recruiters holding the seats, spread over the contracts), InMail conversations
between seats and prospects, the stub profiles shared in accepted replies, and prospect notes.

Every timestamp lies in the ``WINDOW_DAYS`` days before ``epoch_ms`` (a fixed instant, never the wall clock),
so the same seed and arguments give the same bytes (with the same Faker version). Fixtures are static:
clients that want "the last 12 hours" compute windows from these timestamps or move the emulator's clock.

Numbering keeps clear of what provisioning hands out later (applications from 100, organizations from 1001,
contracts from 2001): children are ``urn:li:developerApplication:11..``, organizations ``100001..``, contracts
``200001..``, seats ``300001..``. Credentials: partner ``world-partner`` / ``world-partner-secret``, customer
*n* ``world-customer-n`` / ``world-customer-n-secret``.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import random
import re
import sys
from pathlib import Path
from typing import TextIO

from faker import Faker

from mock_server.api.oauth.three_legged import CALLBACK_PATH
from mock_server.domain.fixtures import KINDS, load_dir
from mock_server.domain.integrations import RSC_TYPES, integration_key_of
from mock_server.domain.recruiter.interactions import (
    PERSON_PREFIX,
    event_doc,
    mail_stub_doc,
    note_doc,
    seat_urn,
    thread_urn,
)

DEFAULT_EPOCH_MS = 1767225600000  # 2026-01-01T00:00:00Z
DEFAULT_ORIGIN = "http://localhost:8080"
ORIGIN = re.compile(r"https?://[^/\s?#]+")
DAY_MS = 24 * 3600 * 1000
HOUR_MS = 3600 * 1000
WINDOW_DAYS = 90
MAX_CUSTOMERS = 80  # child application numbers stay below provisioning's first number (100)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

SUBJECTS = ("{title} opportunity at {company}", "Exploring {a_title} role at {company}",
            "Quick question about your next move", "{company} is hiring: {title}")
OUTREACH = (
    "Hi {first},\n\nYour experience as {current} stood out to me. We are hiring {a_title} at {company} and I"
    " think you would be a great fit. Would you be open to a short call this week?\n\nBest,\n{recruiter}",
    "Hello {first},\n\nI lead recruiting for {company}. We are growing the team and looking for {a_title}."
    " Your background at {employer} is exactly what we need. Interested in hearing more?\n\n{recruiter}",
    "Hi {first}, I hope you are well. I'm reaching out about {a_title} position at {company}; happy to share"
    " details on the team, compensation and remote options if you are curious. {recruiter}",
)
ACCEPTS = ("Hi {recruiter_first}, thanks for reaching out! I'd be happy to chat, here are my contact details.",
           "Thanks {recruiter_first}, the role sounds interesting. Feel free to call me any afternoon.",
           "Hello {recruiter_first}, yes, I'm open to new opportunities. Let's set up a call.")
DECLINES = ("Thanks {recruiter_first}, but I'm not looking for a new role right now.",
            "Hi {recruiter_first}, I appreciate it, but I'm happy where I am. Maybe next year.")
FOLLOW_UPS = ("Great, thanks {first}! I'll send over a calendar invite for Thursday.",
              "Thanks {first}, looking forward to it. I've shared the job description by email.")
NOTES = ("Strong {skill} background; worth a call about the {title} role.",
         "Phone screen done: open to relocation, would join in {months} months.",
         "Not interested right now, follow up in {months} months.",
         "Referred by {referrer}. Solid {skill} experience, good culture fit.",
         "Prefers remote work; expects a senior title. Keep warm for the {title} opening.")
SKILLS = ("Python", "Java", "data analysis", "sales", "product management", "UX design", "accounting",
          "project management", "cloud infrastructure", "customer success")


@dataclasses.dataclass(frozen=True)
class WorldSpec:
    """What to generate. ``conversations`` and ``notes`` default (``None``) to half and a third of the
    prospects; ``epoch_ms`` is the instant every timestamp precedes."""

    seed: int = 1
    members: int = 200
    seats: int = 5
    customers: int = 1
    conversations: int | None = None
    notes: int | None = None
    epoch_ms: int = DEFAULT_EPOCH_MS
    origin: str = DEFAULT_ORIGIN

    def check(self) -> None:
        """``ValueError`` naming the argument when the numbers (or the origin) cannot make a world."""
        if not ORIGIN.fullmatch(self.origin):
            raise ValueError(f"--origin must be scheme://host[:port] with no path, e.g. {DEFAULT_ORIGIN}"
                             f" (got {json.dumps(self.origin)})")
        if not 1 <= self.customers <= MAX_CUSTOMERS:
            raise ValueError(f"--customers must be between 1 and {MAX_CUSTOMERS}")
        if self.seats < self.customers:
            raise ValueError("--seats must be at least --customers (every contract needs a seat)")
        if self.members <= self.seats:
            raise ValueError("--members must be more than --seats (seat holders are members too)")
        for name in ("conversations", "notes"):
            if (getattr(self, name) or 0) < 0:
                raise ValueError(f"--{name} must not be negative")
        if self.epoch_ms < WINDOW_DAYS * DAY_MS:
            raise ValueError(f"--epoch must be at least {WINDOW_DAYS} days after 1970")

    @property
    def conversation_count(self) -> int:
        """Conversations to draw: ``conversations``, else half the prospects."""
        return (self.members - self.seats) // 2 if self.conversations is None else self.conversations

    @property
    def note_count(self) -> int:
        """Notes to draw: ``notes``, else a third of the prospects."""
        return (self.members - self.seats) // 3 if self.notes is None else self.notes


class Progress:
    """Progress of a large job (``total >= threshold`` steps) on ``stream`` (stderr): a one-line bar redrawn in
    place on a terminal, else one line at every tenth of the way (a log or a CI console keeps each line)."""

    def __init__(self, total: int, stream: TextIO | None = None, threshold: int = 2000, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.total, self.width, self.done = total, width, 0
        self.enabled = total >= threshold
        self.terminal = self.stream.isatty()
        self._drawn = -1

    def step(self, label: str) -> None:
        """One unit of work done on ``label``."""
        self.done += 1
        if not self.enabled:
            return
        if self.terminal:
            filled = self.width * self.done // max(self.total, 1)
            if filled != self._drawn or self.done == self.total:
                self._drawn = filled
                bar = "#" * filled + "-" * (self.width - filled)
                self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label:<14}")
                self.stream.flush()
        else:
            tenth = 10 * self.done // max(self.total, 1)
            if tenth != self._drawn and (tenth > 0 or self.done == 1):
                self._drawn = tenth
                self.note(f"generating: {self.done}/{self.total} ({10 * tenth}%) {label}")

    def note(self, text: str) -> None:
        """A line of its own (a phase of the job), when the job is large."""
        if self.enabled:
            self.stream.write(("\n" if self.terminal and self._drawn >= 0 else "") + text + "\n")
            self.stream.flush()
            self._drawn = -1 if self.terminal else self._drawn

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self.terminal and self._drawn >= 0:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = -1


class _Builder:
    """Draws one world from a seeded ``random.Random`` and a seeded Faker."""

    def __init__(self, spec: WorldSpec, progress: Progress) -> None:
        self.spec, self.progress = spec, progress
        self.rng = random.Random(spec.seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(spec.seed)
        self.used_ids: set[str] = set()
        self.used_emails: set[str] = set()
        self.used_numbers: set[int] = set()

    # ---- identities ----------------------------------------------------------------------------------

    def member_id(self) -> str:
        """A fresh person id like ``mej23dp01``."""
        while True:
            letters = "abcdefghijklmnopqrstuvwxyz"
            candidate = ("m" + "".join(self.rng.choice(letters) for _ in range(2)) + f"{self.rng.randrange(100):02d}"
                         + "".join(self.rng.choice(letters) for _ in range(2)) + f"{self.rng.randrange(100):02d}")
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def number(self, low: int, high: int) -> int:
        """A fresh id in [low, high)."""
        while True:
            value = self.rng.randrange(low, high)
            if value not in self.used_numbers:
                self.used_numbers.add(value)
                return value

    def token(self, size: int) -> str:
        """``size`` random bytes, URL-safe base64 without padding."""
        return base64.urlsafe_b64encode(self.rng.getrandbits(size * 8).to_bytes(size, "big")).decode().rstrip("=")

    def instant(self, low: int | None = None) -> int:
        """A random epoch-ms instant in the window before the epoch (after ``low`` when given)."""
        start = max(self.spec.epoch_ms - WINDOW_DAYS * DAY_MS, low if low is not None else 0)
        return self.rng.randrange(start, self.spec.epoch_ms)

    # ---- members -------------------------------------------------------------------------------------------

    def member(self, title: str | None = None, company: str | None = None) -> dict:
        """A member; a recruiter at ``company`` when ``title`` is given."""
        first, last = self.fake.first_name(), self.fake.last_name()
        member_id = self.member_id()
        slug = re.sub(r"[^a-z0-9]+", "", first.lower()) + "." + re.sub(r"[^a-z0-9]+", "", last.lower())
        email = f"{slug}@{self.rng.choice(EMAIL_DOMAINS)}"
        if email in self.used_emails:
            email = f"{slug}{member_id[-2:]}{self.rng.randrange(1000)}@{self.rng.choice(EMAIL_DOMAINS)}"
        self.used_emails.add(email)
        title = title or self.fake.job()
        company = company or self.fake.company()
        doc = {"id": member_id, "firstName": first, "lastName": last, "emailAddresses": [email],
               "headline": f"{title} at {company}", "location": f"{self.fake.city()}, {self.fake.state()}",
               "profileUrl": f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{member_id[1:5]}",
               "currentPosition": {"title": title, "companyName": company}}
        if self.rng.random() < 0.5:
            doc["phoneNumbers"] = [self.fake.phone_number()]
        self.progress.step("members")
        return doc

    # ---- the world -------------------------------------------------------------------------------------------

    def build(self) -> dict[str, list[dict]]:
        spec = self.spec
        companies: list[str] = []
        while len(companies) < spec.customers:
            name = self.fake.company()
            if name not in companies:
                companies.append(name)
        applications = [{"key": "urn:li:developerApplication:1", "kind": "parent", "clientId": "world-partner",
                         "clientSecret": "world-partner-secret", "name": "Generated ATS",
                         "description": f"Partner application of a generated world (seed {spec.seed})",
                         "createdAt": spec.epoch_ms - 365 * DAY_MS}]
        contracts, integrations = [], []
        for index, company in enumerate(companies):
            number = index + 1
            organization, contract = f"urn:li:organization:{100000 + number}", f"urn:li:contract:{200000 + number}"
            applications.append({
                "key": f"urn:li:developerApplication:{10 + number}", "kind": "child",
                "parent": "urn:li:developerApplication:1", "clientId": f"world-customer-{number}",
                "clientSecret": f"world-customer-{number}-secret", "name": f"Generated ATS - {company}"[:50],
                "description": f"Customer application of {company}",
                "uniqueForeignId": re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-") + f"-{number}",
                "validJsSdkDomains": own_origins(spec.origin),
                "oauth2AuthorizedCallbackUrls": [origin + CALLBACK_PATH for origin in own_origins(spec.origin)],
                "organizations": [organization], "contracts": [contract], "createdAt": spec.epoch_ms - 200 * DAY_MS})
            contracts.append({"contract": contract, "organization": organization, "name": f"{company} Recruiter"})
            for integration_type in RSC_TYPES:
                integrations.append({
                    **integration_key_of(contract if integration_type == "CSA_API" else organization, integration_type),
                    "integrationName": f"{company} {integration_type.replace('_', ' ').title()}"[:200],
                    "preApprovedAt": spec.epoch_ms - 120 * DAY_MS, "enabledAt": spec.epoch_ms - 120 * DAY_MS + HOUR_MS})

        members, seats = [], []
        for index in range(spec.seats):
            customer = index % spec.customers
            title = "Technical Recruiter" if index >= spec.customers else "Head of Talent Acquisition"
            recruiter = self.member(title, companies[customer])
            if index < spec.customers:
                recruiter["admin"] = True
            members.append(recruiter)
            state = "ACTIVE" if index < spec.customers or self.rng.random() < 0.85 else \
                self.rng.choice(("INACTIVE", "INVITED", "PARKED"))
            seats.append({"id": 300001 + index, "contract": contracts[customer]["contract"],
                          "member": PERSON_PREFIX + recruiter["id"], "state": state})
        prospects = [self.member() for _ in range(spec.members - spec.seats)]
        members += prospects
        world: dict[str, list[dict]] = {"applications": applications, "contracts": contracts,
                                        "integrations": integrations, "members": members, "seats": seats}
        world.update(self.interactions(seats, members, prospects))
        return world

    def interactions(self, seats: list[dict], members: list[dict], prospects: list[dict]) -> dict[str, list[dict]]:
        """Conversations, the stub profiles of accepted replies, and prospect notes."""
        spec = self.spec
        by_urn = {PERSON_PREFIX + doc["id"]: doc for doc in members}
        conversations, stubs = [], []
        for _ in range(spec.conversation_count):
            seat = self.rng.choice(seats)
            prospect = self.rng.choice(prospects)
            conversation, stub = self.conversation(seat, by_urn[seat["member"]], prospect)
            conversations.append(conversation)
            if stub:
                stubs.append(stub)
            self.progress.step("conversations")
        notes = []
        for _ in range(spec.note_count):
            notes.append(self.note(self.rng.choice(seats), self.rng.choice(prospects)))
            self.progress.step("notes")
        return {"conversations": sorted(conversations, key=lambda c: (c["events"][0]["createdAt"], c["id"])),
                "mailStubs": sorted(stubs, key=lambda d: (d["created"], d["id"])),
                "prospectNotes": sorted(notes, key=lambda d: (d["lastModified"], d["id"]))}

    def conversation(self, seat: dict, recruiter: dict, prospect: dict) -> tuple[dict, dict | None]:
        """One InMail thread: an outreach, maybe a reply (accepted or declined), maybe a follow-up; and the
        stub profile when an accepted reply shared contact details."""
        spec, rng = self.spec, self.rng
        company = recruiter["currentPosition"]["companyName"]
        title = self.fake.job()
        position = prospect["currentPosition"]
        words = {"first": prospect["firstName"], "title": title, "a_title": article(title), "company": company,
                 "current": position["title"], "employer": position["companyName"],
                 "recruiter": f"{recruiter['firstName']} {recruiter['lastName']}",
                 "recruiter_first": recruiter["firstName"]}
        seat_id, person = seat_urn(seat["id"]), PERSON_PREFIX + prospect["id"]
        thread = "2-" + self.token(16)
        sent_at = self.instant()
        events = [event_doc(self.token(9), "SENT", seat_id, rng.choice(OUTREACH).format(**words), sent_at,
                            subject=rng.choice(SUBJECTS).format(**words))]
        stub = None
        reply_at = sent_at + rng.randrange(HOUR_MS, 4 * DAY_MS)
        if rng.random() < 0.6 and reply_at < spec.epoch_ms:
            accepted = rng.random() < 0.65
            text = rng.choice(ACCEPTS if accepted else DECLINES).format(**words)
            events.append(event_doc(self.token(9), "RECEIVED", person, text, reply_at,
                                    response="ACCEPTED" if accepted else "DECLINED"))
            if accepted and rng.random() < 0.6:
                phone = (prospect.get("phoneNumbers") or [self.fake.phone_number()])[0]
                stub = mail_stub_doc(self.number(10**9, 2 * 10**9), seat, prospect, reply_at, phone, thread_urn(thread))
            follow_at = reply_at + rng.randrange(10 * 60 * 1000, DAY_MS)
            if accepted and rng.random() < 0.5 and follow_at < spec.epoch_ms:
                events.append(event_doc(self.token(9), "SENT", seat_id, rng.choice(FOLLOW_UPS).format(**words),
                                        follow_at))
        return {"id": thread, "contract": seat["contract"], "seat": seat_id, "member": person, "events": events}, stub

    def note(self, seat: dict, prospect: dict) -> dict:
        """A prospect note; some edited later, some deleted (``active: false``)."""
        rng = self.rng
        text = rng.choice(NOTES).format(skill=rng.choice(SKILLS), title=self.fake.job(), months=rng.randrange(2, 10),
                                        referrer=self.fake.name())
        created = self.instant()
        modified = self.instant(created) if rng.random() < 0.3 else created
        return note_doc(self.number(10**9, 2 * 10**9), seat, PERSON_PREFIX + prospect["id"], text,
                        "PUBLIC" if rng.random() < 0.7 else "PRIVATE", created, modified, active=rng.random() >= 0.1)


def own_origins(origin: str) -> list[str]:
    """``origin`` and, for ``localhost`` or ``127.0.0.1``, the same port under the other name: the origins a
    browser may show for the emulator's own pages (the example page, the consent callback)."""
    twins = {"//localhost": "//127.0.0.1", "//127.0.0.1": "//localhost"}
    for name, twin in twins.items():
        if name + ":" in origin or origin.endswith(name):
            return [origin, origin.replace(name, twin, 1)]
    return [origin]


def article(noun: str) -> str:
    """``noun`` with its indefinite article (``an engineer``, ``a designer``)."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def generate(spec: WorldSpec, stream: TextIO | None = None) -> dict[str, list[dict]]:
    """The world ``{kind: [document, ...]}`` for ``spec``; progress on ``stream`` (stderr) when the world is
    large (:class:`Progress`). ``ValueError`` when ``spec`` cannot make a world."""
    spec.check()
    progress = progress_of(spec, stream)
    try:
        return _Builder(spec, progress).build()
    finally:
        progress.close()


def progress_of(spec: WorldSpec, stream: TextIO | None) -> Progress:
    """The progress of generating ``spec``: one step per member, conversation and note."""
    return Progress(spec.members + spec.conversation_count + spec.note_count, stream)


def dumps(documents: list[dict]) -> str:
    """The canonical text of a fixture file: sorted keys, one-space indent, UTF-8, final newline."""
    return json.dumps(documents, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def existing_files(directory: Path) -> list[str]:
    """The fixture files (``<kind>.json`` of a known kind) already in ``directory``, sorted."""
    directory = Path(directory)
    return sorted(f"{kind}.json" for kind in KINDS if (directory / f"{kind}.json").exists())


def generate_dir(spec: WorldSpec, directory: Path, stream: TextIO | None = None,
                 overwrite: bool = False) -> dict[str, list[dict]]:
    """Generate a world, write one ``<kind>.json`` per kind into ``directory`` (created if missing) and
    validate the directory with :func:`mock_server.domain.fixtures.load_dir` (``FixtureError`` when invalid).
    Returns what ``load_dir`` read. ``FileExistsError`` naming them when ``directory`` already holds fixture
    files and ``overwrite`` is false (checked before any work); ``ValueError`` when ``spec`` cannot make a world.
    A large world reports its progress and each phase on ``stream`` (stderr)."""
    directory = Path(directory)
    taken = existing_files(directory)
    if taken and not overwrite:
        raise FileExistsError(f"{directory} already holds {', '.join(taken)}")
    spec.check()
    progress = progress_of(spec, stream)
    try:
        world = _Builder(spec, progress).build()
        progress.close()
        progress.note(f"writing {len(world)} files to {directory}")
        directory.mkdir(parents=True, exist_ok=True)
        for kind, documents in world.items():
            (directory / f"{kind}.json").write_text(dumps(documents), encoding="utf-8")
        progress.note(f"validating {directory}")
        return load_dir(directory)
    finally:
        progress.close()

"""The RSC connector of the reference ATS: everything between the ATS's data (:mod:`.ats`) and LinkedIn
(:mod:`.linkedin`).

* **Onboarding** (module 1): :meth:`Connector.onboard` provisions the customer's child application (or finds
  it: ``provisionedApplications`` CREATE, on 409 the ``credentialsByUniqueForeignId`` finder), keeps its
  credentials and adds the ATS's origin to its ``validJsSdkDomains``; :meth:`Connector.integrations_approved`
  takes what the configuration widget's ``data-onintegrate`` callback receives, names every integration and
  configures ``CALLBACK_URL``. The historical sync starts when LinkedIn pushes INTEGRATION_STATUS_CHANGE with
  the integrations enabled.
* **Sync** (module 2): jobs (``simpleJobPostings`` + task polls), ACL groups and members (module 4),
  candidates on the versioned ``rest/candidates`` (``LinkedIn-Version``; the migration path of RSC-505) with
  their notes (then a read back of each one's LinkedIn match), applications with notes, stages and interview
  feedback. Every ATS change goes out at once; what is not migrated yet stays on ``/v2`` (the same records:
  a partner migrates resource by resource).
* **Pushes** (module 3): :meth:`Connector.receive_push` checks ``X-LI-Signature`` (HMAC-SHA256 of
  ``"hmacsha256=" + body`` keyed with the customer's client secret) and handles the push in the background:
  an export becomes a candidate for the job, matched to the member ("Attach Person URN"); a status change
  updates the status page. :meth:`Connector.tick` polls InMail history and shared stub profiles.
* **Deletes** (module 5): a candidate's delete removes its notes and applications too.

:class:`Flaws` turns single behaviours wrong (the broken variants the certification tests catch).
All LinkedIn traffic of the connector goes through one lock, so pushes and ATS actions never interleave.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
import time

from . import ats
from .linkedin import LinkedIn, LinkedInError, key_path, key_string

RSC_BUNDLE_TYPES = ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN", "CSA_API")
WINDOW_MS = 12 * 3600 * 1000      # LinkedIn's longest InMail-history window per call
HISTORY_DAYS = 365                # what the no-history flaw keeps


@dataclasses.dataclass(frozen=True)
class Flaws:
    """Single wrong behaviours, each off by default (``--flaw NAME``)."""

    skip_closed_jobs: bool = False      # the historical sync leaves closed jobs out
    ignore_acl_removals: bool = False   # removing a user from a group is not synced
    skip_signature_check: bool = False  # pushes are trusted without checking X-LI-Signature
    no_cascade_deletes: bool = False    # deleting a candidate leaves its applications at LinkedIn
    sync_before_enabled: bool = False   # the historical sync runs at onboarding, before the admin enables RSC
    v2_only: bool = False               # never calls the versioned /rest APIs
    no_history: bool = False            # syncs only the last year

    @classmethod
    def named(cls, names) -> Flaws:
        """Flaws from their option names (``skip-closed-jobs`` …); ``ValueError`` for an unknown one."""
        known = {field.name.replace("_", "-") for field in dataclasses.fields(cls)}
        unknown = sorted(set(names) - known)
        if unknown:
            raise ValueError(f"unknown flaw {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**{name.replace("-", "_"): True for name in names})


@dataclasses.dataclass
class Link:
    """What the ATS stores about one customer's RSC connection (RSC-101): the child application's
    credentials, the integration mappings, the status LinkedIn pushed, the state of the historical sync."""

    customer: str
    application: str
    client_id: str
    client_secret: str
    api: LinkedIn
    organization: str | None = None
    contract: str | None = None
    integrations: dict[str, bool] = dataclasses.field(default_factory=dict)
    callback_url: str | None = None
    historical: str = "not started"
    last_poll: int | None = None
    errors: list[str] = dataclasses.field(default_factory=list)
    inmails: list[dict] = dataclasses.field(default_factory=list)
    stubs: list[dict] = dataclasses.field(default_factory=list)

    @property
    def enabled(self) -> bool:
        """True when the admin enabled One-Click Export or the In-ATS indicator."""
        return self.integrations.get("ONE_CLICK_EXPORT", False) or self.integrations.get("IN_ATS_INDICATOR", False)


class Connector:
    """The ATS's RSC connector. ``linkedin_url`` is where LinkedIn's hosts are (the emulator), ``public_url``
    the ATS's own base URL (its callback receiver and its pages), ``partner`` the partner application's
    ``(client id, client secret)``."""

    def __init__(self, linkedin_url: str, public_url: str, partner: tuple[str, str],
                 flaws: Flaws | None = None) -> None:
        self.linkedin_url = linkedin_url.rstrip("/")
        self.public_url = public_url.rstrip("/")
        self.partner = LinkedIn(self.linkedin_url, *partner)
        self.flaws = flaws or Flaws()
        self.tenants: dict[str, ats.Tenant] = {}
        self.links: dict[str, Link] = {}
        self.lock = threading.RLock()
        self.clock_ms = 0
        self.workers: list[threading.Thread] = []
        self.closing = threading.Event()

    @property
    def versioned(self) -> bool:
        """True when the connector uses the versioned ``/rest`` resources it has migrated to (not under the
        ``v2-only`` flaw)."""
        return not self.flaws.v2_only

    def close(self) -> None:
        """Refuse new pushes (503), wait for background work and close the HTTP clients."""
        self.closing.set()
        deadline = time.monotonic() + 30
        while (alive := [worker for worker in self.workers if worker.is_alive()]) and time.monotonic() < deadline:
            for worker in alive:  # a push accepted just before closing may add one more worker: look again
                worker.join(timeout=max(0.0, deadline - time.monotonic()))
        self.partner.close()
        for link in self.links.values():
            link.api.close()

    def now(self) -> int:
        """The ATS's clock, epoch ms (never behind the last ``tick``)."""
        return max(int(time.time() * 1000), self.clock_ms)

    def tenant(self, customer: str) -> ats.Tenant:
        """The ATS tenant of ``customer`` (an empty one for a customer the ATS has no data for yet)."""
        if customer not in self.tenants:
            self.tenants[customer] = ats.Tenant(customer, customer.title())
        return self.tenants[customer]

    def link(self, customer: str) -> Link:
        """The RSC connection of ``customer``; ``KeyError`` before onboarding."""
        return self.links[customer]

    # ---- onboarding ------------------------------------------------------------------------------------------

    def onboard(self, customer: str) -> Link:
        """Provision (or find) the customer's child application and keep its credentials."""
        with self.lock:
            tenant = self.tenant(customer)
            try:
                created = self.partner.request("POST", "/v2/provisionedApplications", body={
                    "uniqueForeignId": customer, "name": f"Reference ATS - {tenant.name}"[:50],
                    "description": f"RSC for {tenant.name}", "validJsSdkDomains": [self.public_url]})
                application, credentials, domains = created["key"], created["credentials"], [self.public_url]
            except LinkedInError as error:
                if error.status != 409:
                    raise
                [found] = self.partner.finder("provisionedApplications",
                                              f"q=credentialsByUniqueForeignId&uniqueForeignId={customer}")
                application, credentials = found["key"], found["credentials"]
                domains = found.get("validJsSdkDomains", [])
            if self.public_url not in domains:
                self.partner.request("POST", f"/v2/provisionedApplications/{application}", "PARTIAL_UPDATE",
                                     {"patch": {"$set": {"validJsSdkDomains": [*domains, self.public_url]}}})
            old = self.links.get(customer)
            if old is not None:
                old.api.close()
            link = Link(customer, application, credentials["client_id"], credentials["client_secret"],
                        LinkedIn(self.linkedin_url, credentials["client_id"], credentials["client_secret"]))
            self.links[customer] = link
            return link

    def integrations_approved(self, customer: str, integrations: list[dict]) -> None:
        """What the page's ``data-onintegrate`` callback received: name each integration, keep the mappings,
        configure the CALLBACK_URL."""
        with self.lock:
            link, tenant = self.link(customer), self.tenant(customer)
            for item in integrations:
                if item["integrationType"] == "CSA_API":
                    link.contract = item["integrationContext"]
                else:
                    link.organization = item["integrationContext"]
                link.integrations.setdefault(item["integrationType"], False)
            names = {"ONE_CLICK_EXPORT": "One-Click Export", "IN_ATS_INDICATOR": "In-ATS Indicator",
                     "PROFILE_PLUGIN": "Profile Plugin", "CSA_API": "Recruiter Data"}
            entities = {key_string(integration_key(item)): {"patch": {"$set": {
                "integrationName": f"Reference ATS {names.get(item['integrationType'], item['integrationType'])}"}}}
                for item in integrations}
            query = "&".join(f"ids[{i}].{name}={value}" for i, item in enumerate(integrations)
                             for name, value in integration_key(item).items())
            link.api.request("POST", f"/v2/atsIntegrations?{query}", "BATCH_PARTIAL_UPDATE", {"entities": entities})
            link.callback_url = f"{self.public_url}/linkedin/push/{customer}"
            one_click = integration_key({"integrationType": "ONE_CLICK_EXPORT",
                                         "integrationContext": link.organization})
            link.api.batch_update(f"atsIntegrations/{key_path(one_click)}/configurations",
                                  [("CALLBACK_URL", {"configurationValue": {"string": link.callback_url}})])
            if not tenant.groups:  # a customer without ACLs: every recruiter sees every job and application
                for integration_type, name in (("ONE_CLICK_EXPORT", "JOB_POSTING_VIEWERS"),
                                               ("IN_ATS_INDICATOR", "APPLICATION_VIEWERS")):
                    key = integration_key({"integrationType": integration_type,
                                           "integrationContext": link.organization})
                    link.api.batch_update(f"atsIntegrations/{key_path(key)}/configurations",
                                          [(name, {"configurationValue": {"string": "ALL_PRODUCT_USERS"}})])
            if self.flaws.sync_before_enabled:
                self.early_sync(customer)

    def early_sync(self, customer: str) -> None:
        """The ``sync-before-enabled`` flaw: the historical sync at onboarding. LinkedIn refuses data of
        integrations the customer has not enabled (403), so what it refused is kept on the status page and the
        sync runs again once the admin enables RSC."""
        link = self.link(customer)
        try:
            self.historical_sync(customer)
        except (LinkedInError, KeyError) as error:
            link.errors.append(f"historical sync at onboarding: {error}")
        if not link.enabled:
            link.historical = "not started"

    def status(self, customer: str) -> dict:
        """The ATS's RSC settings page: connection, integration status, historical sync, totals."""
        tenant = self.tenant(customer)
        link = self.links.get(customer)
        return {"connected": bool(link and link.callback_url and link.organization), "usesAcls": bool(tenant.groups),
                "application": link.application if link else None,
                "integrations": dict(link.integrations) if link else {},
                "historicalSync": link.historical if link else "not started",
                "errors": list(link.errors) if link else [], "totals": tenant.totals()}

    # ---- pushes ----------------------------------------------------------------------------------------------

    def receive_push(self, customer: str, body: bytes, signature: str | None) -> int:
        """A push on the customer's CALLBACK_URL: 401 unless ``X-LI-Signature`` is LinkedIn's, else 200 and
        the push is handled in the background (503 once the connector is closing: LinkedIn retries it)."""
        if self.closing.is_set():
            return 503
        link = self.links.get(customer)
        if link is None:
            return 404
        expected = hmac.new(link.client_secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()
        if not self.flaws.skip_signature_check and not hmac.compare_digest(expected, signature or ""):
            return 401
        try:
            push = json.loads(body)
        except ValueError:
            return 400
        worker = threading.Thread(target=self.handle_push, args=(customer, push), daemon=True)
        self.workers = [thread for thread in self.workers if thread.is_alive()] + [worker]
        worker.start()
        return 200

    def challenge(self, customer: str, code: str) -> dict:
        """LinkedIn's callback challenge: ``{"challengeCode", "challengeResponse"}``."""
        link = self.link(customer)
        answer = hmac.new(link.client_secret.encode(), code.encode(), hashlib.sha256).hexdigest()
        return {"challengeCode": code, "challengeResponse": answer}

    def handle_push(self, customer: str, push: dict) -> None:
        """Resolve a push with its follow-up GET and act on it (errors go to the status page)."""
        with self.lock:
            link = self.link(customer)
            try:
                if push.get("type") == "INTEGRATION_STATUS_CHANGE":
                    for item in link.api.finder("atsIntegrations", f"q=request&requestId={push['id']}"):
                        link.integrations[item["integrationType"]] = "enabledAt" in item
                    if link.enabled and link.historical == "not started":
                        self.historical_sync(customer)
                elif push.get("type") == "EXPORT_CANDIDATE_PROFILE":
                    for export in link.api.finder("exportedCandidates", f"q=request&requestId={push['id']}",
                                                  versioned=self.versioned):
                        if export.get("integrationContext") == link.organization:
                            self.import_export(customer, export)
            except LinkedInError as error:
                link.errors.append(f"push {push.get('id')}: {error}")

    def import_export(self, customer: str, export: dict) -> None:
        """A One-Click Export: the member becomes (or already is) a candidate, applies to the job, and the
        candidate is attached to the member's person URN."""
        tenant, profile = self.tenant(customer), export["candidate"]
        person = profile["person"]
        email = profile.get("emailAddress")
        candidate = next((c for c in tenant.candidates.values()
                          if c.linkedin_member == person or (email and email in c.emails)), None)
        now = self.now()
        if candidate is None:
            candidate = ats.Candidate(tenant.new_id("CAND"), profile["firstName"], profile["lastName"],
                                      [email] if email else [], [p["number"] for p in profile.get("phoneNumbers", [])],
                                      "", profile.get("headline", ""), profile.get("location", ""), now, now)
            tenant.candidates[candidate.id] = candidate
        candidate.linkedin_member = person
        job = tenant.jobs.get(export["externalJobPostingId"])
        applications = []
        if job is not None and not any(app.job_id == job.id for app in tenant.applications_of(candidate.id)):
            app = ats.Application(tenant.new_id("APP"), candidate.id, job.id, "LinkedIn Recruiter", now, now,
                                  [ats.Stage(tenant.new_id("STAGE"), "Sourced", now)])
            tenant.applications[app.id] = app
            applications.append(app)
        self.sync_candidates(customer, [candidate])
        link = self.link(customer)
        key = candidate_key(link, candidate)
        link.api.request("POST", f"/v2/atsCandidates?ids[0].atsCandidateId={candidate.id}&ids[0].dataProvider=ATS"
                                 f"&ids[0].integrationContext={link.organization}", "BATCH_PARTIAL_UPDATE",
                         {"entities": {key_string(key): {"patch": {"$set": {"manualMatchedMember": person}}}}})
        self.read_back(customer, [candidate])
        self.sync_applications(customer, applications)

    # ---- sync ------------------------------------------------------------------------------------------------

    def historical_sync(self, customer: str) -> None:
        """Everything the customer has: jobs, groups, candidates, applications (as the flaws allow)."""
        with self.lock:
            link, tenant = self.link(customer), self.tenant(customer)
            link.historical = "running"
            since = self.now() - HISTORY_DAYS * ats.DAY_MS if self.flaws.no_history else 0
            jobs = [job for job in tenant.jobs.values() if job.status != "draft" and job.created_at >= since
                    and not (self.flaws.skip_closed_jobs and job.status == "closed")]
            self.sync_jobs(customer, jobs)
            self.sync_groups(customer, list(tenant.groups.values()))
            self.sync_candidates(customer, [c for c in tenant.candidates.values() if c.created_at >= since])
            self.sync_applications(customer, [a for a in tenant.applications.values() if a.created_at >= since])
            link.historical = "complete"

    def sync_jobs(self, customer: str, jobs: list[ats.Job]) -> list[str]:
        """Post jobs and poll their tasks until LinkedIn has processed them; LinkedIn's messages for the jobs
        it refused (also kept on the status page)."""
        link, tenant = self.link(customer), self.tenant(customer)
        problems = []
        for start in range(0, len(jobs), 100):
            chunk = jobs[start:start + 100]
            reply = link.api.request("POST", "/v2/simpleJobPostings", "BATCH_CREATE",
                                     {"elements": [self.job_element(link, tenant, job) for job in chunk]})
            tasks = []
            for job, element in zip(chunk, reply["elements"], strict=True):
                if "error" in element:
                    problems.append(f"LinkedIn refused job {job.id}: {element['error'].get('message', '').strip()}")
                else:
                    tasks.append(element["id"])
            problems += self.await_tasks(link, tasks)
        link.errors += problems
        return problems

    def await_tasks(self, link: Link, tasks: list[str]) -> list[str]:
        """Poll job-posting tasks until none is IN_PROGRESS (at most 20 polls); the FAILED ones' messages."""
        problems = []
        for _ in range(20):
            if not tasks:
                break
            results = link.api.batch_get("simpleJobPostingTasks", tasks)
            tasks = [task for task in tasks if results.get(task, {}).get("status") == "IN_PROGRESS"]
            problems += [f"job {item['externalJobPostingId']}: {item.get('errorMessage')}"
                         for item in results.values() if item.get("status") == "FAILED"]
        return problems

    def job_element(self, link: Link, tenant: ats.Tenant, job: ats.Job) -> dict:
        """A ``simpleJobPostings`` element (RSC style: ``state`` LISTED or CLOSED)."""
        public = tenant.offers_availability_choice and job.availability == "PUBLIC"
        element = {"integrationContext": link.organization, "externalJobPostingId": job.id, "title": job.title,
                   "description": job.description, "location": job.location,
                   "availability": "PUBLIC" if public else "PRIVATE_TO_ATS_INTEGRATION",
                   "state": "LISTED" if job.status == "open" else "CLOSED",
                   "companyApplyUrl": f"{self.public_url}/jobs/{job.id}", "listedAt": job.created_at,
                   "accessRestricted": job.group is not None}
        return {name: value for name, value in element.items() if value != ""}

    def sync_groups(self, customer: str, groups: list[ats.Group]) -> None:
        """ACLs: each group's secured jobs and its members."""
        link, tenant = self.link(customer), self.tenant(customer)
        acls = [(acl_key(link, group.id, job.id), {}) for group in groups
                for job in tenant.jobs.values() if job.group == group.id and job.status != "draft"]
        if acls:
            link.api.batch_update("atsEntityAcls", acls)
        members = [(assignee_key(link, group.id, person), {}) for group in groups for person in sorted(group.members)]
        if members:
            link.api.batch_update("atsEntityAclAssignees", members)

    def sync_candidates(self, customer: str, candidates: list[ats.Candidate]) -> None:
        """Candidates and their notes, then read back each one's LinkedIn match."""
        if not candidates:
            return
        link = self.link(customer)
        versioned = self.versioned
        link.api.batch_update(candidates_resource(versioned), [(candidate_key(link, c, versioned),
                                                                candidate_entity(self, c, versioned))
                                                               for c in candidates], versioned)
        for candidate in candidates:
            if candidate.notes:
                link.api.batch_update(f"atsCandidates/{key_path(candidate_key(link, candidate))}/notes",
                                      [(note.id, note_entity(note)) for note in candidate.notes])
        self.read_back(customer, candidates)

    def read_back(self, customer: str, candidates: list[ats.Candidate]) -> None:
        """Read the candidates back from LinkedIn and keep each one's match (manual, else the first
        automatic one) — what the profile widget shows."""
        link = self.link(customer)
        versioned = self.versioned
        matches = link.api.batch_get(candidates_resource(versioned), [candidate_key(link, c, versioned)
                                                                      for c in candidates], versioned)
        for candidate in candidates:
            found = matches.get(key_string(candidate_key(link, candidate, versioned))) or {}
            automatic = next(iter(found.get("matchedMembers") or []), candidate.linkedin_member)
            candidate.linkedin_member = found.get("manualMatchedMember") or automatic

    def sync_applications(self, customer: str, applications: list[ats.Application]) -> None:
        """Applications (full records) with their notes, stages and interview feedback."""
        if not applications:
            return
        link, tenant = self.link(customer), self.tenant(customer)
        link.api.batch_update("atsApplications", [(application_key(link, a), application_entity(tenant, a))
                                                  for a in applications])
        for app in applications:
            base = f"atsApplications/{key_path(application_key(link, app))}"
            if app.notes:
                link.api.batch_update(f"{base}/notes", [(note.id, note_entity(note)) for note in app.notes])
            if app.stages:
                link.api.batch_update(f"{base}/stages", [(stage.id, {"atsCreatedAt": stage.created_at,
                                                                     "stage": stage.name}) for stage in app.stages])
            if app.feedback:
                link.api.batch_update(f"{base}/interviewFeedback",
                                      [(item.id, feedback_entity(item)) for item in app.feedback])

    # ---- what the ATS's users do ------------------------------------------------------------------------------

    def create_job(self, customer: str, title: str, availability: str, group: str | None = None,
                   status: str = "open") -> ats.Job:
        """A recruiter opens a requisition (the customer picks its availability); synced at once."""
        with self.lock:
            tenant = self.tenant(customer)
            job = ats.Job(tenant.new_id("JOB"), title, f"{title}. {ats.DESCRIPTION}", "Remote", status,
                          availability, self.now(), group)
            tenant.jobs[job.id] = job
            self.sync_jobs(customer, [job])
            return job

    def create_candidate(self, customer: str, member: dict | None, job_id: str | None) -> ats.Candidate:
        """A new candidate (``member``: who applied, else an invented person), applying to ``job_id``."""
        with self.lock:
            tenant, now = self.tenant(customer), self.now()
            number = next(tenant.counter)
            first, last, email = ((member["firstName"], member["lastName"], member["emailAddress"]) if member else
                                  ("Invented", f"Person{number}", f"invented.person{number}@ats.example"))
            candidate = ats.Candidate(tenant.new_id("CAND"), first, last, [email], [f"+1 555 02{number:02d}"],
                                      f"Company {number}", f"Title {number}", "Springfield", now, now,
                                      [ats.Note(tenant.new_id("CNOTE"), f"Applied online ({number}).",
                                                "Riley Recruiter", now)])
            tenant.candidates[candidate.id] = candidate
            self.sync_candidates(customer, [candidate])
            if job_id:
                self.apply(customer, candidate, job_id)
            return candidate

    def apply(self, customer: str, candidate: ats.Candidate, job_id: str) -> ats.Application:
        """The candidate applies to a job: application with a note, a stage and interview feedback."""
        with self.lock:
            tenant, now = self.tenant(customer), self.now()
            app = ats.Application(tenant.new_id("APP"), candidate.id, job_id, "Career site", now, now)
            app.stages.append(ats.Stage(tenant.new_id("STAGE"), "Applied", now))
            app.notes.append(ats.Note(tenant.new_id("ANOTE"), "Applied through the career site.", "Riley Recruiter",
                                      now))
            app.feedback.append(ats.Feedback(tenant.new_id("FB"), "Marcus Chen", "Promising.", "3/5", now))
            tenant.applications[app.id] = app
            self.sync_applications(customer, [app])
            return app

    def update_candidate(self, customer: str, candidate_id: str) -> tuple[str, str]:
        """A recruiter edits the candidate's current title; ``(field, value)`` as synced."""
        with self.lock:
            candidate = self.tenant(customer).candidates[candidate_id]
            candidate.title = f"Principal {candidate.title}"
            candidate.modified_at = max(self.now(), candidate.modified_at + 1)
            self.sync_candidates(customer, [candidate])
            return "currentJobTitle", candidate.title

    def link_profile(self, customer: str, candidate_id: str, member: str) -> None:
        """The profile widget's ``data-onlink`` callback: keep the mapping and read it back from LinkedIn."""
        with self.lock:
            candidate = self.tenant(customer).candidates[candidate_id]
            candidate.linkedin_member = member
            self.read_back(customer, [candidate])

    def sync_invalid_job(self, customer: str) -> str:
        """A draft requisition without a title is pushed; what LinkedIn said is shown to the user."""
        with self.lock:
            tenant = self.tenant(customer)
            job = ats.Job(tenant.new_id("JOB"), "", ats.DESCRIPTION, "Remote", "draft", "PRIVATE", self.now())
            tenant.jobs[job.id] = job
            problems = self.sync_jobs(customer, [job])
            return problems[0] if problems else "LinkedIn accepted the job"

    def create_group(self, customer: str, members: list[str]) -> tuple[ats.Group, ats.Job]:
        """An admin creates a security group with ``members`` and a job only the group may see."""
        with self.lock:
            tenant = self.tenant(customer)
            group = ats.Group(tenant.new_id("GROUP"), "Confidential searches", set(members))
            tenant.groups[group.id] = group
            job = self.create_job(customer, "Confidential Director Search", "PRIVATE", group.id)
            self.sync_groups(customer, [group])
            return group, job

    def set_member(self, customer: str, group_id: str, person: str, member: bool) -> None:
        """An admin adds a user to a group or removes one."""
        with self.lock:
            group = self.tenant(customer).groups[group_id]
            link = self.link(customer)
            if member:
                group.members.add(person)
                link.api.batch_update("atsEntityAclAssignees", [(assignee_key(link, group_id, person), {})])
            else:
                group.members.discard(person)
                if not self.flaws.ignore_acl_removals:
                    link.api.batch_delete("atsEntityAclAssignees", [assignee_key(link, group_id, person)])

    def delete_candidate(self, customer: str, notes_first: bool) -> ats.Candidate:
        """A user selects a matched candidate with notes and applications and deletes it (its notes first
        when ``notes_first``); the ATS deletes the candidate's applications with it."""
        with self.lock:
            tenant, link = self.tenant(customer), self.link(customer)
            candidate = next(c for c in tenant.candidates.values()
                             if c.notes and c.linkedin_member and tenant.applications_of(c.id))
            if notes_first:
                link.api.batch_delete(f"atsCandidates/{key_path(candidate_key(link, candidate))}/notes",
                                      [note.id for note in candidate.notes])
            applications = tenant.applications_of(candidate.id)
            for app in applications:
                del tenant.applications[app.id]
            del tenant.candidates[candidate.id]
            if applications and not self.flaws.no_cascade_deletes:
                link.api.batch_delete("atsApplications", [application_key(link, app) for app in applications])
            link.api.batch_delete(candidates_resource(self.versioned), [candidate_key(link, candidate, self.versioned)],
                                  self.versioned)
            return candidate

    def delete_application(self, customer: str, records_first: bool) -> ats.Application:
        """A user selects an application with notes, stages and feedback and deletes it (those first when
        ``records_first``)."""
        with self.lock:
            tenant, link = self.tenant(customer), self.link(customer)
            app = next(a for a in tenant.applications.values() if a.notes and a.stages and a.feedback)
            base = f"atsApplications/{key_path(application_key(link, app))}"
            if records_first:
                link.api.batch_delete(f"{base}/notes", [note.id for note in app.notes])
                link.api.batch_delete(f"{base}/stages", [stage.id for stage in app.stages])
                link.api.batch_delete(f"{base}/interviewFeedback", [item.id for item in app.feedback])
            del tenant.applications[app.id]
            link.api.batch_delete("atsApplications", [application_key(link, app)])
            return app

    def tick(self, now: int) -> None:
        """Scheduled work at ``now`` (epoch ms): retrieve InMail history and shared stub profiles of every
        connected customer's seats since the last poll, 12 hours per call."""
        self.clock_ms = max(self.clock_ms, now)
        with self.lock:
            for link in self.links.values():
                if not link.contract or not link.integrations.get("CSA_API"):
                    continue
                start = link.last_poll if link.last_poll is not None else now - 24 * 3600 * 1000
                seats = link.api.finder("seatsV2", f"q=attributes&contracts={link.contract}&states=ACTIVE")
                for lower in range(start, now, WINDOW_MS):
                    upper = min(lower + WINDOW_MS, now)
                    for seat in seats:
                        link.inmails += link.api.finder(
                            "conversationEvents",
                            f"q=criteria&viewer=urn:li:seat:{seat['id']}&timeRange.start={lower}&timeRange.end={upper}")
                    link.stubs += link.api.finder("mailStubs", f"q=contract&contract={link.contract}"
                                                               f"&createdDateStart={lower}&createdDateEnd={upper}")
                link.last_poll = now


# ---- LinkedIn's shapes of the ATS's records ----------------------------------------------------------------------

def integration_key(item: dict) -> dict:
    """An atsIntegrations key."""
    return {"integrationContext": item["integrationContext"], "integrationType": item["integrationType"],
            "tenantType": "RECRUITER", "dataProvider": "ATS"}


def candidates_resource(versioned: bool) -> str:
    """Where candidates are synced: ``rest/candidates`` or ``v2/atsCandidates``."""
    return "candidates" if versioned else "atsCandidates"


def candidate_key(link: Link, candidate: ats.Candidate, versioned: bool = False) -> dict:
    """The key of a candidate: on ``rest/candidates`` (``versioned``) or ``v2/atsCandidates`` (also the parent
    key of its notes)."""
    if versioned:
        return {"externalCandidateId": candidate.id, "integrationContext": link.organization}
    return {"atsCandidateId": candidate.id, "dataProvider": "ATS", "integrationContext": link.organization}


def application_key(link: Link, app: ats.Application) -> dict:
    """The atsApplications key of an application."""
    return {"atsJobApplicationId": app.id, "dataProvider": "ATS", "integrationContext": link.organization}


def acl_key(link: Link, group: str, job: str) -> dict:
    """The atsEntityAcls key binding a group to a job."""
    return {"atsEntityAclId": group, "dataProvider": "ATS", "integrationContext": link.organization,
            "atsEntityType": "JOB_POSTING", "atsEntityId": job}


def assignee_key(link: Link, group: str, person: str) -> dict:
    """The atsEntityAclAssignees key of a group member."""
    return {"atsEntityAclId": group, "dataProvider": "ATS", "integrationContext": link.organization,
            "atsEntityType": "JOB_POSTING", "assignee": person}


def candidate_entity(connector: Connector, candidate: ats.Candidate, versioned: bool = False) -> dict:
    """A candidate entity with every field the ATS has (the versioned names of the timestamps on
    ``rest/candidates``, LinkedIn-Version 202602 and later)."""
    prefix = "external" if versioned else "ats"
    entity = {f"{prefix}CreatedAt": candidate.created_at,
              f"{prefix}LastModifiedAt": max(candidate.modified_at, candidate.created_at),
              "firstName": candidate.first_name, "lastName": candidate.last_name,
              "emailAddresses": candidate.emails, "phoneNumbers": [{"number": phone} for phone in candidate.phones],
              "addresses": [{"city": candidate.city, "country": "us"}] if candidate.city else [],
              "currentCompanyName": candidate.company, "currentJobTitle": candidate.title,
              "externalProfileUrl": f"{connector.public_url}/candidates/{candidate.id}"}
    return {name: value for name, value in entity.items() if value != ""}


def application_entity(tenant: ats.Tenant, app: ats.Application) -> dict:
    """An atsApplications entity (a full record: LinkedIn replaces the whole application)."""
    candidate = tenant.candidates[app.candidate_id]
    job = tenant.jobs[app.job_id]
    return {"atsCandidateId": candidate.id, "atsCreatedAt": app.created_at, "atsLastModifiedAt": app.modified_at,
            "atsJobPostingId": job.id, "atsJobPostingName": job.title, "candidateEmail": candidate.emails[0],
            "firstName": candidate.first_name, "lastName": candidate.last_name, "source": app.source}


def note_entity(note: ats.Note) -> dict:
    """A notes entity."""
    first, _, last = note.author.partition(" ")
    return {"atsCreatedAt": note.created_at, "note": note.text, "author": {"firstName": first, "lastName": last or "-"}}


def feedback_entity(item: ats.Feedback) -> dict:
    """An interviewFeedback entity."""
    first, _, last = item.interviewer.partition(" ")
    return {"atsCreatedAt": item.created_at, "feedback": item.text,
            "interviewer": {"firstName": first, "lastName": last},
            "evaluations": [{"attribute": "Overall", "result": item.score}]}

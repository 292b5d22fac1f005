"""The guided run: play LinkedIn's side of each case, wait on the emulator's clock for the partner's
integration to react, grade.

A thin client over the emulator's HTTP API only — ``/_mock/recruiter/*`` (recruiter and admin actions),
``/_mock/customers/*/preapprove``, the widget endpoints, ``/_mock/clock``, ``/_mock/requests/wait`` and
``/_mock/certification/*`` (the test company, grading) — so it runs against a remote emulator as well as a
local one, and inside the emulator for ``POST /_mock/certification/runs``.

For each case: ``play`` (LinkedIn's side and the partner's hook, :mod:`.partner`), then until the case passes,
fails for good, or its deadline (``Case.deadline_s`` emulator seconds) passes: grade; wait for the partner's
next request (``POST /_mock/requests/wait``, up to ``quiet_s`` real seconds); if the partner stayed quiet,
move the emulator's clock a quarter of the deadline (due push retries run, tokens expire) and tell the hook
(``tick``). Nothing sleeps: a partner that reacts ends the wait at once, one that never reacts costs four
quiet waits.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable

import httpx

from mock_server.certification.model import FAIL, HOOK_TIMEOUT_S, NOT_EXERCISED, Case, Result
from mock_server.certification.partner import HookError, NotOffered, PartnerHook
from mock_server.harness.addressing import SANDBOX_HEADER
from mock_server.tools.admin_url import checked_sandbox_id

STEPS = 4                       # clock moves before a case's deadline
BUNDLES = ["RECRUITER_SYSTEM_CONNECT_COMPANY", "RECRUITER_SYSTEM_CONNECT_CONTRACT"]
OWN_PATHS = ("/_mock/", "/_widgets/")
PUSH_TTL_MS = 7 * 86_400_000
INTERRUPTED = "interrupted"     # a client run's status after Ctrl-C


class RunError(Exception):
    """LinkedIn's side of a case could not be played (the emulator refused an action); the case fails.
    ``status``: the HTTP status of the emulator's refusal, None when it did not answer or another part failed;
    ``field``: the field the refusal names (``customer`` for ``ERROR :: /customer :: …``), None when it names
    none or did not come from the emulator."""

    def __init__(self, message: str, status: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


def refusal(method: str, path: str, reply: httpx.Response, url: str) -> RunError:
    """The :class:`RunError` for a reply that is not a success. The emulator refuses in LinkedIn's envelope
    (``{"status", "message"}``, the message naming the field as ``ERROR :: /field :: …``); a reply in any other
    shape (an HTML page, another API's JSON) comes from something that is not the emulator, said so in one
    line, with neither status nor field."""
    try:
        doc = reply.json()
    except ValueError:
        doc = None
    if isinstance(doc, dict) and doc.get("status") == reply.status_code and isinstance(doc.get("message"), str):
        message = " ".join(doc["message"].split())
        named = message.partition(" :: ")[2].partition(" :: ")[0] if message.startswith("ERROR :: /") else ""
        return RunError(f"{method} {path} answered {reply.status_code}: {message[:300]}", reply.status_code,
                        named.lstrip("/") or None)
    shape = reply.headers.get("content-type", "no content type").partition(";")[0]
    return RunError(f"{url} does not answer as an rsc-mock emulator: {method} {path} answered {reply.status_code}"
                    f" ({shape}), not the emulator's JSON; check the URL")


class Unreachable(RunError):
    """The emulator does not answer: the run stops."""


class NeedsPartner(Exception):
    """The case needs the partner's certification hook (none given, or it does not offer the action)."""


class Session:
    """One guided run against the emulator at ``url`` — in its sandbox ``sandbox`` (every call names it by the
    ``X-RSC-Mock-Sandbox`` header; ``None``: the default world; ``ValueError`` for one that is not a sandbox id) — for
    the customer ``customer`` (uniqueForeignId; the emulator's default test company when None), with the partner's hook
    at ``partner`` (or none), which must answer each step within ``hook_timeout_s`` seconds (:data:`HOOK_TIMEOUT_S`; at
    most :data:`MAX_HOOK_TIMEOUT_S`). ``memory`` holds what earlier cases put in play, so a later case reuses it (Test
    Case 7 exports Test Case 6's member again) or creates it when run alone."""

    def __init__(self, url: str, customer: str | None = None, partner: str | None = None,
                 quiet_s: float = 0.5, sandbox: str | None = None, hook_timeout_s: float = HOOK_TIMEOUT_S) -> None:
        self.url = url.rstrip("/")
        self.sandbox = sandbox
        self.quiet_s = quiet_s
        self.http = httpx.Client(base_url=self.url, timeout=60.0, trust_env=False,
                                 headers=None if sandbox is None else {SANDBOX_HEADER: checked_sandbox_id(sandbox)})
        self.company = self.company_of(customer)
        self.customer = self.company["uniqueForeignId"]
        self.hook = PartnerHook(partner, self.customer, hook_timeout_s) if partner else None
        self.memory: dict = {"used": set()}
        self.case_id: str | None = None
        self.onboarded = False
        self.ticks = self.hook is not None
        self.started_at = self.cursor = self.now()
        self.seen = 0
        self.job_contexts: dict[str, str] = {}

    def close(self) -> None:
        """Close the HTTP clients."""
        self.http.close()
        if self.hook:
            self.hook.close()

    # ---- the emulator ----------------------------------------------------------------------------------------

    def call(self, method: str, path: str, body=None, params=None, ok=(200, 201, 202, 204), form=None,
             headers=None) -> dict:
        """``method path`` on the emulator (a JSON ``body`` or an urlencoded ``form``); the JSON answer.
        :class:`RunError` with the emulator's message when it refuses, :class:`Unreachable` when it does not
        answer."""
        try:
            reply = self.http.request(method, path, json=body, data=form, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise Unreachable(f"cannot reach the emulator at {self.url}: {type(error).__name__}: {error}") from None
        if reply.status_code not in ok:
            raise refusal(method, path, reply, self.url)
        try:
            return reply.json() if reply.content else {}
        except ValueError:
            raise refusal(method, path, reply, self.url) from None

    def widget_call(self, widget: str, api_key: str, origin: str | None, method: str, path: str, body: dict) -> dict:
        """A call of a ``widget`` frame (``ATSIntegrationWidget``, ``HcmWidget``) on the ATS page at ``origin``, as
        in.js makes it: a frame token for the page's origin (``POST /_widgets/frames``; 403 when the origin is not
        in ``validJsSdkDomains``), then the frame's own call with it (``X-Widget-Token``)."""
        frame = self.call("POST", "/_widgets/frames", form={"api_key": api_key, "widget": widget},
                          headers={"Origin": origin or "null"})
        return self.call(method, path, body, headers={"X-Widget-Token": frame["token"]})

    def admin(self, method: str, path: str, body=None, params=None) -> dict:
        """A ``/_mock`` call (see :meth:`call`)."""
        return self.call(method, path, body, params)

    def now(self) -> int:
        """The emulator's clock, epoch ms."""
        return self.call("GET", "/_mock/clock")["now"]

    def company_of(self, customer: str | None) -> dict:
        """The test company (``GET /_mock/certification/customer``); :class:`RunError` when what answers is not
        an emulator (no test company in its answer)."""
        path = "/_mock/certification/customer"
        company = self.call("GET", path, params={"customer": customer} if customer else None)
        if not isinstance(company, dict) or not isinstance(company.get("uniqueForeignId"), str):
            raise RunError(f"{self.url} does not answer as an rsc-mock emulator: GET {path} answered without a test"
                           " company; check the URL")
        return company

    def exists(self, customer: str) -> bool:
        """True when LinkedIn already has a customer application with uniqueForeignId ``customer``."""
        reply = self.http.get("/_mock/certification/customer", params={"customer": customer})
        return reply.status_code == 200

    def refresh(self) -> dict:
        """Read the test company again (its candidates, CALLBACK_URL … change during the run)."""
        self.company = self.company_of(self.customer)
        return self.company

    @property
    def organization(self) -> str:
        """The customer's first organization URN."""
        return self.company["organizations"][0]

    def advance(self, seconds: int) -> None:
        """Move the emulator's clock ``seconds`` forward and tell the hook (``tick``) so its scheduled work runs."""
        now = self.call("POST", "/_mock/clock", {"advance": seconds})["now"]
        if self.ticks and self.hook is not None:
            try:
                self.hook.ask("tick", case=self.case_id, now=now)
            except HookError:
                self.ticks = False  # a hook without scheduled work; the run does not depend on it

    def await_activity(self) -> bool:
        """Wait up to ``quiet_s`` real seconds for the partner's next journaled request; True when one came.
        The emulator's own admin and widget calls do not count."""
        body = {"filter": {"since": self.cursor}, "count": self.seen + 1, "timeout": self.quiet_s}
        reply = self.call("POST", "/_mock/requests/wait", body, ok=(200, 408))
        entries = reply.get("requests", [])
        fresh = entries[self.seen:]
        if entries:
            self.cursor = entries[-1]["at"]
            self.seen = sum(1 for entry in entries if entry["at"] >= self.cursor)
        return any(not entry["path"].startswith(OWN_PATHS) for entry in fresh)

    def grade(self, case: Case, subject: dict | None) -> Result:
        """The emulator's grade of ``case`` for this run (``POST /_mock/certification/grade``)."""
        reply = self.call("POST", "/_mock/certification/grade", {"case": case.id, "customer": self.customer,
                                                                 "since": self.started_at, "subject": subject})
        return Result.from_json(reply["result"])

    # ---- the partner -----------------------------------------------------------------------------------------

    def ask(self, action: str, customer: str | None = None, required: tuple[str, ...] = (), **arguments) -> dict:
        """Ask the partner's hook (see :mod:`.partner`); :class:`NeedsPartner` without one or when it does not
        offer ``action``, :class:`RunError` when it fails or its answer lacks a ``required`` field."""
        if self.hook is None:
            raise NeedsPartner(f"this case asks the ATS to {action}: run with --partner URL (the partner's"
                               " certification hook)")
        try:
            answer = self.hook.ask(action, case=self.case_id, customer=customer, **arguments)
        except NotOffered as error:
            raise NeedsPartner(str(error)) from None
        except HookError as error:
            raise RunError(str(error)) from None
        missing = [name for name in required if not isinstance(answer.get(name), str) or not answer[name]]
        if missing:
            raise RunError(f"the partner's certification hook answered {action} without {', '.join(missing)}"
                           f" (got {str(answer)[:200]})")
        return answer

    def origin(self) -> str | None:
        """The origin of the ATS page (hook ``describe``), None without a hook."""
        if "origin" not in self.memory:
            self.memory["origin"] = self.ask("describe").get("atsOrigin") if self.hook else None
        return self.memory["origin"]

    def status(self) -> dict:
        """What the ATS's settings page shows (hook ``status``)."""
        return self.ask("status")

    # ---- LinkedIn's side: onboarding -------------------------------------------------------------------------

    def onboard(self, customer: str) -> dict:
        """Onboard ``customer`` as a first-time RSC customer: its integrations off, the ATS onboards it, the
        admin approves in the configuration widget (from the ATS's origin) and the ATS gets what
        ``data-onintegrate`` receives, then the admin enables the integrations in Recruiter."""
        if self.exists(customer):
            self.set_enabled(customer, False)
        self.ask("onboard", customer=customer)
        integrations = self.approve(customer)
        self.ask("integrationsApproved", customer=customer, integrations=integrations)
        self.set_enabled(customer, True)
        if customer == self.customer:
            self.onboarded = True
            self.refresh()
        return {"customer": customer, "integrations": integrations, "atsOrigin": self.origin()}

    def ensure_onboarded(self) -> None:
        """Onboard the customer unless the ATS says it is connected (no hook: assume it is); enable what is
        not enabled."""
        if self.onboarded:
            return
        if self.hook is not None and not self.status().get("connected"):
            self.onboard(self.customer)
            return
        self.set_enabled(self.customer, True)
        self.onboarded = True
        self.refresh()

    def set_enabled(self, customer: str, enabled: bool) -> None:
        """The customer's admin turns every pre-approved RSC integration of ``customer`` on or off in
        Recruiter (one call per context, so one push each)."""
        company = self.company_of(customer)
        contexts: dict[str, list[str]] = {}
        for item in company["integrations"]:
            if item["enabled"] != enabled:
                contexts.setdefault(item["integrationContext"], []).append(item["integrationType"])
        for context, types in contexts.items():
            self.admin("POST", "/_mock/recruiter/integrations", {"integrationContext": context,
                                                                 "integrationTypes": types, "enabled": enabled})

    def approve(self, customer: str) -> list[dict]:
        """The admin approves the RSC bundles in the configuration widget on the ATS's page; what the page's
        ``data-onintegrate`` receives. Without an ATS origin or an admin (a new contract has no seats), the
        approval goes through ``/_mock/customers/{uniqueForeignId}/preapprove``."""
        company = self.company_of(customer)
        origin = self.origin()
        if origin and company["admins"]:
            reply = self.widget_call("ATSIntegrationWidget", company["clientId"], origin, "POST",
                                     "/_widgets/configuration/approve",
                                     {"member": company["admins"][0]["member"], "bundles": BUNDLES})
            return reply["integrations"]
        reply = self.admin("POST", f"/_mock/customers/{customer}/preapprove")
        keys = ("integrationType", "integrationContext", "tenantType", "dataProvider")
        return [{key: doc[key] for key in keys} for doc in reply["integrations"]]

    # ---- LinkedIn's side: recruiters -------------------------------------------------------------------------

    def seats(self) -> list[dict]:
        """The ACTIVE seats of the test company; :class:`RunError` when it has none."""
        if not self.company["seats"]:
            raise RunError(f"the test company {self.customer} has no ACTIVE Recruiter seat")
        return self.company["seats"]

    def recruiter_seat(self) -> str:
        """The seat URN the recruiter of the run works on (the first ACTIVE seat)."""
        return self.seats()[0]["seat"]

    def prospect(self, label: str) -> dict:
        """A LinkedIn member who is not yet a candidate of the customer and was not used earlier in the run."""
        for member in self.refresh()["prospects"]:
            if member["person"] not in self.memory["used"]:
                self.memory["used"].add(member["person"])
                return member
        raise RunError(f"{label}: the test company has no LinkedIn member left who is not a candidate")

    def open_job(self, other_than: str | None = None) -> str:
        """An open, unrestricted job in the recruiter's One-Click Export drop-down (not ``other_than``)."""
        listing = self.admin("GET", f"/_mock/recruiter/seats/{self.recruiter_seat()}/export-jobs")
        for job in listing["jobs"]:
            self.job_contexts[job["externalJobPostingId"]] = job["integrationContext"]
        for job in listing["jobs"]:
            if not job.get("accessRestricted") and job["externalJobPostingId"] != other_than:
                return job["externalJobPostingId"]
        raise RunError(f"the One-Click Export drop-down of {self.recruiter_seat()} has no open job"
                       f"{' besides ' + other_than if other_than else ''}: the ATS has synced none")

    def export(self, seat: str, member: str, job: str) -> dict:
        """A recruiter exports ``member`` to ``job`` (One-Click Export): ``{"export", "notification"}``."""
        body = {"seat": seat, "member": member, "externalJobPostingId": job}
        if job in self.job_contexts:
            body["integrationContext"] = self.job_contexts[job]
        return self.admin("POST", "/_mock/recruiter/exports", body)

    def forge_push(self) -> tuple[str, object]:
        """POST a push with a wrong ``X-LI-Signature`` to the customer's CALLBACK_URL (an ATS must ignore it):
        ``(its requestId, the status the receiver answered or the error)``."""
        url = self.refresh()["callbackUrls"].get(self.organization)
        if not url:
            raise RunError(f"the customer has no CALLBACK_URL on ONE_CLICK_EXPORT of {self.organization}")
        forged = str(secrets.randbelow(9 * 10**18) + 10**18)
        body = json.dumps({"id": forged, "type": "EXPORT_CANDIDATE_PROFILE", "expiresAt": self.now() + PUSH_TTL_MS},
                          separators=(",", ":")).encode()
        signature = hmac.new(b"not-the-client-secret", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
        try:
            reply = httpx.post(url, content=body, timeout=5.0, trust_env=False,
                               headers={"Content-Type": "application/json", "X-LI-Signature": signature})
            return forged, reply.status_code
        except httpx.HTTPError as error:
            return forged, f"no answer: {type(error).__name__}"

    def widget_link(self, candidate: str, context: str, member: str) -> None:
        """The recruiter links ``member`` to the ATS candidate in the profile widget on the ATS page, as soon
        as the candidate is synced (it waits for the partner up to four quiet periods)."""
        origin = self.origin() or (self.company["validJsSdkDomains"] or [None])[0]
        body = {"atsCandidateId": candidate, "integrationContext": context, "member": member}
        for _ in range(STEPS):
            try:
                self.widget_call("HcmWidget", self.company["clientId"], origin, "POST", "/_widgets/profile/link", body)
                return
            except RunError as error:
                if " 404:" not in str(error):
                    raise
                self.await_activity()
        self.widget_call("HcmWidget", self.company["clientId"], origin, "POST", "/_widgets/profile/link", body)

    # ---- LinkedIn's side: ACLs -------------------------------------------------------------------------------

    def acl_setup(self) -> dict:
        """The ATS creates an ACL group securing a new job, with one seat holder as assignee; another seat
        holder stays outside. ``{"acl", "job", "integrationContext", "assignee", "outsider"}``."""
        if "acl" not in self.memory:
            self.ensure_onboarded()
            seats = self.seats()
            if len(seats) < 2:
                raise RunError(f"the test company {self.customer} needs two ACTIVE seats (an assignee and an outsider)")
            assignee, outsider = seats[1]["member"], seats[2 if len(seats) > 2 else 0]["member"]
            answer = self.ask("createAcl", members=[assignee], required=("atsEntityAclId", "externalJobPostingId"))
            self.memory["acl"] = {"acl": answer["atsEntityAclId"], "job": answer["externalJobPostingId"],
                                  "integrationContext": answer.get("integrationContext", self.organization),
                                  "assignee": assignee, "outsider": outsider}
        return dict(self.memory["acl"])

    def acl_application(self) -> dict:
        """:meth:`acl_setup` plus an application of a LinkedIn member to the secured job."""
        if "acl application" not in self.memory:
            subject = self.acl_setup()
            member = self.prospect("RSC-402")
            answer = self.ask("applyToJob", externalJobPostingId=subject["job"], member=member,
                              required=("atsCandidateId", "atsJobApplicationId"))
            self.memory["acl application"] = {**subject, "member": member["person"],
                                              "application": answer["atsJobApplicationId"],
                                              "atsCandidateId": answer["atsCandidateId"]}
        return dict(self.memory["acl application"])

    # ---- running cases ---------------------------------------------------------------------------------------

    def run_case(self, case: Case) -> Result:
        """Play ``case``, then wait for the partner and grade it (see the module docstring)."""
        self.case_id = case.id
        started = self.now()
        try:
            subject = {**(case.play(self) or {}), "startedAt": started}
        except NeedsPartner as error:
            return Result(case.id, NOT_EXERCISED, str(error), awaiting=[str(error)], graded_at=started)
        except Unreachable:
            raise
        except RunError as error:
            return Result(case.id, FAIL, f"LinkedIn's side could not be played: {error}", missing=[str(error)],
                          settled=True, graded_at=started)
        except (KeyError, TypeError, ValueError, AttributeError) as error:  # an answer of the hook of another shape
            problem = f"the partner's answers could not be used: {type(error).__name__}: {error}"
            return Result(case.id, FAIL, f"LinkedIn's side could not be played: {problem}", missing=[problem],
                          settled=True, graded_at=started)
        deadline = self.now() + case.deadline_s * 1000
        while True:
            result = self.grade(case, subject)
            if result.status not in (FAIL, NOT_EXERCISED) or result.settled:
                return result
            if result.graded_at >= deadline:
                return overdue(case, result)
            if not self.await_activity():
                self.advance(case.deadline_s // STEPS)


def overdue(case: Case, result: Result) -> Result:
    """The failure of a case whose deadline passed: what was still missing or awaited."""
    minutes = case.deadline_s / 60
    if result.status == FAIL:
        summary = f"{result.summary} (still so after {minutes:g} min on the emulator's clock)"
        missing = result.missing
    else:
        summary = (f"the partner did not react within {minutes:g} min on the emulator's clock; awaited: "
                   + "; ".join(result.awaiting))
        missing = [f"awaited: {text}" for text in result.awaiting]
    return Result(case.id, FAIL, summary, result.evidence, missing, result.awaiting, True, result.graded_at)


def run_registered(session: Session, cases: list[Case], on_start: Callable[[Case], None] = lambda case: None,
                   on_result: Callable[[Case, Result, int], None] = lambda case, result, ms: None) -> dict:
    """Run ``cases`` as a client run registered with the emulator (``runner: "client"``, so no other run plays
    at the same time; :class:`RunError` saying which run is in the way, 409) and return the report document.
    Progress is reported after each case; Ctrl-C (``KeyboardInterrupt``) ends the run as ``interrupted``, any
    other interruption as ``error`` with what happened."""
    partner = session.hook.url if session.hook else None
    modules = {case.module for case in cases}
    scope = {"case": cases[0].id} if len(cases) == 1 else {"module": modules.pop()} if len(modules) == 1 else {}
    record = session.call("POST", "/_mock/certification/runs",
                          {"runner": "client", "customer": session.customer, "partner": partner, **scope})
    path = f"/_mock/certification/runs/{record['id']}"
    progress: list[dict] = []

    def started(case: Case) -> None:
        progress.append({"case": case.id, "status": "running"})
        session.call("PUT", path, {"progress": progress})
        on_start(case)

    def finished(case: Case, result: Result, duration_ms: int) -> None:
        progress[-1].update(status=result.status, summary=result.summary, durationMs=duration_ms)
        session.call("PUT", path, {"progress": progress})
        on_result(case, result, duration_ms)

    try:
        results, durations = run(session, cases, started, finished)
    except BaseException as error:
        ended = ({"status": INTERRUPTED, "error": "interrupted (Ctrl-C) during " + (progress[-1]["case"] if progress
                                                                                     else "the start")}
                 if isinstance(error, KeyboardInterrupt) else
                 {"status": "error", "error": f"{type(error).__name__}: {error}"})
        try:
            session.call("PUT", path, ended)
        except RunError:
            pass
        raise
    doc = guided_report(session, cases, results, durations)
    session.call("PUT", path, {"status": "finished", "report": doc})
    return doc


def guided_report(session: Session, cases: list[Case], results: list[Result], durations: dict) -> dict:
    """The report document of a guided run (:func:`mock_server.certification.reports.document`)."""
    from mock_server.certification import reports
    from mock_server.certification.cases import UNDESCRIBED

    modules = {case.module for case in cases}
    return reports.document("guided", cases, results, {"uniqueForeignId": session.customer,
                                                       "application": session.company["application"]},
                            session.now(), [item for item in UNDESCRIBED if item.module in modules], session.url,
                            durations)


def run(session: Session, cases: list[Case],
        on_start: Callable[[Case], None] = lambda case: None,
        on_result: Callable[[Case, Result, int], None] = lambda case, result, ms: None) -> tuple[list[Result], dict]:
    """Run ``cases`` in order; ``(results, {case id: wall milliseconds})``. ``on_start`` / ``on_result`` report
    progress. :class:`Unreachable` propagates (the run cannot go on)."""
    results, durations = [], {}
    for case in cases:
        on_start(case)
        began = time.monotonic()
        result = session.run_case(case)
        durations[case.id] = round((time.monotonic() - began) * 1000)
        results.append(result)
        on_result(case, result, durations[case.id])
    return results, durations

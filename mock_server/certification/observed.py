"""What a grader reads: one customer's state in the emulator and the requests its applications made, through
the emulator's own services. This is the only module of the certification that knows the emulator's tables
and services; graders ask it, never the store.

``Observed(world, customer, since, subject)``: ``world`` is the live :class:`~mock_server.emulator.Emulator`,
``customer`` the child application document under certification, ``since`` an epoch-ms instant of the
emulator's clock (journaled requests and notifications before it are not looked at; state is read as it is
now), ``subject`` what a guided run put in play (None when grading passively).

Recruiter views (:func:`~mock_server.domain.recruiter.views.export_jobs`,
:func:`~mock_server.domain.recruiter.views.indicator`) answer "what does seat S see", exactly as
``/_mock/recruiter/*`` shows it.
"""

from __future__ import annotations

import collections
import datetime
import functools

from mock_server.api import versions
from mock_server.api.widgets import configuration
from mock_server.certification import requests as journal
from mock_server.domain.acls import acl_table, assignee_table
from mock_server.domain.integrations import RSC_TYPES
from mock_server.domain.jobs import Jobs
from mock_server.domain.matching import MemberDirectory
from mock_server.domain.recruiter import views
from mock_server.domain.recruiter.exports import EXPORTS
from mock_server.domain.recruiter.interactions import seat_urn
from mock_server.domain.synced import APPLICATIONS, CANDIDATE_NOTES, CANDIDATES, CHILDREN, store_key
from mock_server.restli.errors import RestliError


def customer_of(world, unique_foreign_id: str | None = None) -> dict:
    """The child application under certification: the one with ``unique_foreign_id``; by default the one whose
    credentials made the most journaled requests (the partner's active customer), else the first child
    application with an ACTIVE seat (the test company of a guided run). 404 naming ``customer`` when no
    customer has that id, or when the world has no customer at all."""
    children = world.customers.children()
    if unique_foreign_id is not None:
        found = next((doc for doc in children if doc.get("uniqueForeignId") == unique_foreign_id), None)
        if found is None:
            known = ", ".join(sorted(doc.get("uniqueForeignId") or doc["key"] for doc in children)) or "none"
            raise RestliError(404, f"ERROR :: /customer :: no customer application with uniqueForeignId"
                                   f" {unique_foreign_id!r} (customers: {known})")
        return found
    if not children:
        raise RestliError(404, "ERROR :: /customer :: the emulator has no customer (child) application")
    traffic = collections.Counter(entry.get("application") for entry in world.journal.query({}))
    busiest = max(children, key=lambda doc: traffic.get(doc["key"], 0))
    if traffic.get(busiest["key"]):
        return busiest
    seated = [doc for doc in children if world.interactions.seats_of(doc.get("contracts", []), {"ACTIVE"})]
    return (seated or children)[0]


def candidate_name(doc: dict) -> str:
    """How evidence names a synced candidate: ``candidate CAND-1``."""
    return f"candidate {doc['atsCandidateId']}"


def application_name(doc: dict) -> str:
    """How evidence names a synced application: ``application APP-1``."""
    return f"application {doc['atsJobApplicationId']}"


def job_name(doc: dict) -> str:
    """How evidence names a synced job: ``job JOB-1``."""
    return f"job {doc['externalJobPostingId']}"


class Observed:
    """A read-only view of one customer for graders (see the module docstring). Methods return copies of
    stored documents (the store's own copies), lists oldest first where the store keeps an order."""

    def __init__(self, world, customer: dict, since: int = 0, subject: dict | None = None) -> None:
        self.world = world
        self.customer = customer
        self.since = since
        self.subject = subject
        self.now = world.clock.now_ms()
        self.organizations: list[str] = list(customer.get("organizations", []))
        self.contracts: list[str] = list(customer.get("contracts", []))

    # ---- applications and the journal ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The customer's developer-application URN."""
        return self.customer["key"]

    def instances(self) -> list[dict]:
        """Every child application of the customer's partner (one per customer instance), this one included."""
        return self.world.customers.children(self.customer.get("parent"))

    @functools.cached_property
    def journal(self) -> list[dict]:
        """Journaled requests since ``since``, oldest first (all applications), as graders read them
        (:func:`~mock_server.certification.requests.normalised`)."""
        return [journal.normalised(entry) for entry in self.world.journal.query({"since": self.since})]

    @functools.cached_property
    def whole_journal(self) -> list[dict]:
        """Every journaled request, ``since`` or not, oldest first, as graders read them."""
        return [journal.normalised(entry) for entry in self.world.journal.query({})]

    def requests(self, resource: str | None = None, restli_method: str | None = None, application: str | None = None,
                 method: str | None = None, ok: bool | None = None, whole: bool = False) -> list[dict]:
        """The customer's journaled Rest.li requests since ``since`` (``whole``: all of them; ``application``
        another key: that application's), filtered by resource (``atsCandidates/notes``: the v2 name, which a
        versioned record resource's calls take too), Rest.li method,
        HTTP method and, with ``ok``, by a 2xx (True) or other (False) status."""
        owner = application or self.key
        found = []
        for entry in self.whole_journal if whole else self.journal:
            if entry.get("application") != owner:
                continue
            if resource is not None and entry.get("resource") != resource:
                continue
            if restli_method is not None and (entry.get("restliMethod") or "").upper() != restli_method:
                continue
            if method is not None and entry.get("method") != method:
                continue
            if ok is not None and (200 <= (entry.get("status") or 0) < 300) != ok:
                continue
            found.append(entry)
        return found

    def version_served(self, header: str | None, at_ms: int) -> bool:
        """True when the emulator serves ``LinkedIn-Version: header`` at ``at_ms`` (epoch ms of its clock): a
        version of the table, within the configured bounds, released and not sunset
        (:func:`mock_server.api.versions.resolve`)."""
        month = datetime.datetime.fromtimestamp(at_ms / 1000, datetime.timezone.utc)
        try:
            versions.resolve(header, month.year * 100 + month.month, self.world.settings.oldest_version,
                             self.world.settings.latest_version)
        except RestliError:
            return False
        return True

    def partner_requests(self) -> list[dict]:
        """Journaled requests made with the partner's (parent) token since ``since``."""
        return self.requests(application=self.customer.get("parent"))

    def token_requests(self, client_id: str) -> list[dict]:
        """Journaled ``/oauth/v2/accessToken`` calls since ``since`` whose form names ``client_id``."""
        return [entry for entry in self.journal if entry.get("path") == "/oauth/v2/accessToken"
                and f"client_id={client_id}" in entry.get("request", {}).get("body", "")]

    def widget_requests(self) -> list[dict]:
        """Journaled frame-token requests of the widgets (``POST /_widgets/frames``, one per frame in.js
        creates) naming the customer's client id as ``api_key``: 200 when the page's origin may show the
        widget, 403 when it is not in ``validJsSdkDomains``. (The frames' own data calls name no customer: their
        token, masked in the journal, carries it.)"""
        return [entry for entry in self.journal if entry.get("path") == "/_widgets/frames"
                and journal.form_value(entry, "api_key") == self.customer["clientId"]]

    def notifications(self, notification_type: str | None = None) -> list[dict]:
        """Push notifications for the customer created since ``since``, oldest first."""
        wanted = {"application": self.key, **({"type": notification_type} if notification_type else {})}
        return [doc for doc in self.world.outbox.find(**wanted) if doc["createdAt"] >= self.since]

    def all_notification_ids(self) -> set[str]:
        """The id of every notification ever sent to the customer (any time)."""
        return {doc["id"] for doc in self.world.outbox.find(application=self.key)}

    # ---- integrations ------------------------------------------------------------------------------------------

    def integrations(self, application: dict | None = None) -> list[dict]:
        """The RSC integrations (pre-approved ones) of the customer (or of another child ``application``),
        ONE_CLICK_EXPORT … CSA_API order."""
        application = application or self.customer
        found = self.world.integrations.of_contexts(set(application.get("organizations", []))
                                                    | set(application.get("contracts", [])))
        return sorted((doc for doc in found if doc["integrationType"] in RSC_TYPES),
                      key=lambda doc: (RSC_TYPES.index(doc["integrationType"]), doc["integrationContext"]))

    def configuration(self, context: str, integration_type: str, name: str) -> str | None:
        """A configuration value of one of the customer's integrations, or None."""
        return self.world.integrations.configuration_value(context, integration_type, name)

    # ---- synced records ----------------------------------------------------------------------------------------

    def jobs(self) -> list[dict]:
        """The customer's synced jobs, in first-sync order."""
        jobs = Jobs(self.world.store, self.world.counters)
        return [job for organization in self.organizations for job in jobs.of_context(organization)]

    def job(self, organization: str, external_id: str) -> dict | None:
        """One synced job, or None."""
        return Jobs(self.world.store, self.world.counters).get(organization, external_id)

    def candidates(self) -> list[dict]:
        """The customer's synced candidates."""
        table = CANDIDATES.table.of(self.world.store)
        return [doc for organization in self.organizations for _, doc in table.find(integrationContext=organization)]

    def candidate(self, organization: str, candidate_id: str) -> dict | None:
        """One synced candidate, or None."""
        return CANDIDATES.table.of(self.world.store).get(store_key(
            {"atsCandidateId": candidate_id, "integrationContext": organization}))

    def candidate_notes(self, doc: dict) -> list[dict]:
        """The notes synced under a candidate document."""
        return views.children_of(self.world, CANDIDATE_NOTES, store_key(
            {part: doc[part] for part in CANDIDATES.key_parts}))

    def applications(self) -> list[dict]:
        """The customer's synced applications."""
        table = APPLICATIONS.table.of(self.world.store)
        return [doc for organization in self.organizations for _, doc in table.find(integrationContext=organization)]

    def application(self, organization: str, application_id: str) -> dict | None:
        """One synced application, or None."""
        return APPLICATIONS.table.of(self.world.store).get(store_key(
            {"atsJobApplicationId": application_id, "integrationContext": organization}))

    def application_records(self, doc: dict) -> dict[str, list[dict]]:
        """``{"notes", "interviewFeedback", "stages"}`` synced under an application document."""
        parent = store_key({part: doc[part] for part in APPLICATIONS.key_parts})
        return {name: views.children_of(self.world, children, parent) for name, children in CHILDREN.items()}

    def application_records_by_key(self, organization: str, application_id: str) -> dict[str, list[dict]]:
        """Like :meth:`application_records` for an application that may be gone (its key only)."""
        return self.application_records({"atsJobApplicationId": application_id, "integrationContext": organization,
                                          "dataProvider": "ATS"})

    def candidate_notes_by_key(self, organization: str, candidate_id: str) -> list[dict]:
        """Like :meth:`candidate_notes` for a candidate that may be gone (its key only)."""
        return self.candidate_notes({"atsCandidateId": candidate_id, "integrationContext": organization,
                                     "dataProvider": "ATS"})

    def acls(self) -> list[dict]:
        """ACL bindings (group ↔ job) of the customer's organizations."""
        table = acl_table(self.world.store)
        return [doc for organization in self.organizations for _, doc in table.find(integrationContext=organization)]

    def assignees(self) -> list[dict]:
        """ACL assignees (group ↔ person) of the customer's organizations."""
        table = assignee_table(self.world.store)
        return [doc for organization in self.organizations for _, doc in table.find(integrationContext=organization)]

    # ---- LinkedIn's side --------------------------------------------------------------------------------------

    def seats(self) -> list[dict]:
        """The ACTIVE seats of the customer's contracts, by id."""
        return self.world.interactions.seats_of(self.contracts, {"ACTIVE"})

    def seat_of(self, person: str) -> dict | None:
        """The ACTIVE seat ``person`` holds on the customer's contracts, or None."""
        return next((seat for seat in self.seats() if seat["member"] == person), None)

    def export_jobs(self, seat: dict) -> set[str]:
        """``externalJobPostingId`` of every job in the seat's One-Click Export drop-down."""
        return {job["externalJobPostingId"] for job in views.export_jobs(self.world, seat["id"])["jobs"]}

    def indicator(self, seat: dict, person: str) -> list[dict]:
        """The candidates the seat's In-ATS indicator shows on ``person``'s profile (each with ``notes`` and
        ``applications``)."""
        return views.indicator(self.world, seat["id"], person)["candidates"]

    def matches(self, doc: dict) -> list[str]:
        """Person URNs a candidate document is matched to: ``manualMatchedMember`` first, then the automatic
        matches."""
        automatic = MemberDirectory(self.world.store).matches(doc.get("emailAddresses"), doc.get("linkedInProfileUrl"))
        manual = [doc["manualMatchedMember"]] if doc.get("manualMatchedMember") else []
        return list(dict.fromkeys(manual + automatic))

    def member(self, person: str) -> dict | None:
        """A LinkedIn member of the fixtures, or None."""
        return self.world.interactions.member(person)

    def conversations(self) -> list[dict]:
        """InMail events of the customer's seats since ``since`` (``conversationEvents`` elements)."""
        return [event for seat in self.seats() for event in self.world.interactions.events(seat_urn(seat["id"]),
                                                                                            start=self.since)]

    def stubs(self) -> list[dict]:
        """Stub profiles shared with the customer's seats since ``since``."""
        return [stub for contract in self.contracts
                for stub in self.world.interactions.stubs(contract, start=self.since)]

    def prospects(self, limit: int = 25) -> list[dict]:
        """LinkedIn members who hold no seat and match none of the customer's candidates, by person URN:
        ``{"person", "firstName", "lastName", "emailAddress"}`` (members with an email address only)."""
        directory = MemberDirectory(self.world.store)
        taken = {seat["member"] for seat in self.world.interactions.seats_of(self.contracts)}
        for doc in self.candidates():
            taken.update(self.matches(doc))
        found = []
        for person, member in sorted(directory.members.items()):
            if person in taken or not member.get("emailAddresses"):
                continue
            found.append({"person": person, "firstName": member["firstName"], "lastName": member["lastName"],
                          "emailAddress": member["emailAddresses"][0]})
            if len(found) == limit:
                break
        return found

    def company(self) -> dict:
        """The test company as LinkedIn's engineer knows it before a guided run (``GET
        /_mock/certification/customer``): application, contexts, ACTIVE seats and their holders, the admins
        who may approve integrations, integrations and CALLBACK_URLs, and members who are not candidates
        yet."""
        seats = [{"id": seat["id"], "seat": seat_urn(seat["id"]), "member": seat["member"]} for seat in self.seats()]
        admins = configuration.admins(self.world, self.customer)
        return {"uniqueForeignId": self.customer.get("uniqueForeignId"), "application": self.key,
                "clientId": self.customer["clientId"], "organizations": self.organizations, "contracts": self.contracts,
                "validJsSdkDomains": self.customer.get("validJsSdkDomains", []), "seats": seats, "admins": admins,
                "integrations": [{"integrationType": doc["integrationType"],
                                  "integrationContext": doc["integrationContext"],
                                  "integrationName": doc.get("integrationName"), "enabled": "enabledAt" in doc}
                                 for doc in self.integrations()],
                "callbackUrls": {organization: self.configuration(organization, "ONE_CLICK_EXPORT", "CALLBACK_URL")
                                 for organization in self.organizations},
                "prospects": self.prospects()}

    def exports(self) -> list[dict]:
        """One-Click Export records of the customer since ``since`` (oldest first)."""
        found = [doc for _, doc in EXPORTS.of(self.world.store).items()
                 if doc.get("application") == self.key and doc["exportedAt"] >= self.since]
        return sorted(found, key=lambda doc: (doc["exportedAt"], doc["id"]))

"""The fidelity ledger inside the product: every behaviour the emulator implements, each either **documented**
(with the URL of the LinkedIn page, or LinkedIn's own collection or code, that says so) or **inferred** (with
the reason the emulator had to guess). Served as ``GET /_mock/fidelity`` and printed by ``rsc-mock fidelity``.

Generated, never written by hand where the code already knows:

* **resources**: every resource x method x base the dispatcher serves (FINDERs and ACTIONs by name), with the
  page that documents it (:data:`RESOURCE_PAGES`, :data:`METHOD_SOURCES`, :data:`REST_PAGES`) or the reason it
  is served anyway (:data:`INFERRED_METHODS`, :data:`REST_INFERRED`);
* **endpoints**: :data:`ENDPOINTS`, LinkedIn's hosts outside Rest.li (OAuth, the résumé upload, the plugins);
* **shapes**: every JSON Schema's ``x-provenance`` / ``x-source``, and those of its properties that carry their
  own;
* **advisories**: every :data:`mock_server.advisories.KINDS` with the page that words the recommendation;
* **rules**: :data:`RULES`, the behaviours that are neither a resource nor a shape (access, errors, limits,
  lifecycles), one row each.

Document: ``{"counts": {"documented": n, "inferred": m}, "behaviours": [{"id", "area", "what", "provenance",
"source" (documented) | "reason" (inferred)}]}``, behaviours in that order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from mock_server import advisories, schemas
from mock_server.restli.resource import Resource

DOCUMENTED, INFERRED = "documented", "inferred"
LEARN = "https://learn.microsoft.com/en-us/linkedin/"
MW = LEARN + "talent/middleware-platform/"
RSC = LEARN + "talent/recruiter-system-connect/"
RPI = RSC + "recruiter-prospect-interactions/"
JOBS = LEARN + "talent/job-postings/api/"
AUTH = LEARN + "shared/authentication/"
GUIDE = LEARN + "shared/api-guide/concepts/"
POSTMAN = ("https://github.com/linkedin-developers/recruiter-system-connect-development-tools"
           " (LinkedIn's RSC Postman collection)")
FIELD_REPORTS = "third-party captures of LinkedIn's replies (not on a LinkedIn page)"

RESOURCE_PAGES = {
    "provisionedApplications": MW + "provisioning-api",
    "atsIntegrations": RSC + "rsc-customer-configuration",
    "atsIntegrations/configurations": RSC + "rsc-customer-configuration",
    "atsEntityAcls": MW + "sync-acls",
    "atsEntityAclAssignees": MW + "sync-acls",
    "simpleJobPostings": JOBS + "create-jobs",
    "simpleJobPostingTasks": JOBS + "check-job-taskstatus",
    "atsCandidates": MW + "sync-candidates",
    "atsCandidates/notes": MW + "sync-candidate-notes",
    "atsApplications": MW + "sync-applications",
    "atsApplications/notes": MW + "sync-application-notes",
    "atsApplications/interviewFeedback": MW + "sync-application-interview-feedback",
    "atsApplications/stages": MW + "sync-application-stages",
    "seats": POSTMAN,
    "seatsV2": RPI + "recruiter-seatholders",
    "conversationEvents": RPI + "inmail-history",
    "mailStubs": RPI + "inmail-stub-profiles",
    "prospectNotes": RPI + "prospect-notes",
    "me": LEARN + "shared/integrations/people/profile-api",
    "exportedCandidates": RSC + "retrieve-exported-candidates",
    "hireMediaUrl": LEARN + "talent/crm-connect/sync-crm-candidate-resumes (the one page that documents the"
                            " upload)",
    "developerApplicationsSecurity": AUTH + "application-secret-management",
}
DELETION = RSC + "rsc-data-deletion"
# Methods documented somewhere other than their resource's page.
METHOD_SOURCES = {
    ("provisionedApplications", "PARTIAL_UPDATE"): POSTMAN,
    ("provisionedApplications", "FINDER credentialsByUniqueForeignId"): POSTMAN,
    ("atsIntegrations", "FINDER request"): POSTMAN,
    ("atsIntegrations/configurations", "BATCH_DELETE"): POSTMAN,
    ("atsEntityAcls", "FINDER criteria"): POSTMAN,
    ("atsEntityAclAssignees", "FINDER criteria"): POSTMAN,
    ("atsCandidates", "BATCH_PARTIAL_UPDATE"): POSTMAN + ", 'One Click Export - Attach Person URN'",
    ("atsCandidates", "BATCH_DELETE"): DELETION,
    ("atsCandidates/notes", "BATCH_DELETE"): DELETION,
    ("atsApplications", "BATCH_DELETE"): DELETION,
    ("atsApplications/notes", "BATCH_DELETE"): DELETION,
    ("atsApplications/interviewFeedback", "BATCH_DELETE"): DELETION,
    ("atsApplications/stages", "BATCH_DELETE"): DELETION,
}
READ_BACK = ("LinkedIn documents writing and deleting these records; the emulator also reads them back so an"
             " integration's tests can check what it synced")
INFERRED_METHODS = {
    ("developerApplicationsSecurity", "ACTION deleteDeveloperApplicationSecret"):
        "the application-secret-management page is cut off after the roll action: the delete action's name, body"
        " and errors are the emulator's",
    ("atsPurgedExportedCandidates", "FINDER criteria"):
        "LinkedIn names the resource and the 30-day polling rule, not its finder: name and parameter inferred",
    ("applicationInterviewFeedbacks", "BATCH_GET"): READ_BACK,
    ("atsApplications", "BATCH_GET"): READ_BACK,
    ("atsCandidates/notes", "BATCH_GET"): READ_BACK,
    ("atsApplications/notes", "BATCH_GET"): READ_BACK,
    ("atsApplications/interviewFeedback", "BATCH_GET"): READ_BACK,
    ("atsApplications/stages", "BATCH_GET"): READ_BACK,
}
RELEASE_NOTES = RSC + "rsc-release-notes?view=li-lts-2026-03"
# The versioned resources (README "The versioned family", its evidence column): the page naming each, ...
REST_PAGES = {
    "exportedCandidates": RSC + "retrieve-exported-candidates?view=li-lts-2026-04",
    "atsApplications": "https://learn.microsoft.com/pt-br/linkedin/talent/middleware-platform/sync-applications"
                       " (the /rest key: atsJobApplicationId + integrationContext)",
    "candidates": RELEASE_NOTES + " (rest/candidates: BATCH_UPDATE, BATCH_GET, BATCH_DELETE; the first version"
                                  " is inferred)",
    "applicationInterviewFeedbacks": MW + "sync-application-interview-feedback (the versioned name, 1,000,000"
                                          " calls/day; its key from a third-party copy)",
    "integrations": RSC + "rsc-customer-configuration?view=li-lts-2026-03",
    "integrationConfigurations": RSC + "rsc-customer-configuration?view=li-lts-2026-03 (the name; its key"
                                       " inferred)",
    "entityAclAssignees": MW + "sync-acls (the name; its key inferred)",
    "attachments": RELEASE_NOTES + " (rest/attachments: BATCH_UPDATE, BATCH_DELETE; its key from a third-party"
                                   " copy)",
    "exportedApplicationEvaluations": RELEASE_NOTES + " (the finder)",
    "exportedApplicationEvaluation": RSC + "retrieve-application-evaluation/exported-application-evaluation",
    "atsPurgedExportedCandidates": RSC + "retrieve-exported-candidates?view=li-lts-2026-04; " + RSC
                                   + "rsc-release-notes (July 2023)",
    "seatsV2": RPI + "recruiter-seatholders",
    "mailStubs": RPI + "inmail-stub-profiles",
    "simpleJobPostings": JOBS + "create-jobs; " + LEARN + "talent/job-postings/job-posting-release-notes (versioned"
                         " since 202501)",
    "simpleJobPostingTasks": JOBS + "check-job-taskstatus; " + LEARN + "talent/job-postings/job-posting-release-notes"
                             " (versioned since 202501)",
}
THIRD_PARTY_KEY = ("the versioned name and key come from a third-party copy of LinkedIn's page (withone.ai), not"
                   " a LinkedIn page")
# ... or why the emulator serves it without one.
REST_INFERRED = {
    "candidateNotes": THIRD_PARTY_KEY,
    "applicationNotes": THIRD_PARTY_KEY,
    "applicationStage": THIRD_PARTY_KEY + " (the singular name as scraped)",
    "entityAcls": THIRD_PARTY_KEY,
}
REST_UNLISTED = "a versioned resource no LinkedIn page or third-party copy was found for"

@dataclasses.dataclass(frozen=True)
class Behaviour:
    """One row of the ledger: a stable ``id``, its ``area`` (resource, endpoint, shape, advisory, access, errors,
    limits, lifecycle, push, callbacks, oauth, jobs, paging), ``what`` the emulator does, its ``provenance``
    (:data:`DOCUMENTED` or :data:`INFERRED`) and ``evidence``: the source for a documented row, the reason for
    an inferred one."""

    id: str
    area: str
    what: str
    provenance: str
    evidence: str

    def to_dict(self) -> dict:
        """``{"id", "area", "what", "provenance", "source" | "reason"}``."""
        key = "source" if self.provenance == DOCUMENTED else "reason"
        return {"id": self.id, "area": self.area, "what": self.what, "provenance": self.provenance,
                key: self.evidence}


def documented(row_id: str, area: str, what: str, source: str) -> Behaviour:
    """A behaviour LinkedIn documents at ``source``."""
    return Behaviour(row_id, area, what, DOCUMENTED, source)


def inferred(row_id: str, area: str, what: str, reason: str) -> Behaviour:
    """A behaviour the emulator had to guess, for ``reason``."""
    return Behaviour(row_id, area, what, INFERRED, reason)


# LinkedIn's hosts outside the Rest.li resources, one row per endpoint (and grant type).
ENDPOINTS = (
    documented("endpoint.oauth.accessToken.client_credentials", "endpoint", "POST /oauth/v2/accessToken"
               " grant_type=client_credentials (client id and secret as form fields or HTTP Basic)",
               AUTH + "client-credentials-flow; " + AUTH + "postman-getting-started (HTTP Basic)"),
    documented("endpoint.oauth.accessToken.authorization_code", "endpoint", "POST /oauth/v2/accessToken"
               " grant_type=authorization_code", AUTH + "authorization-code-flow"),
    documented("endpoint.oauth.accessToken.refresh_token", "endpoint", "POST /oauth/v2/accessToken"
               " grant_type=refresh_token", AUTH + "programmatic-refresh-tokens"),
    documented("endpoint.oauth.introspectToken", "endpoint", "POST /oauth/v2/introspectToken",
               AUTH + "token-introspection"),
    documented("endpoint.oauth.authorization", "endpoint", "GET /oauth/v2/authorization (the consent page; POST:"
               " the member's answer)", AUTH + "authorization-code-flow"),
    documented("endpoint.media.upload", "endpoint", "PUT /media/upload/{id}: the uploadUrl hireMediaUrl returns",
               LEARN + "talent/crm-connect/sync-crm-candidate-resumes"),
    documented("endpoint.widgets.in-js", "endpoint", "GET /xdoor/scripts/in.js: the plugins' loader",
               RSC + "rsc-customer-configuration; " + RSC + "profile-plugin"),
    inferred("endpoint.widgets.frames", "endpoint", "the plugins' frames and their data under /_widgets/"
             " (configuration and profile plugin)", "LinkedIn serves its plugins in frames from"
             " platform.linkedin.com whose URLs and protocol are not documented: these stand in for them"),
)

RULES = (
    documented("access.partner-token", "access", "a partner (parent) 2-legged token may call only"
               " provisionedApplications and developerApplicationsSecurity; anything else → 403",
               POSTMAN + " README; " + MW + "provisioning-api"),
    documented("access.customer-token", "access", "a customer (child) 2-legged token calls every other resource",
               POSTMAN + " README"),
    documented("access.client-credentials-only", "access", "RSC data resources take client-credentials"
               " (2-legged) tokens: a member (3-legged) token on them → 403", RSC + "retrieve-exported-candidates ("
               "client credentials for all calls); " + MW + "provisioning-api"),
    inferred("access.own-contexts", "access", "a customer token reaches only the integration contexts (organization"
             " and contract URNs) its customer owns; another's → 403, per entity in batches",
             "LinkedIn does not document the answer; one customer must never reach another's data"),
    documented("access.enabled-integrations", "access", "data of an integration context is sent or read only once"
               " the customer has enabled an integration of it in Recruiter (BATCH_DELETE stays open)",
               RSC + "rsc-customer-configuration (configuration step 5)"),
    inferred("access.enabled-integrations.answer", "access", "a call naming a context without an enabled"
             " integration → 403 ACCESS_DENIED with the reason in parentheses",
             "LinkedIn documents the rule, not its answer: the emulator answers as it does for any context the"
             " caller may not use"),
    documented("errors.envelope", "errors", "error replies {status, serviceErrorCode, message} with"
               " X-RestLi-Error-Response (protocol 2.0) or X-LinkedIn-Error-Response (1.0)",
               GUIDE + "error-handling"),
    inferred("errors.access-denied", "errors", "403 bodies carry code ACCESS_DENIED and 'Not enough permissions to"
             " access: <resource>.<METHOD>.<version>' (FINDER-<name>; NO_VERSION on /v2, YYYYMMDD on /rest)",
             FIELD_REPORTS),
    documented("errors.401", "errors", "a missing, malformed, invalid, expired or revoked token → 401",
               GUIDE + "error-handling"),
    inferred("errors.401.codes", "errors", "serviceErrorCode 65600 (invalid), 65601 (expired), 65602 (revoked)",
             FIELD_REPORTS),
    documented("versions.required", "versions", "/rest needs LinkedIn-Version (YYYYMM or YYYYMM.RR): missing →"
               " 400", LEARN + "talent/versioning"),
    inferred("versions.codes", "versions", "version errors carry code VERSION_MISSING (400) or NONEXISTENT_VERSION"
             " (426, 'Requested version 20231201 is not active')", FIELD_REPORTS),
    inferred("versions.window", "versions", "the versions of the version table (api/versions.py) are active from"
             " their release month for two years on the emulator's clock, within settings oldest_version /"
             " latest_version; any other → 426", "LinkedIn's versioning page gives the two-year rule but its table"
             " is cut off: the rows come from it, the release notes and LinkedIn's LTS SDK"),
    documented("limits.batch-100", "limits", "at most 100 entities per batch call (→ 400 above)",
               MW + "sync-candidates; " + JOBS + "create-jobs"),
    documented("limits.daily", "limits", "calls per application and UTC day per resource (100,000 sync, 5,000"
               " atsIntegrations, 300,000 simpleJobPostingTasks; seats, InMail history, stub profiles and prospect"
               " notes share 100,000; on /rest 5,000 integrations and integrationConfigurations, 1,000,000"
               " applicationInterviewFeedbacks) → 429 with Retry-After", GUIDE + "rate-limits; " + RPI.rstrip("/")),
    documented("limits.per-minute", "limits", "10,000 records per application per minute on the sync resources"
               " (their /rest names too), 12 records per member per minute on conversationEvents → 429 with"
               " Retry-After",
               MW + "sync-candidates (and its sibling pages); " + RPI + "inmail-history"),
    inferred("limits.counting", "limits", "a call is refused once the window's count has reached the limit;"
             " records are a batch's entities, or the elements a conversationEvents reply returns, counted"
             " against the viewer seat's holder; minutes are fixed windows of the emulator's clock",
             "LinkedIn gives the numbers, not how it counts them"),
    inferred("limits.message", "limits", "429 message 'Resource level throttle APPLICATION DAY limit for calls to"
             " this resource is reached.' (APPLICATION MINUTE / MEMBER MINUTE for the per-minute limits)",
             FIELD_REPORTS + "; the error-handling page words it without APPLICATION DAY"),
    documented("limits.export-cap", "limits", "300 One-Click Exports per Recruiter seat per month → 429",
               RSC + "retrieve-exported-candidates"),
    documented("acls.max-10", "acls", "a member holds at most 10 ACL groups (11th → 422)", MW + "sync-acls"),
    documented("callbacks.https", "callbacks", "a CALLBACK_URL is https on port 443 or 80 (anything else → 400)",
               LEARN + "talent/receive-push-events"),
    documented("callbacks.one-per-customer", "callbacks", "a CALLBACK_URL another customer uses → 409 (without"
               " naming it)", LEARN + "talent/receive-push-events"),
    inferred("callbacks.loopback", "callbacks", "loopback receivers (localhost, 127.0.0.0/8, ::1) are accepted on"
             " any scheme and port, with an advisory", "local testing needs a receiver on the developer's"
             " machine; LinkedIn would refuse it"),
    inferred("callbacks.never-admin", "callbacks", "a CALLBACK_URL under /_mock (any spelling) other than"
             " /_mock/inbox/<name> → 400", "a push must never drive the emulator's admin API"),
    inferred("push.body", "push", "push notifications POST {id, type, expiresAt} signed X-LI-Signature, retried"
             " 6 times", "LinkedIn's RSC push format is not documented; taken from Apply Connect and receivers of"
             " it (README 'What is inferred')"),
    documented("lifecycle.integration-status", "lifecycle", "enabling or disabling an integration pushes an"
               " INTEGRATION_STATUS_CHANGE notification read with atsIntegrations?q=request", POSTMAN),
    inferred("lifecycle.integration-fields", "lifecycle", "an integration shows preApprovedAt and, while enabled,"
             " enabledAt", "LinkedIn's integration entity fields could not be read"),
    documented("jobs.tasks", "jobs", "a job task is IN_PROGRESS, then SUCCEEDED or FAILED with errorMessage",
               JOBS + "check-job-taskstatus"),
    documented("jobs.task-lifespan", "jobs", "a job task is polled for 30 days after it was created, then 404"
               " (settings.task_lifespan; create-jobs says 24 hours: README decisions)", JOBS + "check-job-taskstatus"),
    inferred("jobs.task-delay", "jobs", "tasks finish after settings.job_task_delay (default: by the second poll)",
             "LinkedIn says only 'typically within five minutes'"),
    documented("oauth.token-lifetimes", "oauth", "2-legged tokens live 30 minutes, 3-legged 60 days, refresh"
               " tokens 365 days from the first grant", AUTH + "client-credentials-flow; " + AUTH
               + "programmatic-refresh-tokens"),
    documented("oauth.client-credentials-permission", "oauth", "an application not granted the client-credentials"
               " flow (fixture clientCredentials: false) → 401 access_denied", AUTH + "client-credentials-flow"),
    documented("oauth.revocation", "oauth", "a revoked token (DELETE /_mock/tokens/{token}) → 401",
               GUIDE + "error-handling"),
    documented("paging.defaults", "paging", "finders page with start (default 0) and count (default 10)",
               GUIDE + "pagination"),
    documented("protocol.versions", "errors", "an X-RestLi-Protocol-Version outside 1.0.0-2.0.0 → 400 'Rest.li"
               " protocol version <v> used by the client is not supported!'",
               "https://github.com/linkedin/rest.li (RestLiServer and its tests)"),
    documented("protocol.reply-json", "errors", "every Rest.li reply body, data or error, is compact JSON in UTF-8"
               " (no whitespace between tokens, non-ASCII characters as themselves)",
               "https://github.com/linkedin/rest.li (data/.../codec/JacksonDataCodec.java: no pretty printer unless"
               " one is set)"),
    inferred("errors.repeated-headers", "errors", "X-RestLi-Protocol-Version, X-RestLi-Method, LinkedIn-Version,"
             " Authorization or X-HTTP-Method-Override sent twice → 400 naming the header",
             "which value LinkedIn's front door reads is not documented; picking one would hide a client bug"),
    documented("errors.organization-records", "errors", "synced records (candidates, applications, their notes,"
               " feedback and stages, ACLs, attachments, purged exports) take an organization integrationContext:"
               " a contract URN, even the caller's own, → 422 per entity, 400 in a path or finder parameter",
               MW + "sync-candidates (integrationContext urn:li:organization:{id}) and its sibling pages"),
    inferred("errors.malformed-context", "errors", "an integrationContext that is not an organization or contract"
             " URN → 400 naming it (a well-formed foreign one stays 403)",
             "Rest.li refuses a value its Urn type cannot take as a bad request; LinkedIn's text is not known"),
    inferred("errors.unknown-fields", "errors", "a synced entity with a field its schema lacks → 422 'unrecognized"
             " field found but not allowed', nothing stored (jobs excepted)", FIELD_REPORTS),
    inferred("media.upload-url", "lifecycle", "a hireMediaUrl uploadUrl is signed (403 without its signature) and"
             " single-use (409 for a second file)", "LinkedIn does not document reuse of its pre-signed upload"
             " URLs"),
    inferred("lifecycle.closed-member", "lifecycle", "a member who closed the account is left out of"
             " exportedCandidates, conversationEvents, mailStubs, prospectNotes, matchedMembers and"
             " manualMatchedMember (v2 and rest), widget search and the consent page, and cannot be InMailed,"
             " noted, exported or attached; atsPurgedExportedCandidates lists the exports",
             "the release notes say partners must delete closed members' data, not what the retrieve APIs show"),
    inferred("oauth.closed-member", "oauth", "a member who closed the account cannot sign in (consent refused);"
             " closing revokes the member's tokens (401 65602, refresh refused) and withdraws unused codes",
             "LinkedIn's authorization-code-flow and refresh-token pages document no closed-account case; 65602"
             " is LinkedIn's revoked-token error (error-handling page)"),
)


def resource_behaviours(served: Iterable[tuple[str, Resource]]) -> list[Behaviour]:
    """One row per ``(base, resource)`` of ``served`` and method it answers (a FINDER per finder name, an ACTION
    per action name)."""
    rows = []
    for base, resource in sorted(served, key=lambda item: (item[0] != "v2", item[0], item[1].path)):
        methods = [m for m in resource.methods if m not in ("FINDER", "ACTION")]
        methods += [f"FINDER {name}" for name in sorted(resource.finders)]
        if "ACTION" in resource.methods:
            methods += [f"ACTION {name}" for name in resource.actions] or ["ACTION"]
        for method in methods:
            row_id = f"resource.{base}.{resource.path}.{method.replace(' ', '.')}"
            what = f"{method} /{base}/{resource.path}"
            if (resource.path, method) in INFERRED_METHODS:
                rows.append(inferred(row_id, "resource", what, INFERRED_METHODS[(resource.path, method)]))
            elif base == "rest" and resource.path in REST_PAGES:
                rows.append(documented(row_id, "resource", what, REST_PAGES[resource.path]))
            elif base == "rest":
                rows.append(inferred(row_id, "resource", what, REST_INFERRED.get(resource.path, REST_UNLISTED)))
            else:
                source = METHOD_SOURCES.get((resource.path, method)) or RESOURCE_PAGES.get(resource.path)
                rows.append(documented(row_id, "resource", what, source) if source else
                            inferred(row_id, "resource", what, "no LinkedIn page names this resource"))
    return rows


def schema_behaviours() -> list[Behaviour]:
    """One row per JSON Schema, and per property that records its own provenance."""
    rows = []
    for name in schemas.names():
        schema = schemas.load(name)
        rows.append(from_schema(f"shape.{name}", f"shape of {schema.get('title', name)}", schema, name))
        items = schema.get("items", {}) if schema.get("type") == "array" else schema
        for prop, spec in sorted(items.get("properties", {}).items()):
            if isinstance(spec, dict) and "x-provenance" in spec:
                rows.append(from_schema(f"shape.{name}.{prop}", f"{name}: {prop}", spec,
                                        schema.get("x-source") or name))
    return rows


def from_schema(row_id: str, what: str, spec: dict, fallback: str) -> Behaviour:
    """The row of a schema (or property) ``spec`` from its ``x-provenance`` and ``x-source`` (else its
    description and the ``fallback`` source, its schema's)."""
    evidence = spec.get("x-source") or "; ".join(filter(None, (spec.get("description"), fallback)))
    if spec.get("x-provenance") == DOCUMENTED:
        return documented(row_id, "shape", what, evidence)
    return inferred(row_id, "shape", what, evidence)


def advisory_behaviours() -> list[Behaviour]:
    """One row per advisory the emulator gives (:data:`mock_server.advisories.KINDS`)."""
    return [documented(f"advisory.{kind.code}.{kind.source.rstrip('/').rsplit('/', 1)[-1]}", "advisory",
                       f"advisory {kind.code}: {kind.recommendation}", kind.source) for kind in advisories.KINDS]


def build(served: Iterable[tuple[str, Resource]]) -> dict:
    """The ledger document (see the module docstring) for the ``(base, resource)`` pairs ``served``."""
    rows = [*resource_behaviours(served), *ENDPOINTS, *schema_behaviours(), *advisory_behaviours(), *RULES]
    counts = {DOCUMENTED: sum(row.provenance == DOCUMENTED for row in rows),
              INFERRED: sum(row.provenance == INFERRED for row in rows)}
    return {"counts": counts, "behaviours": [row.to_dict() for row in rows]}


def served_by(dispatcher) -> list[tuple[str, Resource]]:
    """The ``(base, resource)`` pairs a :class:`~mock_server.restli.dispatch.Dispatcher` serves."""
    return [(base, resource) for (base, _), resource in dispatcher.resources.items()]


def text(document: dict) -> str:
    """The ledger as text, one behaviour a line: ``<provenance>  <id>  <what> — <source or reason>``."""
    lines = [f"{document['counts'][DOCUMENTED]} documented, {document['counts'][INFERRED]} inferred"]
    for row in document["behaviours"]:
        evidence = row.get("source") or row.get("reason")
        lines.append(f"{row['provenance']:<10}  {row['id']}  {row['what']} — {evidence}")
    return "\n".join(lines) + "\n"

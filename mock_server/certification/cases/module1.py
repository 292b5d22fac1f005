"""Module 1 — Configure Customer Applications and ATS Integrations (customer onboarding).

LinkedIn's page (CERT1) has one older "Test Case 1 - Customer Onboarding" and the rule rows RSC-101 to RSC-104
(RSC-104 cut off after its first words); the profile-plugin notes name RSC-105 (JS SDK domains). The guided
run plays the customer's admin: it turns the integrations off (so enabling them is a first-time event),
asks the ATS to onboard the customer, approves the integrations in the configuration widget from the ATS's
origin, hands the ATS what the widget's ``data-onintegrate`` receives, and enables the integrations in
Recruiter, which pushes INTEGRATION_STATUS_CHANGE.
"""

from __future__ import annotations

from mock_server.certification import requests as journal
from mock_server.certification.cases.common import CERT1, ids, listing, when
from mock_server.certification.model import Case

SYNC_WRITES = (("simpleJobPostings", "BATCH_CREATE"), ("atsCandidates", "BATCH_UPDATE"),
               ("atsApplications", "BATCH_UPDATE"))
ALL_PRODUCT_USERS = "ALL_PRODUCT_USERS"
VIEWERS = (("ONE_CLICK_EXPORT", "JOB_POSTING_VIEWERS"), ("IN_ATS_INDICATOR", "APPLICATION_VIEWERS"))


def integration_label(doc: dict) -> str:
    """``ONE_CLICK_EXPORT of urn:li:organization:1000``."""
    return f"{doc['integrationType']} of {doc['integrationContext']}"


def mentions(entry: dict, urn: str) -> bool:
    """True when a journaled request names ``urn`` in its path, query or body (raw or %-encoded)."""
    encoded = urn.replace(":", "%3A")
    text = " ".join((entry.get("path", ""), entry.get("query", ""), entry.get("request", {}).get("body", "")))
    return urn in text or encoded in text or encoded.lower() in text


# ---- RSC-101 ---------------------------------------------------------------------------------------------------

def grade_onboarding(obs, g) -> str:
    """RSC-101: named integrations the admin can enable, credentials and mappings stored, status read, the
    historical sync started by the enablement."""
    integrations = obs.integrations()
    if not integrations:
        g.wait("the customer's admin to pre-approve the RSC integrations in the configuration widget")
        return ""
    unnamed = [doc for doc in integrations if not (doc.get("integrationName") or "").strip()]
    naming = obs.requests(resource="atsIntegrations", restli_method="BATCH_PARTIAL_UPDATE", ok=True)
    if unnamed:
        g.fail(f"{listing(map(integration_label, unnamed))} {'has' if len(unnamed) == 1 else 'have'} no"
               " integrationName: the admin cannot find an appropriately named integration in Recruiter",
               entities=[integration_label(doc) for doc in unnamed])
    else:
        names = [repr(doc["integrationName"]) for doc in integrations]
        g.ok(f"every RSC integration is named ({listing(names)})",
             requests=ids(naming), entities=[integration_label(doc) for doc in integrations])
    disabled = [doc for doc in integrations if "enabledAt" not in doc]
    if disabled:
        g.wait(f"the customer's admin to enable {listing(map(integration_label, disabled))} in Recruiter")
        return ""
    enabled_at = max(doc["enabledAt"] for doc in integrations)
    g.ok(f"the admin enabled all {len(integrations)} integrations (last at {when(enabled_at)})", at=[enabled_at])
    tokens = [entry for entry in obs.token_requests(obs.customer["clientId"]) if entry.get("status") == 200]
    if tokens:
        g.ok(f"the ATS stored the instance's credentials: it got tokens with client id {obs.customer['clientId']}",
             requests=ids(tokens[:3]), at=[tokens[0]["at"]])
    else:
        g.wait(f"the ATS to get a token with the customer's own credentials (client id {obs.customer['clientId']})")
    contexts = sorted({doc["integrationContext"] for doc in integrations})
    used = {urn: [entry for entry in obs.requests() if mentions(entry, urn)] for urn in contexts}
    unused = [urn for urn in contexts if not used[urn]]
    if unused:
        g.wait(f"the ATS to use the integration mapping {listing(unused)} in its calls")
    else:
        g.ok(f"the ATS stored the integration mappings: its calls name {listing(contexts)}",
             requests=[used[urn][0]["id"] for urn in contexts])
    status_reads = status_read(obs)
    if status_reads:
        g.ok("the ATS read the integration status LinkedIn pushed (atsIntegrations)", requests=ids(status_reads[:3]),
             at=[status_reads[0]["at"]])
    else:
        g.wait("the ATS to read the integration status (atsIntegrations FINDER q=request with the"
               " INTEGRATION_STATUS_CHANGE push's id, or a BATCH_GET)")
    first_sync(obs, g, integrations)
    return (f"{len(integrations)} named integrations enabled by the admin; credentials, mappings and status in the"
            " ATS; historical sync started after enablement")


def status_read(obs) -> list[dict]:
    """The customer's reads of its integration status after the latest INTEGRATION_STATUS_CHANGE push (any
    read when no push was sent in the window)."""
    pushes = obs.notifications("INTEGRATION_STATUS_CHANGE")
    reads = [entry for entry in obs.requests(resource="atsIntegrations", ok=True)
             if entry.get("restliMethod") in ("FINDER", "BATCH_GET")]
    if not pushes:
        return reads
    pushed = {doc["id"] for doc in pushes}
    latest = pushes[-1]["createdAt"]
    return [entry for entry in reads if journal.query_value(entry, "requestId") in pushed
            or (entry.get("restliMethod") == "BATCH_GET" and entry["at"] >= latest)]


def first_sync(obs, g, integrations: list[dict]) -> None:
    """TC1 step 3: the historical sync is started by the enablement — no sync write before the integrations
    of its organization were enabled."""
    enabled: dict[str, int] = {}
    for doc in integrations:
        if doc["integrationType"] in ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR") and "enabledAt" in doc:
            context = doc["integrationContext"]
            enabled[context] = max(enabled.get(context, 0), doc["enabledAt"])
    writes = sorted((entry for resource, method in SYNC_WRITES
                     for entry in obs.requests(resource=resource, restli_method=method)), key=lambda e: e["seq"])
    if not writes:
        g.wait("the historical data sync to start")
        return
    early = [entry for entry in writes
             if any(mentions(entry, context) and entry["at"] < at for context, at in enabled.items())
             or not any(mentions(entry, context) for context in enabled)]
    if early:
        entry = early[0]
        g.fail(f"request {entry['id']} ({entry['restliMethod']} {entry['resource']} at {when(entry['at'])}) synced"
               " data before the customer's admin had enabled the integrations of its organization"
               f" ({', '.join(f'{c} at {when(t)}' for c, t in sorted(enabled.items())) or 'never enabled'});"
               " the historical sync must start with the enablement", requests=ids(early[:5]),
               at=[entry["at"]], settled=True)
    else:
        g.ok(f"the historical sync started after enablement (request {writes[0]['id']}, {writes[0]['restliMethod']}"
             f" {writes[0]['resource']} at {when(writes[0]['at'])})", requests=[writes[0]["id"]], at=[writes[0]["at"]])


def play_onboarding(session) -> dict:
    """RSC-101: onboard the customer as a first-time RSC customer (see the module docstring)."""
    return session.onboard(session.customer)


# ---- RSC-102 ---------------------------------------------------------------------------------------------------

def grade_availability(obs, g) -> str:
    """RSC-102: the customer chooses PUBLIC or PRIVATE per job, or every job is PRIVATE_TO_ATS_INTEGRATION."""
    requested = (obs.subject or {}).get("jobs")
    if requested:
        for item in requested:
            job = obs.job(item["integrationContext"], item["externalJobPostingId"])
            expected = item["requested"] if item.get("offersChoice", True) else "PRIVATE_TO_ATS_INTEGRATION"
            if job is None:
                g.wait(f"the ATS to sync job {item['externalJobPostingId']} (created with availability"
                       f" {item['requested']})")
            elif job.get("availability") != expected:
                g.fail(f"job {item['externalJobPostingId']} was created in the ATS as {item['requested']} but synced"
                       f" as {job.get('availability')}; expected {expected}",
                       entities=[f"job {item['externalJobPostingId']}"],
                       at=[job["lastModifiedAt"]])
            else:
                g.ok(f"job {item['externalJobPostingId']} synced as {expected}"
                     + ("" if item.get("offersChoice", True) else " (the ATS offers no choice: private only)"),
                     entities=[f"job {item['externalJobPostingId']}"], at=[job["lastModifiedAt"]])
        return "each job synced with the availability the customer chose"
    jobs = obs.jobs()
    if not jobs:
        g.wait("synced jobs")
        return ""
    public = [job["externalJobPostingId"] for job in jobs if job.get("availability") == "PUBLIC"]
    private = [job["externalJobPostingId"] for job in jobs if job.get("availability") == "PRIVATE_TO_ATS_INTEGRATION"]
    if public and not private:
        g.fail(f"all {len(jobs)} synced jobs are PUBLIC ({listing(public)}); an ATS that does not let the customer"
               " choose must post PRIVATE_TO_ATS_INTEGRATION only", entities=[f"job {j}" for j in public[:5]])
    elif public:
        g.ok(f"the customer chose per job: {len(public)} PUBLIC, {len(private)} PRIVATE_TO_ATS_INTEGRATION")
    else:
        g.ok(f"all {len(jobs)} synced jobs are PRIVATE_TO_ATS_INTEGRATION")
    return "synced jobs follow the customer's availability choice"


def play_availability(session) -> dict:
    """RSC-102: the customer creates one PUBLIC and one PRIVATE job in the ATS."""
    session.ensure_onboarded()
    jobs = []
    for availability in ("PUBLIC", "PRIVATE_TO_ATS_INTEGRATION"):
        answer = session.ask("createJob", availability=availability, required=("externalJobPostingId",))
        jobs.append({"externalJobPostingId": answer["externalJobPostingId"],
                     "integrationContext": answer.get("integrationContext", session.organization),
                     "requested": availability, "offersChoice": answer.get("offersChoice", True)})
    return {"jobs": jobs}


# ---- RSC-103 ---------------------------------------------------------------------------------------------------

def grade_instances(obs, g) -> str:
    """RSC-103: one developer application per customer instance; each instance's traffic uses its own
    credentials, and each instance's integrations are activated."""
    wanted = (obs.subject or {}).get("instances")
    children = {doc["uniqueForeignId"]: doc for doc in obs.instances() if doc.get("uniqueForeignId")}
    if wanted:
        missing = [uid for uid in wanted if uid not in children]
        for uid in missing:
            g.wait(f"the ATS to provision the application of customer instance {uid!r} (provisionedApplications)")
        instances = [children[uid] for uid in wanted if uid in children]
    else:
        instances = [doc for doc in children.values() if obs.requests(application=doc["key"])]
        if len(instances) < 2:
            g.wait("a second customer instance (another Recruiter contract) onboarded with its own application")
            return ""
    for doc in instances:
        own = obs.requests(application=doc["key"])
        refused = [entry for entry in own if entry.get("status") == 403]
        named = [entry for entry in own if entry.get("resource") == "atsIntegrations"
                 and entry.get("restliMethod") == "BATCH_PARTIAL_UPDATE" and entry.get("status") == 200]
        label = f"instance {doc['uniqueForeignId']!r} ({doc['key']})"
        if refused:
            g.fail(f"{label}: request {refused[0]['id']} was refused 403 ({refused[0]['restliMethod']}"
                   f" {refused[0]['resource']}): an instance called with credentials that do not own the context",
                   requests=ids(refused[:5]), entities=[doc["key"]], settled=True)
        if not named:
            g.wait(f"{label} to name its integrations with its own credentials")
        else:
            g.ok(f"{label} activated its integrations with its own application (client id {doc['clientId']})",
                 requests=ids(named[:2]), entities=[doc["key"]])
        disabled = [item for item in obs.integrations(doc) if "enabledAt" not in item]
        if disabled:
            g.wait(f"{label}: the admin to enable {listing(map(integration_label, disabled))}")
    keys = {doc["key"] for doc in instances}
    if len(keys) < len(instances):
        g.fail("two customer instances share one developer application", entities=sorted(keys), settled=True)
    return f"{len(instances)} customer instances, each with its own application and credentials"


def play_instances(session) -> dict:
    """RSC-103: onboard a second instance of the customer (another Recruiter contract) next to the first."""
    session.ensure_onboarded()
    second = f"{session.customer}-contract-2"
    session.onboard(second)
    return {"instances": [session.customer, second]}


# ---- RSC-104 ---------------------------------------------------------------------------------------------------

def grade_configuration(obs, g) -> str:
    """RSC-104: the integration configurations are stored: CALLBACK_URL, and the viewer settings
    ALL_PRODUCT_USERS when the customer has no ACLs (not when it has)."""
    organizations = [doc["integrationContext"] for doc in obs.integrations()
                     if doc["integrationType"] == "ONE_CLICK_EXPORT"]
    if not organizations:
        g.wait("a pre-approved ONE_CLICK_EXPORT integration")
        return ""
    writes = obs.requests(resource="atsIntegrations/configurations", restli_method="BATCH_UPDATE", ok=True)
    uses_acls = (obs.subject or {}).get("usesAcls")
    if uses_acls is None:
        uses_acls = bool(obs.acls() or obs.assignees())
    for organization in organizations:
        url = obs.configuration(organization, "ONE_CLICK_EXPORT", "CALLBACK_URL")
        if url:
            g.ok(f"CALLBACK_URL of ONE_CLICK_EXPORT of {organization} is {url}", requests=ids(writes[:2]))
        else:
            g.wait(f"the ATS to configure CALLBACK_URL on ONE_CLICK_EXPORT of {organization}")
        for integration_type, name in VIEWERS:
            value = obs.configuration(organization, integration_type, name)
            if uses_acls and value == ALL_PRODUCT_USERS:
                g.fail(f"{name} of {integration_type} of {organization} is ALL_PRODUCT_USERS although the customer"
                       " secures jobs with ACLs: every recruiter would see the secured jobs",
                       entities=[f"{integration_type} of {organization}"])
            elif not uses_acls and value is None:
                g.wait(f"the ATS to set {name} = ALL_PRODUCT_USERS on {integration_type} of {organization} (a"
                       " customer without ACLs)")
            elif not uses_acls and value != ALL_PRODUCT_USERS:
                g.fail(f"{name} of {integration_type} of {organization} is {value}; a customer without ACLs needs"
                       " ALL_PRODUCT_USERS", entities=[f"{integration_type} of {organization}"])
            else:
                g.ok(f"{name} of {integration_type} of {organization}: {value or 'not set (ACLs decide)'}")
    return "integration configurations stored" + (" (visibility by ACLs)" if uses_acls else " (visible to all)")


def play_configuration(session) -> dict:
    """RSC-104: nothing to play beyond onboarding; the ATS says whether the customer secures jobs with ACLs."""
    session.ensure_onboarded()
    return {"usesAcls": session.status().get("usesAcls")}


# ---- RSC-105 ---------------------------------------------------------------------------------------------------

def grade_sdk_domains(obs, g) -> str:
    """RSC-105: the customer application's JS SDK domains hold the ATS's origin, so LinkedIn's widgets render
    on the ATS page."""
    domains = obs.customer.get("validJsSdkDomains", [])
    origin = (obs.subject or {}).get("atsOrigin")
    if origin:
        if origin in domains:
            g.ok(f"{origin} is in validJsSdkDomains of {obs.key} ({listing(domains)})", entities=[obs.key])
        else:
            g.fail(f"the ATS origin {origin} is not in validJsSdkDomains of {obs.key} ({listing(domains) or 'none'}):"
                   " LinkedIn's widgets will not render on the ATS page", entities=[obs.key])
        return f"widgets may render on {origin}"
    calls = obs.widget_requests()
    refused = [entry for entry in calls if entry.get("status") == 403]
    shown = [entry for entry in calls if entry.get("status") == 200]
    if refused:
        g.fail(f"a widget was refused on the ATS page (request {refused[0]['id']}): its origin is not in"
               f" validJsSdkDomains of {obs.key} ({listing(domains) or 'none'})", requests=ids(refused[:5]))
    elif shown:
        g.ok(f"LinkedIn's widgets rendered for {obs.key} ({len(shown)} widget calls)", requests=ids(shown[:3]))
    else:
        g.wait("the ATS page to show a LinkedIn widget (in.js with the customer's api_key)")
    return "LinkedIn's widgets render on the ATS page"


def play_sdk_domains(session) -> dict:
    """RSC-105: the ATS says its origin (``describe``)."""
    session.ensure_onboarded()
    return {"atsOrigin": session.origin()}


CASES = (
    Case("RSC-101", "New customer implements RSC for the first time", 1, CERT1,
         needs="Onboarding: provision (or find) the customer's child application and keep its credentials, take the"
               " integrations the configuration widget approves, name them, configure CALLBACK_URL, receive the"
               " INTEGRATION_STATUS_CHANGE push and show the status, start the historical sync on enablement."
               " Guided: hook actions describe, onboard, integrationsApproved.",
         documented=("the test admin sees the appropriately named integration in Recruiter and can enable it",
                     "the ATS stores the instance credentials (client id and secret) and the integration mappings"
                     " (organization and contract URN)",
                     "the ATS shows the integration status on its admin/settings page",
                     "Test Case 1 step 3: what initiates the historical sync and how the customer knows it is done"),
         inferred=("credentials stored = the ATS gets tokens with the child application's client id",
                   "mappings stored = the ATS's calls name both contexts",
                   "status shown = the ATS resolves the INTEGRATION_STATUS_CHANGE push (or reads atsIntegrations)"
                   " after enablement",
                   "the historical sync starts with the enablement: no sync call before the integrations of its"
                   " organization were enabled"),
         grade=grade_onboarding, play=play_onboarding, aliases=("Test Case 1",)),
    Case("RSC-102", "Job availability: PUBLIC or PRIVATE", 1, CERT1,
         needs="Sync each job with the availability the customer chose, or PRIVATE_TO_ATS_INTEGRATION only."
               " Guided: hook action createJob with availability.",
         documented=("the ATS offers the customer the choice PUBLIC or PRIVATE for synced jobs",
                     "an ATS that cannot offer the choice posts PRIVATE_TO_ATS_INTEGRATION only"),
         inferred=("passively: PUBLIC and PRIVATE jobs side by side mean the customer chose; only PUBLIC jobs fail",),
         grade=grade_availability, play=play_availability, aliases=("Test Case 1",)),
    Case("RSC-103", "Multiple Recruiter contracts: one application per customer instance", 1, CERT1,
         needs="Provision one child application per customer instance (its uniqueForeignId) and call with that"
               " instance's credentials only. Guided: hook actions onboard and integrationsApproved for a second"
               " instance.",
         documented=("each customer instance gets its own developer application, created with the instance's"
                     " unique foreign id",
                     "activation and API traffic of an instance use that instance's credentials",
                     "Test Case 1 step 4: a customer can enable RSC for several Recruiter contracts at once"),
         inferred=("a 403 for another instance's context, or two instances on one application, fails the case",),
         grade=grade_instances, play=play_instances, aliases=("Test Case 1",)),
    Case("RSC-104", "Integration configuration settings are stored", 1, CERT1,
         needs="Configure CALLBACK_URL on ONE_CLICK_EXPORT; JOB_POSTING_VIEWERS and APPLICATION_VIEWERS ="
               " ALL_PRODUCT_USERS for a customer without ACLs. Guided: hook action status (usesAcls).",
         documented=("atsIntegration configuration settings are properly stored (the rest of the row is cut off)",
                     "JOB_POSTING_VIEWERS / APPLICATION_VIEWERS = ALL_PRODUCT_USERS when the customer has no ACLs"
                     " (spec sync-and-retrieve.md §4, from LinkedIn's collection and CERT1)"),
         inferred=("the settings checked are CALLBACK_URL and the two viewer settings",
                   "a customer with ACLs must not set ALL_PRODUCT_USERS (its ACLs would be ignored)"),
         grade=grade_configuration, play=play_configuration),
    Case("RSC-105", "JS SDK domains hold the ATS domain", 1, CERT1,
         needs="Add the ATS page's origin to the child application's validJsSdkDomains (provisionedApplications)."
               " Guided: hook action describe (atsOrigin).",
         documented=("the JS SDK domains of the child application must include the ATS domain (spec"
                     " sync-and-retrieve.md §7.1; the row itself could not be read)",),
         inferred=("judged by the origin the ATS names, or by the widget calls the emulator answered",),
         grade=grade_sdk_domains, play=play_sdk_domains),
)

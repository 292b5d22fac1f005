"""simpleJobPostings and simpleJobPostingTasks through the real server: both posting styles, LinkedIn's field
errors per element, request-level errors, tasks on the emulator's clock, the stored job documents."""

from __future__ import annotations

import time

import pytest

from mock_server.domain.jobs import Jobs
from tests.conftest import DEMO_ORG, token_for

BATCH_CREATE = {"x-restli-method": "batch_create", "Content-Type": "application/json"}
DESCRIPTION = ("Lorem Ipsum is simply dummy text of the printing and typesetting industry. Lorem Ipsum has been the"
               " industry's standard dummy text ever since the 1500s.")
REQUIRED = "field is required but not found and has no default value"
# how the task-status page's error table opens the FAILED messages of client-side errors
CLIENT_SIDE = ("Job processing failed due to a client-side error. Please check payload and integration setup."
               " Error details: ")
PARTNER = "urn:li:jobPostingPartner:1"  # the demo partner is urn:li:developerApplication:1


def now_ms() -> int:
    """What Postman's ``{{$timestamp}}000`` gives."""
    return int(time.time()) * 1000


def job(external_id: str = "TEST_EXTERNAL_JOB_ID_0002", **fields) -> dict:
    """A valid RSC-style job (the Postman collection's "Create Public Job" element)."""
    element = {"integrationContext": DEMO_ORG, "externalJobPostingId": external_id,
               "title": "Senior Software Engineer", "description": DESCRIPTION, "location": "San Francisco, CA",
               "availability": "PUBLIC", "state": "LISTED", "companyApplyUrl": "http://localhost:5000/jobs",
               "listedAt": now_ms()}
    element.update(fields)
    return {name: value for name, value in element.items() if value is not None}


def post(http, headers, *elements, base="v2", extra=None):
    return http.post(f"/{base}/simpleJobPostings", headers={**headers, **BATCH_CREATE, **(extra or {})},
                     json={"elements": list(elements)})


def tasks(http, headers, *ids, base="v2", extra=None):
    return http.get(f"/{base}/simpleJobPostingTasks", params=[("ids", task) for task in ids],
                    headers={**headers, **(extra or {})})


def task_of(http, headers, task_id) -> dict:
    reply = tasks(http, headers, task_id)
    assert reply.status_code == 200, reply.text
    return reply.json()["results"][task_id]


def finished(http, headers, task_id) -> dict:
    """The task after the two polls that finish it (delay 0)."""
    assert task_of(http, headers, task_id)["status"] == "IN_PROGRESS"
    return task_of(http, headers, task_id)


def accepted(reply) -> list[str]:
    assert reply.status_code == 200, reply.text
    elements = reply.json()["elements"]
    assert all(element["status"] == 202 for element in elements), elements
    return [element["id"] for element in elements]


def stored_job(server, external_id, context=DEMO_ORG):
    world = server.emulator
    return Jobs(world.store, world.customers).get(context, external_id)


def test_postman_module2_public_and_private_jobs(http, customer, server):
    public = post(http, customer, job())
    [public_task] = accepted(public)
    assert public_task.startswith("urn:li:simpleJobPostingTask:")
    first = task_of(http, customer, public_task)
    assert first == {"id": public_task, "externalJobPostingId": "TEST_EXTERNAL_JOB_ID_0002", "status": "IN_PROGRESS"}
    done = task_of(http, customer, public_task)
    assert done["status"] == "SUCCEEDED" and done["jobPosting"].startswith("urn:li:jobPosting:")
    private = post(http, customer, job("TEST_EXTERNAL_JOB_ID_0001", title="General Manager",
                                       availability="PRIVATE_TO_ATS_INTEGRATION"))
    [private_task] = accepted(private)
    assert finished(http, customer, private_task)["status"] == "SUCCEEDED"
    doc = stored_job(server, "TEST_EXTERNAL_JOB_ID_0001")
    assert doc["availability"] == "PRIVATE_TO_ATS_INTEGRATION" and doc["state"] == "LISTED"
    assert doc["accessRestricted"] is False and doc["title"] == "General Manager"
    assert doc["integrationContext"] == DEMO_ORG and doc["jobPosting"] != done["jobPosting"]
    assert "jobPostingOperationType" not in doc and doc["createdAt"] == doc["lastModifiedAt"]


def test_rest_base_needs_version_and_serves_the_same_jobs(http, customer):
    assert post(http, customer, job(), base="rest").status_code == 400
    reply = post(http, customer, job(), base="rest", extra={"LinkedIn-Version": "202501"})
    [task] = accepted(reply)
    first = tasks(http, customer, task, base="rest", extra={"LinkedIn-Version": "202604"})
    assert first.status_code == 200 and first.json()["results"][task]["status"] == "IN_PROGRESS"
    assert task_of(http, customer, task)["status"] == "SUCCEEDED"


def test_post_without_batch_create_header_is_403(http, customer):
    reply = http.post("/v2/simpleJobPostings", headers=customer, json={"elements": [job()]})
    assert reply.status_code == 403
    assert reply.json()["message"] == ("Unpermitted fields present in REQUEST_BODY: Data Processing Exception"
                                       " while processing fields [/elements]")
    assert reply.headers["X-LinkedIn-Error-Response"] == "true"


def test_no_company_information_is_a_request_level_400(http, customer):
    reply = post(http, customer, job("A"), job("B", integrationContext=None))
    assert reply.status_code == 400
    assert reply.json()["message"] == "Either context or company or companyPageUrl or companyName must be provided"
    assert post(http, customer, job("A")).status_code == 200  # nothing of the refused call was applied
    # companyName alone is company information: the job goes to the caller's organization
    [task] = accepted(post(http, customer, job("C", integrationContext=None, companyName="Acme")))
    assert finished(http, customer, task)["status"] == "SUCCEEDED"


def test_field_errors_are_per_element_in_request_order(http, customer, server):
    reply = post(http, customer,
                 job("E1", title=None),
                 job("E2", listedAt="abc"),
                 job("E3", jobPostingOperationType="UPDATED"),
                 job("E4", workplaceTypes=["remote", "hybrid"]),
                 job("E5"),
                 job("E6", location=None),
                 job("E7", location=None, countryCode="us", postalCode="94105", workplaceTypes=["remote"]),
                 job("E8", location=None, countryCode="us"),
                 job("E9", employmentStatus="SOMETIMES"),
                 job("E10", externalJobPostingId=12))
    assert reply.status_code == 200
    elements = reply.json()["elements"]
    assert [element["status"] for element in elements] == [422, 422, 422, 400, 202, 422, 202, 422, 422, 422]
    messages = [element.get("error", {}).get("message") for element in elements]
    assert messages[0] == f"ERROR :: /title :: {REQUIRED}"
    assert messages[1] == 'ERROR :: /listedAt :: "abc" cannot be coerced to Long'
    assert messages[2] == 'ERROR :: /jobPostingOperationType :: "UPDATED" is not an enum symbol'
    assert messages[3] == ("The workplaceTypes field cannot have more than one value provided. Provided values"
                           " [remote, hybrid]")
    assert messages[5].startswith(f"ERROR :: /location :: {REQUIRED}")
    assert messages[7].startswith(f"ERROR :: /postalCode :: {REQUIRED}")
    assert messages[8] == 'ERROR :: /employmentStatus :: "SOMETIMES" is not an enum symbol'
    assert messages[9] == "ERROR :: /externalJobPostingId :: 12 cannot be coerced to String"
    assert elements[4]["id"].startswith("urn:li:simpleJobPostingTask:")
    assert stored_job(server, "E5") is not None and stored_job(server, "E7")["countryCode"] == "us"
    assert stored_job(server, "E1") is None and stored_job(server, "E4") is None


@pytest.mark.parametrize("fields, where", [
    ({"title": "x" * 201}, "/title"),
    ({"externalJobPostingId": ""}, "/externalJobPostingId"),
    ({"availability": "SECRET"}, "/availability"),
    ({"state": "OPEN"}, "/state"),
    ({"experienceLevel": 3}, "/experienceLevel"),
    ({"accessRestricted": "yes"}, "/accessRestricted"),
    ({"workplaceTypes": ["moon"]}, "/workplaceTypes/0"),
    ({"categories": ["a", "b", "c", "d"]}, "/categories"),
    ({"integrationContext": "urn:li:company:1000"}, "/integrationContext"),
    ({"listingType": "PREMIUM"}, "/listingType"),
    ({"listedAt": 4_102_444_800_000}, "/listedAt"),
    ({"state": None}, "/state"),
])
def test_more_field_rules(http, customer, fields, where):
    reply = post(http, customer, job("R", **fields))
    [element] = reply.json()["elements"]
    assert element["status"] == 422, element
    assert element["error"]["message"].startswith(f"ERROR :: {where} :: ")


def test_more_than_seven_alternate_locations(http, customer):
    [element] = post(http, customer, job(alternateLocations=[f"City {n}, CA" for n in range(8)])).json()["elements"]
    assert element["status"] == 422 and element["error"]["message"].startswith("The job contains more than seven")


def test_invalid_company_apply_url_names_job_and_task(http, customer):
    [element] = post(http, customer, job("U1", companyApplyUrl="not a url")).json()["elements"]
    assert element["status"] == 400
    message = element["error"]["message"]
    assert message.startswith("Invalid company apply url for job with externalPartnerId U1, taskUrn"
                              " urn:li:simpleJobPostingTask:")


def test_job_for_another_customers_context_is_403_per_element(http, customer, server):
    reply = post(http, customer, job("X1", integrationContext="urn:li:organization:999999"), job("X2"))
    first, second = reply.json()["elements"]
    assert first["status"] == 403 and first["error"]["message"].startswith("Not enough permissions to access")
    assert second["status"] == 202
    assert stored_job(server, "X1", "urn:li:organization:999999") is None


def test_failed_tasks_carry_linkedins_messages(http, customer):
    accepted_ids = accepted(post(http, customer,
                                 job("F1", description="Too short."),
                                 job("F2", jobPostingOperationType="UPDATE"),
                                 job("F3", jobPostingOperationType="RENEW"),
                                 job("F4", jobPostingOperationType="CREATE"),
                                 job("F4", jobPostingOperationType="CREATE")))
    outcomes = [finished(http, customer, task) for task in accepted_ids]
    assert [outcome["status"] for outcome in outcomes] == ["FAILED", "FAILED", "FAILED", "SUCCEEDED", "FAILED"]
    # the task-status page's error table, word for word
    assert outcomes[0]["errorMessage"] == "The description length should be at least 100 characters"
    assert outcomes[1]["errorMessage"] == (CLIENT_SIDE + "Operation type UPDATE is not allowed for a non-existing job"
                                           f" of partner urn {PARTNER}, partner job code (F2)")
    assert outcomes[2]["errorMessage"] == CLIENT_SIDE + "Operation type RENEW is not allowed for a non-existing job"
    posting = outcomes[3]["jobPosting"].rsplit(":", 1)[-1]
    assert outcomes[4]["errorMessage"] == (
        CLIENT_SIDE + "Trying to create a job with same partnerIdentifier already exists. It is duplicate creation"
        " request for a basic job or a non-draft premium job. Dropping the duplicate job posting creation request."
        f" LinkedIn job id: {posting}, externalJobPostingId: F4")
    assert "jobPosting" not in outcomes[0] and "errorMessage" not in outcomes[3]


def test_job_posting_api_style_update_renew_close(http, customer, server):
    [created] = accepted(post(http, customer, job("P1", jobPostingOperationType="CREATE", state=None,
                                                  workplaceTypes=["remote"], employmentStatus="FULL_TIME")))
    posting = finished(http, customer, created)["jobPosting"]
    [updated] = accepted(post(http, customer, job("P1", jobPostingOperationType="UPDATE", state=None,
                                                  title="Staff Engineer")))
    assert finished(http, customer, updated)["jobPosting"] == posting
    doc = stored_job(server, "P1")
    assert doc["title"] == "Staff Engineer" and "employmentStatus" not in doc and doc["state"] == "LISTED"
    close = {"integrationContext": DEMO_ORG, "externalJobPostingId": "P1", "jobPostingOperationType": "CLOSE"}
    [closed] = accepted(post(http, customer, close))
    assert finished(http, customer, closed) == {"id": closed, "externalJobPostingId": "P1", "status": "SUCCEEDED",
                                                "jobPosting": posting}
    assert stored_job(server, "P1")["state"] == "CLOSED" and stored_job(server, "P1")["title"] == "Staff Engineer"
    [again] = post(http, customer, close).json()["elements"]
    assert again["status"] == 409
    assert again["error"]["message"] == "Cannot close job which is already closed or does not exist"
    [unknown] = post(http, customer, {**close, "externalJobPostingId": "NOPE"}).json()["elements"]
    assert unknown["status"] == 409
    [renewed] = accepted(post(http, customer, job("P1", jobPostingOperationType="RENEW", state=None)))
    assert finished(http, customer, renewed)["status"] == "SUCCEEDED"
    assert stored_job(server, "P1")["state"] == "LISTED"
    # a CREATE of a closed job posts it again, as a new job posting
    accepted(post(http, customer, close))
    [recreated] = accepted(post(http, customer, job("P1", jobPostingOperationType="CREATE", state=None)))
    assert finished(http, customer, recreated)["jobPosting"] != posting


def test_rsc_style_updates_and_closes_by_state(http, customer, server):
    [first] = accepted(post(http, customer, job("S1")))
    posting = finished(http, customer, first)["jobPosting"]
    [second] = accepted(post(http, customer, job("S1", title="Principal Engineer")))
    assert finished(http, customer, second)["jobPosting"] == posting
    assert stored_job(server, "S1")["title"] == "Principal Engineer"
    accepted(post(http, customer, job("S1", state="CLOSED")))
    doc = stored_job(server, "S1")
    assert doc["state"] == "CLOSED" and doc["closedAt"] >= doc["createdAt"]
    # historical sync: a closed job LinkedIn has never seen is created closed
    [historical] = accepted(post(http, customer, job("S2", state="CLOSED", listedAt=1_500_000_000_000)))
    assert finished(http, customer, historical)["status"] == "SUCCEEDED"
    assert stored_job(server, "S2")["state"] == "CLOSED"


@pytest.mark.parametrize("closing", [{"state": "CLOSED"}, {"jobPostingOperationType": "CLOSE", "state": None}],
                         ids=["state", "operation"])
def test_closing_a_closed_job_is_409_in_both_styles(http, customer, server, closing):
    """create-jobs error table: 409 "Cannot close job which is already closed or does not exist"."""
    accepted(post(http, customer, job("K1")))
    accepted(post(http, customer, job("K1", state="CLOSED")))
    closed_at = stored_job(server, "K1")["closedAt"]
    again = post(http, customer, job("K1", **closing), job("K2"))
    first, second = again.json()["elements"]
    assert first == {"status": 409, "error": {"status": 409, "serviceErrorCode": 409,
                                              "message": "Cannot close job which is already closed or does not exist"}}
    assert second["status"] == 202
    assert stored_job(server, "K1")["closedAt"] == closed_at
    # a closed job is listed again by an update with state LISTED, then it can be closed once more
    [relisted] = accepted(post(http, customer, job("K1")))
    assert finished(http, customer, relisted)["status"] == "SUCCEEDED"
    accepted(post(http, customer, job("K1", **closing)))
    assert stored_job(server, "K1")["state"] == "CLOSED"


def test_company_names_the_jobs_organization(http, customer, server):
    """LinkedIn's Java SDK JobPosting sends ``company`` (an organization URN) rather than integrationContext; the
    emulator's own 400 message names it, so it must be accepted — for the caller's organizations only."""
    [task] = accepted(post(http, customer, job("CO1", integrationContext=None, company=DEMO_ORG)))
    assert finished(http, customer, task)["status"] == "SUCCEEDED"
    doc = stored_job(server, "CO1")
    assert doc["integrationContext"] == DEMO_ORG and doc["company"] == DEMO_ORG
    other, bad = post(http, customer, job("CO2", integrationContext=None, company="urn:li:organization:999999"),
                      job("CO3", integrationContext=None, company="Acme Inc")).json()["elements"]
    assert other["status"] == 403 and other["error"]["message"].startswith("Not enough permissions")
    assert bad["status"] == 422 and bad["error"]["message"].startswith("ERROR :: /company :: ")
    assert stored_job(server, "CO2", "urn:li:organization:999999") is None


def test_availability_change_needs_close_and_create(http, customer, server):
    accepted(post(http, customer, job("V1")))
    [task] = accepted(post(http, customer, job("V1", availability="PRIVATE_TO_ATS_INTEGRATION")))
    outcome = finished(http, customer, task)
    assert outcome["status"] == "FAILED" and "close the job and create it again" in outcome["errorMessage"]
    assert stored_job(server, "V1")["availability"] == "PUBLIC"


def test_description_html_is_limited(http, customer, server):
    accepted(post(http, customer, job("H1", description="<p><b>Hello</b> <script>x()</script><em>there</em></p>"
                                                         + DESCRIPTION)))
    assert stored_job(server, "H1")["description"].startswith("<p><b>Hello</b> x()there</p>")


def test_tasks_follow_the_configured_delay_on_the_emulators_clock(http, customer, server):
    settings = server.emulator.settings
    settings.job_task_delay = 120
    try:
        [task] = accepted(post(http, customer, job("D1")))
        for _ in range(3):
            assert task_of(http, customer, task)["status"] == "IN_PROGRESS"
        server.emulator.clock.advance(121)
        assert task_of(http, customer, task)["status"] == "SUCCEEDED"
    finally:
        settings.job_task_delay = 0


def test_task_ids_unknown_malformed_and_foreign(http, customer, partner):
    [task] = accepted(post(http, customer, job("T1")))
    unknown = "urn:li:simpleJobPostingTask:00000000-0000-0000-0000-000000000000"
    reply = tasks(http, customer, task, unknown)
    body = reply.json()
    assert reply.status_code == 200 and task in body["results"] and body["errors"][unknown]["status"] == 404
    bad = tasks(http, customer, "not-a-task")
    assert bad.status_code == 400 and bad.json()["message"] == "Batch key parameter value is invalid"
    created = http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": "globex", "name": "Globex", "description": "Globex"}).json()
    other = {"Authorization": "Bearer " + token_for(http, created["credentials"]["client_id"],
                                                    created["credentials"]["client_secret"])}
    assert tasks(http, other, task).json()["errors"][task]["status"] == 404


def test_batch_limit_and_malformed_bodies_never_5xx(http, customer):
    assert post(http, customer, *[job(f"L{n}") for n in range(101)]).status_code == 400
    assert post(http, customer, *[job(f"L{n}") for n in range(100)]).status_code == 200
    for body in ({"elements": "x"}, {"elements": [1]}, {}, []):
        reply = http.post("/v2/simpleJobPostings", headers={**customer, **BATCH_CREATE}, json=body)
        assert reply.status_code == 400, (body, reply.text)
    nested = post(http, customer, job("N1", title={"a": [1]}, compensation=[1], industries="x"))
    assert nested.status_code == 200 and nested.json()["elements"][0]["status"] == 422
    assert post(http, customer).json() == {"elements": []}

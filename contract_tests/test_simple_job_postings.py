"""simpleJobPostings BATCH_CREATE (customer token): sync-and-retrieve.md §1.1; Postman "Module 2 › Sync Jobs";
https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/create-jobs (replies and error table).

Against a real server the jobs are created (private unless the case says public) and stay: jobs are closed,
never deleted.
"""

from __future__ import annotations

import pytest

from contract_tests.contract import BATCH_CREATE, ERROR, expect
from contract_tests.jobs import foundation_job, post_jobs, rsc_job

PM = "Postman › Module 2 › Sync Jobs › "
CREATE_JOBS = "create-jobs page: "
TASK = "urn:li:simpleJobPostingTask:"


def only_element(body: dict) -> dict:
    """The one element of a BATCH_CREATE reply."""
    assert len(body["elements"]) == 1, body
    return body["elements"][0]


@pytest.mark.case(PM + "Create Public Job", "documented")
def test_create_public_job(api, customer, org, run_id):
    body = expect(post_jobs(api, customer, rsc_job(org, f"CT-{run_id}-PUBLIC", "PUBLIC")), 200, BATCH_CREATE)
    element = only_element(body)
    assert element["status"] == 202 and element["id"].startswith(TASK)


@pytest.mark.case(PM + "Create Private Job", "documented")
def test_create_private_job(api, customer, org, run_id):
    body = expect(post_jobs(api, customer, rsc_job(org, f"CT-{run_id}-PRIVATE")), 200, BATCH_CREATE)
    element = only_element(body)
    assert element["status"] == 202 and element["id"].startswith(TASK)


@pytest.mark.case(CREATE_JOBS + "request sample (foundation schema, jobPostingOperationType CREATE), two jobs",
                  "documented")
def test_create_two_jobs_in_foundation_schema(api, customer, org, run_id):
    jobs = [foundation_job(org, f"CT-{run_id}-FOUNDATION-{n}") for n in (1, 2)]
    body = expect(post_jobs(api, customer, *jobs), 200, BATCH_CREATE)
    assert [element["status"] for element in body["elements"]] == [202, 202]
    assert len({element["id"] for element in body["elements"]}) == 2


@pytest.mark.case(CREATE_JOBS + "error table, missing required field (title)", "documented")
def test_missing_title_is_a_422_element(api, customer, org, run_id):
    job = rsc_job(org, f"CT-{run_id}-NO-TITLE")
    del job["title"]
    element = only_element(expect(post_jobs(api, customer, job), 200, BATCH_CREATE))
    assert element["status"] == 422
    assert element["error"]["message"].startswith(
        "ERROR :: /title :: field is required but not found and has no default value")


@pytest.mark.case(CREATE_JOBS + 'error table, bad enum (jobPostingOperationType "UPDATED")', "documented")
def test_bad_operation_type_is_a_422_element(api, customer, org, run_id):
    job = foundation_job(org, f"CT-{run_id}-BAD-ENUM", jobPostingOperationType="UPDATED")
    element = only_element(expect(post_jobs(api, customer, job), 200, BATCH_CREATE))
    assert element["status"] == 422
    assert '"UPDATED" is not an enum symbol' in element["error"]["message"]


@pytest.mark.case(CREATE_JOBS + "error table, more than one workplaceTypes value", "documented")
def test_two_workplace_types_is_a_400_element(api, customer, org, run_id):
    job = foundation_job(org, f"CT-{run_id}-TWO-PLACES", workplaceTypes=["remote", "hybrid"])
    element = only_element(expect(post_jobs(api, customer, job), 200, BATCH_CREATE))
    assert element["status"] == 400
    assert "The workplaceTypes field cannot have more than one value provided" in element["error"]["message"]


@pytest.mark.case(CREATE_JOBS + "error table, request without x-restli-method: batch_create", "documented")
def test_missing_batch_create_header_is_403(api, customer, org, run_id):
    reply = api.post("/v2/simpleJobPostings", json={"elements": [rsc_job(org, f"CT-{run_id}-NO-HEADER")]},
                     headers={**customer, "Content-Type": "application/json"})
    expect(reply, 403, ERROR)

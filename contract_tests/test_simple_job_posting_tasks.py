"""simpleJobPostingTasks BATCH_GET (customer token): sync-and-retrieve.md §1.2; Postman "Module 2 › Sync Jobs ›
Get … Job Creation Task Status";
https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/check-job-taskstatus.
"""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, batch_get, expect
from contract_tests.jobs import DESCRIPTION, post_jobs, rsc_job

PM = "Postman › Module 2 › Sync Jobs › "
TASKS = batch_get("simpleJobPostingTask.reply.json")


def task_ids(api, customer, *jobs: dict) -> list[str]:
    """Post ``jobs`` and return their task URNs."""
    reply = post_jobs(api, customer, *jobs)
    assert reply.status_code == 200, reply.text
    return [element["id"] for element in reply.json()["elements"]]


def poll(api, customer, *tasks: str) -> dict:
    """One BATCH_GET of ``tasks`` (checked against the reply schema): ``{task URN: task}``."""
    body = expect(api.get("/v2/simpleJobPostingTasks?" + "&".join(f"ids={task}" for task in tasks),
                          headers=customer), 200, TASKS)
    assert body["errors"] == {}
    return {doc["id"]: doc for doc in body["results"].values()}


@pytest.mark.case(PM + "Get Private Job Creation Task Status", "documented")
def test_task_status(api, customer, org, run_id):
    external_id = f"CT-{run_id}-TASK"
    task, = task_ids(api, customer, rsc_job(org, external_id))
    assert poll(api, customer, task)[task]["externalJobPostingId"] == external_id


@pytest.mark.case("check-job-taskstatus page: two task ids in one call", "documented")
def test_two_tasks_in_one_call(api, customer, org, run_id):
    tasks = task_ids(api, customer, rsc_job(org, f"CT-{run_id}-TASK-A"), rsc_job(org, f"CT-{run_id}-TASK-B"))
    assert set(poll(api, customer, *tasks)) == set(tasks)


@pytest.mark.case("check-job-taskstatus page: an id that is not a task URN", "documented")
def test_invalid_task_id_is_400(api, customer):
    """400 "Batch key parameter value is invalid"."""
    expect(api.get("/v2/simpleJobPostingTasks?ids=not-a-task-urn", headers=customer), 400, ERROR)


@pytest.mark.case(PM + "Get Public Job Creation Task Status (polled twice)", "inferred")
@pytest.mark.emulator_only("the emulator finishes a task by the second poll; LinkedIn within minutes")
def test_task_succeeds_with_a_job_posting(api, customer, org, run_id):
    task, = task_ids(api, customer, rsc_job(org, f"CT-{run_id}-SUCCEEDS", "PUBLIC"))
    poll(api, customer, task)
    done = poll(api, customer, task)[task]
    assert done["status"] == "SUCCEEDED" and done["jobPosting"].startswith("urn:li:jobPosting:")


@pytest.mark.case("check-job-taskstatus page: FAILED 'The description length should be at least 100"
                  " characters'", "inferred")
@pytest.mark.emulator_only("the emulator finishes a task by the second poll; LinkedIn within minutes")
def test_short_description_fails_the_task(api, customer, org, run_id):
    task, = task_ids(api, customer, rsc_job(org, f"CT-{run_id}-SHORT", description=DESCRIPTION[:60]))
    poll(api, customer, task)
    failed = poll(api, customer, task)[task]
    assert failed["status"] == "FAILED"
    assert "The description length should be at least 100 characters" in failed["errorMessage"]

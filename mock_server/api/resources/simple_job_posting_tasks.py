"""``simpleJobPostingTasks``: BATCH_GET of the tasks ``simpleJobPostings`` returned (RSC module 2).

``GET /v2/simpleJobPostingTasks?ids=urn:li:simpleJobPostingTask:<uuid>&ids=…`` → per task
``{"id", "externalJobPostingId", "status": IN_PROGRESS | SUCCEEDED | FAILED, "jobPosting"?, "errorMessage"?}``;
a task the caller did not create, or none at all, is a 404 in ``errors``; an id that is not a task URN → 400
``Batch key parameter value is invalid``. Tasks move on with the emulator's clock (:mod:`mock_server.domain.jobs`).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/check-job-taskstatus
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import BOTH, caller, world_of
from mock_server.domain.jobs import TASK_PATTERN, Jobs
from mock_server.domain.quotas import JOB_TASKS, Quota
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Resource


def batch_get(call: Call) -> dict:
    """BATCH_GET of tasks; the polls of one call are one store transaction."""
    if not all(TASK_PATTERN.fullmatch(task) for _, task in call.keys):
        raise RestliError(400, "Batch key parameter value is invalid", 400)
    world = world_of(call)
    jobs = Jobs(world.store, world.counters)
    application = caller(call).application["key"]
    found = {}
    with world.store.transaction():
        for canonical, task in call.keys:
            shown = jobs.poll(task, application, world.clock.now_ms(), world.settings.job_task_delay,
                              world.settings.task_lifespan * 1000)
            found[canonical] = shown if shown is not None else RestliError(404, f"Task {task} does not exist", 404)
    return found


RESOURCES = [(Resource(path="simpleJobPostingTasks", handlers={"BATCH_GET": batch_get},
                       policy=Policy(quota=Quota(JOB_TASKS), since="202501")), BOTH)]  # versioned since 202501

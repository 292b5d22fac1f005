"""Jobs synced through ``simpleJobPostings`` and the asynchronous tasks that report on each posting.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/create-jobs ,
…/job-postings/api/check-job-taskstatus, …/job-postings/api/update-renew-jobs, …/job-postings/api/close-jobs,
…/job-postings/api/job-posting-api-schema; the emulator decisions table, "Async job postings".

Table ``jobs`` — one document per job, key ``canonical({"externalJobPostingId", "integrationContext"})``,
indexed by ``integrationContext`` and ``state`` (and :data:`SEARCHED_JOB_FIELDS`); the recruiter side builds
the One-Click Export job list from it. Field names are LinkedIn's::

    {"integrationContext": "urn:li:organization:<n>", "externalJobPostingId": str,
     "jobPosting": "urn:li:jobPosting:<n>",
     "title": str, "description": str (HTML other than <b> <strong> <u> <i> <br> <p> <ul> <li> removed),
     "companyApplyUrl": str, "listedAt": epoch ms,
     "location": str, or "countryCode" + "postalCode",
     "state": "LISTED" | "CLOSED",
     "availability": "PUBLIC" | "PRIVATE_TO_ATS_INTEGRATION",
     "accessRestricted": bool (false when not sent),
     ...every other field the partner sent, as sent (workplaceTypes, employmentStatus, experienceLevel,
        categories, companyJobCode, companyName, requisitionOwnerEmail, ...),
     "createdAt", "lastModifiedAt": epoch ms of the emulator's clock, "closedAt": epoch ms while CLOSED}

A posting changes ``jobs`` when the call is accepted; its task reveals the outcome later.

Table ``jobPostingTasks`` — key ``urn:li:simpleJobPostingTask:<uuid>``::

    {"id": <key>, "externalJobPostingId", "integrationContext", "application": <caller's app URN>,
     "operation": "CREATE" | "UPDATE" | "RENEW" | "CLOSE", "createdAt": epoch ms, "polls": int,
     "status": "IN_PROGRESS" | "SUCCEEDED" | "FAILED" (what a poll shows now),
     "outcome": {"status": "SUCCEEDED", "jobPosting": …} or {"status": "FAILED", "errorMessage": …}}

A task leaves ``IN_PROGRESS`` ``settings.job_task_delay`` seconds after the call, or — with a delay of 0 —
at its second poll. LinkedIn: "The task IDs returned will have a lifespan of 30 days" (check-job-taskstatus;
create-jobs says the ids are valid for 24 hours): a task is forgotten ``settings.task_lifespan`` (30 days unless
set) after it was created: from then on a poll finds nothing, as for any unknown task, and the next pruning
(:meth:`Jobs.prune_tasks`, run by :mod:`mock_server.domain.retention`) forgets it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from tinydb import Query

from mock_server.domain.counters import Counters
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.store import Store
from mock_server.store.spec import TableSpec

SEARCHED_JOB_FIELDS = ("externalJobPostingId", "title")
"""Indexed for the dashboard's data browser, whose search reads only indexes (:mod:`mock_server.dashboard.browse`)."""
JOBS = TableSpec("jobs", ("integrationContext", "state", *SEARCHED_JOB_FIELDS))
TASKS = TableSpec("jobPostingTasks")
TABLES = (JOBS, TASKS)
TASK_PREFIX = "urn:li:simpleJobPostingTask:"
TASK_PATTERN = re.compile(r"^urn:li:simpleJobPostingTask:[A-Za-z0-9-]+$")
ALLOWED_TAGS = {"b", "strong", "u", "i", "br", "p", "ul", "li"}
TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
MIN_DESCRIPTION, MAX_DESCRIPTION = 100, 25_000
FIRST_JOB_POSTING = 3_900_000_001
RESULT_FIELDS = ("jobPosting", "errorMessage")
# How LinkedIn's task-status error table opens the FAILED messages of client-side errors.
CLIENT_SIDE = ("Job processing failed due to a client-side error. Please check payload and integration setup."
               " Error details: ")
CLOSE_CONFLICT = "Cannot close job which is already closed or does not exist"


def new_task_urn() -> str:
    """A fresh ``urn:li:simpleJobPostingTask:<uuid4>``."""
    return TASK_PREFIX + str(uuid.uuid4())


def job_key(context: str, external_id: str) -> str:
    """The store key of a job."""
    return keycodec.canonical({"externalJobPostingId": external_id, "integrationContext": context})


def clean_description(text: str) -> str:
    """``text`` without the HTML tags LinkedIn does not keep (it keeps b, strong, u, i, br, p, ul, li)."""
    return TAG.sub(lambda match: match.group(0) if match.group(1).lower() in ALLOWED_TAGS else "", text)


def description_problem(description: str) -> str | None:
    """LinkedIn's FAILED message for a description outside 100–25,000 characters, else None."""
    if len(description) < MIN_DESCRIPTION:
        return f"The description length should be at least {MIN_DESCRIPTION} characters"
    if len(description) > MAX_DESCRIPTION:
        return f"The description length should be at most {MAX_DESCRIPTION} characters"
    return None


class Jobs:
    """The jobs and job-posting tasks of one store; job posting URNs come from ``counters``. ``partner``
    arguments are ``urn:li:jobPostingPartner:<n>`` URNs shown in LinkedIn's messages."""

    def __init__(self, store: Store, counters: Counters) -> None:
        self.store = store
        self.counters = counters
        self.jobs = JOBS.of(store)
        self.tasks = TASKS.of(store)

    def get(self, context: str, external_id: str) -> dict[str, Any] | None:
        """The job ``external_id`` of ``context``, or None."""
        return self.jobs.get(job_key(context, external_id))

    def of_context(self, context: str) -> list[dict[str, Any]]:
        """Every job of an organization, in the order they were first synced."""
        return [doc for _, doc in self.jobs.find(integrationContext=context)]

    def post(self, element: dict[str, Any], context: str, partner: str, application: str, task: str,
             now_ms: int) -> None:
        """Apply one validated ``simpleJobPostings`` element and record its task ``task``.

        The operation is ``jobPostingOperationType`` or, in the RSC collection style (none given), CREATE for
        a new id and UPDATE for a known one; ``state: CLOSED`` closes. Raises :class:`RestliError` 409 for a
        CLOSE of a job that is unknown or already closed, and for ``state: CLOSED`` sent for a job that is
        already closed (create-jobs error table); every other refusal is a FAILED task whose message opens as
        LinkedIn's task-status error table does (:data:`CLIENT_SIDE`).
        """
        external_id = element["externalJobPostingId"]
        current = self.get(context, external_id)
        operation = element.get("jobPostingOperationType") or ("UPDATE" if current else "CREATE")
        if (operation == "UPDATE" and "jobPostingOperationType" not in element and element.get("state") == "CLOSED"
                and current is not None and current["state"] == "CLOSED"):
            raise RestliError(409, CLOSE_CONFLICT, 409)
        if operation == "CLOSE":
            if current is None or current["state"] == "CLOSED":
                raise RestliError(409, CLOSE_CONFLICT, 409)
            self.jobs.put(job_key(context, external_id),
                          {**current, "state": "CLOSED", "closedAt": now_ms, "lastModifiedAt": now_ms})
            outcome = {"status": "SUCCEEDED", "jobPosting": current["jobPosting"]}
        else:
            outcome = self._write(element, operation, current, context, partner, now_ms)
        self.tasks.put(task, {"id": task, "externalJobPostingId": external_id, "integrationContext": context,
                              "application": application, "operation": operation, "createdAt": now_ms,
                              "polls": 0, "status": "IN_PROGRESS", "outcome": outcome})

    def _write(self, element: dict[str, Any], operation: str, current: dict[str, Any] | None, context: str,
               partner: str, now_ms: int) -> dict[str, Any]:
        """CREATE / UPDATE / RENEW: store the job and return the task's outcome, or the FAILED outcome."""
        external_id = element["externalJobPostingId"]
        description = clean_description(element["description"])
        problem = description_problem(description)
        if problem is None and operation == "CREATE" and current is not None and current["state"] == "LISTED":
            problem = (CLIENT_SIDE + "Trying to create a job with same partnerIdentifier already exists. It is"
                       " duplicate creation request for a basic job or a non-draft premium job. Dropping the"
                       f" duplicate job posting creation request. LinkedIn job id:"
                       f" {current['jobPosting'].rsplit(':', 1)[-1]}, externalJobPostingId: {external_id}")
        if problem is None and operation == "RENEW" and current is None:
            problem = CLIENT_SIDE + "Operation type RENEW is not allowed for a non-existing job"
        if problem is None and operation == "UPDATE" and current is None:
            problem = (CLIENT_SIDE + f"Operation type UPDATE is not allowed for a non-existing job of partner urn"
                       f" {partner}, partner job code ({external_id})")
        state = "LISTED" if operation == "RENEW" else element.get("state") or (
            current["state"] if current and operation == "UPDATE" else "LISTED")
        if (problem is None and current is not None and operation != "CREATE" and current["state"] == "LISTED"
                and state == "LISTED" and element["availability"] != current["availability"]):
            problem = (CLIENT_SIDE + f"The availability of job {external_id} cannot change from"
                       f" {current['availability']} to {element['availability']} by an {operation}: close the job"
                       " and create it again")
        if problem is not None:
            return {"status": "FAILED", "errorMessage": problem}
        fresh = current is None or operation == "CREATE"
        job_posting = (f"urn:li:jobPosting:{self.counters.next_number('jobPosting', FIRST_JOB_POSTING)}"
                       if fresh or current is None else current["jobPosting"])
        doc = {name: value for name, value in element.items() if name != "jobPostingOperationType"}
        doc.update(integrationContext=context, description=description, state=state, jobPosting=job_posting,
                   accessRestricted=element.get("accessRestricted", False),
                   createdAt=now_ms if fresh or current is None else current["createdAt"], lastModifiedAt=now_ms)
        if state == "CLOSED":
            doc["closedAt"] = (now_ms if fresh or current is None or current["state"] == "LISTED"
                               else current.get("closedAt", now_ms))
        self.jobs.put(job_key(context, external_id), doc)
        return {"status": "SUCCEEDED", "jobPosting": job_posting}

    def prune_tasks(self, now_ms: int, lifespan_ms: int) -> int:
        """Forget every task created ``lifespan_ms`` or more before ``now_ms`` (both milliseconds, ``now_ms`` since
        the epoch); returns how many."""
        gone = [key for key, _ in self.tasks.search(Query().createdAt <= now_ms - lifespan_ms)]
        self.tasks.delete_many(gone)
        return len(gone)

    def poll(self, task_urn: str, application: str, now_ms: int, delay_s: float,
             lifespan_ms: int) -> dict[str, Any] | None:
        """The task as a poll by ``application`` at ``now_ms`` (epoch ms of the emulator's clock) shows it
        (``{"id", "externalJobPostingId", "status", "jobPosting"?, "errorMessage"?}``), moving it on when it is
        due; None when it is not that application's task or has lived ``lifespan_ms`` (whether or not a pruning
        has forgotten it yet)."""
        task = self.tasks.get(task_urn)
        if task is None or task["application"] != application or now_ms - task["createdAt"] >= lifespan_ms:
            return None
        if task["status"] == "IN_PROGRESS":
            due = now_ms >= task["createdAt"] + delay_s * 1000 if delay_s > 0 else task["polls"] >= 1
            task = {**task, "polls": task["polls"] + 1, "status": task["outcome"]["status"] if due else "IN_PROGRESS"}
            self.tasks.put(task_urn, task)
        shown = {"id": task["id"], "externalJobPostingId": task["externalJobPostingId"], "status": task["status"]}
        if task["status"] != "IN_PROGRESS":
            shown.update({name: task["outcome"][name] for name in RESULT_FIELDS if name in task["outcome"]})
        return shown

"""Job postings the contract cases send: the RSC (Postman) shape and LinkedIn's foundation-schema shape."""

from __future__ import annotations

import time

DESCRIPTION = ("We are looking for an engineer who enjoys building reliable integrations between recruiting"
               " systems. You will design APIs, write tests and work closely with our customers' hiring teams.")
BATCH_CREATE = {"x-restli-method": "batch_create", "Content-Type": "application/json"}


def rsc_job(org: str, external_id: str, availability: str = "PRIVATE_TO_ATS_INTEGRATION", **fields) -> dict:
    """A job as the Postman collection's "Create Public Job" / "Create Private Job" send it (``state``, no
    ``jobPostingOperationType``), ``listedAt`` a minute ago in epoch ms; ``fields`` override."""
    return {"integrationContext": org, "externalJobPostingId": external_id, "title": "Senior Software Engineer",
            "description": DESCRIPTION, "location": "San Francisco, CA", "availability": availability,
            "state": "LISTED", "companyApplyUrl": "http://localhost:5000/jobs",
            "listedAt": (int(time.time()) - 60) * 1000, **fields}


def foundation_job(org: str, external_id: str, **fields) -> dict:
    """A job in the foundation schema of the create-jobs page (``jobPostingOperationType`` CREATE)."""
    job = rsc_job(org, external_id, **{"jobPostingOperationType": "CREATE", "employmentStatus": "FULL_TIME",
                                       "experienceLevel": "MID_SENIOR_LEVEL", "workplaceTypes": ["remote"], **fields})
    del job["state"]
    return job


def post_jobs(api, customer, *jobs: dict):
    """``POST /v2/simpleJobPostings`` (BATCH_CREATE) of ``jobs``."""
    return api.post("/v2/simpleJobPostings", json={"elements": list(jobs)}, headers={**customer, **BATCH_CREATE})

"""LinkedIn's resources, one module each. Every module exposes ``RESOURCES``: a list of
``(Resource, bases)`` where ``bases`` are the API roots it is served under (``v2``, ``rest``).

A new LinkedIn resource is one new module here plus its schema, and one line in ``MODULES``.
"""

from __future__ import annotations

import importlib

MODULES = (
    "provisioned_applications",
    "developer_applications_security",
    "ats_integrations",
    "ats_entity_acls",
    "simple_job_postings",
    "simple_job_posting_tasks",
    "ats_candidates",
    "ats_applications",
    "seats",
    "conversation_events",
    "mail_stubs",
    "prospect_notes",
    "me",
    "exported_candidates",
)


def all_resources():
    """Every ``(Resource, bases)`` of every module in ``MODULES``."""
    found = []
    for name in MODULES:
        module = importlib.import_module(f"mock_server.api.resources.{name}")
        found += module.RESOURCES
    return found

"""LinkedIn's resources, one module each. Every module exposes ``RESOURCES``: a list of
``(Resource, bases)`` where ``bases`` are the API roots it is served under (``v2``, ``rest``), and each
``Resource`` declares its :class:`~mock_server.api.gate.Policy` (who may call it, its daily quota).

A new LinkedIn resource is one new module here plus its schema (``schemas/<entity>.json``), and one line in
``MODULES``; the app serves it behind the gate and the OpenAPI document lists it.
"""

from __future__ import annotations

import importlib

from mock_server.api.gate import Policy

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
    "candidates",
    "applications",
    "integrations",
    "entity_acls",
    "hire_media_url",
    "attachments",
    "exported_application_evaluations",
    "ats_purged_exported_candidates",
)


def all_resources():
    """Every ``(Resource, bases)`` of every module in ``MODULES``. ``TypeError`` naming the module for a
    resource that declares no :class:`~mock_server.api.gate.Policy`."""
    found = []
    for name in MODULES:
        module = importlib.import_module(f"mock_server.api.resources.{name}")
        for resource, _ in module.RESOURCES:
            if not isinstance(resource.policy, Policy):
                raise TypeError(f"{module.__name__}: resource {resource.path} declares no Policy (who may call it"
                                " and its daily quota: Resource(..., policy=Policy(...)))")
        found += module.RESOURCES
    return found

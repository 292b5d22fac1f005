"""Where the contract tests run, and with which credentials: ``RSC_CONTRACT_*`` environment variables.

Without ``RSC_CONTRACT_BASE_URL`` the tests start the emulator in-process and use its demo tenant. With it,
every value comes from the environment and a case whose values are missing is skipped, naming them:

=====================================  ====================================================================
``RSC_CONTRACT_BASE_URL``              the API host, e.g. ``https://api.linkedin.com``
``RSC_CONTRACT_OAUTH_BASE_URL``        the OAuth host (default: the base URL), e.g. ``https://www.linkedin.com``
``RSC_CONTRACT_PARTNER_CLIENT_ID``     partner (parent) application; ``…_SECRET`` too
``RSC_CONTRACT_CUSTOMER_CLIENT_ID``    customer (child) application; ``…_SECRET`` too
``RSC_CONTRACT_ORG_ID``                the customer's organization id (the number in ``urn:li:organization:``)
``RSC_CONTRACT_CONTRACT_ID``           the customer's Recruiter contract id (``urn:li:contract:``)
``RSC_CONTRACT_PERSON_ID``             a member id from ``GET /v2/me`` (ACL assignee, Attach Person URN)
``RSC_CONTRACT_CALLBACK_URL``          the customer's own HTTPS callback (configuration cases rewrite it)
``RSC_CONTRACT_UNIQUE_FOREIGN_ID``     an existing child application's uniqueForeignId (its partial updates)
``RSC_CONTRACT_PROVISION=1``           allow cases that provision new child applications
``RSC_CONTRACT_LINKEDIN_VERSION``      ``LinkedIn-Version`` for ``/rest`` cases (default: the latest version the
                                       emulator's version table knows, 202604)
=====================================  ====================================================================
"""

from __future__ import annotations

import dataclasses
import os

import pytest

from mock_server.api.versions import LATEST

PREFIX = "RSC_CONTRACT_"

DEMO = {
    "PARTNER_CLIENT_ID": "demo-partner", "PARTNER_CLIENT_SECRET": "demo-partner-secret",
    "CUSTOMER_CLIENT_ID": "demo-customer", "CUSTOMER_CLIENT_SECRET": "demo-customer-secret",
    "ORG_ID": "1000", "CONTRACT_ID": "2000", "PERSON_ID": "demo-recruiter", "PROVISION": "1",
}


@dataclasses.dataclass
class Target:
    """The server under test: ``url`` (API host), ``oauth_url``, ``emulator`` (True when the tests started it
    in-process and may use ``/_mock``) and ``values`` (the ``RSC_CONTRACT_*`` values without the prefix)."""

    url: str
    oauth_url: str
    emulator: bool
    values: dict[str, str]

    def need(self, *names: str) -> tuple[str, ...]:
        """The values ``names`` (without the prefix); skips the case, naming what is missing."""
        missing = [PREFIX + name for name in names if not self.values.get(name)]
        if missing:
            pytest.skip(f"needs {', '.join(missing)} to run against {self.url}")
        return tuple(self.values[name] for name in names)

    @property
    def linkedin_version(self) -> str:
        """The ``LinkedIn-Version`` header for ``/rest`` cases."""
        return self.values.get("LINKEDIN_VERSION") or LATEST.name


def external_base(environ=None) -> str | None:
    """``RSC_CONTRACT_BASE_URL`` without a trailing slash, or ``None`` (run against the in-process emulator)."""
    environ = os.environ if environ is None else environ
    return (environ.get(PREFIX + "BASE_URL") or "").rstrip("/") or None


def external_target(environ=None) -> Target | None:
    """The target named by the environment, or ``None`` when no base URL is set."""
    environ = os.environ if environ is None else environ
    base = external_base(environ)
    if base is None:
        return None
    values = {key[len(PREFIX):]: value for key, value in environ.items() if key.startswith(PREFIX) and value}
    oauth = (values.get("OAUTH_BASE_URL") or base).rstrip("/")
    return Target(base, oauth, False, values)


def emulator_target(url: str) -> Target:
    """The in-process emulator at ``url`` with its demo tenant."""
    return Target(url, url, True, dict(DEMO))

"""Applications and customers: the partner (parent) application, one child application per customer, and the
integration contexts (organization and contract URNs) each customer owns.

Stored in the ``applications`` table keyed by the developer-application URN. A document::

    {"key": "urn:li:developerApplication:11", "kind": "parent" | "child", "parent": <parent URN or None>,
     "clientId": str, "clientSecret": str, "secondarySecret": str (only after a rotation),
     "name": str, "description": str, "uniqueForeignId": str | None,
     "validJsSdkDomains": [str], "oauth2AuthorizedCallbackUrls": [str],
     "organizations": ["urn:li:organization:<n>"], "contracts": ["urn:li:contract:<n>"], "createdAt": epoch ms}

A customer's Recruiter contracts are in the ``contracts`` table (fixtures): ``"urn:li:contract:<n>" ->
{"contract", "organization": the organization URN it belongs to, "name"}``.

The applications of a sandbox (:mod:`mock_server.harness.sandboxes`) carry its tag at the end of their client id
(:func:`tagged`): the fixture applications (and their secrets) when the sandbox is made, provisioned ones when
they are created; the default world's are untagged.

An application has at most two secrets, both valid (LinkedIn's application-secret management): ``clientSecret``
(the one ``credentials`` shows, the oldest) and, after a rotation, ``secondarySecret``.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/provisioning-api ,
https://learn.microsoft.com/en-us/linkedin/shared/authentication/application-secret-management
"""

from __future__ import annotations

import base64
import re
import secrets
import string
from typing import Any

from mock_server.domain.counters import Counters
from mock_server.restli.errors import RestliError
from mock_server.store import Store
from mock_server.store.spec import TableSpec

APPLICATIONS = TableSpec("applications", ("clientId", "uniqueForeignId", "parent", "kind"))
CONTRACTS = TableSpec("contracts")
TABLES = (APPLICATIONS, CONTRACTS)
CONTEXT_URN = re.compile(r"urn:li:(organization|contract):[0-9]+")
APPLICATION_URN = re.compile(r"urn:li:developerApplication:([0-9]{1,19})")
APPLICATION_URN_FORM = "urn:li:developerApplication:<id>"

# Integration types and the kind of context each takes (integration-types page); RSC's four first.
ORGANIZATION_TYPES = ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN", "RECOMMENDED_MATCHES",
                      "UNIFIED_SEARCH", "APPLY_CONNECT", "APPLY_WITH_LINKEDIN")
CONTRACT_TYPES = ("CSA_API",)
RSC_BUNDLES = {
    "RECRUITER_SYSTEM_CONNECT_COMPANY": ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN"),
    "RECRUITER_SYSTEM_CONNECT_CONTRACT": ("CSA_API",),
}


def tagged(value: str, tag: str) -> str:
    """``value`` with a sandbox's ``tag`` appended (``demo-customer`` → ``demo-customer-sb1a2b3c4d``); ``value``
    itself when ``tag`` is empty."""
    return f"{value}-{tag}" if tag else value


def tag_of_client_id(client_id: str, length: int) -> str:
    """The last ``length`` characters of ``client_id``: where :func:`tagged` put a sandbox's tag."""
    return client_id[-length:]


class Customers:
    """Reads and writes applications in ``store``; new ids come from ``counters``; provisioned client ids end
    with ``tag`` (:func:`tagged`). Methods return plain dicts (copies)."""

    def __init__(self, store: Store, counters: Counters, tag: str = "") -> None:
        self.store = store
        self.table = APPLICATIONS.of(store)
        self.counters = counters
        self.tag = tag

    def by_client_id(self, client_id: str) -> dict[str, Any] | None:
        """The application whose OAuth client id is ``client_id``."""
        found = self.table.find(clientId=client_id)
        return found[0][1] if found else None

    def by_key(self, key: str) -> dict[str, Any] | None:
        """The application with developer-application URN ``key``."""
        return self.table.get(key)

    def by_unique_foreign_id(self, parent: str, unique_foreign_id: str) -> dict[str, Any] | None:
        """The child of ``parent`` provisioned with ``unique_foreign_id``."""
        for _, doc in self.table.find(uniqueForeignId=unique_foreign_id):
            if doc.get("parent") == parent:
                return doc
        return None

    def children(self, parent: str | None = None) -> list[dict[str, Any]]:
        """Child applications (of ``parent`` when given)."""
        found = self.table.find(parent=parent) if parent else self.table.find(kind="child")
        return [doc for _, doc in found]

    def owner_of_context(self, context: str) -> dict[str, Any] | None:
        """The child application that owns an organization or contract URN."""
        for doc in self.children():
            if context in doc.get("organizations", []) or context in doc.get("contracts", []):
                return doc
        return None

    def contexts(self, application: dict[str, Any]) -> set[str]:
        """Every integration context (organization and contract URNs) a child application owns."""
        return set(application.get("organizations", [])) | set(application.get("contracts", []))

    def secrets_for(self, key: str) -> list[str] | None:
        """The client secrets application ``key`` accepts, or None when there is no such application."""
        doc = self.by_key(key)
        return None if doc is None else secrets_of(doc)

    def provision(self, parent: dict[str, Any], fields: dict[str, Any], now_ms: int) -> dict[str, Any]:
        """Create a child application (a new customer with its own organization and contract) for ``parent``.

        ``fields`` is the validated create body (uniqueForeignId, name, description, optional URL lists).
        Returns the stored document, credentials included.
        """
        number = self.counters.next_number("developerApplication", 100)
        organization = self.counters.next_number("organization", 1001)
        contract = self.counters.next_number("contract", 2001)
        doc = {
            "key": f"urn:li:developerApplication:{number}",
            "kind": "child",
            "parent": parent["key"],
            "clientId": tagged(f"{number:04d}" + secrets.token_hex(5), self.tag),
            "clientSecret": provisioned_secret(),
            "name": fields["name"],
            "description": fields.get("description", ""),
            "uniqueForeignId": fields["uniqueForeignId"],
            "validJsSdkDomains": list(fields.get("validJsSdkDomains", [])),
            "oauth2AuthorizedCallbackUrls": list(fields.get("oauth2AuthorizedCallbackUrls", [])),
            "organizations": [f"urn:li:organization:{organization}"],
            "contracts": [f"urn:li:contract:{contract}"],
            "createdAt": now_ms,
        }
        self.table.put(doc["key"], doc)
        return doc

    def save(self, doc: dict[str, Any]) -> None:
        """Store ``doc`` under its key (after an update)."""
        self.table.put(doc["key"], doc)

    def roll_secret(self, doc: dict[str, Any]) -> str:
        """Add a second secret to application ``doc`` and return it; the first stays valid. 400 when the
        application already has two (LinkedIn: "delete one before rotating, else the rotation API request will
        fail")."""
        if doc.get("secondarySecret"):
            raise RestliError(400, f"Application {doc['key']} already has two client secrets: delete one before"
                                   " rotating", 400)
        fresh = rolled_secret()
        self.save({**doc, "secondarySecret": fresh})
        return fresh

    def delete_secret(self, doc: dict[str, Any], secret: str) -> None:
        """Remove ``secret`` from application ``doc``: the other secret (if any) becomes ``clientSecret``.
        400 when ``secret`` is not one of its secrets or is its only one."""
        if secret not in secrets_of(doc):
            raise RestliError(400, f"ERROR :: /client_secret :: not a secret of application {doc['key']}", 400)
        if not doc.get("secondarySecret"):
            raise RestliError(400, f"Application {doc['key']} has one client secret: rotate first, then delete the"
                                   " old one", 400)
        kept = doc["secondarySecret"] if secret == doc["clientSecret"] else doc["clientSecret"]
        self.save({**{k: v for k, v in doc.items() if k != "secondarySecret"}, "clientSecret": kept})


def secrets_of(doc: dict[str, Any]) -> list[str]:
    """Every valid client secret of an application (one or two)."""
    return [doc["clientSecret"]] + ([doc["secondarySecret"]] if doc.get("secondarySecret") else [])


def provisioned_secret() -> str:
    """A secret of a provisioned application in the shape of LinkedIn's samples (``WPL_AP1.xxxx.yyyy==``):
    ``WPL_AP1.`` + 16 letters and digits + ``.`` + 8 base64 characters ending ``==`` (``+`` and ``/`` may
    appear, so callers must URL-encode it, as LinkedIn's client-credentials page warns)."""
    middle = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
    return f"WPL_AP1.{middle}.{base64.b64encode(secrets.token_bytes(4)).decode()}"


def rolled_secret() -> str:
    """A secret made by a rotation, in the shape of the application-secret-management sample
    (``bFWEECAwQp1AT6rJ``): 16 letters and digits."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """An application as ``provisionedApplications`` returns it: ``key``, ``credentials`` (``client_id``,
    ``client_secret``: the JSON names of LinkedIn's Java SDK ``Credentials`` model), the create fields."""
    view = {"key": doc["key"], "uniqueForeignId": doc.get("uniqueForeignId"), "name": doc["name"],
            "description": doc.get("description", ""),
            "credentials": {"client_id": doc["clientId"], "client_secret": doc["clientSecret"]},
            "validJsSdkDomains": doc.get("validJsSdkDomains", []),
            "oauth2AuthorizedCallbackUrls": doc.get("oauth2AuthorizedCallbackUrls", [])}
    return view


def is_application_urn(value: object) -> bool:
    """Whether ``value`` is a developer application URN (``urn:li:developerApplication:<id>``, ``<id>`` a
    ``long``), the key type of ``provisionedApplications`` and of ``childDeveloperApplication``: anything else
    is a bad request (400), not an application that is missing (404) — Rest.li refuses a value its URN key type
    cannot take before it looks anything up."""
    match = APPLICATION_URN.fullmatch(value) if isinstance(value, str) else None
    return match is not None and int(match.group(1)) < 2**63


def context_urn_kind(value: object) -> str | None:
    """``organization`` or ``contract`` when ``value`` is an integration context URN (``urn:li:organization:<n>``
    or ``urn:li:contract:<n>``), None for anything else."""
    match = CONTEXT_URN.fullmatch(value) if isinstance(value, str) else None
    return match.group(1) if match else None


def context_kind(integration_type: str) -> str:
    """``organization`` or ``contract``: the URN kind an integration type's context must be."""
    return "contract" if integration_type in CONTRACT_TYPES else "organization"

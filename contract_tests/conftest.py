"""Fixtures of the contract tests: the target (the in-process emulator, reset first, or the server at
``RSC_CONTRACT_BASE_URL``), an HTTP client, tokens through the target's real token endpoint, and the customer's
integration contexts. Each fixture that needs a value the environment lacks skips its cases, naming it.

Every case carries ``@pytest.mark.case(source, reply)``: ``source`` names the documented request it sends
(LinkedIn's Postman collection or a LinkedIn page, via the spec) and ``reply`` whether the status and schema
it checks are ``documented`` or ``inferred``. ``@pytest.mark.emulator_only(reason)`` cases, and those using
the ``admin`` fixture (``/_mock``), are skipped against any other server.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from contract_tests.contract import bearer
from contract_tests.target import (
    Target,
    emulator_target,
    external_base,
    external_target,
)

HERE = Path(__file__).resolve().parent
PROVENANCES = ("documented", "inferred")


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers."""
    config.addinivalue_line("markers", "case(source, reply): the documented request a contract case sends and"
                                       " whether the reply it expects is documented or inferred")
    config.addinivalue_line("markers", "emulator_only(reason): a contract case that only the emulator can serve")


def is_contract_case(item: pytest.Item) -> bool:
    """True for a test collected from this directory."""
    return HERE in Path(str(item.path)).parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every contract case must say what it sends and how sure its expectation is; record both on the report."""
    for item in filter(is_contract_case, items):
        marker = item.get_closest_marker("case")
        if marker is None or len(marker.args) != 2 or marker.args[1] not in PROVENANCES:
            raise pytest.UsageError(f"{item.nodeid}: contract cases need @pytest.mark.case(source, reply) with"
                                    f" reply one of {PROVENANCES}")
        item.user_properties += [("source", marker.args[0]), ("reply", marker.args[1])]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip emulator-only cases when the target is another server."""
    marker = item.get_closest_marker("emulator_only")
    base = external_base()
    if marker is not None and base is not None:
        pytest.skip(f"emulator only ({marker.args[0]}); RSC_CONTRACT_BASE_URL is {base}")


@pytest.fixture(scope="session")
def target():
    """The server under test; the in-process emulator is reset to its demo tenant before the cases run."""
    external = external_target()
    if external is not None:
        yield external
        return
    from mock_server.testing.server import RunningServer

    with RunningServer() as server:
        httpx.post(server.url + "/_mock/reset").raise_for_status()
        yield emulator_target(server.url)


@pytest.fixture(scope="session")
def api(target: Target):
    """An httpx client on the target's API host."""
    with httpx.Client(base_url=target.url, timeout=60) as client:
        yield client


@pytest.fixture
def admin(target: Target, api: httpx.Client) -> httpx.Client:
    """The client, for cases that also call the emulator's ``/_mock`` API (skipped against other servers)."""
    if not target.emulator:
        pytest.skip(f"needs the emulator's /_mock admin API, which {target.url} does not have")
    return api


@pytest.fixture(scope="session")
def partner(target: Target) -> dict[str, str]:
    """Authorization headers of the partner (parent) application."""
    return bearer(target, *target.need("PARTNER_CLIENT_ID", "PARTNER_CLIENT_SECRET"))


@pytest.fixture(scope="session")
def customer(target: Target) -> dict[str, str]:
    """Authorization headers of the customer (child) application."""
    return bearer(target, *target.need("CUSTOMER_CLIENT_ID", "CUSTOMER_CLIENT_SECRET"))


@pytest.fixture
def org(target: Target) -> str:
    """The customer's organization URN."""
    return "urn:li:organization:" + target.need("ORG_ID")[0]


@pytest.fixture
def contract(target: Target) -> str:
    """The customer's Recruiter contract URN."""
    return "urn:li:contract:" + target.need("CONTRACT_ID")[0]


@pytest.fixture
def person(target: Target) -> str:
    """A LinkedIn member URN (the emulator: the demo recruiter)."""
    return "urn:li:person:" + target.need("PERSON_ID")[0]


@pytest.fixture(scope="session")
def run_id() -> str:
    """A short id unique to this run, so records of repeated runs against a real server do not collide."""
    return uuid.uuid4().hex[:8].upper()


@pytest.fixture
def cleanup(api: httpx.Client):
    """``cleanup(path, headers)``: a DELETE sent after the case, whatever its outcome (errors ignored)."""
    pending: list[tuple[str, dict]] = []
    yield lambda path, headers: pending.append((path, headers))
    for path, headers in reversed(pending):
        try:
            api.delete(path, headers=headers)
        except httpx.HTTPError:
            pass

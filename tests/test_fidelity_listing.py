"""The fidelity ledger inside the product (``GET /_mock/fidelity``, ``rsc-mock fidelity``): every resource x
method x base served, every schema and every advisory, each documented with its source or inferred with its
reason."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from starlette.routing import Mount, Route

from mock_server import advisories, schemas
from mock_server.app import create_app
from mock_server.tools.fidelity import ENDPOINTS, REST_INFERRED, REST_PAGES, RULES
from tests.resource_calls import served_calls


def row_ids(base, resource, method):
    """The ledger ids of one served ``(base, resource, method)``: an ACTION has one per action name."""
    methods = [f"ACTION {name}" for name in resource.actions] if method == "ACTION" else [method]
    return [f"resource.{base}.{resource.path}.{m.replace(' ', '.')}" for m in methods]


def test_every_served_resource_and_method_is_listed_with_its_provenance(http):
    reply = http.get("/_mock/fidelity")
    assert reply.status_code == 200
    document = reply.json()
    rows = {row["id"]: row for row in document["behaviours"]}
    assert len(rows) == len(document["behaviours"]), "ids are unique"
    served = {row_id for call in served_calls() for row_id in row_ids(*call)}
    assert served <= set(rows)
    assert {row_id for row_id in rows if row_id.startswith("resource.")} == served
    for row in document["behaviours"]:
        assert row["provenance"] in ("documented", "inferred"), row
        if row["provenance"] == "documented":
            assert "http" in row["source"] or "Postman" in row["source"], row
        else:
            assert len(row["reason"]) > 10, row
    assert document["counts"] == {"documented": sum(r["provenance"] == "documented" for r in rows.values()),
                                  "inferred": sum(r["provenance"] == "inferred" for r in rows.values())}
    assert {f"shape.{name}" for name in schemas.names()} <= set(rows)
    assert sum(row_id.startswith("advisory.") for row_id in rows) == len(advisories.KINDS)
    assert {rule.id for rule in RULES} <= set(rows)
    assert rows["resource.v2.atsCandidates.BATCH_UPDATE"]["source"].endswith("/middleware-platform/sync-candidates")
    assert rows["resource.v2.atsApplications/stages.BATCH_GET"]["provenance"] == "inferred"
    assert rows["access.enabled-integrations"]["source"].endswith("rsc-customer-configuration (configuration step 5)")


def test_the_command_line_prints_the_same_ledger(http):
    served = http.get("/_mock/fidelity").json()
    printed = subprocess.run([sys.executable, "-m", "mock_server", "fidelity", "--json"], capture_output=True,
                             text=True, check=True, timeout=60)
    assert json.loads(printed.stdout) == served
    text = subprocess.run([sys.executable, "-m", "mock_server", "fidelity"], capture_output=True, text=True,
                          check=True, timeout=60).stdout.splitlines()
    assert text[0] == f"{served['counts']['documented']} documented, {served['counts']['inferred']} inferred"
    assert len(text) == 1 + len(served["behaviours"])
    assert any(line.startswith("inferred    limits.counting  ") for line in text)


def test_every_versioned_resource_has_its_own_evidence():
    """Each /rest resource is listed with the page naming it or the reason it is inferred — never a generic
    reason (the versioned family renames resources, so "its v2 name" would be untrue)."""
    rest = {resource.path for base, resource, _ in served_calls() if base == "rest"}
    assert rest <= set(REST_PAGES) | set(REST_INFERRED), rest - set(REST_PAGES) - set(REST_INFERRED)
    assert not set(REST_PAGES) & set(REST_INFERRED)


def test_every_action_is_listed_by_name(http):
    rows = {row["id"]: row for row in http.get("/_mock/fidelity").json()["behaviours"]}
    base = "resource.v2.developerApplicationsSecurity.ACTION."
    assert rows[base + "rollDeveloperApplicationSecret"]["source"].endswith("/application-secret-management")
    assert rows[base + "deleteDeveloperApplicationSecret"]["provenance"] == "inferred"
    assert "resource.v2.developerApplicationsSecurity.ACTION" not in rows


def linkedin_routes():
    """``(path, methods)`` of every route the app serves for LinkedIn's hosts outside Rest.li: not /v2, /rest,
    the emulator's own /_mock, its dashboard or its example page."""
    own = ("/v2/", "/rest/", "/_mock", "/examples/")
    for route in create_app().routes:
        if isinstance(route, Route) and not route.path.startswith(own) and route.path != "/":
            yield route.path, route.methods
        elif isinstance(route, Mount) and not route.path.startswith(own) and route.path:
            yield route.path + "/", None


@pytest.mark.parametrize("path", sorted({path for path, _ in linkedin_routes()}))
def test_every_endpoint_outside_restli_is_listed(path):
    listed = [row.what for row in ENDPOINTS]
    prefix = path.split("{")[0]
    assert any(prefix.rstrip("/") in what or (path.startswith("/_widgets/") and "/_widgets/" in what)
               for what in listed), (path, listed)

"""The fidelity ledger inside the product (``GET /_mock/fidelity``, ``rsc-mock fidelity``): every resource x
method x base served, every schema and every advisory, each documented with its source or inferred with its
reason."""

from __future__ import annotations

import json
import subprocess
import sys

from mock_server import advisories, schemas
from mock_server.tools.fidelity import RULES
from tests.resource_calls import served_calls


def test_every_served_resource_and_method_is_listed_with_its_provenance(http):
    reply = http.get("/_mock/fidelity")
    assert reply.status_code == 200
    document = reply.json()
    rows = {row["id"]: row for row in document["behaviours"]}
    assert len(rows) == len(document["behaviours"]), "ids are unique"
    served = {f"resource.{base}.{resource.path}.{method.replace(' ', '.')}"
              for base, resource, method in served_calls()}
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

"""Snapshots: ``GET/PUT /_mock/snapshot`` and ``rsc-mock snapshot export|import`` against a server and a
data directory."""

from __future__ import annotations

import json

import pytest

from mock_server.cli import main
from mock_server.store import Store

PROVISION = {"uniqueForeignId": "globex", "name": "Demo ATS - Globex", "description": "Globex"}
FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"


def globex(http, partner) -> list:
    found = http.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=globex",
                     headers=partner)
    return found.json()["elements"]


def test_export_reset_import_brings_the_world_back(http, partner, customer):
    assert http.post("/v2/provisionedApplications", headers=partner, json=PROVISION).status_code == 201
    snapshot = http.get("/_mock/snapshot").json()
    assert snapshot["format"] == "rsc-mock-snapshot" and snapshot["version"] == 1
    assert {"applications", "tokens"} <= set(snapshot["tables"])
    token = customer["Authorization"].split()[1]
    assert token in snapshot["tables"]["tokens"]

    http.post("/_mock/reset")
    assert globex(http, partner) == []
    imported = http.put("/_mock/snapshot", json=snapshot)
    assert imported.status_code == 200, imported.text
    assert imported.json()["status"] == "imported" and imported.json()["tables"]["applications"] >= 3
    assert len(globex(http, partner)) == 1
    assert http.get(FINDER, headers=customer).status_code == 200  # the token came back with the state
    assert http.get("/_mock/snapshot").json() == snapshot


@pytest.mark.parametrize("change, mentioned", [
    ({"version": 2}, "unsupported snapshot version 2"),
    ({"format": "something-else"}, "not a store snapshot"),
    ({"tables": {"applications": ["not", "a", "dict"]}}, "applications"),
    ({"tables": {"applications": {"k": "not a document"}}}, "applications"),
])
def test_a_refused_import_names_the_problem_and_changes_nothing(http, partner, change, mentioned):
    http.post("/v2/provisionedApplications", headers=partner, json=PROVISION)
    before = http.get("/_mock/snapshot").json()
    reply = http.put("/_mock/snapshot", json={**before, **change})
    assert reply.status_code == 400
    assert mentioned in reply.json()["message"] and "nothing was changed" in reply.json()["message"]
    assert http.get("/_mock/snapshot").json() == before


def test_import_needs_a_json_object(http):
    assert http.put("/_mock/snapshot", content=b"[1, 2]").status_code == 400
    assert http.put("/_mock/snapshot", content=b"{nope").status_code == 400


def test_cli_export_and_import_over_http(http, server, partner, tmp_path, capsys):
    http.post("/v2/provisionedApplications", headers=partner, json=PROVISION)
    target = tmp_path / "world.json"
    assert main(["snapshot", "export", "--url", server.url, "-o", str(target)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["world.json"]  # the temporary file was renamed
    saved = json.loads(target.read_text())
    assert saved == http.get("/_mock/snapshot").json()

    http.post("/_mock/reset")
    assert main(["snapshot", "import", str(target), "--url", server.url]) == 0
    assert "imported" in capsys.readouterr().out
    assert len(globex(http, partner)) == 1

    wrong = tmp_path / "v9.json"
    wrong.write_text(json.dumps({**saved, "version": 9}))
    assert main(["snapshot", "import", str(wrong), "--url", server.url]) == 1
    assert "unsupported snapshot version 9" in capsys.readouterr().err


def test_cli_export_and_import_with_data_directories(tmp_path, capsys):
    source, copy = tmp_path / "source", tmp_path / "copy"
    with Store(source, {"things": {"a": {"n": 1}}}) as store:
        store.table("things").put("b", {"n": 2})
    target = tmp_path / "out" / "snap.json"
    target.parent.mkdir()
    assert main(["snapshot", "export", "--data-dir", str(source), "-o", str(target)]) == 0
    assert json.loads(target.read_text())["tables"]["things"] == {"a": {"n": 1}, "b": {"n": 2}}
    assert main(["snapshot", "import", str(target), "--data-dir", str(copy)]) == 0
    with Store(copy) as restored:
        assert dict(restored.table("things").items()) == {"a": {"n": 1}, "b": {"n": 2}}

    with Store(source):  # a directory in use is refused, not corrupted
        assert main(["snapshot", "export", "--data-dir", str(source), "-o", str(target)]) == 1
    assert "--url" in capsys.readouterr().err
    assert main(["snapshot", "export", "--data-dir", str(tmp_path / "nothing")]) == 1
    assert "not an rsc-mock data directory" in capsys.readouterr().err

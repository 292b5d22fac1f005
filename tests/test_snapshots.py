"""Snapshots: ``GET/PUT /_mock/snapshot`` and ``rsc-mock snapshot export|import`` against a server and a
data directory."""

from __future__ import annotations

import json
import os
import stat

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


def with_row(table: str, key: str, doc) -> callable:
    """A change of a snapshot's tables: ``doc`` put under ``key`` in ``table``."""
    return lambda tables: {**tables, table: {**tables.get(table, {}), key: doc}}


@pytest.mark.parametrize("change, mentioned", [
    (lambda tables: {"nope": {"k": {"a": 1}}}, '"nope"'),
    (lambda tables: {**tables, "Tokens": {}}, '"Tokens"'),
    (with_row("tokens", "zzz", {"t": 1}), '"tokens"'),
    (with_row("tokens", "zzz", {"value": "zzz", "client_id": "c", "application": "a", "auth_type": "2L",
                                "created_at": "yesterday", "expires_at": 1}), "/created_at"),
    (with_row("seats", "3000", {"id": 3000}), '"seats"'),
    (with_row("seats", "3001", {"id": 3000, "contract": "urn:li:contract:2000", "member": "urn:li:person:x",
                                "state": "ACTIVE"}), '"3001"'),
    (with_row("members", "urn:li:person:x", []), '"members"'),
])
def test_an_import_the_emulator_could_not_read_is_refused(http, change, mentioned):
    before = http.get("/_mock/snapshot").json()
    reply = http.put("/_mock/snapshot", json={**before, "tables": change(before["tables"])})
    assert reply.status_code == 400, reply.text
    assert mentioned in reply.json()["message"] and "nothing was changed" in reply.json()["message"]
    assert http.get("/_mock/snapshot").json() == before
    assert http.post("/_mock/reset").status_code == 200


@pytest.mark.parametrize("version", [True, 1.0, "1"])
def test_the_version_must_be_the_integer_1(http, version):
    before = http.get("/_mock/snapshot").json()
    reply = http.put("/_mock/snapshot", json={**before, "version": version})
    assert reply.status_code == 400 and "version" in reply.json()["message"], reply.text


def test_a_busy_world_round_trips_and_names_only_known_tables(http, server, partner, customer):
    from mock_server.domain.tables import KNOWN_TABLES
    from tests.recruiting import (
        provision_customer,
        sync_application,
        sync_candidate,
        sync_job,
    )

    provision_customer(http, partner, "globex")
    sync_job(http, customer, "JOB-S")
    sync_candidate(http, customer, "C-S", emailAddresses=["c@s.example"])
    sync_application(http, customer, "A-S", "C-S", "JOB-S")
    assert http.post("/_mock/recruiter/notes", json={"seat": 3000, "member": "urn:li:person:jane-doe",
                                                     "note": "n"}).status_code == 201
    assert http.post("/_mock/inbox/snap", json={}).status_code == 200
    snapshot = http.get("/_mock/snapshot").json()
    assert set(snapshot["tables"]) <= KNOWN_TABLES
    assert all(doc.get("kind") in ("parent", "child") for doc in snapshot["tables"]["applications"].values())
    http.post("/_mock/reset")
    assert http.put("/_mock/snapshot", json=snapshot).status_code == 200
    assert http.get("/_mock/snapshot").json() == snapshot


def test_snapshot_files_are_readable_by_others_as_the_umask_allows(http, server, tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    expected = 0o644 & ~umask
    over_http, from_dir = tmp_path / "http.json", tmp_path / "dir.json"
    assert main(["snapshot", "export", "--url", server.url, "-o", str(over_http)]) == 0
    with Store(tmp_path / "data", {"counters": {"a": {"next": 1}}}):
        pass
    assert main(["snapshot", "export", "--data-dir", str(tmp_path / "data"), "-o", str(from_dir)]) == 0
    assert stat.S_IMODE(over_http.stat().st_mode) == expected
    assert stat.S_IMODE(from_dir.stat().st_mode) == expected


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
    with Store(source, {"counters": {"a": {"next": 1}}}) as store:
        store.table("counters").put("b", {"next": 2})
    target = tmp_path / "out" / "snap.json"
    target.parent.mkdir()
    assert main(["snapshot", "export", "--data-dir", str(source), "-o", str(target)]) == 0
    assert json.loads(target.read_text())["tables"]["counters"] == {"a": {"next": 1}, "b": {"next": 2}}
    assert main(["snapshot", "import", str(target), "--data-dir", str(copy)]) == 0
    with Store(copy) as restored:
        assert dict(restored.table("counters").items()) == {"a": {"next": 1}, "b": {"next": 2}}

    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({**json.loads(target.read_text()), "tables": {"things": {"a": {"n": 1}}}}))
    assert main(["snapshot", "import", str(unknown), "--data-dir", str(copy)]) == 1
    assert '"things"' in capsys.readouterr().err
    with Store(copy) as unchanged:
        assert dict(unchanged.table("counters").items()) == {"a": {"next": 1}, "b": {"next": 2}}

    with Store(source):  # a directory in use is refused (a usage error), not corrupted
        assert main(["snapshot", "export", "--data-dir", str(source), "-o", str(target)]) == 2
    assert "--url" in capsys.readouterr().err
    assert main(["snapshot", "export", "--data-dir", str(tmp_path / "nothing")]) == 2
    assert "not an rsc-mock data directory" in capsys.readouterr().err

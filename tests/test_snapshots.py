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


def synced_world(http, customer) -> dict:
    """One record in every synced table (a job, a candidate with a note, an application with a note, a stage
    and interview feedback, an ACL and its assignee); the snapshot of it."""
    from tests.recruiting import BATCH_UPDATE, acl, record_key, sync_application, sync_candidate, sync_job

    sync_job(http, customer, "JOB-S")
    sync_candidate(http, customer, "C-S", emailAddresses=["c@s.example"])
    sync_application(http, customer, "A-S", "C-S", "JOB-S", stages=["SCREEN"])
    acl(http, customer, "G-S", "JOB-S", person="urn:li:person:jane-doe")
    note = {"atsCreatedAt": 1702693664000, "note": "n", "author": {"firstName": "R", "lastName": "B"}}
    feedback = {"atsCreatedAt": 1702693664000, "feedback": "ok"}
    for path, entity in ((f"/v2/atsCandidates/{record_key('atsCandidateId', 'C-S')}/notes", note),
                         (f"/v2/atsApplications/{record_key('atsJobApplicationId', 'A-S')}/notes", note),
                         (f"/v2/atsApplications/{record_key('atsJobApplicationId', 'A-S')}/interviewFeedback",
                          feedback)):
        reply = http.put(path + "?ids=X1", headers={**customer, **BATCH_UPDATE}, json={"entities": {"X1": entity}})
        assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    return http.get("/_mock/snapshot").json()


def test_every_synced_table_is_checked_against_its_shape(http, customer):
    from mock_server.domain.tables import SHAPES

    snapshot = synced_world(http, customer)
    assert all(snapshot["tables"].get(shape.table.name) for shape in SHAPES)  # the world fills every one
    assert http.put("/_mock/snapshot", json=snapshot).status_code == 200  # what the emulator wrote passes
    for shape in SHAPES:
        table = shape.table.name
        key, doc = next(iter(snapshot["tables"][table].items()))
        added = next(iter(shape.stored))
        declared = next((name for name in doc if name not in shape.stored), None)
        changes = [({name: value for name, value in doc.items() if name != added}, f"/{added} :: field is required"),
                   ({**doc, added: True}, f"/{added} :: true is not of type"),
                   ({**doc, "unknownField": 1} if declared is None else {**doc, declared: None}, "/"),
                   (doc, "belongs under")]
        for changed, mentioned in changes:
            where = key if changed is not doc else key + "-moved"
            tables = {**snapshot["tables"], table: {where: changed}}
            reply = http.put("/_mock/snapshot", json={**snapshot, "tables": tables})
            assert reply.status_code == 400, (table, changed, reply.text)
            message = reply.json()["message"]
            assert f"table {json.dumps(table)}, key {json.dumps(where)}: " in message and mentioned in message, message
            assert "nothing was changed" in message


def test_the_users_candidate_without_its_fields_is_refused(http):
    doc = {"format": "rsc-mock-snapshot", "version": 1, "tables": {"candidates": {"x": {"firstName": True}}}}
    reply = http.put("/_mock/snapshot", json=doc)
    assert reply.status_code == 400, reply.text
    assert 'table "candidates", key "x": /atsCandidateId :: field is required' in reply.json()["message"]


def files_of(directory) -> dict:
    """``{relative path: bytes}`` of every file under ``directory``."""
    return {str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*"))
            if path.is_file()}


REFUSED_SNAPSHOTS = [
    {"format": "rsc-mock-snapshot", "version": 1, "tables": {"candidates": {"x": {"firstName": True}}}},
    {"format": "rsc-mock-snapshot", "version": 1, "tables": {"things": {"a": {"n": 1}}}},
    {"format": "rsc-mock-snapshot", "version": 2, "tables": {}},
    {"format": "something-else", "version": 1, "tables": {}},
    {"format": "rsc-mock-snapshot", "version": 1, "tables": {"counters": {"a": "not a document"}}},
]


@pytest.mark.parametrize("snapshot", REFUSED_SNAPSHOTS)
def test_a_refused_import_into_a_data_directory_leaves_no_trace(tmp_path, capsys, snapshot):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(snapshot))
    new = tmp_path / "NEW"
    assert main(["snapshot", "import", str(bad), "--data-dir", str(new)]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert not new.exists()
    existing = tmp_path / "existing"
    with Store(existing, {"counters": {"a": {"next": 1}}}) as store:
        store.table("counters").put("b", {"next": 2})
    before = files_of(existing)
    assert main(["snapshot", "import", str(bad), "--data-dir", str(existing)]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert files_of(existing) == before

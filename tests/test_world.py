"""Fixture worlds: the demo tenant and the sample world validate, ``fixtures generate`` is deterministic and
servable, and ``fixtures validate`` reports every problem of the interaction kinds with file and pointer."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from mock_server.cli import main
from mock_server.config import Settings
from mock_server.domain.fixtures import load_dir
from mock_server.testing.server import RunningServer, free_port, wait_until_healthy
from mock_server.tools.worldgen import WorldSpec, generate

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
SAMPLE = ROOT / "fixtures" / "sample"
SMALL = ["--seed", "5", "--members", "60", "--seats", "4", "--customers", "2"]


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.json"))}


def test_generate_same_seed_same_bytes(tmp_path, capsys):
    assert main(["fixtures", "generate", *SMALL, "-o", str(tmp_path / "a")]) == 0
    assert main(["fixtures", "generate", *SMALL, "-o", str(tmp_path / "b")]) == 0
    assert "valid" in capsys.readouterr().out
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert set(first) == {"applications.json", "contracts.json", "integrations.json", "members.json", "seats.json",
                          "conversations.json", "mailStubs.json", "prospectNotes.json"}
    assert first == second
    assert main(["fixtures", "generate", *SMALL[:1], "6", *SMALL[2:], "-o", str(tmp_path / "c")]) == 0
    assert files(tmp_path / "c")["members.json"] != first["members.json"]
    assert main(["fixtures", "generate", *SMALL, "--epoch", "1800000000000", "-o", str(tmp_path / "d")]) == 0
    assert files(tmp_path / "d")["conversations.json"] != first["conversations.json"]


def test_generated_world_shape(tmp_path):
    assert main(["fixtures", "generate", *SMALL, "--conversations", "40", "--notes", "25", "-o", str(tmp_path)]) == 0
    world = load_dir(tmp_path)
    assert len(world["members"]) == 60 and len(world["seats"]) == 4 and len(world["contracts"]) == 2
    assert len(world["conversations"]) == 40 and len(world["prospectNotes"]) == 25
    assert {seat["contract"] for seat in world["seats"]} == {c["contract"] for c in world["contracts"]}
    epoch = 1767225600000
    times = [e["createdAt"] for c in world["conversations"] for e in c["events"]]
    assert epoch - 90 * 24 * 3600 * 1000 <= min(times) and max(times) < epoch
    emails = [email for member in world["members"] for email in member["emailAddresses"]]
    assert len(emails) == len(set(emails))


def test_generate_rejects_impossible_numbers(tmp_path, capsys):
    assert main(["fixtures", "generate", "--members", "3", "--seats", "4", "-o", str(tmp_path)]) == 2
    assert main(["fixtures", "generate", "--customers", "3", "--seats", "2", "-o", str(tmp_path)]) == 2
    assert "--seats" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.json"))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_of_large_worlds_on_a_terminal_and_in_a_pipe():
    spec = WorldSpec(seed=1, members=1500, seats=3, conversations=300, notes=300)
    terminal, pipe = Terminal(), io.StringIO()
    assert generate(spec, terminal) == generate(spec, pipe)
    assert "\r[" in terminal.getvalue() and "2100/2100" in terminal.getvalue()
    lines = pipe.getvalue().splitlines()  # a log or CI console: one line per tenth, none redrawn
    assert "\r" not in pipe.getvalue() and len(lines) == 11
    assert lines[0].startswith("generating: 1/2100 (0%)") and lines[-1].startswith("generating: 2100/2100 (100%)")
    small = Terminal()
    generate(WorldSpec(seed=1, members=40, seats=2), small)
    assert small.getvalue() == ""


def test_generate_reports_each_phase_of_a_large_world(tmp_path, capsys):
    assert main(["fixtures", "generate", "--members", "1500", "--seats", "3", "--conversations", "300", "--notes",
                 "300", "-o", str(tmp_path / "big")]) == 0
    err = capsys.readouterr().err
    assert "generating: 2100/2100 (100%)" in err
    assert f"writing 8 files to {tmp_path / 'big'}" in err and f"validating {tmp_path / 'big'}" in err


def test_generate_does_not_overwrite_a_world_without_force(tmp_path, capsys):
    assert main(["fixtures", "generate", *SMALL, "-o", str(tmp_path)]) == 0
    before = files(tmp_path)
    capsys.readouterr()
    assert main(["fixtures", "generate", *SMALL[:1], "99", *SMALL[2:], "-o", str(tmp_path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line == (f"rsc-mock: -o {tmp_path} already holds applications.json, contracts.json, conversations.json,"
                    " integrations.json, mailStubs.json, members.json, prospectNotes.json, seats.json: pass --force"
                    " to overwrite them")
    assert files(tmp_path) == before
    assert main(["fixtures", "generate", *SMALL[:1], "99", *SMALL[2:], "-o", str(tmp_path), "--force"]) == 0
    assert files(tmp_path)["members.json"] != before["members.json"]


def test_generated_world_is_served(tmp_path):
    assert main(["fixtures", "generate", *SMALL, "-o", str(tmp_path)]) == 0
    with RunningServer(Settings(fixtures=tmp_path)) as server, httpx.Client(base_url=server.url) as http:
        token = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                         "client_id": "world-customer-1",
                                                         "client_secret": "world-customer-1-secret"}).json()
        seats = http.get("/v2/seatsV2", params={"q": "attributes", "contracts": "urn:li:contract:200001", "start": 0},
                         headers={"Authorization": "Bearer " + token["access_token"]})
        assert [s["id"] for s in seats.json()["elements"]] == [300001, 300003]


def test_demo_and_sample_worlds_validate():
    demo = load_dir(DEMO)
    members = {m["id"]: m for m in demo["members"]}
    assert members["demo-candidate"]["emailAddresses"] == ["johndoe999986@outlook.com", "johndoe@example.com"]
    assert members["demo-recruiter"]["admin"] is True and "jane-doe" in members
    assert [s["id"] for s in demo["seats"]] == [3000, 3001, 3002, 3003]
    assert {s["contract"] for s in demo["seats"]} == {"urn:li:contract:2000"}
    assert len(demo["conversations"]) >= 10 and demo["mailStubs"] and demo["prospectNotes"]
    sample = load_dir(SAMPLE)
    assert (len(sample["contracts"]), len(sample["members"]), len(sample["seats"])) == (2, 500, 10)
    assert sum(path.stat().st_size for path in SAMPLE.glob("*.json")) < 2 * 1024 * 1024


def broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "world"
    shutil.copytree(DEMO, target)
    return target


def edit(directory: Path, kind: str, change) -> None:
    path = directory / f"{kind}.json"
    documents = json.loads(path.read_text())
    change(documents)
    path.write_text(json.dumps(documents))


def validate(directory: Path, capsys) -> list[str]:
    assert main(["fixtures", "validate", str(directory)]) == 1
    return capsys.readouterr().err.splitlines()


def test_validate_reports_schema_problems_of_every_interaction_kind(tmp_path, capsys):
    world = broken_copy(tmp_path)

    def conversations(docs):
        docs[0]["events"][0]["direction"] = "FORWARDED"
        del docs[1]["member"]
        docs[2]["events"] = []

    def stubs(docs):
        docs[0]["emailAddress"] = [docs[0]["emailAddress"]]
        docs[1]["created"] = "yesterday"

    def notes(docs):
        docs[0]["visibility"] = "SECRET"
        docs[1]["colour"] = "blue"

    edit(world, "conversations", conversations)
    edit(world, "mailStubs", stubs)
    edit(world, "prospectNotes", notes)
    lines = validate(world, capsys)
    expected = [(f"{world / 'conversations.json'} /0/events/0/direction:", "not an enum symbol"),
                (f"{world / 'conversations.json'} /1/member:", "required"),
                (f"{world / 'conversations.json'} /2/events:", ""),
                (f"{world / 'mailStubs.json'} /0/emailAddress:", "cannot be coerced to String"),
                (f"{world / 'mailStubs.json'} /1/created:", "cannot be coerced to Long"),
                (f"{world / 'prospectNotes.json'} /0/visibility:", "not an enum symbol"),
                (f"{world / 'prospectNotes.json'} /1/colour:", "unrecognized field")]
    for prefix, reason in expected:
        assert any(line.startswith(prefix) and reason in line for line in lines), (prefix, lines)
    assert lines[-1] == f"{len(expected)} problem(s) in {world}"


def test_validate_reports_reference_problems_of_every_interaction_kind(tmp_path, capsys):
    world = broken_copy(tmp_path)
    edit(world, "contracts", lambda docs: docs.append({"contract": "urn:li:contract:2001",
                                                       "organization": "urn:li:organization:1000", "name": "Other"}))

    def conversations(docs):
        docs[0]["seat"] = "urn:li:seat:9999"
        docs[1]["member"] = "urn:li:person:nobody"
        docs[2]["contract"] = "urn:li:contract:2001"
        docs[3]["events"][0]["sender"] = docs[3]["member"]
        docs[4]["events"][0]["id"] = docs[5]["events"][0]["id"]
        first = docs[6]["events"][0]
        docs[6]["events"].append({**first, "id": "late", "createdAt": first["createdAt"] - 1})

    def stubs(docs):
        docs[0]["owner"] = "urn:li:seat:9999"
        docs[1]["conversation"] = "urn:li:messagingThread:2-missing"
        docs[2]["contract"] = "urn:li:contract:7"

    def notes(docs):
        docs[0]["member"] = "urn:li:person:nobody"
        docs[1]["lastModified"] = docs[1]["created"] - 1

    edit(world, "conversations", conversations)
    edit(world, "mailStubs", stubs)
    edit(world, "prospectNotes", notes)
    lines = validate(world, capsys)
    conv, stub, note = (str(world / f"{k}.json") for k in ("conversations", "mailStubs", "prospectNotes"))
    expected = [f"{conv} /0/seat: unknown seat urn:li:seat:9999",
                f"{conv} /1/member: unknown member urn:li:person:nobody",
                f"{conv} /2/seat: seat urn:li:seat:",
                f"{conv} /3/events/0/sender: a SENT event is sent by urn:li:seat:",
                f"{conv} /5/events/0/id: event id",
                f"{conv} /6/events/",
                f"{stub} /0/owner: unknown seat urn:li:seat:9999",
                f"{stub} /1/conversation: unknown conversation urn:li:messagingThread:2-missing",
                f"{stub} /2/contract: unknown contract urn:li:contract:7",
                f"{note} /0/member: unknown member urn:li:person:nobody",
                f"{note} /1/lastModified: earlier than created"]
    for prefix in expected:
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)
    assert any(line.startswith(f"{conv} /6/events/") and "createdAt: earlier" in line for line in lines)


def consent_redirect(base: str, client_id: str, redirect_uri: str, member: str) -> httpx.Response:
    """Allow on the consent page of ``base`` for ``member``; the reply is followed to wherever it redirects."""
    with httpx.Client(base_url=base) as http:
        query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                 "scope": "r_liteprofile", "state": "s"}
        assert http.get("/oauth/v2/authorization", params=query).status_code == 200
        return http.post("/oauth/v2/authorization", data={**query, "member": member, "decision": "allow"},
                         follow_redirects=True)


def test_a_world_generated_for_another_port_redirects_consent_to_that_server(tmp_path, capsys):
    port = free_port()
    assert main(["fixtures", "generate", *SMALL, "--origin", f"http://localhost:{port}", "-o", str(tmp_path)]) == 0
    world = load_dir(tmp_path)
    customer = next(doc for doc in world["applications"] if doc["kind"] == "child")
    assert customer["validJsSdkDomains"] == [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    member = "urn:li:person:" + world["members"][-1]["id"]
    with RunningServer(Settings(fixtures=tmp_path, port=port)) as server:
        callback = f"http://localhost:{port}/_mock/oauth/callback"
        landed = consent_redirect(server.url, customer["clientId"], callback, member)
        assert landed.status_code == 200 and landed.url.port == port and landed.json()["code"]
        token = httpx.post(server.url + "/oauth/v2/accessToken", data={
            "grant_type": "authorization_code", "code": landed.json()["code"], "redirect_uri": callback,
            "client_id": customer["clientId"], "client_secret": customer["clientSecret"]})
        assert token.status_code == 200, token.text
        # the example page's origin may embed the widgets: it gets a frame token, and the frame its data
        frame = httpx.post(server.url + "/_widgets/frames", data={"api_key": customer["clientId"],
                                                                  "widget": "ATSIntegrationWidget"},
                           headers={"Origin": f"http://127.0.0.1:{port}"})
        assert frame.status_code == 200, frame.text
        page = httpx.get(server.url + "/_widgets/configuration", params={"bundles": "RECRUITER_SYSTEM_CONNECT_COMPANY"},
                         headers={"X-Widget-Token": frame.json()["token"]})
        assert page.status_code == 200, page.text


def test_the_default_origin_follows_rsc_mock_port_and_serve_warns_of_another(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RSC_MOCK_PORT", "9123")
    assert main(["fixtures", "generate", *SMALL, "-o", str(tmp_path)]) == 0
    customer = next(doc for doc in load_dir(tmp_path)["applications"] if doc["kind"] == "child")
    assert customer["oauth2AuthorizedCallbackUrls"][0] == "http://localhost:9123/_mock/oauth/callback"
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--fixtures",
                                str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", 30, lambda: process.poll() is None)
    finally:
        process.terminate()
        banner = process.communicate(timeout=10)[0]
    notes = [line for line in banner.splitlines() if line.startswith("  note:")]
    assert notes and all(f"not to this port ({port}): add http://localhost:{port}/_mock/oauth/callback to its"
                         f" oauth2AuthorizedCallbackUrls" in line and line.endswith(f"--origin http://localhost:{port}")
                         for line in notes)

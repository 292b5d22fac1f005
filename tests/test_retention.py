"""Tokens and the rows that grow under load, on the real server: tokens revoked when their application's client
secret changes (a snapshot import, a reset to the fixtures) or the application goes away; expired tokens and
codes and 30-day-old job-posting tasks pruned on the emulator's clock, never while real time has not made them
old too."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from mock_server.cli import build_parser, settings_of
from mock_server.config import Settings
from mock_server.domain.tokens import RETENTION_MS, TWO_LEGGED_TTL_S
from mock_server.testing.server import RunningServer
from mock_server.tools.snapshots import import_snapshot
from tests.conftest import token_for
from tests.recruiting import provision_customer, sync_job

CHILD = "urn:li:developerApplication:11"
PROBE = "/v2/atsIntegrations?q=request&requestId=1"
HOUR_MS = 3600 * 1000


def call_with(http, token: str) -> httpx.Response:
    return http.get(PROBE, headers={"Authorization": "Bearer " + token})


def service_error(reply: httpx.Response) -> int | None:
    """The serviceErrorCode of a 401 (None for a success)."""
    return reply.json()["serviceErrorCode"] if reply.status_code == 401 else None


def import_with(http, change) -> None:
    """Export the state, apply ``change`` to its tables, import it back."""
    snapshot = http.get("/_mock/snapshot").json()
    change(snapshot["tables"])
    reply = http.put("/_mock/snapshot", json=snapshot)
    assert reply.status_code == 200, reply.text


def test_an_import_that_changes_a_secret_revokes_the_tokens_minted_with_the_old_one(http):
    minted = token_for(http, "demo-customer", "demo-customer-secret")
    admin_minted = http.post("/_mock/tokens", json={"client_id": "demo-customer"}).json()["access_token"]
    partner = token_for(http, "demo-partner", "demo-partner-secret")
    import_with(http, lambda tables: tables["applications"][CHILD].update(clientSecret="rotated-secret"))
    for token in (minted, admin_minted):
        assert service_error(call_with(http, token)) == 65602
    assert http.get("/_mock/snapshot").json()["tables"]["tokens"][minted]["revoked"] is True
    assert http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", "client_id": "demo-customer",
                                                    "client_secret": "demo-customer-secret"}).status_code == 401
    fresh = token_for(http, "demo-customer", "rotated-secret")
    assert call_with(http, fresh).status_code == 200
    partner_reply = http.get("/v2/provisionedApplications", headers={"Authorization": "Bearer " + partner},
                             params={"q": "credentialsByUniqueForeignId", "uniqueForeignId": "acme"})
    assert partner_reply.status_code == 200  # another application's tokens are untouched

    http.post("/_mock/reset").raise_for_status()  # the fixtures' secret is back: the rotated one's tokens stop
    assert service_error(call_with(http, fresh)) == 65602
    assert call_with(http, token_for(http, "demo-customer", "demo-customer-secret")).status_code == 200


def test_a_secret_deletion_revokes_only_that_applications_tokens_minted_with_the_deleted_secret(http, server):
    """What deleting a secret (developerApplicationsSecurity) calls: the revocation scoped to one application,
    given the secrets it keeps."""
    acme = token_for(http, "demo-customer", "demo-customer-secret")
    partner = token_for(http, "demo-partner", "demo-partner-secret")
    tokens = server.emulator.tokens
    assert tokens.revoke_stale(lambda key: ["demo-customer-secret", "a-new-one"], application=CHILD) == 0
    assert tokens.revoke_stale(lambda key: ["a-new-one"], application=CHILD) >= 1  # (earlier tests' live too)
    assert service_error(call_with(http, acme)) == 65602
    assert tokens.find(partner).revoked is False


def test_an_import_without_an_application_revokes_its_tokens(http, partner):
    globex = provision_customer(http, partner, "globex-gone")
    token = globex["headers"]["Authorization"].split()[1]
    assert call_with(http, token).status_code == 200

    def remove_globex(tables):
        del tables["applications"][globex["key"]]
    import_with(http, remove_globex)
    assert http.get("/_mock/snapshot").json()["tables"]["tokens"][token]["revoked"] is True
    assert service_error(call_with(http, token)) == 65602


def test_a_secret_change_inside_a_snapshot_is_caught_when_the_server_starts(tmp_path):
    with RunningServer(Settings(data_dir=tmp_path / "data")) as server:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            token = token_for(http, "demo-customer", "demo-customer-secret")
            snapshot = http.get("/_mock/snapshot").json()
    snapshot["tables"]["applications"][CHILD]["clientSecret"] = "rotated-offline"
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot))
    import_snapshot(path, data_dir=tmp_path / "data")
    with RunningServer(Settings(data_dir=tmp_path / "data")) as server:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert service_error(call_with(http, token)) == 65602


# ---- pruning ---------------------------------------------------------------------------------------------

def minted_at(http, server, epoch_ms: int) -> str:
    """A 2-legged token minted with the emulator's clock at ``epoch_ms`` (then back to real time)."""
    server.emulator.clock.set_ms(epoch_ms)
    try:
        return token_for(http, "demo-customer", "demo-customer-secret")
    finally:
        server.emulator.clock.reset()


def test_tokens_are_forgotten_an_hour_after_they_expire(http, server):
    now = int(time.time() * 1000)
    ttl = TWO_LEGGED_TTL_S * 1000
    old = minted_at(http, server, now - ttl - RETENTION_MS - 60_000)       # expired 61 minutes ago
    recent = minted_at(http, server, now - ttl - RETENTION_MS + 10 * 60_000)  # expired 50 minutes ago
    live = token_for(http, "demo-customer", "demo-customer-secret")
    forgotten = server.emulator.prune()
    assert forgotten["tokens"] == 1
    tokens = http.get("/_mock/snapshot").json()["tables"]["tokens"]
    assert old not in tokens and recent in tokens and live in tokens
    assert service_error(call_with(http, old)) == 65600       # unknown now
    assert service_error(call_with(http, recent)) == 65601    # still "expired"
    assert call_with(http, live).status_code == 200


def test_moving_the_clock_forward_forgets_nothing_real_time_has_not_made_old(http, server):
    live = token_for(http, "demo-customer", "demo-customer-secret")
    http.post("/_mock/clock", json={"advance": 30 * 24 * 3600}).raise_for_status()
    assert service_error(call_with(http, live)) == 65601
    assert server.emulator.prune() == {"tokens": 0, "authorizationCodes": 0, "jobPostingTasks": 0}
    http.post("/_mock/reset").raise_for_status()  # back to real time: the token a test holds works again
    assert call_with(http, live).status_code == 200


def test_codes_are_forgotten_an_hour_after_they_expire(http, server):
    now = int(time.time() * 1000)
    application = server.emulator.customers.by_client_id("demo-customer")
    issue = server.emulator.codes.issue
    old = issue(application, "urn:li:person:jane-doe", "https://ats.example/cb", "r_liteprofile",
                now - 30 * 60_000 - RETENTION_MS - 1)
    recent = issue(application, "urn:li:person:jane-doe", "https://ats.example/cb", "r_liteprofile", now - 40 * 60_000)
    assert server.emulator.prune()["authorizationCodes"] == 1
    codes = http.get("/_mock/snapshot").json()["tables"]["authorizationCodes"]
    assert old not in codes and recent in codes


def tasks_outlive_their_lifespan_only(http, server, lifespan_ms: int) -> None:
    """A task created ``lifespan_ms`` and a minute ago is forgotten by a pruning, one created just before the
    lifespan ends and one created now are still polled."""
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
    now = int(time.time() * 1000)
    created = {}
    for name, age_ms in (("OLD-1", lifespan_ms + 60_000), ("ALMOST-1", lifespan_ms - 60_000)):
        server.emulator.clock.set_ms(now - age_ms)
        try:
            created[name] = sync_job(http, customer, name, listedAt=now - age_ms - 60_000)["id"]
        finally:
            server.emulator.clock.reset()
    created["YOUNG-1"] = sync_job(http, customer, "YOUNG-1")["id"]
    assert server.emulator.prune()["jobPostingTasks"] == 1
    polled = http.get("/v2/simpleJobPostingTasks", params={"ids": list(created.values())}, headers=customer).json()
    assert list(polled["errors"]) == [created["OLD-1"]] and polled["errors"][created["OLD-1"]]["status"] == 404
    assert {polled["results"][created[name]]["status"] for name in ("ALMOST-1", "YOUNG-1")} == {"SUCCEEDED"}


def test_job_posting_tasks_live_30_days(http, server):
    assert server.emulator.settings.task_lifespan == 30 * 24 * 3600
    tasks_outlive_their_lifespan_only(http, server, 30 * 24 * 3600 * 1000)


@pytest.mark.parametrize("how", ["flag", "variable"])
def test_the_task_lifespan_is_a_setting(how, monkeypatch):
    """``--task-lifespan 86400`` or ``RSC_MOCK_TASK_LIFESPAN=86400``: create-jobs' reading of 24 hours."""
    argv = ["serve", "--task-lifespan", "86400"] if how == "flag" else ["serve"]
    if how == "variable":
        monkeypatch.setenv("RSC_MOCK_TASK_LIFESPAN", "86400")
    settings = settings_of(build_parser().parse_args(argv))
    assert settings.task_lifespan == 86400
    with RunningServer(settings) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        tasks_outlive_their_lifespan_only(http, server, 86400 * 1000)


@pytest.fixture
def pruning_often():
    with RunningServer(Settings(prune_interval=0.05)) as server:
        yield server


def test_the_server_prunes_on_its_own(pruning_often):
    server = pruning_often
    with httpx.Client(base_url=server.url, timeout=10) as http:
        now = int(time.time() * 1000)
        old = minted_at(http, server, now - TWO_LEGGED_TTL_S * 1000 - RETENTION_MS - 60_000)
        deadline = time.monotonic() + 20
        while server.emulator.tokens.find(old) is not None:  # the pruning task, not this test, removes it
            assert time.monotonic() < deadline, "the server did not prune an expired token within 20 s"
            time.sleep(0.05)
        assert token_for(http, "demo-customer", "demo-customer-secret")


def test_a_task_past_its_lifespan_polls_404_before_any_pruning(http, server):
    """The lifespan is the poll's own rule, on the emulator's clock: no pruning has run, the task is still stored,
    and a poll once the clock has passed its lifespan finds nothing."""
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
    task = sync_job(http, customer, "EXPIRING-1")["id"]
    lifespan_s = server.emulator.settings.task_lifespan
    try:
        for advanced_s, found in ((lifespan_s - 1, True), (1, False)):
            http.post("/_mock/clock", json={"advance": advanced_s}).raise_for_status()
            customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
            polled = http.get("/v2/simpleJobPostingTasks", params={"ids": task}, headers=customer).json()
            results, errors = polled.get("results", {}), polled.get("errors", {})
            assert (task in results) is found and (task in errors) is not found, polled
        assert task in http.get("/_mock/snapshot").json()["tables"]["jobPostingTasks"]  # not pruned, yet unseen
    finally:
        server.emulator.clock.reset()

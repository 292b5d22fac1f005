"""Durability of ``--data-dir``: a server killed with SIGKILL in the middle of a bulk load comes back with
every write it had acknowledged (2xx) before it died; concurrent clients writing the same keys, killed at
random points again and again, find every acknowledged write (unless a later write replaced it) and no orphan
sub-resource (tests/crash_workload.py; bench/crash_soak.py runs it at a large size)."""

from __future__ import annotations

import os
import random
import signal
import threading

import httpx

from mock_server.cli import main
from mock_server.testing.server import free_port, serve_process
from tests.crash_workload import CrashWorkload

WRITERS = 3
ACKNOWLEDGED_BEFORE_KILL = 150


def partner_token(base: str) -> str:
    reply = httpx.post(base + "/oauth/v2/accessToken", data={
        "grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "demo-partner-secret"})
    reply.raise_for_status()
    return reply.json()["access_token"]


def test_every_acknowledged_write_survives_sigkill(tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("wb")
    server = serve_process("--data-dir", str(data_dir), "--log-level", "warning", port=port, stderr=log)
    headers = {"Authorization": "Bearer " + partner_token(base)}
    acknowledged: list[str] = []
    refused: list[str] = []
    lock, enough = threading.Lock(), threading.Event()

    def writer(number: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            for n in range(100_000):
                ufid = f"bulk-{number}-{n}"
                try:
                    reply = client.post("/v2/provisionedApplications", json={
                        "uniqueForeignId": ufid, "name": f"Customer {number}-{n}", "description": "bulk load"})
                except httpx.HTTPError:
                    return  # the server is gone: this write was never acknowledged
                with lock:
                    if 200 <= reply.status_code < 300:
                        acknowledged.append(ufid)
                        if len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                            enough.set()
                    else:
                        refused.append(reply.text)
                        enough.set()
                        return

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in writers:
        thread.start()
    try:
        assert enough.wait(timeout=120), "the bulk load stalled"
        os.kill(server.pid, signal.SIGKILL)  # the writers are still sending
        server.wait(timeout=10)
    finally:
        server.kill()
        for thread in writers:
            thread.join(timeout=30)
    assert not refused, refused[:3]
    assert server.returncode == -signal.SIGKILL
    with lock:
        acknowledged_at_kill = list(acknowledged)
    assert len(acknowledged_at_kill) >= ACKNOWLEDGED_BEFORE_KILL

    restarted = serve_process("--data-dir", str(data_dir), "--log-level", "warning", port=port,
                              stderr=log)
    try:
        tables = httpx.get(base + "/_mock/snapshot", timeout=30).json()["tables"]
        stored = [doc.get("uniqueForeignId") for doc in tables["applications"].values()]
        missing = sorted(set(acknowledged_at_kill) - set(stored))
        assert not missing, f"{len(missing)} acknowledged write(s) lost, e.g. {missing[:5]}"
        assert len(stored) == len(set(stored)), "an application was stored twice"
        # the recovered server takes new writes (and the partner's token survived too)
        again = httpx.post(base + "/v2/provisionedApplications", headers=headers, json={
            "uniqueForeignId": "after-restart", "name": "After restart", "description": "x"})
        assert again.status_code == 201, again.text
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
        log.close()


def test_concurrent_clients_on_the_same_keys_survive_sigkill_at_random_points(tmp_path, capsys):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    workload = CrashWorkload(tmp_path / "data", clients=6, candidates=4, seed=seed, log=tmp_path / "server.log",
                             env={"RSC_MOCK_COMPACT_MIN_BYTES": "8192"})  # checkpoints all the time: kills land in them

    def verified(data_dir) -> None:  # the killed server's directory, checked offline before the restart
        assert main(["store", "verify", "--data-dir", str(data_dir)]) == 0, capsys.readouterr().err

    try:
        for round_no in range(3):
            done = workload.run_round(acknowledged_before_kill=rng.randint(40, 120), while_down=verified,
                                      in_checkpoint=round_no == 1)
            assert done.acknowledged >= 40, (done, f"rng seed {seed}")
            workload.check()  # AssertionError names the register and the writes (and the seed below)
        assert not workload.server_errors, workload.server_errors[:3]
    except AssertionError as error:
        raise AssertionError(f"{error} (rng seed {seed})") from None
    finally:
        workload.close()
    generations = [p.name for p in (tmp_path / "data").glob("wal.*.log")]
    assert generations and max(generations) > "wal.000002.log"  # background checkpoints happened

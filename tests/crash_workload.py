"""Concurrent clients on the same keys against a real ``rsc-mock serve --data-dir``, killed with SIGKILL at
random points and restarted; then a check of what came back. Used by tests/test_durability_sigkill.py at a
small size and by bench/crash_soak.py at a large one.

The clients (threads, one HTTP connection each) pick among a few candidates of the demo customer and do one
write per request: upsert the candidate (``atsCandidates`` BATCH_UPDATE, ``firstName`` = a value no other write
uses), upsert one of its notes (``atsCandidates/{key}/notes``, ``note`` = such a value; 404 when the candidate
is gone), or delete it (BATCH_DELETE, which deletes its notes in the same commit). Each write is timed: sent,
and acknowledged (2xx and the entity's 204) or refused or unknown (the connection died with the server).

The check, after each restart, per register (a candidate, a note): the value found (or its absence) must come
from a write W that was sent before the kill, such that no acknowledged write to that register was sent after
W ended (its acknowledgement, or the kill for a write left unknown): such a write would have been committed
after W. So every acknowledged write is there unless a write that may have followed it replaced it. And no
note may outlive its candidate (an orphan sub-resource).
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from mock_server.domain.synced import CANDIDATE_NOTES, CANDIDATES
from mock_server.testing.server import free_port, serve_process

ORG = "urn:li:organization:1000"  # the demo customer's organization
CANDIDATES_TABLE, NOTES_TABLE = CANDIDATES.table.name, CANDIDATE_NOTES.table.name
NOTE_IDS = ("N1", "N2")
REFUSED, ACKED, UNKNOWN = "refused", "acknowledged", "unknown"


def candidate_key(candidate: str) -> str:
    return f"atsCandidateId={candidate}&dataProvider=ATS&integrationContext={ORG}"


def key_query(candidate: str) -> str:
    return "&".join(f"ids[0].{part}" for part in candidate_key(candidate).split("&"))


@dataclasses.dataclass
class Write:
    """One write: the ``register`` it sets (``("candidate", c)`` or ``("note", c, n)``) to ``value`` (``None``:
    a delete), when it was sent and ended (monotonic seconds; ``ended`` is the kill for an unknown outcome)."""

    register: tuple[str, ...]
    value: str | None
    sent: float
    round: int
    outcome: str = UNKNOWN
    ended: float = float("inf")


@dataclasses.dataclass
class Round:
    """What one run until the kill did: acknowledged, refused and unknown writes, seconds to restart."""

    acknowledged: int
    refused: int
    unknown: int
    restart_seconds: float


class CrashWorkload:
    """The server, its clients and the history of their writes (see the module docstring).

    ``env``: extra environment of the server (e.g. ``RSC_MOCK_COMPACT_MIN_BYTES`` to make checkpoints
    frequent, so kills land inside them too).
    """

    def __init__(self, data_dir: Path, clients: int, candidates: int, seed: int, log: Path,
                 env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.clients = clients
        self.candidates = [f"C{n}" for n in range(candidates)]
        self.rng = random.Random(seed)
        self.log = log
        self.env = env or {}
        self.history: list[Write] = []
        self.server_errors: list[str] = []  # replies no write here should get (5xx, 4xx but 404)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._round = 0
        self.server = self._start()

    def _start(self) -> subprocess.Popen:
        saved = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)
        try:
            with self.log.open("ab") as log:
                return serve_process("--data-dir", str(self.data_dir), "--log-level", "warning", port=self.port,
                                     stderr=log)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def run_round(self, acknowledged_before_kill: int, while_down: Callable[[Path], None] = lambda data_dir: None,
                  in_checkpoint: bool = False) -> Round:
        """Write from every client until ``acknowledged_before_kill`` writes were acknowledged, wait a random
        few milliseconds (the clients still writing) -- or, ``in_checkpoint``, until a checkpoint is being
        written (two logs exist), for up to 10 s -- SIGKILL the server, call ``while_down(data_dir)``, restart
        the server."""
        self._round += 1
        reply = httpx.post(self.base + "/oauth/v2/accessToken", data={
            "grant_type": "client_credentials", "client_id": "demo-customer", "client_secret": "demo-customer-secret"})
        reply.raise_for_status()
        headers = {"Authorization": "Bearer " + reply.json()["access_token"]}
        start = len(self.history)
        enough, stop = threading.Event(), threading.Event()
        seeds = [self.rng.getrandbits(32) for _ in range(self.clients)]
        threads = [threading.Thread(target=self._client, args=(n, random.Random(seeds[n]), headers, enough, stop,
                                                               acknowledged_before_kill, start))
                   for n in range(self.clients)]
        for thread in threads:
            thread.start()
        try:
            if not enough.wait(timeout=300):
                raise RuntimeError("the writers stalled")
            if in_checkpoint:
                deadline = time.monotonic() + 10
                while len(list(self.data_dir.glob("wal.*.log"))) < 2 and time.monotonic() < deadline:
                    time.sleep(0.0002)
            else:
                time.sleep(self.rng.uniform(0, 0.03))
            os.kill(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=30)
            killed = time.monotonic()
        finally:
            stop.set()
            self.server.kill()
            for thread in threads:
                thread.join(timeout=60)
        with self._lock:
            written = self.history[start:]
            for write in written:
                if write.outcome == UNKNOWN:
                    write.ended = killed
        while_down(self.data_dir)
        began = time.monotonic()
        self.server = self._start()
        restart = time.monotonic() - began
        return Round(sum(w.outcome == ACKED for w in written), sum(w.outcome == REFUSED for w in written),
                     sum(w.outcome == UNKNOWN for w in written), restart)

    def _client(self, number: int, rng: random.Random, headers: dict[str, str], enough: threading.Event,
                stop: threading.Event, wanted: int, start: int) -> None:
        sequence = 0
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as client:
            while not stop.is_set():
                sequence += 1
                value = f"r{self._round}-c{number}-{sequence}"
                candidate = rng.choice(self.candidates)
                roll = rng.random()
                if roll < 0.5:
                    write = Write(("candidate", candidate), value, 0.0, self._round)
                    request = dict(method="PUT", url=f"/v2/atsCandidates?{key_query(candidate)}",
                                   headers={"X-RestLi-Method": "batch_update"},
                                   json={"entities": {candidate_key(candidate): {
                                       "firstName": value, "lastName": candidate, "atsCreatedAt": 1702693664000,
                                       "atsLastModifiedAt": 1702693664000, "addresses": [], "phoneNumbers": [],
                                       "emailAddresses": [f"{candidate.lower()}@ats.example"],
                                       "externalProfileUrl": f"https://ats.example/{candidate}"}}})
                    entity = candidate_key(candidate)
                elif roll < 0.85:
                    note = rng.choice(NOTE_IDS)
                    write = Write(("note", candidate, note), value, 0.0, self._round)
                    request = dict(method="PUT", url=f"/v2/atsCandidates/{candidate_key(candidate)}/notes?ids={note}",
                                   headers={"X-RestLi-Method": "batch_update"},
                                   json={"entities": {note: {"note": value, "atsCreatedAt": 1702693664000}}})
                    entity = note
                else:
                    write = Write(("candidate", candidate), None, 0.0, self._round)
                    request = dict(method="DELETE", url=f"/v2/atsCandidates?{key_query(candidate)}")
                    entity = candidate_key(candidate)
                write.sent = time.monotonic()
                with self._lock:
                    self.history.append(write)
                try:
                    reply = client.request(**request)
                except httpx.HTTPError:
                    return  # the server is gone: this write's outcome is unknown
                status = reply.status_code
                if status == 200:
                    body = reply.json()
                    status = {**body.get("errors", {}), **body.get("results", {})}.get(entity, {}).get("status")
                with self._lock:
                    write.ended = time.monotonic()
                    write.outcome = ACKED if status == 204 else REFUSED
                    if status not in (204, 404):  # 404: a note of a deleted candidate, a delete of a missing one
                        self.server_errors.append(f"{reply.status_code}: {reply.text}")
                        enough.set()  # a reply no write here should get: stop and report it
                    if sum(w.outcome == ACKED for w in self.history[start:]) >= wanted:
                        enough.set()

    def state(self) -> dict[tuple[str, ...], str]:
        """The registers the restarted server holds: ``{register: value}`` (a missing one is absent). Raises
        ``AssertionError`` on an orphan note."""
        tables = httpx.get(self.base + "/_mock/snapshot", timeout=60).json()["tables"]
        candidates = tables.get(CANDIDATES_TABLE, {})
        found: dict[tuple[str, ...], str] = {}
        for doc in candidates.values():
            found[("candidate", doc["atsCandidateId"])] = doc["firstName"]
        for doc in tables.get(NOTES_TABLE, {}).values():
            parent = candidates.get(doc["parent"])
            assert parent is not None, f"orphan note {doc['id']} of missing candidate {doc['parent']}"
            found[("note", parent["atsCandidateId"], doc["id"])] = doc["note"]
        return found

    def check(self) -> int:
        """Check the restarted server against the history (see the module docstring); return how many
        acknowledged writes are visible as the current value of their register."""
        state = self.state()
        registers = {write.register for write in self.history} | set(state)
        visible = 0
        for register in registers:
            writes = [w for w in self.history if _sets(w, register) and w.outcome != REFUSED]
            value = state.get(register)
            latest_ack = max((w.sent for w in writes if w.outcome == ACKED), default=float("-inf"))
            sources = [w for w in writes if w.value == value and w.ended >= latest_ack]
            initial = value is None and latest_ack == float("-inf")
            assert sources or initial, (
                f"{register} holds {value!r}, but an acknowledged write sent at {latest_ack:.4f} follows every write"
                f" of that value: {[(w.value, w.outcome, w.sent, w.ended) for w in writes][-8:]}")
            visible += any(w.outcome == ACKED for w in sources)
        return visible

    def close(self) -> None:
        """Stop the server (SIGTERM: a clean close)."""
        self.server.terminate()
        self.server.wait(timeout=30)


def _sets(write: Write, register: tuple[str, ...]) -> bool:
    """Whether ``write`` sets ``register``: its own, or a note of the candidate it deletes."""
    if write.register == register:
        return True
    return write.value is None and register[0] == "note" and write.register == ("candidate", register[1])

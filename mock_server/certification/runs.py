"""Guided runs of one emulator's world (the default or a sandbox: each has its own :class:`Runs`), one at a time
(another → 409).

* ``runner: "emulator"`` (``POST /_mock/certification/runs``): the same runner as ``rsc-mock certify run``, in a
  background thread of the emulator, talking to the emulator over its own listening address.
* ``runner: "client"``: ``rsc-mock certify run`` runs the cases itself and only registers here, so that two runs
  never play against one emulator at once. It reports progress with ``PUT /_mock/certification/runs/{id}``; a
  client run that has not reported for :data:`LEASE_S` seconds (killed) no longer blocks others.

A record::

    {"id", "runner": "emulator" | "client",
     "status": "running" | "finished" | "error" | "interrupted" (a client run stopped by Ctrl-C) | "abandoned",
     "customer", "partner", "cases": [case id],
     "progress": [{"case", "status": "running" | pass | fail | not-yet-exercised, "summary"?, "durationMs"?}],
     "report": report document (when finished) | None, "error": str | None}
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from mock_server.certification.model import Case
from mock_server.certification.runner import HOOK_TIMEOUT_S, RunError, Session, guided_report, run
from mock_server.restli.errors import RestliError

log = logging.getLogger("rsc_mock.certification")
LEASE_S = 300
UPDATES = ("status", "progress", "report", "error")


class Runs:
    """The runs of one emulator (kept in memory; a restart forgets them)."""

    def __init__(self) -> None:
        self.records: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.running: str | None = None

    def claim(self, runner: str, cases: list[Case], customer: str | None, partner: str | None) -> dict:
        """Register a new running run; 409 while another one runs (and has not been abandoned)."""
        with self.lock:
            current = self.records.get(self.running) if self.running else None
            if current is not None and current["runner"] == "client" and time.monotonic() - current["_heard"] > LEASE_S:
                current["status"] = "abandoned"
                current = None
            if current is not None:
                raise RestliError(409, f"certification run {current['id']} is still running; wait for it"
                                       f" (GET /_mock/certification/runs/{current['id']})")
            record: dict[str, Any] = {"id": uuid.uuid4().hex[:12], "runner": runner, "status": "running",
                                      "customer": customer, "partner": partner, "cases": [case.id for case in cases],
                                      "progress": [], "report": None, "error": None, "_heard": time.monotonic()}
            self.records[record["id"]] = record
            self.running = record["id"]
            return record

    def start(self, url: str, cases: list[Case], customer: str | None, partner: str | None,
              sandbox: str | None = None, hook_timeout_s: float = HOOK_TIMEOUT_S) -> dict:
        """Start a run of ``cases`` in the emulator against its own address ``url``, in its sandbox ``sandbox``
        (None: the default world), the partner's hook given ``hook_timeout_s`` seconds per step; 409 while
        another runs."""
        record = self.claim("emulator", cases, customer, partner)
        threading.Thread(target=self._run, args=(record, url, cases, customer, partner, sandbox, hook_timeout_s),
                         name=f"rsc-certification-{record['id']}", daemon=True).start()
        return self.view(record["id"])

    def update(self, run_id: str, changes: dict) -> dict:
        """A client run reports ``changes`` (any of ``status``, ``progress``, ``report``, ``error``); 404 for an
        unknown run, 409 for one that is not a running client run."""
        with self.lock:
            record = self.records.get(run_id)
            if record is None:
                raise RestliError(404, f"ERROR :: /id :: no certification run {run_id!r}")
            if record["runner"] != "client" or record["status"] != "running":
                raise RestliError(409, f"certification run {run_id} is {record['status']} ({record['runner']} run);"
                                       " only a running client run takes updates")
            record.update({name: changes[name] for name in UPDATES if name in changes}, _heard=time.monotonic())
            if record["status"] != "running" and self.running == run_id:
                self.running = None
        return self.view(run_id)

    def _run(self, record: dict, url: str, cases: list[Case], customer: str | None, partner: str | None,
             sandbox: str | None, hook_timeout_s: float) -> None:
        progress = record["progress"]

        def started(case: Case) -> None:
            progress.append({"case": case.id, "status": "running"})

        def finished(case: Case, result, duration_ms: int) -> None:
            progress[-1].update(status=result.status, summary=result.summary, durationMs=duration_ms)

        session = None
        try:
            session = Session(url, customer, partner, sandbox=sandbox, hook_timeout_s=hook_timeout_s)
            record["customer"] = session.customer
            results, durations = run(session, cases, started, finished)
            record["report"] = guided_report(session, cases, results, durations)
            record["status"] = "finished"
        except RunError as error:
            record.update(status="error", error=str(error))
        except Exception as error:  # noqa: BLE001 — a defect must end the run visibly, not leave it "running"
            log.exception("certification run %s failed", record["id"])
            record.update(status="error", error=f"{type(error).__name__}: {error}")
        finally:
            if session is not None:
                session.close()
            with self.lock:
                self.running = None

    def view(self, run_id: str) -> dict:
        """A copy of a run's record; 404 when unknown."""
        with self.lock:
            record = self.records.get(run_id)
            if record is None:
                raise RestliError(404, f"ERROR :: /id :: no certification run {run_id!r}")
            return public(record)

    def all(self) -> list[dict]:
        """Every run's record without its report, oldest first."""
        with self.lock:
            return [{name: value for name, value in public(record).items() if name != "report"}
                    for record in self.records.values()]


def public(record: dict) -> dict:
    """A copy of a record without its bookkeeping (``_heard``)."""
    shown = {name: value for name, value in record.items() if not name.startswith("_")}
    return {**shown, "progress": [dict(item) for item in record["progress"]]}

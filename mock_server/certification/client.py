"""How a client gets a certification report from an emulator at a URL: the passive report (``GET
/_mock/certification``) or a guided run (:mod:`.runner`), both as the report document of :mod:`.reports`,
wrapped in :class:`Report` for code that wants :class:`~.model.Result` objects. The CLI and the pytest plugin
use it.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from mock_server.certification import reports
from mock_server.certification.cases import select
from mock_server.certification.model import HOOK_TIMEOUT_S, Case, Result
from mock_server.certification.runner import Session, Unreachable, refusal, run_registered
from mock_server.harness.addressing import SANDBOX_HEADER
from mock_server.tools.admin_url import checked_sandbox_id


class Report:
    """A report document (``.document``) with its results by case id (``.results``, ``report["RSC-401"]``)
    and ``.passed`` (every case passed)."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.results = {entry["id"]: Result.from_json(entry["result"]) for entry in document["cases"]}

    def __getitem__(self, case_id: str) -> Result:
        return self.results[select(None, case_id)[0].id]

    @property
    def passed(self) -> bool:
        """True when every case of the report passed."""
        return reports.passed(self.document)

    def statuses(self) -> dict[str, str]:
        """``{case id: status}``."""
        return {case: result.status for case, result in self.results.items()}


def passive(url: str, customer: str | None = None, module: int | None = None, case: str | None = None,
            since: int = 0, sandbox: str | None = None) -> Report:
    """The emulator's grade of what the integration has done so far in its sandbox ``sandbox`` (None: the
    default world). :class:`Unreachable` when the emulator does not answer, :class:`RunError` when it refuses
    (an unknown customer, an unknown sandbox …) or what answers is not an emulator; ``ValueError`` for a
    ``sandbox`` that is not a sandbox id (:func:`~mock_server.tools.admin_url.checked_sandbox_id`: an empty one
    would grade the default world)."""
    params = {name: value for name, value in (("customer", customer), ("module", module), ("case", case),
                                              ("since", since)) if value}
    path = "/_mock/certification"
    try:
        reply = httpx.get(url.rstrip("/") + path, params=params, timeout=120, trust_env=False,
                          headers=None if sandbox is None else {SANDBOX_HEADER: checked_sandbox_id(sandbox)})
    except httpx.HTTPError as error:
        raise Unreachable(f"cannot reach the emulator at {url}: {type(error).__name__}: {error}") from None
    if reply.status_code != 200:
        raise refusal("GET", path, reply, url)
    try:
        return Report(reply.json())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise refusal("GET", path, reply, url) from None


def guided(url: str, cases: list[Case], customer: str | None = None, partner: str | None = None,
           quiet_s: float = 0.5, on_start: Callable[[Case], None] = lambda case: None,
           on_result: Callable[[Case, Result, int], None] = lambda case, result, ms: None,
           sandbox: str | None = None, hook_timeout_s: float = HOOK_TIMEOUT_S) -> Report:
    """A guided run of ``cases`` (see :mod:`.runner`) in the emulator's sandbox ``sandbox`` (None: the default
    world), registered with it so no other run plays in that world at the same time; the partner's hook must
    answer each step within ``hook_timeout_s`` seconds."""
    session = Session(url, customer, partner, quiet_s, sandbox, hook_timeout_s)
    try:
        return Report(run_registered(session, cases, on_start, on_result))
    finally:
        session.close()

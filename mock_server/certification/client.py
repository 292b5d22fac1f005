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
from mock_server.certification.model import Case, Result
from mock_server.certification.runner import RunError, Session, Unreachable, run_registered


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
            since: int = 0) -> Report:
    """The emulator's grade of what the integration has done so far. :class:`Unreachable` when the emulator
    does not answer, :class:`RunError` when it refuses (an unknown customer …)."""
    params = {name: value for name, value in (("customer", customer), ("module", module), ("case", case),
                                              ("since", since)) if value}
    try:
        reply = httpx.get(url.rstrip("/") + "/_mock/certification", params=params, timeout=120, trust_env=False)
    except httpx.HTTPError as error:
        raise Unreachable(f"cannot reach the emulator at {url}: {type(error).__name__}: {error}") from None
    if reply.status_code != 200:
        try:
            message = reply.json().get("message")
        except ValueError:
            message = reply.text[:300]
        raise RunError(f"the emulator at {url} answered {reply.status_code}: {message}", reply.status_code)
    return Report(reply.json())


def guided(url: str, cases: list[Case], customer: str | None = None, partner: str | None = None,
           quiet_s: float = 0.5, on_start: Callable[[Case], None] = lambda case: None,
           on_result: Callable[[Case, Result, int], None] = lambda case, result, ms: None) -> Report:
    """A guided run of ``cases`` (see :mod:`.runner`), registered with the emulator so no other run plays at
    the same time."""
    session = Session(url, customer, partner, quiet_s)
    try:
        return Report(run_registered(session, cases, on_start, on_result))
    finally:
        session.close()

"""Grade cases inside the emulator: give each grader an :class:`~mock_server.certification.observed.Observed`
view of the customer under certification (:func:`~mock_server.certification.observed.customer_of`) and turn
its checks into a :class:`~mock_server.certification.model.Result`.
"""

from __future__ import annotations

import logging

from mock_server.certification.model import FAIL, Case, Grading, Result
from mock_server.certification.observed import Observed

log = logging.getLogger("rsc_mock.certification")


def grade(world, case: Case, customer: dict, since: int = 0, subject: dict | None = None) -> Result:
    """Grade ``case`` for ``customer`` on the journal since ``since`` (epoch ms) and the current state;
    ``subject`` is what a guided run put in play (None: passive). A grader that raises is a defect of the
    emulator: logged, and reported as a failure saying so rather than as a 500."""
    observed = Observed(world, customer, since, subject)
    checks = Grading(case.id)
    try:
        passed = case.grade(observed, checks)
    except Exception as error:  # noqa: BLE001 — one broken grader must not take the whole report down
        log.exception("grader of %s failed", case.id)
        return Result(case.id, FAIL, f"the emulator's grader of {case.id} failed: {type(error).__name__}: {error}",
                      missing=[f"grader error: {error}"], settled=True, graded_at=observed.now)
    return checks.result(passed, observed.now)


def grade_all(world, cases: list[Case], customer: dict, since: int = 0) -> list[Result]:
    """Passive grades of ``cases`` (no subject), in order."""
    return [grade(world, case, customer, since) for case in cases]

"""Grade cases inside the emulator: pick the customer under certification, give each grader an
:class:`~mock_server.certification.observed.Observed` view and turn its checks into a
:class:`~mock_server.certification.model.Result`.

The customer is the child application with the ``uniqueForeignId`` asked for; by default, the one whose
credentials made the most journaled requests (the partner's active customer), else the first child
application with an ACTIVE seat (the test company of a guided run).
"""

from __future__ import annotations

import collections
import logging

from mock_server.certification.model import FAIL, Case, Grading, Result
from mock_server.certification.observed import Observed
from mock_server.restli.errors import RestliError

log = logging.getLogger("rsc_mock.certification")


def customer_of(world, unique_foreign_id: str | None = None) -> dict:
    """The child application under certification (see the module docstring); 404 naming
    ``uniqueForeignId`` when no customer has it, 404 when the world has no customer at all."""
    children = world.customers.children()
    if unique_foreign_id is not None:
        found = next((doc for doc in children if doc.get("uniqueForeignId") == unique_foreign_id), None)
        if found is None:
            known = ", ".join(sorted(doc.get("uniqueForeignId") or doc["key"] for doc in children)) or "none"
            raise RestliError(404, f"ERROR :: /customer :: no customer application with uniqueForeignId"
                                   f" {unique_foreign_id!r} (customers: {known})")
        return found
    if not children:
        raise RestliError(404, "ERROR :: /customer :: the emulator has no customer (child) application")
    traffic = collections.Counter(entry.get("application") for entry in world.journal.query({}))
    busiest = max(children, key=lambda doc: traffic.get(doc["key"], 0))
    if traffic.get(busiest["key"]):
        return busiest
    seated = [doc for doc in children if world.interactions.seats_of(doc.get("contracts", []), {"ACTIVE"})]
    return (seated or children)[0]


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

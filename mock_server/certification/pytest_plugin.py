"""The certification's part of the pytest plugin (loaded by :mod:`mock_server.testing.plugin`).

``rsc_certification`` (test fixture)
    A :class:`Certification` on the test's emulator (``rsc_mock``): ``.report(module=, case=, customer=)`` grades
    what the test's integration has done so far; ``.run(case=, module=, partner=, customer=)`` plays LinkedIn's side
    of the cases (``partner`` the URL of the integration's certification hook) and grades the reaction. Both
    return a :class:`~mock_server.certification.client.Report` (``report["RSC-401"].status``, ``.passed``).
``--rsc-certify``
    After each test that used the emulator (before the next test resets it), grade what the test's
    integration did; at the end of the session append one report to the terminal summary: per case a failure
    in any test wins, then a pass, else "not yet exercised", each naming the test that decided it. Works with
    pytest-xdist (each worker's grades are merged).
"""

from __future__ import annotations

import io

import pytest

from mock_server.certification import client, reports
from mock_server.certification.cases import CASES, UNDESCRIBED, select
from mock_server.certification.model import FAIL, HOOK_TIMEOUT_S, MAX_HOOK_TIMEOUT_S, PASS, Evidence, Result
from mock_server.certification.runner import RunError
from mock_server.harness.sandboxes import DEFAULT

GRADES = pytest.StashKey[dict]()
RANK = {FAIL: 2, PASS: 1}


class Certification:
    """Certification runs against the world ``sandbox`` (a sandbox id; ``None`` or ``default``: the server's own
    world) of the emulator at ``url``: the test's own world, as ``rsc_mock`` names it."""

    def __init__(self, url: str, sandbox: str | None = None) -> None:
        self.url = url
        self.sandbox = sandbox if sandbox != DEFAULT else None

    def report(self, module: int | None = None, case: str | None = None, customer: str | None = None) -> client.Report:
        """The passive grade of what the integration has done so far in this world."""
        return client.passive(self.url, customer, module, case, sandbox=self.sandbox)

    def run(self, case: str | None = None, module: int | None = None, partner: str | None = None,
            customer: str | None = None, quiet_s: float = 0.5, hook_timeout_s: float = HOOK_TIMEOUT_S) -> client.Report:
        """A guided run of one case or one module (all cases when neither is given) in this world; the partner's
        hook must answer each step within ``hook_timeout_s`` seconds (at most 300)."""
        if not 0 < hook_timeout_s <= MAX_HOOK_TIMEOUT_S:
            raise ValueError(f"hook_timeout_s={hook_timeout_s!r} is not from 0 to {MAX_HOOK_TIMEOUT_S:g} seconds")
        return client.guided(self.url, select(module, case), customer, partner, quiet_s, sandbox=self.sandbox,
                             hook_timeout_s=hook_timeout_s)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--rsc-certify``."""
    parser.getgroup("rsc-mock").addoption(
        "--rsc-certify", action="store_true", default=False,
        help="grade each test's integration against LinkedIn's RSC certification and add the report to the summary")


@pytest.fixture
def rsc_certification(rsc_mock) -> Certification:
    """A :class:`Certification` on the test's world (``rsc_mock``: its sandbox under ``--rsc-url``)."""
    return Certification(rsc_mock.url, rsc_mock.sandbox.id)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem):
    """With ``--rsc-certify``: grade the world a test used (its sandbox) before its fixtures are torn down."""
    mock = getattr(item, "funcargs", {}).get("rsc_mock")
    if mock is not None and item.config.getoption("rsc_certify"):
        try:
            merge(item.config.stash.setdefault(GRADES, {}), Certification(mock.url, mock.sandbox.id).report().document,
                  item.nodeid)
        except RunError as error:
            item.config.stash.setdefault(GRADES, {})["#error"] = str(error)
    yield


def merge(grades: dict, document: dict, nodeid: str) -> None:
    """Fold one test's report into ``grades`` (``{case id: result JSON}``): a failure wins over a pass,
    which wins over "not yet exercised"; the evidence names the test."""
    for entry in document["cases"]:
        result = entry["result"]
        current = grades.get(entry["id"])
        if current is None or RANK.get(result["status"], 0) > RANK.get(current["status"], 0):
            shown = Result.from_json(result)
            shown.evidence.insert(0, Evidence(f"decided by test {nodeid}"))
            grades[entry["id"]] = shown.to_json()
        grades.setdefault("#customer", document["customer"])
        grades["#generatedAt"] = document["generatedAt"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker: hand the grades to the controller."""
    if hasattr(session.config, "workeroutput") and GRADES in session.config.stash:
        session.config.workeroutput["rsc_certification"] = session.config.stash[GRADES]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """On the xdist controller: merge a worker's grades."""
    grades = getattr(node, "workeroutput", {}).get("rsc_certification")
    if grades:
        mine = node.config.stash.setdefault(GRADES, {})
        for case, result in grades.items():
            if case.startswith("#"):
                mine.setdefault(case, result)
            elif case not in mine or RANK.get(result["status"], 0) > RANK.get(mine[case]["status"], 0):
                mine[case] = result


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    """Append the merged certification report to the summary."""
    grades = config.stash.get(GRADES, None)
    if not config.getoption("rsc_certify") or hasattr(config, "workeroutput"):
        return
    terminalreporter.section("RSC certification")
    if not grades or all(case.startswith("#") for case in grades):
        terminalreporter.write_line(grades.get("#error", "no test used the rsc-mock emulator: nothing to grade")
                                    if grades else "no test used the rsc-mock emulator: nothing to grade")
        return
    from rich.console import Console

    results = [Result.from_json(grades[case.id]) if case.id in grades else
               Result(case.id, "not-yet-exercised", "no test graded it") for case in CASES]
    document = reports.document("passive", list(CASES), results, grades.get("#customer", {}),
                                grades.get("#generatedAt", 0), UNDESCRIBED)
    buffer = io.StringIO()
    reports.print_table(document, Console(file=buffer, width=max(terminalreporter._tw.fullwidth, 120),
                                    force_terminal=False, highlight=False))
    for line in buffer.getvalue().rstrip("\n").splitlines():
        terminalreporter.write_line(line)

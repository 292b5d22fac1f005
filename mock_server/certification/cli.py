"""``rsc-mock certify``: grade a partner's integration against a running emulator.

``rsc-mock certify report [--url URL] [--customer ID] [--module N | --case ID] [--since MS]`` grades what the
integration has done so far (``GET /_mock/certification``); ``rsc-mock certify run [--partner HOOK] ...``
plays LinkedIn's side of each case and waits for the integration to react (:mod:`.runner`), one progress
line per case; ``rsc-mock certify cases`` lists the cases. Both print a table (or ``--format json|junit|html``
on stdout) and write ``--json``/``--junit``/``--html`` files.

Errors follow ``rsc-mock``'s discipline (:mod:`mock_server.cli`): one line on stderr, exit 2 for a command line
that cannot be carried out as given (an unknown case, a module outside 1-5, a ``--customer`` the emulator does not
know, a ``--quiet-seconds`` or ``--hook-timeout`` out of its range, an output path that cannot be written), 1 when
a case failed or was not exercised, or the run could not be made (the emulator unreachable or refusing, a
``--url`` that answers but is not an emulator, an unknown ``--sandbox``, another run in progress); ``--debug``
shows the traceback. 0 when every case passed. Ctrl-C stops a run (exit 130) and records it on the emulator as
``interrupted``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mock_server.certification.model import HOOK_TIMEOUT_S, MAX_HOOK_TIMEOUT_S, Case, Result
from mock_server.cli_paths import UsageError, output_file
from mock_server.cli_values import sandbox_id, seconds

DEFAULT_URL = "http://127.0.0.1:8080"
OK, FAILED = 0, 1
REFUSED_VALUES = (400, 404)  # with a field named: the emulator's answer to a value of the command line (--customer)


def add_parser(commands, add, registry: dict) -> None:
    """Add ``certify`` to the ``rsc-mock`` sub-commands ``commands`` (``add(group, name, **options)`` makes a
    sub-parser that takes ``--debug``) and its handler to ``registry``."""
    certify = add(commands, "certify", help="grade a partner integration against LinkedIn's certification")
    actions = certify.add_subparsers(dest="certify_command", required=True)
    report = add(actions, "report", help="grade what the integration has done so far (passive)")
    guided = add(actions, "run", help="play LinkedIn's side of each case and grade the integration's reaction")
    for sub in (report, guided):
        sub.add_argument("--url", help=f"the emulator (default $RSC_MOCK_URL or {DEFAULT_URL})")
        sub.add_argument("--sandbox", type=sandbox_id,
                         help="the emulator's sandbox the integration works in (default: its own world)")
        sub.add_argument("--customer", help="uniqueForeignId of the customer under certification (default: the"
                                            " emulator's choice)")
        scope = sub.add_mutually_exclusive_group()
        scope.add_argument("--module", type=int, help="only the cases of module N (1-5)")
        scope.add_argument("--case", help="only this case (RSC-401, 'Test Case 6', …)")
        sub.add_argument("--format", choices=("table", "json", "junit", "html"), default="table",
                         help="what to print on stdout (default table)")
        sub.add_argument("--json", type=Path, help="also write the JSON report to this file")
        sub.add_argument("--junit", type=Path, help="also write JUnit XML (one test per case) to this file")
        sub.add_argument("--html", type=Path, help="also write a self-contained HTML report to this file")
    report.add_argument("--since", type=int, default=0, help="only requests since this instant (epoch ms)")
    guided.add_argument("--partner", help="URL of the partner's certification hook (see the README)")
    guided.add_argument("--quiet-seconds", type=seconds(0, 300), default=0.5,
                        help="real seconds without a request from the integration before the clock moves on"
                             " (0 to 300, default 0.5)")
    guided.add_argument("--hook-timeout", type=seconds(0.1, MAX_HOOK_TIMEOUT_S), default=HOOK_TIMEOUT_S,
                        help=f"seconds the partner's hook may take to answer one step before the case fails"
                             f" (0.1 to {MAX_HOOK_TIMEOUT_S:g}, default {HOOK_TIMEOUT_S:g})")
    add(actions, "cases", help="list the cases and those the public record does not describe")
    registry["certify"] = main


def main(args: argparse.Namespace) -> int:
    """The ``certify`` handler: exit code 0 or 1; :class:`UsageError` for exit 2 (see the module docstring)."""
    from rich.console import Console

    from mock_server.certification import client, reports  # here, not at the top: `rsc-mock serve` never needs them
    from mock_server.certification.cases import SelectionError, select
    from mock_server.certification.runner import RunError

    console = Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 160)
    if args.certify_command == "cases":
        return list_cases(console)
    for name in ("json", "junit", "html"):
        if getattr(args, name) is not None:
            setattr(args, name, output_file(f"--{name}", getattr(args, name)))
    try:
        cases = select(args.module, args.case)
    except SelectionError as error:
        raise UsageError(f"--case {args.case}: {error}" if args.case else f"--module {args.module}: {error}") from None
    url = (args.url or os.environ.get("RSC_MOCK_URL") or DEFAULT_URL).rstrip("/")
    try:
        if args.certify_command == "report":
            doc = client.passive(url, args.customer, args.module, args.case, args.since, args.sandbox).document
        else:
            doc = guided_run(url, cases, args, Console(file=sys.stderr, highlight=False, soft_wrap=True))
    except RunError as error:
        if error.status in REFUSED_VALUES and error.field is not None:
            raise UsageError(str(error)) from None
        if args.debug:
            raise
        print(f"rsc-mock: certify: {' '.join(str(error).split())}", file=sys.stderr)
        return FAILED
    write(doc, args, console)
    return OK if reports.passed(doc) else FAILED


def guided_run(url: str, cases: list[Case], args, errors) -> dict:
    """Run ``cases`` with one progress line each (a live spinner on a terminal); the report document."""
    from mock_server.certification import client

    with ProgressLines(errors) as (started, finished):
        return client.guided(url, cases, args.customer, args.partner, args.quiet_seconds, started, finished,
                             args.sandbox, args.hook_timeout).document


class ProgressLines:
    """``with ProgressLines(console) as (started, finished)``: one line per case — a spinner while it runs
    and its result when done on a terminal, a plain line per finished case otherwise."""

    def __init__(self, console) -> None:
        self.console = console
        self.progress = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.console.is_terminal:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(finished_text=" "), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), console=self.console)
            self.progress.start()
        return self.started, self.finished

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def started(self, case: Case) -> None:
        """A case begins."""
        if self.progress is not None:
            from rich.markup import escape

            self.tasks[case.id] = self.progress.add_task(escape(f"{case.id:<13} {case.title}"), total=1)

    def finished(self, case: Case, result: Result, duration_ms: int) -> None:
        """A case ends."""
        from rich.markup import escape

        from mock_server.certification import reports

        line = (f"{escape(case.id):<13} [{reports.STYLES[result.status]}]{reports.MARKS[result.status]}[/]"
                f" {escape(result.summary)}")
        if self.progress is not None:
            self.progress.update(self.tasks[case.id], description=line, completed=1)
        else:
            self.console.print(f"{line} ({duration_ms / 1000:.1f} s)")


def write(doc: dict, args, console) -> None:
    """Print the report in ``--format`` and write the files asked for."""
    from mock_server.certification import reports
    from mock_server.store.files import atomic_write

    renderers = {"json": reports.to_json, "junit": reports.to_junit, "html": reports.to_html}
    for name, render in renderers.items():
        path = getattr(args, name)
        if path is not None:
            atomic_write(path, render(doc).encode())
    if args.format == "table":
        reports.print_table(doc, console)
    else:
        sys.stdout.write(renderers[args.format](doc))


def list_cases(console) -> int:
    """``certify cases``: every case with its source, then those not graded."""
    from rich.table import Table

    from mock_server.certification.cases import CASES, UNDESCRIBED

    grid = Table(title="RSC certification cases")
    for column in ("case", "module", "title", "also", "source"):
        grid.add_column(column)
    for case in CASES:
        grid.add_row(case.id, str(case.module), case.title, ", ".join(case.aliases), case.source)
    console.print(grid)
    for item in UNDESCRIBED:
        console.print(f"{item.id} (module {item.module}): {item.reason}", markup=False)
    return OK

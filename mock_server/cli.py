"""The ``rsc-mock`` command line (also ``python -m mock_server``).

``rsc-mock serve [--host H] [--port P] [--fixtures DIR] [--data-dir DIR] [--log-level L] [...]`` starts the
emulator; every flag can also be set as ``RSC_MOCK_<NAME>`` in the environment. ``rsc-mock fixtures
validate DIR`` checks a fixture directory and reports every problem with file and JSON pointer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mock_server import __version__
from mock_server.config import Settings, settings_from_env
from mock_server.fixtures import FixtureError, load_dir

COMMANDS = {}


def command(name: str):
    """Register ``function(args) -> exit code`` as the handler of sub-command ``name``."""
    def register(function):
        COMMANDS[name] = function
        return function
    return register


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="rsc-mock", description="Offline emulator of LinkedIn Recruiter"
                                     " System Connect and the Middleware Platform APIs.")
    parser.add_argument("--version", action="version", version=f"rsc-mock {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the emulator (on the demo tenant unless --fixtures)")
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1; RSC_MOCK_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; RSC_MOCK_PORT)")
    serve.add_argument("--fixtures", type=Path, help="fixture directory (default: the demo tenant; RSC_MOCK_FIXTURES)")
    serve.add_argument("--data-dir", type=Path, help="keep state here across restarts (default: in memory;"
                                                     " RSC_MOCK_DATA_DIR)")
    serve.add_argument("--log-level", choices=["critical", "error", "warning", "info", "debug"],
                       help="log level (default info; RSC_MOCK_LOG_LEVEL)")
    serve.add_argument("--log-json", action="store_const", const=True, help="log JSON lines (RSC_MOCK_LOG_JSON)")
    serve.add_argument("--daily-quota", type=int, help="one daily call quota for every resource, 0 for"
                                                       " LinkedIn's numbers (RSC_MOCK_DAILY_QUOTA)")
    serve.add_argument("--job-task-delay", type=float, help="seconds before job-posting tasks finish"
                                                            " (RSC_MOCK_JOB_TASK_DELAY)")
    serve.add_argument("--callback-validation", action="store_const", const=True,
                       help="send LinkedIn's challenge to a CALLBACK_URL before accepting it"
                            " (RSC_MOCK_CALLBACK_VALIDATION)")

    fixtures = commands.add_parser("fixtures", help="validate or generate fixture worlds")
    fixture_commands = fixtures.add_subparsers(dest="fixtures_command", required=True)
    validate = fixture_commands.add_parser("validate", help="check a fixture directory")
    validate.add_argument("directory", type=Path)
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags given."""
    names = ("host", "port", "fixtures", "data_dir", "log_level", "log_json", "daily_quota", "job_task_delay",
             "callback_validation")
    return settings_from_env(**{name: getattr(args, name, None) for name in names})


@command("serve")
def serve(args: argparse.Namespace) -> int:
    """Start the server; prints its URL and the demo credentials."""
    import uvicorn

    from mock_server.app import create_app
    from mock_server.emulator import Emulator

    try:
        settings = settings_of(args)
        emulator = Emulator(settings)
    except (FixtureError, ValueError) as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 2
    print(banner(settings, emulator), flush=True)
    uvicorn.run(create_app(emulator=emulator), host=settings.host, port=settings.port,
                log_level=settings.log_level, access_log=False)
    return 0


def banner(settings: Settings, emulator) -> str:
    """The start-up text: the URL and the credentials of the fixture applications."""
    lines = [f"rsc-mock {__version__} listening on {settings.base_url}",
             f"  fixtures: {settings.fixtures}",
             f"  data dir: {settings.data_dir or '(in memory)'}"]
    for doc in emulator.fixture_data.get("applications", []):
        role = "partner (parent)" if doc["kind"] == "parent" else f"customer {doc.get('uniqueForeignId')} (child)"
        lines.append(f"  {role}: client_id={doc['clientId']} client_secret={doc['clientSecret']}")
    lines.append(f"  token: curl -s {settings.base_url}/oauth/v2/accessToken -d grant_type=client_credentials"
                 " -d client_id=demo-customer -d client_secret=demo-customer-secret")
    return "\n".join(lines)


@command("fixtures")
def fixtures(args: argparse.Namespace) -> int:
    """``fixtures validate DIR``."""
    try:
        data = load_dir(args.directory)
    except FixtureError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {args.directory}", file=sys.stderr)
        return 1
    print(f"{args.directory}: valid ({', '.join(f'{len(v)} {k}' for k, v in sorted(data.items()))})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)

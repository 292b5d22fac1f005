"""The ``rsc-mock`` command line (also ``python -m mock_server``).

``rsc-mock serve [--host H] [--port P] [--fixtures DIR] [--data-dir DIR] [--log-level L] [...]`` starts the
emulator; every flag can also be set as ``RSC_MOCK_<NAME>`` in the environment. ``rsc-mock fixtures
validate DIR`` checks a fixture directory and reports every problem with file and JSON pointer; ``rsc-mock
fixtures generate --seed N --members M --seats S [--customers C ...] -o DIR`` writes a generated world
(:mod:`mock_server.tools.worldgen`) and validates it. ``rsc-mock snapshot export|import`` moves the whole state
between a file and a server (``--url``) or a data directory (``--data-dir``); ``rsc-mock openapi`` prints the
OpenAPI 3.1 document of the API. ``rsc-mock trigger export|inmail|reply|note|integration ...`` does what a
recruiter or a customer admin does in Recruiter and ``rsc-mock listen`` prints each push notification and its
delivery attempts as they happen, against a running emulator (:mod:`mock_server.tools.triggers`).

Usage errors exit 2 with one line; a client command the emulator refuses or cannot reach exits 1 with one line.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from pathlib import Path

from mock_server import __version__
from mock_server.config import Settings, settings_from_env
from mock_server.domain.fixtures import FixtureError, load_dir
from mock_server.domain.integrations import RSC_TYPES
from mock_server.logs import configure_logging

COMMANDS = {}
LISTEN_BACKLOG = 2048  # uvicorn's default


def command(name: str):
    """Register ``function(args) -> exit code`` as the handler of sub-command ``name``."""
    def register(function):
        COMMANDS[name] = function
        return function
    return register


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (exit 2), for every sub-command."""

    def error(self, message: str):
        """Print ``<prog>: error: <message> (see <prog> --help)`` and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def default_url() -> str:
    """The emulator the client commands talk to without ``--url``: ``$RSC_MOCK_URL``, else the local default."""
    import os

    return os.environ.get("RSC_MOCK_URL") or "http://127.0.0.1:8080"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = Parser(prog="rsc-mock", description="Offline emulator of LinkedIn Recruiter"
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
    generate = fixture_commands.add_parser("generate", help="build a realistic world with Faker (same seed and"
                                                            " arguments: same bytes) and validate it")
    generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    generate.add_argument("--members", type=int, default=200, help="LinkedIn members, seat holders included")
    generate.add_argument("--seats", type=int, default=5, help="Recruiter seats, spread over the customers")
    generate.add_argument("--customers", type=int, default=1, help="customer applications (one contract each)")
    generate.add_argument("--conversations", type=int, help="InMail conversations (default: half the prospects)")
    generate.add_argument("--notes", type=int, help="prospect notes (default: a third of the prospects)")
    generate.add_argument("--epoch", type=int, help="epoch ms every timestamp precedes (default 2026-01-01)")
    generate.add_argument("--origin", help="scheme://host:port the world is served on, for its customers'"
                                           " validJsSdkDomains and 3-legged redirect URLs (default"
                                           " http://localhost:$RSC_MOCK_PORT, else http://localhost:8080)")
    generate.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    generate.add_argument("--force", action="store_true", help="overwrite the fixture files already in it")

    snapshot = commands.add_parser("snapshot", help="export or import the whole state as one JSON document")
    snapshot_commands = snapshot.add_subparsers(dest="snapshot_command", required=True)
    export = snapshot_commands.add_parser("export", help="write the state of a server or data directory to a file")
    export.add_argument("-o", "--output", type=Path, help="file to write (atomically; default: stdout)")
    load = snapshot_commands.add_parser("import", help="replace the state of a server or data directory")
    load.add_argument("file", type=Path)
    for sub in (export, load):
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--url", help="a running emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")
        where.add_argument("--data-dir", type=Path, help="a data directory no server has open")

    client = Parser(add_help=False)
    client.add_argument("--url", default=None, help="the emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")
    client.add_argument("--json", action="store_true", help="print JSON instead of a line of text")
    trigger = commands.add_parser("trigger", help="do what a recruiter or a customer admin does in LinkedIn"
                                                  " Recruiter (and see the push notification it queues)")
    actions = trigger.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", parents=[client], help="One-Click Export of a member to a job")
    export.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    export.add_argument("--member", required=True, help="urn:li:person:<id>")
    export.add_argument("--job", required=True, help="the job's externalJobPostingId")
    export.add_argument("--context", help="the job's organization URN (default: the seat's organization)")
    inmail = actions.add_parser("inmail", parents=[client], help="a recruiter sends an InMail")
    inmail.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    inmail.add_argument("--member", required=True, help="urn:li:person:<id>")
    inmail.add_argument("--subject")
    inmail.add_argument("--body", required=True)
    answer = actions.add_parser("reply", parents=[client], help="the member replies to an InMail")
    answer.add_argument("--conversation", required=True, help="the conversation URN an InMail event names")
    answer.add_argument("--body", required=True)
    response = answer.add_mutually_exclusive_group()
    response.add_argument("--accept", dest="response", action="store_const", const="ACCEPTED")
    response.add_argument("--decline", dest="response", action="store_const", const="DECLINED")
    answer.add_argument("--share-contact-info", action="store_true", help="share email and phone (a mail stub)")
    answer.add_argument("--phone", help="the phone number shared (default: the member's first)")
    note = actions.add_parser("note", parents=[client], help="a recruiter writes a prospect note")
    note.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    note.add_argument("--member", required=True, help="urn:li:person:<id>")
    note.add_argument("--note", required=True, help="the text")
    note.add_argument("--visibility", choices=["PUBLIC", "PRIVATE"])
    integration = actions.add_parser("integration", parents=[client],
                                     help="a customer's Recruiter admin enables or disables integrations")
    integration.add_argument("--context", required=True, help="the organization or contract URN")
    integration.add_argument("--type", dest="types", action="append", required=True, choices=list(RSC_TYPES),
                             help="an integration type (repeat for several)")
    switch = integration.add_mutually_exclusive_group(required=True)
    switch.add_argument("--enable", dest="enabled", action="store_true")
    switch.add_argument("--disable", dest="enabled", action="store_false")

    listen = commands.add_parser("listen", parents=[client], help="print each push notification and its delivery"
                                                                  " attempts as they happen (Ctrl-C stops)")
    listen.add_argument("--count", type=int, help="stop once this many notifications were delivered, failed or"
                                                  " expired")
    listen.add_argument("--all", action="store_true", help="also print the notifications there already are")
    listen.add_argument("--interval", type=float, default=0.5, help="seconds between looks (default 0.5)")

    openapi = commands.add_parser("openapi", help="print the OpenAPI 3.1 document of everything served")
    openapi.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    openapi.add_argument("--fixtures", type=Path, help="fixture directory (default: the demo tenant)")
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags given."""
    names = ("host", "port", "fixtures", "data_dir", "log_level", "log_json", "daily_quota", "job_task_delay",
             "callback_validation")
    return settings_from_env(**{name: getattr(args, name, None) for name in names})


@command("serve")
def serve(args: argparse.Namespace) -> int:
    """Start the server: bind its port (exit 2 with one line naming it when it cannot), load the fixtures
    (exit 2 when they are invalid), then print its URL and the fixture credentials and serve; exit 3 when
    the server does not start."""
    import uvicorn

    from mock_server.app import create_app
    from mock_server.emulator import Emulator

    try:
        settings = settings_of(args)
    except ValueError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 2
    try:
        sock = listening_socket(settings.host, settings.port)
    except (OSError, OverflowError) as error:
        reason = "the address is already in use" if getattr(error, "errno", None) == errno.EADDRINUSE else error
        print(f"rsc-mock: cannot listen on {settings.host} port {settings.port}: {reason}", file=sys.stderr)
        return 2
    with sock:
        try:
            emulator = Emulator(settings)
        except (FixtureError, ValueError) as error:
            print(f"rsc-mock: {error}", file=sys.stderr)
            return 2
        configure_logging(settings.log_level, settings.log_json)
        print(banner(settings, emulator), flush=True)
        server = uvicorn.Server(uvicorn.Config(create_app(emulator=emulator), host=settings.host,
                                               port=settings.port, log_level=settings.log_level,
                                               access_log=False, log_config=None))
        server.run(sockets=[sock])
    return 0 if server.started else 3


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` and listening (connections queue until the server serves
    them). Raises ``OSError`` (e.g. ``EADDRINUSE``) or ``OverflowError`` (a port past 65535)."""
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on accepted sockets whose proto says TCP, and
    # without it keep-alive clients wait ~40 ms per reply (Nagle against delayed ACKs).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


def banner(settings: Settings, emulator) -> str:
    """The start-up text: the URL, the credentials of the fixture applications and how to get a token for the
    first customer (child) application."""
    lines = [f"rsc-mock {__version__} listening on {settings.base_url}",
             f"  fixtures: {settings.fixtures}",
             f"  data dir: {settings.data_dir or '(in memory)'}"]
    applications = emulator.fixture_data.get("applications", [])
    for doc in applications:
        role = "partner (parent)" if doc["kind"] == "parent" else f"customer {doc.get('uniqueForeignId')} (child)"
        lines.append(f"  {role}: client_id={doc['clientId']} client_secret={doc['clientSecret']}")
    customer = next((doc for doc in applications if doc["kind"] == "child"), None)
    if customer is not None:
        lines.append(f"  token: curl -s {settings.base_url}/oauth/v2/accessToken -d grant_type=client_credentials"
                     f" -d client_id={customer['clientId']} -d client_secret={customer['clientSecret']}")
    lines += [f"  note: {line}" for line in other_port_callbacks(applications, settings.port)]
    return "\n".join(lines)


def other_port_callbacks(applications: list[dict], port: int) -> list[str]:
    """A warning per customer application whose redirect URLs name the emulator's own consent callback only on
    other ports than ``port``: the 3-legged redirect would go to another server."""
    from urllib.parse import urlsplit

    from mock_server.api.oauth.three_legged import CALLBACK_PATH

    warnings = []
    for doc in applications:
        own = [url for url in doc.get("oauth2AuthorizedCallbackUrls", []) if urlsplit(url).path == CALLBACK_PATH]
        if own and all(urlsplit(url).port != port for url in own):
            warnings.append(f"{doc['clientId']} redirects 3-legged OAuth to {', '.join(own)}, not to this port"
                            f" ({port}): add http://localhost:{port}{CALLBACK_PATH} to its oauth2AuthorizedCallbackUrls"
                            f" (provisionedApplications PARTIAL_UPDATE) or generate the world with --origin"
                            f" http://localhost:{port}")
    return warnings


@command("fixtures")
def fixtures(args: argparse.Namespace) -> int:
    """``fixtures validate DIR`` and ``fixtures generate ... -o DIR`` (which validates what it wrote)."""
    directory = args.output if args.fixtures_command == "generate" else args.directory
    try:
        if args.fixtures_command == "generate":
            from mock_server.tools import worldgen

            origin = args.origin or f"http://localhost:{settings_from_env().port}"
            spec = worldgen.WorldSpec(seed=args.seed, members=args.members, seats=args.seats,
                                      customers=args.customers, conversations=args.conversations, notes=args.notes,
                                      epoch_ms=worldgen.DEFAULT_EPOCH_MS if args.epoch is None else args.epoch,
                                      origin=origin)
            data = worldgen.generate_dir(spec, directory, overwrite=args.force)
        else:
            data = load_dir(directory)
    except FixtureError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    except FileExistsError as error:
        print(f"rsc-mock: {error}: pass --force to overwrite them", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 2
    print(f"{directory}: valid ({', '.join(f'{len(v)} {k}' for k, v in sorted(data.items()))})")
    return 0


@command("snapshot")
def snapshot(args: argparse.Namespace) -> int:
    """``snapshot export [-o FILE]`` and ``snapshot import FILE``, against ``--url`` or ``--data-dir``."""
    from mock_server.tools.snapshots import (
        SnapshotError,
        export_snapshot,
        import_snapshot,
    )

    url = None if args.data_dir else (args.url or default_url())
    try:
        if args.snapshot_command == "export":
            body = export_snapshot(args.output, url=url, data_dir=args.data_dir)
            if body is not None:
                sys.stdout.buffer.write(body + b"\n")
            else:
                print(f"wrote {args.output}", file=sys.stderr)
        else:
            tables = import_snapshot(args.file, url=url, data_dir=args.data_dir)
            print(f"imported {args.file}: {', '.join(f'{n} {t}' for t, n in sorted(tables.items()))}")
    except SnapshotError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 1
    return 0


@command("trigger")
def trigger(args: argparse.Namespace) -> int:
    """``trigger <action> ...``: one recruiter action through ``/_mock/recruiter`` (:mod:`mock_server.tools.triggers`);
    prints what happened (``--json``: the emulator's reply). Exit 1 with one line when it did not happen."""
    import json

    from mock_server.tools import triggers

    bodies = {
        "export": lambda: {"seat": args.seat, "member": args.member, "externalJobPostingId": args.job,
                           "integrationContext": args.context},
        "inmail": lambda: {"seat": args.seat, "member": args.member, "subject": args.subject, "body": args.body},
        "reply": lambda: {"conversation": args.conversation, "body": args.body, "response": args.response,
                          "shareContactInfo": args.share_contact_info or None, "phoneNumber": args.phone},
        "note": lambda: {"seat": args.seat, "member": args.member, "note": args.note, "visibility": args.visibility},
        "integration": lambda: {"integrationContext": args.context, "integrationTypes": args.types,
                                "enabled": args.enabled},
    }
    try:
        reply = triggers.trigger(args.url or default_url(), args.action, bodies[args.action]())
    except triggers.TriggerError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 1
    print(json.dumps(reply, indent=1) if args.json else triggers.summary(args.action, reply), flush=True)
    return 0


@command("listen")
def listen(args: argparse.Namespace) -> int:
    """``listen``: print each push notification and its delivery attempts as they happen (``--json``: one JSON
    object per line) until Ctrl-C or ``--count`` ended. Exit 1 with one line when the emulator is unreachable."""
    import json

    from mock_server.tools import triggers

    if args.count is not None and args.count < 1 or args.interval <= 0:
        print("rsc-mock listen: error: --count and --interval must be positive (see rsc-mock listen --help)",
              file=sys.stderr)
        return 2

    def emit(event: triggers.Event) -> None:
        print(json.dumps(event.json()) if args.json else event.text(), flush=True)

    url = args.url or default_url()

    def started() -> None:
        print(f"listening to the push notifications of {url} (Ctrl-C stops)", file=sys.stderr, flush=True)

    try:
        triggers.listen(url, emit, interval=args.interval, count=args.count, replay=args.all, started=started)
    except triggers.TriggerError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


@command("openapi")
def openapi(args: argparse.Namespace) -> int:
    """Print (or write with ``-o``) the OpenAPI 3.1 document, built without starting a server."""
    import json

    from mock_server.app import create_app
    from mock_server.tools import openapi as document

    try:
        settings = settings_from_env(fixtures=args.fixtures)
        settings.data_dir = None  # describe the API, never open (and lock) a data directory
        app = create_app(settings)
    except (FixtureError, ValueError) as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 2
    text = json.dumps(document.build(app), indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        from mock_server.store.files import atomic_write

        atomic_write(args.output, text.encode())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)

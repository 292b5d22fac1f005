"""The ``rsc-mock`` command line (also ``python -m mock_server``).

``rsc-mock serve [--host H] [--port P] [--fixtures DIR] [--data-dir DIR] [--log-level L] [...]`` starts the
emulator; every flag can also be set as ``RSC_MOCK_<NAME>`` in the environment. ``rsc-mock fixtures
validate DIR`` checks a fixture directory and reports every problem with file and JSON pointer; ``rsc-mock
fixtures generate --seed N --members M --seats S [--customers C ...] -o DIR`` writes a generated world
(:mod:`mock_server.tools.worldgen`) and validates it. ``rsc-mock snapshot export|import`` moves the whole state
between a file and a server (``--url``) or a data directory (``--data-dir``); ``rsc-mock sandbox
create|list|delete`` manages a server's sandboxes (``--url``); ``rsc-mock openapi`` prints the OpenAPI 3.1
document of the API.
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
from mock_server.logs import configure_logging

COMMANDS = {}
LISTEN_BACKLOG = 2048  # uvicorn's default


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
    serve.add_argument("--max-sandboxes", type=int, help="sandboxes the server holds at most besides its own"
                                                         " world (default 64; RSC_MOCK_MAX_SANDBOXES)")
    serve.add_argument("--sandbox-ttl", type=int, help="seconds without a request after which a sandbox is deleted"
                                                       " (default 600; RSC_MOCK_SANDBOX_TTL)")

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
    generate.add_argument("-o", "--output", type=Path, required=True, help="directory to write")

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

    sandbox = commands.add_parser("sandbox", help="create, list or delete sandboxes (isolated worlds) of a server")
    sandbox_commands = sandbox.add_subparsers(dest="sandbox_command", required=True)
    create = sandbox_commands.add_parser("create", help="create a sandbox; prints it as JSON (id, credentials,"
                                                        " URLs)")
    create.add_argument("--fixtures", help="a bundled fixture world (demo, sample; default: the server's own)")
    create.add_argument("--label", help="free text shown in the list (e.g. the CI job)")
    create.add_argument("--ttl", type=int, help="seconds without a request before the server deletes it"
                                                " (default and most: the server's --sandbox-ttl)")
    listing = sandbox_commands.add_parser("list", help="one line per sandbox: id, fixtures, idle seconds / TTL,"
                                                       " label")
    delete = sandbox_commands.add_parser("delete", help="delete sandboxes")
    delete.add_argument("ids", nargs="+", metavar="ID")
    for sub in (create, listing, delete):
        sub.add_argument("--url", help="the emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")

    openapi = commands.add_parser("openapi", help="print the OpenAPI 3.1 document of everything served")
    openapi.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    openapi.add_argument("--fixtures", type=Path, help="fixture directory (default: the demo tenant)")
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags given."""
    names = ("host", "port", "fixtures", "data_dir", "log_level", "log_json", "daily_quota", "job_task_delay",
             "callback_validation", "max_sandboxes", "sandbox_ttl")
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
    lines.append(f"  sandboxes: up to {settings.max_sandboxes} (POST /_mock/sandboxes), each deleted after"
                 f" {settings.sandbox_ttl} s without a request")
    return "\n".join(lines)


@command("fixtures")
def fixtures(args: argparse.Namespace) -> int:
    """``fixtures validate DIR`` and ``fixtures generate ... -o DIR`` (which validates what it wrote)."""
    directory = args.output if args.fixtures_command == "generate" else args.directory
    try:
        if args.fixtures_command == "generate":
            from mock_server.tools import worldgen

            spec = worldgen.WorldSpec(seed=args.seed, members=args.members, seats=args.seats,
                                      customers=args.customers, conversations=args.conversations, notes=args.notes,
                                      epoch_ms=worldgen.DEFAULT_EPOCH_MS if args.epoch is None else args.epoch)
            data = worldgen.generate_dir(spec, directory)
        else:
            data = load_dir(directory)
    except FixtureError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 2
    print(f"{directory}: valid ({', '.join(f'{len(v)} {k}' for k, v in sorted(data.items()))})")
    return 0


@command("snapshot")
def snapshot(args: argparse.Namespace) -> int:
    """``snapshot export [-o FILE]`` and ``snapshot import FILE``, against ``--url`` or ``--data-dir``."""
    import os

    from mock_server.tools.snapshots import (
        SnapshotError,
        export_snapshot,
        import_snapshot,
    )

    url = None if args.data_dir else (args.url or os.environ.get("RSC_MOCK_URL") or "http://127.0.0.1:8080")
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


@command("sandbox")
def sandbox(args: argparse.Namespace) -> int:
    """``sandbox create [--fixtures NAME] [--label TEXT] [--ttl S]``, ``sandbox list``, ``sandbox delete ID...``
    against ``--url``; a refusal (unknown id, the server's limit reached) or an unreachable server exits 1."""
    import json
    import os

    from mock_server.testing.sandboxes import (
        SandboxError,
        create_sandbox,
        delete_sandbox,
        list_sandboxes,
    )

    url = args.url or os.environ.get("RSC_MOCK_URL") or "http://127.0.0.1:8080"
    try:
        if args.sandbox_command == "create":
            print(json.dumps(create_sandbox(url, args.fixtures, args.label, args.ttl).doc, indent=2))
        elif args.sandbox_command == "list":
            listed = list_sandboxes(url)
            for doc in listed["sandboxes"]:
                ttl = "-" if doc["idleTtl"] is None else f"{doc['idleTtl']}s"
                print(f"{doc['id']:<12} {doc['fixtures']:<10} idle {doc['idleFor']:.0f}s/{ttl:<6} {doc['label'] or ''}")
            print(f"{listed['count'] - 1} of at most {listed['limit']} sandboxes besides the default")
        else:
            for sandbox_id in args.ids:
                delete_sandbox(url, sandbox_id)
                print(f"deleted {sandbox_id}")
    except SandboxError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 1
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

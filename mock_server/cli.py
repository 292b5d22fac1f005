"""The ``rsc-mock`` command line (also ``python -m mock_server``).

``rsc-mock serve [--host H] [--port P] [--fixtures DIR] [--data-dir DIR] [--log-level L] [...]`` starts the
emulator; every flag can also be set as ``RSC_MOCK_<NAME>`` in the environment. ``rsc-mock fixtures
validate DIR`` checks a fixture directory and reports every problem with file and JSON pointer; ``rsc-mock
fixtures generate --seed N --members M --seats S [--customers C ...] -o DIR`` writes a generated world
(:mod:`mock_server.tools.worldgen`) and validates it. ``rsc-mock snapshot export|import`` moves the whole state
between a file and a server (``--url``) or a data directory (``--data-dir``); ``rsc-mock store verify|repair``
checks a data directory offline and copies what is intact of a damaged one (:mod:`mock_server.store.offline`);
``rsc-mock sandbox create|list|delete`` manages a server's sandboxes (``--url``);
``rsc-mock openapi`` prints the OpenAPI 3.1 document of the API; ``rsc-mock fidelity [--json]`` the fidelity
ledger (every behaviour, documented or inferred, :mod:`mock_server.tools.fidelity`). ``rsc-mock trigger
export|inmail|reply|note|integration ...`` does what a recruiter or a customer admin does in Recruiter and ``rsc-mock
listen`` prints each push notification and its delivery attempts as they happen, against a running emulator
(:mod:`mock_server.tools.triggers`). ``rsc-mock certify report|run|cases``
grades a partner's integration against LinkedIn's certification cases (:mod:`mock_server.certification.cli`).

Errors are one line on stderr naming the flag or file and the fix, with exit code 2 when the command line
cannot be carried out as given (a bad flag or value; a path that is missing, of the wrong kind or not what the
command needs; a fixture world that does not validate; a port or data directory in use) and 1 when the command
failed (a damaged data directory, an unreachable or refusing server, an I/O error, a check that found problems,
a certification case that did not pass).
``--debug`` shows the traceback of a failure instead.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from mock_server import __version__
from mock_server.certification import cli as certify
from mock_server.cli_paths import (
    UsageError,
    data_dir_flag,
    existing_dir,
    existing_file,
    output_dir,
    output_file,
)
from mock_server.cli_values import COUNT, http_url, integer, sandbox_id, seconds, setting, version_month
from mock_server.config import ENV_PREFIX, LOG_LEVELS, Settings, settings_from_env
from mock_server.domain.fixtures import FixtureError, load_dir
from mock_server.domain.integrations import RSC_TYPES
from mock_server.logs import configure_logging
from mock_server.store.errors import DataDirError

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
LISTEN_BACKLOG = 2048  # uvicorn's default
HOUR_S = 3600  # the longest --interval of listen
# The serve flags read by their setting's rule (mock_server.config): setting -> help; the flag is --<setting with
# dashes>, and the help ends with the setting's RSC_MOCK_* variable.
SERVE_SETTINGS = {
    "daily_quota": "one daily call quota for every resource, 0 for LinkedIn's numbers",
    "minute_quota": "one records-per-minute limit for every resource, 0 for LinkedIn's numbers",
    "job_task_delay": "seconds before job-posting tasks finish",
    "task_lifespan": "seconds a job-posting task can be polled (default 2592000, LinkedIn's 30 days)",
    "max_sandboxes": "sandboxes the server holds at most besides its own world (default 64)",
    "sandbox_ttl": "seconds without a request after which a sandbox is deleted (default 600)",
    "max_body_bytes": "largest request body on any route, bytes (default 1048576)",
    "max_snapshot_bytes": "largest snapshot import (PUT /_mock/snapshot), bytes (default 1073741824)",
    "header_timeout": "seconds a request's headers may take to arrive (default 10)",
    "body_timeout": "seconds a request's body may take to arrive (default 30)",
}


def command(name: str):
    """Register ``function(args) -> exit code`` as the handler of sub-command ``name``."""
    def register(function):
        COMMANDS[name] = function
        return function
    return register


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def default_url() -> str:
    """The emulator the client commands talk to without ``--url``: ``$RSC_MOCK_URL``, else the local default."""
    return os.environ.get("RSC_MOCK_URL") or "http://127.0.0.1:8080"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = Parser(prog="rsc-mock", description="Offline emulator of LinkedIn Recruiter System Connect and the"
                                                 " Middleware Platform APIs.")
    parser.add_argument("--version", action="version", version=f"rsc-mock {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    debug = argparse.ArgumentParser(add_help=False)  # --debug after the sub-command too
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of a"
                                                                                        " failure")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(group, name: str, parents: tuple = (), **options) -> argparse.ArgumentParser:
        return group.add_parser(name, parents=[debug, *parents], **options)

    serve = add(commands, "serve", help="start the emulator (on the demo tenant unless --fixtures)")
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1; RSC_MOCK_HOST)")
    serve.add_argument("--port", type=setting("port"), help="port (default 8080; RSC_MOCK_PORT)")
    serve.add_argument("--fixtures", type=Path, help="fixture directory (default: the demo tenant; RSC_MOCK_FIXTURES)")
    serve.add_argument("--data-dir", type=Path, help="keep state here across restarts (default: in memory;"
                                                     " RSC_MOCK_DATA_DIR)")
    serve.add_argument("--log-level", type=setting("log_level"), choices=LOG_LEVELS,
                       help="log level (default info; RSC_MOCK_LOG_LEVEL)")
    serve.add_argument("--log-json", action="store_const", const=True, help="log JSON lines (RSC_MOCK_LOG_JSON)")
    for name, text in SERVE_SETTINGS.items():
        serve.add_argument("--" + name.replace("_", "-"), type=setting(name),
                           help=f"{text} ({ENV_PREFIX}{name.upper()})")
    serve.add_argument("--callback-validation", action="store_const", const=True,
                       help="send LinkedIn's challenge to a CALLBACK_URL before accepting it"
                            " (RSC_MOCK_CALLBACK_VALIDATION)")
    serve.add_argument("--oldest-version", type=version_month, metavar="YYYYMM",
                       help="oldest LinkedIn-Version served on /rest, 0 for the version table's"
                            " (RSC_MOCK_OLDEST_VERSION)")
    serve.add_argument("--latest-version", type=version_month, metavar="YYYYMM",
                       help="latest LinkedIn-Version served on /rest, 0 for the version table's"
                            " (RSC_MOCK_LATEST_VERSION)")

    fixtures = add(commands, "fixtures", help="validate or generate fixture worlds")
    fixture_commands = fixtures.add_subparsers(dest="fixtures_command", required=True)
    validate = add(fixture_commands, "validate", help="check a fixture directory")
    validate.add_argument("directory", type=Path)
    generate = add(fixture_commands, "generate", help="build a realistic world with Faker (same seed and"
                                                      " arguments: same bytes) and validate it")
    generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    generate.add_argument("--members", type=COUNT, default=200, help="LinkedIn members, seat holders included")
    generate.add_argument("--seats", type=COUNT, default=5, help="Recruiter seats, spread over the customers")
    generate.add_argument("--customers", type=COUNT, default=1, help="customer applications (one contract each)")
    generate.add_argument("--conversations", type=COUNT, help="InMail conversations (default: half the prospects)")
    generate.add_argument("--notes", type=COUNT, help="prospect notes (default: a third of the prospects)")
    generate.add_argument("--epoch", type=integer(0, None, "an epoch ms time"),
                          help="epoch ms every timestamp precedes (default 2026-01-01)")
    generate.add_argument("--origin", help="scheme://host:port the world is served on, for its customers'"
                                           " validJsSdkDomains and 3-legged redirect URLs (default"
                                           " http://localhost:$RSC_MOCK_PORT, else http://localhost:8080)")
    generate.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    generate.add_argument("--force", action="store_true", help="overwrite the fixture files already in it")

    snapshot = add(commands, "snapshot", help="export or import the whole state as one JSON document")
    snapshot_commands = snapshot.add_subparsers(dest="snapshot_command", required=True)
    export = add(snapshot_commands, "export", help="write the state of a server or data directory to a file")
    export.add_argument("-o", "--output", type=Path, help="file to write (atomically; default: stdout)")
    load = add(snapshot_commands, "import", help="replace the state of a server or data directory")
    load.add_argument("file", type=Path)
    for sub in (export, load):
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--url", type=http_url, help="a running emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")
        where.add_argument("--data-dir", type=Path, help="a data directory no server has open")
        sub.add_argument("--sandbox", type=sandbox_id, help="with --url: the server's sandbox (default: its own world)")

    sandbox = add(commands, "sandbox", help="create, list or delete sandboxes (isolated worlds) of a server")
    sandbox_commands = sandbox.add_subparsers(dest="sandbox_command", required=True)
    create = add(sandbox_commands, "create", help="create a sandbox; prints it as JSON (id, credentials,"
                                                  " URLs)")
    create.add_argument("--fixtures", help="a bundled fixture world (demo, sample; default: the server's own)")
    create.add_argument("--label", help="free text shown in the list (e.g. the CI job)")
    create.add_argument("--ttl", type=integer(1, None, "a number of seconds"),
                        help="seconds without a request before the server deletes it"
                             " (default and most: the server's --sandbox-ttl)")
    listing = add(sandbox_commands, "list", help="one line per sandbox: id, fixtures, idle seconds / TTL,"
                                                 " label")
    delete = add(sandbox_commands, "delete", help="delete sandboxes")
    delete.add_argument("ids", nargs="+", metavar="ID", type=sandbox_id)
    for sub in (create, listing, delete):
        sub.add_argument("--url", type=http_url,
                         help="the emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")

    store = add(commands, "store", help="check or repair a data directory that no server has open")
    store_commands = store.add_subparsers(dest="store_command", required=True)
    verify = add(store_commands, "verify", help="check every checksum and the commit sequence; exit 1 on damage")
    verify.add_argument("--data-dir", type=Path, required=True, help="the data directory")
    repair = add(store_commands, "repair", help="copy what is provably intact into a new directory (the"
                                                " original is left as it is)")
    repair.add_argument("--data-dir", type=Path, required=True, help="the damaged data directory")
    repair.add_argument("--out", type=Path, required=True, help="a new or empty directory to write")

    client = Parser(add_help=False)
    client.add_argument("--url", type=http_url, default=None, help="the emulator (default $RSC_MOCK_URL or http://127.0.0.1:8080)")
    client.add_argument("--json", action="store_true", help="print JSON instead of a line of text")
    client.add_argument("--sandbox", type=sandbox_id, help="the emulator's sandbox to act in (default: its own world)")
    trigger = add(commands, "trigger", help="do what a recruiter or a customer admin does in LinkedIn"
                                             " Recruiter (and see the push notification it queues)")
    actions = trigger.add_subparsers(dest="action", required=True)
    export = add(actions, "export", parents=(client,), help="One-Click Export of a member to a job")
    export.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    export.add_argument("--member", required=True, help="urn:li:person:<id>")
    export.add_argument("--job", required=True, help="the job's externalJobPostingId")
    export.add_argument("--context", help="the job's organization URN (default: the seat's organization)")
    inmail = add(actions, "inmail", parents=(client,), help="a recruiter sends an InMail")
    inmail.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    inmail.add_argument("--member", required=True, help="urn:li:person:<id>")
    inmail.add_argument("--subject")
    inmail.add_argument("--body", required=True)
    answer = add(actions, "reply", parents=(client,), help="the member replies to an InMail")
    answer.add_argument("--conversation", required=True, help="the conversation URN an InMail event names")
    answer.add_argument("--body", required=True)
    response = answer.add_mutually_exclusive_group()
    response.add_argument("--accept", dest="response", action="store_const", const="ACCEPTED")
    response.add_argument("--decline", dest="response", action="store_const", const="DECLINED")
    answer.add_argument("--share-contact-info", action="store_true", help="share email and phone (a mail stub)")
    answer.add_argument("--phone", help="the phone number shared (default: the member's first)")
    note = add(actions, "note", parents=(client,), help="a recruiter writes a prospect note")
    note.add_argument("--seat", required=True, help="urn:li:seat:<id> or the id")
    note.add_argument("--member", required=True, help="urn:li:person:<id>")
    note.add_argument("--note", required=True, help="the text")
    note.add_argument("--visibility", choices=["PUBLIC", "PRIVATE"])
    integration = add(actions, "integration", parents=(client,),
                      help="a customer's Recruiter admin enables or disables integrations")
    integration.add_argument("--context", required=True, help="the organization or contract URN")
    integration.add_argument("--type", dest="types", action="append", required=True, choices=list(RSC_TYPES),
                             help="an integration type (repeat for several)")
    switch = integration.add_mutually_exclusive_group(required=True)
    switch.add_argument("--enable", dest="enabled", action="store_true")
    switch.add_argument("--disable", dest="enabled", action="store_false")

    listen = add(commands, "listen", parents=(client,), help="print each push notification and its delivery"
                                                             " attempts as they happen (Ctrl-C stops)")
    listen.add_argument("--count", type=integer(1, None, "a count"),
                        help="stop once this many notifications were delivered, failed or expired")
    listen.add_argument("--all", action="store_true", help="also print the notifications there already are")
    listen.add_argument("--interval", type=seconds(0.001, HOUR_S), default=0.5,
                        help="seconds between looks (default 0.5; at most an hour)")

    openapi = add(commands, "openapi", help="print the OpenAPI 3.1 document of everything served")
    openapi.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    openapi.add_argument("--fixtures", type=Path, help="fixture directory (default: the demo tenant)")

    ledger = add(commands, "fidelity", help="list every behaviour the emulator implements, documented (with"
                                            " LinkedIn's page) or inferred (with the reason)")
    ledger.add_argument("--json", action="store_true", help="print the JSON document GET /_mock/fidelity serves")
    certify.add_parser(commands, add, COMMANDS)
    return parser


def settings_of(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by the flags given; :class:`UsageError` naming the first
    ``RSC_MOCK_*`` variable that breaks its setting's rule."""
    names = ("host", "port", "fixtures", "data_dir", "log_level", "log_json", "daily_quota", "minute_quota",
             "job_task_delay", "task_lifespan", "callback_validation", "oldest_version", "latest_version",
             "max_body_bytes", "max_snapshot_bytes", "header_timeout", "body_timeout", "max_sandboxes", "sandbox_ttl")
    return environment(**{name: getattr(args, name, None) for name in names})


def environment(**overrides) -> Settings:
    """:func:`mock_server.config.settings_from_env` with ``overrides``; a variable that breaks its setting's rule
    is a :class:`UsageError` in one line naming it (``RSC_MOCK_PORT='70000': 70000 is not a port (1 to
    65535)``)."""
    try:
        return settings_from_env(**overrides)
    except ValueError as error:
        raise UsageError(str(error)) from None


@command("serve")
def serve(args: argparse.Namespace) -> int:
    """Start the server: check the paths, bind its port, load the fixtures and open the data directory (a
    usage error for any of them that cannot be used, a failure for a damaged data directory), then print its
    URL and the fixture credentials and serve; exit 3 when the server does not start."""
    import uvicorn

    from mock_server.app import create_app
    from mock_server.emulator import Emulator
    from mock_server.serving import uvicorn_config

    settings = settings_of(args)
    existing_dir("--fixtures", settings.fixtures)
    if settings.data_dir is not None:
        output_dir("--data-dir", settings.data_dir, empty=False)
    check_versions(settings)
    try:
        sock = listening_socket(settings.host, settings.port)
    except (socket.gaierror, UnicodeError) as error:
        raise UsageError(f"--host {settings.host}: not an address or host name this machine knows ({error});"
                         " give an address of this machine, such as 127.0.0.1 or 0.0.0.0") from None
    except (OSError, OverflowError) as error:
        if getattr(error, "errno", None) == errno.EADDRNOTAVAIL:
            raise UsageError(f"--host {settings.host}: not an address of this machine; give one of its addresses,"
                             " such as 127.0.0.1 or 0.0.0.0") from None
        reason = "the address is already in use" if getattr(error, "errno", None) == errno.EADDRINUSE else error
        raise UsageError(f"--port {settings.port}: cannot listen on {settings.host} port {settings.port}: {reason};"
                         " pick another --port or stop what holds it") from None
    with sock:
        try:
            with data_dir_flag("--data-dir"):
                emulator = Emulator(settings)
        except FixtureError as error:
            raise UsageError(fixture_summary(settings.fixtures, error)) from None
        except ValueError as error:
            raise UsageError(str(error)) from None
        configure_logging(settings.log_level, settings.log_json)
        print(banner(settings, emulator), flush=True)
        app = create_app(emulator=emulator, freeze_heap=True)
        server = uvicorn.Server(uvicorn_config(app, settings, log_level=settings.log_level, log_config=None))
        server.run(sockets=[sock])
    return 0 if server.started else 3


def check_versions(settings: Settings) -> None:
    """:class:`UsageError` when ``--oldest-version`` is later than ``--latest-version`` (either may be the
    version table's own bound, 0), or when ``RSC_MOCK_OLDEST_VERSION`` / ``RSC_MOCK_LATEST_VERSION`` is not a
    month of the version table (the flags' own rule, :func:`mock_server.cli_values.version_month`; a flag was
    checked by argparse already, so a value refused here came from the environment)."""
    from mock_server.api.versions import bounds

    for name in ("oldest_version", "latest_version"):
        value = getattr(settings, name)
        try:
            version_month(str(value))
        except argparse.ArgumentTypeError as error:
            raise UsageError(f"{ENV_PREFIX}{name.upper()}={str(value)!r}: {error}") from None
    oldest, latest = bounds(settings.oldest_version, settings.latest_version)
    if oldest > latest:
        raise UsageError(f"--oldest-version {oldest} is later than --latest-version {latest}; give an oldest version"
                         " no later than the latest")


def fixture_summary(directory: Path, error: FixtureError) -> str:
    """One line for the ``--fixtures`` world that is invalid: its first problem and how to see the others."""
    more = len(error.problems) - 1
    return f"--fixtures {error.problems[0]}" + (
        f" (and {more} more; `rsc-mock fixtures validate {directory}` lists them)" if more else "")


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
    """``fixtures validate DIR`` and ``fixtures generate ... -o DIR`` (which validates what it wrote): every
    problem of an invalid world, one per line, and exit 1."""
    if args.fixtures_command == "generate":
        from mock_server.tools import worldgen

        directory = output_dir("-o", args.output, empty=False)
        spec = worldgen.WorldSpec(seed=args.seed, members=args.members, seats=args.seats,
                                  customers=args.customers, conversations=args.conversations, notes=args.notes,
                                  epoch_ms=worldgen.DEFAULT_EPOCH_MS if args.epoch is None else args.epoch,
                                  origin=args.origin or f"http://localhost:{environment().port}")
    else:
        directory = existing_dir("DIRECTORY", args.directory)
    try:
        if args.fixtures_command == "generate":
            data = worldgen.generate_dir(spec, directory, overwrite=args.force)
        else:
            data = load_dir(directory)
    except FixtureError as error:
        if len(error.problems) == 1:
            print(f"rsc-mock: {error.problems[0]}", file=sys.stderr)
            return 1
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    except FileExistsError as error:  # fixture files already there and no --force
        raise UsageError(f"-o {error}: pass --force to overwrite them") from None
    except ValueError as error:  # numbers that cannot make a world (worldgen names the flags)
        raise UsageError(str(error)) from None
    print(f"{directory}: valid ({', '.join(f'{len(v)} {k}' for k, v in sorted(data.items()))})")
    return 0


@command("snapshot")
def snapshot(args: argparse.Namespace) -> int:
    """``snapshot export [-o FILE]`` and ``snapshot import FILE``, against ``--url`` or ``--data-dir``."""
    from mock_server.tools.snapshots import (
        SnapshotError,
        SnapshotFileError,
        export_snapshot,
        import_snapshot,
    )

    if args.snapshot_command == "export" and args.output is not None:
        args.output = output_file("-o", args.output)
    if args.snapshot_command == "import":
        existing_file("FILE", args.file)
        if args.data_dir is not None:
            output_dir("--data-dir", args.data_dir, empty=False)
    if args.sandbox is not None and args.data_dir is not None:
        raise UsageError("--sandbox names a sandbox of a running server (--url); a data directory has none")
    url = None if args.data_dir else (args.url or default_url())
    try:
        with data_dir_flag("--data-dir"):
            if args.snapshot_command == "export":
                body = export_snapshot(args.output, url=url, data_dir=args.data_dir, sandbox=args.sandbox)
                if body is not None:
                    sys.stdout.buffer.write(body + b"\n")
                else:
                    print(f"wrote {args.output}", file=sys.stderr)
            else:
                tables = import_snapshot(args.file, url=url, data_dir=args.data_dir, sandbox=args.sandbox)
                print(f"imported {args.file}: {', '.join(f'{n} {t}' for t, n in sorted(tables.items()))}")
    except SnapshotFileError as error:
        raise UsageError(str(error)) from None
    except SnapshotError as error:
        print(f"rsc-mock: {one_line(str(error))}", file=sys.stderr)
        return 1
    return 0


@command("store")
def store(args: argparse.Namespace) -> int:
    """``store verify --data-dir DIR`` (exit 1 with the first problem) and ``store repair --data-dir DIR --out
    NEWDIR`` (a new directory holding what is provably intact; the original is not changed)."""
    from mock_server.store import offline

    if args.store_command == "repair":
        output_dir("--out", args.out, empty=True)
    with data_dir_flag("--data-dir"):
        if args.store_command == "verify":
            found = offline.inspect(args.data_dir)
        else:
            found = offline.repair(args.data_dir, args.out)
    rows = ", ".join(f"{count} {table}" for table, count in sorted(offline.row_counts(found).items()))
    if args.store_command == "repair":
        print(f"wrote {args.out}: the state as of commit {found.lsn} ({rows or 'no rows'}); {args.data_dir} is"
              " unchanged")
        if found.problem is not None:
            print(f"left out, from the first problem on: {found.problem.what}")
        elif found.torn is not None:
            log_name = found.last_log.path.name if found.last_log is not None else "the log"
            print(f"left out: a torn tail (never acknowledged) at {log_name} byte {found.torn.offset}")
        else:
            print("left out: nothing (the directory is intact)")
        return 0
    if found.problem is not None:
        raise found.problem
    print(describe(found))
    print(f"  rows: {rows or 'none'}")
    return 0


def describe(found) -> str:
    """What ``store verify`` says about an intact data directory (``found``: a survey), one line."""
    checkpoint = found.checkpoint
    text = f"{found.path}: intact, format {found.version}, checkpoint at commit {checkpoint.lsn}"
    text += f", {len(found.commits)} commit(s) after it, last commit {found.lsn}"
    if found.version == 1:
        return text + "; the next start migrates it to format 2 (keeping the original files in kept/)"
    if found.seal is not None:
        return text + "; closed cleanly"
    if found.torn is not None:
        return (text + f"; not closed cleanly: the next start sets aside a torn tail (never acknowledged) at"
                       f" {found.last_log.path.name} byte {found.torn.offset}")
    return text + "; not closed cleanly (the log ends on a whole record)"


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
        reply = triggers.trigger(args.url or default_url(), args.action, bodies[args.action](), args.sandbox)
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

    def emit(event: triggers.Event) -> None:
        print(json.dumps(event.json()) if args.json else event.text(), flush=True)

    url = args.url or default_url()

    def started() -> None:
        where = f"{url} (sandbox {args.sandbox})" if args.sandbox else url
        print(f"listening to the push notifications of {where} (Ctrl-C stops)", file=sys.stderr, flush=True)

    try:
        triggers.listen(url, emit, interval=args.interval, count=args.count, replay=args.all, started=started,
                        sandbox=args.sandbox)
    except triggers.TriggerError as error:
        print(f"rsc-mock: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


@command("sandbox")
def sandbox(args: argparse.Namespace) -> int:
    """``sandbox create [--fixtures NAME] [--label TEXT] [--ttl S]``, ``sandbox list``, ``sandbox delete ID...``
    against ``--url``; a refusal (unknown id, the server's limit reached) or an unreachable server exits 1."""
    import json

    from mock_server.testing.sandboxes import (
        SandboxError,
        create_sandbox,
        delete_sandbox,
        list_sandboxes,
    )

    url = args.url or default_url()
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

    if args.output is not None:
        args.output = output_file("-o", args.output)
    settings = environment(fixtures=args.fixtures)
    existing_dir("--fixtures", settings.fixtures)
    settings.data_dir = None  # describe the API, never open (and lock) a data directory
    try:
        app = create_app(settings)
    except FixtureError as error:
        raise UsageError(fixture_summary(settings.fixtures, error)) from None
    text = json.dumps(document.build(app), indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        from mock_server.store.files import atomic_write

        atomic_write(args.output, text.encode())
    return 0


@command("fidelity")
def fidelity(args: argparse.Namespace) -> int:
    """Print the fidelity ledger of the resources the emulator serves, as text or (``--json``) JSON."""
    import json

    from mock_server.app import build_dispatcher
    from mock_server.tools import fidelity as ledger

    document = ledger.build(ledger.served_by(build_dispatcher()))
    sys.stdout.write(json.dumps(document, indent=2) + "\n" if args.json else ledger.text(document))
    return 0


def one_line(message: str) -> str:
    """``message`` with its line breaks turned into spaces."""
    return " ".join(message.split("\n"))


def failure(error: Exception) -> tuple[int, str]:
    """The exit code and the one-line message of a command's error."""
    if isinstance(error, UsageError):
        return 2, str(error)
    if isinstance(error, DataDirError):
        return 1, str(error)
    if isinstance(error, OSError) and error.filename is not None:
        return 1, f"{error.filename}: {error.strerror or error}; check the path and its permissions, then retry"
    return 1, f"unexpected {type(error).__name__}: {error} (rerun with --debug for the traceback)"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        code, message = failure(error)
        print(f"rsc-mock: {one_line(message)}", file=sys.stderr)
        return code

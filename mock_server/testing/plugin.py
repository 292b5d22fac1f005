"""The pytest plugin (entry point ``pytest11: rsc_mock``), active as soon as the package is installed.

Fixtures
--------
``rsc_mock``
    The world a test talks to: ``.url``, ``.sandbox`` (a :class:`~mock_server.testing.sandboxes.SandboxInfo`:
    ``.id``, ``.headers``), ``.partner`` and ``.customer`` (``(client_id, client_secret)`` of the world's first
    partner and customer application), ``.emulator`` (the live object when in-process, else ``None``),
    ``.client()``, ``.reset()``. The server is started in-process (uvicorn on a free loopback port, in a
    thread, in-memory state, the demo tenant or ``--rsc-fixtures DIR``; one per xdist worker), or is the one at
    ``--rsc-url`` / ``$RSC_MOCK_URL``. Which world of it, by ``--rsc-isolation``:

    * ``worker`` (default): with ``--rsc-url``, a sandbox of the server per session, that is per xdist
      worker, so ``pytest -n 8 --rsc-url <one container>`` just works; in-process, the worker's own server;
    * ``test``: a fresh sandbox for every test (``rsc_mock`` is then function-scoped);
    * ``none``: the server's default world, shared by everyone using the server (a warning under xdist with
      ``--rsc-url``: workers would see each other's fault rules, clock and resets).

    The plugin keeps the sandboxes it created alive while it holds them (:class:`~.sandboxes.KeepAlive`: tests
    that do not call the emulator for longer than the idle TTL do not lose the session's sandbox) and deletes
    them when done (the server deletes forgotten ones, of a process that died, after their idle TTL).
``rsc_client``
    An :class:`~mock_server.testing.client.RscClient` on the world of ``rsc_mock``: its tokens use the world's
    credentials and its admin calls name its sandbox.
``rsc_webhook``
    A :class:`~mock_server.testing.webhook.WebhookReceiver`: a real HTTP listener (``.url``,
    ``.requests``, ``.wait(count, timeout, predicate)``, ``.clear()``), one per test.

Every test that uses ``rsc_mock`` (directly or through ``rsc_client``) starts from a reset world (fixtures,
real-time clock, no fault rules, empty journal) unless ``--rsc-no-reset`` is given.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Literal

import pytest

from mock_server.testing.client import RscClient
from mock_server.testing.sandboxes import (
    KeepAlive,
    SandboxError,
    SandboxInfo,
    create_sandbox,
    delete_sandbox,
    describe_sandbox,
)
from mock_server.testing.webhook import WebhookReceiver

URL_VARIABLE = "RSC_MOCK_URL"
ISOLATIONS = ("worker", "test", "none")
pytest_plugins = ["mock_server.certification.pytest_plugin"]  # rsc_certification, --rsc-certify


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--rsc-url``, ``--rsc-fixtures``, ``--rsc-no-reset``, ``--rsc-isolation``."""
    group = parser.getgroup("rsc-mock", "rsc-mock emulator of LinkedIn RSC")
    group.addoption("--rsc-url", default=None,
                    help=f"use the emulator at this base URL instead of starting one (also ${URL_VARIABLE})")
    group.addoption("--rsc-fixtures", default=None, type=Path,
                    help="fixture directory of the emulator the plugin starts (default: the demo tenant)")
    group.addoption("--rsc-no-reset", action="store_true", default=False,
                    help="do not reset the emulator before each test")
    group.addoption("--rsc-isolation", choices=ISOLATIONS, default="worker",
                    help="worker (default): with --rsc-url, a sandbox of the emulator per session (per xdist"
                         " worker); test: a sandbox per test; none: the emulator's default world, shared")


class RscMock:
    """The world a test talks to (see the module docstring): ``url``, ``sandbox``, ``partner``, ``customer``,
    ``emulator`` (``None`` when external), ``client()``, ``reset()``."""

    def __init__(self, url: str, sandbox: SandboxInfo, emulator=None) -> None:
        self.url = url.rstrip("/")
        self.sandbox = sandbox
        self.emulator = emulator

    @property
    def partner(self) -> tuple[str, str]:
        """``(client_id, client_secret)`` of the world's first partner (parent) application."""
        return self.sandbox.partner

    @property
    def customer(self) -> tuple[str, str]:
        """``(client_id, client_secret)`` of the world's first customer (child) application."""
        return self.sandbox.customer

    def client(self) -> RscClient:
        """An :class:`RscClient` on this world (its credentials, its sandbox header); close it when done."""
        return RscClient(self.url, sandbox=self.sandbox.id)

    def reset(self) -> None:
        """Back to the fixtures (``POST /_mock/reset`` in this world)."""
        with self.client() as client:
            client.reset()


class Server:
    """The emulator of this session (this xdist worker): ``url``, ``external``, and for an in-process one its
    ``app``."""

    def __init__(self, url: str, app=None) -> None:
        self.url, self.app, self.external = url.rstrip("/"), app, app is None

    def world(self, sandbox_id: str):
        """The live world of sandbox ``sandbox_id`` when in-process, else ``None``."""
        return None if self.app is None else self.app.state.sandboxes.get(sandbox_id).world


@pytest.fixture(scope="session")
def _rsc_server(pytestconfig: pytest.Config):
    """The emulator for this session: external at ``--rsc-url``/``$RSC_MOCK_URL``, or a server started in-process
    on a free port and stopped at the end of the session."""
    url = pytestconfig.getoption("rsc_url") or os.environ.get(URL_VARIABLE)
    fixtures = pytestconfig.getoption("rsc_fixtures")
    if url:
        if fixtures is not None:
            warnings.warn(pytest.PytestWarning(
                f"rsc-mock: --rsc-fixtures {fixtures} is not used with --rsc-url: the emulator at {url} makes its"
                " sandboxes from its own fixture world (start it with `rsc-mock serve --fixtures DIR`)"),
                stacklevel=2)
        yield Server(url)
        return
    from mock_server.config import settings_from_env
    from mock_server.testing.server import RunningServer

    try:  # an RSC_MOCK_* variable that breaks its setting's rule, a fixture directory that is not one
        settings = settings_from_env(fixtures=fixtures)
        settings.host, settings.port, settings.data_dir = "127.0.0.1", 0, None
        running, refusal = RunningServer(settings), ""
    except ValueError as error:
        running, refusal = None, f"rsc-mock: {error}"
    if running is None:  # failed outside the except: pytest would show the ValueError's traceback too
        pytest.fail(refusal, pytrace=False)
    with running as server:
        yield Server(server.url, server.app)


def _isolation_scope(fixture_name: str, config: pytest.Config) -> Literal["function", "session"]:
    """``rsc_mock`` lives as long as its world: a test with ``--rsc-isolation test``, else the session."""
    return "function" if config.getoption("rsc_isolation") == "test" else "session"


@pytest.fixture(scope=_isolation_scope)
def rsc_mock(_rsc_server: Server, request: pytest.FixtureRequest):
    """The world of this session or test (see the module docstring)."""
    isolation = request.config.getoption("rsc_isolation")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if isolation == "test" or (isolation == "worker" and _rsc_server.external):
        label = worker + (f" {request.node.nodeid}" if isolation == "test" else "")
        try:  # a label is one line of printable text (a test id may hold any character)
            sandbox = create_sandbox(_rsc_server.url, label="".join(c if c.isprintable() else " " for c in label[:200]))
        except SandboxError as error:
            pytest.fail(f"rsc-mock: no sandbox for this {'test' if isolation == 'test' else 'session'}: {error}",
                        pytrace=False)
        alive = KeepAlive(_rsc_server.url, sandbox)  # tests that do not call it must not let it expire
        try:
            yield RscMock(_rsc_server.url, sandbox, _rsc_server.world(sandbox.id))
        finally:
            alive.stop()
        try:
            delete_sandbox(_rsc_server.url, sandbox.id)
        except SandboxError as error:  # already gone (idle TTL): nothing left to clean up
            if error.status != 404:
                raise
        return
    if _rsc_server.external and int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        warnings.warn(pytest.PytestWarning(
            "rsc-mock: --rsc-isolation none shares the emulator's default world between xdist workers: their"
            " fault rules, clock changes and resets hit each other's tests (leave --rsc-isolation at worker)"),
            stacklevel=2)
    yield RscMock(_rsc_server.url, describe_sandbox(_rsc_server.url), _rsc_server.world("default"))


@pytest.fixture(autouse=True)
def _rsc_reset(request: pytest.FixtureRequest) -> None:
    """Reset the world before each test that uses it (not with ``--rsc-no-reset``, nor for a sandbox made for
    the test)."""
    config = request.config
    if ("rsc_mock" in request.fixturenames and not config.getoption("rsc_no_reset")
            and config.getoption("rsc_isolation") != "test"):
        request.getfixturevalue("rsc_mock").reset()


@pytest.fixture
def rsc_client(rsc_mock: RscMock):
    """An :class:`RscClient` on the world of ``rsc_mock``."""
    with rsc_mock.client() as client:
        yield client


@pytest.fixture
def rsc_webhook():
    """A running :class:`WebhookReceiver` for this test (answers 200; set ``.status`` to make it fail)."""
    with WebhookReceiver() as receiver:
        yield receiver

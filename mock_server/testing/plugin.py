"""The pytest plugin (entry point ``pytest11: rsc_mock``), active as soon as the package is installed.

Fixtures
--------
``rsc_mock`` (session)
    The emulator: started in-process (uvicorn on a free loopback port, in a thread, in-memory state, the demo
    tenant or ``--rsc-fixtures DIR``), or the server at ``--rsc-url`` / ``$RSC_MOCK_URL``. ``.url``,
    ``.emulator`` (the live object when in-process, else ``None``), ``.reset()``. Under pytest-xdist every
    worker starts its own server (session fixtures are per worker).
``rsc_client``
    An :class:`~mock_server.testing.client.RscClient` on ``rsc_mock.url``: tokens, HTTP verbs, clock, fault
    rules, the request journal and the waits.
``rsc_webhook``
    A :class:`~mock_server.testing.webhook.WebhookReceiver`: a real HTTP listener (``.url``,
    ``.requests``, ``.wait(count, timeout, predicate)``, ``.clear()``), one per test.

Every test that uses ``rsc_mock`` (directly or through the other two) starts from a reset emulator
(fixtures, real-time clock, no fault rules, empty journal) unless ``--rsc-no-reset`` is given.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mock_server.testing.client import RscClient
from mock_server.testing.webhook import WebhookReceiver

URL_VARIABLE = "RSC_MOCK_URL"
pytest_plugins = ["mock_server.certification.pytest_plugin"]  # rsc_certification, --rsc-certify


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--rsc-url``, ``--rsc-fixtures``, ``--rsc-no-reset``."""
    group = parser.getgroup("rsc-mock", "rsc-mock emulator of LinkedIn RSC")
    group.addoption("--rsc-url", default=None,
                    help=f"use the emulator at this base URL instead of starting one (also ${URL_VARIABLE})")
    group.addoption("--rsc-fixtures", default=None, type=Path,
                    help="fixture directory of the emulator the plugin starts (default: the demo tenant)")
    group.addoption("--rsc-no-reset", action="store_true", default=False,
                    help="do not reset the emulator before each test")


class RscMock:
    """The emulator a test session talks to: ``url``, ``emulator`` (``None`` when external), ``reset()``."""

    def __init__(self, url: str, emulator=None) -> None:
        self.url = url.rstrip("/")
        self.emulator = emulator

    def reset(self) -> None:
        """Back to the fixtures (``POST /_mock/reset``)."""
        with RscClient(self.url) as client:
            client.reset()


@pytest.fixture(scope="session")
def rsc_mock(pytestconfig: pytest.Config):
    """The emulator for this session (this xdist worker): external at ``--rsc-url``/``$RSC_MOCK_URL``, or a
    server started in-process on a free port and stopped at the end of the session."""
    url = pytestconfig.getoption("rsc_url") or os.environ.get(URL_VARIABLE)
    if url:
        yield RscMock(url)
        return
    from mock_server.config import settings_from_env
    from mock_server.testing.server import RunningServer

    settings = settings_from_env(fixtures=pytestconfig.getoption("rsc_fixtures"))
    settings.host, settings.port, settings.data_dir = "127.0.0.1", 0, None
    with RunningServer(settings) as server:
        yield RscMock(server.url, server.emulator)


@pytest.fixture(autouse=True)
def _rsc_reset(request: pytest.FixtureRequest) -> None:
    """Reset the emulator before each test that uses it (not with ``--rsc-no-reset``)."""
    if "rsc_mock" in request.fixturenames and not request.config.getoption("rsc_no_reset"):
        request.getfixturevalue("rsc_mock").reset()


@pytest.fixture
def rsc_client(rsc_mock: RscMock):
    """An :class:`RscClient` on the session's emulator."""
    with RscClient(rsc_mock.url) as client:
        yield client


@pytest.fixture
def rsc_webhook():
    """A running :class:`WebhookReceiver` for this test (answers 200; set ``.status`` to make it fail)."""
    with WebhookReceiver() as receiver:
        yield receiver

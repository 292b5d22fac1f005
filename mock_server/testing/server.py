"""Run the real emulator (uvicorn) on a free loopback port, in a background thread, for tests.

::

    with RunningServer(Settings(...)) as server:
        httpx.get(server.url + "/_mock/health")

``server.emulator`` is the live :class:`~mock_server.emulator.Emulator` (same process), for assertions that
reach past the HTTP API. :func:`serve_process` runs ``rsc-mock serve`` as a child process instead (for
tests that kill it or read its log).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx
import uvicorn

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.emulator import Emulator
from mock_server.serving import uvicorn_config


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, timeout: float = 15.0, alive: Callable[[], bool] = lambda: True) -> httpx.Response:
    """Poll ``<url>/_mock/health`` until it answers 200 (start-up readiness) and return that reply.
    ``RuntimeError`` when ``alive()`` turns false first or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the rsc-mock server exited during start-up")
        try:
            reply = httpx.get(url + "/_mock/health", timeout=1.0)
            if reply.status_code == 200:
                return reply
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"rsc-mock did not answer {url}/_mock/health within {timeout} s")


def serve_process(*args: str, port: int, stderr=subprocess.DEVNULL, timeout: float = 30.0) -> subprocess.Popen:
    """``rsc-mock serve --port <port> <args>`` as a child process (``python -m mock_server``), returned once it
    answers ``/_mock/health``; its log goes to ``stderr``. Killed and ``RuntimeError`` if it does not start."""
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port), *args],
                               stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", timeout, lambda: process.poll() is None)
    except RuntimeError:
        process.kill()
        process.wait()
        raise
    return process


class RunningServer:
    """A uvicorn server for ``settings`` in a daemon thread; a context manager. ``start_timeout`` seconds
    to answer ``/_mock/health`` or ``RuntimeError``."""

    def __init__(self, settings: Settings | None = None, start_timeout: float = 60.0) -> None:
        self.settings = settings or Settings()
        if not self.settings.port or self.settings.port == 8080:
            self.settings.port = free_port(self.settings.host)
        self.start_timeout = start_timeout
        self.emulator = Emulator(self.settings)
        self.app = create_app(emulator=self.emulator)
        self._server = uvicorn.Server(uvicorn_config(self.app, self.settings, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, name="rsc-mock-server", daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self.settings.base_url

    def start(self) -> RunningServer:
        """Start and wait until healthy."""
        self._thread.start()
        wait_until_healthy(self.url, self.start_timeout, self._thread.is_alive)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

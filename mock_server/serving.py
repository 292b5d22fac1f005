"""The HTTP server the emulator runs on: uvicorn configured from :class:`~mock_server.config.Settings`, the one
place both ``rsc-mock serve`` and the tests' :class:`~mock_server.testing.server.RunningServer` build it.

Slow clients: uvicorn bounds the idle time between two requests of a kept-alive connection
(``timeout_keep_alive``, 5 s) but not the time a request's head takes to arrive, so a client that sends its
headers a byte at a time held a connection for ever. :class:`HeadTimeoutProtocol` (uvicorn's h11 protocol,
chosen through uvicorn's ``http`` option) closes a connection whose request head has not arrived within
``settings.header_timeout`` seconds of the connection opening or of the previous reply — answering ``408
Request Timeout`` when part of a head had come. The body's own deadline (``settings.body_timeout``) is enforced
by the harness (:mod:`mock_server.harness.receiving`), which journals it.
"""

from __future__ import annotations

import asyncio
import logging

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from mock_server.config import Settings

log = logging.getLogger("rsc_mock.server")
TIMEOUT_REPLY = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                 b"content-length: %d\r\n\r\n%s")


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline of ``header_timeout`` seconds for each request head (see the module
    docstring). Subclassed per server by :func:`head_timeout_protocol`."""

    header_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # noqa: D102 - uvicorn's protocol interface
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:  # noqa: D102
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:  # a whole request head arrived
            self._cancel_head_timer()

    def on_response_complete(self) -> None:  # noqa: D102
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or (self.cycle is not None and not self.cycle.response_complete):
            return  # closed already, or a (pipelined) request is being answered: its reply re-arms the timer
        if self.conn.trailing_data[0]:
            message = f"The request head did not arrive within {self.header_timeout:g} s".encode()
            self.transport.write(TIMEOUT_REPLY % (len(message), message))
            log.info("closed a connection from %s: its request head did not arrive within %g s",
                     "{}:{}".format(*self.client) if self.client else "?", self.header_timeout)
        self.transport.close()


def head_timeout_protocol(seconds: float) -> type[HeadTimeoutProtocol]:
    """A :class:`HeadTimeoutProtocol` class whose deadline is ``seconds``."""
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"header_timeout": seconds})


def uvicorn_config(app, settings: Settings, **options) -> uvicorn.Config:
    """The uvicorn configuration serving ``app`` on ``settings.host``/``settings.port`` with the head deadline
    of ``settings.header_timeout``, no access log of uvicorn's own (the harness logs every request), and
    ``options`` (other :class:`uvicorn.Config` arguments: ``log_level``, ``log_config``, ``lifespan`` …)."""
    return uvicorn.Config(app, host=settings.host, port=settings.port, access_log=False,
                          http=head_timeout_protocol(settings.header_timeout), **options)

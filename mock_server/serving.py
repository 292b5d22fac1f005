"""The HTTP server the emulator runs on: uvicorn configured from :class:`~mock_server.config.Settings`, the one
place both ``rsc-mock serve`` and the tests' :class:`~mock_server.testing.server.RunningServer` build it.

Slow clients: uvicorn bounds the idle time between two requests of a kept-alive connection
(``timeout_keep_alive``, 5 s) but not the time a request's head takes to arrive, so a client that sends its
headers a byte at a time held a connection for ever. :class:`HeadTimeout` (mixed into uvicorn's httptools
protocol when httptools is installed, else into its h11 protocol; chosen through uvicorn's ``http`` option)
closes a connection whose request head has not arrived within ``settings.header_timeout`` seconds of the
connection opening or of the previous reply — answering ``408 Request Timeout`` when part of a head had come.
The body's own deadline (``settings.body_timeout``) is enforced by the harness
(:mod:`mock_server.harness.receiving`), which journals it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from mock_server.config import Settings

log = logging.getLogger("rsc_mock.server")
TIMEOUT_REPLY = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                 b"content-length: %d\r\n\r\n%s")


class HeadTimeout:
    """The deadline of ``header_timeout`` seconds for each request head (see the module docstring), mixed into
    one of uvicorn's HTTP protocols: :class:`HeadTimeoutProtocol` (h11) or, when httptools is installed,
    :class:`HttpToolsHeadTimeoutProtocol`. Subclassed per server by :func:`head_timeout_protocol`."""

    header_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None
    _head_partial = False  # part of a request head has arrived since the timer was armed

    def connection_made(self, transport) -> None:  # noqa: D102 - uvicorn's protocol interface
        super().connection_made(transport)  # type: ignore[misc]
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:  # noqa: D102
        cycle = self.cycle  # type: ignore[attr-defined]
        super().data_received(data)  # type: ignore[misc]
        if self.cycle is not cycle:  # type: ignore[attr-defined]  # a whole request head arrived
            self._cancel_head_timer()
        elif data:
            self._head_partial = True

    def on_response_complete(self) -> None:  # noqa: D102
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing():  # type: ignore[attr-defined]
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102
        self._cancel_head_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_partial = False
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)  # type: ignore[attr-defined]

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _partial_head(self) -> bool:
        """Whether part of a request head has come since the timer was armed."""
        return self._head_partial

    def _head_timed_out(self) -> None:
        self._head_timer = None
        transport, cycle = self.transport, self.cycle  # type: ignore[attr-defined]
        if transport.is_closing() or (cycle is not None and not cycle.response_complete):
            return  # closed already, or a (pipelined) request is being answered: its reply re-arms the timer
        if self._partial_head():
            message = f"The request head did not arrive within {self.header_timeout:g} s".encode()
            transport.write(TIMEOUT_REPLY % (len(message), message))
            client = self.client  # type: ignore[attr-defined]
            log.info("closed a connection from %s: its request head did not arrive within %g s",
                     "{}:{}".format(*client) if client else "?", self.header_timeout)
        transport.close()


class HeadTimeoutProtocol(HeadTimeout, H11Protocol):
    """uvicorn's h11 protocol with :class:`HeadTimeout`."""

    def _partial_head(self) -> bool:
        """Also the bytes h11 holds unparsed (a pipelined head that came with the previous request)."""
        return self._head_partial or bool(self.conn.trailing_data[0])


def head_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """The protocol class of :func:`uvicorn_config`, with a head deadline of ``seconds``: uvicorn's httptools
    protocol when httptools is installed (``uvicorn[standard]``: ~10 % less CPU per request here), else h11."""
    base: type[asyncio.Protocol] = HeadTimeoutProtocol
    if importlib.util.find_spec("httptools") is not None:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        base = type("HttpToolsHeadTimeoutProtocol", (HeadTimeout, HttpToolsProtocol), {})
    return type(base.__name__, (base,), {"header_timeout": seconds})


def uvicorn_config(app, settings: Settings, **options) -> uvicorn.Config:
    """The uvicorn configuration serving ``app`` on ``settings.host``/``settings.port`` with the head deadline
    of ``settings.header_timeout``, no access log of uvicorn's own (the harness logs every request), and
    ``options`` (other :class:`uvicorn.Config` arguments: ``log_level``, ``log_config``, ``lifespan`` …)."""
    return uvicorn.Config(app, host=settings.host, port=settings.port, access_log=False,
                          http=head_timeout_protocol(settings.header_timeout), **options)

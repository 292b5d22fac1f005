"""The HTTP server the emulator runs on: uvicorn configured from :class:`~mock_server.config.Settings`, the one
place both ``rsc-mock serve`` and the tests' :class:`~mock_server.testing.server.RunningServer` build it.

Slow clients: uvicorn bounds the idle time between two requests of a kept-alive connection
(``timeout_keep_alive``, 5 s) but not the time a request's head takes to arrive, so a client that sends its
headers a byte at a time held a connection for ever. :class:`HeadTimeout` (mixed into uvicorn's httptools
protocol when httptools is installed, else into its h11 protocol; chosen through uvicorn's ``http`` option)
closes a connection whose request head has not arrived within ``settings.header_timeout`` seconds of the
connection opening or of the previous reply — answering ``408 Request Timeout`` when part of a head had come.
A head that grows past :data:`~mock_server.restli.limits.HEAD_HARD_LIMIT` (256 KiB) before it is complete is
answered ``431 Request Header Fields Too Large`` and the connection closed: httptools buffers a head of any size
(an 8 MB header was read whole). Heads under that reach the app, which refuses headers over 64 KiB with a 431 in
the route's own style (:mod:`mock_server.harness.receiving`).
The body's own deadline (``settings.body_timeout``) is enforced by the harness
(:mod:`mock_server.harness.receiving`), which journals it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from typing import Any

import uvicorn

from mock_server.config import Settings
from mock_server.restli.limits import HEAD_HARD_LIMIT

log = logging.getLogger("rsc_mock.server")
LINGER_S = 2.0  # seconds a refused connection is still read (and its bytes dropped) before it is closed
PLAIN_REPLY = (b"HTTP/1.1 %s\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
               b"content-length: %d\r\n\r\n%s")


class HeadTimeout:
    """The deadline of ``header_timeout`` seconds for each request head (see the module docstring), mixed into
    one of uvicorn's HTTP protocols by :func:`head_timeout_protocol`: its httptools protocol (with
    :class:`HeadSizeLimit`) or, when httptools is not installed, its h11 protocol (as :class:`H11HeadTimeout`)."""

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
            self._refuse(b"408 Request Timeout", f"The request head did not arrive within {self.header_timeout:g} s")
        transport.close()

    def _refuse(self, status: bytes, message: str, linger: bool = False) -> None:
        """Answer ``status`` (e.g. ``b"408 Request Timeout"``) with ``message`` as plain text, log it and close.
        With ``linger`` (the client may still be sending) the connection is half-closed and closed
        :data:`LINGER_S` seconds later, so that the client reads the reply rather than a reset connection."""
        body = message.encode()
        transport = self.transport  # type: ignore[attr-defined]
        transport.write(PLAIN_REPLY % (status, len(body), body))
        client = self.client  # type: ignore[attr-defined]
        log.info("closed a connection from %s: %s", "{}:{}".format(*client) if client else "?", message)
        if linger and transport.can_write_eof():
            transport.write_eof()
            self.loop.call_later(LINGER_S, transport.close)  # type: ignore[attr-defined]
        else:
            transport.close()


class H11HeadTimeout(HeadTimeout):
    """:class:`HeadTimeout` for uvicorn's h11 protocol (mixed in by :func:`head_timeout_protocol`, which
    imports h11 only when httptools is not installed)."""

    conn: Any  # the h11 connection of uvicorn's H11Protocol

    def _partial_head(self) -> bool:
        """Also the bytes h11 holds unparsed (a pipelined head that came with the previous request)."""
        return self._head_partial or bool(self.conn.trailing_data[0])


class HeadSizeLimit:
    """The hard limit on a request head for uvicorn's httptools protocol (see the module docstring): the bytes
    of the chunks that arrive while a head is being parsed are counted from the chunk after the one that began
    it (so the tail of the previous body is never counted), and once they pass
    :data:`~mock_server.restli.limits.HEAD_HARD_LIMIT` the head is answered 431 and the connection closed.
    (h11 bounds a head itself: :func:`uvicorn_config` sets its ``h11_max_incomplete_event_size`` to the same
    limit, over which uvicorn answers 400.)"""

    _in_head = False  # between the first byte of a request and the end of its headers
    _head_bytes = 0
    _discarding = False  # refused: what the client still sends is read and dropped until the connection closes

    def on_message_begin(self) -> None:  # noqa: D102 - httptools' parser callback
        super().on_message_begin()  # type: ignore[misc]
        self._in_head, self._head_bytes = True, 0

    def on_headers_complete(self) -> None:  # noqa: D102
        self._in_head = False
        super().on_headers_complete()  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:  # noqa: D102
        if self._discarding:
            return
        counted = self._in_head
        super().data_received(data)  # type: ignore[misc]
        if not (counted and self._in_head):
            return
        self._head_bytes += len(data)
        if self._head_bytes > HEAD_HARD_LIMIT:
            self._in_head, self._discarding = False, True
            self._cancel_head_timer()  # type: ignore[attr-defined]
            self._refuse(b"431 Request Header Fields Too Large",  # type: ignore[attr-defined]
                         f"The request head is over {HEAD_HARD_LIMIT} bytes and still incomplete", linger=True)


def head_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """The protocol class of :func:`uvicorn_config`, with a head deadline of ``seconds``: uvicorn's httptools
    protocol (with :class:`HeadSizeLimit`) when httptools is installed (``uvicorn[standard]``: ~10 % less CPU per
    request here), else h11 (imported only then)."""
    base: type[asyncio.Protocol]
    if importlib.util.find_spec("httptools") is not None:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        base = type("HttpToolsHeadTimeoutProtocol", (HeadSizeLimit, HeadTimeout, HttpToolsProtocol), {})
    else:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        base = type("HeadTimeoutProtocol", (H11HeadTimeout, H11Protocol), {})
    return type(base.__name__, (base,), {"header_timeout": seconds})


def uvicorn_config(app, settings: Settings, **options) -> uvicorn.Config:
    """The uvicorn configuration serving ``app`` on ``settings.host``/``settings.port`` with the head deadline
    of ``settings.header_timeout``, no access log of uvicorn's own (the harness logs every request), and
    ``options`` (other :class:`uvicorn.Config` arguments: ``log_level``, ``log_config``, ``lifespan`` …)."""
    return uvicorn.Config(app, host=settings.host, port=settings.port, access_log=False,
                          http=head_timeout_protocol(settings.header_timeout),
                          h11_max_incomplete_event_size=HEAD_HARD_LIMIT, **options)

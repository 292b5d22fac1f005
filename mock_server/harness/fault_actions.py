"""Fault actions: what a fault rule (:mod:`mock_server.harness.faults`) does to a request it acts on.

Each action is a small class that reads its own fields from the rule's ``action`` object (:meth:`Action.parse`),
shows them again in ``GET /_mock/faults`` (:meth:`Action.view`) and does its effect on the request
(:meth:`Action.apply`, on an :class:`Exchange`). A new fault type is one class plus one entry in :data:`ACTIONS`;
the rules, the ``/_mock/faults`` API, the middleware and ``RscClient.add_fault`` take it as it is.

==========  ==============================================  =====  ===============================================
field       value                                           ends   effect
==========  ==============================================  =====  ===============================================
``status``  200–599, with ``body`` (any JSON) and           yes    reply with it; without a body, LinkedIn's error
            ``headers`` (``{name: value}``)                         envelope for the status (nothing for 204, 304)
``delay``   seconds, 0–300                                  no     wait (real time), then the other action or the
                                                                   emulator's own answer
``drop``    ``true``                                        yes    close the connection without a reply
``quota``   ``{"after": calls (0), "retryAfter": s (60)}``  yes    let ``after`` calls through, then 429 with
                                                                   ``Retry-After`` and LinkedIn's throttle message
==========  ==============================================  =====  ===============================================

An action that *ends* the exchange (``terminal``) answers the request itself; a rule has at most one, and needs
one or a non-terminal action. Non-terminal actions apply first; the emulator answers when no action did.
Headers are RFC 7230 names to Latin-1 values without control characters, never the framing headers
(Content-Length, Transfer-Encoding, Connection) the emulator writes itself, so every faulted reply is a valid
HTTP/1.1 reply.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import http
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, ClassVar

from starlette.responses import Response

from mock_server.restli.errors import RestliError, field_error, shown
from mock_server.restli.render import error_response

MAX_DELAY_S = 300
BODILESS_STATUSES = (204, 304)
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 7230 token (tchar)
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
THROTTLE_MESSAGE = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclasses.dataclass
class Exchange:
    """One request a fault rule acts on, as the middleware holds it.

    ``scope``, ``receive`` and ``send`` are the request's ASGI triple (an action may wrap ``receive`` or ``send``:
    the emulator answers through them when no action did); ``server_send`` is the server's own ``send``, whose
    transport :meth:`drop` closes; ``rule`` the id of the deciding rule. ``answered`` and ``dropped`` say what the
    actions did (the request journal records ``dropped``).
    """

    scope: dict
    receive: Receive
    send: Send
    server_send: Send
    rule: str
    answered: bool = False
    dropped: bool = False

    async def drain(self) -> None:
        """Read the request body to its end (so it is journaled) without keeping it."""
        while True:
            message = await self.receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return

    async def reply(self, response: Response) -> None:
        """Answer with ``response`` (after draining the request)."""
        await self.drain()
        await response(self.scope, self.receive, self.send)
        self.answered = True

    async def drop(self) -> None:
        """Close the client's connection without a reply: the transport of uvicorn's protocol behind
        ``server_send``; raises ``ConnectionAbortedError`` when there is none to close."""
        self.answered = self.dropped = True
        await self.drain()
        transport = getattr(getattr(self.server_send, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionAbortedError(f"fault rule {self.rule}: connection dropped")
        transport.close()
        await asyncio.sleep(0)  # let the server see the connection lost before the app returns


class Action(abc.ABC):
    """One fault type. ``fields``: its keys in the rule's ``action`` object, the first naming it (``"status"``,
    then ``"body"``, ``"headers"``); ``terminal``: it answers the request itself (at most one per rule)."""

    fields: ClassVar[tuple[str, ...]]
    terminal: ClassVar[bool] = False

    @classmethod
    def name(cls) -> str:
        """The key that asks for this action."""
        return cls.fields[0]

    @classmethod
    @abc.abstractmethod
    def parse(cls, action: dict) -> Action | None:
        """This action from the rule's ``action`` object (a dict holding only known fields), or ``None`` when it
        is not asked for. Raises :class:`RestliError` 400 ``ERROR :: /action/<field> :: <reason>``."""

    @abc.abstractmethod
    def view(self) -> dict:
        """Its fields as ``GET /_mock/faults`` shows them (defaults filled in)."""

    @abc.abstractmethod
    async def apply(self, exchange: Exchange) -> None:
        """Do the fault to the request in ``exchange``."""

    def lets_through(self, calls: int) -> bool:
        """Whether the rule leaves its ``calls``-th matching call alone (the call does not count as a hit)."""
        return False


def number(value: Any, where: str, low: float, high: float, integer: bool = False):
    """``value`` when it is a number (``integer``: an integer) from ``low`` to ``high``; 400 naming ``where``,
    the range and the value written out in full (``from 0 to 300, not 1000000000000``)."""
    kinds = (int,) if integer else (int, float)
    if not isinstance(value, kinds) or isinstance(value, bool) or not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise field_error(where, f"must be {kind} from {plain(low)} to {plain(high)}, not {plain(value)}", 400)
    return value


def plain(value: Any) -> str:
    """A number as a person writes it: whole numbers without a fraction or an exponent (``1e12`` →
    ``1000000000000``, ``2**63 - 1`` in full), other numbers as JSON writes them; anything else as
    :func:`~mock_server.restli.errors.shown` excerpts it."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return shown(value)


def status_response(status: int, body: Any, headers: dict[str, str]) -> Response:
    """The reply of a ``status`` action: ``body`` as JSON (text when a string), or LinkedIn's error envelope
    for ``status`` when there is no body (nothing at all for 204 and 304); ``headers`` added last."""
    if status in BODILESS_STATUSES:
        response = Response(status_code=status)
    elif body is None:
        try:
            reason = THROTTLE_MESSAGE if status == 429 else http.HTTPStatus(status).phrase
        except ValueError:
            reason = f"HTTP {status}"
        response = error_response(RestliError(status, reason))
    elif isinstance(body, str):
        response = Response(body, status_code=status, media_type="text/plain")
    else:
        response = Response(json.dumps(body), status_code=status, media_type="application/json")
    for name, value in headers.items():
        response.headers[name] = value
    return response


def parse_headers(headers: Any) -> dict[str, str]:
    """The ``headers`` of a status action: an object of header names (RFC 7230 tokens) to values every client
    reads back as sent: ASCII text without CR, LF or NUL (RFC 9110 §5.5: other bytes are obsolete "obs-text",
    which clients decode differently: ``"zoë"`` would go out as the raw byte 0xEB); the framing headers the
    emulator writes itself are refused. 400 naming ``/action/headers[/<name>]`` otherwise."""
    if not isinstance(headers, dict):
        raise field_error("action/headers", "must be an object of header names to string values, not"
                                            f" {shown(headers)}", 400)
    for name, value in headers.items():
        where = f"action/headers/{name}"
        if not HEADER_NAME.fullmatch(name):
            raise field_error(where, "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)", 400)
        if name.lower() in FRAMING_HEADERS:
            raise field_error(where, f"is set by the emulator itself (not {', '.join(sorted(FRAMING_HEADERS))})",
                              400)
        if not isinstance(value, str):
            raise field_error(where, f"{shown(value)} is not a string", 400)
        if any((c < " " and c != "\t") or c == "\x7f" for c in value):
            raise field_error(where, "must not contain CR, LF, NUL or other control characters", 400)
        other = next((c for c in value if c > "\x7f"), None)
        if other is not None:
            raise field_error(where, f"must be ASCII text: {shown(other)}"
                                     f" (U+{ord(other):04X}) would go out as raw bytes that clients decode"
                                     " differently (percent-encode it)", 400)
    return dict(headers)


@dataclasses.dataclass(frozen=True)
class Status(Action):
    """Reply with ``status``, ``body`` (``None``: LinkedIn's error envelope) and ``headers``."""

    fields: ClassVar[tuple[str, ...]] = ("status", "body", "headers")
    terminal: ClassVar[bool] = True
    status: int
    body: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def parse(cls, action: dict) -> Status | None:
        if action.get("status") is None:
            if action.get("body") is not None or action.get("headers") is not None:
                raise field_error("action/body", "body and headers go with a status", 400)
            return None
        status = number(action["status"], "action/status", 200, 599, integer=True)
        body = action.get("body")
        if body is not None and status in BODILESS_STATUSES:
            raise field_error("action/body", f"a {status} reply has no body", 400)
        return cls(status, body, parse_headers({} if action.get("headers") is None else action["headers"]))

    def view(self) -> dict:
        return {"status": self.status, **({} if self.body is None else {"body": self.body}), "headers": self.headers}

    async def apply(self, exchange: Exchange) -> None:
        await exchange.reply(status_response(self.status, self.body, self.headers))


@dataclasses.dataclass(frozen=True)
class Delay(Action):
    """Wait ``seconds`` of real time before the other action (or the emulator) answers."""

    fields: ClassVar[tuple[str, ...]] = ("delay",)
    seconds: float

    @classmethod
    def parse(cls, action: dict) -> Delay | None:
        if action.get("delay") is None:
            return None
        return cls(number(action["delay"], "action/delay", 0, MAX_DELAY_S))

    def view(self) -> dict:
        return {"delay": self.seconds}

    async def apply(self, exchange: Exchange) -> None:
        """Wait at least ``self.seconds`` by ``time.perf_counter`` (the clock the journal's ``latencyMs`` reads):
        the event loop's timer may wake a fraction of a millisecond early by that clock."""
        deadline = time.perf_counter() + self.seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            await asyncio.sleep(remaining)


@dataclasses.dataclass(frozen=True)
class Drop(Action):
    """Close the connection without a reply."""

    fields: ClassVar[tuple[str, ...]] = ("drop",)
    terminal: ClassVar[bool] = True

    @classmethod
    def parse(cls, action: dict) -> Drop | None:
        if action.get("drop") in (None, False):
            return None
        if action["drop"] is not True:
            raise field_error("action/drop", "must be true", 400)
        return cls()

    def view(self) -> dict:
        return {"drop": True}

    async def apply(self, exchange: Exchange) -> None:
        await exchange.drop()


@dataclasses.dataclass(frozen=True)
class Quota(Action):
    """Let the first ``after`` matching calls through, then answer 429 with ``Retry-After: retry_after``."""

    fields: ClassVar[tuple[str, ...]] = ("quota",)
    terminal: ClassVar[bool] = True
    after: int
    retry_after: int

    @classmethod
    def parse(cls, action: dict) -> Quota | None:
        quota = action.get("quota")
        if quota is None:
            return None
        if not isinstance(quota, dict) or set(quota) - {"after", "retryAfter"}:
            raise field_error("action/quota", "must be {\"after\": calls, \"retryAfter\": seconds}", 400)
        return cls(number(quota.get("after", 0), "action/quota/after", 0, 10**9, integer=True),
                   number(quota.get("retryAfter", 60), "action/quota/retryAfter", 0, 10**7, integer=True))

    def view(self) -> dict:
        return {"quota": {"after": self.after, "retryAfter": self.retry_after}}

    def lets_through(self, calls: int) -> bool:
        return calls <= self.after

    async def apply(self, exchange: Exchange) -> None:
        await exchange.reply(error_response(RestliError(429, THROTTLE_MESSAGE, 429,
                                                        headers={"Retry-After": str(self.retry_after)})))


ACTIONS: tuple[type[Action], ...] = (Status, Delay, Drop, Quota)


def one_of(names: list[str]) -> str:
    """``"a, b or c"``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def parse_actions(action: Any) -> tuple[Action, ...]:
    """The actions of a rule's ``action`` object (see the module docstring), in the order they apply:
    non-terminal ones first, then the terminal one. 400 naming the field otherwise."""
    names = [kind.name() for kind in ACTIONS]
    if not isinstance(action, dict) or not action:
        raise field_error("action", f"must be a JSON object with {one_of(names)}", 400)
    known = [name for kind in ACTIONS for name in kind.fields]
    unknown = sorted(set(action) - set(known))
    if unknown:
        raise field_error(f"action/{unknown[0]}", f"unknown action field (known: {', '.join(known)})", 400)
    endings = [kind.name() for kind in ACTIONS if kind.terminal]
    asked = [name for name in endings if action.get(name) not in (None, False)]
    if len(asked) > 1:
        raise field_error("action", f"give one of {one_of(endings)}, not {' and '.join(asked)}", 400)
    if not asked and all(action.get(kind.name()) is None for kind in ACTIONS if not kind.terminal):
        raise field_error("action", f"give {one_of(names)}", 400)
    in_order = sorted(ACTIONS, key=lambda kind: kind.terminal)
    return tuple(parsed for kind in in_order if (parsed := kind.parse(action)) is not None)

"""Fault rules: make the emulator fail on purpose so a client's timeouts, retries and back-off get tested.

A rule (``POST /_mock/faults``)::

    {"match": {"method", "path", "resource", "restliMethod", "application"},   # all optional, see exchange
     "action": {"status": 503, "body": ..., "headers": {...}}   # reply with this (default body: LinkedIn's
                                                                 # error envelope for the status)
             | {"delay": 2.5}                                    # wait (real seconds), then answer normally
             | {"delay": 2.5, "status": 504} / {"delay": 1, "drop": true}   # wait, then fail
             | {"drop": true}                                    # close the connection without a reply
             | {"quota": {"after": 3, "retryAfter": 60}},        # let 3 calls through, then 429 + Retry-After
     "times": 2,            # act at most this many times (default: no limit)
     "probability": 0.3,    # act on this share of matching calls …
     "seed": 7}             # … drawn from a random generator seeded with this (reproducible runs)

A status is 200 to 599 (204 and 304 come without a body); ``headers`` are RFC 7230 names to Latin-1 values
without control characters, never the framing headers (Content-Length, Transfer-Encoding, Connection) the
emulator writes itself, so every faulted reply is a valid HTTP/1.1 reply.

Rules are checked in the order they were added; the first one that acts decides. A rule does not act on a
call when its ``times`` are used up, when the probability draw says no, or (quota) while the call is within
``after``; the next rule is then checked. Admin requests (``/_mock/*``) are never faulted.
"""

from __future__ import annotations

import dataclasses
import http
import itertools
import json
import random
import re
import threading

from starlette.responses import Response

from mock_server.harness.criteria import matches, parse_criteria
from mock_server.restli.errors import RestliError
from mock_server.restli.render import error_response

MATCH_CRITERIA = ("method", "path", "resource", "restliMethod", "application")
ACTION_FIELDS = ("status", "body", "headers", "delay", "drop", "quota")
MAX_DELAY_S = 300
BODILESS_STATUSES = (204, 304)
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 7230 token (tchar)
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
THROTTLE_MESSAGE = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."


@dataclasses.dataclass
class Decision:
    """What to do with one request: wait ``delay`` seconds, then ``drop`` the connection, reply with
    ``response``, or (both unset) let the emulator answer. ``rule`` is the id of the deciding rule."""

    rule: str
    delay: float = 0.0
    drop: bool = False
    response: Response | None = None


@dataclasses.dataclass
class FaultRule:
    """One rule as added (see the module docstring); ``hits`` counts the times it acted and ``calls`` the
    matching calls it saw."""

    id: str
    match: dict
    action: dict
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    hits: int = 0
    calls: int = 0
    rng: random.Random = dataclasses.field(default_factory=random.Random, repr=False)

    def view(self) -> dict:
        """The JSON form: the rule as given plus ``hits`` and ``remaining`` (``None``: unlimited)."""
        return {"id": self.id, "match": self.match, "action": self.action, "times": self.times,
                "probability": self.probability, "seed": self.seed, "hits": self.hits, "calls": self.calls,
                "remaining": None if self.times is None else max(0, self.times - self.hits)}

    def acts(self, fields: dict) -> bool:
        """Whether the rule acts on a request with ``fields`` (counting it when it does)."""
        if (self.times is not None and self.hits >= self.times) or not matches(fields, self.match):
            return False
        self.calls += 1
        quota = self.action.get("quota")
        if quota is not None and self.calls <= quota["after"]:
            return False
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        self.hits += 1
        return True

    def decision(self) -> Decision:
        """The :class:`Decision` of this rule's action."""
        action = self.action
        decision = Decision(self.id, delay=action.get("delay", 0.0), drop=action.get("drop", False))
        if "quota" in action:
            retry_after = str(action["quota"]["retryAfter"])
            decision.response = error_response(RestliError(429, THROTTLE_MESSAGE, 429,
                                                           headers={"Retry-After": retry_after}))
        elif "status" in action:
            decision.response = status_response(action["status"], action.get("body"), action.get("headers", {}))
        return decision


def status_response(status: int, body, headers: dict[str, str]) -> Response:
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


class FaultRules:
    """The active fault rules, in the order added; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, body: dict) -> FaultRule:
        """Add a rule from its JSON form; raises :class:`RestliError` 400 naming the offending field."""
        rule = parse_rule(body, f"fault-{next(self._ids)}")
        with self._lock:
            self._rules.append(rule)
        return rule

    def all(self) -> list[FaultRule]:
        """Every rule, in order."""
        with self._lock:
            return list(self._rules)

    def remove(self, rule_id: str) -> bool:
        """Remove one rule; False when there is none with ``rule_id``."""
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
        return removed

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules = []

    def decide(self, fields: dict) -> Decision | None:
        """The decision of the first rule that acts on a request with ``fields``, or ``None``."""
        with self._lock:
            for rule in self._rules:
                if rule.acts(fields):
                    return rule.decision()
        return None


def _bad(field: str, reason: str) -> RestliError:
    return RestliError(400, f"ERROR :: /{field} :: {reason}")


def _number(value, field: str, low: float, high: float, integer: bool = False):
    kinds = (int,) if integer else (int, float)
    if not isinstance(value, kinds) or isinstance(value, bool) or not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise _bad(field, f"must be {kind} from {low:g} to {high:g}, not {json.dumps(value)}")
    return value


def parse_action(action) -> dict:
    """The ``action`` of a rule, checked (see the module docstring); 400 naming the field otherwise."""
    if not isinstance(action, dict) or not action:
        raise _bad("action", "must be a JSON object with status, delay, drop or quota")
    unknown = sorted(set(action) - set(ACTION_FIELDS))
    if unknown:
        raise _bad(f"action/{unknown[0]}", f"unknown action field (known: {', '.join(ACTION_FIELDS)})")
    outcomes = [name for name in ("status", "drop", "quota") if action.get(name) not in (None, False)]
    if len(outcomes) > 1:
        raise _bad("action", f"give one of status, drop or quota, not {' and '.join(outcomes)}")
    if not outcomes and action.get("delay") is None:
        raise _bad("action", "give status, delay, drop or quota")
    parsed: dict = {}
    if action.get("delay") is not None:
        parsed["delay"] = _number(action["delay"], "action/delay", 0, MAX_DELAY_S)
    if action.get("drop") not in (None, False):
        if action["drop"] is not True:
            raise _bad("action/drop", "must be true")
        parsed["drop"] = True
    if action.get("quota") is not None:
        quota = action["quota"]
        if not isinstance(quota, dict) or set(quota) - {"after", "retryAfter"}:
            raise _bad("action/quota", "must be {\"after\": calls, \"retryAfter\": seconds}")
        parsed["quota"] = {"after": _number(quota.get("after", 0), "action/quota/after", 0, 10**9, True),
                           "retryAfter": _number(quota.get("retryAfter", 60), "action/quota/retryAfter", 0,
                                                 10**7, True)}
    if action.get("status") is not None:
        parsed["status"] = _number(action["status"], "action/status", 200, 599, True)
        if action.get("body") is not None:
            parsed["body"] = parse_body(action["body"], parsed["status"])
        parsed["headers"] = parse_headers({} if action.get("headers") is None else action["headers"])
    elif action.get("body") is not None or action.get("headers") is not None:
        raise _bad("action/body", "body and headers go with a status")
    return parsed


def parse_body(body, status: int):
    """The ``body`` of a status action: any JSON, but none for the statuses that have no body (204, 304);
    400 naming ``/action/body`` otherwise."""
    if status in BODILESS_STATUSES:
        raise _bad("action/body", f"a {status} reply has no body")
    return body


def parse_headers(headers) -> dict[str, str]:
    """The ``headers`` of a status action: an object of header names (RFC 7230 tokens) to values that HTTP/1.1
    can carry (Latin-1 text without CR, LF or NUL); the framing headers the emulator writes itself are refused.
    400 naming ``/action/headers[/<name>]`` otherwise."""
    if not isinstance(headers, dict):
        raise _bad("action/headers", f"must be an object of header names to string values, not {json.dumps(headers)}")
    for name, value in headers.items():
        where = f"action/headers/{name}"
        if not HEADER_NAME.fullmatch(name):
            raise _bad(where, "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)")
        if name.lower() in FRAMING_HEADERS:
            raise _bad(where, f"is set by the emulator itself (not {', '.join(sorted(FRAMING_HEADERS))})")
        if not isinstance(value, str):
            raise _bad(where, f"{json.dumps(value)} is not a string")
        if any((c < " " and c != "\t") or c == "\x7f" for c in value):
            raise _bad(where, "must not contain CR, LF, NUL or other control characters")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise _bad(where, "must be Latin-1 text (HTTP/1.1 header values)") from None
    return dict(headers)


def parse_rule(body: dict, rule_id: str) -> FaultRule:
    """A :class:`FaultRule` with ``rule_id`` from its JSON form; 400 naming the offending field."""
    unknown = sorted(set(body) - {"match", "action", "times", "probability", "seed"})
    if unknown:
        raise _bad(unknown[0], "unknown field (known: match, action, times, probability, seed)")
    rule = FaultRule(rule_id, parse_criteria(body.get("match") or {}, MATCH_CRITERIA, "match"),
                     parse_action(body.get("action")))
    if body.get("times") is not None:
        rule.times = _number(body["times"], "times", 1, 10**9, True)
    if body.get("probability") is not None:
        rule.probability = _number(body["probability"], "probability", 0, 1)
    if body.get("seed") is not None:
        rule.seed = _number(body["seed"], "seed", -(2**63), 2**63, True)
    rule.rng = random.Random(rule.seed)
    return rule

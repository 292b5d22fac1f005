"""Fault rules: make the emulator fail on purpose so a client's timeouts, retries and back-off get tested.

A rule (``POST /_mock/faults``)::

    {"match": {"method", "path", "resource", "restliMethod", "application"},   # all optional, see criteria
     "action": {"status": 503, "body": ..., "headers": {...}}   # reply with this (default body: LinkedIn's
                                                                 # error envelope for the status)
             | {"delay": 2.5}                                    # wait (real seconds), then answer normally
             | {"delay": 2.5, "status": 504} / {"delay": 1, "drop": true}   # wait, then fail
             | {"drop": true}                                    # close the connection without a reply
             | {"quota": {"after": 3, "retryAfter": 60}},        # let 3 calls through, then 429 + Retry-After
     "times": 2,            # act at most this many times (default: no limit)
     "probability": 0.3,    # act on this share of matching calls …
     "seed": 7}             # … drawn from a random generator seeded with this (reproducible runs)

The actions, their fields and limits: :mod:`mock_server.harness.fault_actions` (one class per fault type).

Rules are checked in the order they were added; the first one that acts decides. A rule does not act on a
call when its ``times`` are used up, when the probability draw says no, or when an action lets the call through
(quota: while the call is within ``after``); the next rule is then checked. Admin requests (``/_mock/*``) are
never faulted.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import threading

from mock_server.harness.criteria import REQUEST_CRITERIA
from mock_server.harness.fault_actions import Action, number, parse_actions
from mock_server.restli.errors import field_error

MATCH_CRITERIA = REQUEST_CRITERIA.subset("method", "path", "resource", "restliMethod", "application")
RULE_FIELDS = ("match", "action", "times", "probability", "seed")


@dataclasses.dataclass(frozen=True)
class Decision:
    """What to do with one request: the ``actions`` of rule ``rule`` (an id), in the order they apply."""

    rule: str
    actions: tuple[Action, ...]


@dataclasses.dataclass
class FaultRule:
    """One rule as added (see the module docstring); ``hits`` counts the times it acted and ``calls`` the
    matching calls it saw."""

    id: str
    match: dict
    actions: tuple[Action, ...]
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    hits: int = 0
    calls: int = 0
    rng: random.Random = dataclasses.field(default_factory=random.Random, repr=False)

    def view(self) -> dict:
        """The JSON form: the rule as given (defaults filled in) plus ``hits``, ``calls`` and ``remaining``
        (``None``: unlimited)."""
        action = {name: value for act in self.actions for name, value in act.view().items()}
        return {"id": self.id, "match": self.match, "action": action, "times": self.times,
                "probability": self.probability, "seed": self.seed, "hits": self.hits, "calls": self.calls,
                "remaining": None if self.times is None else max(0, self.times - self.hits)}

    def acts(self, fields: dict) -> bool:
        """Whether the rule acts on a request with ``fields`` (counting it when it does)."""
        if (self.times is not None and self.hits >= self.times) or not MATCH_CRITERIA.matches(fields, self.match):
            return False
        self.calls += 1
        if any(action.lets_through(self.calls) for action in self.actions):
            return False
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        self.hits += 1
        return True


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

    def __bool__(self) -> bool:
        """True when there is a rule (read without the lock: a list's length is read atomically); lets the
        middleware skip all fault work on a request when there is none."""
        return bool(self._rules)

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
                    return Decision(rule.id, rule.actions)
        return None


def parse_rule(body: dict, rule_id: str) -> FaultRule:
    """A :class:`FaultRule` with ``rule_id`` from its JSON form; 400 naming the offending field."""
    unknown = sorted(set(body) - set(RULE_FIELDS))
    if unknown:
        raise field_error(unknown[0], f"unknown field (known: {', '.join(RULE_FIELDS)})", 400)
    rule = FaultRule(rule_id, MATCH_CRITERIA.parse(body.get("match") or {}, "/match"),
                     parse_actions(body.get("action")))
    if body.get("times") is not None:
        rule.times = number(body["times"], "times", 1, 10**9, integer=True)
    if body.get("probability") is not None:
        rule.probability = number(body["probability"], "probability", 0, 1)
    if body.get("seed") is not None:
        rule.seed = number(body["seed"], "seed", -(2**63), 2**63 - 1, integer=True)
    rule.rng = random.Random(rule.seed)
    return rule

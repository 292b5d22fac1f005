"""The certification's values: a test case, the evidence a grader gathers and the result it returns.

A :class:`Case` is LinkedIn's test case as data plus two functions: ``grade(observed, subject) -> Result``
runs inside the emulator (:mod:`mock_server.certification.observed`), ``play(session) -> subject`` runs in
the guided runner and plays LinkedIn's side over HTTP (:mod:`mock_server.certification.runner`); the
``subject`` it returns (the entities it put in play and what the partner answered) is handed to the grader.
Passive grading passes no subject: the grader finds what to judge in the journal and the state.

A :class:`Result` is ``pass``, ``fail`` or ``not-yet-exercised``, with :class:`Evidence` (request ids,
entities, epoch-ms timestamps) and, for a failure, the exact things missing. :class:`Grading` collects them
check by check: any failed check fails the case, else any check still awaiting the partner leaves it not yet
exercised, else it passes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

PASS, FAIL, NOT_EXERCISED = "pass", "fail", "not-yet-exercised"
STATUSES = (PASS, FAIL, NOT_EXERCISED)
HOOK_TIMEOUT_S = 60.0           # real seconds the partner's hook may take to answer one step (default)
MAX_HOOK_TIMEOUT_S = 300.0      # ... at most
MODULES = {
    1: "Configure Customer Applications and ATS Integrations",
    2: "Sync Data from ATS to LinkedIn",
    3: "Retrieve Data from LinkedIn",
    4: "Sync ACLs",
    5: "Data Deletion",
}


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One observation: a sentence, the journal request ids and entities it rests on, and the instants
    (epoch ms on the emulator's clock) it refers to."""

    text: str
    requests: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    at: tuple[int, ...] = ()

    def to_json(self) -> dict:
        """``{"text", "requests", "entities", "at"}``."""
        return {"text": self.text, "requests": list(self.requests), "entities": list(self.entities),
                "at": list(self.at)}


@dataclasses.dataclass
class Result:
    """The grade of one case. ``missing`` says, for a failure, exactly what is missing; ``awaiting`` what
    the case still waits for (not yet exercised); ``settled`` is True when waiting longer cannot turn a
    failure into a pass (the guided runner stops waiting then)."""

    case: str
    status: str
    summary: str
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    awaiting: list[str] = dataclasses.field(default_factory=list)
    settled: bool = False
    graded_at: int = 0

    def to_json(self) -> dict:
        """The JSON shape of ``/_mock/certification`` results."""
        return {"case": self.case, "status": self.status, "summary": self.summary,
                "evidence": [item.to_json() for item in self.evidence], "missing": list(self.missing),
                "awaiting": list(self.awaiting), "settled": self.settled, "gradedAt": self.graded_at}

    @classmethod
    def from_json(cls, doc: dict) -> Result:
        """The inverse of :meth:`to_json` (clients read results the emulator sent)."""
        return cls(case=doc["case"], status=doc["status"], summary=doc["summary"],
                   evidence=[Evidence(item["text"], tuple(item.get("requests", ())), tuple(item.get("entities", ())),
                                      tuple(item.get("at", ()))) for item in doc.get("evidence", [])],
                   missing=list(doc.get("missing", [])), awaiting=list(doc.get("awaiting", [])),
                   settled=bool(doc.get("settled")), graded_at=int(doc.get("gradedAt", 0)))


class Grading:
    """Checks of one case as they are made; :meth:`result` turns them into a :class:`Result`."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.evidence: list[Evidence] = []
        self.missing: list[str] = []
        self.awaiting: list[str] = []
        self.settled = False

    def ok(self, text: str, requests=(), entities=(), at=()) -> None:
        """A check that passed, with what proves it."""
        self.evidence.append(Evidence(text, tuple(dict.fromkeys(requests)), tuple(dict.fromkeys(entities)), tuple(at)))

    def fail(self, missing: str, requests=(), entities=(), at=(), settled: bool = False) -> None:
        """A check that failed: ``missing`` names exactly what is missing. ``settled`` when no later call of
        the partner can repair it (something already happened that must not have)."""
        self.missing.append(missing)
        self.evidence.append(Evidence(missing, tuple(dict.fromkeys(requests)), tuple(dict.fromkeys(entities)),
                                      tuple(at)))
        self.settled = self.settled or settled

    def wait(self, awaited: str) -> None:
        """A check that cannot be made yet: the partner has not done ``awaited``."""
        self.awaiting.append(awaited)

    @property
    def failed(self) -> bool:
        """True once a check failed."""
        return bool(self.missing)

    def result(self, passed: str, now: int) -> Result:
        """The case's result: ``passed`` is the summary of a pass."""
        if self.missing:
            status, summary = FAIL, self.missing[0] + (f" (and {len(self.missing) - 1} more)" if len(self.missing) > 1
                                                      else "")
        elif self.awaiting:
            status, summary = NOT_EXERCISED, "awaiting: " + self.awaiting[0]
        else:
            status, summary = PASS, passed
        return Result(self.case, status, summary, list(self.evidence), list(self.missing), list(self.awaiting),
                      self.settled and status == FAIL, now)


@dataclasses.dataclass(frozen=True)
class Case:
    """One certification test case.

    ``id`` is LinkedIn's rule id (``RSC-401``) or, where the public record has only the older numbering, that
    name (``Test Case 6``); ``aliases`` are its other names. ``documented`` and ``inferred`` list the parts of
    the pass criteria read on LinkedIn's page and those the emulator infers. ``needs`` says what the partner
    must have built (and, for the guided run, which certification-hook actions it answers). ``deadline_s``
    is how long (emulator seconds) the guided runner waits for the partner after playing LinkedIn's side.
    """

    id: str
    title: str
    module: int
    source: str
    needs: str
    documented: tuple[str, ...]
    inferred: tuple[str, ...]
    grade: Callable
    play: Callable
    aliases: tuple[str, ...] = ()
    deadline_s: int = 600

    def to_json(self) -> dict:
        """The catalogue entry (``GET /_mock/certification/cases``) and the case part of a report."""
        return {"id": self.id, "aliases": list(self.aliases), "title": self.title, "module": self.module,
                "moduleName": MODULES[self.module], "source": self.source, "needs": self.needs,
                "provenance": {"documented": list(self.documented), "inferred": list(self.inferred)},
                "deadlineSeconds": self.deadline_s}


@dataclasses.dataclass(frozen=True)
class Undescribed:
    """A case LinkedIn's public record names (or implies) but does not describe, or one the emulator cannot
    judge; listed in every report instead of being invented."""

    id: str
    module: int
    source: str
    reason: str

    def to_json(self) -> dict:
        """``{"id", "module", "source", "reason"}``."""
        return dataclasses.asdict(self)

"""Criteria: the one filter language of the test harness, for the request journal (``/_mock/requests``, its
wait, the ``match`` of a fault rule) and the notification outbox (``/_mock/notifications``, its wait).

A :class:`Filter` names the criteria a collection can be filtered by, each of a :class:`Criterion` kind.
:meth:`Filter.parse` reads criteria from admin input (a JSON object, or query parameters whose values are
strings) into a dict ``{name: checked value}`` — JSON-able, so a reply can show it — and :meth:`Filter.matches`
tests a record (a journal entry, a request's :meth:`~mock_server.harness.request_info.RequestInfo.fields`, a
notification document) against such a dict: every criterion must hold. A ``null`` criterion is left out.

The kinds, the same wherever they are used:

* :class:`Text` — a non-empty string equal to the record's field (``fold_case``: case-insensitively;
  ``choices``: one of a fixed list; ``also``: or equal to one of these other fields);
* :class:`Pattern` — a glob when it holds ``*``, ``?`` or ``[``, else a prefix of the record's field;
* :class:`HttpStatus` — an HTTP status (``429``) or a class (``4xx``); a record without a status never matches;
* :class:`AtLeast` — an integer the record's ``field`` (with ``count``: the length of that list) reaches.

Bad input is a 400 ``ERROR :: <where>/<name> :: <reason>``, ``where`` being the input's place (``/query``,
``/filter``, ``/match``).
"""

from __future__ import annotations

import abc
import dataclasses
import fnmatch
from typing import Any

from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import numeric


class Criterion(abc.ABC):
    """One kind of criterion: how its value is read and how a record is tested against it."""

    @property
    def exact(self) -> bool:
        """True when the test is plain equality of the record's field (usable by an index)."""
        return False

    @abc.abstractmethod
    def read(self, value: Any, where: str) -> Any:
        """The checked value; :class:`RestliError` 400 ``ERROR :: <where> :: <reason>`` otherwise."""

    @abc.abstractmethod
    def test(self, record: dict, name: str, wanted: Any) -> bool:
        """Whether ``record`` meets criterion ``name`` with the (read) value ``wanted``."""


def text_value(value: Any, where: str) -> str:
    """``value`` when it is a non-empty string; 400 naming ``where`` otherwise."""
    if not isinstance(value, str) or not value:
        raise RestliError(400, f"ERROR :: {where} :: must be a non-empty string")
    return value


@dataclasses.dataclass(frozen=True)
class Text(Criterion):
    """Equality with the record's field of the same name (see the module docstring)."""

    fold_case: bool = False
    choices: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return not self.fold_case and not self.also

    def read(self, value: Any, where: str) -> str:
        value = text_value(value, where)
        if self.choices and value not in self.choices:
            raise RestliError(400, f"ERROR :: {where} :: {shown(value)} is not one of {', '.join(self.choices)}")
        return value

    def test(self, record: dict, name: str, wanted: str) -> bool:
        if self.fold_case:
            return (record.get(name) or "").upper() == wanted.upper()
        return wanted in (record.get(name), *(record.get(other) for other in self.also))


@dataclasses.dataclass(frozen=True)
class Pattern(Criterion):
    """A glob (``/v2/atsCandidates*``) or a prefix (``/v2/atsCandidates``) of the record's field."""

    def read(self, value: Any, where: str) -> str:
        return text_value(value, where)

    def test(self, record: dict, name: str, wanted: str) -> bool:
        actual = record.get(name) or ""
        if any(c in wanted for c in "*?["):
            return fnmatch.fnmatchcase(actual, wanted)
        return actual.startswith(wanted)


@dataclasses.dataclass(frozen=True)
class HttpStatus(Criterion):
    """An HTTP status (an integer, 100 to 599) or a class (``"4xx"``)."""

    def read(self, value: Any, where: str) -> int | str:
        value = numeric(value)
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
            return value
        if isinstance(value, str) and len(value) == 3 and value[0] in "12345" and value[1:].lower() == "xx":
            return value.lower()
        raise RestliError(400, f"ERROR :: {where} :: must be an HTTP status (e.g. 429) or a class (e.g. 4xx)")

    def test(self, record: dict, name: str, wanted: int | str) -> bool:
        status = record.get(name)
        if status is None:
            return False
        return status == wanted if isinstance(wanted, int) else str(status)[0] == wanted[0]


@dataclasses.dataclass(frozen=True)
class AtLeast(Criterion):
    """An integer (``unit`` says of what) that the record's ``field`` reaches (with ``count``: the number of
    items in that list)."""

    field: str
    unit: str
    count: bool = False

    def read(self, value: Any, where: str) -> int:
        value = numeric(value, signed=True)
        if not isinstance(value, int) or isinstance(value, bool):
            raise RestliError(400, f"ERROR :: {where} :: must be an integer ({self.unit})")
        return value

    def test(self, record: dict, name: str, wanted: int) -> bool:
        actual = len(record.get(self.field) or ()) if self.count else record.get(self.field) or 0
        return actual >= wanted


class Filter:
    """The criteria a collection can be filtered by: ``Filter(name=Criterion, ...)``, in the order error
    messages list them."""

    def __init__(self, **criteria: Criterion) -> None:
        self.criteria = criteria

    def subset(self, *names: str) -> Filter:
        """A filter with only the criteria ``names`` (in that order)."""
        return Filter(**{name: self.criteria[name] for name in names})

    def parse(self, raw: Any, where: str) -> dict:
        """Checked criteria from admin input ``raw`` (``None``: no criteria); 400 for input that is not an
        object, an unknown name or a bad value, naming ``<where>/<name>``."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise RestliError(400, f"ERROR :: {where or '/'} :: must be a JSON object")
        checked = {}
        for name, value in raw.items():
            criterion = self.criteria.get(name)
            if criterion is None:
                raise RestliError(400, f"ERROR :: {where}/{name} :: unknown criterion (known:"
                                       f" {', '.join(self.criteria)})")
            if value is not None:
                checked[name] = criterion.read(value, f"{where}/{name}")
        return checked

    def matches(self, record: dict, criteria: dict) -> bool:
        """True when ``record`` meets every one of ``criteria`` (as :meth:`parse` returns them)."""
        return all(self.criteria[name].test(record, name, wanted) for name, wanted in criteria.items())

    def equalities(self, criteria: dict) -> dict:
        """The part of ``criteria`` that is plain equality of a record's field (what a table's indexes can look
        up; :meth:`matches` still decides)."""
        return {name: wanted for name, wanted in criteria.items() if self.criteria[name].exact}


REQUEST_CRITERIA = Filter(
    method=Text(fold_case=True),                        # GET, post, …
    path=Pattern(),                                     # /v2/atsCandidates* or /v2/atsCandidates
    resource=Text(),                                    # atsCandidates, atsCandidates/notes
    restliMethod=Text(fold_case=True),                  # BATCH_CREATE, finder, …
    status=HttpStatus(),                                # 429 or 4xx
    application=Text(also=("clientId",)),               # an application key or a client id
    since=AtLeast("at", "epoch milliseconds"),          # arrival on the emulator's clock, inclusive
)
"""The criteria of a request (a journal entry, or a request's fields before it is answered)."""

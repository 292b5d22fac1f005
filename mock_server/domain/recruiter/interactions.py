"""Recruiter prospect interactions: seats, InMail conversations, stub profiles and prospect notes.

The retrieve APIs (``seats``/``seatsV2``, ``conversationEvents``, ``mailStubs``, ``prospectNotes``) read
these tables; the recruiter actions write them. Times are epoch milliseconds on the emulator's clock.

Stored documents (one table each, the fixture kinds of the same name)::

    seats          "3000" -> {"id": 3000, "contract": "urn:li:contract:2000",
                              "member": "urn:li:person:<id>", "state": "ACTIVE"|"INACTIVE"|"INVITED"|"PARKED"}
    conversations  "<thread id>" -> {"id", "contract", "seat": "urn:li:seat:<n>", "member": "urn:li:person:<id>",
                              "events": [{"id", "direction": "SENT"|"RECEIVED", "sender": seat or person URN,
                                          "subject"?, "body", "response"?: "ACCEPTED"|"DECLINED",
                                          "createdAt": ms}]}   (events oldest first)
    mailStubs      "<id>" -> {"id": int, "contract", "owner": "urn:li:seat:<n>", "member", "firstName",
                              "lastName", "emailAddress": str, "phoneNumber"?, "conversation"?: thread URN,
                              "created": ms}
    prospectNotes  "<id>" -> {"id": int, "contract", "owner": "urn:li:seat:<n>", "member", "note",
                              "visibility": "PUBLIC"|"PRIVATE", "created": ms, "lastModified": ms,
                              "active": bool}

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions
(seat holders, InMail history, InMail stub profiles, prospect notes).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from mock_server.domain.counters import Counters
from mock_server.domain.matching import MEMBERS, account_closed
from mock_server.restli.integers import NumberError, parse_int
from mock_server.store import Store, Table
from mock_server.store.spec import TableSpec

SEAT_PREFIX = "urn:li:seat:"
THREAD_PREFIX = "urn:li:messagingThread:"
PERSON_PREFIX = "urn:li:person:"
SEATS = TableSpec("seats", ("contract",))
CONVERSATIONS = TableSpec("conversations", ("seat",))
MAIL_STUBS = TableSpec("mailStubs", ("contract",))
PROSPECT_NOTES = TableSpec("prospectNotes", ("contract",))
TABLES = (SEATS, CONVERSATIONS, MAIL_STUBS, PROSPECT_NOTES)


def seat_urn(seat_id: int) -> str:
    """``urn:li:seat:<id>``."""
    return f"urn:li:seat:{seat_id}"


def seat_number(urn: str) -> int | None:
    """The id in ``urn:li:seat:<id>`` (ASCII digits, at most 18: :func:`mock_server.restli.integers.parse_int`), or
    None when ``urn`` is anything else."""
    if not urn.startswith(SEAT_PREFIX):
        return None
    try:
        return parse_int(urn[len(SEAT_PREFIX):])
    except NumberError:
        return None


def thread_urn(conversation_id: str) -> str:
    """``urn:li:messagingThread:<id>``: how a conversation is named in API replies."""
    return THREAD_PREFIX + conversation_id


def new_thread_id() -> str:
    """A fresh conversation (thread) id in LinkedIn's ``2-…`` style."""
    return "2-" + secrets.token_urlsafe(16)


def new_event_id() -> str:
    """A fresh InMail event id; later ids sort after earlier ones, so events of the same millisecond keep
    the order they were sent in."""
    return f"{time.time_ns():016x}{secrets.token_hex(2)}"


def event_doc(event_id: str, direction: str, sender: str, body: str, created_at: int,
              subject: str | None = None, response: str | None = None) -> dict[str, Any]:
    """One InMail of a conversation: ``direction`` ``SENT`` (``sender`` the seat URN) or ``RECEIVED``
    (``sender`` the prospect's person URN); ``response`` ``ACCEPTED``/``DECLINED`` on replies."""
    doc = {"id": event_id, "direction": direction, "sender": sender, "body": body, "createdAt": created_at}
    if subject is not None:
        doc["subject"] = subject
    if response is not None:
        doc["response"] = response
    return doc


def mail_stub_doc(stub_id: int, seat: dict[str, Any], member: dict[str, Any], created: int,
                  phone_number: str | None = None, conversation: str | None = None) -> dict[str, Any]:
    """The stub profile a ``member`` (fixture document) shares with ``seat`` (seat document): names and the
    first email address of the member, optionally a phone number and the thread URN it came from.
    ``ValueError`` when the member has no email address to share."""
    if not member.get("emailAddresses"):
        raise ValueError(f"member {PERSON_PREFIX + member['id']} has no email address to share")
    doc = {"id": stub_id, "contract": seat["contract"], "owner": seat_urn(seat["id"]),
           "member": PERSON_PREFIX + member["id"], "firstName": member["firstName"], "lastName": member["lastName"],
           "emailAddress": member["emailAddresses"][0], "created": created}
    if phone_number:
        doc["phoneNumber"] = phone_number
    if conversation:
        doc["conversation"] = conversation
    return doc


def note_doc(note_id: int, seat: dict[str, Any], member_urn: str, note: str, visibility: str, created: int,
             last_modified: int | None = None, active: bool = True) -> dict[str, Any]:
    """A prospect note by ``seat`` (seat document) on ``member_urn``."""
    return {"id": note_id, "contract": seat["contract"], "owner": seat_urn(seat["id"]), "member": member_urn,
            "note": note, "visibility": visibility, "created": created,
            "lastModified": created if last_modified is None else last_modified, "active": active}


def seat_view(seat: dict[str, Any], member: dict[str, Any] | None) -> dict[str, Any]:
    """A ``seatsV2`` element: the seat plus the holder's ``firstName``/``lastName``."""
    member = member or {}
    return {"id": seat["id"], "contract": seat["contract"], "member": seat["member"], "state": seat["state"],
            "firstName": member.get("firstName", ""), "lastName": member.get("lastName", "")}


def legacy_seat_view(seat: dict[str, Any]) -> dict[str, Any]:
    """A legacy ``seats?q=seatsByAttributes`` element: ``{"id", "contract", "member", "active"}``."""
    return {"id": seat["id"], "contract": seat["contract"], "member": seat["member"],
            "active": seat["state"] == "ACTIVE"}


def event_view(conversation: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """A ``conversationEvents`` element for one event of ``conversation`` (see conversationEvent.json)."""
    seat, prospect = conversation["seat"], conversation["member"]
    view = {"id": event["id"], "conversation": thread_urn(conversation["id"]), "contract": conversation["contract"],
            "viewer": seat, "prospect": prospect, "direction": event["direction"], "sender": event["sender"],
            "recipients": [prospect if event["direction"] == "SENT" else seat], "body": event["body"],
            "created": event["createdAt"]}
    for optional in ("subject", "response"):
        if optional in event:
            view[optional] = event[optional]
    return view


def in_range(value: int, lower: int | None, upper: int | None, lower_inclusive: bool, upper_inclusive: bool) -> bool:
    """True when ``value`` lies between the bounds (``None``: unbounded) with the inclusiveness given."""
    if lower is not None and (value < lower if lower_inclusive else value <= lower):
        return False
    if upper is not None and (value > upper if upper_inclusive else value >= upper):
        return False
    return True


class Interactions:
    """Reads and writes the interaction tables of ``store`` (and reads its members); new stub and note ids
    come from ``counters``. Methods return copies."""

    def __init__(self, store: Store, counters: Counters) -> None:
        self.seats = SEATS.of(store)
        self.members = MEMBERS.of(store)
        self.conversations = CONVERSATIONS.of(store)
        self.mail_stubs = MAIL_STUBS.of(store)
        self.prospect_notes = PROSPECT_NOTES.of(store)
        self.counters = counters

    # ---- seats and members -----------------------------------------------------------------------------

    def seat(self, urn: str) -> dict[str, Any] | None:
        """The seat named by ``urn:li:seat:<id>``, or None (also for a malformed URN)."""
        number = seat_number(urn)
        return None if number is None else self.seats.get(str(number))

    def member(self, urn: str) -> dict[str, Any] | None:
        """The fixture member ``urn:li:person:<id>``, or None when unknown or closed (:meth:`closed`)."""
        member = self.members.get(urn)
        return None if account_closed(member) else member

    def closed(self, urn: str) -> bool:
        """True when member ``urn`` closed the LinkedIn account (:func:`mock_server.domain.matching.account_closed`):
        from then on no served call shows the member's data — the partner learns of the closure from
        ``rest/atsPurgedExportedCandidates`` and must delete what it holds (RSC release notes, July 2023
        "Retrieving Closed Candidate Profiles")."""
        return account_closed(self.members.get(urn))

    def seats_of(self, contracts: list[str], states: set[str] | None = None) -> list[dict[str, Any]]:
        """Seats on any of ``contracts`` (in ``states`` when given), by seat id."""
        found = [doc for contract in dict.fromkeys(contracts) for _, doc in self.seats.find(contract=contract)]
        return sorted((doc for doc in found if states is None or doc["state"] in states), key=lambda d: d["id"])

    # ---- InMail --------------------------------------------------------------------------------------------

    def conversation(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation with thread id ``conversation_id``, or None."""
        return self.conversations.get(conversation_id)

    def events(self, seat: str, start: int | None = None, end: int | None = None) -> list[dict[str, Any]]:
        """``conversationEvents`` elements of seat URN ``seat`` created in [``start``, ``end``) (each bound
        optional), oldest first; none with a member who closed the account (:meth:`closed`)."""
        found = []
        for _, conversation in self.conversations.find(seat=seat):
            if self.closed(conversation["member"]):
                continue
            found += [event_view(conversation, event) for event in conversation["events"]
                      if in_range(event["createdAt"], start, end, True, False)]
        return sorted(found, key=lambda e: (e["created"], e["id"]))

    def send_inmail(self, seat: dict[str, Any], member_urn: str, subject: str | None, body: str,
                    now: int) -> dict[str, Any]:
        """A recruiter on ``seat`` (seat document) InMails ``member_urn`` (``subject`` optional): a new
        conversation whose first event is SENT. Returns the conversation document."""
        conversation = {"id": new_thread_id(), "contract": seat["contract"], "seat": seat_urn(seat["id"]),
                        "member": member_urn,
                        "events": [event_doc(new_event_id(), "SENT", seat_urn(seat["id"]), body, now, subject)]}
        self.conversations.put(conversation["id"], conversation)
        return conversation

    def add_event(self, conversation_id: str, direction: str, body: str, now: int,
                  response: str | None = None) -> dict[str, Any]:
        """Append an event to a conversation (``SENT`` by its seat, ``RECEIVED`` from its prospect).
        Returns the event; ``KeyError`` for an unknown conversation."""
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            raise KeyError(conversation_id)
        sender = conversation["seat"] if direction == "SENT" else conversation["member"]
        event = event_doc(new_event_id(), direction, sender, body, now, response=response)
        conversation["events"].append(event)
        self.conversations.put(conversation_id, conversation)
        return event

    # ---- stub profiles ---------------------------------------------------------------------------------------

    def stubs(self, contract: str, owners: list[str] | None = None, start: int | None = None,
              end: int | None = None) -> list[dict[str, Any]]:
        """Stub profiles of ``contract`` (owned by one of ``owners`` when given) created in [``start``,
        ``end``), oldest first; none of a member who closed the account (:meth:`closed`)."""
        wanted = set(owners) if owners else None
        found = [doc for _, doc in self.mail_stubs.find(contract=contract)
                 if (wanted is None or doc["owner"] in wanted) and in_range(doc["created"], start, end, True, False)
                 and not self.closed(doc["member"])]
        return sorted(found, key=lambda d: (d["created"], d["id"]))

    def add_stub(self, seat: dict[str, Any], member: dict[str, Any], now: int, phone_number: str | None = None,
                 conversation: str | None = None) -> dict[str, Any]:
        """Store the stub profile ``member`` shares with ``seat`` now; returns it."""
        doc = mail_stub_doc(self._next_id(self.mail_stubs, "mailStub"), seat, member, now, phone_number, conversation)
        self.mail_stubs.put(str(doc["id"]), doc)
        return doc

    # ---- prospect notes --------------------------------------------------------------------------------------

    def notes(self, contract: str, owners: list[str] | None = None, cutoff: int | None = None,
              before: int | None = None) -> list[dict[str, Any]]:
        """Prospect notes of ``contract`` (by one of ``owners`` when given), deleted ones included, whose
        ``lastModified`` is after ``cutoff`` (exclusive) and at or before ``before`` (inclusive), oldest first;
        none on a member who closed the account (:meth:`closed`)."""
        wanted = set(owners) if owners else None
        found = [doc for _, doc in self.prospect_notes.find(contract=contract)
                 if (wanted is None or doc["owner"] in wanted)
                 and in_range(doc["lastModified"], cutoff, before, False, True) and not self.closed(doc["member"])]
        return sorted(found, key=lambda d: (d["lastModified"], d["id"]))

    def write_note(self, seat: dict[str, Any], member_urn: str, note: str, visibility: str, now: int) -> dict[str, Any]:
        """A new note by ``seat`` on ``member_urn``; returns it."""
        doc = note_doc(self._next_id(self.prospect_notes, "prospectNote"), seat, member_urn, note, visibility, now)
        self.prospect_notes.put(str(doc["id"]), doc)
        return doc

    def delete_note(self, note_id: int, now: int) -> dict[str, Any] | None:
        """Mark a note deleted (``active: false``, ``lastModified: now``) so pollers see the deletion; returns
        it, or None when there is no such note."""
        doc = self.prospect_notes.get(str(note_id))
        if doc is None:
            return None
        doc.update(active=False, lastModified=now)
        self.prospect_notes.put(str(note_id), doc)
        return doc

    def _next_id(self, table: Table, counter: str) -> int:
        """A numeric id above every id already in ``table`` (fixture ids included)."""
        return self.counters.next_number(counter, max((int(key) for key in table.keys()), default=0) + 1)

"""Recruiter prospect interactions as actions: send an InMail, a member's reply (sharing contact details or not),
write and delete a prospect note. Each checks what it names and writes through
:class:`mock_server.domain.recruiter.interactions.Interactions`, so ``conversationEvents``, ``mailStubs`` and
``prospectNotes`` read it back. Times are the emulator's clock, epoch ms.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions
(InMail history; a stub profile exists only when the member agreed to share contact info in a reply; deleted
notes stay visible with ``active: false``).
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.recruiter.actors import active_seat, find_member, person_urn
from mock_server.domain.recruiter.interactions import THREAD_PREFIX, event_view
from mock_server.domain.world import World
from mock_server.restli.errors import RestliError

RESPONSES = ("ACCEPTED", "DECLINED")
VISIBILITIES = ("PUBLIC", "PRIVATE")


def send_inmail(world: World, seat_value: object, member_value: object, subject: str | None,
                body: str) -> dict[str, Any]:
    """Seat ``seat_value`` (ACTIVE) InMails member ``member_value``; returns the ``conversationEvents`` element
    of the sent InMail (its ``conversation`` is the thread URN a reply names)."""
    seat = active_seat(world, seat_value)
    member = find_member(world, member_value)
    conversation = world.interactions.send_inmail(seat, person_urn(member), subject, body, world.clock.now_ms())
    return event_view(conversation, conversation["events"][0])


def reply(world: World, conversation_value: str, body: str, response: str | None = None,
          share_contact_info: bool = False, phone_number: str | None = None) -> dict[str, Any]:
    """The prospect of a conversation (``urn:li:messagingThread:<id>`` or the bare id) replies. With
    ``share_contact_info`` a stub profile (names, first email, ``phone_number`` or the member's first phone)
    is created for the seat. Returns ``{"event": conversationEvents element, "mailStub": stub or None}``;
    404 naming ``conversation`` when unknown, 409 when its member closed the account, 400 naming ``response``
    when sharing with a DECLINED answer."""
    conversation_id = conversation_value.removeprefix(THREAD_PREFIX)
    conversation = world.interactions.conversation(conversation_id)
    if conversation is None:
        raise RestliError(404, f"ERROR :: /conversation :: no InMail conversation {conversation_value}")
    if share_contact_info and response == "DECLINED":
        raise RestliError(400, "ERROR :: /response :: a member who DECLINED does not share contact details")
    if world.interactions.closed(conversation["member"]):
        find_member(world, conversation["member"], "conversation")  # 409: a closed account cannot reply
    now = world.clock.now_ms()
    member = world.interactions.member(conversation["member"])
    seat = world.interactions.seat(conversation["seat"])
    if share_contact_info and (member is None or seat is None):
        raise RestliError(409, f"ERROR :: /conversation :: the member or seat of {conversation_value} no longer"
                               " exists, so no stub profile can be shared")
    with world.store.transaction():
        event = world.interactions.add_event(conversation_id, "RECEIVED", body, now,
                                             response=response or ("ACCEPTED" if share_contact_info else None))
        stub = None
        if share_contact_info and member is not None and seat is not None:  # both checked above
            phone = phone_number or next(iter(member.get("phoneNumbers", [])), None)
            stub = world.interactions.add_stub(seat, member, now, phone, THREAD_PREFIX + conversation_id)
    return {"event": event_view(conversation, event), "mailStub": stub}


def write_note(world: World, seat_value: object, member_value: object, note: str,
               visibility: str = "PUBLIC") -> dict[str, Any]:
    """Seat ``seat_value`` (ACTIVE) writes a prospect note on member ``member_value``; returns it."""
    seat = active_seat(world, seat_value)
    member = find_member(world, member_value)
    return world.interactions.write_note(seat, person_urn(member), note, visibility, world.clock.now_ms())


def delete_note(world: World, note_id: int) -> dict[str, Any]:
    """Delete prospect note ``note_id``: it stays, ``active: false`` with a new ``lastModified``. 404 when
    unknown, 409 when already deleted."""
    current = world.interactions.prospect_notes.get(str(note_id))
    if current is not None and not current["active"]:
        raise RestliError(409, f"ERROR :: /id :: prospect note {note_id} was already deleted at"
                               f" {current['lastModified']}")
    deleted = world.interactions.delete_note(note_id, world.clock.now_ms()) if current is not None else None
    if deleted is None:
        raise RestliError(404, f"ERROR :: /id :: no prospect note {note_id}")
    return deleted

"""Fixture worlds: a directory of JSON files, one per kind (``applications.json``, ``members.json``, …), each
validated against ``schemas/fixture.<kind>.json`` and turned into the store's seed tables.

A bad fixture stops the start with :class:`FixtureError`, whose message names the file, the JSON pointer and
the reason (one line per problem).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_server.domain.customers import APPLICATIONS, CONTRACTS, tagged
from mock_server.domain.integrations import INTEGRATIONS, integration_store_key
from mock_server.domain.matching import MEMBERS
from mock_server.domain.recruiter.interactions import (
    CONVERSATIONS,
    MAIL_STUBS,
    PROSPECT_NOTES,
    SEATS,
)
from mock_server.restli.errors import RestliError
from mock_server.restli.jsonbody import MALFORMED, parse_value
from mock_server.schemas import validation
from mock_server.store.spec import TableSpec

# kind (file stem) -> (store table, declared by the module that owns it; key of a document)
KINDS: dict[str, tuple[TableSpec, Callable[[dict[str, Any]], str]]] = {
    "applications": (APPLICATIONS, lambda doc: doc["key"]),
    "integrations": (INTEGRATIONS, integration_store_key),
    "members": (MEMBERS, lambda doc: "urn:li:person:" + doc["id"]),
    "contracts": (CONTRACTS, lambda doc: doc["contract"]),
    "seats": (SEATS, lambda doc: str(doc["id"])),
    "conversations": (CONVERSATIONS, lambda doc: doc["id"]),
    "mailStubs": (MAIL_STUBS, lambda doc: str(doc["id"])),
    "prospectNotes": (PROSPECT_NOTES, lambda doc: str(doc["id"])),
}


class FixtureError(ValueError):
    """One or more problems in a fixture directory; ``problems`` is a list of ``"file pointer: reason"``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid fixtures:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


def load_dir(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Read and validate every fixture file of ``directory``: ``{kind: [document, ...]}``.

    Raises :class:`FixtureError` listing every problem: not a directory, no fixture file at all, unreadable
    JSON, an unknown file, schema violations, duplicate keys and references to things that do not exist.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FixtureError([f"{directory}: not a directory"])
    problems: list[str] = []
    data: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.json")):
        kind = path.stem
        if kind not in KINDS:
            problems.append(f"{path}: unknown fixture file (known: {', '.join(sorted(KINDS))})")
            continue
        try:
            document = parse_value(path.read_bytes())
        except OSError as error:
            problems.append(f"{path}: cannot be read: {error}")
            continue
        except RestliError as error:  # the same strict JSON as request bodies: no NaN, lone surrogates, ...
            problems.append(f"{path}: not valid JSON: {error.message.removeprefix(MALFORMED + ': ')}")
            continue
        found = validation.errors(f"fixture.{kind}", document)
        problems += [f"{path} {where}: {reason}" for where, reason in found]
        if not found:
            data[kind] = document
    if not problems and not data:
        expected = ", ".join(f"{kind}.json" for kind in KINDS)
        raise FixtureError([f"{directory}: not a fixture world: no fixture files in it (expected {expected})"])
    if not problems:
        problems += (_duplicates(directory, data) + _references(directory, data)
                     + _interaction_references(directory, data))
    if problems:
        raise FixtureError(problems)
    return data


def _duplicates(directory: Path, data: dict[str, list[dict[str, Any]]]) -> list[str]:
    problems = []
    for kind, documents in data.items():
        seen: dict[str, int] = {}
        for index, doc in enumerate(documents):
            key = KINDS[kind][1](doc)
            if key in seen:
                problems.append(f"{directory / (kind + '.json')} /{index}: duplicate of /{seen[key]} ({key})")
            seen.setdefault(key, index)
    return problems


def _references(directory: Path, data: dict[str, list[dict[str, Any]]]) -> list[str]:
    problems = []
    apps = data.get("applications", [])
    parents = {doc["key"] for doc in apps if doc["kind"] == "parent"}
    contexts = set()
    for index, doc in enumerate(apps):
        if doc["kind"] == "child":
            contexts |= set(doc["organizations"]) | set(doc["contracts"])
            if doc["parent"] not in parents:
                problems.append(f"{directory / 'applications.json'} /{index}/parent:"
                                f" no parent application {doc['parent']}")
    client_ids = [doc["clientId"] for doc in apps]
    for index, client_id in enumerate(client_ids):
        if client_ids.index(client_id) != index:
            problems.append(f"{directory / 'applications.json'} /{index}/clientId: {client_id} is used twice")
    for index, doc in enumerate(data.get("integrations", [])):
        if doc["integrationContext"] not in contexts:
            problems.append(f"{directory / 'integrations.json'} /{index}/integrationContext: no customer owns"
                            f" {doc['integrationContext']}")
    contracts = {doc["contract"] for doc in data.get("contracts", [])}
    members = {"urn:li:person:" + doc["id"] for doc in data.get("members", [])}
    for index, doc in enumerate(data.get("seats", [])):
        if doc["contract"] not in contracts:
            problems.append(f"{directory / 'seats.json'} /{index}/contract: unknown contract {doc['contract']}")
        if doc["member"] not in members:
            problems.append(f"{directory / 'seats.json'} /{index}/member: unknown member {doc['member']}")
    return problems


def _interaction_references(directory: Path, data: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Conversations, stub profiles and prospect notes: contract, seat (on that contract) and member exist;
    InMail senders match their direction; event ids are unique and events in time order; notes are not
    modified before they were created; a stub's conversation exists."""
    problems = []
    contracts = {doc["contract"] for doc in data.get("contracts", [])}
    members = {"urn:li:person:" + doc["id"] for doc in data.get("members", [])}
    seats = {f"urn:li:seat:{doc['id']}": doc["contract"] for doc in data.get("seats", [])}
    threads = {"urn:li:messagingThread:" + doc["id"] for doc in data.get("conversations", [])}

    def check_parties(kind: str, index: int, doc: dict[str, Any], seat_field: str) -> None:
        where = f"{directory / (kind + '.json')} /{index}"
        if doc["contract"] not in contracts:
            problems.append(f"{where}/contract: unknown contract {doc['contract']}")
        if doc[seat_field] not in seats:
            problems.append(f"{where}/{seat_field}: unknown seat {doc[seat_field]}")
        elif seats[doc[seat_field]] != doc["contract"]:
            problems.append(f"{where}/{seat_field}: seat {doc[seat_field]} is on {seats[doc[seat_field]]},"
                            f" not {doc['contract']}")
        if doc["member"] not in members:
            problems.append(f"{where}/member: unknown member {doc['member']}")

    event_ids: dict[str, str] = {}
    for index, doc in enumerate(data.get("conversations", [])):
        check_parties("conversations", index, doc, "seat")
        previous = None
        for number, event in enumerate(doc["events"]):
            where = f"{directory / 'conversations.json'} /{index}/events/{number}"
            expected = doc["seat"] if event["direction"] == "SENT" else doc["member"]
            if event["sender"] != expected:
                problems.append(f"{where}/sender: a {event['direction']} event is sent by {expected}, not"
                                f" {event['sender']}")
            if event["id"] in event_ids:
                problems.append(f"{where}/id: event id {event['id']} is also used at {event_ids[event['id']]}")
            event_ids.setdefault(event["id"], f"/{index}/events/{number}")
            if previous is not None and event["createdAt"] < previous:
                problems.append(f"{where}/createdAt: earlier than the event before it ({previous})")
            previous = event["createdAt"]
    for index, doc in enumerate(data.get("mailStubs", [])):
        check_parties("mailStubs", index, doc, "owner")
        if "conversation" in doc and doc["conversation"] not in threads:
            problems.append(f"{directory / 'mailStubs.json'} /{index}/conversation: unknown conversation"
                            f" {doc['conversation']}")
    for index, doc in enumerate(data.get("prospectNotes", [])):
        check_parties("prospectNotes", index, doc, "owner")
        if doc["lastModified"] < doc["created"]:
            problems.append(f"{directory / 'prospectNotes.json'} /{index}/lastModified: earlier than created"
                            f" ({doc['created']})")
    return problems


def seed_tables(data: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The store seed ``{table: {key: document}}`` for loaded fixtures."""
    seed: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, documents in data.items():
        table, key_of = KINDS[kind]
        rows = seed.setdefault(table.name, {})
        for doc in documents:
            rows[key_of(doc)] = doc
    return seed


def tag_applications(data: dict[str, list[dict[str, Any]]], tag: str) -> dict[str, list[dict[str, Any]]]:
    """Loaded fixtures ``data`` for a sandbox: every application's ``clientId`` and ``clientSecret`` end with the
    sandbox's ``tag`` (:func:`~mock_server.domain.customers.tagged`), so its credentials are its own; the other
    kinds are shared with ``data``, not copied (the store copies what it seeds)."""
    applications = [{**doc, "clientId": tagged(doc["clientId"], tag), "clientSecret": tagged(doc["clientSecret"], tag)}
                    for doc in data.get("applications", [])]
    return {**data, "applications": applications} if "applications" in data else dict(data)

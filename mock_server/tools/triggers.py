"""``rsc-mock trigger …`` and ``rsc-mock listen``: what LinkedIn's side does, from the command line, as thin
clients of a running emulator's ``/_mock`` API (:mod:`mock_server.harness.admin.recruiter` and
:mod:`mock_server.harness.admin.notifications`), in the manner of ``stripe trigger`` / ``stripe listen``.

* :func:`trigger` sends one recruiter action (``export``, ``inmail``, ``reply``, ``note``, ``integration``) and
  returns the emulator's reply; :func:`summary` says in one line what happened.
* :func:`listen` follows the push notifications: one :class:`Event` per new notification, per delivery attempt
  and per end state (delivered, failed, expired), as they happen. It polls ``GET /_mock/notifications`` every
  ``interval`` seconds (a notification can take several attempts over minutes; a long poll of the wait endpoint
  would see only one change at a time).

Every failure raises :class:`TriggerError` with one line for the user: the emulator cannot be reached, or it
refused the action (its status and LinkedIn-style message, which names the field).
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable, Iterator

import httpx

from mock_server.logs import attempt_text
from mock_server.tools.admin_url import admin_url

ACTIONS = {  # trigger name → admin path under /_mock
    "export": "/recruiter/exports",
    "inmail": "/recruiter/inmails",
    "reply": "/recruiter/replies",
    "note": "/recruiter/notes",
    "integration": "/recruiter/integrations",
}
END_STATES = ("delivered", "failed", "expired")


class TriggerError(Exception):
    """An action or a listen that did not happen, with one line saying why."""


def call(url: str, method: str, path: str, body: dict | None = None, timeout: float = 30.0,
         sandbox: str | None = None) -> dict:
    """``method /_mock<path>`` on the emulator at ``url`` with JSON ``body``, in its sandbox ``sandbox``
    (``/_mock/sandboxes/<sandbox><path>``; None: the default world); the JSON reply. :class:`TriggerError`
    when the emulator cannot be reached or answers an error (its message, naming the field)."""
    target = admin_url(url, path, sandbox)
    try:
        reply = httpx.request(method, target, json=body, timeout=timeout)
    except httpx.ConnectError:
        raise TriggerError(f"cannot reach the emulator at {url} (connection refused): start it with"
                           " `rsc-mock serve` or pass --url") from None
    except httpx.TimeoutException:
        raise TriggerError(f"the emulator at {url} did not answer within {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise TriggerError(f"cannot reach the emulator at {url}: {error}") from None
    try:
        answer = reply.json()
    except ValueError:
        raise TriggerError(f"{url} is not an rsc-mock emulator: {method} /_mock{path} answered"
                           f" {reply.status_code} with no JSON") from None
    if reply.is_error:
        message = answer.get("message") if isinstance(answer, dict) else None
        raise TriggerError(f"{method} /_mock{path} answered {reply.status_code}: {message or reply.text}")
    return answer


def trigger(url: str, action: str, body: dict, sandbox: str | None = None) -> dict:
    """Send recruiter action ``action`` (a key of :data:`ACTIONS`) with ``body`` (the admin endpoint's JSON:
    ``None`` values left out) to the emulator at ``url``, in its sandbox ``sandbox`` (None: the default world);
    returns its reply."""
    return call(url, "POST", ACTIONS[action], {name: value for name, value in body.items() if value is not None},
                sandbox=sandbox)


def summary(action: str, reply: dict) -> str:
    """One line saying what ``action`` did, from the emulator's ``reply``."""
    queued = reply.get("notification")
    push = f"; push notification {queued['id']} ({queued['type']}) queued" if queued else ""
    if action == "export":
        done = reply["export"]
        return (f"exported {done['candidate']['person']} to job {done['externalJobPostingId']}"
                f" ({done['jobPosting']}) as {done['exporter']}{push}")
    if action == "inmail":
        return f"InMail sent in conversation {reply['event']['conversation']}"
    if action == "reply":
        stub = reply.get("mailStub")
        shared = f"; contact details shared as mail stub {stub['id']}" if stub else ""
        return f"reply received in conversation {reply['event']['conversation']}{shared}"
    if action == "note":
        note = reply["note"]
        return f"{note['visibility']} prospect note {note['id']} written on {note['member']}"
    changed = ", ".join(f"{item['integrationType']} of {item['integrationContext']}" for item in reply["changed"])
    return f"changed: {changed}{push}" if changed else "nothing changed (already in that state): no push notification"


@dataclasses.dataclass
class Event:
    """Something that happened to a push notification: ``kind`` (``queued``, ``attempt``, ``delivered``,
    ``failed``, ``expired``), the ``notification`` document, the ``attempt`` (for ``attempt``) and ``at`` (epoch
    ms on the emulator's clock)."""

    kind: str
    notification: dict
    at: int
    attempt: dict | None = None

    def text(self) -> str:
        """The event as one line: ``14:05:01 push <id> attempt 1 to <url>: HTTP 200 in 3 ms``."""
        doc = self.notification
        clock = datetime.datetime.fromtimestamp(self.at / 1000, datetime.timezone.utc).strftime("%H:%M:%S")
        if self.kind == "queued":
            what = f"{doc['type']} for {doc['integrationContext']} (application {doc['application']})"
        elif self.kind == "attempt" and self.attempt is not None:
            what = attempt_text(self.attempt)
        else:
            what = self.kind + (f" after {len(doc['attempts'])} attempts" if self.kind == "failed" else "")
        return f"{clock} push {doc['id']} {what}"

    def json(self) -> dict:
        """The event as a JSON object: ``{"event", "notification", "type", "at", "attempt"?}`` (the attempt as
        the emulator records it)."""
        doc = {"event": self.kind, "notification": self.notification["id"], "type": self.notification["type"],
               "at": self.at}
        return {**doc, "attempt": self.attempt} if self.attempt is not None else doc


def changes(seen: dict, notifications: list[dict]) -> Iterator[Event]:
    """The events between what ``seen`` (``{(id, createdAt): (attempts, status)}``, updated in place) holds and
    ``notifications`` (oldest first). Keyed by id and creation time: a reset emulator numbers notifications
    anew."""
    for doc in notifications:
        key = (doc["id"], doc["createdAt"])
        known_attempts, known_status = seen.get(key, (None, None))
        if known_attempts is None:
            yield Event("queued", doc, doc["createdAt"])
            known_attempts = 0
        for attempt in doc["attempts"][known_attempts:]:
            yield Event("attempt", doc, attempt["startedAt"] + attempt["latencyMs"], attempt)
        if doc["status"] in END_STATES and doc["status"] != known_status:
            last = doc["attempts"][-1] if doc["attempts"] else None
            at = {"delivered": doc.get("deliveredAt"), "expired": doc["expiresAt"]}.get(doc["status"]) or (
                last["startedAt"] + last["latencyMs"] if last else doc["createdAt"])
            yield Event(doc["status"], doc, at)
        seen[key] = (len(doc["attempts"]), doc["status"])


def listen(url: str, emit: Callable[[Event], None], interval: float = 0.5, count: int | None = None,
           replay: bool = False, started: Callable[[], None] = lambda: None, sandbox: str | None = None) -> int:
    """Follow the push notifications of the emulator at ``url`` (of its sandbox ``sandbox``; None: the default
    world), calling ``emit`` for each :class:`Event` as it
    happens, until ``count`` notifications reached an end state (forever when None). Notifications that exist
    when it starts are followed from their state then, or from the start with ``replay``. ``started`` is called
    once the emulator answered. Returns how many ended; :class:`TriggerError` when the emulator cannot be reached
    (also later: it stopped)."""
    seen: dict = {}
    first = call(url, "GET", "/notifications", sandbox=sandbox)["notifications"]
    started()
    if not replay:
        list(changes(seen, first))
    ended = 0
    while count is None or ended < count:
        for event in changes(seen, call(url, "GET", "/notifications", sandbox=sandbox)["notifications"]):
            emit(event)
            if event.kind in END_STATES:
                ended += 1
                if count is not None and ended >= count:
                    break
        else:
            time.sleep(interval)
    return ended

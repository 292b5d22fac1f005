"""Every form of the dashboard as the ``/_mock`` call it stands for (:data:`ACTIONS`): a form posted to
``/_mock/ui/actions/<name>`` becomes the JSON body of that admin endpoint, is sent in-process
(:func:`mock_server.dashboard.admin_calls.admin_call`) and the page of its section is shown again with the
:class:`Outcome` — the reply, or LinkedIn's error message beside the field it names.

Form values are text. Empty optional fields are left out; numbers are sent as numbers when they read as
numbers and as the text otherwise, so the emulator, not the page, says what is wrong with them.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from mock_server.dashboard.admin_calls import AdminReply
from mock_server.dashboard.overview import served_quotas
from mock_server.harness.faults import MATCH_CRITERIA

INTEGER = re.compile(r"-?[0-9]+")
LOCAL_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f")
Call = tuple[str, str, "dict | str | None"]


def given(form, name: str) -> str | None:
    """The stripped value of field ``name``, None when absent or empty."""
    value = (form.get(name) or "").strip()
    return value or None


def number(text: str | None):
    """``text`` as an int or a float when it reads as one, else ``text`` unchanged (None stays None)."""
    if text is None:
        return None
    if INTEGER.fullmatch(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


def compact(values: dict) -> dict:
    """``values`` without the None ones."""
    return {name: value for name, value in values.items() if value is not None}


def instant(text: str | None):
    """Epoch ms of ``text``: digits as they are, or a ``datetime-local`` value read as UTC; otherwise the text
    (the emulator refuses it, naming the field)."""
    if text is None or INTEGER.fullmatch(text):
        return number(text)
    for layout in LOCAL_TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, layout).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            continue
        return int(moment.timestamp() * 1000)
    return text


def fields_of(form, names: tuple[str, ...]) -> dict:
    """The non-empty text fields ``names`` of ``form``."""
    return compact({name: given(form, name) for name in names})


def clock_call(form, request) -> Call:
    """``POST /_mock/clock`` (advance, set, freeze, unfreeze) or ``DELETE /_mock/clock`` (real time), by the
    button pressed (``op``)."""
    operation = form.get("op")
    if operation == "realtime":
        return "DELETE", "/clock", None
    if operation == "advance":
        return "POST", "/clock", {"advance": number(given(form, "advance"))}
    if operation == "set":
        return "POST", "/clock", {"set": instant(given(form, "set"))}
    return "POST", "/clock", {"freeze": operation == "freeze"}


def preapprove_call(form, request) -> Call:
    """``POST /_mock/customers/{uniqueForeignId}/preapprove`` (the types ticked, or all)."""
    types = form.getlist("integrationTypes")
    path = f"/customers/{quote(given(form, 'uniqueForeignId') or '', safe='')}/preapprove"
    return "POST", path, {"integrationTypes": types} if types else {}


def integrations_call(form, request) -> Call:
    """``POST /_mock/recruiter/integrations`` for one integration type."""
    enabled = form.get("enabled")
    return "POST", "/recruiter/integrations", {
        **fields_of(form, ("integrationContext", "integrationType")),
        "enabled": {"true": True, "false": False}.get(enabled, enabled)}


def reply_call(form, request) -> Call:
    """``POST /_mock/recruiter/replies``."""
    return "POST", "/recruiter/replies", {**fields_of(form, ("conversation", "body", "response", "phoneNumber")),
                                          "shareContactInfo": form.get("shareContactInfo") == "on"}


def fault_call(form, request) -> Call:
    """``POST /_mock/faults``: the raw JSON rule when one is given, else the rule the fields describe."""
    raw = given(form, "rule")
    if raw is not None:
        return "POST", "/faults", raw
    action = compact({"status": number(given(form, "action.status")), "delay": number(given(form, "action.delay")),
                      "drop": True if form.get("action.drop") == "on" else None})
    body_text = given(form, "action.body")
    if body_text is not None:
        try:
            action["body"] = json.loads(body_text)
        except ValueError:
            action["body"] = body_text
    quota = compact({"after": number(given(form, "action.quota.after")),
                     "retryAfter": number(given(form, "action.quota.retryAfter"))})
    if quota:
        action["quota"] = quota
    rule = compact({"match": compact({name: given(form, f"match.{name}") for name in MATCH_CRITERIA.criteria}),
                    "action": action, "times": number(given(form, "times")),
                    "probability": number(given(form, "probability")), "seed": number(given(form, "seed"))})
    return "POST", "/faults", rule


def quota_field(resource: str) -> str:
    """The form field of a resource's limit: the resource path with ``.`` for ``/`` (as the error pointer
    ``/atsCandidates/notes`` reads)."""
    return resource.replace("/", ".")


def quotas_call(form, request) -> Call:
    """``PUT /_mock/quotas`` with the limits changed on the form (a ticked "restore" sends null)."""
    body: dict[str, Any] = {}
    for resource, limit in served_quotas(request)["limits"].items():
        name = quota_field(resource)
        if form.get(f"restore.{name}") == "on":
            body[resource] = None
            continue
        value = number(given(form, name))
        if value is not None and value != limit["callsPerDay"]:
            body[resource] = value
    return "PUT", "/quotas", body


def static(method: str, path: str) -> Callable:
    """A call that takes nothing from the form."""
    return lambda form, request: (method, path, None)


def post_fields(path: str, names: tuple[str, ...]) -> Callable:
    """``POST /_mock<path>`` with the non-empty text fields ``names``."""
    return lambda form, request: ("POST", path, fields_of(form, names))


def by_id(method: str, template: str) -> Callable:
    """A call on ``template`` with the form's ``id`` (URL-quoted) in it."""
    return lambda form, request: (method, template.format(quote(given(form, "id") or "", safe="")), None)


@dataclasses.dataclass(frozen=True)
class Action:
    """One form: its ``section`` (the page shown with the outcome), the visible ``fields`` an error is shown
    beside (None: any; an error naming another field, e.g. a hidden one, is shown for the form), the ``call``
    it makes (``(form, request) -> (method, path, body)``, ``request`` the dashboard's) and what a success
    ``says``."""

    section: str
    fields: tuple[str, ...] | None
    call: Callable
    says: str


EXPORT_FIELDS = ("seat", "member", "externalJobPostingId", "integrationContext")
INMAIL_FIELDS = ("seat", "member", "subject", "body")
NOTE_FIELDS = ("seat", "member", "note", "visibility")
FAULT_FIELDS = ("rule", *(f"match.{name}" for name in MATCH_CRITERIA.criteria), "action", "action.status",
                "action.body", "action.delay", "action.drop", "action.quota", "action.quota.after",
                "action.quota.retryAfter", "times", "probability", "seed")

ACTIONS: dict[str, Action] = {
    "clock": Action("overview", ("advance", "set", "freeze"), clock_call, "The clock moved."),
    "reset": Action("overview", (), static("POST", "/reset"), "Back to the fixtures."),
    "preapprove": Action("overview", ("uniqueForeignId", "integrationTypes"), preapprove_call,
                         "Integrations pre-approved."),
    "integrations": Action("console", (), integrations_call,
                           "Integration state saved."),
    "export": Action("console", EXPORT_FIELDS, post_fields("/recruiter/exports", EXPORT_FIELDS),
                     "Member exported; the push notification is in the outbox."),
    "inmail": Action("console", INMAIL_FIELDS, post_fields("/recruiter/inmails", INMAIL_FIELDS), "InMail sent."),
    "reply": Action("console", ("conversation", "body", "response", "shareContactInfo", "phoneNumber"), reply_call,
                    "The member replied."),
    "note": Action("console", NOTE_FIELDS, post_fields("/recruiter/notes", NOTE_FIELDS), "Prospect note written."),
    "note-delete": Action("console", (), by_id("DELETE", "/recruiter/notes/{}"), "Prospect note deleted."),
    "redeliver": Action("notification", (), by_id("POST", "/notifications/{}/redeliver"), "Redelivery started."),
    "fault-add": Action("faults", FAULT_FIELDS, fault_call, "Fault rule added."),
    "fault-delete": Action("faults", (), by_id("DELETE", "/faults/{}"), "Fault rule removed."),
    "fault-clear": Action("faults", (), static("DELETE", "/faults"), "Every fault rule removed."),
    "quotas": Action("faults", None, quotas_call, "Quotas saved."),
}


@dataclasses.dataclass
class Outcome:
    """What an action did: the ``action`` name, the admin ``reply`` and the submitted ``values`` (to refill
    the form)."""

    action: str
    reply: AdminReply
    values: dict

    @property
    def says(self) -> str:
        """The success sentence, or the emulator's message."""
        return ACTIONS[self.action].says if self.reply.ok else self.reply.message

    def errors(self, form: str) -> dict[str, str]:
        """``{field: message}`` for form ``form`` when this outcome is its refusal (``""``: the form as a
        whole, when the message names no field of it)."""
        if self.action != form or self.reply.ok:
            return {}
        field = self.reply.field
        known = ACTIONS[self.action].fields
        return {field if field and (known is None or field in known) else "": self.reply.message}

    def value(self, form: str, name: str, default: str = "") -> str:
        """The value submitted in field ``name`` when this outcome is form ``form``'s refusal (to refill it)."""
        if self.action == form and not self.reply.ok:
            return self.values.get(name, default)
        return default

"""Push notifications as the dashboard shows them: the outbox (filters of ``GET /_mock/notifications``) and one
notification with its attempts, the exact bytes POSTed, the ``X-LI-Signature`` they carry and a check of a
signature a partner computed (:mod:`mock_server.domain.recruiter.notifications`).
"""

from __future__ import annotations

import hmac

from mock_server.domain.recruiter.notifications import notification_body, signature
from mock_server.harness.admin.notifications import NOTIFICATION_CRITERIA, selecting

FILTERS = ("type", "status", "application", "integrationContext")
SHOWN = 100


def read_filters(params) -> tuple[dict, dict]:
    """``(filters as given, checked criteria)`` from query parameters (only :data:`FILTERS`, empty ones
    dropped; checked as :data:`~mock_server.harness.admin.notifications.NOTIFICATION_CRITERIA`); raises the
    admin API's ``RestliError`` 400 naming a bad one."""
    given = {name: params.get(name, "").strip() for name in FILTERS if params.get(name, "").strip()}
    return given, NOTIFICATION_CRITERIA.subset(*FILTERS).parse(given, "")


def notifications(world, criteria: dict, limit: int = SHOWN) -> list[dict]:
    """The newest ``limit`` notifications meeting ``criteria`` (as :func:`read_filters` checks them), newest
    first, each with ``lastAttempt``."""
    found = world.outbox.find(**selecting(criteria))[::-1][:limit]
    return [{**doc, "lastAttempt": doc["attempts"][-1] if doc.get("attempts") else None} for doc in found]


def signed(world, doc: dict, offered: str = "") -> dict:
    """How notification ``doc`` is signed: ``{"body": the POSTed text, "signature": hex HMAC-SHA256 the
    emulator sends (None when the customer application is gone), "offered": ``offered``, "valid": whether
    ``offered`` (hex, any case) is that signature, None when nothing was offered}``."""
    application = world.customers.by_key(doc["application"])
    body = notification_body(doc)
    expected = signature(application["clientSecret"], body) if application else None
    offered = offered.strip()
    valid = None if not offered else bool(expected and hmac.compare_digest(offered.lower(), expected))
    return {"body": body.decode("ascii"), "signature": expected, "offered": offered, "valid": valid}

"""Logging: one line per request on the ``rsc_mock.access`` logger and one per push-notification delivery
attempt on ``rsc_mock.notifications``, as text or as JSON lines.

Text: ``2024-05-01 12:00:00,000 INFO rsc_mock.access: POST /v2/atsCandidates 200 3.1ms
id=<request id> app=<application key or ->`` (then `` sandbox=<id>`` for a sandbox's request) and
`` advisories=<code>,…`` when the request has advisories (:mod:`mock_server.advisories`). JSON lines
(``--log-json`` / ``RSC_MOCK_LOG_JSON``): ``{"time", "level", "logger", "message", "method", "path", "status",
"ms", "requestId", "application", "sandbox"?, "advisories"?}``. The request id is the journal entry's ``id`` and
the reply's ``X-Request-Id``. Delivery attempts: see :func:`log_delivery`.
"""

from __future__ import annotations

import datetime
import json
import logging
import sys

ACCESS = logging.getLogger("rsc_mock.access")
NOTIFICATIONS = logging.getLogger("rsc_mock.notifications")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_request(entry: dict, sandbox: str | None = None) -> None:
    """Log a journal entry (see :mod:`mock_server.harness.journal`) as one line at INFO; ``sandbox``: the id of
    the sandbox that served it, when not the default world (`` sandbox=<id>`` in text, ``"sandbox"`` in JSON)."""
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    fields = {"method": entry["method"], "path": entry["path"], "status": entry["status"],
              "ms": entry["latencyMs"], "requestId": entry["id"], "application": entry["application"]}
    if sandbox is not None:
        fields["sandbox"] = sandbox
    advisories = entry.get("advisories")
    if advisories:
        fields["advisories"] = advisories
    ACCESS.info("%s %s %s %.1fms id=%s app=%s%s%s", fields["method"], fields["path"],
                fields["status"] if fields["status"] is not None else "dropped", fields["ms"],
                fields["requestId"], fields["application"] or "-", f" sandbox={sandbox}" if sandbox else "",
                f" advisories={','.join(item['code'] for item in advisories)}" if advisories else "",
                extra={"fields": fields})


def log_delivery(notification: dict, now_ms: int) -> None:
    """Log the attempt just recorded on push notification ``notification`` (the outbox document,
    :mod:`mock_server.domain.recruiter.notifications`) and what follows it, at INFO when delivered, else WARNING:

    ``push 6579847484946268160 EXPORT_CANDIDATE_PROFILE attempt 2 to http://ats/cb: HTTP 500 in 4 ms; next
    attempt in 2 s`` (seconds on the emulator's clock), ``...: HTTP 200 in 3 ms; delivered``, ``...; failed
    after 7 attempts``. A refused connection or timeout shows its error instead of ``HTTP <status>``. JSON
    lines add ``notification``, ``type``, ``attempt``, ``round``, ``url``, ``status`` or ``error``, ``latencyMs``,
    ``outcome`` (``delivered`` / ``retrying`` / ``failed``) and ``nextAttemptAt`` (epoch ms or null)."""
    attempt = notification["attempts"][-1]
    outcome = {"delivered": "delivered", "failed": "failed"}.get(notification["status"], "retrying")
    fields = {"notification": notification["id"], "type": notification["type"], "attempt": attempt["attempt"],
              "round": attempt["round"], "url": attempt["url"], "latencyMs": attempt["latencyMs"],
              **{name: attempt[name] for name in ("status", "error") if name in attempt},
              "outcome": outcome, "nextAttemptAt": notification.get("nextAttemptAt")}
    wait_s = max(0, (notification.get("nextAttemptAt") or now_ms) - now_ms) / 1000
    follows = {"delivered": "delivered", "failed": f"failed after {len(notification['attempts'])} attempts",
               "retrying": f"next attempt in {wait_s:g} s"}
    NOTIFICATIONS.log(logging.INFO if outcome == "delivered" else logging.WARNING, "push %s %s %s; %s",
                      notification["id"], notification["type"], attempt_text(attempt), follows[outcome],
                      extra={"fields": fields})


def attempt_text(attempt: dict) -> str:
    """One delivery attempt of a push notification's log: ``attempt 2 to http://ats/cb: HTTP 500 in 4 ms``, the
    error in place of ``HTTP <status>`` when the receiver did not answer."""
    answer = f"HTTP {attempt['status']}" if "status" in attempt else attempt.get("error", "no answer")
    url = attempt["url"] or "(no CALLBACK_URL)"
    return f"attempt {attempt['attempt']} to {url}: {answer} in {attempt['latencyMs']} ms"


class JsonFormatter(logging.Formatter):
    """A record as one JSON object; a request or delivery line adds its fields (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line of ``record``."""
        doc = {"time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        doc.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure_logging(level: str = "info", json_lines: bool = False) -> None:
    """Send every log record at ``level`` or above (``debug`` … ``critical``) to stderr, as text or JSON
    lines. Replaces the root logger's handlers (uvicorn's loggers propagate to it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # every outgoing request is logged by log_delivery with its notification id; the HTTP client's own line
    # (without it) only repeats it
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))

"""Logging: one line per request on the ``rsc_mock.access`` logger, as text or as JSON lines.

Text: ``2024-05-01 12:00:00,000 INFO rsc_mock.access: POST /v2/atsCandidates 200 3.1ms
id=<request id> app=<application key or ->`` (then `` sandbox=<id>`` for a sandbox's request). JSON lines
(``--log-json`` / ``RSC_MOCK_LOG_JSON``): ``{"time", "level", "logger", "message", "method", "path", "status",
"ms", "requestId", "application", "sandbox"?}``. The request id
is the journal entry's ``id`` and the reply's ``X-Request-Id``.
"""

from __future__ import annotations

import datetime
import json
import logging
import sys

ACCESS = logging.getLogger("rsc_mock.access")
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
    ACCESS.info("%s %s %s %.1fms id=%s app=%s%s", fields["method"], fields["path"],
                fields["status"] if fields["status"] is not None else "dropped", fields["ms"],
                fields["requestId"], fields["application"] or "-", f" sandbox={sandbox}" if sandbox else "",
                extra={"request": fields})


class JsonFormatter(logging.Formatter):
    """A record as one JSON object; a request line adds its fields (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line of ``record``."""
        doc = {"time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        doc.update(getattr(record, "request", None) or {})
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

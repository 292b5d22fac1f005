"""Rendering of the dashboard's pages: one Jinja2 environment (autoescape on for every template, so names, notes
and journal bodies are text, never markup), the filters the templates use, and the security headers every
dashboard response carries (a strict Content-Security-Policy: scripts and styles from the dashboard's own
static files only, no inline script, no eval).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

PREFIX = "/_mock/ui"
HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                           " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
SECTIONS = (("overview", "Overview", "/"), ("data", "Data", "/data"), ("console", "Recruiter console", "/console"),
            ("journal", "Request journal", "/journal"), ("outbox", "Push notifications", "/outbox"),
            ("faults", "Faults and quotas", "/faults"), ("certification", "Certification", "/certification"))


def epoch_ms(value) -> str:
    """An epoch-ms instant as ``YYYY-MM-DD HH:MM:SS.mmm UTC`` (empty for None; the value itself when it is
    not a number)."""
    if value is None:
        return ""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    try:
        moment = datetime.datetime.fromtimestamp(value / 1000, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return str(value)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d} UTC"


def pretty_json(value) -> str:
    """``value`` as indented JSON text (escaped by the template like any other text)."""
    return json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False)


def query_string(params: dict) -> str:
    """``a=1&b=2`` of the non-empty ``params`` (for links that keep filters)."""
    return urlencode({name: value for name, value in params.items() if value not in (None, "")})


def environment() -> jinja2.Environment:
    """The dashboard's Jinja2 environment: templates from ``templates/``, autoescape always on."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(ms=epoch_ms, pretty=pretty_json, qs=query_string)
    env.globals.update(ui=PREFIX, sections=SECTIONS)
    return env


TEMPLATING = Jinja2Templates(env=environment())


def page(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    """The full page ``template`` rendered with ``context`` (plus ``request``), with status ``status``."""
    return TEMPLATING.TemplateResponse(request, template, context, status_code=status)


def fragment(template: str, **context) -> str:
    """``template`` rendered to text (an HTML fragment for a live update)."""
    return TEMPLATING.env.get_template(template).render(**context)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response of the app it wraps (the
    dashboard's mount)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            """``send`` with the headers added to the response start."""
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
                         if name.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)

"""LinkedIn's 3-legged OAuth (authorization code flow), which RSC uses only to learn a member's person id.

=============================================  ===================================================================
``GET  /oauth/v2/authorization``               ``response_type=code&client_id&redirect_uri&scope&state``: a consent
                                               page listing the fixture members to sign in as (``q`` searches
                                               them, ``start`` pages by 50), with Allow / Cancel
``POST /oauth/v2/authorization``               the page's form: Allow → 302 ``redirect_uri?code=…&state=…``;
                                               Cancel → 302 ``redirect_uri?error=user_cancelled_authorize&…``
``GET  /_mock/oauth/callback``                 a redirect target for people trying the flow by hand: shows what
                                               the redirect carried (the demo application lists this URL)
``grant_type=authorization_code``              ``code``, ``redirect_uri`` (the one of the authorization request),
                                               client credentials → access token (60 days) + refresh token
``grant_type=refresh_token``                   ``refresh_token``, client credentials → a new access token; the
                                               refresh token keeps its expiry (365 days from the first grant)
=============================================  ===================================================================

An unknown ``client_id`` (``Client_id doesn't match``), a ``redirect_uri`` that is not exactly one of the
application's ``oauth2AuthorizedCallbackUrls`` (``Redirect_uri doesn't match``) or a scope LinkedIn does not
have (``Invalid scope``) gets a 401 error page and no redirect, as the authorization-code-flow error table
lists them; a parameter given twice, in the page's query or its form, a 400 error page (RFC 6749 §3.1). Once
the redirect URI is trusted, other problems go back to it as ``error``/``error_description``
(``unsupported_response_type``, ``invalid_request``). Codes live 30 minutes on the emulator's clock and work
once. Token endpoint errors are the page's: an unknown code → 401 ``invalid_request`` "Unable to retrieve
access token: authorization code not found"; a code of another client, a used or expired code, or another
``redirect_uri`` → 400 ``invalid_redirect_uri`` "Unable to retrieve access token: appid/redirect uri/code
verifier does not match authorization code. Or authorization code expired. …"; a bad, expired or revoked
refresh token → 400 ``invalid_request`` "The provided authorization grant or refresh token is invalid,
expired or revoked". A member who closed the LinkedIn account (``POST /_mock/recruiter/members/{member}/close``)
is not listed and cannot sign in (Allow → 400 consent page naming the member); closing revokes the member's
tokens (API calls → 401 65602, refresh → the refresh error) and withdraws unused codes (exchange → the
unknown-code 401) [INFERRED: LinkedIn documents no closed-account case for OAuth].
LinkedIn: https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow and
https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from mock_server.api.http import world
from mock_server.api.oauth.forms import (
    OAuthError,
    client_application,
    read_form,
    require,
    single_valued,
)
from mock_server.domain.member_search import matches, search_words
from mock_server.domain.tokens import REFRESH_TTL_S, CodeRefused, Token
from mock_server.restli.errors import shown

SCOPES = ("r_liteprofile", "r_basicprofile", "r_emailaddress", "w_member_social", "openid", "profile", "email")
PARAMETERS = ("response_type", "client_id", "redirect_uri", "scope", "state")
CONSENT_PAGE_SIZE = 50
CALLBACK_PATH = "/_mock/oauth/callback"  # the emulator's own redirect target, for people trying the flow by hand


CODE_NOT_FOUND = "Unable to retrieve access token: authorization code not found"
CODE_MISMATCH = ("Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization"
                 " code. Or authorization code expired. Or external member binding exists")
BAD_REFRESH = "The provided authorization grant or refresh token is invalid, expired or revoked"


class ConsentError(Exception):
    """A problem shown on an error page (no redirect): ``message`` and HTTP ``status``."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message, self.status = message, status


class Redirect(Exception):
    """A problem reported to the (trusted) redirect URI as ``error`` / ``error_description``."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


def scopes_of(text: str) -> list[str]:
    """Requested scopes (space- or comma-separated, as clients send them), duplicates dropped."""
    return list(dict.fromkeys(part for part in re.split(r"[\s,]+", text) if part))


def redirect_to(uri: str, params: dict[str, str]) -> RedirectResponse:
    """302 to ``uri`` with ``params`` added to its query (``state`` left out when empty)."""
    params = {name: value for name, value in params.items() if value or name != "state"}
    return RedirectResponse(uri + ("&" if "?" in uri else "?") + urlencode(params), status_code=302)


def check_request(world, params: dict[str, str]) -> tuple[dict, list[str]]:
    """The application and scopes of an authorization request. :class:`ConsentError` for an unknown client
    or an unregistered redirect URI; :class:`Redirect` for the other problems."""
    client_id = params.get("client_id", "")
    application = world.customers.by_client_id(client_id)
    if application is None:
        raise ConsentError(f"Client_id doesn't match: the passed in client_id is invalid \"{client_id}\"")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri:
        raise ConsentError("Redirect_uri doesn't match: the redirect_uri parameter is missing; it must be one of the"
                           " application's authorized redirect URLs (oauth2AuthorizedCallbackUrls)")
    if redirect_uri not in application.get("oauth2AuthorizedCallbackUrls", []):
        raise ConsentError(f"Redirect_uri doesn't match: {shown(redirect_uri)} is not one of the application's"
                           " authorized redirect URLs (oauth2AuthorizedCallbackUrls)")
    scopes = scopes_of(params.get("scope", ""))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ConsentError(f"Invalid scope: \"{unknown[0]}\" is not a permission LinkedIn knows"
                           f" (known: {', '.join(SCOPES)})")
    if params.get("response_type") != "code":
        raise Redirect("unsupported_response_type", "The response_type must be \"code\"")
    if not scopes:
        raise Redirect("invalid_request", "A required parameter \"scope\" is missing")
    return application, scopes


def member_page(world, query: str, start: int) -> tuple[list[dict], int]:
    """``(members on the page, members found)``: the fixture members matching ``query``
    (:mod:`mock_server.domain.member_search`; all for a blank one) sorted by last name, first name and id,
    ``CONSENT_PAGE_SIZE`` of them from ``start``."""
    words = search_words(query)
    found = sorted((doc for _, doc in world.interactions.members.items() if matches(doc, words)),
                   key=lambda doc: (doc["lastName"], doc["firstName"], doc["id"]))
    return found[start:start + CONSENT_PAGE_SIZE], len(found)


def page_start(value: str | None) -> int:
    """The ``start`` of a consent page link (0 when absent or not a non-negative number)."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def consent_page(application: dict, params: dict[str, str], scopes: list[str], members: list[dict], found: int,
                 problem: str = "") -> HTMLResponse:
    """The sign-in and consent page: a member search (``q``, server-side), one radio button per member of the
    page (``start``, ``CONSENT_PAGE_SIZE`` a page) with links to the previous and next pages, Allow and Cancel."""
    esc = html.escape
    oauth = {name: params.get(name, "") for name in PARAMETERS}
    query, start = params.get("q", ""), page_start(params.get("start"))
    hidden = "".join(f'<input type="hidden" name="{name}" value="{esc(value)}">' for name, value in oauth.items())
    rows = "".join(
        f'<li><label><input type="radio" name="member" value="urn:li:person:{esc(doc["id"])}">'
        f' {esc(doc["firstName"])} {esc(doc["lastName"])} <small>{esc(doc.get("headline", ""))}'
        f' · urn:li:person:{esc(doc["id"])}</small></label></li>'
        for doc in members) or '<li class="none">No member matches the search.</li>'

    def link(text: str, at: int) -> str:
        target = urlencode({**oauth, "q": query, "start": at})
        return f'<a href="/oauth/v2/authorization?{esc(target)}" id="{text.lower()}-page">{text}</a>'

    shown = f"{start + 1}–{start + len(members)} of {found}" if members else f"0 of {found}"
    pager = " ".join(filter(None, [link("Previous", max(0, start - CONSENT_PAGE_SIZE)) if start > 0 else "",
                                   f'<span id="shown">Members {shown}</span>',
                                   link("Next", start + CONSENT_PAGE_SIZE) if start + len(members) < found else ""]))
    notice = f'<p class="problem">{esc(problem)}</p>' if problem else ""
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with LinkedIn (rsc-mock)</title>
<style>body{{font-family:sans-serif;max-width:46rem;margin:2rem auto}}ul{{list-style:none;padding:0;
max-height:24rem;overflow:auto;border:1px solid #ccc}}li{{padding:.3rem .6rem}}.problem{{color:#b00}}
small{{color:#666}}</style></head>
<body><h1>Sign in with LinkedIn</h1>
<p><strong>{esc(application["name"])}</strong> would like to access: {esc(", ".join(scopes))}.</p>{notice}
<form method="get" action="/oauth/v2/authorization" role="search">{hidden}
<input type="search" name="q" id="q" value="{esc(query)}" aria-label="Search members"
 placeholder="Search members by name, headline, company or email"> <button type="submit">Search</button></form>
<form method="post" action="/oauth/v2/authorization">{hidden}
<input type="hidden" name="q" value="{esc(query)}"><input type="hidden" name="start" value="{start}">
<p>Sign in as (the emulator's LinkedIn members):</p><ul>{rows}</ul>
<p class="pager">{pager}</p>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form></body></html>"""
    return HTMLResponse(body, status_code=400 if problem else 200)


def error_page(error: ConsentError) -> HTMLResponse:
    """An error page (no redirect)."""
    return HTMLResponse("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>LinkedIn: something"
                        f" went wrong</title></head><body><h1>Something went wrong</h1><p>{html.escape(error.message)}"
                        "</p></body></html>", status_code=error.status)


async def authorization(request: Request) -> Response:
    """``GET`` shows the consent page; ``POST`` (its form) redirects with a code or the refusal."""
    served = world(request)
    try:
        params = (single_valued(parse_qsl(request.url.query, keep_blank_values=True)) if request.method == "GET"
                  else await read_form(request))
    except OAuthError as error:
        return error_page(ConsentError(error.description, error.status))
    try:
        application, scopes = check_request(served, params)
    except ConsentError as error:
        return error_page(error)
    except Redirect as error:
        return redirect_to(params["redirect_uri"], {"error": error.error, "error_description": error.description,
                                                    "state": params.get("state", "")})
    members, found = member_page(served, params.get("q", ""), page_start(params.get("start")))
    if request.method == "GET":
        return consent_page(application, params, scopes, members, found)
    if params.get("decision") == "cancel":
        return redirect_to(params["redirect_uri"], {"error": "user_cancelled_authorize",
                                                    "error_description": "The user cancelled the authorization",
                                                    "state": params.get("state", "")})
    member = params.get("member", "")
    if params.get("decision") == "allow" and served.interactions.closed(member):
        return consent_page(application, params, scopes, members, found, f"{member} closed the LinkedIn account and"
                            " cannot sign in; choose another member.")
    if params.get("decision") != "allow" or served.interactions.member(member) is None:
        return consent_page(application, params, scopes, members, found, "Choose a member to sign in as, then Allow.")
    code = served.codes.issue(application, member, params["redirect_uri"], ",".join(scopes), served.clock.now_ms())
    return redirect_to(params["redirect_uri"], {"code": code, "state": params.get("state", "")})


async def callback(request: Request) -> Response:
    """``GET /_mock/oauth/callback``: the query of the redirect (``code``/``state`` or ``error``...)."""
    return JSONResponse(dict(request.query_params))


def token_reply(access: Token, refresh: Token, now_ms: int) -> dict:
    """``{"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"}`` (seconds)."""
    return {"access_token": access.value, "expires_in": (access.expires_at - access.created_at) // 1000,
            "refresh_token": refresh.value, "refresh_token_expires_in": max(0, (refresh.expires_at - now_ms) // 1000),
            "scope": access.scope or ""}


def authorization_code(world, form: dict[str, str]) -> dict:
    """Exchange a code from the consent page for an access token (60 days) and a refresh token (365 days)."""
    application = client_application(world, form)
    code, redirect_uri = require(form, "code"), require(form, "redirect_uri")
    now = world.clock.now_ms()
    secret = form["client_secret"]
    with world.store.transaction():
        try:
            doc = world.codes.redeem(code, application["clientId"], redirect_uri, now)
        except CodeRefused as refused:
            if not refused.found:
                raise OAuthError("invalid_request", CODE_NOT_FOUND, 401) from None
            raise OAuthError("invalid_redirect_uri", CODE_MISMATCH) from None
        issue = world.tokens.issue
        access = issue(application["clientId"], application["key"], "3L", member=doc["member"], scope=doc["scope"],
                       granted_at=now, secret=secret)
        refresh = issue(application["clientId"], application["key"], "3L", member=doc["member"], scope=doc["scope"],
                        ttl_s=REFRESH_TTL_S, kind="refresh", granted_at=now, secret=secret)
    return token_reply(access, refresh, now)


def refresh_token(world, form: dict[str, str]) -> dict:
    """A new 60-day access token from a live refresh token, which keeps its original expiry."""
    application = client_application(world, form)
    refresh = world.tokens.find(require(form, "refresh_token"))
    if (refresh is None or refresh.kind != "refresh" or refresh.client_id != application["clientId"]
            or world.tokens.status(refresh) != "active"):
        raise OAuthError("invalid_request", BAD_REFRESH)
    access = world.tokens.issue(application["clientId"], application["key"], "3L", member=refresh.member,
                                scope=refresh.scope, granted_at=refresh.granted_at, secret=form["client_secret"])
    return token_reply(access, refresh, world.clock.now_ms())


ROUTES = [
    Route("/oauth/v2/authorization", authorization, methods=["GET", "POST"]),
    Route(CALLBACK_PATH, callback, methods=["GET"]),
]

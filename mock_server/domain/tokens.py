"""The token registry: opaque bearer tokens tied to an application, optionally a member, with an expiry on
the emulator's clock; and the single-use authorization codes of the 3-legged flow that are exchanged for them.

Table ``tokens``: ``"<token value>" -> Token.to_dict()``, indexed by application. Table ``authorizationCodes``:
``"<code>" -> {"clientId", "application", "member", "redirectUri", "scope", "createdAt", "expiresAt" (epoch
ms), "used": bool}``.

A token remembers a fingerprint of the client secret it was minted with (``secret``, :func:`secret_fingerprint`);
:meth:`TokenRegistry.revoke_stale` revokes every token whose application is gone or no longer has that secret
— the one revocation every path that changes or removes a secret uses (a snapshot import, a reset to the
fixtures, a secret deleted through application-secret management). Tokens (revoked ones too) and codes are
forgotten :data:`RETENTION_MS` (an hour) after they expire (:meth:`TokenRegistry.prune`,
:meth:`AuthorizationCodes.prune`, run by :mod:`mock_server.domain.retention`; the emulator's decision, LinkedIn
documents no retention): until then a call with an expired or revoked token gets LinkedIn's "expired" /
"revoked" 401, after it the "invalid" one.

LinkedIn: 2-legged tokens last 1800 s (https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow);
3-legged access tokens 60 days and refresh tokens 365 days from the first grant
(https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens); authorization
codes 30 minutes, once (https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow).
Access and refresh tokens are about 500 characters long ("plan for at least 1000", authorization-code-flow):
the emulator's are exactly :data:`TOKEN_LENGTH`.

A registry made with a ``tag`` (a sandbox's id, :mod:`mock_server.harness.sandboxes`) writes it right after the
three-letter prefix of every token it mints, so a token names the sandbox it belongs to (:func:`tag_of`); the
default world's registry has no tag.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Callable, Collection
from typing import Any

from tinydb import Query

from mock_server.domain.clock import Clock
from mock_server.restli.errors import RestliError
from mock_server.store import Store
from mock_server.store.spec import TableSpec

TWO_LEGGED_TTL_S = 1800
THREE_LEGGED_TTL_S = 60 * 24 * 3600
REFRESH_TTL_S = 365 * 24 * 3600
CODE_TTL_MS = 30 * 60 * 1000
RETENTION_MS = 3600 * 1000
TOKENS = TableSpec("tokens", ("application",))
CODES = TableSpec("authorizationCodes")
TABLES = (TOKENS, CODES)
TOKEN_LENGTH = 500
PREFIX_LENGTH = 3  # AQV (2-legged access), AQU (3-legged access), AQW (refresh)


def tag_of(value: str, length: int) -> str:
    """The ``length`` characters where a tagged :class:`TokenRegistry` wrote its tag in token ``value`` (for an
    untagged token: as many random characters, which name no sandbox)."""
    return value[PREFIX_LENGTH:PREFIX_LENGTH + length]


def secret_fingerprint(secret: str) -> str:
    """The short SHA-256 fingerprint a token keeps of the client secret it was minted with (16 hex digits)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


@dataclasses.dataclass
class Token:
    """One issued token. Times are epoch milliseconds. ``auth_type`` is ``2L`` or ``3L``; ``member`` a
    ``urn:li:person:`` URN for member tokens; ``kind`` ``access`` or ``refresh``."""

    value: str
    client_id: str
    application: str
    auth_type: str
    created_at: int
    expires_at: int
    member: str | None = None
    scope: str | None = None
    kind: str = "access"
    revoked: bool = False
    # For refresh tokens and the access tokens they mint: when the member first granted (epoch ms).
    granted_at: int | None = None
    # secret_fingerprint() of the client secret the token was minted with (None: minted before fingerprints).
    secret: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (snapshots)."""
        return dataclasses.asdict(self)


class TokenRegistry:
    """Issues and checks tokens, kept in the store's ``tokens`` table (so a data dir keeps them across
    restarts). ``issue(...)`` returns a :class:`Token`; ``authenticate(header)`` returns the live access token
    behind an ``Authorization`` header or raises the LinkedIn 401 for it. ``tag``: written into every token
    minted (see the module docstring)."""

    def __init__(self, clock: Clock, store: Store, tag: str = "") -> None:
        self.clock = clock
        self.table = TOKENS.of(store)
        self.tag = tag

    def issue(self, client_id: str, application: str, auth_type: str = "2L", member: str | None = None,
              scope: str | None = None, ttl_s: int | None = None, kind: str = "access",
              granted_at: int | None = None, secret: str | None = None) -> Token:
        """Mint a token of :data:`TOKEN_LENGTH` characters. ``ttl_s`` defaults to 1800 s for 2L and 60 days for
        3L access tokens; ``secret`` is the client secret it was minted with (kept as a fingerprint; None: the
        token is checked against its application only)."""
        now = self.clock.now_ms()
        if ttl_s is None:
            ttl_s = TWO_LEGGED_TTL_S if auth_type == "2L" else THREE_LEGGED_TTL_S
        prefix = {"2L": "AQV", "3L": "AQU"}.get(auth_type, "AQX") if kind == "access" else "AQW"
        value = prefix + self.tag + secrets.token_urlsafe(TOKEN_LENGTH)[:TOKEN_LENGTH - len(prefix) - len(self.tag)]
        token = Token(value=value, client_id=client_id, application=application,
                      auth_type=auth_type, created_at=now, expires_at=now + ttl_s * 1000, member=member,
                      scope=scope, kind=kind, granted_at=granted_at,
                      secret=secret_fingerprint(secret) if secret is not None else None)
        self.table.put(token.value, token.to_dict())
        return token

    def find(self, value: str) -> Token | None:
        """The token with this value, live or not."""
        doc = self.table.get(value)
        return Token(**doc) if doc else None

    def exists(self, value: str) -> bool:
        """Whether a token with this value was issued here, live or not (:meth:`find` without reading it)."""
        return value in self.table

    def status(self, token: Token) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if token.revoked:
            return "revoked"
        return "expired" if self.clock.now_ms() >= token.expires_at else "active"

    def authenticate(self, header: str | None) -> Token:
        """The live access token of an ``Authorization: Bearer <token>`` header.

        Raises :class:`RestliError` 401: ``Empty oauth2_access_token`` (401) when missing,
        ``Unknown authentication schema`` (401) when not Bearer, ``Invalid access token`` (65600),
        ``The token used in the request has expired`` (65601), revoked (65602).
        """
        if header is None or not header.strip():
            raise RestliError(401, "Empty oauth2_access_token", 401)
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise RestliError(401, "Unknown authentication schema", 401)
        value = value.strip()
        if not value:
            raise RestliError(401, "Empty oauth2_access_token", 401)
        token = self.find(value)
        if token is None or token.kind != "access":
            raise RestliError(401, "Invalid access token", 65600)
        state = self.status(token)
        if state == "revoked":
            raise RestliError(401, "The token used in the request has been revoked by the user", 65602)
        if state == "expired":
            raise RestliError(401, "The token used in the request has expired", 65601)
        return token

    def revoke(self, value: str) -> Token | None:
        """Revoke the token ``value`` (what a member does when they remove an application's access): API calls
        with it get 401 65602 from then on. Returns the revoked token, or None when there is no such token."""
        token = self.find(value)
        if token is not None:
            token.revoked = True
            self.table.put(value, token.to_dict())
        return token

    def revoke_member(self, member: str) -> int:
        """Revoke every live token (access and refresh) of ``member`` (``urn:li:person:<id>``), as when the member
        closes the LinkedIn account: calls with them get 401 65602 and a refresh is refused from then on.
        Returns how many were revoked."""
        live = [(value, doc) for value, doc in self.table.items()
                if doc.get("member") == member and not doc.get("revoked")]
        for value, doc in live:
            self.table.put(value, {**doc, "revoked": True})
        return len(live)

    def revoke_stale(self, secrets_of: Callable[[str], Collection[str] | None],
                     application: str | None = None) -> int:
        """Revoke every live token (of ``application`` only, when given) whose application is gone
        (``secrets_of(application key)`` is None) or no longer has the client secret the token was minted with
        (``secrets_of`` returns the secrets it accepts now: changed by an import or a reset, deleted).
        Returns how many were revoked. A token without a fingerprint is checked against its application only."""
        rows = self.table.find(application=application) if application is not None else self.table.items()
        current: dict[str, set[str] | None] = {}
        stale = []
        for value, doc in rows:
            key = doc["application"]
            if key not in current:
                accepted = secrets_of(key)
                current[key] = None if accepted is None else {secret_fingerprint(secret) for secret in accepted}
            fingerprints = current[key]
            if not doc.get("revoked") and (fingerprints is None or doc.get("secret") not in (None, *fingerprints)):
                stale.append((value, doc))
        for value, doc in stale:
            self.table.put(value, {**doc, "revoked": True})
        return len(stale)

    def prune(self, now_ms: int) -> int:
        """Forget every token, revoked or not, that expired :data:`RETENTION_MS` or more before ``now_ms`` (epoch
        ms); returns how many."""
        gone = [value for value, _ in self.table.search(Query().expires_at <= now_ms - RETENTION_MS)]
        self.table.delete_many(gone)
        return len(gone)

    def all(self) -> list[Token]:
        """Every token, live or not."""
        return [Token(**doc) for _, doc in self.table.items()]


class CodeRefused(ValueError):
    """An authorization code that cannot be exchanged; the message says why. ``found`` is False when no such
    code was ever issued (LinkedIn answers that case differently from the others)."""

    def __init__(self, message: str, found: bool = True) -> None:
        super().__init__(message)
        self.found = found


class AuthorizationCodes:
    """The authorization codes of ``store``: issued on the consent page, exchanged once within 30 minutes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def issue(self, application: dict[str, Any], member: str, redirect_uri: str, scope: str, now_ms: int) -> str:
        """Store a fresh code for ``member`` (``urn:li:person:<id>``) consenting to ``application`` at ``now_ms``
        (epoch ms); returns it."""
        code = "AQT" + secrets.token_urlsafe(48)
        CODES.of(self.store).put(code, {
            "clientId": application["clientId"], "application": application["key"], "member": member,
            "redirectUri": redirect_uri, "scope": scope, "createdAt": now_ms, "expiresAt": now_ms + CODE_TTL_MS,
            "used": False})
        return code

    def redeem(self, code: str, client_id: str, redirect_uri: str, now_ms: int) -> dict[str, Any]:
        """Mark ``code`` used and return its document. :class:`CodeRefused` when it is unknown or another
        client's, already used, expired at ``now_ms``, or issued for another redirect URI."""
        codes = CODES.of(self.store)
        doc = codes.get(code)
        if doc is None:
            raise CodeRefused("The authorization code was never issued", found=False)
        if doc["clientId"] != client_id:
            raise CodeRefused("The authorization code is not valid for this client")
        if doc["used"]:
            raise CodeRefused("The authorization code has already been used")
        if now_ms >= doc["expiresAt"]:
            raise CodeRefused("The authorization code has expired")
        if doc["redirectUri"] != redirect_uri:
            raise CodeRefused("The redirect_uri does not match the one of the authorization request")
        codes.put(code, {**doc, "used": True})
        return doc

    def withdraw(self, member: str) -> int:
        """Forget every unused code of ``member`` (``urn:li:person:<id>``), as when the member closes the LinkedIn
        account: exchanging one is then refused as a code never issued. Returns how many."""
        codes = CODES.of(self.store)
        gone = [code for code, doc in codes.items() if doc["member"] == member and not doc["used"]]
        codes.delete_many(gone)
        return len(gone)

    def prune(self, now_ms: int) -> int:
        """Forget every code, used or not, that expired :data:`RETENTION_MS` or more before ``now_ms`` (epoch ms);
        returns how many."""
        codes = CODES.of(self.store)
        gone = [code for code, _ in codes.search(Query().expiresAt <= now_ms - RETENTION_MS)]
        codes.delete_many(gone)
        return len(gone)

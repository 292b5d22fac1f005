"""Secrets kept out of everything the test harness shows: the one place they are masked.

The journal entry of every request is masked when it is recorded (:mod:`mock_server.harness.middleware`), so
every path that shows it — ``GET /_mock/requests`` and its wait, the access log (text and JSON lines), the
dashboard, anything that copies journal entries — shows the masked text only. What is masked:

* headers named in :data:`SECRET_HEADERS` (``Authorization``, cookies, the widget frame token), whole;
* in any text (bodies, query strings, other header values such as a redirect's ``Location``):

  - JSON members named in :data:`SECRET_JSON_NAMES` (``"access_token": "…"``, ``"clientSecret": "…"``,
    ``"client_secret": "…"`` …), also when the body was cut at the journal's 64 KiB;
  - form and query fields named in :data:`SECRET_FORM_NAMES` (``client_secret=…``, ``code=…``, ``token=…`` …);
  - both under any spelling a parser decodes to those names (``client%5Fsecret=…``, ``"client\\u005fsecret"``);
  - any value shaped like one of the emulator's tokens or authorization codes (``AQT``/``AQU``/``AQV``/``AQW``/
    ``AQX`` and 32 or more URL-safe characters), wherever it appears (a snapshot's ``tokens`` table, an echo).

A masked value keeps its last four characters when it is longer than 12 (``Bearer ****xyz1``), so a tester can
still tell two tokens apart. The state itself (the store, ``GET /_mock/snapshot``) is not masked: it must be
restorable.
"""

from __future__ import annotations

import re
import threading

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-widget-token"})
SECRET_JSON_NAMES = ("client_secret", "clientSecret", "secondarySecret", "access_token", "refresh_token",
                     "id_token", "token", "signature")
SECRET_FORM_NAMES = ("client_secret", "refresh_token", "access_token", "oauth2_access_token", "code", "token",
                     "signature")
TOKEN_SHAPE = r"\bAQ[TUVWX][A-Za-z0-9_\-]{32,}"


def _spellings(names: tuple[str, ...], escape: str) -> str:
    """A pattern matching each of ``names`` with any of its characters written as ``escape`` (a format of the
    character's code, e.g. ``%{:02x}``): a form field ``client%5Fsecret`` is decoded to ``client_secret`` by
    every parser, as a JSON member ``"client\\u005fsecret"`` is, so each must be masked as its plain name."""
    def spelled(name: str) -> str:
        return "".join(f"(?:{re.escape(c)}|(?i:{re.escape(escape.format(ord(c)))}))" for c in name)
    return "|".join(spelled(name) for name in names)


def _ending(names: tuple[str, ...], closing: str) -> re.Pattern[str]:
    """A pattern matching ``closing`` (``"``, ``=``) right after the last four characters of one of ``names``:
    one scan for the ``closing`` character, where a substring test per name ending scans the text again each."""
    if any(len(name) < 4 for name in names):  # the look-behind has one width (one look-behind per name is 3× slower)
        raise ValueError(f"a secret name of fewer than four characters: {names!r}")
    endings = sorted({re.escape(name[-4:]) for name in names})
    return re.compile(re.escape(closing) + "(?<=(?:" + "|".join(endings) + ")" + re.escape(closing) + ")")


def _escapes(names: tuple[str, ...], escape: str) -> re.Pattern[str]:
    """A pattern matching each escaped spelling :func:`_spellings` accepts for a character of ``names`` (and no
    other), e.g. ``%5f``/``%5F`` but not ``%3A``: a text a spelled pattern matches holds either a secret name's
    plain ending or one of these. The escape's first character (``%``, ``\\``) is no letter, so it leads the
    pattern as a literal the regex engine scans for."""
    spellings = [escape.format(ord(c)) for c in sorted(set("".join(names)))]
    lead = spellings[0][0]
    if lead.isalpha() or any(spelling[0] != lead for spelling in spellings):
        raise ValueError(f"an escape must lead with one character that is no letter: {escape!r}")
    return re.compile(re.escape(lead) + "(?i:" + "|".join(re.escape(spelling[1:]) for spelling in spellings) + ")")


_JSON_MEMBER = re.compile(r'("(?:' + _spellings(SECRET_JSON_NAMES, "\\u{:04x}") + r')"\s*:\s*")((?:[^"\\]|\\.)*)')
_FORM_FIELD = re.compile(r"((?:^|[&?;\s])(?:" + _spellings(SECRET_FORM_NAMES, "%{:02x}") + r")=)([^&\s#\"]*)")
_TOKEN = re.compile(TOKEN_SHAPE)
# What every match of _JSON_MEMBER / _FORM_FIELD must contain: a secret name's last four characters, then its
# closing quote or "=", or an escaped spelling of a character of a secret name (cheap tests that let most texts
# skip the patterns; a bare "%" or "\\u" is no such hint: every Rest.li 2.0 key holds "%3A"). A form field's
# match also holds "=", which a JSON reply seldom does.
_JSON_HINT = _ending(SECRET_JSON_NAMES, '"')
_FORM_HINT = _ending(SECRET_FORM_NAMES, "=")
_JSON_ESCAPES = _escapes(SECRET_JSON_NAMES, "\\u{:04x}")
_FORM_ESCAPES = _escapes(SECRET_FORM_NAMES, "%{:02x}")


def mask(value: str) -> str:
    """A secret shown by its last four characters only: ``Bearer AQV…xyz1`` → ``Bearer ****xyz1``; a value of 12
    characters or fewer → ``****``."""
    scheme, space, secret = value.partition(" ")
    if not space:
        scheme, secret = "", value
    shown = secret[-4:] if len(secret) > 12 else ""
    return f"{scheme}{space}****{shown}"


def _masked(match: re.Match) -> str:
    value = match.group(2)
    return match.group(1) + (mask(value) if value and "****" not in value else value)


def mask_text(text: str) -> str:
    """``text`` (a body, a query string, a header value) with every secret masked (see the module docstring).
    Text without any secret comes back unchanged. Each pattern runs only when ``text`` holds the substring
    every match of it must hold (a secret name's ending or an escaped spelling of one of its characters,
    ``AQ``): most bodies hold none, and these tests cost a few microseconds where the three patterns cost
    ~200 µs on an 8 KB reply. A text of :data:`REMEMBERED_MIN_CHARS` or more (a body) that was masked lately
    is not scanned again: a partner repeats its calls, and their replies are equal (hashing the text costs a
    tenth of scanning it)."""
    if len(text) < REMEMBERED_MIN_CHARS:
        return _masked_text(text) if text else text
    masked = _REMEMBERED.get(text)
    if masked is None:
        masked = _masked_text(text)
        if len(text) <= REMEMBERED_MAX_CHARS:
            with _REMEMBERING:
                if len(_REMEMBERED) >= REMEMBERED:
                    del _REMEMBERED[next(iter(_REMEMBERED))]
                _REMEMBERED[text] = masked
    return masked


REMEMBERED = 64  # texts whose masked form mask_text keeps (the oldest forgotten first)
REMEMBERED_MIN_CHARS, REMEMBERED_MAX_CHARS = 1024, 16 * 1024  # at most 1 MiB of text remembered
_REMEMBERED: dict[str, str] = {}
_REMEMBERING = threading.Lock()


def _masked_text(text: str) -> str:
    """:func:`mask_text`, scanning ``text``."""
    if _JSON_HINT.search(text) or ("\\" in text and _JSON_ESCAPES.search(text)):
        text = _JSON_MEMBER.sub(_masked, text)
    if "=" in text and (_FORM_HINT.search(text) or ("%" in text and _FORM_ESCAPES.search(text))):
        text = _FORM_FIELD.sub(_masked, text)
    if "AQ" in text:
        text = _TOKEN.sub(lambda match: mask(match.group(0)), text)
    return text


def masked_headers(raw_headers) -> dict[str, str]:
    """ASGI ``[(name bytes, value bytes)]`` → ``{lower-case name: value}`` with secrets masked: the headers of
    :data:`SECRET_HEADERS` whole, the others by :func:`mask_text` (repeated headers joined with ``", "``)."""
    headers: dict[str, str] = {}
    for name_bytes, value_bytes in raw_headers:
        name, value = name_bytes.decode("latin-1").lower(), value_bytes.decode("latin-1")
        value = mask(value) if name in SECRET_HEADERS else mask_text(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers

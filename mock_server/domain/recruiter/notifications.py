"""Push notifications: the outbox, signed delivery to the customer's CALLBACK_URL with retries on the emulator's
clock, and LinkedIn's callback challenge handshake.

A notification is stored in the ``notifications`` table under its id (the ``requestId`` of the follow-up GET)::

    {"id": "6579847484946268160",
     "type": "EXPORT_CANDIDATE_PROFILE" | "INTEGRATION_STATUS_CHANGE" | "EXPORT_APPLICATION_EVALUATION",
     "application": "urn:li:developerApplication:<n>"   (the customer's child application),
     "integrationContext": organization or contract URN, "createdAt": ms, "expiresAt": ms,
     "exports": [export id] | "integrations": [integration key dict] | "evaluations": [evaluation id]
                                                                  (what the follow-up GET returns),
     "status": "pending" | "delivered" | "failed" | "expired", "round": int, "nextAttemptAt": ms | None,
     "deliveredAt"?: ms,
     "attempts": [{"attempt": n, "round": r, "startedAt": ms, "url": str | None,
                   "status": int (the receiver answered) | "error": str (it did not: refused, timed out, no URL),
                   "latencyMs": int, "reply"?: first 512 bytes of the reply (text)}]}

The ``notificationSchedule`` table has one row per pending notification under the key ``"<nextAttemptAt,
16 digits>:<id>"`` (see :func:`schedule_key`), so the delivery loop finds what is due from the keys alone.

Delivery (spec README, "Push notification"; oauth-restli-onboarding.md §4.5): ``POST <CALLBACK_URL>`` with the
compact, ASCII-escaped body ``{"id", "type", "expiresAt"}`` and ``X-LI-Signature: hex(HMAC-SHA256(key=the child
application's clientSecret, msg="hmacsha256=" + body))``. A 2xx ends delivery; anything else (a 3xx included:
redirects are not followed), a refused connection, no answer within 3 s or any other error of the attempt (a
URL the client cannot use, a document the outbox cannot read) is a failed attempt, recorded with the status the
receiver answered or, when it answered nothing, the error text; each attempt is logged
(:func:`mock_server.logs.log_delivery`). Failed attempts are retried up to 6 times, 1, 2, 4, 8, 16 and 32 s of
emulated time after the start of the attempt that failed (not after its reply: a receiver that moves the
emulator's clock as soon as it has the request, before it answers, moves the retry too). Each attempt runs in its
own task, so a hanging receiver never holds up other notifications. ``redeliver`` starts a new round of 7
attempts.

The delivery loop sleeps until the next retry is due or until :meth:`Outbox.kick` (called on every enqueue,
every finished attempt and every change of the emulator's clock) wakes it; it never polls.
"""

from __future__ import annotations

import asyncio
import builtins
import functools
import hashlib
import hmac
import json
import logging
import ssl
import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mock_server.domain.clock import Clock
from mock_server.domain.counters import Counters
from mock_server.domain.customers import Customers
from mock_server.domain.integrations import Integrations
from mock_server.logs import log_delivery
from mock_server.restli.errors import RestliError, shown
from mock_server.store import Store

if TYPE_CHECKING:  # imported where a delivery or challenge needs it: `rsc-mock serve` starts without it
    import httpx
from mock_server.store.spec import TableSpec

log = logging.getLogger("rsc_mock.notifications")

NOTIFICATIONS = TableSpec("notifications", ("status", "application", "type"))
SCHEDULE = TableSpec("notificationSchedule")
TABLES = (NOTIFICATIONS, SCHEDULE)
TYPES = ("EXPORT_CANDIDATE_PROFILE", "INTEGRATION_STATUS_CHANGE", "EXPORT_APPLICATION_EVALUATION")
STATUSES = ("pending", "delivered", "failed", "expired")
BACKOFF_S = (1, 2, 4, 8, 16, 32)
ATTEMPT_TIMEOUT_S = 3.0
REPLY_PREVIEW_BYTES = 512
FIRST_ID = 6579847484946268160
CALLBACK_FIELD = "/configurationValue/string"
EXCEPTION_GROUP = getattr(builtins, "BaseExceptionGroup", ())  # Python 3.11+; nothing is one before


def notification_body(doc: dict[str, Any]) -> bytes:
    """The bytes POSTed for notification ``doc``: compact JSON ``{"id", "type", "expiresAt"}``, non-ASCII
    escaped as ``\\uXXXX`` (LinkedIn signs "the escaped Unicode version of the request payload")."""
    payload = {"id": doc["id"], "type": doc["type"], "expiresAt": doc["expiresAt"]}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def signature(client_secret: str, body: bytes) -> str:
    """``X-LI-Signature``: lowercase hex HMAC-SHA256 of ``"hmacsha256=" + body`` keyed with ``client_secret``."""
    return hmac.new(client_secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()


def challenge_response(client_secret: str, challenge_code: str) -> str:
    """The ``challengeResponse`` of the callback handshake: hex HMAC-SHA256 of ``challenge_code`` keyed with
    ``client_secret``."""
    return hmac.new(client_secret.encode(), challenge_code.encode(), hashlib.sha256).hexdigest()


def application_id(application: dict[str, Any]) -> str:
    """The numeric ``applicationId`` of an application document (``urn:li:developerApplication:<id>``)."""
    key: str = application["key"]
    return key.rsplit(":", 1)[-1]


def answer_challenge(customers: Customers, query: Mapping[str, str]) -> dict[str, Any]:
    """What a well-behaved callback answers to ``GET ?challengeCode=…&applicationId=…`` (the emulator's own
    inbox uses it): ``{"challengeCode", "challengeResponse"}``. 400 when a parameter is missing, 404 when no
    application has that id."""
    code, app_id = query.get("challengeCode"), query.get("applicationId")
    if not code or not app_id:
        raise RestliError(400, "A callback challenge needs the challengeCode and applicationId parameters")
    application = customers.by_key(f"urn:li:developerApplication:{app_id}")
    if application is None:
        raise RestliError(404, f"ERROR :: /applicationId :: no application with id {app_id}")
    return {"challengeCode": code, "challengeResponse": challenge_response(application["clientSecret"], code)}


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every outbox's client shares: httpx's defaults, built once (building them — loading
    the CA bundle — takes about 70 ms, and a sandbox has an outbox of its own)."""
    import httpx

    return httpx.create_ssl_context()


def http_client() -> httpx.AsyncClient:
    """The client deliveries and challenges go out with: no redirects followed, no proxies from the
    environment, 3 s per operation."""
    import httpx

    return httpx.AsyncClient(follow_redirects=False, trust_env=False, timeout=ATTEMPT_TIMEOUT_S,
                             verify=tls_context())


async def validate_callback(client: httpx.AsyncClient, application: dict[str, Any], url: str) -> None:
    """LinkedIn's challenge handshake for ``url`` of customer ``application`` (spec README, "Callback
    validation"): ``GET <url>?challengeCode=<uuid4>&applicationId=<id>`` must answer 200 within 3 s with
    ``{"challengeCode", "challengeResponse"}`` as :func:`challenge_response` computes it. Raises
    ``RestliError(400)`` saying what failed."""
    import httpx

    code = str(uuid.uuid4())
    where = f"GET {url}?challengeCode=…&applicationId={application_id(application)}"

    def refuse(reason: str) -> RestliError:
        return RestliError(400, f"ERROR :: {CALLBACK_FIELD} :: CALLBACK_URL validation failed: {where} {reason}")

    try:
        reply = await asyncio.wait_for(
            client.get(url, params={"challengeCode": code, "applicationId": application_id(application)}),
            ATTEMPT_TIMEOUT_S)
    except (asyncio.TimeoutError, httpx.TimeoutException):
        raise refuse(f"got no answer within {ATTEMPT_TIMEOUT_S:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as error:
        raise refuse(f"failed: {type(error).__name__}: {error}") from None
    if reply.status_code != 200:
        raise refuse(f"answered HTTP {reply.status_code} (expected 200; redirects are not followed)")
    try:
        answer = reply.json()
    except ValueError:
        raise refuse("did not answer JSON") from None
    if not isinstance(answer, dict) or answer.get("challengeCode") != code:
        raise refuse("did not echo the challengeCode")
    expected = challenge_response(application["clientSecret"], code)
    if not isinstance(answer.get("challengeResponse"), str) or answer["challengeResponse"].lower() != expected:
        raise refuse("answered a wrong challengeResponse (expected hex HMAC-SHA256 of the challengeCode keyed"
                     " with the application's clientSecret)")


def error_text(error: BaseException) -> str:
    """``"<ExceptionType>: <message>"`` (the type alone when there is no message) for an attempt's log; an
    exception group of one (as the HTTP client's task groups raise) stands for its member."""
    while isinstance(error, EXCEPTION_GROUP) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def schedule_key(doc: dict[str, Any]) -> str:
    """The ``notificationSchedule`` key of a pending notification: its due time (zero-padded) and id."""
    return f"{doc['nextAttemptAt']:016d}:{doc['id']}"


class Outbox:
    """The notification outbox of one emulator.

    ``store``, ``clock``, ``counters``, ``customers`` and ``integrations`` are the emulator's services; ``ttl_s``
    the lifetime of a notification id in seconds. :meth:`start` and :meth:`stop` run the delivery loop on the
    current event loop; everything else may be called before, and :meth:`kick` from any thread.
    """

    def __init__(self, store: Store, clock: Clock, counters: Counters, customers: Customers, integrations: Integrations,
                 ttl_s: int) -> None:
        self.store = store
        self.table = NOTIFICATIONS.of(store)
        self.schedule = SCHEDULE.of(store)
        self.clock = clock
        self.counters = counters
        self.customers = customers
        self.integrations = integrations
        self.ttl_s = ttl_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._changed: asyncio.Condition | None = None
        self._client: httpx.AsyncClient | None = None
        self._runner: asyncio.Task[None] | None = None
        self._inflight: dict[tuple[int, str], asyncio.Task[None]] = {}
        self._generation = 0
        clock.subscribe(self.kick)

    # ---- writing -----------------------------------------------------------------------------------------

    def enqueue(self, application: dict[str, Any], notification_type: str, context: str, references: dict[str, Any],
                ttl_s: int | None = None) -> dict[str, Any]:
        """Put a notification for customer ``application`` (child application document) into the outbox and
        wake the delivery loop. ``references`` holds what the follow-up GET resolves (``{"exports": [...]}``,
        ``{"integrations": [...]}`` or ``{"evaluations": [...]}``); ``ttl_s`` the lifetime of its requestId in
        seconds when the type has its own (default: the outbox's). Returns the stored document."""
        now = self.clock.now_ms()
        notification_id = str(self.counters.next_number("notification", FIRST_ID))
        lifetime = self.ttl_s if ttl_s is None else ttl_s
        doc = {"id": notification_id, "type": notification_type, "application": application["key"],
               "integrationContext": context, "createdAt": now, "expiresAt": now + lifetime * 1000,
               **references, "status": "pending", "round": 1, "nextAttemptAt": now, "attempts": []}
        self._save(doc)
        return doc

    def redeliver(self, notification_id: str) -> dict[str, Any]:
        """Start a new round of delivery attempts now. 404 for an unknown id, 409 while an attempt is in
        flight or once the notification has expired."""
        doc = self.get(notification_id)
        if (self._generation, notification_id) in self._inflight:
            raise RestliError(409, f"Notification {notification_id} is being delivered right now; try again"
                                   " when the attempt has finished")
        if self.clock.now_ms() >= doc["expiresAt"]:
            raise RestliError(409, f"Notification {notification_id} expired at {doc['expiresAt']} (epoch ms)")
        doc.update(status="pending", round=doc.get("round", 1) + 1, nextAttemptAt=self.clock.now_ms())
        self._save(doc)
        return doc

    def _save(self, doc: dict[str, Any]) -> None:
        """Store ``doc`` with its schedule entry (present while pending) and wake the loop."""
        previous = self.table.get(doc["id"])
        with self.store.transaction():
            if previous is not None and previous["status"] == "pending":
                self.schedule.delete(schedule_key(previous))
            self.table.put(doc["id"], doc)
            if doc["status"] == "pending":
                self.schedule.put(schedule_key(doc), {"id": doc["id"]})
        self.kick()

    def reset(self) -> None:
        """Forget attempts in flight (after the store went back to the fixtures) and wake the loop."""
        self._generation += 1
        for task in list(self._inflight.values()):
            if self._loop is not None:
                self._loop.call_soon_threadsafe(task.cancel)
        self.kick()

    # ---- reading -----------------------------------------------------------------------------------------

    def get(self, notification_id: str) -> dict[str, Any]:
        """The notification with ``notification_id``; 404 when there is none."""
        doc = self.table.get(notification_id)
        if doc is None:
            raise RestliError(404, f"No notification with id {shown(notification_id)}")
        return doc

    def find(self, where: Callable[[dict[str, Any]], bool] | None = None, **equal: Any) -> list[dict[str, Any]]:
        """Notifications, oldest first, whose fields equal ``equal`` (looked up through the table's indexes on
        ``status``, ``application`` and ``type``) and, with ``where``, for which ``where(doc)`` holds. The
        filter language of the admin API lives in the harness (:mod:`mock_server.harness.criteria`)."""
        rows = self.table.find(**equal) if equal else self.table.items()
        return [doc for _, doc in rows if where is None or where(doc)]

    def resolve(self, notification_id: str, notification_type: str, application: str) -> dict[str, Any] | None:
        """The notification behind a follow-up GET's ``requestId``: of ``notification_type``, for customer
        ``application``, not expired on the emulator's clock; else None."""
        doc = self.table.get(notification_id)
        if (doc is None or doc["type"] != notification_type or doc["application"] != application
                or self.clock.now_ms() >= doc["expiresAt"]):
            return None
        return doc

    async def wait(self, timeout_s: float, where: Callable[[dict[str, Any]], bool] | None = None,
                   **equal: Any) -> dict[str, Any] | None:
        """The first notification :meth:`find` finds with ``where`` and ``equal`` (at once when there is one),
        else block until there is one or ``timeout_s`` seconds pass (then None). Woken by every change of the
        outbox, never polls. Only while the loop runs (:meth:`start`); ``RuntimeError`` before."""
        _, changed = self._signals()
        async with changed:
            try:
                await asyncio.wait_for(changed.wait_for(lambda: bool(self.find(where, **equal))), timeout_s)
            except asyncio.TimeoutError:
                return None
        found = self.find(where, **equal)
        return found[0] if found else None

    async def next_change(self, timeout_s: float) -> bool:
        """Wait for the next change of the outbox (an enqueue, a finished attempt, a redelivery, a clock
        change), at most ``timeout_s`` seconds: True when one came, False on timeout. Only while the loop runs
        (:meth:`start`); ``RuntimeError`` before."""
        _, changed = self._signals()
        async with changed:
            try:
                await asyncio.wait_for(changed.wait(), timeout_s)
                return True
            except asyncio.TimeoutError:
                return False

    # ---- the delivery loop -------------------------------------------------------------------------------

    def kick(self) -> None:
        """Wake the delivery loop (thread-safe); a no-op while it is not running."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():  # start() sets both
            loop.call_soon_threadsafe(wake.set)

    async def start(self) -> None:
        """Start the delivery loop on the running event loop."""
        self._wake, self._changed = asyncio.Event(), asyncio.Condition()
        self._loop = asyncio.get_running_loop()
        self._runner = asyncio.create_task(self._run(), name="rsc-mock-outbox")

    async def stop(self) -> None:
        """Stop the loop, cancel attempts in flight and close the HTTP client."""
        self._loop = None
        tasks = [task for task in (self._runner, *self._inflight.values()) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._inflight.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def validate_callback(self, application: dict[str, Any], url: str) -> None:
        """:func:`validate_callback` with the outbox's client (a temporary one when the loop is not running)."""
        client = self._http()
        if client is not None:
            await validate_callback(client, application, url)
            return
        async with http_client() as client:
            await validate_callback(client, application, url)

    def _http(self) -> httpx.AsyncClient | None:
        """The outbox's HTTP client while the loop runs (None before :meth:`start` and after :meth:`stop`), made
        on the first delivery or challenge rather than at start: making one imports httpx's transport and loads
        the CA bundle, about 0.2 s that a server's start-up need not pay."""
        if self._loop is None:
            return None
        if self._client is None:
            self._client = http_client()
        return self._client

    def _signals(self) -> tuple[asyncio.Event, asyncio.Condition]:
        """The loop's wake-up event and change condition, made by :meth:`start`; ``RuntimeError`` before."""
        if self._wake is None or self._changed is None:
            raise RuntimeError("the notification outbox's delivery loop has not been started")
        return self._wake, self._changed

    async def _run(self) -> None:
        wake, changed = self._signals()
        while True:
            wake.clear()
            async with changed:
                changed.notify_all()
            now = self.clock.now_ms()
            try:
                next_due = self._dispatch_due(now)
            except Exception:  # a defect: log it and wait for the next change rather than stop delivering
                log.exception("the notification outbox could not read its schedule")
                next_due = None
            timeout = None if next_due is None or self.clock.frozen else max(0.0, (next_due - now) / 1000)
            try:
                await asyncio.wait_for(wake.wait(), timeout)
            except asyncio.TimeoutError:
                pass

    def _dispatch_due(self, now: int) -> int | None:
        """Start an attempt for every pending notification due at ``now`` and not in flight; returns the
        earliest later due time (epoch ms), or None."""
        next_due = None
        for entry in self.schedule.keys():
            due, _, key = entry.partition(":")
            if not (due.isascii() and due.isdigit()):
                self.schedule.delete(entry)  # not a schedule key (e.g. from an imported snapshot)
                continue
            slot = (self._generation, key)
            if slot in self._inflight:
                continue
            if int(due) <= now:
                self._inflight[slot] = asyncio.create_task(self._attempt(slot, entry))
            else:
                next_due = int(due) if next_due is None else min(next_due, int(due))
        return next_due

    async def _attempt(self, slot: tuple[int, str], entry: str) -> None:
        generation, key = slot
        try:
            doc = self.table.get(key)
            if doc is None or doc["status"] != "pending" or schedule_key(doc) != entry:
                self.schedule.delete(entry)  # a stale entry (e.g. from an imported snapshot)
                return
            if self.clock.now_ms() >= doc["expiresAt"]:
                doc.update(status="expired", nextAttemptAt=None)
                log.warning("push %s %s expired at %d (epoch ms) before its next attempt", doc["id"], doc["type"],
                            doc["expiresAt"])
            else:
                doc = self._record(doc, await self._post(doc))
                log_delivery(doc, self.clock.now_ms())
            if generation == self._generation and self.table.get(key) is not None:
                self._save(doc)
        except Exception as error:  # a defect must not kill delivery of the other notifications
            log.exception("delivery attempt of notification %s failed unexpectedly", key)
            if generation == self._generation:
                self._record_defect(key, entry, error)
        finally:
            self._inflight.pop(slot, None)
            self.kick()

    def _record_defect(self, key: str, entry: str, error: Exception) -> None:
        """Log a defect in an attempt of notification ``key`` as a failed attempt (retried on the backoff);
        when even that fails, drop its schedule ``entry``, so the loop never retries it at once, forever."""
        try:
            doc = self.table.get(key)
            if doc is None:
                raise LookupError(f"no notification {key}")  # logged and unscheduled below, like any unreadable one
            doc = self._record(doc, {"startedAt": self.clock.now_ms(), "url": None,
                                     "error": error_text(error), "latencyMs": 0})
            self._save(doc)
            log_delivery(doc, self.clock.now_ms())
        except Exception:
            log.exception("notification %s cannot be read: it is no longer scheduled", key)
            self.schedule.delete(entry)

    def _record(self, doc: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
        """``doc`` with one more attempt logged and its status and next attempt time updated."""
        attempts = doc.setdefault("attempts", [])
        attempts.append({"attempt": len(attempts) + 1, "round": doc["round"], **outcome})
        in_round = sum(1 for a in attempts if a["round"] == doc["round"])
        status = outcome.get("status")
        if status is not None and 200 <= status < 300:
            doc.update(status="delivered", deliveredAt=self.clock.now_ms(), nextAttemptAt=None)
        elif in_round > len(BACKOFF_S):
            doc.update(status="failed", nextAttemptAt=None)
        else:  # from the start of the failed attempt: a clock move while it ran (or at once after) counts
            doc["nextAttemptAt"] = outcome["startedAt"] + BACKOFF_S[in_round - 1] * 1000
        return doc

    def callback_url(self, doc: dict[str, Any]) -> str | None:
        """The CALLBACK_URL of the ONE_CLICK_EXPORT integration behind ``doc``: the notification's own
        organization first, then the customer's other organizations."""
        application = self.customers.by_key(doc["application"]) or {}
        organizations = [doc["integrationContext"]] + application.get("organizations", [])
        for organization in dict.fromkeys(organizations):
            if organization.startswith("urn:li:organization:"):
                url = self.integrations.configuration_value(organization, "ONE_CLICK_EXPORT", "CALLBACK_URL")
                if url:
                    return url
        return None

    async def _post(self, doc: dict[str, Any]) -> dict[str, Any]:
        """One POST of ``doc`` to its callback: ``{"startedAt", "url", "status" | "error", "latencyMs",
        "reply"?}``: ``status`` when the receiver answered (any status), ``error`` when it did not."""
        import httpx

        url = self.callback_url(doc)
        outcome: dict[str, Any] = {"startedAt": self.clock.now_ms(), "url": url}
        application = self.customers.by_key(doc["application"])
        started = time.monotonic()
        if application is None:
            outcome["error"] = f"the customer application {doc['application']} no longer exists"
        elif url is None:
            outcome["error"] = (f"no CALLBACK_URL is configured on the ONE_CLICK_EXPORT integration of"
                                f" {doc['integrationContext']}")
        else:
            body = notification_body(doc)
            headers = {"Content-Type": "application/json",
                       "X-LI-Signature": signature(application["clientSecret"], body)}
            try:
                status, reply = await asyncio.wait_for(self._send(url, body, headers), ATTEMPT_TIMEOUT_S)
                outcome.update(status=status, reply=reply.decode("utf-8", "replace"))
            except (asyncio.TimeoutError, httpx.TimeoutException):
                outcome["error"] = f"no answer within {ATTEMPT_TIMEOUT_S:g} s"
            except Exception as error:  # refused, a URL the client cannot use (bad port, …): a failed attempt
                outcome["error"] = error_text(error)
        outcome["latencyMs"] = int((time.monotonic() - started) * 1000)
        return outcome

    async def _send(self, url: str, body: bytes, headers: dict[str, Any]) -> tuple[int, bytes]:
        """POST and read at most the first :data:`REPLY_PREVIEW_BYTES` of the reply."""
        client = self._http()
        if client is None:  # stop() closed it; _post records this as the attempt's error
            raise RuntimeError("the notification outbox is stopped")
        async with client.stream("POST", url, content=body, headers=headers) as reply:
            preview = b""
            async for chunk in reply.aiter_raw():
                preview += chunk
                if len(preview) >= REPLY_PREVIEW_BYTES:
                    break
            return reply.status_code, preview[:REPLY_PREVIEW_BYTES]

"""Soak: minutes of mixed partner traffic against ``rsc-mock serve --data-dir``, watching the server's memory and
the calls' latency — does it stay flat, does it stay fast?

Traffic (``--workers`` concurrent clients, each a partner integration that keeps its token until it expires, together
sending ``--rate`` calls a second — a fixed rate, so that what the emulator keeps does not follow the machine's other
load; ``--rate 0`` sends as fast as the server answers):
candidate syncs (BATCH_UPDATE of 10 candidates from a pool of 2,000) and reads (BATCH_GET), integration reads,
job postings (from a pool of 200 ids) and task polls, token introspection, widget frames and their data calls,
and the tester's side (``GET /_mock/requests`` pages, ``/_mock/health``). Every mix weight is in :data:`MIX`.

Measured: the server's RSS (``/proc/<pid>/status``) every ``--sample`` seconds, and every call's latency at the
client. Before the clock starts, the 2,000 candidates are synced, so every read must find all it asks for. The
verdicts:

* RSS flat: after the warm-up — a third of the run, a full request journal (10,000 journaled calls: the ``/_mock``
  ones are not journaled), a task lifespan and a pruning interval, and ending no later than two thirds into the run
  so that at least a third is judged — every sample within ±10 % of the sample that ends the warm-up;
* fast: the p99 latency of every kind of call under 100 ms (a kind never called fails it);
* every reply the expected one, item by item: a batch with any item in ``errors`` (or a read missing a key), a job
  posting whose element is not accepted, a task poll that does not find its task or finds it FAILED, any other
  status of 400 or more — and a 401 only as LinkedIn's "expired" (65601) to a call made with a token that has
  lived its 30 minutes — counts as unexpected (the server runs with LinkedIn's daily and per-minute limits raised,
  or most of this traffic would be answered 429);
* retention: at the end, a task older than its lifespan polls 404, one between half and nine tenths of it is
  found, and so is the newest.

State the emulator keeps on purpose: each job posting leaves a job-posting task, polled for 30 days (LinkedIn's
check-job-taskstatus). A 30-day lifespan cannot reach its steady state in a run of minutes — the task table would
only grow, about 0.6 KiB per posting — so the soak serves with ``--task-lifespan`` seconds (300 unless given) and
prunes every tenth of it: over the run tasks are made and forgotten many times, and flat RSS then means nothing is
kept beyond what the retention rules say (:mod:`mock_server.domain.retention`). ``--task-lifespan 2592000`` soaks
with the emulator's default.

Usage: ``python bench/soak.py [--minutes 30] [--workers 4] [--rate 500] [--task-lifespan 300]``. Prints a
markdown report and writes it to ``bench/results/soak.md`` (``--out``); exits 1 when a verdict fails, 2 on bad
arguments or a server that does not start (its own error shown). The numbers depend on the machine and on what
else runs on it: the report says which.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import itertools
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mock_server.testing.server import free_port, wait_until_healthy  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "soak.md"
ORG = "urn:li:organization:1000"
CUSTOMER = {"client_id": "demo-customer", "client_secret": "demo-customer-secret"}
PAGE_ORIGIN = "http://localhost:8080"
JOURNAL_SIZE = 10_000
RSS_BAND = 0.10
P99_LIMIT_MS = 100.0
QUOTA = "1000000000"  # LinkedIn's daily and per-minute limits would answer most of this traffic 429
DESCRIPTION = "A role for people who like building emulators of recruiting platforms, offline and faithful. " * 2
# The calls made with the partner's 2-legged token; a 401 "expired" (65601) to one of them is expected once the
# token has lived its 30 minutes, and any other 401 is counted unexpected.
BEARER_CALLS = frozenset({"sync candidates", "read candidates", "read integrations", "post job", "poll task"})
MIX = {  # kind of call -> relative weight
    "sync candidates": 20, "read candidates": 20, "read integrations": 20, "post job": 4, "poll task": 8,
    "introspect token": 3, "widget profile": 8, "widget frame": 2, "journal page": 2, "health": 3,
}


TOKEN_TTL_S = 1800  # LinkedIn's 2-legged tokens live 30 minutes
POOL = 2000  # candidates SOAK-0 .. SOAK-1999, all synced before the clock starts
NOT_JOURNALED = frozenset({"journal page", "health"})  # /_mock calls: the journal leaves them out by default


@dataclasses.dataclass
class Partner:
    """One client's state: its token (and when it was minted, monotonic s), its widget frame token, the tasks it has
    yet to poll, and every task it was given with when (``[(monotonic s, task URN)]``, oldest first)."""

    http: httpx.AsyncClient
    rng: random.Random
    token: str | None = None
    minted: float = 0.0
    frame: str | None = None
    tasks: list = dataclasses.field(default_factory=list)
    created: list = dataclasses.field(default_factory=list)


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def candidate_ids(ids: list[str]) -> str:
    """The Rest.li 1.0 ``ids`` query of candidates ``ids`` in the demo organization."""
    return "&".join(f"ids[{n}].atsCandidateId={c}&ids[{n}].dataProvider=ATS&ids[{n}].integrationContext={ORG}"
                    for n, c in enumerate(ids))


def candidate_key(candidate: str) -> str:
    """A candidate's key as a BATCH_UPDATE body names it (Rest.li 1.0)."""
    return f"atsCandidateId={candidate}&dataProvider=ATS&integrationContext={ORG}"


async def bearer(partner: Partner) -> dict:
    """The partner's Authorization header, minting a token when it has none (or it expired)."""
    if partner.token is None:
        reply = await partner.http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                                       **CUSTOMER})
        reply.raise_for_status()
        partner.token, partner.minted = reply.json()["access_token"], time.monotonic()
    return {"Authorization": "Bearer " + partner.token}


async def sync(partner: Partner, ids: list[str]) -> httpx.Response:
    """A BATCH_UPDATE of candidates ``ids`` (distinct)."""
    now = int(time.time()) * 1000
    entities = {candidate_key(c): {"firstName": "Soak", "lastName": c, "emailAddresses": [f"{c}@soak.example"],
                                   "atsCreatedAt": now, "atsLastModifiedAt": now, "addresses": [],
                                   "phoneNumbers": [], "externalProfileUrl": f"https://ats.example/{c}"}
                for c in ids}
    return await partner.http.put("/v2/atsCandidates?" + candidate_ids(ids),
                                  headers={**await bearer(partner), "X-RestLi-Method": "batch_update"},
                                  json={"entities": entities})


async def call(partner: Partner, kind: str) -> tuple[httpx.Response, list[str] | None]:
    """One call of ``kind`` (a key of :data:`MIX`): its reply and the keys it asked for (None: not a batch)."""
    http, rng = partner.http, partner.rng
    if kind in ("sync candidates", "read candidates"):
        ids = list(dict.fromkeys(f"SOAK-{rng.randrange(POOL)}" for _ in range(10)))
        if kind == "read candidates":
            return await http.get("/v2/atsCandidates?" + candidate_ids(ids), headers=await bearer(partner)), ids
        return await sync(partner, ids), ids
    if kind == "post job":
        element = {"integrationContext": ORG, "externalJobPostingId": f"SOAK-JOB-{rng.randrange(200)}",
                   "title": "Soak engineer", "description": DESCRIPTION, "location": "San Francisco, CA",
                   "availability": "PRIVATE_TO_ATS_INTEGRATION", "state": "LISTED",
                   "companyApplyUrl": "https://ats.example/jobs", "listedAt": (int(time.time()) - 60) * 1000}
        reply = await http.post("/v2/simpleJobPostings", json={"elements": [element]},
                                headers={**await bearer(partner), "X-RestLi-Method": "batch_create"})
        if reply.status_code == 200:
            made = [item["id"] for item in reply.json()["elements"] if item.get("status") == 202 and "id" in item]
            partner.tasks += made
            partner.created += [(time.monotonic(), task) for task in made]
        return reply, ["element"]
    if kind == "poll task" and partner.tasks:
        task = partner.tasks.pop(0)
        return await http.get("/v2/simpleJobPostingTasks", params={"ids": task}, headers=await bearer(partner)), [task]
    if kind in ("read integrations", "poll task"):  # a poll with no task pending reads integrations instead
        return await http.get("/v2/atsIntegrations", params={"q": "request", "requestId": "1"},
                              headers=await bearer(partner)), None
    if kind == "introspect token":
        await bearer(partner)
        return await http.post("/oauth/v2/introspectToken", data={**CUSTOMER, "token": partner.token}), None
    if kind in ("widget frame", "widget profile"):
        if partner.frame is None or kind == "widget frame":
            reply = await http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                                    headers={"Origin": PAGE_ORIGIN})
            partner.frame = reply.json().get("token") if reply.status_code == 200 else None
            if kind == "widget frame":
                return reply, None
        return await http.get("/_widgets/profile", params={"atsCandidateId": f"SOAK-{rng.randrange(POOL)}",
                                                           "integrationContext": ORG},
                              headers={"X-Widget-Token": partner.frame or ""}), None
    if kind == "journal page":
        return await http.get("/_mock/requests", params={"limit": 50, "method": "GET"}), None
    return await http.get("/_mock/health"), None


def expired(reply: httpx.Response) -> bool:
    """Whether ``reply`` is LinkedIn's 401 for an expired access token (serviceErrorCode 65601)."""
    return reply.status_code == 401 and reply.json().get("serviceErrorCode") == 65601


def unexpected(kind: str, reply: httpx.Response, asked: list[str] | None) -> str | None:
    """Why ``reply`` to a call of ``kind`` that asked for ``asked`` is not the expected one (``"422"``,
    ``"item 404"``, ``"task FAILED"``, ``"missing keys"``), or None when it is."""
    if reply.status_code >= 400:
        return str(reply.status_code)
    if asked is None:
        return None
    body = reply.json()
    if kind == "post job":
        statuses = [item.get("status") for item in body.get("elements", [])]
        return None if statuses == [202] else f"element {statuses}"
    if body.get("errors"):
        return "item " + ",".join(sorted({str(error.get("status")) for error in body["errors"].values()}))
    if kind == "poll task":
        status = body.get("results", {}).get(asked[0], {}).get("status")
        return None if status in ("IN_PROGRESS", "SUCCEEDED") else f"task {status}"
    if kind == "read candidates" and len(body.get("results", {})) != len(asked):
        return "missing keys"
    return None


async def worker(partner: Partner, stop_at: float, interval: float, tally: Tally) -> None:
    """Calls of the :data:`MIX` until ``stop_at`` (monotonic s), one every ``interval`` s (0: back to back); a
    call that falls behind its time goes at once, but no burst makes up for lost ones."""
    kinds, weights = list(MIX), list(MIX.values())
    due = time.monotonic()
    while time.monotonic() < stop_at:
        if interval:
            wait = min(due, stop_at) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if time.monotonic() >= stop_at:
                break
            due = max(due, time.monotonic() - interval) + interval
        kind = partner.rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            reply, asked = await call(partner, kind)
        except httpx.HTTPError as error:
            tally.errors[f"{kind}: {type(error).__name__}"] += 1
            continue
        tally.latencies[kind].append((time.perf_counter() - started) * 1000)
        tally.calls += 1
        tally.journaled += kind not in NOT_JOURNALED
        if kind in BEARER_CALLS and expired(reply) and time.monotonic() - partner.minted >= TOKEN_TTL_S - 5:
            partner.token = None  # it lived its 30 minutes: mint another next time, as a partner does
            continue
        reason = unexpected(kind, reply, asked)
        if reason:
            tally.errors[f"{kind}: {reason}"] += 1


@dataclasses.dataclass
class Tally:
    """What the run saw: latencies ``{kind: [ms]}``, unexpected replies ``{"kind: why": count}``, calls made and
    how many of them the request journal keeps, RSS samples ``[(s since start, calls, KiB)]``."""

    latencies: dict = dataclasses.field(default_factory=lambda: defaultdict(list))
    errors: dict = dataclasses.field(default_factory=lambda: defaultdict(int))
    calls: int = 0
    journaled: int = 0
    samples: list = dataclasses.field(default_factory=list)


async def sampler(pid: int, stop_at: float, every: float, tally: Tally) -> None:
    """RSS of ``pid`` every ``every`` s until ``stop_at``, and once more at the end."""
    started = time.monotonic()
    while time.monotonic() < stop_at:
        tally.samples.append((time.monotonic() - started, tally.calls, tally.journaled, rss_kib(pid)))
        await asyncio.sleep(every)
    tally.samples.append((time.monotonic() - started, tally.calls, tally.journaled, rss_kib(pid)))


async def task_status(partner: Partner, task: str) -> int:
    """What a poll of ``task`` finds: 200 when the task is there, else the status of its error (404: forgotten)."""
    reply = await partner.http.get("/v2/simpleJobPostingTasks", params={"ids": task}, headers=await bearer(partner))
    if expired(reply):  # the token expired (they live 30 minutes): mint another, as a partner does
        partner.token = None
        reply = await partner.http.get("/v2/simpleJobPostingTasks", params={"ids": task},
                                       headers=await bearer(partner))
    reply.raise_for_status()
    return 200 if task in reply.json().get("results", {}) else reply.json()["errors"][task]["status"]


async def retention(partners: list[Partner], lifespan_s: float) -> dict[str, tuple[int, int]]:
    """``{which task: (expected status, polled status or None when there was no such task)}`` for the youngest task
    past its lifespan (404 — most likely not pruned yet, so the poll's own rule is what is checked), one aged
    between half and nine tenths of it (200) and the newest (200)."""
    now = time.monotonic()
    made = sorted((at, task, partner) for partner in partners for at, task in partner.created)
    past = next(((task, partner) for at, task, partner in reversed(made) if now - at > lifespan_s + 1), None)
    picks = {"the youngest task past its lifespan": (past, 404),
             "a task between half and nine tenths of its lifespan": (next(((t, p) for at, t, p in made
                                                 if 0.5 * lifespan_s <= now - at <= 0.9 * lifespan_s), None), 200),
             "the newest task": ((made[-1][1], made[-1][2]) if made else None, 200)}
    return {which: (expected, None if pick is None else await task_status(pick[1], pick[0]))
            for which, (pick, expected) in picks.items()}


async def soak(url: str, pid: int, args: argparse.Namespace) -> tuple[Tally, list[Partner], dict]:
    """Sync the pool, run the traffic for ``args.minutes``; the tally, the partners and :func:`retention`'s
    checks."""
    tally = Tally()
    limits = httpx.Limits(max_connections=args.workers, max_keepalive_connections=args.workers)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        partners = [Partner(http, random.Random(n)) for n in range(args.workers)]
        for start in range(0, POOL, 25):  # 25 keys: a query under LinkedIn's 4 KB
            reply = await sync(partners[0], [f"SOAK-{n}" for n in range(start, start + 25)])
            if unexpected("sync candidates", reply, ["pool"]):
                raise RuntimeError(f"syncing the candidate pool: {reply.status_code} {reply.text[:300]}")
        stop_at = time.monotonic() + args.minutes * 60
        interval = args.workers / args.rate if args.rate else 0.0
        await asyncio.gather(sampler(pid, stop_at, args.sample, tally),
                             *(worker(partner, stop_at, interval, tally) for partner in partners))
        checks = await retention(partners, args.task_lifespan)
    return tally, partners, checks


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(args: argparse.Namespace, tally: Tally, partners: list[Partner], checks: dict) -> tuple[str, bool]:
    """The markdown report and whether every verdict holds (RSS flat, p99, every reply as expected, retention)."""
    seconds, samples = args.minutes * 60, tally.samples
    warm_from = max(seconds / 3, args.task_lifespan + prune_interval(args))
    warm = next((i for i, (at, _, journaled, _) in enumerate(samples) if at >= warm_from and journaled >= JOURNAL_SIZE),
                None)
    lines = [f"# Soak: {args.minutes:g} minutes of mixed traffic", "",
             f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()},"
             f" {os.cpu_count()} cores, Python {platform.python_version()}; `rsc-mock serve --data-dir` (a fresh"
             f" directory, `--task-lifespan {args.task_lifespan}`, pruning every {prune_interval(args):g} s),"
             f" {args.workers} concurrent clients sending {f'{args.rate:g} calls/s' if args.rate else 'back to back'},"
             f" RSS sampled every {args.sample:g} s."
             f" Load average (1 min) {args.load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end: other"
             " work on the machine shares its cores, and the latencies include its share.", ""]
    errors = tally.errors
    lines += [f"{tally.calls} calls ({tally.calls / seconds:.0f}/s), {sum(errors.values())} unexpected replies"
              + (": " + ", ".join(f"{k} ×{v}" for k, v in sorted(errors.items())) if errors else ""), "",
              "| call | count | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    slow = []
    for kind in MIX:
        values = tally.latencies.get(kind, [])
        if not values:
            slow.append(f"{kind} (never called)")
            lines.append(f"| {kind} | 0 | — | — |")
            continue
        p99 = percentile(values, 0.99)
        slow += [kind] if p99 >= P99_LIMIT_MS else []
        lines.append(f"| {kind} | {len(values)} | {statistics.median(values):.1f} | {p99:.1f} |")
    lines += ["", "| at s | calls | RSS MiB |", "|---:|---:|---:|"]
    shown = samples[::max(1, len(samples) // 20)]
    shown += samples[-1:] if shown[-1:] != samples[-1:] else []
    lines += [f"| {at:.0f} | {calls} | {rss / 1024:.1f} |" for at, calls, _, rss in shown]
    lines.append("")
    if warm is None or samples[warm][0] > seconds * 2 / 3:
        flat = False
        lines.append(f"RSS: **no verdict** — the warm-up (a third of the run, {JOURNAL_SIZE} journaled calls, a task"
                     " lifespan and a pruning) did not end by two thirds into the run; run longer.")
    else:
        baseline = samples[warm][3]
        after = [rss for _, _, _, rss in samples[warm:]]
        flat = all(abs(rss - baseline) <= RSS_BAND * baseline for rss in after)
        lines.append(f"RSS after the warm-up (from {samples[warm][0]:.0f} s): baseline {baseline / 1024:.1f} MiB, "
                     f"min {min(after) / 1024:.1f}, max {max(after) / 1024:.1f}, end {after[-1] / 1024:.1f} MiB — "
                     f"**{'flat' if flat else 'NOT flat'}** (±{RSS_BAND:.0%}).")
        windows = [(calls - before) / (at - then) for (then, before, _, _), (at, calls, _, _)
                   in itertools.pairwise(samples[warm:]) if at > then]
        if windows:
            lines.append(f"Traffic after the warm-up, calls/s per {args.sample:g}-s window: min {min(windows):.0f},"
                         f" median {statistics.median(windows):.0f}, max {max(windows):.0f}.")
    lines.append(f"Latency: p99 under {P99_LIMIT_MS:g} ms for every kind of call — **"
                 + ("yes" if not slow else "no: " + ", ".join(slow)) + "**.")
    lines.append(f"Every reply as expected, item by item — **{'yes' if not errors else 'no'}**.")
    tasks = sum(len(partner.created) for partner in partners)
    held = all(expected == polled for expected, polled in checks.values())  # a task not found to poll fails it
    lines.append(f"Retention: {tasks} job postings accepted, each a task polled for {args.task_lifespan} s; at the end "
                 + (", ".join(f"{which} polled {polled} (expected {expected})"
                              for which, (expected, polled) in checks.items()) or "no task to poll")
                 + f" — **{'as' if held else 'NOT as'} the lifespan says**.")
    return "\n".join(lines) + "\n", flat and not slow and not errors and held


def prune_interval(args: argparse.Namespace) -> float:
    """Seconds between the server's prunings: a tenth of the task lifespan, at most the default minute."""
    return min(60.0, args.task_lifespan / 10)


def positive(kind: type, allow_zero: bool = False):
    """An argparse type: a ``kind`` number above 0 (or 0 too, with ``allow_zero``)."""
    def read(text: str):
        try:
            value = kind(text) if re.fullmatch(r"[0-9]+" if kind is int else r"[0-9]*\.?[0-9]+(?:e-?[0-9]+)?", text) \
                else None
        except ValueError:
            value = None
        if value is None:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or not (value >= 0 if allow_zero else value > 0):
            raise argparse.ArgumentTypeError(f"{text} must be {'0 or more' if allow_zero else 'more than 0'}")
        return value
    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=positive(float), default=30, help="length of the run (default 30)")
    parser.add_argument("--workers", type=positive(int), default=4, help="concurrent clients (default 4)")
    parser.add_argument("--rate", type=positive(float, allow_zero=True), default=500,
                        help="calls per second of all workers together, 0 for back to back (default 500)")
    parser.add_argument("--sample", type=positive(float), default=5.0, help="seconds between RSS samples (default 5)")
    parser.add_argument("--task-lifespan", type=positive(int), default=300,
                        help="seconds the server keeps job-posting tasks (default 300; the emulator's own: 2592000)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the report goes (default %(default)s)")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rsc-soak-") as work:
        log = Path(work) / "server.log"
        with log.open("wb") as server_log:
            process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                        "--data-dir", str(Path(work) / "data"), "--log-level", "warning",
                                        "--daily-quota", QUOTA, "--minute-quota", QUOTA,
                                        "--task-lifespan", str(args.task_lifespan)],
                                       env={**os.environ, "RSC_MOCK_PRUNE_INTERVAL": str(prune_interval(args)),
                                            "RSC_MOCK_JOURNAL_SIZE": str(JOURNAL_SIZE)},
                                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log)
        try:
            url = f"http://127.0.0.1:{port}"
            try:
                wait_until_healthy(url, 60, lambda: process.poll() is None)
            except RuntimeError:
                print(f"soak: the server did not start:\n{log.read_text(errors='replace')[-2000:]}", file=sys.stderr)
                return 2
            tally, partners, checks = asyncio.run(soak(url, process.pid, args))
        finally:
            process.terminate()
            process.wait(30)
    text, passed = report(args, tally, partners, checks)
    args.out.write_text(text)
    print(text)
    print(json.dumps({"passed": passed, "results": str(args.out)}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

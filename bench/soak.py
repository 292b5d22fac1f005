"""Soak: minutes of mixed partner traffic against ``rsc-mock serve --data-dir``, watching the server's memory and
the calls' latency — does it stay flat, does it stay fast?

Traffic (``--workers`` concurrent clients, each a partner integration that keeps its token until it expires, together
sending ``--rate`` calls a second — a fixed rate, so that what the emulator keeps does not follow the machine's other
load; ``--rate 0`` sends as fast as the server answers):
candidate syncs (BATCH_UPDATE of 10 candidates from a pool of 2,000) and reads (BATCH_GET), integration reads,
job postings (from a pool of 200 ids) and task polls, token introspection, widget frames and their data calls,
and the tester's side (``GET /_mock/requests`` pages, ``/_mock/health``). Every mix weight is in :data:`MIX`.

Measured: the server's RSS (``/proc/<pid>/status``) every ``--sample`` seconds, and every call's latency at the
client. After the warm-up (a third of the run, at least until the request journal is full — 10,000 requests —
and at least a task lifespan and a pruning interval) every RSS sample must stay within ±10 % of the RSS at the end
of the warm-up, and the p99 latency of every kind of call must be under 100 ms, and every reply must be the
expected one (the server runs with LinkedIn's daily and per-minute limits raised, or most of this traffic would be
answered 429).

State the emulator keeps on purpose: each job posting leaves a job-posting task, polled for 30 days (LinkedIn's
check-job-taskstatus). A 30-day lifespan cannot reach its steady state in a run of minutes — the task table would
only grow, about 0.6 KiB per posting — so the soak serves with ``--task-lifespan`` of ``--task-lifespan`` seconds
(300) and prunes every tenth of it: over the run tasks are made and forgotten many times, and flat RSS then means
nothing is kept beyond what the retention rules say (:mod:`mock_server.domain.retention`). The soak also checks
the retention itself: at the end the first task it created must poll 404 (forgotten) and the last one be found.
``--task-lifespan 2592000`` soaks with the default lifespan.

Usage: ``python bench/soak.py [--minutes 30] [--workers 4] [--rate 500]``. Prints a markdown report and writes it to
``bench/results/soak.md``; exits 1 when a verdict fails. The numbers depend on the machine and on what else runs
on it: the report says which.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import itertools
import json
import os
import platform
import random
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


@dataclasses.dataclass
class Partner:
    """One client's state: its token and the tasks it has yet to poll."""

    http: httpx.AsyncClient
    rng: random.Random
    token: str | None = None
    frame: str | None = None
    tasks: list = dataclasses.field(default_factory=list)
    created: list = dataclasses.field(default_factory=list)  # every task it was given, oldest first


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def candidate_ids(ids: list[str]) -> str:
    return "&".join(f"ids[{n}].atsCandidateId={c}&ids[{n}].dataProvider=ATS&ids[{n}].integrationContext={ORG}"
                    for n, c in enumerate(ids))


def candidate_key(candidate: str) -> str:
    return f"atsCandidateId={candidate}&dataProvider=ATS&integrationContext={ORG}"


async def bearer(partner: Partner) -> dict:
    """The partner's Authorization header, minting a token when it has none (or it expired)."""
    if partner.token is None:
        reply = await partner.http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                                       **CUSTOMER})
        reply.raise_for_status()
        partner.token = reply.json()["access_token"]
    return {"Authorization": "Bearer " + partner.token}


async def call(partner: Partner, kind: str) -> httpx.Response:
    """One call of ``kind`` (a key of :data:`MIX`)."""
    http, rng = partner.http, partner.rng
    if kind in ("sync candidates", "read candidates"):
        ids = [f"SOAK-{rng.randrange(2000)}" for _ in range(10)]
        if kind == "read candidates":
            return await http.get("/v2/atsCandidates?" + candidate_ids(ids), headers=await bearer(partner))
        now = int(time.time()) * 1000
        entities = {candidate_key(c): {"firstName": "Soak", "lastName": c, "emailAddresses": [f"{c}@soak.example"],
                                       "atsCreatedAt": now, "atsLastModifiedAt": now, "addresses": [],
                                       "phoneNumbers": [], "externalProfileUrl": f"https://ats.example/{c}"}
                    for c in ids}
        return await http.put("/v2/atsCandidates?" + candidate_ids(list(dict.fromkeys(ids))),
                              headers={**await bearer(partner), "X-RestLi-Method": "batch_update"},
                              json={"entities": entities})
    if kind == "read integrations":
        return await http.get("/v2/atsIntegrations", params={"q": "request", "requestId": "1"},
                              headers=await bearer(partner))
    if kind == "post job":
        element = {"integrationContext": ORG, "externalJobPostingId": f"SOAK-JOB-{rng.randrange(200)}",
                   "title": "Soak engineer", "description": DESCRIPTION, "location": "San Francisco, CA",
                   "availability": "PRIVATE_TO_ATS_INTEGRATION", "state": "LISTED",
                   "companyApplyUrl": "https://ats.example/jobs", "listedAt": (int(time.time()) - 60) * 1000}
        reply = await http.post("/v2/simpleJobPostings", json={"elements": [element]},
                                headers={**await bearer(partner), "X-RestLi-Method": "batch_create"})
        if reply.status_code == 200:
            made = [item["id"] for item in reply.json()["elements"] if "id" in item]
            partner.tasks += made
            partner.created += made
        return reply
    if kind == "poll task":
        if not partner.tasks:
            return await call(partner, "read integrations")
        return await http.get("/v2/simpleJobPostingTasks", params={"ids": partner.tasks.pop(0)},
                              headers=await bearer(partner))
    if kind == "introspect token":
        await bearer(partner)
        return await http.post("/oauth/v2/introspectToken", data={**CUSTOMER, "token": partner.token})
    if kind in ("widget frame", "widget profile"):
        if partner.frame is None or kind == "widget frame":
            reply = await http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                                    headers={"Origin": PAGE_ORIGIN})
            partner.frame = reply.json().get("token")
            if kind == "widget frame":
                return reply
        return await http.get("/_widgets/profile", params={"atsCandidateId": f"SOAK-{rng.randrange(2000)}",
                                                           "integrationContext": ORG},
                              headers={"X-Widget-Token": partner.frame or ""})
    if kind == "journal page":
        return await http.get("/_mock/requests", params={"limit": 50, "method": "GET"})
    return await http.get("/_mock/health")


async def worker(partner: Partner, stop_at: float, interval: float, latencies: dict, errors: dict,
                 done: list) -> None:
    """Calls of the :data:`MIX` until ``stop_at`` (monotonic s), one every ``interval`` s (0: back to back); a
    call that falls behind its time goes at once, but no burst makes up for lost ones."""
    kinds, weights = list(MIX), list(MIX.values())
    due = time.monotonic()
    while time.monotonic() < stop_at:
        if interval:
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            due = max(due, time.monotonic() - interval) + interval
        kind = partner.rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            reply = await call(partner, kind)
        except httpx.HTTPError as error:
            errors[f"{kind}: {type(error).__name__}"] += 1
            continue
        latencies[kind].append((time.perf_counter() - started) * 1000)
        done[0] += 1
        if kind in BEARER_CALLS and expired(reply):
            partner.token = None  # expired: mint another next time, as a partner does
        elif reply.status_code >= 400:
            errors[f"{kind}: {reply.status_code}"] += 1


async def sampler(pid: int, stop_at: float, every: float, samples: list, done: list) -> None:
    started = time.monotonic()
    while time.monotonic() < stop_at:
        samples.append((time.monotonic() - started, done[0], rss_kib(pid)))
        await asyncio.sleep(every)
    samples.append((time.monotonic() - started, done[0], rss_kib(pid)))


def expired(reply: httpx.Response) -> bool:
    """Whether ``reply`` is LinkedIn's 401 for an expired access token (serviceErrorCode 65601)."""
    return reply.status_code == 401 and reply.json().get("serviceErrorCode") == 65601


async def task_status(partner: Partner, task: str) -> int:
    """What a poll of ``task`` finds: 200 when the task is there, else the status of its error (404: forgotten)."""
    reply = await partner.http.get("/v2/simpleJobPostingTasks", params={"ids": task}, headers=await bearer(partner))
    if expired(reply):  # the token expired (they live 30 minutes): mint another, as a partner does
        partner.token = None
        reply = await partner.http.get("/v2/simpleJobPostingTasks", params={"ids": task},
                                       headers=await bearer(partner))
    reply.raise_for_status()
    return 200 if task in reply.json()["results"] else reply.json()["errors"][task]["status"]


async def soak(url: str, pid: int, seconds: float, workers: int, rate: float, every: float) -> tuple:
    """``(latencies {kind: [ms]}, unexpected replies {"kind: status": count}, RSS samples [(s, calls, KiB)],
    retention {"first task": status, "last task": status})``."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[tuple[float, int, int]] = []
    done = [0]
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        partners = [Partner(http, random.Random(n)) for n in range(workers)]
        await asyncio.gather(sampler(pid, stop_at, every, samples, done),
                             *(worker(p, stop_at, workers / rate if rate else 0.0, latencies, errors, done)
                               for p in partners))
        first = max(partners, key=lambda partner: len(partner.created))
        first = first if first.created else None
        retention = {} if first is None else {"first task": await task_status(first, first.created[0]),
                                              "last task": await task_status(first, first.created[-1])}
    return latencies, errors, samples, retention


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(args, seconds: float, latencies: dict, errors: dict, samples: list, retention: dict) -> tuple[str, bool]:
    """The markdown report and whether every verdict holds (RSS flat, p99, no unexpected reply, tasks forgotten
    after their lifespan and not before)."""
    warm_from = max(seconds / 3, args.task_lifespan + prune_interval(args))
    warm = next((i for i, (at, count, _) in enumerate(samples) if at >= warm_from and count >= JOURNAL_SIZE), None)
    lines = [f"# Soak: {args.minutes:g} minutes of mixed traffic", "",
             f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()},"
             f" {os.cpu_count()} cores, Python {platform.python_version()}; `rsc-mock serve --data-dir` (a fresh"
             f" directory, `--task-lifespan {args.task_lifespan}`, pruning every {prune_interval(args):g} s),"
             f" {args.workers} concurrent clients sending {f'{args.rate:g} calls/s' if args.rate else 'back to back'},"
             f" RSS sampled every {args.sample:g} s."
             f" Load average (1 min) {args.load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end: other"
             " work on the machine shares its cores, and the latencies include its share.", ""]
    total = sum(len(v) for v in latencies.values())
    lines += [f"{total} calls ({total / seconds:.0f}/s), {sum(errors.values())} unexpected replies"
              + (": " + ", ".join(f"{k} ×{v}" for k, v in sorted(errors.items())) if errors else ""), "",
              "| call | count | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    slow = []
    for kind in MIX:
        values = latencies.get(kind) or [0.0]
        p99 = percentile(values, 0.99)
        slow += [kind] if p99 >= P99_LIMIT_MS else []
        lines.append(f"| {kind} | {len(latencies.get(kind, []))} | {statistics.median(values):.1f} | {p99:.1f} |")
    lines += ["", "| at s | calls | RSS MiB |", "|---:|---:|---:|"]
    step = max(1, len(samples) // 20)
    lines += [f"| {at:.0f} | {count} | {rss / 1024:.1f} |" for at, count, rss in samples[::step] + samples[-1:]]
    lines.append("")
    if warm is None:
        flat = False
        lines.append(f"RSS: **no verdict** — the warm-up (a third of the run and {JOURNAL_SIZE} requests to fill the"
                     " journal, and a task lifespan and a pruning) did not end before the run did; run longer.")
    else:
        baseline = samples[warm][2]
        after = [rss for _, _, rss in samples[warm:]]
        flat = all(abs(rss - baseline) <= RSS_BAND * baseline for rss in after)
        lines.append(f"RSS after the warm-up (from {samples[warm][0]:.0f} s): baseline {baseline / 1024:.1f} MiB, "
                     f"min {min(after) / 1024:.1f}, max {max(after) / 1024:.1f}, end {after[-1] / 1024:.1f} MiB — "
                     f"**{'flat' if flat else 'NOT flat'}** (±{RSS_BAND:.0%}).")
        windows = [(calls - before) / (at - then) for (then, before, _), (at, calls, _)
                   in itertools.pairwise(samples[warm:]) if at > then]
        if windows:
            lines.append(f"Traffic after the warm-up, calls/s per {args.sample:g}-s window: min {min(windows):.0f},"
                         f" median {statistics.median(windows):.0f}, max {max(windows):.0f}.")
    lines.append(f"Latency: p99 under {P99_LIMIT_MS:g} ms for every kind of call — **"
                 + ("yes" if not slow else "no: " + ", ".join(slow)) + "**.")
    lines.append(f"Every reply as expected — **{'yes' if not errors else 'no'}**.")
    tasks = len(latencies.get("post job", [])) - sum(n for key, n in errors.items() if key.startswith("post job:"))
    outlived = args.task_lifespan + prune_interval(args) < seconds  # the first task must be forgotten by the end
    kept = retention == {"first task": 404 if outlived else 200, "last task": 200}
    lines.append(f"Retention: {tasks} job postings made a job-posting task each, polled for {args.task_lifespan} s;"
                 f" at the end the first task polled {retention.get('first task')} and the last"
                 f" {retention.get('last task')} — **{'as' if kept else 'NOT as'} the lifespan says**.")
    return "\n".join(lines) + "\n", flat and not slow and not errors and kept


def prune_interval(args) -> float:
    """Seconds between the server's prunings: a tenth of the task lifespan, at most the default minute."""
    return min(60.0, args.task_lifespan / 10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=500, help="calls per second of all workers (0: unpaced)")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--task-lifespan", type=int, default=300,
                        help="seconds the server keeps job-posting tasks (the emulator's default: 2592000)")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rsc-soak-") as data_dir:
        process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                    "--data-dir", data_dir, "--log-level", "warning", "--daily-quota", QUOTA,
                                    "--minute-quota", QUOTA, "--task-lifespan", str(args.task_lifespan)],
                                   env={**os.environ, "RSC_MOCK_PRUNE_INTERVAL": str(prune_interval(args))},
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, 60, lambda: process.poll() is None)
            seconds = args.minutes * 60
            latencies, errors, samples, retention = asyncio.run(soak(url, process.pid, seconds, args.workers,
                                                                      args.rate, args.sample))
        finally:
            process.terminate()
            process.wait(30)
    text, passed = report(args, seconds, latencies, errors, samples, retention)
    RESULTS.write_text(text)
    print(text)
    print(json.dumps({"passed": passed, "results": str(RESULTS.relative_to(ROOT))}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

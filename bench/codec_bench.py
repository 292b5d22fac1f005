"""Benchmark: the Rest.li key codec and the write path, this checkout against a base revision, as CPU ratios.

Usage: ``python bench/codec_bench.py [--base REV] [--rounds 6] [--load 100000]``. Writes
``bench/results/codec.md`` and prints it.

What runs: a temporary git worktree of ``REV`` (default: the ``main`` commit this work started from) beside this
checkout. Each measurement is a subprocess of ``python bench/codec_bench.py --worker ...`` whose ``PYTHONPATH``
is one tree, so each tree runs its own code; base and head alternate round by round (base, head, head, base, ...)
so the machine's other load hits both alike. The emulator is called in-process through its real ASGI app
(``create_app``, middleware included; no sockets, no HTTP parsing) and every figure is CPU time of that process
(``time.process_time``), not wall time, because the machine is shared.

* **A**: an authenticated BATCH_GET of 10 atsCandidates (Rest.li 2.0 ``ids=List(...)``), 1,000 stored;
* **B**: a BATCH_UPDATE of 100 candidates (they exist: an update, the store does not grow);
  per round, the median of ``--samples`` samples of 50 A calls / 5 B calls each; the report gives the median
  over rounds and head / base.
* **Load**: ``--load`` candidates synced by BATCH_UPDATEs of 100 into a fresh emulator whose request journal
  keeps one entry (so the growth measured is the store's, not the journal's bodies): CPU ms per batch, median of
  the first 10 and of the last 10 batches and their ratio; RSS growth (``/proc/self/status`` VmRSS, after a
  ``gc.collect()``) per stored candidate.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from workload import candidate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "codec.md"
DEFAULT_BASE = "c513823"  # main when issue 13's key codec work started
CUSTOMER = ("demo-customer", "demo-customer-secret")
ORG = "urn%3Ali%3Aorganization%3A1000"  # the demo tenant's organization, %-encoded as Rest.li 2.0 wants it
PROTOCOL = {"x-restli-protocol-version": "2.0.0"}
BATCH = 100


# ---- the workload (LinkedIn's shapes, as the Postman collection's "Sync Candidates" sends them) ----------

def key(n: int) -> str:
    """An atsCandidates key in Rest.li 2.0 form."""
    return f"(atsCandidateId:BENCH-{n},dataProvider:ATS,integrationContext:{ORG})"



def batch_update(start: int, count: int = BATCH) -> tuple[str, dict[str, str], bytes]:
    """Target, extra headers and body of a BATCH_UPDATE of candidates ``start .. start+count-1``. Its query
    (9 KB for 100 keys) is over LinkedIn's 4 KB limit, so it is tunnelled as LinkedIn's clients send it: ``POST``
    with ``X-HTTP-Method-Override: PUT`` and a ``multipart/mixed`` body (the query, then the JSON)."""
    numbers = range(start, start + count)
    query = "ids=List(" + ",".join(key(n) for n in numbers) + ")"
    body = json.dumps({"entities": {key(n): candidate(n) for n in numbers}}, separators=(",", ":"))
    boundary = "codecbench"
    content = (f"--{boundary}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n{query}\r\n"
               f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{body}\r\n--{boundary}--\r\n")
    headers = {"x-http-method-override": "PUT", "content-type": f"multipart/mixed; boundary={boundary}"}
    return "/v2/atsCandidates", headers, content.encode()


GET_TARGET = "/v2/atsCandidates?ids=List(" + ",".join(key(n) for n in range(0, 1000, 100)) + ")"


# ---- the worker: one tree's app, in this process ----------------------------------------------------------

async def asgi(app: Any, method: str, target: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    """One request through ``app``'s ASGI interface; ``(status, body)``."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": unquote(path), "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8080),
             "headers": [(b"host", b"127.0.0.1:8080"), (b"content-length", str(len(body)).encode())]
             + [(name.encode(), value.encode()) for name, value in headers.items()]}
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def emulator(journal_size: int) -> tuple[Any, dict[str, str], dict[str, str]]:
    """A fresh app and the headers of a BATCH_GET and a BATCH_UPDATE with a token."""
    from mock_server.app import create_app
    from mock_server.config import Settings

    app = create_app(Settings(daily_quota=1_000_000_000, minute_quota=1_000_000_000, journal_size=journal_size))
    form = f"grant_type=client_credentials&client_id={CUSTOMER[0]}&client_secret={CUSTOMER[1]}".encode()
    status, reply = await asgi(app, "POST", "/oauth/v2/accessToken",
                               {"content-type": "application/x-www-form-urlencoded"}, form)
    if status != 200:
        raise RuntimeError(f"token: {status} {reply[:300]!r}")
    bearer = "Bearer " + json.loads(reply)["access_token"]
    get = {"authorization": bearer, **PROTOCOL}
    put = {**get, "x-restli-method": "BATCH_UPDATE"}
    return app, get, put


async def checked(app: Any, method: str, target: str, headers: dict[str, str], body: bytes, entities: int) -> None:
    """A call that must answer 200 with ``entities`` results and no errors."""
    status, reply = await asgi(app, method, target, headers, body)
    answer = json.loads(reply) if status == 200 else {}
    if status != 200 or answer.get("errors") or len(answer.get("results", {})) != entities:
        raise RuntimeError(f"{method} {target[:60]}: {status} {reply[:400]!r}")


async def cpu_ms(app: Any, method: str, target: str, headers: dict[str, str], body: bytes, calls: int) -> float:
    """CPU ms per call over ``calls`` calls."""
    began = time.process_time()
    for _ in range(calls):
        await asgi(app, method, target, headers, body)
    return (time.process_time() - began) * 1e3 / calls


async def requests(samples: int) -> dict[str, float]:
    """Median CPU ms per call of A and B."""
    app, get, put = await emulator(10_000)
    for start in range(0, 1000, BATCH):
        target, extra, body = batch_update(start)
        await checked(app, "POST", target, {**put, **extra}, body, BATCH)
    await checked(app, "GET", GET_TARGET, get, b"", 10)
    target, extra, body = batch_update(0)
    await checked(app, "POST", target, {**put, **extra}, body, BATCH)
    a, b = [], []
    for _ in range(samples):
        a.append(await cpu_ms(app, "GET", GET_TARGET, get, b"", 50))
        b.append(await cpu_ms(app, "POST", target, {**put, **extra}, body, 5))
    return {"A": statistics.median(a), "B": statistics.median(b)}


def rss_kib() -> int:
    """This process's resident set (VmRSS), KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


async def load(count: int) -> dict[str, float]:
    """Sync ``count`` candidates; CPU ms per batch (first and last 10) and RSS growth per candidate (bytes)."""
    app, _, put = await emulator(1)
    target, extra, body = batch_update(count + 1, 1)
    await checked(app, "POST", target, {**put, **extra}, body, 1)  # the first write builds what is lazy
    gc.collect()
    before = rss_kib()
    times = []
    for start in range(0, count, BATCH):
        target, extra, body = batch_update(start, min(BATCH, count - start))
        began = time.process_time()
        await checked(app, "POST", target, {**put, **extra}, body, min(BATCH, count - start))
        times.append((time.process_time() - began) * 1e3)
    gc.collect()
    grown = (rss_kib() - before) * 1024
    first, last = statistics.median(times[:10]), statistics.median(times[-10:])
    return {"first10_ms": first, "last10_ms": last, "ratio": last / first, "bytes_per_candidate": grown / count,
            "cpu_s": sum(times) / 1e3}


def worker(args: argparse.Namespace) -> int:
    """Run one measurement in this process and print its JSON."""
    result = asyncio.run(requests(args.samples) if args.worker == "requests" else load(args.load))
    print(json.dumps(result))
    return 0


# ---- the driver --------------------------------------------------------------------------------------------

def run_worker(tree: Path, mode: str, args: argparse.Namespace) -> dict[str, float]:
    """One worker subprocess on ``tree``'s code."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "codec_bench.py"), "--worker", mode,
                           "--samples", str(args.samples), "--load", str(args.load)],
                          cwd=tree, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise RuntimeError(f"{tree} {mode}: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def git(*argv: str) -> str:
    """``git`` in this checkout; its stdout."""
    return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    """Alternate base and head; write and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=DEFAULT_BASE, help="the revision to compare with")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--samples", type=int, default=9, help="samples per round (each 50 A / 5 B calls)")
    parser.add_argument("--load", type=int, default=100_000, help="candidates of the load test (0: skip it)")
    parser.add_argument("--worker", choices=("requests", "load"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    base_rev, head_rev = git("rev-parse", "--short", args.base), git("rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    figures: dict[str, list[dict[str, float]]] = {"base": [], "head": []}
    loads: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        base_tree = Path(scratch) / "base"
        git("worktree", "add", "--detach", str(base_tree), base_rev)
        trees = {"base": base_tree, "head": ROOT}
        try:
            for index in range(args.rounds):
                order = ("base", "head") if index % 2 == 0 else ("head", "base")
                for name in order:
                    figures[name].append(run_worker(trees[name], "requests", args))
                print(f"round {index + 1}: " + ", ".join(f"{n} A {figures[n][-1]['A']:.3f} B {figures[n][-1]['B']:.2f}"
                                                        for n in order), file=sys.stderr, flush=True)
            if args.load:
                for name in ("base", "head"):
                    loads[name] = run_worker(trees[name], "load", args)
                    print(f"load {name}: {loads[name]}", file=sys.stderr, flush=True)
        finally:
            git("worktree", "remove", "--force", str(base_tree))
    med = {name: {t: statistics.median(r[t] for r in rows) for t in ("A", "B")} for name, rows in figures.items()}
    lines = [f"# Key codec and write path: {head_rev}{dirty} against {base_rev}", "",
             f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, `python bench/codec_bench.py --rounds"
             f" {args.rounds} --samples {args.samples} --load {args.load}`. In-process ASGI calls (middleware"
             " included, no sockets), CPU time of the worker process; base and head alternate round by round; the"
             " machine is shared, so only the ratios count.", "",
             "| call | base CPU ms/call | head CPU ms/call | head / base | rounds (base; head) |",
             "| --- | ---: | ---: | ---: | --- |"]
    for test, label in (("A", "A. BATCH_GET of 10"), ("B", "B. BATCH_UPDATE of 100")):
        rounds = "; ".join(" / ".join(f"{r[test]:.2f}" for r in figures[n]) for n in ("base", "head"))
        lines.append(f"| {label} | {med['base'][test]:.3f} | {med['head'][test]:.3f} |"
                     f" {med['head'][test] / med['base'][test]:.2f}× | {rounds} |")
    if loads:
        lines += ["", f"Load of {args.load:,} candidates (BATCH_UPDATEs of 100, request journal of one entry):", "",
                  "| tree | CPU ms/batch, first 10 | last 10 | last / first | RSS growth per candidate | load CPU s |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name in ("base", "head"):
            f = loads[name]
            lines.append(f"| {name} | {f['first10_ms']:.1f} | {f['last10_ms']:.1f} | {f['ratio']:.2f}× |"
                         f" {f['bytes_per_candidate'] / 1024:.2f} KiB | {f['cpu_s']:.1f} |")
    report = "\n".join(lines) + "\n"
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sandboxes under load: one ``rsc-mock serve`` holding many isolated worlds (issue 12).

Usage: ``python bench/sandboxes_bench.py [--seconds S] [--clients N] [--idle M]``. Prints a markdown report and
writes it to ``bench/results/sandboxes.md``.

What runs: the real server (``python -m mock_server serve``, a subprocess, in memory) and one client process
with ``--clients`` threads (16), each with its own keep-alive connection. Phases, in order:

1. **shared** (the baseline): every client in the server's default world, for ``--seconds``;
2. **creation**: ``--idle`` sandboxes (64) of the demo world made one after another — client-side latency per
   ``POST /_mock/sandboxes``, server CPU per sandbox, and the server's resident memory (VmRSS) before and
   after, whose difference over ``--idle`` is the memory of an idle sandbox;
3. **sandboxed**: each client in a sandbox of its own (the first ``--clients`` of phase 2; the rest stay idle),
   for ``--seconds``, with the same calls;

then phases 1 and 3 again, alternating, until each ran ``--rounds`` times (2), so drifting load on the machine
hits both alike.

The calls, in a loop: a token when the last one is 25 s old (``POST /oauth/v2/accessToken``), a finder
(``GET /v2/atsIntegrations?q=request``), a one-candidate ``BATCH_UPDATE`` of ``atsCandidates`` (a write), and
every tenth loop a journal read (``GET /_mock/requests?limit=1``). Reported per phase: calls per second of wall
time, calls per second of server CPU (from ``/proc/<pid>/stat``: other load on the machine does not change it),
median and p95 milliseconds per call, and the ratio sandboxed/shared.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sync_bench import Server  # noqa: E402

from contract_tests.contract import ids_query, key_text  # noqa: E402
from contract_tests.sync import BATCH_UPDATE, candidate, candidate_key  # noqa: E402
from mock_server.testing.server import free_port  # noqa: E402

ORG = "urn:li:organization:1000"
RESULTS = ROOT / "bench" / "results" / "sandboxes.md"
TOKEN_REFRESH_S = 25
TICKS = os.sysconf("SC_CLK_TCK")


def start_server(sandboxes: int) -> Server:
    """``rsc-mock serve`` on a free port, in memory, with room for ``sandboxes`` sandboxes."""
    port = free_port()
    return Server("rsc-mock", [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--log-level",
                               "warning", "--max-sandboxes", str(sandboxes)], port)


def cpu_s(server: Server) -> float:
    """User plus system CPU seconds the server has used so far."""
    return server.cpu_ticks() / TICKS


def rss_kib(server: Server) -> int:
    """The server's resident set size now (VmRSS), KiB."""
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def client_loop(url: str, headers: dict, credentials: tuple[str, str], worker: int, stop: threading.Event,
                latencies: list[float], failures: list[str]) -> None:
    """One client: the calls of the module docstring until ``stop`` is set; latencies in seconds."""
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        token_at, bearer, loop = 0.0, {}, 0
        while not stop.is_set():
            calls = []
            if time.monotonic() - token_at > TOKEN_REFRESH_S:
                calls.append(("POST", "/oauth/v2/accessToken", {"data": {
                    "grant_type": "client_credentials", "client_id": credentials[0],
                    "client_secret": credentials[1]}}))
            key = candidate_key(ORG, f"W{worker}-{loop % 50}")
            calls.append(("GET", f"/v2/atsIntegrations?q=request&requestId=r{loop}", {}))
            calls.append(("PUT", "/v2/atsCandidates?" + ids_query(key), {
                "json": {"entities": {key_text(key): candidate(email=f"w{worker}c{loop % 50}@bench.example")}},
                "headers": BATCH_UPDATE}))
            if loop % 10 == 0:
                calls.append(("GET", "/_mock/requests?limit=1", {}))
            for method, path, kwargs in calls:
                kwargs = {**kwargs, "headers": {**bearer, **kwargs.get("headers", {})}}
                started = time.perf_counter()
                reply = http.request(method, path, **kwargs)
                latencies.append(time.perf_counter() - started)
                if reply.status_code >= 300:
                    failures.append(f"{method} {path} {reply.status_code} {reply.text[:200]}")
                if path == "/oauth/v2/accessToken" and reply.status_code == 200:
                    token_at, bearer = time.monotonic(), {"Authorization": "Bearer " + reply.json()["access_token"]}
            loop += 1


class Phase:
    """The calls of one phase, summed over its rounds: latencies per client (seconds), wall and server CPU
    seconds."""

    def __init__(self, clients: int) -> None:
        self.latencies: list[list[float]] = [[] for _ in range(clients)]
        self.wall = self.cpu = 0.0

    def run(self, server: Server, worlds: list[tuple[dict, tuple[str, str]]], seconds: float) -> None:
        """One round: every ``(headers, credentials)`` of ``worlds`` driven by its own thread for ``seconds``."""
        stop = threading.Event()
        failures: list[str] = []
        threads = [threading.Thread(target=client_loop, args=(server.url, headers, credentials, n, stop,
                                                              self.latencies[n], failures))
                   for n, (headers, credentials) in enumerate(worlds)]
        cpu, started = cpu_s(server), time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        self.wall += time.perf_counter() - started
        self.cpu += cpu_s(server) - cpu
        if failures:
            raise RuntimeError(f"{len(failures)} failed calls, e.g. {failures[:3]}")

    def figures(self) -> dict:
        """Calls, calls per second of wall time and of server CPU, median and p95 ms, calls per client."""
        every = sorted(x for per_client in self.latencies for x in per_client)
        return {"calls": len(every), "per_s": len(every) / self.wall,
                "per_cpu_s": len(every) / self.cpu if self.cpu else float("nan"),
                "median_ms": statistics.median(every) * 1000, "p95_ms": every[int(len(every) * 0.95)] * 1000,
                "per_client": [len(per_client) for per_client in self.latencies]}


def create_idle(server: Server, count: int) -> dict:
    """``count`` sandboxes made one after another: their JSON, latencies and the server's RSS and CPU."""
    made, latencies = [], []
    rss, cpu = rss_kib(server), cpu_s(server)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for n in range(count):
            started = time.perf_counter()
            reply = http.post("/_mock/sandboxes", json={"label": f"bench {n}"})
            latencies.append(time.perf_counter() - started)
            reply.raise_for_status()
            made.append(reply.json())
    time.sleep(0.5)
    return {"sandboxes": made, "latencies_ms": sorted(x * 1000 for x in latencies),
            "rss_before": rss, "rss_after": rss_kib(server), "cpu_ms": (cpu_s(server) - cpu) * 1000 / count}


def credentials_of(doc: dict) -> tuple[str, str]:
    """The first customer's ``(client_id, client_secret)`` of a sandbox JSON."""
    found = doc["customers"][0]["credentials"]
    return found["client_id"], found["client_secret"]


def report(args, shared: dict, created: dict, sandboxed: dict, rss_end: int) -> str:
    """The markdown report."""
    per_idle = (created["rss_after"] - created["rss_before"]) / args.idle
    lat = created["latencies_ms"]
    rows = [("shared (default world)", shared), (f"sandboxed ({args.clients} sandboxes)", sandboxed)]
    spread = sandboxed["per_client"]
    return "\n".join([
        "# Sandboxes benchmark",
        "",
        f"Machine: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()};"
        f" Python {platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        " (other work on the machine shows in the wall-clock figures, not in those per server CPU second).",
        f"Command: `python bench/sandboxes_bench.py --seconds {args.seconds:g} --clients {args.clients}"
        f" --idle {args.idle} --rounds {args.rounds}`. One server process, one client process with"
        f" {args.clients} threads; the two load phases alternate, {args.rounds} rounds of {args.seconds:g} s each.",
        "",
        "## Throughput",
        "",
        "| phase | calls | calls/s | calls per server CPU s | median ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {r['calls']:,} | {r['per_s']:,.0f} | {r['per_cpu_s']:,.0f} | {r['median_ms']:.2f} |"
          f" {r['p95_ms']:.2f} |" for name, r in rows),
        "",
        f"Ratio sandboxed / shared: **{sandboxed['per_s'] / shared['per_s']:.2f}×** calls/s,"
        f" **{sandboxed['per_cpu_s'] / shared['per_cpu_s']:.2f}×** calls per server CPU second. Calls per sandbox"
        f" in the sandboxed phase: {min(spread):,} to {max(spread):,} (every sandbox served; none failed).",
        "",
        "## Creation and memory",
        "",
        f"{args.idle} sandboxes of the demo world, made one after another: median {statistics.median(lat):.1f} ms,"
        f" p95 {lat[int(len(lat) * 0.95)]:.1f} ms per `POST /_mock/sandboxes` (client side);"
        f" {created['cpu_ms']:.1f} ms of server CPU each.",
        "",
        "| server RSS | MiB |",
        "| --- | ---: |",
        f"| after the shared phase | {created['rss_before'] / 1024:.1f} |",
        f"| with {args.idle} idle sandboxes more | {created['rss_after'] / 1024:.1f} |",
        f"| after the sandboxed phase | {rss_end / 1024:.1f} |",
        "",
        f"Memory per idle sandbox of the demo world: **{per_idle:,.0f} KiB** (RSS difference over {args.idle})."
        f" The server holds at most `--max-sandboxes` (64 by default) besides its own world, so idle sandboxes"
        f" cost at most about {per_idle * 64 / 1024:,.0f} MiB; a busy one grows with what it stores and its"
        " journal (at most `RSC_MOCK_JOURNAL_SIZE` requests and 64 MiB of their bodies).",
        "",
    ])


def main() -> int:
    """Run the three phases and write the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of each load phase (default 5)")
    parser.add_argument("--clients", type=int, default=16, help="client threads, one sandbox each (default 16)")
    parser.add_argument("--idle", type=int, default=64, help="sandboxes made in the creation phase (default 64)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each load phase, alternating (default 2)")
    args = parser.parse_args()
    if args.idle < args.clients:
        parser.error("--idle must be at least --clients (the loaded sandboxes are the first of them)")
    server = start_server(args.idle)
    try:
        shared, sandboxed = Phase(args.clients), Phase(args.clients)
        default = [({}, ("demo-customer", "demo-customer-secret"))] * args.clients
        shared.run(server, default, args.seconds)
        created = create_idle(server, args.idle)
        worlds = [(doc["header"], credentials_of(doc)) for doc in created["sandboxes"][:args.clients]]
        sandboxed.run(server, worlds, args.seconds)
        for _ in range(args.rounds - 1):  # alternating, so load drift on the machine hits both alike
            shared.run(server, default, args.seconds)
            sandboxed.run(server, worlds, args.seconds)
        text = report(args, shared.figures(), created, sandboxed.figures(), rss_kib(server))
    finally:
        server.stop()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

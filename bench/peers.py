"""rsc-mock against its peers, side by side in one run: the figures A-E and the goals of issue 13.

Peers: Prism (an OpenAPI mock server, mocking rsc-mock's own ``/_mock/openapi.json``), WireMock (a stub answering
rsc-mock's recorded reply bytes, its request journal bounded like rsc-mock's: 10,000 entries), and a bare
Starlette app under the same uvicorn (``bench/bare_server.py``: parses a body if there is one, answers ``{}``).
Prism and WireMock are installed from npm by this script into ``--work``'s ``npm`` folder (kept between runs).
With ``--baseline DIR`` (another checkout of rsc-mock, e.g. a clone of ``main``) that one is measured too, as
"rsc-mock (baseline)", so a change is a ratio from the same run.

A. read: authenticated BATCH_GET of 10 atsCandidates (rsc-mock: real, after syncing 1,000 candidates), wrk
   -t2 -c16; req/s and the server's CPU per request (utime+stime of its process tree from ``/proc``, steadier
   than req/s on a shared machine).
B. write: BATCH_UPDATE of 100 candidates (the same body bytes to every server); entities/s, CPU per call. Its
   query string (100 keys, ~9 KB) is over LinkedIn's 4 KB, so it is sent query-tunnelled as LinkedIn's clients
   send it: ``POST`` with ``X-HTTP-Method-Override: PUT`` and a ``multipart/mixed`` body (query, then JSON).
C. start-up: process start to the first 200 (``/_mock/health``; WireMock ``/__admin/health``), fresh each time.
D. memory: RSS (VmRSS of the process tree) after start and after A.
E. scale: rsc-mock loaded with ``--scale`` candidates by BATCH_UPDATEs of 100: RSS per stored candidate
   (against a server holding 1,000) and the load time of the last 10 batches against the first 10.

Every comparison is interleaved round by round (the order rotating) after an untimed warm-up, and reported as
medians. Python servers run with their bytecode cached (as an installed wheel has it). Every server is a child
of this process on 127.0.0.1 and a free port, stopped by its PID; every wait is bounded.

Usage: ``python bench/peers.py [--quick] [--baseline DIR] [--work DIR]``; needs ``wrk``, ``java`` 17+ and
``node``/``npm``. Writes ``bench/results/peers.md`` (``--out``) with the goals met or not. ``--quick`` is a smoke
run (1 round of 3 s, 2 starts, 10,000 candidates for E): its figures show the harness works, not the goals.
"""

from __future__ import annotations

import argparse
import base64
import collections
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workload import candidate  # noqa: E402

from mock_server.testing.tunnel import tunnelled  # noqa: E402

LUA = ROOT / "bench" / "wrk_peers.lua"
RESULTS = ROOT / "bench" / "results" / "peers.md"
PRISM_VERSION, WIREMOCK_VERSION = "5.14.2", "3.13.2"
ORG_ENCODED = "urn%3Ali%3Aorganization%3A1000"  # the demo tenant's organization, %-encoded for Rest.li 2.0
CUSTOMER = ("demo-customer", "demo-customer-secret")
PROTOCOL = {"X-RestLi-Protocol-Version": "2.0.0"}
BATCH = 100
CLK_TCK = os.sysconf("SC_CLK_TCK")
RSC, BASELINE, PRISM, WIREMOCK, BARE = "rsc-mock", "rsc-mock (baseline)", "Prism", "WireMock", "bare Starlette"
STARTED: list[Server] = []  # every server started, stopped again by main whatever happens


# ----------------------------------------------------------------------------------------------- the workload
def key(n: int) -> str:
    """An atsCandidates key in Rest.li protocol 2.0 form."""
    return f"(atsCandidateId:BENCH-{n},dataProvider:ATS,integrationContext:{ORG_ENCODED})"



UPDATE_PATH = "/v2/atsCandidates"


def batch_update(start: int, count: int = BATCH) -> tuple[dict[str, str], bytes]:
    """Headers and body of a BATCH_UPDATE of candidates ``start .. start+count-1``, query-tunnelled: a ``POST``
    to :data:`UPDATE_PATH`."""
    numbers = range(start, start + count)
    query = "ids=List(" + ",".join(key(n) for n in numbers) + ")"
    headers, body = tunnelled("PUT", query, {"entities": {key(n): candidate(n) for n in numbers}})
    return {**headers, "X-RestLi-Method": "BATCH_UPDATE"}, body


GET_PATH = "/v2/atsCandidates?ids=List(" + ",".join(key(n) for n in range(0, 1000, 100)) + ")"  # 10 keys


# ---------------------------------------------------------------------------------------------- processes
def free_port() -> int:
    """A free TCP port of 127.0.0.1."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children[int(fields[1])].append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


class Server:
    """A server child process on 127.0.0.1:``port``; ``startup_s``: start to its first 200 on ``health``."""

    def __init__(self, name: str, argv: list[str], port: int, health: str, logs: Path,
                 env: dict[str, str] | None = None) -> None:
        self.name, self.argv, self.port, self.health, self.env = name, argv, port, health, env
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = logs / f"{name.replace(' ', '_').replace('(', '').replace(')', '')}-{port}.log"
        self.process: subprocess.Popen | None = None
        self.startup_s = float("nan")

    def start(self, timeout_s: float = 120) -> Server:
        """Start it and wait for the first 200 from ``health`` (polled every 10 ms)."""
        with open(self.log_path, "wb") as log:
            started = time.perf_counter()
            self.process = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=self.env)
        STARTED.append(self)
        with httpx.Client(timeout=2) as client:
            while time.perf_counter() - started < timeout_s:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited {self.process.returncode}: "
                                       + self.log_path.read_text(errors="replace")[-1500:])
                try:
                    if client.get(self.url + self.health).status_code == 200:
                        self.startup_s = time.perf_counter() - started
                        return self
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
        raise RuntimeError(f"{self.name}: no 200 from {self.health} within {timeout_s} s")

    def _proc(self, name: str) -> list[str]:
        texts = []
        for pid in process_tree(self.process.pid):
            try:
                texts.append(Path(f"/proc/{pid}/{name}").read_text())
            except OSError:
                pass
        return texts

    def rss_mib(self) -> float:
        """VmRSS of the process tree, MiB."""
        return sum(int(line.split()[1]) for text in self._proc("status") for line in text.splitlines()
                   if line.startswith("VmRSS:")) / 1024

    def cpu_s(self) -> float:
        """utime + stime of the process tree so far, seconds."""
        return sum(int(fields[11]) + int(fields[12])
                   for fields in (text.rsplit(")", 1)[1].split() for text in self._proc("stat"))) / CLK_TCK

    def stop(self) -> None:
        """Terminate it (by its PID), killing it after 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)


# ---------------------------------------------------------------------------------------------------- wrk
def wrk(server: Server, path: str, headers: dict, seconds: float, *, threads: int = 2, conns: int = 16,
        body_file: Path | None = None, method: str = "GET") -> dict:
    """One wrk run against ``server``: req/s, p50/p99 ms, errors, the server's CPU µs per request."""
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY_FILE": str(body_file or "")}
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA)]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    cpu = server.cpu_s()
    done = subprocess.run(argv + [server.url + path], capture_output=True, text=True, timeout=seconds + 60, env=env)
    cpu = server.cpu_s() - cpu
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk against {server.name} printed no result: {done.stdout[-800:]} {done.stderr[-800:]}")
    raw = json.loads(line[len("BENCH_JSON "):])
    requests = max(raw["requests"], 1)
    return {"rps": raw["requests"] / (raw["duration_us"] / 1e6), "p50_ms": raw["p50_us"] / 1000,
            "p99_ms": raw["p99_us"] / 1000, "requests": raw["requests"], "cpu_us": cpu * 1e6 / requests,
            "errors": raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]}


def interleaved(servers: list[Server], rounds: int, warmup_s: float,
                run: Callable[[Server, float], dict]) -> dict[str, list[dict]]:
    """``run(server, seconds)`` for every server ``rounds`` times, the order rotating each round, after one
    untimed warm-up run of ``warmup_s`` each."""
    for server in servers:
        run(server, warmup_s)
    results: dict[str, list[dict]] = {server.name: [] for server in servers}
    order = list(servers)
    for index in range(rounds):
        for server in order:
            result = run(server, 0)
            results[server.name].append(result)
            log(f"  round {index + 1} {server.name}: {result['rps']:,.0f} req/s, {result['cpu_us']:,.0f} µs CPU/req,"
                f" errors {result['errors']}")
        order = order[1:] + order[:1]
    return results


def med(results: list[dict], field: str) -> float:
    """The median of ``field`` over ``results``."""
    return statistics.median(r[field] for r in results)


def log(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- rsc-mock API
def token(server: Server) -> str:
    """A 2-legged access token of the demo customer."""
    reply = httpx.post(server.url + "/oauth/v2/accessToken", timeout=30,
                       data={"grant_type": "client_credentials", "client_id": CUSTOMER[0],
                             "client_secret": CUSTOMER[1]})
    reply.raise_for_status()
    return reply.json()["access_token"]


def load(server: Server, bearer: str, count: int) -> dict:
    """BATCH_UPDATE ``count`` candidates in batches of 100 over one keep-alive connection, checking every
    reply; seconds, entities/s and the median ms of the first and the last 10 batches."""
    times = []
    with httpx.Client(base_url=server.url, timeout=120) as client:
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            headers, body = batch_update(start, size)
            began = time.perf_counter()
            reply = client.post(UPDATE_PATH, content=body,
                                headers={**headers, "Authorization": "Bearer " + bearer, **PROTOCOL})
            times.append(time.perf_counter() - began)
            answer = reply.json()
            if reply.status_code != 200 or answer.get("errors") or len(answer.get("results", {})) != size:
                raise RuntimeError(f"load into {server.name}: {reply.status_code} {reply.text[:400]}")
    return {"entities_per_s": count / sum(times), "first10_ms": statistics.median(times[:10]) * 1000,
            "last10_ms": statistics.median(times[-10:]) * 1000}


# --------------------------------------------------------------------------------------------- the servers
class Setup:
    """Where things are and how each server starts."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.work)
        self.logs = self.work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.npm = self.work / "npm"
        self.openapi = self.work / "openapi.json"
        self.wiremock_root = self.work / "wiremock"
        self.pycache = self.work / "pycache"

    def install_peers(self) -> None:
        """Prism and WireMock (the npm package bundles WireMock's jar) into ``work/npm``, unless there."""
        prism_package = self.npm / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
        if (prism_package.exists() and json.loads(prism_package.read_text())["version"] == PRISM_VERSION
                and self.jar().exists()):
            return
        log(f"installing Prism {PRISM_VERSION} and WireMock {WIREMOCK_VERSION} from npm into {self.npm}")
        self.npm.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(self.npm),
                        f"@stoplight/prism-cli@{PRISM_VERSION}", f"wiremock@{WIREMOCK_VERSION}"],
                       check=True, timeout=900, stdout=subprocess.DEVNULL)

    def jar(self) -> Path:
        return self.npm / "node_modules" / "wiremock" / "build" / f"wiremock-standalone-{WIREMOCK_VERSION}.jar"

    def python_env(self, source: Path) -> dict[str, str]:
        """A Python server's environment: ``source`` first on the path, bytecode cached under ``work``."""
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(source), PYTHONPYCACHEPREFIX=str(self.pycache / source.name))
        return env

    def rsc_mock(self, name: str = RSC) -> Server:
        source = Path(self.args.baseline) if name.startswith(BASELINE) else ROOT
        port = free_port()
        return Server(name, [sys.executable, "-m", "mock_server", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning", "--daily-quota", "1000000000", "--minute-quota", "1000000000"],
                      port, "/_mock/health", self.logs, self.python_env(source))

    def bare(self) -> Server:
        port = free_port()
        return Server(BARE, [sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)],
                      port, "/_mock/health", self.logs, self.python_env(ROOT))

    def prism(self) -> Server:
        port = free_port()
        index = self.npm / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
        return Server(PRISM, ["node", str(index), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "fatal",
                              str(self.openapi)], port, "/_mock/health", self.logs)

    def wiremock(self) -> Server:
        port = free_port()
        return Server(WIREMOCK, ["java", "-jar", str(self.jar()), "--port", str(port), "--bind-address", "127.0.0.1",
                                 "--root-dir", str(self.wiremock_root), "--disable-banner",
                                 "--disable-request-logging", "--max-request-journal-entries", "10000",
                                 "--jetty-header-request-size", "65536"], port, "/__admin/health", self.logs)

    def write_wiremock_stubs(self, get_reply: httpx.Response, put_reply: httpx.Response) -> None:
        """WireMock's two stubs: rsc-mock's reply bytes for the BATCH_GET and the BATCH_UPDATE."""
        mappings = self.wiremock_root / "mappings"
        if mappings.exists():
            shutil.rmtree(mappings)
        mappings.mkdir(parents=True)
        for name, request, reply in (("batch_get", {"method": "GET", "url": GET_PATH}, get_reply),
                                     ("batch_update", {"method": "POST", "urlPath": UPDATE_PATH}, put_reply)):
            stub = {"request": {**request, "headers": {"Authorization": {"matches": "Bearer .+"}}},
                    "response": {"status": 200, "base64Body": base64.b64encode(reply.content).decode(),
                                 "headers": {"Content-Type": "application/json",
                                             "X-RestLi-Protocol-Version": "2.0.0"}}}
            (mappings / f"{name}.json").write_text(json.dumps(stub))


# ---------------------------------------------------------------------------------------------------- runs
def run_all(setup: Setup, args: argparse.Namespace) -> dict:
    """Tests A-E; a dict of their figures for :func:`report`."""
    warmup = min(5.0, args.seconds)  # the JVM needs a few seconds of traffic before its JIT settles
    figures: dict = {"rss": collections.defaultdict(dict)}
    ours = [setup.rsc_mock()] + ([setup.rsc_mock(BASELINE)] if args.baseline else [])
    for server in ours:
        server.start()
    time.sleep(1)
    bearers = {}
    for server in ours:
        figures["rss"][server.name]["start"] = server.rss_mib()
        bearers[server.name] = token(server)
        load(server, bearers[server.name], 1000)
    rsc = ours[0]
    get_headers = {server.name: {"Authorization": "Bearer " + bearers[server.name], **PROTOCOL} for server in ours}
    get_reply = httpx.get(rsc.url + GET_PATH, headers=get_headers[RSC], timeout=30)
    found = get_reply.json()
    if get_reply.status_code != 200 or len(found["results"]) != 10 or found["errors"]:
        raise RuntimeError(f"BATCH_GET check failed: {get_reply.status_code} {get_reply.text[:400]}")
    tunnel_headers, put_body = batch_update(0)  # candidates 0..99 again: an update, the store stays at 1,000
    body_file = setup.work / "batch_update_100.multipart"
    body_file.write_bytes(put_body)
    put_headers = {name: {**headers, **tunnel_headers} for name, headers in get_headers.items()}
    put_reply = httpx.post(rsc.url + UPDATE_PATH, content=put_body, timeout=60, headers=put_headers[RSC])
    if put_reply.status_code != 200 or put_reply.json()["errors"]:
        raise RuntimeError(f"BATCH_UPDATE check failed: {put_reply.status_code} {put_reply.text[:400]}")
    setup.openapi.write_bytes(httpx.get(rsc.url + "/_mock/openapi.json", timeout=60).content)
    setup.write_wiremock_stubs(get_reply, put_reply)
    peers = [setup.prism().start(), setup.wiremock().start(), setup.bare().start()]
    time.sleep(1)
    for server in peers:
        figures["rss"][server.name]["start"] = server.rss_mib()
        get_headers[server.name] = get_headers[RSC]
        put_headers[server.name] = put_headers[RSC]
        if httpx.get(server.url + GET_PATH, headers=get_headers[RSC], timeout=30).status_code != 200:
            raise RuntimeError(f"{server.name} does not answer the BATCH_GET with 200")

    log("A. BATCH_GET of 10")
    readers = ours + peers
    figures["A"] = interleaved(readers, args.rounds, warmup,
                               lambda s, w: wrk(s, GET_PATH, get_headers[s.name], w or args.seconds))
    for server in readers:
        figures["rss"][server.name]["after A"] = server.rss_mib()
    log("B. BATCH_UPDATE of 100")
    writers = [server for server in readers if server.name != PRISM]  # Prism's mock does not store
    figures["B"] = interleaved(writers, args.rounds, warmup,
                               lambda s, w: wrk(s, UPDATE_PATH, put_headers[s.name], w or args.seconds,
                                                body_file=body_file, method="POST"))
    for server in readers:
        server.stop()

    log("C. start-up")
    makers = [lambda: setup.rsc_mock(), setup.prism, setup.wiremock, setup.bare]
    if args.baseline:
        makers.insert(1, lambda: setup.rsc_mock(BASELINE))
    figures["C"] = collections.defaultdict(list)
    for make in makers:  # one untimed start each: bytecode and the JVM's class data cached
        make().start().stop()
    for index in range(args.starts):
        for make in makers[index % len(makers):] + makers[:index % len(makers)]:
            server = make().start()
            figures["C"][server.name].append(server.startup_s)
            server.stop()

    log(f"E. scale: 1,000 vs {args.scale:,} candidates")
    figures["E"] = {}
    for name in [RSC] + ([BASELINE] if args.baseline else []):
        small, large = setup.rsc_mock(name).start(), setup.rsc_mock(name).start()
        small_load = load(small, token(small), 1000)
        large_load = load(large, token(large), args.scale)
        figures["E"][name] = {"small": small_load, "large": large_load,
                              "small_rss": small.rss_mib(), "large_rss": large.rss_mib()}
        small.stop()
        large.stop()
    return figures


# ------------------------------------------------------------------------------------------------ report
GOALS = (
    ("A. BATCH_GET of 10: req/s", "≥ 3× Prism and ≥ 3× WireMock"),
    ("A. server CPU per request", "≤ 0.4 ms"),
    ("B. BATCH_UPDATE of 100: entities/s", "≥ 25 % of bare `json.loads`"),
    ("B. server CPU per 100-entity call", "≤ 4 ms"),
    ("C. start to first 200", "≤ 0.25 s"),
    ("D. RSS after A", "≤ 80 MiB"),
    ("E. memory per stored candidate", "≤ 2 KiB"),
    ("E. load time per batch, last 10 ÷ first 10", "≤ 1.2×"),
)


def goals(figures: dict, scale: int) -> list[tuple[str, str, str, bool]]:
    """``(figure, goal, measured, met)`` for each goal of issue 13."""
    a, b, e = figures["A"], figures["B"], figures["E"][RSC]
    rps = {name: med(runs, "rps") for name, runs in a.items()}
    cpu_a, cpu_b = med(a[RSC], "cpu_us") / 1000, med(b[RSC], "cpu_us") / 1000
    write_share = med(b[RSC], "rps") / med(b[BARE], "rps")
    start = statistics.median(figures["C"][RSC])
    rss = figures["rss"][RSC]["after A"]
    per_candidate = (e["large_rss"] - e["small_rss"]) * 1024 / max(scale - 1000, 1)
    growth = e["large"]["last10_ms"] / e["large"]["first10_ms"]
    measured = [
        (f"{rps[RSC] / rps[PRISM]:.2f}× Prism, {rps[RSC] / rps[WIREMOCK]:.2f}× WireMock",
         rps[RSC] >= 3 * rps[PRISM] and rps[RSC] >= 3 * rps[WIREMOCK]),
        (f"{cpu_a:.2f} ms", cpu_a <= 0.4), (f"{100 * write_share:.0f} %", write_share >= 0.25),
        (f"{cpu_b:.1f} ms", cpu_b <= 4), (f"{start:.2f} s", start <= 0.25), (f"{rss:.0f} MiB", rss <= 80),
        (f"{per_candidate:.1f} KiB", per_candidate <= 2), (f"{growth:.2f}×", growth <= 1.2)]
    return [(figure, goal, text, met) for (figure, goal), (text, met) in zip(GOALS, measured, strict=True)]


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(figures: dict, args: argparse.Namespace, started_at: str, load_before: tuple, load_after: tuple) -> str:
    """The markdown report: the goals, then each test's table."""
    out = ["# rsc-mock against its peers (bench/peers.py)", "",
           f"Machine: {started_at}; load average {', '.join(f'{x:.1f}' for x in load_before)} at the start,"
           f" {', '.join(f'{x:.1f}' for x in load_after)} at the end (a shared machine: rounds are interleaved and"
           " ratios are of medians from this one run).",
           f"Versions: {versions(args)}.",
           f"Command: `python bench/peers.py{' --quick' if args.quick else ''}"
           f"{' --baseline ' + args.baseline if args.baseline else ''}` ({args.rounds} round(s) × {args.seconds:g} s"
           f" per server and test after a warm-up; {args.starts} starts each; E with {args.scale:,} candidates).",
           "Settings: rsc-mock `serve --log-level warning --daily-quota 1000000000 --minute-quota 1000000000`"
           " (in memory, demo tenant; its"
           " request journal keeps 10,000 entries / 64 MiB of text); Prism `mock -v fatal`; WireMock"
           " `--disable-request-logging --max-request-journal-entries 10000`; bare Starlette = `bench/bare_server.py`."
           " Server CPU per request: utime+stime of the server's process tree over the run ÷ requests.", ""]
    if args.quick:
        out += ["**A smoke run (`--quick`)**: too short for the goals; it shows the benchmark works.", ""]
    out += ["## Goals (issue 13)", "", "| figure | goal | measured | |", "| --- | --- | ---: | --- |"]
    out += [f"| {figure} | {goal} | {text} | {'met' if met else 'not met'} |"
            for figure, goal, text, met in goals(figures, args.scale)]
    out += ["", "## A. Read: BATCH_GET of 10 atsCandidates (wrk -t2 -c16)", "",
            "| server | req/s | p50 ms | p99 ms | server CPU µs/req | rsc-mock ÷ server, req/s |"
            " rsc-mock ÷ server, CPU |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    a = figures["A"]
    for name, runs in a.items():
        out.append(f"| {name} | {med(runs, 'rps'):,.0f} | {med(runs, 'p50_ms'):.2f} | {med(runs, 'p99_ms'):.2f} |"
                   f" {med(runs, 'cpu_us'):,.0f} | {ratio(med(a[RSC], 'rps'), med(runs, 'rps'))} |"
                   f" {ratio(med(a[RSC], 'cpu_us'), med(runs, 'cpu_us'))} |")
    out += ["", "## B. Write: BATCH_UPDATE of 100 candidates (wrk -t2 -c16, the same body bytes)", "",
            "| server | entities/s | p50 ms | server CPU µs per call | rsc-mock ÷ server, entities/s |"
            " rsc-mock ÷ server, CPU |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    b = figures["B"]
    for name, runs in b.items():
        out.append(f"| {name} | {med(runs, 'rps') * BATCH:,.0f} | {med(runs, 'p50_ms'):.2f} |"
                   f" {med(runs, 'cpu_us'):,.0f} | {ratio(med(b[RSC], 'rps'), med(runs, 'rps'))} |"
                   f" {ratio(med(b[RSC], 'cpu_us'), med(runs, 'cpu_us'))} |")
    errors = {name: sum(r["errors"] for r in runs) for name, runs in [*a.items(), *b.items()]}
    out += ["", "Errors (socket errors + non-2xx) over the timed A and B runs: "
            + ", ".join(f"{name} {count}" for name, count in errors.items()) + ".", "",
            "## C. Start-up: process start to the first 200, and D. memory (RSS of the process tree, MiB)", "",
            "| server | start median s | min s | max s | RSS after start | RSS after A |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, starts in figures["C"].items():
        rss = figures["rss"].get(name, {})
        out.append(f"| {name} | {statistics.median(starts):.3f} | {min(starts):.3f} | {max(starts):.3f} |"
                   f" {rss.get('start', float('nan')):,.0f} | {rss.get('after A', float('nan')):,.0f} |")
    out += ["", f"## E. Scale: rsc-mock loaded with 1,000 and {args.scale:,} candidates (BATCH_UPDATEs of 100)", "",
            "| server | load entities/s (large) | ms/batch first 10 | last 10 | last ÷ first | RSS 1k | RSS large |"
            " KiB per extra candidate |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, e in figures["E"].items():
        large = e["large"]
        out.append(f"| {name} | {large['entities_per_s']:,.0f} | {large['first10_ms']:.1f} | {large['last10_ms']:.1f} |"
                   f" {large['last10_ms'] / large['first10_ms']:.2f} | {e['small_rss']:,.0f} | {e['large_rss']:,.0f} |"
                   f" {(e['large_rss'] - e['small_rss']) * 1024 / max(args.scale - 1000, 1):.2f} |")
    return "\n".join(out) + "\n"


def versions(args: argparse.Namespace) -> str:
    """The versions of everything measured."""
    def first_line(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "?"

    import importlib.util

    import starlette
    import uvicorn

    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return (f"rsc-mock at {commit}; Python {platform.python_version()}, Starlette {starlette.__version__}, uvicorn"
            f" {uvicorn.__version__} ({loop} installed, {http} installed); Prism {PRISM_VERSION} on node"
            f" {first_line(['node', '--version'])}; WireMock {WIREMOCK_VERSION} on {first_line(['java', '-version'])};"
            f" {first_line(['wrk', '--version'])}")


def main() -> int:
    """Run A-E and write the report (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round of 3 s, 2 starts, 10k for E")
    parser.add_argument("--baseline", help="another rsc-mock checkout (e.g. a clone of main), measured beside")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "rsc-mock-peers"),
                        help="scratch and cache directory (npm packages, logs, bytecode)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--scale", type=int, default=100_000)
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.starts, args.scale = 1, 3, 2, 10_000
    for tool in ("wrk", "java", "node", "npm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench/peers.py needs {tool} on the PATH")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers are stopped (finally below)
    setup = Setup(args)
    setup.install_peers()
    load_before, started_at = os.getloadavg(), f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC"
    try:
        figures = run_all(setup, args)
    finally:
        for server in STARTED:
            server.stop()
    text = report(figures, args, f"{started_at}; nproc {os.cpu_count()}", load_before, os.getloadavg())
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: a customer's historical sync over HTTP, against the emulator and against a bare peer.

Usage: ``python bench/sync_bench.py [--quick]``. Prints a markdown report and writes it to
``bench/results/sync.md``.

What runs: the real server (``python3 -m mock_server serve``, a subprocess, in memory, daily quotas raised so
the sync is not throttled) and, as the peer, ``bench/bare_server.py`` (same uvicorn settings; it only parses
each body with ``json.loads`` and answers 200). One client process sends, one call at a time over a
keep-alive connection, for every 100 candidates: a BATCH_UPDATE of the 100 candidates, then per candidate a
BATCH_UPDATE of its 2 notes, then a BATCH_UPDATE of their 100 applications, then per application a
BATCH_UPDATE of its 3 stages (LinkedIn's shapes, as the Postman collection sends them; notes and stages are
sub-resources of one parent, so one call each). Sizes: 1,000, 10,000 and 100,000 candidates (``--quick``: the
first two), each on a freshly reset emulator.

Measured per size: entities (candidates + notes + applications + stages) per second of request time, for the
emulator and the peer, and their ratio (goal ≥ 0.5); median and p95 milliseconds per call, per kind of call
(goal: the median at the largest size within 1.3× of the median at 1,000); the server's CPU time per call
(``/proc/<pid>/stat``, unaffected by other load on the machine); the emulator's peak RSS (VmHWM). When a goal
is missed the report ends with ``sync_profile.py``'s breakdown of where the emulator's time goes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contract_tests.contract import ids_query, key_text  # noqa: E402
from contract_tests.sync import (  # noqa: E402
    BATCH_UPDATE,
    application,
    application_key,
    candidate,
    candidate_key,
    note,
    now_ms,
)
from mock_server.testing.server import free_port  # noqa: E402
from mock_server.testing.tunnel import tunnelled  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
BATCH = 100
NOTES = 2
STAGES = 3
ORG = "urn:li:organization:1000"
CUSTOMER = ("demo-customer", "demo-customer-secret")
KINDS = ("candidates", "notes", "applications", "stages")
RESULTS = ROOT / "bench" / "results" / "sync.md"
TOKEN_TTL_S = 600  # fetch a new 1800 s token well before it expires
TUNNEL_ABOVE = 4000  # query characters above which LinkedIn's Python client tunnels (LinkedIn answers 414 > 4 KB)


class Server:
    """A server subprocess on ``port``: started, waited for, measured (``peak_rss_mb``) and stopped."""

    def __init__(self, name: str, command: list[str], port: int) -> None:
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url + "/_mock/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"{name} did not start on {self.url}")

    def cpu_ticks(self) -> int:
        """User plus system CPU time the process has used so far, in clock ticks (``/proc/<pid>/stat``)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def peak_rss_mb(self) -> float:
        """The process's peak resident set size (VmHWM), MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """Terminate and reap the process."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def as_request(path: str, body: dict) -> tuple[str, str, dict, bytes]:
    """``(method, url, headers, content)`` of a BATCH_UPDATE of ``body`` at ``path``: a PUT, or — when the query
    is too long for LinkedIn — the same call tunnelled as LinkedIn's Python client sends it."""
    base, _, query = path.partition("?")
    if len(query) <= TUNNEL_ABOVE:
        return "PUT", path, {}, json.dumps(body).encode()
    headers, content = tunnelled("PUT", query, body)
    return "POST", base, headers, content


def workload(size: int):
    """The calls of a historical sync of ``size`` candidates: ``(kind, path, body dict, entities)``."""
    for start in range(0, size, BATCH):
        numbers = range(start, min(size, start + BATCH))
        candidates = {n: candidate_key(ORG, f"CAND-{n}") for n in numbers}
        yield ("candidates", "/v2/atsCandidates?" + ids_query(*candidates.values()),
               {"entities": {key_text(key): candidate(email=f"cand{n}@bench.example")
                             for n, key in candidates.items()}}, len(candidates))
        for key in candidates.values():
            notes = {f"NOTE-{i}": note(f"Note {i} on {key['atsCandidateId']}") for i in range(NOTES)}
            yield ("notes", f"/v2/atsCandidates/{key_text(key)}/notes?" + "&".join(f"ids={i}" for i in notes),
                   {"entities": notes}, NOTES)
        applications = {n: application_key(ORG, f"APP-{n}") for n in numbers}
        yield ("applications", "/v2/atsApplications?" + ids_query(*applications.values()),
               {"entities": {key_text(key): application(f"CAND-{n}", f"JOB-{n % 50}")
                             for n, key in applications.items()}}, len(applications))
        for key in applications.values():
            stages = {f"STAGE-{i}": {"atsCreatedAt": now_ms(), "stage": name}
                      for i, name in enumerate(("New", "Phone Screen", "Onsite")[:STAGES])}
            yield ("stages", f"/v2/atsApplications/{key_text(key)}/stages?" + "&".join(f"ids={i}" for i in stages),
                   {"entities": stages}, STAGES)


class Token:
    """The demo customer's bearer header, fetched again every ``TOKEN_TTL_S`` seconds."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.fetched = 0.0
        self.header = ""

    def get(self) -> str:
        """The current ``Bearer …`` value."""
        if time.monotonic() - self.fetched > TOKEN_TTL_S:
            reply = self.client.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                                    "client_id": CUSTOMER[0],
                                                                    "client_secret": CUSTOMER[1]})
            reply.raise_for_status()
            self.header, self.fetched = "Bearer " + reply.json()["access_token"], time.monotonic()
        return self.header


def run(server: Server, size: int, check: bool) -> dict:
    """Send the sync of ``size`` candidates to ``server``: ``{"seconds", "entities", "ms": {kind: [...]},
    "cpu_ms": {kind: server CPU milliseconds}}`` (``seconds``: the sum of the calls' times). ``check``: fail
    unless every entity got 204."""
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    cpu = dict.fromkeys(KINDS, 0)
    entities = 0
    total = 0.0
    with httpx.Client(base_url=server.url, timeout=120) as client:
        token = Token(client) if check else None
        for kind, path, body, count in workload(size):
            method, url, extra, content = as_request(path, body)
            headers = {**BATCH_UPDATE, "Authorization": token.get() if token else "Bearer x", **extra}
            ticks = server.cpu_ticks()
            started = time.perf_counter()
            reply = client.request(method, url, content=content, headers=headers)
            elapsed = time.perf_counter() - started
            cpu[kind] += server.cpu_ticks() - ticks
            if reply.status_code != 200:
                raise RuntimeError(f"{server.name}: {kind} call answered {reply.status_code}: {reply.text[:500]}")
            if check:
                answer = reply.json()
                if answer["errors"] or len(answer["results"]) != count:
                    raise RuntimeError(f"{server.name}: {kind} call failed entities: {reply.text[:500]}")
            timings[kind].append(elapsed * 1000)
            entities += count
            total += elapsed
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return {"seconds": total, "entities": entities, "ms": timings,
            "cpu_ms": {kind: ticks * tick_ms for kind, ticks in cpu.items()}}


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def cpu_ratio(peer: dict, emulator: dict) -> float:
    """The peer's server CPU time over the emulator's for the same sync (entities per CPU-second, relative)."""
    return sum(peer["cpu_ms"].values()) / max(sum(emulator["cpu_ms"].values()), 1e-9)


def machine() -> str:
    """Date, cores, Python and CPU of this machine."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{now}; nproc {os.cpu_count()}; Python {platform.python_version()} "
            f"({platform.python_implementation()}); {cpu}; {platform.platform()}")


def report(results: dict[int, dict], peaks: dict[int, float], command: str) -> tuple[str, bool]:
    """The markdown report of ``results`` (``{size: {"emulator": run, "baseline": run}}``) and whether both
    goals are met."""
    sizes = sorted(results)
    lines = ["# Sync benchmark (historical sync over HTTP)", "",
             f"Machine: {machine()}.",
             f"Command: `{command}`. One client process (httpx, one call at a time, keep-alive) and one server"
             " process; 2 cores in all.", "",
             f"Per {BATCH} candidates: 1 candidates call ({BATCH} entities), {BATCH} notes calls ({NOTES} each),"
             f" 1 applications call ({BATCH}), {BATCH} stages calls ({STAGES} each). Rates are entities per"
             " second of request time (client-side, from send to parsed reply headers and body).", "",
             f"Load average when the report was written: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
             " (other work on the machine shows in the wall-clock times; the server CPU columns, from"
             " /proc/<pid>/stat around each call, are not affected by it).", "",
             "| candidates | entities | calls | emulator entities/s | bare peer entities/s | ratio |"
             " ratio by server CPU | emulator median ms/call | p95 ms/call | emulator peak RSS MiB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size in sizes:
        emulator, peer = results[size]["emulator"], results[size]["baseline"]
        every = [ms for kind in KINDS for ms in emulator["ms"][kind]]
        rate, peer_rate = emulator["entities"] / emulator["seconds"], peer["entities"] / peer["seconds"]
        lines.append(f"| {size:,} | {emulator['entities']:,} | {len(every):,} | {rate:,.0f} | {peer_rate:,.0f} |"
                     f" {rate / peer_rate:.2f} | {cpu_ratio(peer, emulator):.2f} | {statistics.median(every):.2f} |"
                     f" {p95(every):.2f} |"
                     f" {peaks[size]:,.0f} |")
    lines += ["", "Per kind of call (milliseconds):", "",
              "| candidates | call | calls | emulator median | emulator p95 | emulator server CPU/call |"
              " peer median | peer p95 | peer server CPU/call |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size in sizes:
        for kind in KINDS:
            mine, peer = results[size]["emulator"], results[size]["baseline"]
            calls = len(mine["ms"][kind])
            lines.append(f"| {size:,} | {kind} | {calls:,} | {statistics.median(mine['ms'][kind]):.2f} |"
                         f" {p95(mine['ms'][kind]):.2f} | {mine['cpu_ms'][kind] / calls:.2f} |"
                         f" {statistics.median(peer['ms'][kind]):.2f} | {p95(peer['ms'][kind]):.2f} |"
                         f" {peer['cpu_ms'][kind] / calls:.2f} |")
    first, last = sizes[0], sizes[-1]
    ratios = {size: (results[size]["emulator"]["entities"] / results[size]["emulator"]["seconds"])
              / (results[size]["baseline"]["entities"] / results[size]["baseline"]["seconds"]) for size in sizes}
    growth = {kind: statistics.median(results[last]["emulator"]["ms"][kind])
              / statistics.median(results[first]["emulator"]["ms"][kind]) for kind in KINDS}
    verdict = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
    lines += ["", "## Goals", "",
              f"- Rate ≥ 0.5× the bare peer: {', '.join(f'{s:,}: {r:.2f}' for s, r in ratios.items())} —"
              f" **{verdict(min(ratios.values()) >= 0.5)}** (by server CPU: "
              + ", ".join(f"{s:,}: {cpu_ratio(results[s]['baseline'], results[s]['emulator']):.2f}" for s in sizes)
              + ").",
              f"- Median time per call at {last:,} within 1.3× of {first:,}: "
              + ", ".join(f"{kind} {ratio:.2f}×" for kind, ratio in growth.items())
              + f" — **{verdict(max(growth.values()) <= 1.3)}**."]
    return "\n".join(lines) + "\n", min(ratios.values()) >= 0.5 and max(growth.values()) <= 1.3


def main() -> int:
    """Run the benchmark, print the report and write it to ``bench/results/sync.md``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 candidates only")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"report file (default {RESULTS})")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    emulator_port, peer_port = free_port(), free_port()
    emulator = Server("emulator", [sys.executable, "-m", "mock_server", "serve", "--port", str(emulator_port),
                                   "--log-level", "warning", "--daily-quota", "100000000"], emulator_port)
    peer = Server("bare peer", [sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(peer_port)],
                  peer_port)
    results, peaks = {}, {}
    try:
        for size in sizes:
            httpx.post(emulator.url + "/_mock/reset", timeout=60).raise_for_status()
            results[size] = {"emulator": run(emulator, size, check=True), "baseline": run(peer, size, check=False)}
            peaks[size] = emulator.peak_rss_mb()
            print(f"{size:,} candidates done", file=sys.stderr, flush=True)
    finally:
        emulator.stop()
        peer.stop()
    text, met = report(results, peaks, "python bench/sync_bench.py" + (" --quick" if args.quick else ""))
    args.output.write_text(text, encoding="utf-8")
    if not met:  # written first: the measurements survive a failure of the profile
        from sync_profile import where_time_goes

        text += "\n" + where_time_goes()
        args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

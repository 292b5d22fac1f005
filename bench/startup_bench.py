"""Start-up time of ``rsc-mock serve``: from process start to the first ``200`` from ``GET /_mock/health``,
against a peer measured the same way in the same run — the bare Starlette app of ``bare_server.py`` under the
same uvicorn (any path answers 200) — so the result is a ratio and an absolute time on this machine.

Usage: ``python bench/startup_bench.py [--runs N]``. Prints a markdown report and writes it to
``bench/results/startup.md``. Aim (issue 13): process start to the first 200 within 0.25 s.

Both servers run with their bytecode cached, as an installed wheel has it (``PYTHONPYCACHEPREFIX`` under the
system's temporary directory, ``PYTHONDONTWRITEBYTECODE`` unset; one untimed start each fills it), and each
start reports the CPU seconds the server process had used when it answered (``/proc/<pid>/stat``), steadier
than wall time on a loaded machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mock_server.testing.server import free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "startup.md"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def server_env() -> dict[str, str]:
    """The environment servers start in: bytecode cached under the temporary directory (see the docstring)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "rsc-mock-bench-pycache")
    return env


def cpu_seconds(pid: int) -> float:
    """utime + stime of process ``pid`` (seconds), from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def time_to_health(command: list[str], port: int, timeout_s: float = 30) -> tuple[float, float]:
    """``(seconds, CPU seconds)`` from starting ``command`` to the first 200 from ``/_mock/health`` on ``port``;
    the process is stopped afterwards. Polls every 5 ms (the polling is the measurement, not a wait for a
    condition)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=server_env())
    try:
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < timeout_s:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()[-2000:])
                try:
                    if client.get(f"http://127.0.0.1:{port}/_mock/health").status_code == 200:
                        return time.perf_counter() - started, cpu_seconds(process.pid)
                except httpx.HTTPError:
                    time.sleep(0.005)
        raise RuntimeError(f"no health answer within {timeout_s} s")
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    """Alternate emulator and peer starts ``--runs`` times each; report medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    commands = {
        "emulator": lambda port: [sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                  "--log-level", "warning"],
        "peer": lambda port: [sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for index in range(args.runs + 1):  # alternating, so load drift hits both alike; the first start fills caches
        for name, command in commands.items():
            port = free_port()
            measured = time_to_health(command(port), port)
            if index:
                runs[name].append(measured)
    emulator, peer = [wall for wall, _ in runs["emulator"]], [wall for wall, _ in runs["peer"]]
    cpu_e = statistics.median(cpu for _, cpu in runs["emulator"])
    cpu_p = statistics.median(cpu for _, cpu in runs["peer"])
    median_e, median_p = statistics.median(emulator), statistics.median(peer)
    text = "\n".join([
        "# Start-up benchmark",
        "",
        f"Machine: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()};"
        f" Python {platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        f"Command: `python bench/startup_bench.py --runs {args.runs}`.",
        "",
        "| server | runs | median s to first health 200 | max s | median CPU s at that 200 |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| rsc-mock serve (demo tenant) | {args.runs} | {median_e:.3f} | {max(emulator):.3f} | {cpu_e:.3f} |",
        f"| bare Starlette peer | {args.runs} | {median_p:.3f} | {max(peer):.3f} | {cpu_p:.3f} |",
        "",
        f"Ratio of the medians: **{median_e / median_p:.2f}×** (CPU {cpu_e / cpu_p:.2f}×). Aim: within 0.25 s —"
        f" {'**met**' if median_e <= 0.25 else '**not met**'} (median {median_e:.3f} s).",
        "",
    ])
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

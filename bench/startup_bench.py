"""Start-up time of ``rsc-mock serve``: from process start to the first ``200`` from ``GET /_mock/health``,
against a peer measured the same way in the same run — the bare Starlette app of ``bare_server.py`` under the
same uvicorn (any path answers 200) — so the result is a ratio and an absolute time on this machine.

Usage: ``python bench/startup_bench.py [--runs N]``. Prints a markdown report and writes it to
``bench/results/startup.md``. The issue's aim: health answers within a second of the start.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mock_server.testing.server import free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "startup.md"


def time_to_health(command: list[str], port: int, timeout_s: float = 30) -> float:
    """Seconds from starting ``command`` to the first 200 from ``/_mock/health`` on ``port``; the process
    is stopped afterwards. Polls every 5 ms (the polling is the measurement, not a wait for a condition)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(timeout=1) as client:
            while time.perf_counter() - started < timeout_s:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()[-2000:])
                try:
                    if client.get(f"http://127.0.0.1:{port}/_mock/health").status_code == 200:
                        return time.perf_counter() - started
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
    emulator, peer = [], []
    for _ in range(args.runs):  # alternating, so load drift hits both alike
        port = free_port()
        emulator.append(time_to_health([sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                        "--log-level", "warning"], port))
        port = free_port()
        peer.append(time_to_health([sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)],
                                   port))
    median_e, median_p = statistics.median(emulator), statistics.median(peer)
    text = "\n".join([
        "# Start-up benchmark",
        "",
        f"Machine: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()};"
        f" Python {platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        f"Command: `python bench/startup_bench.py --runs {args.runs}`.",
        "",
        "| server | runs | median s to first health 200 | max s |",
        "| --- | ---: | ---: | ---: |",
        f"| rsc-mock serve (demo tenant) | {args.runs} | {median_e:.3f} | {max(emulator):.3f} |",
        f"| bare Starlette peer | {args.runs} | {median_p:.3f} | {max(peer):.3f} |",
        "",
        f"Ratio of the medians: **{median_e / median_p:.2f}×**. Aim: under 1 s —"
        f" {'**ok**' if max(emulator) < 1 else '**missed**'} (slowest run {max(emulator):.3f} s).",
        "",
    ])
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Wall time of a full guided certification run (modules 1-5, every case) against the reference ATS of
``examples/partner``, and of one run per broken variant.

Both servers run in this process (the emulator under uvicorn, the reference ATS on ``http.server``), each on
its own port, a fresh emulator per run. The peer, measured in the same run, is the reference ATS's own work:
the wall time spent inside its certification-hook actions and push handlers (its sync calls to the emulator
included; a push handler's time includes waiting for the connector's lock, and handlers may overlap), so
``run / partner work`` is what the certification adds around it (LinkedIn's side, grading, waiting). For
each run the emulator's clock moved forward too (deadlines pass on the clock, nothing sleeps): the table
shows how far.

Usage: ``python bench/certify_bench.py [--runs N] [--quiet-seconds S]``. Prints a markdown report and writes it
to ``bench/results/certify.md``. The issue's aim: a full guided run in under 60 s of wall time.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from examples.partner import connector as partner_connector  # noqa: E402
from examples.partner import hook as partner_hook  # noqa: E402
from examples.partner.connector import Flaws  # noqa: E402
from examples.partner.server import start  # noqa: E402
from mock_server.certification import client  # noqa: E402
from mock_server.certification.cases import CASES  # noqa: E402
from mock_server.config import Settings  # noqa: E402
from mock_server.testing.server import RunningServer  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "certify.md"
AIM_S = 60.0
BUSY = {"s": 0.0}


def timed(function):
    """``function`` adding its wall time to the partner's busy time."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            BUSY["s"] += time.perf_counter() - began
    return wrapper


partner_hook.Hook.answer = timed(partner_hook.Hook.answer)
partner_connector.Connector.handle_push = timed(partner_connector.Connector.handle_push)


def one_run(flaws: tuple[str, ...], quiet_s: float) -> dict:
    """A full guided run on a fresh emulator: wall s, partner work s, emulator ms moved, failed cases."""
    settings = Settings()
    settings.host, settings.port = "127.0.0.1", 0
    with RunningServer(settings) as emulator:
        partner = start(emulator.url, flaws=Flaws.named(flaws))
        try:
            clock_before = httpx.get(emulator.url + "/_mock/clock").json()["now"]
            BUSY["s"] = 0.0
            began = time.perf_counter()
            report = client.guided(emulator.url, list(CASES), partner=partner.hook_url, quiet_s=quiet_s)
            wall = time.perf_counter() - began
            busy = BUSY["s"]
            moved = httpx.get(emulator.url + "/_mock/clock").json()["now"] - clock_before
        finally:
            partner.stop()
    modules: dict[int, float] = {}
    for entry in report.document["cases"]:
        modules[entry["module"]] = modules.get(entry["module"], 0) + entry.get("durationMs", 0) / 1000
    return {"wall": wall, "busy": busy, "moved_ms": moved, "modules": modules,
            "failed": sorted(case for case, result in report.results.items() if result.status != "pass")}


def main() -> int:
    """``--runs`` reference runs (median reported) and one run per flaw; writes the markdown report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quiet-seconds", type=float, default=0.5)
    args = parser.parse_args()
    reference = [one_run((), args.quiet_seconds) for _ in range(args.runs)]
    flaws = [field.replace("_", "-") for field in Flaws.__dataclass_fields__]
    broken = {name: one_run((name,), args.quiet_seconds) for name in flaws}
    wall = statistics.median(run["wall"] for run in reference)
    busy = statistics.median(run["busy"] for run in reference)
    lines = [
        "# Certification benchmark", "",
        f"Machine: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()};"
        f" Python {platform.python_version()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        f"Command: `python bench/certify_bench.py --runs {args.runs} --quiet-seconds {args.quiet_seconds}`"
        f" ({len(CASES)} cases, modules 1-5).", "",
        "| run | wall s | reference ATS's own work s | run / own work | emulator clock moved | cases not passed |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for index, run in enumerate(reference, 1):
        lines.append(f"| reference #{index} | {run['wall']:.2f} | {run['busy']:.2f} | {run['wall'] / run['busy']:.2f}×"
                     f" | {run['moved_ms'] / 60000:.1f} min | {', '.join(run['failed']) or 'none'} |")
    for name, run in broken.items():
        lines.append(f"| --flaw {name} | {run['wall']:.2f} | {run['busy']:.2f} | {run['wall'] / run['busy']:.2f}× |"
                     f" {run['moved_ms'] / 60000:.1f} min | {', '.join(run['failed'])} |")
    per_module = {module: statistics.median(run["modules"].get(module, 0) for run in reference)
                  for module in range(1, 6)}
    lines += ["", "Reference run, median wall s per module: "
              + ", ".join(f"module {module} {seconds:.2f}" for module, seconds in per_module.items()) + ".", "",
              f"Median full guided run: **{wall:.2f} s** of wall time, {wall / busy:.2f}× the reference ATS's own work"
              f" ({busy:.2f} s). Aim: under {AIM_S:.0f} s — **{'ok' if wall < AIM_S else 'missed'}**"
              f" (slowest {max(run['wall'] for run in reference):.2f} s). A broken variant's run is longer only by the"
              " cases that wait out their deadline: the emulator's clock moves past it in a few quiet waits of"
              f" {args.quiet_seconds} s each."]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    print(text)
    return 0 if wall < AIM_S else 1


if __name__ == "__main__":
    sys.exit(main())

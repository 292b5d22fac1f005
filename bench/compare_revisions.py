"""Benchmark: this checkout against an earlier revision, in the same run, so a refactoring's cost is a ratio.

Usage: ``python bench/compare_revisions.py --base REV [--rounds 2]``. Writes ``bench/results/revisions.md``.

What runs: a temporary git worktree of ``REV`` beside this checkout; then, ``--rounds`` times and alternating
(base, head, base, head, ...) so drift in the machine's load hits both alike, each tree's own
``bench/sync_bench.py --quick`` (the server is the tree's own ``python -m mock_server serve``). From each report
it reads the emulator's **server CPU milliseconds per call** for each kind of call and size (measured from
``/proc/<pid>/stat``, so other load on the machine barely moves it), and reports head / base per row as the
median over the rounds. ``/proc`` counts CPU time in 10 ms ticks, so a median over fewer than
:data:`MIN_CALLS` calls is too coarse to compare: such rows are shown but left out of the verdict. A ratio within
0.9-1.1 is noise on this 2-core machine; above 1.1 is a regression.
"""

from __future__ import annotations

import argparse
import datetime
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "revisions.md"
ROW = re.compile(r"^\| ([\d,]+) \| (candidates|notes|applications|stages) \| ([\d,]+)"
                 r" \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|", re.MULTILINE)
MIN_CALLS = 100


def server_cpu_per_call(report: str) -> dict[tuple[str, str], tuple[int, float]]:
    """``{(size, kind of call): (calls, emulator server CPU ms per call)}`` read from a ``sync_bench.py`` report."""
    return {(size, kind): (int(calls.replace(",", "")), float(cpu)) for size, kind, calls, cpu in ROW.findall(report)}


def run_sync_bench(tree: Path, output: Path) -> dict[tuple[str, str], tuple[int, float]]:
    """Run ``tree``'s own sync benchmark (``--quick``) and read its figures; raises ``RuntimeError`` on failure."""
    done = subprocess.run([sys.executable, str(tree / "bench" / "sync_bench.py"), "--quick", "--output", str(output)],
                          cwd=tree, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: a goal of that bench was missed, the figures still stand
        raise RuntimeError(f"{tree}: sync_bench failed:\n{done.stderr[-2000:]}")
    figures = server_cpu_per_call(output.read_text(encoding="utf-8"))
    if not figures:
        raise RuntimeError(f"{tree}: no per-call table in {output}")
    return figures


def main() -> int:
    """Alternate base and head ``--rounds`` times; write and print the ratio table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the earlier revision (commit, tag or branch)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    base_rev = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    head_rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        base_tree = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base_tree), base_rev], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            rounds: dict[str, list[dict]] = {"base": [], "head": []}
            for number in range(args.rounds):
                for name, tree in (("base", base_tree), ("head", ROOT)):
                    print(f"round {number + 1}: {name}", file=sys.stderr, flush=True)
                    rounds[name].append(run_sync_bench(tree, Path(scratch) / f"{name}-{number}.md"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, capture_output=True)
    lines = [
        "# This checkout against an earlier revision",
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC."
        " Command: `python bench/compare_revisions.py"
        f" --base {args.base} --rounds {args.rounds}`; base {base_rev}, head {head_rev}.",
        "Emulator server CPU ms per call (median over the rounds) from each tree's `bench/sync_bench.py --quick`.",
        "",
        "| candidates | call | calls | base ms | head ms | head / base |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    ratios = []
    for key in rounds["base"][0]:
        calls = rounds["base"][0][key][0]
        base = statistics.median(r[key][1] for r in rounds["base"])
        head = statistics.median(r[key][1] for r in rounds["head"])
        ratio = head / base if base else float("nan")
        counted = calls >= MIN_CALLS
        if counted:
            ratios.append(ratio)
        lines.append(f"| {key[0]} | {key[1]} | {calls:,} | {base:.2f} | {head:.2f} | {ratio:.2f}"
                     f"{'' if counted else ' (too few calls to compare)'} |")
    verdict = "no regression beyond noise" if max(ratios) <= 1.1 else "**regression**"
    lines += ["", f"Largest ratio {max(ratios):.2f}: {verdict} (noise band 0.9-1.1).", ""]
    text = "\n".join(lines)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0 if max(ratios) <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())

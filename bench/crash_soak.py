"""Crash soak: concurrent clients on the same keys against a real ``rsc-mock serve --data-dir``, SIGKILLed at
random points again and again, checked after every restart (tests/crash_workload.py; the CI test
tests/test_durability_sigkill.py runs the same at a small size).

Usage: ``python bench/crash_soak.py [--rounds N] [--clients N] [--candidates N] [--seed S] [--quick]``.
Prints a markdown report and, unless ``--quick``, writes it to ``bench/results/crash_soak.md``. The default
(30 rounds, 16 clients) takes a few minutes on an idle 2-core machine. Every request goes to 127.0.0.1 and
the run stops by itself.

Per round the clients write until a random number of writes (200 to 1,000) were acknowledged, the server is
killed a random 0-30 ms later (odd rounds) or as soon as a checkpoint is being written (even rounds), the
clients still writing; ``rsc-mock store verify`` checks the directory
offline, the server is restarted and the check runs: every acknowledged write is there unless a write that may
have followed it replaced it, and no note outlived its candidate. Checkpoints are made frequent
(``RSC_MOCK_COMPACT_MIN_BYTES=65536``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reporting import head, publish, started  # noqa: E402
from mock_server.cli import main as rsc_mock  # noqa: E402
from tests.crash_workload import ACKED, CrashWorkload  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "crash_soak.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="3 rounds; do not write the results file")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    since = started()
    mid_checkpoint = verified = passed = 0

    def while_down(data_dir: Path) -> None:
        nonlocal mid_checkpoint, verified
        mid_checkpoint += len(list(data_dir.glob("wal.*.log"))) > 1  # killed while a checkpoint was written
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = rsc_mock(["store", "verify", "--data-dir", str(data_dir)])
        if code != 0:
            raise AssertionError(f"store verify after a kill: {err.getvalue()}")
        verified += 1

    began = time.monotonic()
    lines = []
    with tempfile.TemporaryDirectory() as scratch:
        workload = CrashWorkload(Path(scratch) / "data", args.clients, args.candidates, seed,
                                 log=Path(scratch) / "server.log", env={"RSC_MOCK_COMPACT_MIN_BYTES": "65536"})
        try:
            for number in range(1, rounds + 1):
                done = workload.run_round(rng.randint(200, 1000), while_down, in_checkpoint=number % 2 == 0)
                visible = workload.check()
                assert not workload.server_errors, workload.server_errors[:3]
                passed += 1
                lines.append(done)
                print(f"round {number}: {done.acknowledged} acknowledged, {done.refused} refused, {done.unknown}"
                      f" unknown at the kill; restart {done.restart_seconds:.2f} s; check passed", flush=True)
        finally:
            workload.close()
        generations = len(list((Path(scratch) / "data").glob("wal.*.log")))
        last_generation = max(int(p.name.split(".")[1]) for p in (Path(scratch) / "data").glob("wal.*.log"))
        history = workload.history
    elapsed = time.monotonic() - began
    acknowledged = sum(w.outcome == ACKED for w in history)
    restarts = [done.restart_seconds for done in lines]
    report = "\n".join([
        *head("Crash soak", since, f"python bench/crash_soak.py{' --quick' if args.quick else ''} --rounds {rounds}"
                                   f" --clients {args.clients} --candidates {args.candidates} --seed {seed}"),
        "| figure | value |",
        "| --- | ---: |",
        f"| SIGKILLs (rounds), each followed by `store verify` and a restart | {rounds} |",
        f"| kills that landed while a checkpoint was being written | {mid_checkpoint} |",
        f"| writes sent | {len(history):,} |",
        f"| acknowledged | {acknowledged:,} |",
        f"| refused (a note of a deleted candidate, a delete of a missing one) |"
        f" {sum(done.refused for done in lines):,} |",
        f"| unknown (in flight at a kill) | {sum(done.unknown for done in lines):,} |",
        f"| rounds whose check passed (no acknowledged write lost, no orphan note) | {passed} of {rounds} |",
        f"| rounds whose directory `store verify` found intact after the kill | {verified} of {rounds} |",
        f"| acknowledged writes still the current value at the end | {visible:,} |",
        f"| checkpoint generations reached | {last_generation} ({generations} log file(s) at the end) |",
        f"| restart to healthy, median / max s | {statistics.median(restarts):.2f} / {max(restarts):.2f} |",
        f"| wall time s | {elapsed:.0f} |",
        "",
        "The run stops at the first round whose check fails, with the register and the writes that broke it.",
        "",
    ])
    print()
    publish(report, RESULTS, args.quick)


if __name__ == "__main__":
    main()

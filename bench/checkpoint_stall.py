"""Benchmark: how long a checkpoint of a large data directory stalls the requests running beside it.

Usage: ``python bench/checkpoint_stall.py [--quick]``.  Prints a markdown report and, unless ``--quick``,
writes it to ``bench/results/checkpoint_stall.md``.  About a minute on an idle 2-core machine.

A store holding about 63 MB of JSON (100,000 candidate-like documents; ``--quick``: 10,000) in a data
directory; a prober thread does what a request does -- read one document, write one (one fsynced commit) --
in a loop and records how long each round takes.  Measured, in the same run:

* **blocking** -- ``Store.checkpoint()``: the state encoded and written under the store's lock, which is what
  every automatic checkpoint did before they moved to a thread (and what an explicit checkpoint still does);
* **background** -- the automatic checkpoint a commit starts: the next log is created and the tables are
  copied (dicts of references) under the lock, then a thread encodes and writes the file;
* **idle** -- the prober alone, as the baseline.

Reported: the longest prober round (the stall a request sees) and the p99 during each window, the
checkpoint's own duration, and the ratio of the longest rounds, blocking / background.  No timing is
asserted anywhere: this is a measurement.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reporting import head, publish, started  # noqa: E402
from mock_server.store import Store  # noqa: E402
from mock_server.store.datadir import DataDir  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "checkpoint_stall.md"


def document(i: int) -> dict:
    """A candidate-like document of about 630 bytes of JSON."""
    return {"id": f"urn:li:atsCandidate:{i}", "group": i % 97, "owner": f"urn:li:person:{i % 1009}",
            "firstName": f"First{i}", "lastName": f"Last{i}", "emails": [f"person{i}@example.com"],
            "phones": [{"type": "MOBILE", "number": f"+1 555 {i:07d}"}],
            "address": {"line1": f"{i} Main Street", "city": "Springfield", "country": "US"},
            "summary": "Builds emulators of recruiting platforms, offline and faithful. " * 3,
            "tags": ["imported", f"batch-{i // 100}"], "createdAt": 1_700_000_000_000 + i, "active": i % 3 != 0}


class Prober:
    """A thread reading and writing one document per round until stopped; ``rounds`` holds
    ``(start, read seconds, write seconds)`` of each round (``time.perf_counter``)."""

    def __init__(self, store: Store) -> None:
        self.table = store.table("candidates")
        self.rounds: list[tuple[float, float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prober")

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            began = time.perf_counter()
            self.table.get(f"c{n % 1000}")
            read = time.perf_counter()
            self.table.put("probe", {"n": n})
            self.rounds.append((began, read - began, time.perf_counter() - read))
            n += 1
            time.sleep(0.001)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def window(self, start: float, end: float) -> list[tuple[float, float]]:
        """``(read ms, write ms)`` of the rounds that overlap ``[start, end]``."""
        return [(read * 1000, write * 1000) for began, read, write in self.rounds
                if began <= end and began + read + write >= start]


def measure(store: Store, checkpoint: Callable[[], None]) -> tuple[list[tuple[float, float]], float]:
    """Run ``checkpoint`` (which returns when the checkpoint file is written) beside a prober; return the
    prober's ``(read ms, write ms)`` rounds during it and the checkpoint's duration (ms)."""
    with Prober(store) as prober:
        time.sleep(0.3)
        start = time.perf_counter()
        checkpoint()
        end = time.perf_counter()
        time.sleep(0.1)
    return prober.window(start, end), (end - start) * 1000


def background_checkpoint(store: Store) -> Callable[[], None]:
    """A function that makes the next commit start an automatic checkpoint and waits for its thread."""
    def run() -> None:
        wants = DataDir.wants_checkpoint
        DataDir.wants_checkpoint = lambda self: True  # type: ignore[method-assign]
        try:
            store.table("trigger").put("t", {"at": time.time()})
        finally:
            DataDir.wants_checkpoint = wants  # type: ignore[method-assign]
        [thread] = [t for t in threading.enumerate() if t.name == "rsc-mock checkpoint"]
        thread.join()
    return run


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 documents; do not write the results file")
    args = parser.parse_args()
    count = 10_000 if args.quick else 100_000
    since = started()
    rows = []
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "data", compact_min_bytes=1 << 40) as store:
        tables = {"candidates": {f"c{i}": document(i) for i in range(count)}}
        store.import_snapshot({"format": "rsc-mock-snapshot", "version": 1, "tables": tables})
        del tables
        size = (Path(scratch) / "data" / "checkpoint.json").stat().st_size
        results = {}
        for label, run in (("idle (no checkpoint)", lambda: time.sleep(1.5)),
                           ("blocking (`Store.checkpoint()`)", store.checkpoint),
                           ("background (automatic)", background_checkpoint(store))):
            rounds, took = measure(store, run)
            reads, writes = [r for r, _ in rounds], [w for _, w in rounds]
            totals = [r + w for r, w in rounds]
            results[label] = max(totals)
            rows.append(f"| {label} | {'—' if label.startswith('idle') else f'{took:.0f}'} | {len(rounds)} |"
                        f" {max(reads):.1f} | {max(writes):.1f} | {max(totals):.1f} | {p99(totals):.1f} |")
    _, blocking, background = results.values()
    report = "\n".join([
        *head("Checkpoint stall", since, f"python bench/checkpoint_stall.py{' --quick' if args.quick else ''}"),
        f"{count:,} documents, checkpoint file {size / 1e6:.1f} MB. A prober thread reads and writes one document"
        " per round (each write one fsynced commit); a round that overlaps the checkpoint waits for whatever the"
        " checkpoint holds.",
        "",
        "| checkpoint | its duration ms | prober rounds during it | longest read ms | longest write ms |"
        " longest round ms | p99 round ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Longest round, blocking / background: **{blocking / background:.1f}x** ({blocking:.0f} ms vs"
        f" {background:.1f} ms). Beside a background checkpoint a round waits only while the commit that starts"
        " it creates the next log and copies the tables' dicts, for the interpreter (which the encoding thread"
        " shares) and, when writing, for a disk that is also taking the checkpoint file.",
        "",
    ])
    publish(report, RESULTS, args.quick)


if __name__ == "__main__":
    main()

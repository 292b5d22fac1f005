"""Benchmark of mock_server.store: batch upserts against table size, memory, reset.

Usage: ``python bench/store_bench.py [--quick]``.  Prints a markdown report
and, unless ``--quick``, writes it to ``bench/results/store.md``.
Single-threaded (one core); the full run takes about a minute on an idle
2-core machine.

Measured:

* a 100-document ``put_many`` of new keys into a table with 2 indexes, with
  1,000 / 10,000 / 100,000 documents already stored, in memory and with a
  data directory (each timed batch is deleted again, untimed, so the size
  stays put; the three sizes take turns so load drift hits them alike);
  median and p95 per batch, and the 100k/1k ratio (target <= 1.3);
* memory: tracemalloc's count of what a 100k-document in-memory store holds,
  and the process's peak RSS;
* ``Store.reset()`` for a demo-sized seed (50 documents) and a 10k seed.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mock_server.store import Store  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
BATCH = 100
INDEXES = ("group", "owner")
RESULTS = Path(__file__).resolve().parent / "results" / "store.md"


def document(i: int) -> dict:
    """A candidate-like document of about 400 bytes of JSON."""
    return {
        "id": f"urn:li:atsCandidate:{i}",
        "group": i % 97,
        "owner": f"urn:li:person:{i % 1009}",
        "firstName": f"First{i}",
        "lastName": f"Last{i}",
        "emails": [f"person{i}@example.com"],
        "phones": [{"type": "MOBILE", "number": f"+1 555 {i:07d}"}],
        "address": {"line1": f"{i} Main Street", "city": "Springfield", "country": "US"},
        "tags": ["imported", f"batch-{i // 100}"],
        "createdAt": 1_700_000_000_000 + i,
        "active": i % 3 != 0,
    }


def preload(store: Store, size: int) -> None:
    table = store.table("candidates", indexes=INDEXES)
    for start in range(0, size, 1000):
        table.put_many([(f"c{i}", document(i)) for i in range(start, min(size, start + 1000))])


def time_batches(stores: dict[int, Store], batches: int) -> dict[int, list[float]]:
    """Milliseconds per timed ``put_many`` of BATCH new keys, per store size.

    Sizes take turns batch by batch (in rotating order, after a short warm-up)
    so that drift in machine load hits every size alike.
    """
    tables = {size: store.table("candidates", indexes=INDEXES) for size, store in stores.items()}
    timings: dict[int, list[float]] = {size: [] for size in stores}
    order = list(stores)
    for b in range(-10, batches):
        order = order[1:] + order[:1]
        for size in order:
            items = [(f"n{b}-{i}", document(10_000_000 + i)) for i in range(BATCH)]
            started = time.perf_counter()
            tables[size].put_many(items)
            elapsed = time.perf_counter() - started
            tables[size].delete_many([key for key, _ in items])
            if b >= 0:
                timings[size].append(elapsed * 1000)
    return timings


def quiesce() -> None:
    """Start a measurement without garbage or dirty pages left by the previous one."""
    gc.collect()
    os.sync()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def upsert_rows(batches: int) -> tuple[list[str], dict[str, float]]:
    rows = []
    ratios = {}
    for mode in ("memory", "data dir"):
        with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
            stores = {size: Store(Path(tmp) / str(size) if mode == "data dir" else None) for size in SIZES}
            for size, store in stores.items():
                preload(store, size)
            quiesce()
            timings = time_batches(stores, batches)
            for store in stores.values():
                store.close()
        stats = {size: (statistics.median(t), p95(t)) for size, t in timings.items()}
        for size, (median, high) in stats.items():
            rows.append(f"| {mode} | {size:,} | {len(timings[size])} | {median:.3f} | {high:.3f} |")
            print(rows[-1], flush=True)
        ratios[mode] = stats[SIZES[-1]][0] / stats[SIZES[0]][0]
        ratios[f"{mode} p95"] = stats[SIZES[-1]][1] / stats[SIZES[0]][1]
        del stores
    return rows, ratios


def memory_rows() -> list[str]:
    tracemalloc.start()
    store = Store()
    preload(store, SIZES[-1])
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del store
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return [
        f"| tracemalloc, in-memory store holding {SIZES[-1]:,} docs (2 indexes) | {current / 2**20:.1f} MiB "
        f"({current / SIZES[-1]:.0f} B/doc) |",
        f"| tracemalloc peak while loading it | {peak / 2**20:.1f} MiB |",
        f"| peak RSS of the whole benchmark process (ru_maxrss) | {rss_kib / 1024:.1f} MiB |",
    ]


def seed(size: int) -> dict[str, dict[str, dict]]:
    """``size`` documents spread over 5 tables, like a demo tenant."""
    return {f"table{t}": {f"k{i}": document(i) for i in range(t, size, 5)} for t in range(5)}


def time_resets(store: Store, rounds: int) -> list[float]:
    tables = [store.table(name, indexes=INDEXES) for name in store.counts()]
    timings = []
    for r in range(rounds):
        for table in tables:  # dirty the state a little, as a test would
            table.put(f"k{r % 10}", {"changed": r})
            table.put(f"new{r}", {"added": r})
        started = time.perf_counter()
        store.reset()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def reset_rows(rounds: int) -> list[str]:
    rows = []
    for mode in ("memory", "data dir"):
        for size in (50, 10_000):
            with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
                store = Store(Path(tmp) / "data" if mode == "data dir" else None, seed=seed(size))
                quiesce()
                timings = time_resets(store, rounds)
                store.close()
            rows.append(
                f"| {mode} | {size:,} | {len(timings)} | {statistics.median(timings):.3f} | {p95(timings):.3f} |"
            )
            print(rows[-1], flush=True)
    return rows


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; nproc {os.cpu_count()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); {platform.platform()}; "
        f"load average {load}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer batches and resets; results file untouched")
    args = parser.parse_args(argv)
    batches, resets = (40, 20) if args.quick else (300, 200)

    started = machine()
    print(f"machine: {started}", flush=True)
    reset_table = reset_rows(resets)
    upserts, ratios = upsert_rows(batches)
    memory = memory_rows()

    def verdict(ratio: float) -> str:
        return "ok" if ratio <= 1.3 else "OVER TARGET"

    report = "\n".join(
        [
            "# Store benchmark",
            "",
            f"Machine: {started}; at the end: load average "
            f"{', '.join(f'{value:.1f}' for value in os.getloadavg())}.",
            "Command: `python bench/store_bench.py` (single-threaded).",
            "",
            f"## {BATCH}-document batch upsert (`put_many`, new keys, 2 indexes)",
            "",
            "| mode | docs already stored | batches | median ms | p95 ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            *upserts,
            "",
            f"Ratio 100k/1k of the median: in memory **{ratios['memory']:.2f}** ({verdict(ratios['memory'])}), "
            f"with a data dir **{ratios['data dir']:.2f}** ({verdict(ratios['data dir'])}); target <= 1.3.  "
            f"Of the p95: {ratios['memory p95']:.2f} and {ratios['data dir p95']:.2f}.",
            "",
            "With a data dir every batch is one write-ahead-log record flushed with fdatasync before",
            "`put_many` returns; checkpoints are amortised into the timings as they occur.",
            "",
            "## `Store.reset()`",
            "",
            "| mode | seed docs | resets | median ms | p95 ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            *reset_table,
            "",
            "## Memory",
            "",
            "| what | value |",
            "| --- | ---: |",
            *memory,
            "",
        ]
    )
    print()
    print(report)
    if not args.quick:  # a smoke run does not replace the recorded results
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report)


if __name__ == "__main__":
    main()

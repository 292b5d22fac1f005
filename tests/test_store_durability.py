"""kill -9 a process writing to a durable Store; every acknowledged commit must survive whole."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from mock_server.store import Store

REPO = Path(__file__).resolve().parents[1]
BATCH = 20
ROUNDS = 10

# Commit n puts BATCH documents {"batch": n, ...}, deletes batch n-5 and
# records n in meta/last: all in one transaction.
# Explicit checkpoints every 4th commit and a tiny compaction threshold make
# kills during a checkpoint (or between it and the log truncation) frequent.
CHILD = r"""
import sys
from pathlib import Path
from mock_server.store import Store

BATCH = int(sys.argv[2])
store = Store(Path(sys.argv[1]), compact_min_bytes=32 * 1024)
items = store.table("items", indexes=("batch",))
meta = store.table("meta")
n = (meta.get("last") or {"n": -1})["n"] + 1
print(f"START {n}", flush=True)
while True:
    with store.transaction():
        items.put_many([(f"{n}:{i}", {"batch": n, "i": i, "pad": "p" * 80}) for i in range(BATCH)])
        if n >= 5:
            items.delete_many([f"{n - 5}:{i}" for i in range(BATCH)])
        meta.put("last", {"n": n})
    print(f"ACK {n}", flush=True)
    if n % 4 == 3:
        store.checkpoint()
    n += 1
"""


def expected_batches(last: int) -> set[int]:
    """The batches present after commits 0..last."""
    return set(range(max(0, last - 4), last + 1))


def run_and_kill(data_dir: Path, rng: random.Random) -> tuple[int, int]:
    """Run the writer until a random point, SIGKILL it; return (first batch it wrote, highest ack)."""
    errors = data_dir.with_name("writer-stderr.txt")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with errors.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(BATCH)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=REPO,
            env=env,
            text=True,
        )
    try:
        start_line = proc.stdout.readline()
        assert start_line.startswith("START "), f"writer failed to start: {errors.read_text()}"
        want = rng.randint(1, 150)
        seen = 0
        while seen < want:
            line = proc.stdout.readline()
            assert line.startswith("ACK "), f"writer died: {errors.read_text()}"
            seen += 1
        time.sleep(rng.uniform(0, 0.004))  # land anywhere, often inside a commit or a checkpoint
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    acks = [int(line.split()[1])] + [int(m) for m in re.findall(r"^ACK (\d+)$", rest, re.M)]
    return int(start_line.split()[1]), max(acks)


def check_state(data_dir: Path, acked: int) -> int:
    """Reopen the store and check it holds whole commits 0..last with acked <= last <= acked + 1."""
    with Store(data_dir) as store:
        items = store.table("items", indexes=("batch",))
        last = store.table("meta").get("last")["n"]
        assert acked <= last <= acked + 1, f"acknowledged {acked}, recovered up to {last}"
        by_batch: dict[int, set[int]] = {}
        for key, doc in items.items():
            assert key == f"{doc['batch']}:{doc['i']}"
            by_batch.setdefault(doc["batch"], set()).add(doc["i"])
        assert set(by_batch) == expected_batches(last)
        partial = {b: len(i) for b, i in by_batch.items() if i != set(range(BATCH))}
        assert not partial, f"partially applied batches: {partial}"
        assert len(items.find(batch=last)) == BATCH
        return last


def test_acknowledged_commits_survive_sigkill(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    last = -1
    for round_no in range(ROUNDS):
        first, acked = run_and_kill(data_dir, rng)
        context = f"(rng seed {seed}, round {round_no})"
        assert first == last + 1, f"writer resumed at {first} after {last} {context}"
        assert acked >= first, context
        last = check_state(data_dir, acked)

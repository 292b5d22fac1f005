"""The files of a data directory: torn tails, checkpoints beside writes, redundant logs, format-1 migration,
and what is refused (a foreign directory, a newer format, a log without its checkpoint)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

import mock_server.store.datadir as datadir
from mock_server.store import Store
from mock_server.store.checkpoint import read_checkpoint
from mock_server.store.errors import DataDirDamaged, DataDirError, NotADataDir
from mock_server.store.layout import log_name
from mock_server.store.survey import survey
from mock_server.store.wal import scan

SEED = {"candidates": {"c1": {"name": "Ada", "status": "ACTIVE"}, "c2": {"name": "Bob", "status": "ARCHIVED"}}}
FORMAT1 = Path(__file__).parent / "data" / "store_format1"


def logs(path: Path) -> list[str]:
    return sorted(p.name for p in path.glob("wal.*.log"))


def live_log(path: Path) -> Path:
    return path / logs(path)[-1]


def crash(path: Path) -> None:
    """Leave ``path`` as a crash would: a clean close differs only by its seal."""
    (path / "closed.json").unlink()


def fill(store: Store, rows: int = 5) -> None:
    table = store.table("candidates", indexes=("status",))
    for i in range(rows):
        table.put(f"n{i}", {"name": f"N{i}", "status": "ACTIVE", "text": "ü€"})
    table.delete("c2")
    with store.transaction():
        store.table("notes").put("x", {"parent": "n1"})
        table.put("c1", {"name": "Ada", "status": "CHANGED"})


# -- torn tails -------------------------------------------------------------------


@pytest.mark.parametrize("tear", [
    pytest.param(lambda log, last: log + last[: len(last) // 2], id="record cut short"),
    pytest.param(lambda log, last: log + last[:5], id="header cut short"),
    pytest.param(lambda log, last: log + b"\x00\x00\x01\x00garbage", id="fewer bytes than a header"),
    pytest.param(lambda log, last: log + b"\x00" * 64, id="zero-filled"),
    pytest.param(lambda log, last: log + last[:-7] + b"\x00" * 7, id="last blocks never written"),
])
def test_a_torn_tail_after_a_crash_is_set_aside_and_the_rest_kept(tmp_path: Path, tear) -> None:
    with Store(tmp_path, seed=SEED) as store:
        fill(store)
        acknowledged = store.export()
        before = live_log(tmp_path).read_bytes()
        store.table("candidates").put("torn", {"status": "NEVER ACKNOWLEDGED"})
        last = live_log(tmp_path).read_bytes()[len(before):]
    crash(tmp_path)
    live_log(tmp_path).write_bytes(tear(before, last))
    torn = tear(before, last)[len(before):]
    with Store(tmp_path) as store:
        assert store.export() == acknowledged
        assert live_log(tmp_path).read_bytes() == before
        [kept] = (tmp_path / "kept").iterdir()
        assert kept.read_bytes() == torn and f"torn-at-{len(before)}" in kept.name
        store.table("candidates").put("after", {"status": "KEPT"})
    with Store(tmp_path) as store:
        assert store.table("candidates").get("after") == {"status": "KEPT"}
        assert store.table("candidates").get("torn") is None


def test_a_torn_tail_after_a_clean_close_is_damage(tmp_path: Path) -> None:
    with Store(tmp_path, seed=SEED) as store:
        fill(store)
    log = live_log(tmp_path)
    data = log.read_bytes()
    log.write_bytes(data[:-3])
    with pytest.raises(DataDirDamaged, match=f"{log} at byte {scan(data).records[-1].offset}: .*clean close"):
        Store(tmp_path)
    assert log.read_bytes() == data[:-3]  # nothing was changed


# -- checkpoints --------------------------------------------------------------------


def test_checkpoints_fold_the_log_again_and_again(tmp_path: Path) -> None:
    with Store(tmp_path, seed=SEED, compact_min_bytes=4096) as store:
        bulk = store.table("bulk", indexes=("g",))
        for i in range(300):
            bulk.put_many([(f"k{i}-{j}", {"g": i % 7, "pad": "x" * 40}) for j in range(3)])
            if i % 3 == 0:
                bulk.delete(f"k{i - 1}-0")
        expected = store.export()
    checkpoint = read_checkpoint(tmp_path)
    # folded repeatedly: how many times depends on how the background checkpoints interleave with the writes
    # (a fold already under way makes the next threshold wait), so only "more than once" is certain
    assert checkpoint is not None and checkpoint.generation >= 2
    assert logs(tmp_path) == [log_name(checkpoint.generation)]  # the logs before it were deleted
    assert sorted(os.listdir(tmp_path)) == ["LOCK", "checkpoint.json", "closed.json", log_name(checkpoint.generation)]
    with Store(tmp_path) as store:
        assert store.export() == expected
        assert len(store.table("bulk", indexes=("g",)).find(g=3)) == len(
            [k for k, d in expected["tables"]["bulk"].items() if d["g"] == 3])


def test_writes_go_on_while_a_checkpoint_is_written(tmp_path: Path, monkeypatch) -> None:
    release, writing = threading.Event(), threading.Event()
    real = datadir.write_checkpoint

    def slow_checkpoint(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            writing.set()
            assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(datadir, "write_checkpoint", slow_checkpoint)
    with Store(tmp_path, seed=SEED, compact_min_bytes=2048) as store:
        table = store.table("t")
        i = 0
        while not writing.is_set():
            table.put(f"a{i}", {"i": i, "pad": "y" * 50})
            i += 1
        [checkpointer] = [t for t in threading.enumerate() if t.name == "rsc-mock checkpoint"]
        for j in range(50):  # each returns (and is durable) while the checkpoint thread waits
            table.put(f"b{j}", {"j": j})
        assert checkpointer.is_alive()
        assert len(logs(tmp_path)) == 2  # commits go to the log of the coming checkpoint
        release.set()
        checkpointer.join(30)
        expected = store.export()
    assert len(logs(tmp_path)) == 1
    with Store(tmp_path) as store:
        assert store.export() == expected


def test_a_failed_checkpoint_keeps_its_logs_and_recovery_replays_them(tmp_path: Path, monkeypatch) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with Store(tmp_path, seed=SEED, compact_min_bytes=1024) as store:
        monkeypatch.setattr(datadir, "write_checkpoint", full_disk)
        table = store.table("t")
        for i in range(200):
            table.put(f"k{i}", {"i": i, "pad": "z" * 30})
        expected = store.export()
    monkeypatch.undo()
    assert len(logs(tmp_path)) > 2  # one per attempt, each continuing the one before
    with Store(tmp_path) as store:
        assert store.export() == expected
        store.checkpoint()
    assert len(logs(tmp_path)) == 1
    with Store(tmp_path) as store:
        assert store.export() == expected


def test_a_log_made_redundant_by_a_checkpoint_is_removed(tmp_path: Path) -> None:
    with Store(tmp_path, seed=SEED) as store:
        fill(store)
        old = live_log(tmp_path)
        kept = old.read_bytes()
        store.checkpoint()
        expected = store.export()
    old.write_bytes(kept)  # a crash between writing the checkpoint and deleting the log before it
    with Store(tmp_path) as store:
        assert store.export() == expected
    assert not old.exists() and len(logs(tmp_path)) == 1


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    Store(tmp_path, seed=SEED).close()
    (tmp_path / ".checkpoint.json.abc123.tmp").write_text("half a checkpo")
    (tmp_path / f".{log_name(9)}.abc.tmp").write_text("half a log")
    with Store(tmp_path) as store:
        assert store.counts() == {"candidates": 2}
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_an_interrupted_first_start_starts_again(tmp_path: Path) -> None:
    Store(tmp_path, seed=SEED).close()
    (tmp_path / "checkpoint.json").unlink()  # the first checkpoint never made it: only the new log exists
    (tmp_path / "closed.json").unlink()
    assert len(scan(live_log(tmp_path).read_bytes()).records) == 1  # its header, no commit
    with Store(tmp_path, seed={"other": {"k": {}}}) as store:
        assert store.counts() == {"other": 1}


def test_a_log_without_its_checkpoint_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.table("t").put("k", {})
    (tmp_path / "checkpoint.json").unlink()
    with pytest.raises(DataDirDamaged, match="checkpoint.json: missing"):
        Store(tmp_path)


# -- what a data directory is ------------------------------------------------------


def test_a_directory_of_other_files_is_refused_untouched(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(NotADataDir, match="not an rsc-mock data directory .*notes.txt"):
        Store(tmp_path)
    assert os.listdir(tmp_path) == ["notes.txt"]
    with pytest.raises(NotADataDir, match="not a directory"):
        Store(tmp_path / "notes.txt")


def test_a_newer_format_is_refused(tmp_path: Path) -> None:
    Store(tmp_path, seed=SEED).close()
    header = json.dumps({"format": "rsc-mock-checkpoint", "version": 3, "lsn": 0})
    (tmp_path / "checkpoint.json").write_text(header + "\n{}")
    with pytest.raises(DataDirError, match="newer rsc-mock"):
        Store(tmp_path)


# -- format 1 ----------------------------------------------------------------------------


def format1_dir(tmp_path: Path) -> Path:
    path = tmp_path / "format1"
    path.mkdir(parents=True)
    for name in ("checkpoint.json", "wal.log"):
        shutil.copy(FORMAT1 / name, path / name)
    return path


def test_a_format1_directory_is_migrated_keeping_its_files(tmp_path: Path) -> None:
    path = format1_dir(tmp_path)
    expected = json.loads((FORMAT1 / "expected.json").read_text())
    assert survey(path).version == 1
    with Store(path) as store:
        assert store.export() == expected
        store.table("notes").put("y", {"parent": "n2"})
        expected["tables"]["notes"]["y"] = {"parent": "n2"}
    assert survey(path).version == 2 and not (path / "wal.log").exists()
    [kept] = (path / "kept").iterdir()
    for name in ("checkpoint.json", "wal.log"):
        assert (kept / name).read_bytes() == (FORMAT1 / name).read_bytes()
    with Store(path) as store:
        assert store.export() == expected


def test_a_format1_torn_tail_is_dropped_and_damage_refused(tmp_path: Path) -> None:
    path = format1_dir(tmp_path)
    log = (path / "wal.log").read_bytes()
    (path / "wal.log").write_bytes(log + log[:11])  # half a record
    with Store(path) as store:
        assert store.export() == json.loads((FORMAT1 / "expected.json").read_text())

    path = format1_dir(tmp_path / "again")
    damaged = bytearray(log)
    damaged[12] ^= 0x10  # inside the first record's payload; intact records follow
    (path / "wal.log").write_bytes(bytes(damaged))
    with pytest.raises(DataDirDamaged, match="wal.log at byte 0: .*intact record"):
        Store(path)
    assert (path / "wal.log").read_bytes() == bytes(damaged)


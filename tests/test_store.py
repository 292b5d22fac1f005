"""Behaviour of mock_server.store: CRUD, indexes, transactions, reset, snapshots, recovery."""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path

import pytest
from tinydb import Query

from mock_server.store import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, Store
from mock_server.store.survey import survey

SEED = {
    "candidates": {
        "c1": {"name": "Ada", "status": "ACTIVE", "owner": "u1", "tags": ["x"]},
        "c2": {"name": "Bob", "status": "ARCHIVED", "owner": "u1"},
        "c3": {"name": "Cy", "status": "ACTIVE", "owner": "u2", "address": {"city": "Oslo"}},
    },
    "jobs": {"j1": {"title": "Engineer", "open": True}},
}


def reference_find(items: list[tuple[str, dict]], **equals: object) -> list[tuple[str, dict]]:
    return [(k, d) for k, d in items if all(f in d and d[f] == v for f, v in equals.items())]


@pytest.fixture
def store() -> Store:
    return Store(seed=SEED)


@pytest.fixture
def candidates(store: Store):
    return store.table("candidates", indexes=("status", "owner"))


# -- CRUD ---------------------------------------------------------------------


def test_seed_is_loaded_in_order(candidates) -> None:
    assert candidates.keys() == ["c1", "c2", "c3"]
    assert candidates.get("c2") == SEED["candidates"]["c2"]
    assert len(candidates) == 3 and "c1" in candidates and "zz" not in candidates


def test_put_get_delete(store: Store) -> None:
    t = store.table("things")
    assert t.get("a") is None
    t.put("a", {"v": 1})
    t.put("b", {"v": 2})
    t.put("a", {"w": 3})  # full replace keeps the position
    assert t.items() == [("a", {"w": 3}), ("b", {"v": 2})]
    assert t.delete("a") is True
    assert t.delete("a") is False
    assert t.delete_many(["b", "nope", "b"]) == [True, False, False]
    assert len(t) == 0 and t.items() == []
    t.put("a", {"v": 9})  # a re-inserted key goes to the end like a new one
    t.put("c", {"v": 8})
    assert t.keys() == ["a", "c"]
    assert store.counts()["things"] == 2


def test_reads_and_writes_are_copies(candidates) -> None:
    doc = {"name": "Dee", "status": "ACTIVE", "nested": {"list": [1, 2]}}
    candidates.put("c4", doc)
    doc["nested"]["list"].append(3)
    got = candidates.get("c4")
    assert got == {"name": "Dee", "status": "ACTIVE", "nested": {"list": [1, 2]}}
    got["nested"]["list"].clear()
    candidates.items()[0][1]["name"] = "mutated"
    candidates.find(status="ACTIVE")[0][1]["status"] = "mutated"
    assert candidates.get("c4")["nested"]["list"] == [1, 2]
    assert candidates.get("c1")["name"] == "Ada"
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3", "c4"]


def test_documents_are_stored_as_json_would_return_them(store: Store) -> None:
    t = store.table("things")
    t.put("a", {"tuple": (1, 2), "n": 1.5, 3: "int key"})
    assert t.get("a") == {"tuple": [1, 2], "n": 1.5, "3": "int key"}


@pytest.mark.parametrize(
    ("key", "doc", "error"),
    [
        (1, {"v": 1}, TypeError),
        ("k", ["not", "a", "dict"], TypeError),
        ("k", {"v": object()}, TypeError),
        ("k", {"v": float("nan")}, ValueError),
    ],
)
def test_invalid_writes_write_nothing(store: Store, key, doc, error) -> None:
    t = store.table("things")
    with pytest.raises(error):
        t.put_many([("ok", {"v": 0}), (key, doc)])
    assert t.items() == []


def test_clear(store: Store, candidates) -> None:
    candidates.clear()
    assert len(candidates) == 0 and candidates.find(status="ACTIVE") == []
    candidates.put("n", {"status": "ACTIVE"})
    assert candidates.find(status="ACTIVE") == [("n", {"status": "ACTIVE"})]


# -- indexes ------------------------------------------------------------------


def test_index_follows_updates_and_deletes(candidates) -> None:
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3"]
    candidates.put("c1", {"name": "Ada", "status": "ARCHIVED", "owner": "u1"})
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c3"]
    assert [k for k, _ in candidates.find(status="ARCHIVED")] == ["c1", "c2"]  # insertion order, not move order
    candidates.put("c3", {"name": "Cy"})  # field removed entirely
    assert candidates.find(status="ACTIVE") == []
    candidates.delete("c2")
    assert [k for k, _ in candidates.find(status="ARCHIVED")] == ["c1"]
    assert [k for k, _ in candidates.find(owner="u1", status="ARCHIVED")] == ["c1"]


def test_find_mixed_unindexed_and_structured_values(candidates) -> None:
    assert [k for k, _ in candidates.find(status="ACTIVE", name="Cy")] == ["c3"]
    assert [k for k, _ in candidates.find(name="Bob")] == ["c2"]  # scan
    assert candidates.find(name="Nobody") == []
    assert [k for k, _ in candidates.find(tags=["x"])] == ["c1"]
    assert [k for k, _ in candidates.find(address={"city": "Oslo"})] == ["c3"]
    assert [k for k, _ in candidates.search(Query().name.matches("[AB].*"))] == ["c1", "c2"]


def test_index_declared_late_and_on_structured_values(store: Store) -> None:
    t = store.table("late")
    t.put_many([("a", {"tags": ["x", "y"], "n": 1}), ("b", {"tags": ["x"], "n": 1.0}), ("c", {"n": True})])
    t = store.table("late", indexes=("tags", "n"))
    assert t.indexes == ("tags", "n")
    assert [k for k, _ in t.find(tags=["x", "y"])] == ["a"]
    assert [k for k, _ in t.find(n=1)] == ["a", "b", "c"]  # Python equality, like a scan


def test_indexed_find_agrees_with_a_scan_under_random_writes(store: Store) -> None:
    rng = random.Random(1234)
    indexed = store.table("rand", indexes=("a", "b"))
    model: dict[str, dict] = {}
    values = [0, 1, 2, "x", None, [1], {"k": 1}]
    for step in range(3000):
        key = f"k{rng.randrange(60)}"
        roll = rng.random()
        if roll < 0.6:
            doc = {f: rng.choice(values) for f in ("a", "b", "c") if rng.random() < 0.8}
            indexed.put(key, doc)
            model[key] = doc
        elif roll < 0.9:
            assert indexed.delete(key) == (model.pop(key, None) is not None)
        else:
            with pytest.raises(KeyError), store.transaction():
                indexed.put(key, {"a": "rolled back"})
                indexed.delete(f"k{rng.randrange(60)}")
                raise KeyError(step)
        if step % 50 == 0:
            assert dict(indexed.items()) == model
            for _ in range(10):
                query = {f: rng.choice(values) for f in rng.sample(["a", "b", "c"], rng.randint(1, 3))}
                assert indexed.find(**query) == reference_find(indexed.items(), **query), query


# -- transactions -------------------------------------------------------------


def test_transaction_commits_across_tables(store: Store, candidates) -> None:
    jobs = store.table("jobs")
    with store.transaction():
        candidates.put("c9", {"status": "NEW"})
        jobs.delete("j1")
    assert candidates.get("c9") == {"status": "NEW"} and jobs.get("j1") is None


def test_transaction_rolls_back_everything_exactly(store: Store, candidates) -> None:
    jobs = store.table("jobs")
    before = store.export()
    with pytest.raises(RuntimeError, match="boom"):
        with store.transaction():
            candidates.put("c1", {"status": "CHANGED"})
            candidates.put("c9", {"status": "NEW"})
            candidates.delete("c2")
            candidates.delete_many(["c3", "c9"])
            jobs.clear()
            jobs.put("j2", {"title": "x"})
            raise RuntimeError("boom")
    assert store.export() == before
    assert candidates.keys() == ["c1", "c2", "c3"]  # deleted rows are back in their places
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3"]
    assert candidates.find(status="CHANGED") == [] and candidates.find(status="NEW") == []
    candidates.put("c10", {"status": "ACTIVE"})
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3", "c10"]


def test_nested_transaction_rolls_back_alone(store: Store, candidates) -> None:
    with store.transaction():
        candidates.put("outer", {"status": "A"})
        with pytest.raises(ValueError):
            with store.transaction():
                candidates.put("inner", {"status": "B"})
                raise ValueError
        candidates.put("after", {"status": "C"})
    assert "outer" in candidates and "after" in candidates and "inner" not in candidates


def test_whole_state_operations_refused_inside_a_transaction(store: Store) -> None:
    with store.transaction():
        with pytest.raises(RuntimeError):
            store.reset()
        with pytest.raises(RuntimeError):
            store.import_snapshot(store.export())


def test_concurrent_writers_from_threads(store: Store) -> None:
    t = store.table("threads", indexes=("w",))

    def writer(w: int) -> None:
        for i in range(200):
            with store.transaction():
                t.put(f"{w}-{i}", {"w": w, "i": i})
                t.put(f"{w}-{i}-b", {"w": w, "i": i})

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(t) == 1600
    assert all(len(t.find(w=w)) == 400 for w in range(4))


# -- reset --------------------------------------------------------------------


def test_reset_returns_to_seed(store: Store, candidates) -> None:
    seed_export = store.export()
    candidates.put("c1", {"status": "CHANGED"})
    candidates.delete("c2")
    candidates.put("c4", {"status": "ACTIVE"})
    store.table("extra").put("e", {})
    store.table("jobs").clear()
    store.reset()
    assert store.export() == seed_export
    assert store.counts() == {"candidates": 3, "jobs": 1, "extra": 0}
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3"]
    assert candidates.indexes == ("status", "owner")
    candidates.put("c5", {"status": "ACTIVE"})  # writes after reset index normally
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3", "c5"]
    store.reset()
    assert [k for k, _ in candidates.find(status="ACTIVE")] == ["c1", "c3"]


def test_seed_is_isolated_from_caller_and_from_writes() -> None:
    seed = json.loads(json.dumps(SEED))
    store = Store(seed=seed)
    seed["candidates"]["c1"]["name"] = "changed by caller"
    t = store.table("candidates")
    got = t.get("c1")
    got["tags"].append("y")
    t.put("c1", got)
    store.reset()
    assert t.get("c1") == SEED["candidates"]["c1"]


def test_malformed_seed_is_refused() -> None:
    with pytest.raises(ValueError):
        Store(seed={"t": {"k": "not a dict"}})


# -- snapshots ----------------------------------------------------------------


def test_export_import_round_trip(store: Store, candidates) -> None:
    candidates.put("c4", {"status": "ACTIVE", "x": [1, {"y": None}]})
    candidates.delete("c2")
    snap = store.export()
    assert snap["format"] == SNAPSHOT_FORMAT and snap["version"] == SNAPSHOT_VERSION
    assert list(snap["tables"]["candidates"]) == ["c1", "c3", "c4"]
    other = Store()
    other.import_snapshot(json.loads(json.dumps(snap)))
    assert other.export() == snap
    assert [k for k, _ in other.table("candidates", indexes=("status",)).find(status="ACTIVE")] == ["c1", "c3", "c4"]
    snap["tables"]["candidates"]["c1"]["status"] = "mutated"  # the export was a copy
    assert candidates.get("c1")["status"] == "ACTIVE"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s.update(version=2),
        lambda s: s.update(format="something else"),
        lambda s: s["tables"].update(bad="not a table"),
        lambda s: s["tables"]["candidates"]["c3"].update(v=float("inf")),
        lambda s: s["tables"]["candidates"].update({"c9": ["not", "a", "doc"]}),
    ],
)
def test_bad_import_is_refused_and_changes_nothing(store: Store, candidates, mutate) -> None:
    candidates.put("c4", {"status": "ACTIVE"})
    before = store.export()
    snap = Store().export()
    snap["tables"] = {"candidates": {"c1": {"status": "X"}, "c3": {}}}
    mutate(snap)
    with pytest.raises(ValueError) as info:
        store.import_snapshot(snap)
    if snap.get("version") == 2:
        assert "version 2" in str(info.value)
    assert store.export() == before


def test_import_replaces_everything(store: Store, candidates) -> None:
    store.import_snapshot({"format": SNAPSHOT_FORMAT, "version": 1, "tables": {"new": {"n": {"v": 1}}}})
    assert store.counts() == {"candidates": 0, "jobs": 0, "new": 1}
    assert candidates.find(status="ACTIVE") == []


def test_write_snapshot_is_atomic_json(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "snap.json"
    target.write_text("old")
    store.write_snapshot(target)
    assert json.loads(target.read_text()) == store.export()
    assert os.listdir(tmp_path) == ["snap.json"]


# -- data directory -------------------------------------------------------------


def _fill(store: Store) -> None:
    t = store.table("candidates", indexes=("status",))
    t.put("c4", {"status": "ACTIVE", "n": "ü€"})
    t.put_many([(f"b{i}", {"status": "BULK", "i": i}) for i in range(50)])
    t.delete("c2")
    t.put("c1", {"status": "CHANGED"})
    store.table("jobs").clear()
    with store.transaction():
        store.table("events").put("e1", {"type": "x"})
        t.delete_many(["b0", "b1"])


def test_fresh_data_dir_starts_from_seed_and_reopens(tmp_path: Path) -> None:
    with Store(tmp_path / "d", seed=SEED) as store:
        _fill(store)
        expected = store.export()
    with Store(tmp_path / "d", seed={"ignored": {}}) as reopened:
        assert reopened.export() == expected
        t = reopened.table("candidates", indexes=("status",))
        assert [k for k, _ in t.find(status="ACTIVE")] == ["c3", "c4"]
        assert t.keys()[:3] == ["c1", "c3", "c4"]


def test_data_dir_is_exclusive(tmp_path: Path) -> None:
    with Store(tmp_path):
        with pytest.raises(RuntimeError):
            Store(tmp_path)
    Store(tmp_path).close()


def test_closed_store_refuses_writes(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.close()
    with pytest.raises(RuntimeError):
        store.table("t").put("k", {})


def test_reset_and_import_are_durable(tmp_path: Path) -> None:
    with Store(tmp_path, seed=SEED) as store:
        _fill(store)
        store.reset()
        assert survey(tmp_path).commits == []  # the reset is a checkpoint: no commit to replay
        seeded = store.export()
    with Store(tmp_path, seed=SEED) as store:
        assert store.export() == seeded
        store.import_snapshot({"format": SNAPSHOT_FORMAT, "version": 1, "tables": {"t": {"k": {"v": 1}}}})
        store.table("t").put("k2", {"v": 2})
    with Store(tmp_path, seed=SEED) as store:
        assert store.counts() == {"t": 2}


def test_failed_log_write_rolls_back_and_blocks_writes(tmp_path: Path, monkeypatch) -> None:
    import mock_server.store.wal as wal

    with Store(tmp_path, seed=SEED) as store:
        t = store.table("candidates", indexes=("status",))
        before = store.export()

        def broken_disk(fd: int) -> None:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(wal, "sync_data", broken_disk)
        with pytest.raises(OSError):
            t.put_many([("c1", {"status": "X"}), ("c9", {"status": "ACTIVE"})])
        assert store.export() == before
        assert [k for k, _ in t.find(status="ACTIVE")] == ["c1", "c3"]
        monkeypatch.undo()
        with pytest.raises(RuntimeError):
            t.put("c10", {})

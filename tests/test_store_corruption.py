"""The corruption suite: a small data directory written through the real store, damaged in every way a disk, a
person or a crash can, then opened, verified and repaired.

For every case either the start refuses, naming the file and the offset, and leaves every file as it was; or
the state is exactly the one acknowledged. Never a silent difference. ``rsc-mock store verify`` says the same
(exit 1 with that one line, or 0), and ``rsc-mock store repair`` writes a directory holding exactly an
acknowledged state: the last one when nothing was lost, else the one as of the commit before the first problem.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mock_server.cli import main
from mock_server.store import Store
from mock_server.store.errors import DataDirError
from mock_server.store.layout import log_name
from mock_server.store.survey import survey
from mock_server.store.wal import HEADER_SIZE, Record, scan

SEED = {"candidates": {"c1": {"name": "Ada", "status": "ACTIVE"}, "c2": {"name": "Bob", "status": "ARCHIVED"}},
        "jobs": {"j1": {"title": "Engineer"}}}


@dataclasses.dataclass
class World:
    """The template directory and what it holds: the acknowledged state as of each commit number, the records
    of its log, and files kept from other places and times for the swap cases."""

    path: Path
    states: dict[int, dict]
    log: str
    records: list[Record]
    older_checkpoint: bytes
    older_log: bytes
    other_dir: Path

    @property
    def final(self) -> dict:
        return self.states[max(self.states)]


def write_world(path: Path, commits: int = 8) -> tuple[dict[int, dict], bytes, bytes]:
    """Write a data directory through the real store: two commits, a checkpoint, then ``commits`` more of
    every kind (put, replace, delete, clear, a transaction), closed cleanly. Returns the state as of each
    commit (0: the seed), and the first checkpoint and log (before the second checkpoint replaced them)."""
    with Store(path, seed=SEED) as store:
        candidates = store.table("candidates", indexes=("status",))
        jobs, notes = store.table("jobs"), store.table("notes")
        states = {0: store.export()}
        candidates.put("c3", {"name": "Cy", "status": "ACTIVE", "text": "ü€ \n\"quoted\""})
        states[1] = store.export()
        jobs.put("j2", {"title": "Designer"})
        states[2] = store.export()
        older_checkpoint = (path / "checkpoint.json").read_bytes()
        older_log = (path / log_name(1)).read_bytes()
        store.checkpoint()
        lsn = 2
        steps: list[Callable[[], object]] = [
            lambda: candidates.put("c4", {"name": "Dee", "status": "ACTIVE"}),
            lambda: candidates.put("c1", {"name": "Ada", "status": "ARCHIVED"}),
            lambda: candidates.delete("c2"),
            lambda: jobs.clear(),
            lambda: candidates.put_many([(f"b{i}", {"status": "BULK", "i": i}) for i in range(3)]),
            lambda: [notes.put("n1", {"parent": "c4", "text": "note"}), candidates.delete("b0")],
            lambda: candidates.put("c5", {"name": "Eve", "status": "ACTIVE"}),
            lambda: candidates.delete("c3"),
        ]
        for n in range(commits):
            with store.transaction():  # one commit each, the sixth of two operations
                steps[n]()
            lsn += 1
            states[lsn] = store.export()
    return states, older_checkpoint, older_log


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("corruption")
    states, older_checkpoint, older_log = write_world(root / "template")
    write_world(root / "other", commits=8)  # the same history in another directory (another id)
    [log] = [p.name for p in (root / "template").glob("wal.*.log")]
    records = scan((root / "template" / log).read_bytes()).records
    assert len(records) == 9 and not (root / "template" / "kept").exists()
    return World(root / "template", states, log, records, older_checkpoint, older_log, root / "other")


# -- the cases -------------------------------------------------------------------------------------------

INTACT = None


@dataclasses.dataclass
class Case:
    """A damage to do to a copy of the world, and what must come of it: ``INTACT`` (the acknowledged state),
    or ``(file name, offset or None)`` that the refusal must name."""

    damage: Callable[[Path, World], None]
    expect: tuple[str, int | None] | None
    repairable: bool = True


def edit(name: Callable[[World], str], change: Callable[[bytes, World], bytes]) -> Callable[[Path, World], None]:
    def damage(path: Path, world: World) -> None:
        file = path / name(world)
        file.write_bytes(change(file.read_bytes(), world))
    return damage


def in_log(change: Callable[[bytes, World], bytes]) -> Callable[[Path, World], None]:
    return edit(lambda world: world.log, change)


def flip(offset: int, bit: int) -> Callable[[bytes, World], bytes]:
    def change(data: bytes, world: World) -> bytes:
        damaged = bytearray(data)
        damaged[offset] ^= 1 << bit
        return bytes(damaged)
    return change


def cut(offset: int) -> Callable[[bytes, World], bytes]:
    return lambda data, world: data[:offset]


def template_records() -> list[Record]:
    """The records of a world written the same way (the cases are built before the fixture runs)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        write_world(Path(scratch) / "w")
        [log] = list((Path(scratch) / "w").glob("wal.*.log"))
        return scan(log.read_bytes()).records


RECORDS = template_records()
LOG_SIZE = RECORDS[-1].end


def log_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for number, record in enumerate(RECORDS):
        what = "header record" if number == 0 else f"commit record {number}"
        # truncation at the record's start (a record boundary), and inside it
        cases[f"log cut at the start of the {what}"] = Case(in_log(cut(record.offset)), ("log", record.offset))
        inside = sorted({1, HEADER_SIZE - 1, HEADER_SIZE, HEADER_SIZE + 1, (record.end - record.offset) // 2,
                         record.end - record.offset - 1})
        for into in inside:
            cases[f"log cut {into} bytes into the {what}"] = Case(in_log(cut(record.offset + into)),
                                                                  ("log", record.offset))
        # a flipped bit in every field of the record
        payload = record.end - record.offset - HEADER_SIZE
        fields = {"marker": 0, "length": 6, "payload checksum": 9, "header checksum": 14, "first payload byte":
                  HEADER_SIZE, "lsn digit": HEADER_SIZE + 7, "middle of the payload": HEADER_SIZE + payload // 2,
                  "last payload byte": HEADER_SIZE + payload - 1}
        for index, (field, at) in enumerate(fields.items()):
            cases[f"bit flipped in the {field} of the {what}"] = Case(in_log(flip(record.offset + at, index % 8)),
                                                                     ("log", record.offset))
    last = RECORDS[-1]
    cases["the last record replayed at the end"] = Case(
        in_log(lambda data, world: data + data[last.offset:last.end]), ("log", LOG_SIZE))
    middle = RECORDS[4]
    cases["a record replayed in the middle"] = Case(
        in_log(lambda data, world: data[:middle.end] + data[middle.offset:]), ("log", middle.end))
    second, third = RECORDS[2], RECORDS[3]
    cases["two records swapped"] = Case(in_log(lambda data, world: data[:second.offset] + data[third.offset:third.end]
                                               + data[second.offset:second.end] + data[third.end:]),
                                        ("log", second.offset))
    cases["a commit of an older log appended"] = Case(
        in_log(lambda data, world: data + world.older_log[scan(world.older_log).records[-1].offset:]),
        ("log", LOG_SIZE))
    return cases


def checkpoint_cases() -> dict[str, Case]:
    def at(find: Callable[[bytes], int], bit: int = 1) -> Callable[[Path, World], None]:
        return edit(lambda world: "checkpoint.json", lambda data, world: flip(find(data), bit)(data, world))

    def after(marker: bytes, skip: int = 0) -> Callable[[bytes], int]:
        return lambda data: data.index(marker) + len(marker) + skip

    def trailer(data: bytes) -> int:
        return data.rindex(b"\n", 0, len(data) - 1) + 1

    cases = {f"bit flipped in the checkpoint's {field}": Case(at(find), ("checkpoint.json", None), repairable=False)
             for field, find in {
                 "format": after(b'"format":"', 3), "version": after(b'"version":'), "id": after(b'"id":"', 5),
                 "generation": after(b'"generation":'), "lsn": after(b'"lsn":'),
                 "header line end": lambda data: data.index(b"\n"),
                 "first body byte": lambda data: data.index(b"\n") + 1,
                 "middle of the body": lambda data: len(data) // 2,
                 "last body byte": lambda data: trailer(data) - 2,
                 "body line end": lambda data: trailer(data) - 1,
                 "trailer's block checksums": lambda data: trailer(data) + 12,
                 "trailer's byte count": after(b'"bytes":', 1),
                 "trailer's SHA-256": after(b'"sha256":"', 20),
                 "last newline": lambda data: len(data) - 1,
             }.items()}
    for where, offset in {"in its header": lambda data: 20, "in its body": lambda data: len(data) // 2,
                          "before its trailer": trailer}.items():
        cases[f"checkpoint cut {where}"] = Case(
            edit(lambda world: "checkpoint.json", lambda data, world, offset=offset: data[:offset(data)]),
            ("checkpoint.json", None), repairable=False)
    return cases


def delete(name: Callable[[World], str]) -> Callable[[Path, World], None]:
    return lambda path, world: (path / name(world)).unlink()


def put(name: Callable[[World], str], content: Callable[[World], bytes]) -> Callable[[Path, World], None]:
    return lambda path, world: (path / name(world)).write_bytes(content(world))


CASES = {
    **log_cases(),
    **checkpoint_cases(),
    "bit flipped in the clean-close seal": Case(edit(lambda world: "closed.json", flip(30, 2)), ("closed.json", 0)),
    "log deleted": Case(delete(lambda world: world.log), ("log", None)),
    "checkpoint deleted": Case(delete(lambda world: "checkpoint.json"), ("checkpoint.json", None), repairable=False),
    "clean-close seal deleted": Case(delete(lambda world: "closed.json"), INTACT),
    "LOCK deleted": Case(delete(lambda world: "LOCK"), INTACT),
    "log of another data directory": Case(
        put(lambda world: world.log, lambda world: (world.other_dir / world.log).read_bytes()), ("log", 0)),
    "checkpoint of another data directory": Case(
        put(lambda world: "checkpoint.json", lambda world: (world.other_dir / "checkpoint.json").read_bytes()),
        ("log", 0)),
    "an older checkpoint put back": Case(put(lambda world: "checkpoint.json", lambda world: world.older_checkpoint),
                                         (log_name(1), None)),
    "an older log under the current name": Case(put(lambda world: world.log, lambda world: world.older_log),
                                                ("log", 0)),
}


# -- the checks -------------------------------------------------------------------------------------


def files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file() and p.name != "LOCK"}


def cli(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.mark.parametrize("name", CASES)
def test_damage_is_refused_with_file_and_offset_or_the_data_is_exact(world: World, tmp_path: Path, capsys,
                                                                      name: str) -> None:
    case = CASES[name]
    path = tmp_path / "data"
    shutil.copytree(world.path, path)
    case.damage(path, world)
    damaged = files(path)
    expected_file = None if case.expect is None else world.log if case.expect[0] == "log" else case.expect[0]

    # store verify says what a start will find, changing nothing
    code, out, err = cli(capsys, "store", "verify", "--data-dir", str(path))
    if case.expect is INTACT:
        assert code == 0 and not err, err
        assert "intact" in out[0]
    else:
        assert code == 1 and len(err) == 1, err
        assert err[0].startswith(f"rsc-mock: {path / expected_file}") and "Traceback" not in err[0]
    assert files(path) == damaged

    # store repair writes exactly an acknowledged state (the last one unless something was lost)
    repaired = tmp_path / "repaired"
    code, out, err = cli(capsys, "store", "repair", "--data-dir", str(path), "--out", str(repaired))
    assert files(path) == damaged
    if case.repairable:
        assert code == 0, err
        lsn = survey(repaired).lsn
        with Store(repaired) as store:
            assert store.export() == world.states[lsn]
        if case.expect is INTACT:
            assert lsn == max(world.states)
        else:
            assert "left out" in out[1] and expected_file in out[1]
    else:
        assert code == 1 and len(err) == 1 and "checkpoint.json" in err[0], err
        assert not repaired.exists()

    # the start
    try:
        with Store(path) as store:
            state = store.export()
    except DataDirError as refused:
        assert case.expect is not INTACT, f"refused an intact directory: {refused}"
        assert refused.file == path / expected_file
        message = str(refused)
        assert str(path / expected_file) in message and "\n" not in message
        if case.expect[1] is not None:
            assert refused.offset == case.expect[1] and f"at byte {case.expect[1]}" in message
        assert "nothing was changed" in message or "delete" in message
        assert files(path) == damaged  # nothing truncated, nothing overwritten
    else:
        assert case.expect is INTACT, f"started on a damaged directory ({name})"
        assert state == world.final


def test_the_suite_covers_every_record_and_field(world: World) -> None:
    assert [r.offset for r in world.records] == [r.offset for r in RECORDS]  # the cases match the fixture
    assert sum(1 for name in CASES if name.startswith("bit flipped")) >= 8 * len(RECORDS) + 14

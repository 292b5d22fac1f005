"""Every ``rsc-mock`` sub-command against every kind of bad path: one line on stderr naming the flag or the
file and the fix, no traceback, exit 2 for a command line that cannot be used as given and 1 for a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mock_server.cli import main
from mock_server.store import Store
from mock_server.store.layout import log_name

USAGE, FAILURE = 2, 1


class Paths:
    """Bad (and good) paths of every kind, made in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.missing = root / "missing"
        self.file = root / "a-file.json"
        self.file.write_text("{}")
        self.foreign = root / "foreign"  # a directory of other things: neither a fixture world nor a data dir
        self.foreign.mkdir()
        (self.foreign / "notes.txt").write_text("mine")
        self.empty = root / "empty"
        self.empty.mkdir()
        self.in_missing_dir = root / "no-such-dir" / "out.json"
        self.data = root / "data"  # a good data directory
        with Store(self.data, {"counters": {"a": {"next": 1}}}) as store:
            store.table("counters").put("b", {"next": 2})
        self.damaged = root / "damaged"  # a bit flipped in the middle of its log
        with Store(self.damaged, {"counters": {"a": {"next": 1}}}) as store:
            for n in range(5):
                store.table("counters").put(f"k{n}", {"next": n})
        log = self.damaged / log_name(1)
        data = bytearray(log.read_bytes())
        data[len(data) // 2] ^= 0x08
        log.write_bytes(bytes(data))
        self.headless = root / "headless"  # a log without its checkpoint
        with Store(self.headless) as store:
            store.table("t").put("k", {})
        (self.headless / "checkpoint.json").unlink()
        self.snapshot = root / "snapshot.json"
        self.snapshot.write_text(json.dumps(Store().export()))


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> Paths:
    return Paths(tmp_path_factory.mktemp("cli-errors"))


Argv = Callable[[Paths], list[str]]
CASES: dict[str, tuple[Argv, int, Callable[[Paths], str]]] = {}


def case(name: str, argv: Argv, code: int, names: Callable[[Paths], str]) -> None:
    CASES[name] = (argv, code, names)


# serve: --fixtures and --data-dir
for kind, code in (("missing", USAGE), ("file", USAGE), ("foreign", USAGE)):
    case(f"serve --fixtures {kind}", lambda p, k=kind: ["serve", "--port", "0", "--fixtures", str(getattr(p, k))],
         code, lambda p: "--fixtures")
for kind, code, names in (("file", USAGE, "--data-dir"), ("foreign", USAGE, "--data-dir"),
                          ("damaged", FAILURE, "wal.000001.log at byte"), ("headless", FAILURE, "checkpoint.json")):
    case(f"serve --data-dir {kind}", lambda p, k=kind: ["serve", "--port", "0", "--data-dir", str(getattr(p, k))],
         code, lambda p, n=names: n)
# fixtures validate DIR, fixtures generate -o DIR
for kind, code, names in (("missing", USAGE, "DIRECTORY"), ("file", USAGE, "DIRECTORY"),
                          ("foreign", FAILURE, "not a fixture world"), ("empty", FAILURE, "not a fixture world")):
    case(f"fixtures validate {kind}", lambda p, k=kind: ["fixtures", "validate", str(getattr(p, k))], code,
         lambda p, n=names: n)
for kind in ("file", "in_missing_dir"):
    case(f"fixtures generate -o {kind}", lambda p, k=kind: ["fixtures", "generate", "-o", str(getattr(p, k))], USAGE,
         lambda p: "-o")
# snapshot export -o FILE --data-dir DIR, snapshot import FILE --data-dir DIR
for kind in ("in_missing_dir", "empty"):
    case(f"snapshot export -o {kind}",
         lambda p, k=kind: ["snapshot", "export", "--data-dir", str(p.data), "-o", str(getattr(p, k))], USAGE,
         lambda p: "-o")
for kind, code, names in (("missing", USAGE, "--data-dir"), ("file", USAGE, "--data-dir"),
                          ("foreign", USAGE, "--data-dir"), ("empty", USAGE, "--data-dir"),
                          ("damaged", FAILURE, "wal.000001.log at byte"), ("headless", FAILURE, "checkpoint.json")):
    case(f"snapshot export --data-dir {kind}", lambda p, k=kind: ["snapshot", "export", "--data-dir",
                                                                  str(getattr(p, k))], code, lambda p, n=names: n)
for kind in ("missing", "empty"):
    case(f"snapshot import FILE {kind}", lambda p, k=kind: ["snapshot", "import", str(getattr(p, k)), "--data-dir",
                                                            str(p.root / "new-data")], USAGE, lambda p: "FILE")
for kind, code, names in (("file", USAGE, "--data-dir"), ("foreign", USAGE, "--data-dir"),
                          ("damaged", FAILURE, "wal.000001.log at byte"), ("headless", FAILURE, "checkpoint.json")):
    case(f"snapshot import --data-dir {kind}", lambda p, k=kind: ["snapshot", "import", str(p.snapshot),
                                                                  "--data-dir", str(getattr(p, k))],
         code, lambda p, n=names: n)
# store verify / store repair
for command in ("verify", "repair"):
    for kind, code, names in (("missing", USAGE, "--data-dir"), ("file", USAGE, "--data-dir"),
                              ("foreign", USAGE, "--data-dir"), ("empty", USAGE, "--data-dir"),
                              ("headless", FAILURE, "checkpoint.json")):
        case(f"store {command} --data-dir {kind}",
             lambda p, k=kind, c=command: ["store", c, "--data-dir", str(getattr(p, k))]
             + (["--out", str(p.root / f"repaired-{k}")] if c == "repair" else []), code, lambda p, n=names: n)
case("store verify --data-dir damaged", lambda p: ["store", "verify", "--data-dir", str(p.damaged)], FAILURE,
     lambda p: "wal.000001.log at byte")
for kind in ("file", "foreign", "in_missing_dir"):
    case(f"store repair --out {kind}", lambda p, k=kind: ["store", "repair", "--data-dir", str(p.data), "--out",
                                                          str(getattr(p, k))], USAGE, lambda p: "--out")
# openapi -o FILE --fixtures DIR
for kind in ("in_missing_dir", "empty"):
    case(f"openapi -o {kind}", lambda p, k=kind: ["openapi", "-o", str(getattr(p, k))], USAGE, lambda p: "-o")
for kind in ("missing", "file", "foreign"):
    case(f"openapi --fixtures {kind}", lambda p, k=kind: ["openapi", "--fixtures", str(getattr(p, k))], USAGE,
         lambda p: "--fixtures")
# bad flags and values (argparse)
case("serve --port not-a-number", lambda p: ["serve", "--port", "eighty"], USAGE, lambda p: "--port")
case("store repair without --out", lambda p: ["store", "repair", "--data-dir", str(p.data)], USAGE, lambda p: "--out")


def run(argv: list[str], capsys) -> tuple[int, str, list[str]]:
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


@pytest.mark.parametrize("name", CASES)
def test_a_bad_path_is_one_line_naming_it_without_traceback(paths: Paths, capsys, name: str) -> None:
    argv, code, names = CASES[name]
    before = {p: p.read_bytes() for d in (paths.damaged, paths.headless) for p in d.iterdir() if p.name != "LOCK"}
    got, out, err = run(argv(paths), capsys)
    assert got == code, err
    assert len(err) == 1 and err[0].startswith("rsc-mock") and "Traceback" not in err[0], err
    assert names(paths) in err[0]
    assert {p: p.read_bytes() for p in before} == before  # a refusal changes nothing
    assert not (paths.root / "repaired-headless").exists()


@pytest.mark.parametrize("command", [
    lambda p: ["serve", "--port", "0", "--data-dir", str(p.data)],
    lambda p: ["snapshot", "export", "--data-dir", str(p.data)],
    lambda p: ["snapshot", "import", str(p.snapshot), "--data-dir", str(p.data)],
    lambda p: ["store", "verify", "--data-dir", str(p.data)],
    lambda p: ["store", "repair", "--data-dir", str(p.data), "--out", str(p.root / "never")],
])
def test_a_data_dir_in_use_is_a_usage_error(paths: Paths, capsys, command) -> None:
    with Store(paths.data):
        got, out, err = run(command(paths), capsys)
    assert got == USAGE and len(err) == 1, err
    assert "--data-dir" in err[0] and "in use" in err[0]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_server", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_the_issue_cases_as_real_processes(paths: Paths) -> None:
    with Store(paths.data):  # a second serve on a data dir a server has open
        busy = cli("serve", "--port", "0", "--data-dir", str(paths.data))
    headless = cli("serve", "--port", "0", "--data-dir", str(paths.headless))
    missing_dir = cli("snapshot", "export", "--data-dir", str(paths.data), "-o", str(paths.in_missing_dir))
    onto_dir = cli("snapshot", "export", "--data-dir", str(paths.data), "-o", str(paths.empty))
    etc = cli("serve", "--port", "0", "--fixtures", "/etc")
    proc = cli("fixtures", "validate", "/proc/self")
    for result, code in ((busy, USAGE), (headless, FAILURE), (missing_dir, USAGE), (onto_dir, USAGE), (etc, USAGE),
                         (proc, FAILURE)):
        assert result.returncode == code and len(result.stderr.splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert "not a fixture world" in etc.stderr and "not a fixture world" in proc.stderr


def test_debug_shows_the_traceback(paths: Paths) -> None:
    result = cli("--debug", "store", "verify", "--data-dir", str(paths.damaged))
    assert result.returncode == FAILURE
    assert "Traceback" in result.stderr and result.stderr.splitlines()[-1].startswith("rsc-mock: ")
    after = cli("store", "verify", "--debug", "--data-dir", str(paths.damaged))  # after the sub-command too
    assert "Traceback" in after.stderr


def test_the_fixture_directory_from_the_environment_is_checked_too(tmp_path: Path) -> None:
    result = cli("serve", "--port", "0", env={"RSC_MOCK_FIXTURES": str(tmp_path / "nope")})
    assert result.returncode == USAGE and "--fixtures" in result.stderr and len(result.stderr.splitlines()) == 1

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
from mock_server.testing.server import free_port

USAGE, FAILURE = 2, 1
FREE_PORT = str(free_port())  # a port no test here ends up serving on: every serve below is refused


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
        self.not_json = root / "notjson.json"
        self.not_json.write_text("nope\n")
        self.not_utf8 = root / "latin1.json"
        self.not_utf8.write_bytes(b'{"format": "\xe9"}')
        self.snapshot = root / "snapshot.json"
        self.snapshot.write_text(json.dumps(Store().export()))
        self.fifo = root / "a-fifo"  # not a regular file: an output renamed over it would replace it
        os.mkfifo(self.fifo)
        self.dangling = root / "dangling.json"  # a symbolic link to nothing
        self.dangling.symlink_to(root / "nowhere" / "x.json")


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> Paths:
    return Paths(tmp_path_factory.mktemp("cli-errors"))


Argv = Callable[[Paths], list[str]]
CASES: dict[str, tuple[Argv, int, Callable[[Paths], str | tuple[str, ...]]]] = {}


def case(name: str, argv: Argv, code: int, names: Callable[[Paths], str | tuple[str, ...]]) -> None:
    CASES[name] = (argv, code, names)


# serve: --fixtures and --data-dir
for kind, code in (("missing", USAGE), ("file", USAGE), ("foreign", USAGE)):
    case(f"serve --fixtures {kind}", lambda p, k=kind: ["serve", "--port", FREE_PORT, "--fixtures", str(getattr(p, k))],
         code, lambda p: "--fixtures")
for kind, code, names in (("file", USAGE, "--data-dir"), ("foreign", USAGE, "--data-dir"),
                          ("damaged", FAILURE, "wal.000001.log at byte"), ("headless", FAILURE, "checkpoint.json")):
    case(f"serve --data-dir {kind}", lambda p, k=kind: ["serve", "--port", FREE_PORT, "--data-dir", str(getattr(p, k))],
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
for kind in ("in_missing_dir", "empty", "fifo", "dangling"):
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
for kind in ("in_missing_dir", "empty", "fifo", "dangling"):
    case(f"openapi -o {kind}", lambda p, k=kind: ["openapi", "-o", str(getattr(p, k))], USAGE, lambda p: "-o")
for kind in ("missing", "file", "foreign"):
    case(f"openapi --fixtures {kind}", lambda p, k=kind: ["openapi", "--fixtures", str(getattr(p, k))], USAGE,
         lambda p: "--fixtures")
for flag in ("--json", "--junit", "--html"):
    case(f"certify report {flag} fifo",
         lambda p, f=flag: ["certify", "report", "--url", "http://127.0.0.1:" + FREE_PORT, f, str(p.fifo)], USAGE,
         lambda p, f=flag: f)
# bad flags and values (argparse)
case("serve --port not-a-number", lambda p: ["serve", "--port", "eighty"], USAGE, lambda p: "--port")
# every flag's value out of its range: (command line before the flag, flag, bad value, what the message says)
BAD_VALUES = [
    (["serve"], "--port", "0", "0 is not a port (1 to 65535)"),
    (["serve"], "--port", "70000", "70000 is not a port (1 to 65535)"),
    (["serve"], "--port", "-1", "is not a port"),
    (["serve"], "--daily-quota", "-5", "-5 is not a count (0 or more)"),
    (["serve"], "--daily-quota", "1.5", "'1.5' is not a whole number"),
    (["serve"], "--job-task-delay", "-1", "from 0 to 86400"),
    (["serve"], "--job-task-delay", "nan", "from 0 to 86400"),
    (["serve"], "--job-task-delay", "inf", "from 0 to 86400"),
    (["serve"], "--oldest-version", "202601", "not a LinkedIn-Version of the emulator's table"),
    (["serve"], "--latest-version", "202601", "not a LinkedIn-Version of the emulator's table"),
    (["serve"], "--latest-version", "-202604", "not a LinkedIn-Version"),
    (["serve"], "--latest-version", "2026-04", "not a LinkedIn-Version"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--members", "-3", "-3 is not a count"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--seats", "-1", "is not a count"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--customers", "-1", "is not a count"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--conversations", "-1", "is not a count"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--notes", "-1", "is not a count"),
    (["fixtures", "generate", "-o", "/tmp/never"], "--epoch", "-1", "is not an epoch ms time"),
    (["snapshot", "export"], "--url", "notaurl", "is not an http:// or https:// URL"),
    (["snapshot", "import", "x.json"], "--url", "ftp://host", "is not an http:// or https:// URL"),
    (["snapshot", "export"], "--url", "http://host:99999", "is not a usable URL"),
    (["listen"], "--url", "host:8080", "is not an http:// or https:// URL"),
    (["listen"], "--count", "0", "0 is not a count (1 or more)"),
    (["listen"], "--interval", "0", "from 0.001 to 3600"),
    (["listen"], "--interval", "-1", "from 0.001 to 3600"),
    *((["trigger", action, *required], "--url", "notaurl", "is not an http:// or https:// URL")
      for action, required in (("export", ["--seat", "1", "--member", "m", "--job", "j"]),
                               ("inmail", ["--seat", "1", "--member", "m", "--body", "b"]),
                               ("reply", ["--conversation", "c", "--body", "b"]),
                               ("note", ["--seat", "1", "--member", "m", "--note", "n"]),
                               ("integration", ["--context", "c", "--type", "ONE_CLICK_EXPORT", "--enable"]))),
]
for before, flag, value, says in BAD_VALUES:
    case(f"{' '.join(before[:2])} {flag} {value}", lambda p, b=before, f=flag, v=value: [*b, f, v], USAGE,
         lambda p, f=flag, s=says: (f"argument {f}: ", s))
case("serve --oldest-version later than --latest-version",
     lambda p: ["serve", "--port", FREE_PORT, "--oldest-version", "202604", "--latest-version", "202504"], USAGE,
     lambda p: "--oldest-version 202604 is later than --latest-version 202504")
case("serve --oldest-version later than the table's latest (0)",
     lambda p: ["serve", "--port", FREE_PORT, "--latest-version", "202501", "--oldest-version", "202604"], USAGE,
     lambda p: "--oldest-version 202604 is later than --latest-version 202501")
case("serve --host not an address", lambda p: ["serve", "--port", FREE_PORT, "--host", "999.1.1.1"], USAGE,
     lambda p: "--host 999.1.1.1: not an address")
case("serve --host not of this machine", lambda p: ["serve", "--port", FREE_PORT, "--host", "192.0.2.1"], USAGE,
     lambda p: "--host 192.0.2.1: not an address of this machine")
case("serve --data-dir under a missing directory",
     lambda p: ["serve", "--port", FREE_PORT, "--data-dir", "/proc/1/nope/x"], USAGE,
     lambda p: "--data-dir /proc/1/nope/x: directory /proc/1/nope does not exist")
case("snapshot import --data-dir under a missing directory",
     lambda p: ["snapshot", "import", str(p.snapshot), "--data-dir", "/proc/1/nope/x"], USAGE,
     lambda p: "--data-dir /proc/1/nope/x: directory /proc/1/nope does not exist")
case("snapshot import FILE not JSON", lambda p: ["snapshot", "import", str(p.not_json), "--data-dir",
                                                 str(p.root / "never")], USAGE,
     lambda p: f"FILE {p.not_json}: not JSON at line 1 column 1; give a file written by `rsc-mock snapshot export`")
case("snapshot import FILE not UTF-8", lambda p: ["snapshot", "import", str(p.not_utf8), "--url",
                                                  "http://127.0.0.1:9"], USAGE,
     lambda p: f"FILE {p.not_utf8}: not JSON")
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
    named = names(paths)
    assert all(part in err[0] for part in ((named,) if isinstance(named, str) else named)), err
    assert {p: p.read_bytes() for p in before} == before  # a refusal changes nothing
    assert not (paths.root / "repaired-headless").exists() and not (paths.root / "never").exists()
    assert paths.fifo.is_fifo() and paths.dangling.is_symlink() and not paths.dangling.exists()


def test_an_output_through_a_symbolic_link_writes_its_target(tmp_path: Path, capsys) -> None:
    """-o through a link to a regular file replaces the file it points to and keeps the link (renaming the new
    file over the link itself would leave the target stale while reporting success)."""
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    target.write_text("old")
    link.symlink_to(target)
    code, out, err = run(["openapi", "-o", str(link)], capsys)
    assert code in (0, None), err
    assert link.is_symlink() and json.loads(target.read_text())["openapi"].startswith("3.1")


@pytest.mark.parametrize("command", [
    lambda p: ["serve", "--port", FREE_PORT, "--data-dir", str(p.data)],
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
        busy = cli("serve", "--port", FREE_PORT, "--data-dir", str(paths.data))
    headless = cli("serve", "--port", FREE_PORT, "--data-dir", str(paths.headless))
    missing_dir = cli("snapshot", "export", "--data-dir", str(paths.data), "-o", str(paths.in_missing_dir))
    onto_dir = cli("snapshot", "export", "--data-dir", str(paths.data), "-o", str(paths.empty))
    etc = cli("serve", "--port", FREE_PORT, "--fixtures", "/etc")
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
    result = cli("serve", "--port", FREE_PORT, env={"RSC_MOCK_FIXTURES": str(tmp_path / "nope")})
    assert result.returncode == USAGE and "--fixtures" in result.stderr and len(result.stderr.splitlines()) == 1

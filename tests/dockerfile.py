"""The Dockerfile read as the container engine reads it, for tests that check the image without an engine: its
stages and instructions, the build context laid out exactly as the first stage's ``COPY`` lines lay it out, and
that stage's ``RUN`` lines run on this machine with the image's absolute paths moved under a directory."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


@dataclass
class Instruction:
    """One instruction: ``word`` (upper case), ``text`` (the rest, continuation lines joined), ``line`` (its
    first line number, 1-based)."""

    word: str
    text: str
    line: int


@dataclass
class Stage:
    """One ``FROM`` and the instructions up to the next: ``base``, ``name`` (``AS``) and ``instructions``."""

    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, word: str) -> list[str]:
        """The texts of every ``word`` instruction of the stage, in order."""
        return [i.text for i in self.instructions if i.word == word]


def instructions(text: str) -> list[Instruction]:
    """Every instruction of Dockerfile ``text`` (comments and blank lines dropped, ``\\`` continuations
    joined)."""
    found, current, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not current and (not raw.strip() or raw.strip().startswith("#")):
            continue
        if not current:
            start = number
        current += raw.rstrip().rstrip("\\").strip() + " "
        if not raw.rstrip().endswith("\\"):
            word, _, rest = current.strip().partition(" ")
            found.append(Instruction(word.upper(), rest.strip(), start))
            current = ""
    return found


def stages(text: str) -> tuple[dict[str, str], list[Stage]]:
    """``(build arguments declared before the first FROM with their defaults, stages)`` of ``text``; a
    stage's base has those arguments substituted."""
    args, result = {}, []
    for instruction in instructions(text):
        if instruction.word == "ARG" and not result:
            name, _, default = instruction.text.partition("=")
            args[name] = default
        elif instruction.word == "FROM":
            base, _, name = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m[1], m[0]), instruction.text).partition(" AS ")
            result.append(Stage(base.strip(), name.strip() or None))
        elif result:
            result[-1].instructions.append(instruction)
    return args, result


def words(text: str) -> list[str]:
    """The arguments of an instruction in exec form (a JSON array) or shell form."""
    return json.loads(text) if text.startswith("[") else shlex.split(text)


def environment(stage: Stage) -> dict[str, str]:
    """The ``ENV`` variables a stage sets (``KEY=value`` pairs; ``$PATH``-style references left as written)."""
    env = {}
    for text in stage.all("ENV"):
        for pair in shlex.split(text):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def ignored(relative: str, patterns: list[str]) -> bool:
    """True when ``relative`` (a path in the context, ``/``-separated) or a folder above it matches a
    ``.dockerignore`` pattern (``**/`` matches any depth)."""
    parts = relative.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    for pattern in patterns:
        bare = pattern[3:] if pattern.startswith("**/") else None
        for candidate in candidates:
            if fnmatch.fnmatchcase(candidate, pattern) or (
                    bare is not None and fnmatch.fnmatchcase(candidate.rsplit("/", 1)[-1], bare)):
                return True
    return False


def dockerignore(context: Path) -> list[str]:
    """The patterns of ``context/.dockerignore`` (none when it is missing)."""
    path = context / ".dockerignore"
    if not path.is_file():
        return []
    return [line.strip().lstrip("/") for line in path.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def lay_out(stage: Stage, context: Path, root: Path) -> Path:
    """Copy what ``stage``'s ``COPY`` lines (those without ``--from``) take from build context ``context``
    into ``root``, as the image's file system would hold them (``WORKDIR`` honoured, directories copied by
    their contents, ``.dockerignore`` honoured). Returns the stage's working directory under ``root``."""
    patterns = dockerignore(context)
    workdir = "/"
    for instruction in stage.instructions:
        if instruction.word == "WORKDIR":
            workdir = str(Path(workdir, instruction.text))
        if instruction.word != "COPY" or instruction.text.startswith("--from"):
            continue
        *sources, target = words(instruction.text)
        destination = root / Path(workdir, target).relative_to("/")
        into_folder = target.endswith("/") or len(sources) > 1
        for source in sources:
            origin = context / source
            if origin.is_dir():
                shutil.copytree(origin, destination, dirs_exist_ok=True, ignore=lambda folder, names: [
                    name for name in names
                    if ignored(str((Path(folder) / name).relative_to(context)), patterns)])
            elif origin.is_file():
                destination.mkdir(parents=True, exist_ok=True) if into_folder else destination.parent.mkdir(
                    parents=True, exist_ok=True)
                shutil.copy2(origin, destination / source if into_folder else destination)
            else:
                raise FileNotFoundError(f"Dockerfile line {instruction.line}: COPY source {source} is not in the"
                                        " build context")
    working = root / Path(workdir).relative_to("/")
    working.mkdir(parents=True, exist_ok=True)
    return working


def rooted(command: str, root: Path) -> str:
    """``command`` with every absolute path moved under ``root`` (``/opt/x`` → ``<root>/opt/x``)."""
    return re.sub(r"(?<![\w./$-])/(?=[\w.-])", str(root).rstrip("/") + "/", command)


def run_stage(stage: Stage, root: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``stage``'s ``RUN`` lines with ``sh -ec`` on this machine, in the stage's working directory under
    ``root``, with the image's absolute paths moved under ``root`` (:func:`rooted`), one after another; returns
    the first that fails, else the last."""
    workdir = "/"
    result = subprocess.CompletedProcess([], 0, "", "")
    for instruction in stage.instructions:
        if instruction.word == "WORKDIR":
            workdir = str(Path(workdir, instruction.text))
        if instruction.word != "RUN":
            continue
        result = subprocess.run(["sh", "-ec", rooted(instruction.text, root)], capture_output=True, text=True,
                                cwd=root / Path(workdir).relative_to("/"), env=env, timeout=timeout)
        if result.returncode != 0:
            return result
    return result

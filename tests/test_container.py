"""The container image: its Dockerfile against the CLI, its build context as the Dockerfile's COPY lines lay it
out (installed the way the image installs it, then started), and, where podman can run here, a real build and
run of the image on a base image built on this machine (no registry is reachable for ``python:3.11-slim``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
import yaml

from mock_server.cli import build_parser
from mock_server.config import settings_from_env
from mock_server.testing.server import free_port, wait_until_healthy
from tests import dockerfile
from tests.dockerfile import DOCKERFILE, ROOT

TEXT = DOCKERFILE.read_text()
README = (ROOT / "README.md").read_text()
ARGS, STAGES = dockerfile.stages(TEXT)
BUILD, IMAGE = STAGES[0], STAGES[-1]


def test_dockerfile_cmd_healthcheck_and_user_match_the_cli():
    [cmd] = IMAGE.all("CMD")
    argv = json.loads(cmd)
    assert argv[0] == "rsc-mock"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "serve"
    env = dockerfile.environment(IMAGE)
    settings = settings_from_env(env, host=args.host, port=args.port, data_dir=args.data_dir)
    assert settings.host == "0.0.0.0" and str(settings.data_dir) == "/data"
    [expose] = IMAGE.all("EXPOSE")
    assert int(expose) == settings.port
    [healthcheck] = IMAGE.all("HEALTHCHECK")
    check = json.loads(healthcheck[healthcheck.index("CMD") + 3:].strip())
    assert check[:2] == ["python", "-c"] and "/_mock/health" in check[2] and "RSC_MOCK_PORT" in check[2]
    [volume] = IMAGE.all("VOLUME")
    assert json.loads(volume) == [str(settings.data_dir)]
    assert IMAGE.all("USER")[-1] not in ("root", "0")
    assert len(STAGES) >= 2 and ARGS["PYTHON_IMAGE"].startswith("python:") and "slim" in ARGS["PYTHON_IMAGE"]
    copied = " ".join(IMAGE.all("COPY"))
    assert copied.startswith("--from=") and "mock_server" not in copied, "the image copies the built env only"


def readme_yaml(first_line: str) -> dict:
    """The README's YAML block that opens with ``first_line``."""
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S) if b.startswith(first_line)]
    return yaml.safe_load(block)


def test_the_readmes_compose_file_and_ci_service_match_the_image():
    [expose] = IMAGE.all("EXPOSE")
    [volume] = json.loads(IMAGE.all("VOLUME")[0])
    compose = readme_yaml("# compose.yaml")["services"]["rsc-mock"]
    assert compose["build"] == "." and [p.split(":")[-1] for p in compose["ports"]] == [expose]
    assert [v.split(":")[-1] for v in compose["volumes"]] == [volume]
    job = readme_yaml("# .github/workflows/test.yml")["jobs"]["test"]
    [port] = job["services"]["rsc-mock"]["ports"]
    host, container = port.split(":")
    assert container == expose
    [tests] = [step["run"] for step in job["steps"] if step.get("run", "").startswith("python -m pytest")]
    assert f"--rsc-url http://localhost:{host}" in tests


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would import the checkout instead of the installed
    copy (``PYTHONPATH``) or pick another emulator's settings (``RSC_MOCK_*``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("RSC_MOCK_")}
    env.update(extra)
    return env


def install_and_start(text: str, tmp_path: Path) -> str | None:
    """Lay out the build context as ``text``'s first stage copies it, run that stage's RUN lines (the wheel is
    built and installed into a fresh venv), then start the image's CMD from that venv with the image's ENV
    (on a free loopback port) and call it. Returns None when everything worked, else what failed first."""
    _, (build, *_, image) = dockerfile.stages(text)
    root = tmp_path / "root"
    try:
        dockerfile.lay_out(build, ROOT, root)
    except FileNotFoundError as error:
        return str(error)
    built = dockerfile.run_stage(build, root, clean_environment(**dockerfile.environment(build)))
    if built.returncode != 0:
        return f"the build stage failed: {built.stdout[-2000:]}{built.stderr[-2000:]}"
    env = {name: dockerfile.rooted(value, root).replace("$PATH", os.environ["PATH"])
           for name, value in dockerfile.environment(image).items()}
    port = free_port()
    env = clean_environment(**{**env, "RSC_MOCK_HOST": "127.0.0.1", "RSC_MOCK_PORT": str(port)})
    argv = json.loads(image.all("CMD")[-1])
    executable = shutil.which(argv[0], path=env["PATH"])
    if executable is None or not executable.startswith(str(root)):
        return f"{argv[0]} is not installed in the image's environment"
    described = subprocess.run([str(Path(executable).parent / "python"), "-c", "import importlib.metadata as m;"
                                " print(m.metadata('rsc-mock').get_payload(), end='')"],
                               capture_output=True, text=True, env=env, cwd=tmp_path)
    if described.stdout.strip() != README.strip():
        return f"the installed package's description is not the README: {described.stderr[-500:]}"
    Path(env["RSC_MOCK_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen([executable, *argv[1:]], env=env, cwd=tmp_path, stdout=output, stderr=output)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, 30, lambda: process.poll() is None)
        token = httpx.post(url + "/oauth/v2/accessToken", data={
            "grant_type": "client_credentials", "client_id": "demo-customer", "client_secret": "demo-customer-secret"})
        if token.status_code != 200:
            return f"the demo customer's token call answered {token.status_code}: {token.text}"
        for path in ("/examples/ats-page.html", "/xdoor/scripts/in.js", "/_widgets/static/frame.js",
                     "/_mock/openapi.json"):
            reply = httpx.get(url + path)
            if reply.status_code != 200:
                return f"GET {path} answered {reply.status_code}: {reply.text[:300]}"
        return None
    except RuntimeError as error:
        return f"{error}: {log.read_text()[-2000:]}"
    finally:
        process.terminate()
        process.wait(15)


def test_the_build_context_installs_and_serves_as_the_image_does(tmp_path):
    problem = install_and_start(TEXT, tmp_path)
    assert problem is None, problem


def without_one_source() -> dict[str, str]:
    """The Dockerfile without each source its build stage copies, one at a time: ``{source: Dockerfile text}``
    (a COPY line left with no source is dropped)."""
    variants, lines = {}, TEXT.splitlines()
    for instruction in BUILD.instructions:
        if instruction.word != "COPY":
            continue
        assert lines[instruction.line - 1].rstrip().endswith(instruction.text), "one COPY per line"
        *sources, target = dockerfile.words(instruction.text)
        for source in sources:
            kept = [s for s in sources if s != source]
            changed = list(lines)
            changed[instruction.line - 1] = f"COPY {' '.join(kept)} {target}" if kept else ""
            variants[source] = "\n".join(changed) + "\n"
    return variants


VARIANTS = without_one_source()


@pytest.mark.parametrize("source", sorted(VARIANTS))
def test_a_dockerfile_that_leaves_out_a_copied_source_fails_that_check(tmp_path, source):
    problem = install_and_start(VARIANTS[source], tmp_path)
    assert problem is not None, f"the image would build and serve without copying {source}"


# ---- a real build and run with podman ----------------------------------------------------------------------

ENGINE_TOOLS = ("podman", "mmdebstrap")
REQUIRE = os.environ.get("RSC_REQUIRE_CONTAINER") == "1"


def engine_or_skip() -> None:
    missing = [tool for tool in ENGINE_TOOLS if shutil.which(tool) is None]
    if missing:
        if REQUIRE:
            pytest.fail(f"RSC_REQUIRE_CONTAINER=1 but {', '.join(missing)} is not installed")
        pytest.skip(f"{', '.join(missing)} is not installed (apt-get install podman runc mmdebstrap)")


@pytest.fixture
def podman():
    """``podman`` with its own storage in a temporary directory (images and containers of this test only), runc when
    installed (crun refuses hybrid cgroup hierarchies) and open-file and process limits the container may set
    (podman's defaults ask for more than a non-init process may raise to)."""
    engine_or_skip()
    storage = Path(tempfile.mkdtemp(prefix="rsc-podman-"))  # podman wants a run root under 50 characters
    base = ["podman", "--root", str(storage / "root"), "--runroot", str(storage / "run")]
    if shutil.which("runc"):
        base += ["--runtime", "runc"]
    limits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]

    def run(*args: str, timeout: float = 600, check: bool = True, limited: bool = False):
        command = [*base, args[0], *(limits if limited else []), *args[1:]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed: {result.stdout[-3000:]}{result.stderr[-3000:]}")
        return result

    yield run
    run("rm", "--all", "--force", "--time", "0", check=False)
    run("rmi", "--all", "--force", check=False)
    shutil.rmtree(storage, ignore_errors=True)


def base_image(podman, tmp_path: Path) -> str:
    """A Debian bookworm image with Python 3.11 and venv standing in for ``python:3.11-slim``, built from
    Debian's packages with mmdebstrap. It trusts the certificate authorities this machine trusts, so pip in
    the build reaches PyPI as it does here."""
    tar = tmp_path / "base.tar"
    hook = "copy-in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs"
    made = subprocess.run(["mmdebstrap", "--variant=apt", "--include=python3,python3-venv,python-is-python3,"
                           "ca-certificates,passwd", f"--customize-hook={hook}", "--format=tar", "bookworm", str(tar)],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-3000:]
    name = "localhost/rsc-mock-test-base:bookworm"
    podman("import", "--change", "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt", str(tar), name)
    tar.unlink()
    return name


def wait_for_health(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/_mock/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not become healthy")


def test_the_image_builds_and_serves_with_podman(podman, tmp_path):
    base = base_image(podman, tmp_path)
    image = "localhost/rsc-mock-test:latest"
    podman("build", "--format", "docker", "--network", "host", "--pull=never", "--build-arg",
           f"PYTHON_IMAGE={base}", "--tag", image, "--file", str(DOCKERFILE), str(ROOT), limited=True)
    inspected = json.loads(podman("image", "inspect", image).stdout)[0]
    assert inspected["Config"]["User"] == "10001" and "/data" in inspected["Config"]["Volumes"]
    assert inspected["Config"]["Cmd"] == ["rsc-mock", "serve"]
    assert inspected["Healthcheck"]["Test"][:2] == ["CMD", "python"]
    no_sources = podman("run", "--rm", "--network", "none", image, "sh", "-c", "test ! -e /src && test ! -e /wheels",
                        limited=True, check=False)
    assert no_sources.returncode == 0, "the image holds the build stage's sources"

    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, 10001, 10001)  # the image's user owns its volume, as a named volume would be
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def start(name: str) -> None:
        podman("run", "--detach", "--name", name, "--network", "host", "--env", "RSC_MOCK_HOST=127.0.0.1",
               "--env", f"RSC_MOCK_PORT={port}", "--volume", f"{data}:/data", image, limited=True)
        wait_for_health(url)

    start("rsc-mock-first")
    assert podman("healthcheck", "run", "rsc-mock-first", check=False).returncode == 0
    assert podman("exec", "rsc-mock-first", "id", "-u").stdout.strip() == "10001"
    token = httpx.post(url + "/oauth/v2/accessToken", data={
        "grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "demo-partner-secret"})
    assert token.status_code == 200, token.text
    created = httpx.post(url + "/v2/provisionedApplications", headers={
        "Authorization": "Bearer " + token.json()["access_token"]}, json={
        "uniqueForeignId": "container-test", "name": "Container test", "description": "kept in /data"})
    assert created.status_code == 201, created.text
    podman("stop", "--time", "10", "rsc-mock-first")
    assert list(data.glob("wal.*.log")) and (data / "closed.json").exists()  # written, then stopped cleanly

    start("rsc-mock-second")  # a new container on the same volume finds the state
    found = httpx.post(url + "/oauth/v2/accessToken", data={
        "grant_type": "client_credentials", "client_id": created.json()["credentials"]["client_id"],
        "client_secret": created.json()["credentials"]["client_secret"]})
    assert found.status_code == 200, found.text
    logs = podman("logs", "rsc-mock-second").stdout + podman("logs", "rsc-mock-second").stderr
    assert f"listening on http://127.0.0.1:{port}" in logs and "data dir: /data" in logs
    podman("stop", "--time", "10", "rsc-mock-second")


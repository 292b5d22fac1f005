"""The ``rsc-mock`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from mock_server.config import bundled_fixtures_dir
from mock_server.testing.server import free_port

ROOT = Path(__file__).resolve().parent.parent


def start(args, env=None):
    return subprocess.Popen([sys.executable, "-m", "mock_server", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def wait_healthy(url: str, process, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if httpx.get(url + "/_mock/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not become healthy")


def test_serve_prints_url_and_demo_credentials_and_answers_health():
    port = free_port()
    process = start(["serve", "--port", str(port)])
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        banner = [process.stdout.readline() for _ in range(5)]
        text = "".join(banner)
        assert f"http://127.0.0.1:{port}" in text
        assert "client_id=demo-partner client_secret=demo-partner-secret" in text
        assert "client_id=demo-customer client_secret=demo-customer-secret" in text
        health = httpx.get(f"http://127.0.0.1:{port}/_mock/health").json()
        assert health["status"] == "ok" and health["tables"]["applications"] == 2
    finally:
        process.terminate()
        process.wait(10)


def test_flags_also_come_from_environment(tmp_path):
    port = free_port()
    process = start(["serve"], env={"RSC_MOCK_PORT": str(port), "RSC_MOCK_DATA_DIR": str(tmp_path / "data")})
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        assert (tmp_path / "data").is_dir() and any((tmp_path / "data").iterdir())
    finally:
        process.terminate()
        process.wait(10)


def test_bad_environment_value_is_reported():
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve"], capture_output=True, text=True,
                            env={**os.environ, "RSC_MOCK_PORT": "eighty"}, timeout=30)
    assert result.returncode == 2
    assert "RSC_MOCK_PORT" in result.stderr


def bad_fixtures(tmp_path: Path) -> Path:
    directory = tmp_path / "fixtures"
    shutil.copytree(bundled_fixtures_dir(), directory)
    seats = json.loads((directory / "seats.json").read_text())
    seats[0]["state"] = "SLEEPING"
    (directory / "seats.json").write_text(json.dumps(seats))
    return directory


def test_bad_fixture_stops_the_start_with_file_pointer_and_reason(tmp_path):
    directory = bad_fixtures(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--port", str(free_port()),
                             "--fixtures", str(directory)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "seats.json /0/state" in result.stderr and "not an enum symbol" in result.stderr


def test_a_taken_port_stops_the_start_before_any_banner():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "listening" not in result.stdout and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert str(port) in line and "in use" in line


def test_the_banner_hints_a_token_of_the_loaded_world(tmp_path):
    world = tmp_path / "world"
    generated = subprocess.run([sys.executable, "-m", "mock_server", "fixtures", "generate", "--seed", "3",
                                "--members", "12", "--seats", "2", "-o", str(world)],
                               capture_output=True, text=True, timeout=60)
    assert generated.returncode == 0, generated.stderr
    child = next(doc for doc in json.loads((world / "applications.json").read_text()) if doc["kind"] == "child")
    port = free_port()
    process = start(["serve", "--port", str(port), "--fixtures", str(world)])
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        hint = next(line for line in process.stdout if line.startswith("  token:"))
    finally:
        process.terminate()
        process.wait(10)
    assert f"-d client_id={child['clientId']} -d client_secret={child['clientSecret']}" in hint
    assert "demo-customer" not in hint


def test_fixtures_validate_command(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "mock_server", "fixtures", "validate", str(bundled_fixtures_dir())],
                        capture_output=True, text=True, timeout=30)
    assert ok.returncode == 0 and "valid" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "mock_server", "fixtures", "validate", str(bad_fixtures(tmp_path))],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 1 and "/0/state" in bad.stderr


def test_listening_socket_is_tcp_so_replies_are_not_delayed_by_nagle():
    import socket

    from mock_server.cli import listening_socket

    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on accepted sockets only then
    finally:
        sock.close()


def test_fixture_json_is_as_strict_as_request_bodies(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(bundled_fixtures_dir(), directory)
    (directory / "contracts.json").write_text(
        '[{"contract": "urn:li:contract:2000", "organization": "urn:li:organization:1000", "name": "\\ud800"}]')
    result = subprocess.run([sys.executable, "-m", "mock_server", "fixtures", "validate", str(directory)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "contracts.json: not valid JSON: /0/name holds a lone surrogate" in result.stderr

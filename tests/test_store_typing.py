"""``mock_server/store`` passes mypy with --strict's checks, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_store_package_is_strictly_typed(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "--strict",
                             "mock_server/store"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    configured = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "mock_server/store"],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert configured.returncode == 0, configured.stdout + configured.stderr

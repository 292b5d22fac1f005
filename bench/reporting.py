"""What the benchmarks that write a markdown report share: the time they started, the report's head (title,
machine, load average at the end, the command that reproduces the run) and printing it and, unless the run was
``--quick``, writing it to ``bench/results/``."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path


def started() -> str:
    """Now, local time with its zone (``2026-11-29 17:05 UTC``): when the run started."""
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def head(title: str, since: str, command: str) -> list[str]:
    """The first lines of a report: ``# title``, the machine (architecture, cores, Python), ``since`` (from
    :func:`started`), the load average now (at the end of the run) and the ``command`` that ran it."""
    return [
        f"# {title}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {since};"
        f" load average at the end {', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        f"Command: `{command}`.",
        "",
    ]


def publish(report: str, path: Path, quick: bool) -> None:
    """Print ``report``; unless ``quick``, also write it to ``path`` (its directory made if need be)."""
    print(report)
    if not quick:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report)

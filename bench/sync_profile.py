"""Where the emulator's time goes during the historical sync of ``sync_bench.py``: cProfile of the emulator
in-process (ASGI, no sockets), the time of each function charged to a component of the emulator or its
libraries, separately for the 100-entity batch calls and for the per-parent calls (notes, stages).

Usage: ``python bench/sync_profile.py [--candidates N]`` prints the markdown section; ``sync_bench.py``
appends it to its report when a goal is missed. The client (httpx) is left out of the shares. A built-in
function (``str.join``, ``isinstance``, …) is charged to the component of the function that called it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mock_server.app import create_app  # noqa: E402
from mock_server.config import Settings  # noqa: E402

# (substring of the file name, component); the first match wins, None leaves the function out (the client)
COMPONENTS = (
    ("/httpx/", None), ("/h11/", None), ("/sync_bench.py", None), ("/sync_profile.py", None),
    ("/jsonschema/", "JSON Schema validation (jsonschema, referencing)"),
    ("/referencing/", "JSON Schema validation (jsonschema, referencing)"),
    ("/attr/", "JSON Schema validation (jsonschema, referencing)"),
    ("mock_server/validation.py", "JSON Schema validation (jsonschema, referencing)"),
    ("mock_server/restli/keys.py", "Rest.li keys: parse and canonical form (restli/keys.py)"),
    ("mock_server/restli/", "Rest.li dispatch, query, envelopes (restli/)"),
    ("mock_server/store/", "store: copies, indexes, TinyDB (store/)"),
    ("mock_server/middleware.py", "request journal and middleware"),
    ("mock_server/journal.py", "request journal and middleware"),
    ("mock_server/exchange.py", "request journal and middleware"),
    ("mock_server/", "resource handlers and the rest of mock_server"),
    ("/starlette/", "Starlette routing and responses"),
    ("/json/", "json encode/decode"),
    ("/urllib/", "URL decoding (urllib.parse)"),
)
OTHER = "event loop, contextlib and other standard library"


def component(filename: str) -> str | None:
    """The component a function of ``filename`` is charged to (None: the client, left out)."""
    for part, name in COMPONENTS:
        if part in filename:
            return name
    return OTHER


def shares(profile: cProfile.Profile) -> dict[str, float]:
    """Seconds of own time per component; built-ins charged to their callers' components."""
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, callers) in pstats.Stats(profile).stats.items():
        if filename != "~":
            name = component(filename)
            if name is not None:
                totals[name] = totals.get(name, 0.0) + own
            continue
        for (caller_file, _, _), (_, _, from_caller, _) in callers.items():
            name = component(caller_file) if caller_file != "~" else OTHER
            if name is not None:
                totals[name] = totals.get(name, 0.0) + from_caller
    return totals


async def profile_sync(candidates: int) -> dict[str, cProfile.Profile]:
    """Sync ``candidates`` candidates (``sync_bench.workload``) into a fresh in-process emulator with one
    profiler for batch calls and one for per-parent calls."""
    from sync_bench import BATCH_UPDATE, CUSTOMER, as_request, workload

    app = create_app(Settings(daily_quota=100_000_000))
    profiles = {"batch": cProfile.Profile(), "per-parent": cProfile.Profile()}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        token = (await client.post("/oauth/v2/accessToken", data={
            "grant_type": "client_credentials", "client_id": CUSTOMER[0], "client_secret": CUSTOMER[1]})).json()
        headers = {**BATCH_UPDATE, "Authorization": "Bearer " + token["access_token"]}
        for kind, path, body, _ in workload(candidates):
            method, url, extra, content = as_request(path, body)
            profile = profiles["batch" if kind in ("candidates", "applications") else "per-parent"]
            profile.enable()
            reply = await client.request(method, url, content=content, headers={**headers, **extra})
            profile.disable()
            if reply.status_code != 200:
                raise RuntimeError(f"{kind}: {reply.status_code} {reply.text[:300]}")
    return profiles


def where_time_goes(candidates: int = 1_000) -> str:
    """The markdown section: share of the emulator's own time per component, per kind of call."""
    measured = {kind: shares(profile) for kind, profile in asyncio.run(profile_sync(candidates)).items()}
    names = sorted({name for found in measured.values() for name in found},
                   key=lambda name: -measured["batch"].get(name, 0.0))
    totals = {kind: sum(found.values()) for kind, found in measured.items()}
    lines = ["## Where the time goes", "",
             f"cProfile of the emulator in-process (ASGI, no sockets) over the sync of {candidates:,} candidates"
             " (`python bench/sync_profile.py`); share of the emulator's own time, the client left out.", "",
             "| component | batch calls (100 candidates / applications) | per-parent calls (notes, stages) |",
             "| --- | ---: | ---: |"]
    for name in names:
        lines.append(f"| {name} | {100 * measured['batch'].get(name, 0.0) / totals['batch']:.1f} % |"
                     f" {100 * measured['per-parent'].get(name, 0.0) / totals['per-parent']:.1f} % |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the section for ``--candidates`` candidates."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=1_000)
    print(where_time_goes(parser.parse_args().candidates))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Move a snapshot (the whole state as one JSON document, see :mod:`mock_server.store.snapshot`) between a
file and a running emulator (its ``/_mock/snapshot`` endpoint) or a data directory no server has open.

Files are written atomically (a temporary name in the same directory, fsync, rename), so an interrupted export
never leaves half a file. A failure raises :class:`SnapshotError` with a message for the user, or the store's
:class:`~mock_server.store.errors.DataDirError` for a data directory that cannot be opened; a refused import
changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from mock_server.domain.tables import check_tables
from mock_server.restli.errors import RestliError
from mock_server.restli.jsonbody import parse_object
from mock_server.store import Store
from mock_server.store.errors import DataDirBusy, NotADataDir
from mock_server.store.files import atomic_write
from mock_server.store.snapshot import parse_snapshot
from mock_server.store.survey import check_path, holds_data
from mock_server.tools.admin_url import admin_url


class SnapshotError(Exception):
    """An export or import that did not happen, and why."""


class SnapshotFileError(SnapshotError):
    """The file given to import cannot be read as JSON (a file the command cannot use, not a refused snapshot)."""


def _open(data_dir: Path, must_exist: bool) -> Store:
    """The store of ``data_dir``.  Raises :class:`~mock_server.store.errors.NotADataDir` (also for a missing
    one or one holding no data when ``must_exist``), :class:`~mock_server.store.errors.DataDirBusy` (its fix
    names ``--url``), another :class:`~mock_server.store.errors.DataDirError` when it is damaged."""
    check_path(data_dir)
    if must_exist and not holds_data(data_dir):
        raise NotADataDir(data_dir, "not an rsc-mock data directory (no rsc-mock data in it)",
                          fix="give the directory a server was started with as --data-dir")
    try:
        return Store(data_dir)
    except DataDirBusy as error:
        raise DataDirBusy(error.file, error.problem, fix="stop the server first, or reach it with --url") from None


def export_snapshot(output: Path | None, url: str | None = None, data_dir: Path | None = None,
                    sandbox: str | None = None) -> bytes | None:
    """Write the snapshot of the emulator at ``url`` (in its sandbox ``sandbox``; None: its own world) or of
    ``data_dir`` to ``output`` atomically; with no ``output``, return its JSON bytes instead."""
    if data_dir is not None:
        with _open(Path(data_dir), must_exist=True) as store:
            if output is not None:
                store.write_snapshot(Path(output))
                return None
            return json.dumps(store.export()).encode()
    try:
        reply = httpx.get(_snapshot_url(url, sandbox), timeout=60)
    except httpx.HTTPError as error:
        raise SnapshotError(f"cannot reach {url}: {error}; is a server running there? (--url, $RSC_MOCK_URL)") from None
    if reply.status_code != 200:
        raise _refused(url, reply)
    if output is None:
        return reply.content
    atomic_write(Path(output), reply.content)
    return None


def import_snapshot(source: Path, url: str | None = None, data_dir: Path | None = None,
                    sandbox: str | None = None) -> dict:
    """Replace the state of the emulator at ``url`` (in its sandbox ``sandbox``; None: its own world) or of
    ``data_dir`` with the snapshot in ``source``;
    returns ``{table: rows}`` after the import. A snapshot refused (:class:`SnapshotError`) is refused before
    ``data_dir`` is opened: nothing in it is created or changed."""
    try:
        data = Path(source).read_bytes()
    except OSError as error:
        raise SnapshotFileError(f"FILE {source}: cannot be read ({error.strerror})") from None
    try:
        doc = json.loads(data)
    except ValueError as error:  # UnicodeDecodeError too
        where = f" at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        raise SnapshotFileError(f"FILE {source}: not JSON{where}; give a file written by `rsc-mock snapshot"
                                " export`") from None
    if data_dir is not None:
        try:  # checked before the directory is opened, so a refused import leaves no file behind
            parse_object(data)  # what PUT /_mock/snapshot refuses too: a lone surrogate (no reply could show it), ...
            check_tables(parse_snapshot(doc))
        except RestliError as error:
            raise SnapshotError(f"snapshot refused, nothing was changed: {error.message}") from None
        except ValueError as error:
            raise SnapshotError(f"snapshot refused, nothing was changed: {error}") from None
        with _open(Path(data_dir), must_exist=False) as store:
            store.import_snapshot(doc)
            return store.counts()
    try:
        reply = httpx.put(_snapshot_url(url, sandbox), json=doc, timeout=60)
    except httpx.HTTPError as error:
        raise SnapshotError(f"cannot reach {url}: {error}; is a server running there? (--url, $RSC_MOCK_URL)") from None
    if reply.status_code != 200:
        raise _refused(url, reply)
    return reply.json()["tables"]


def _refused(url: str | None, reply: httpx.Response) -> SnapshotError:
    """The error of a snapshot call the emulator at ``url`` refused: its status and message (the error body's
    ``message``, else the reply's text)."""
    message = reply.json().get("message") if "json" in reply.headers.get("content-type", "") else None
    return SnapshotError(f"{url} answered {reply.status_code}: {message or reply.text}")


def _snapshot_url(url: str | None, sandbox: str | None) -> str:
    """The snapshot endpoint of the emulator at ``url``: ``/_mock/snapshot``, or ``/_mock/sandboxes/<sandbox>/
    snapshot`` for a sandbox; :class:`SnapshotError` when neither a URL nor a data directory was given."""
    if url is None:
        raise SnapshotError("give the emulator's URL (--url, $RSC_MOCK_URL) or its --data-dir")
    return admin_url(url, "/snapshot", sandbox)

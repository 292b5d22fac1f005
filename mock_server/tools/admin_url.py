"""The URL of an emulator's admin call (``/_mock/…``), in its own world or in one of its sandboxes: the one place
the command line and the testing helpers build it, so a sandbox id can never name another world."""

from __future__ import annotations

import re

SANDBOX_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What a sandbox id may be: the server makes ``sb`` + 8 letters and digits, and ``default`` names its own world;
an empty id, ``.``/``..`` or one with a ``/`` would address another path (``/_mock/sandboxes/../snapshot`` is the
default world's snapshot once a client normalizes it)."""


def checked_sandbox_id(sandbox: str) -> str:
    """``sandbox`` when it can be a sandbox id (:data:`SANDBOX_ID`); ``ValueError`` saying why not."""
    if not SANDBOX_ID.fullmatch(sandbox):
        raise ValueError(f"{sandbox!r} is not a sandbox id: letters, digits, - and _ (as `rsc-mock sandbox list`"
                         " shows them)")
    return sandbox


def admin_url(base_url: str, path: str, sandbox: str | None = None) -> str:
    """``<base_url>/_mock<path>``, or ``<base_url>/_mock/sandboxes/<sandbox><path>`` in sandbox ``sandbox``
    (None: the server's own world); ``path`` is empty or starts with ``/``. ``ValueError`` for a sandbox id that
    is not one (:func:`checked_sandbox_id`), never a URL of another world."""
    where = "" if sandbox is None else "/sandboxes/" + checked_sandbox_id(sandbox)
    return base_url.rstrip("/") + "/_mock" + where + path

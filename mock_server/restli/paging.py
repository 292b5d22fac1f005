"""Collection paging: ``start`` / ``count`` in, ``paging: {start, count, total, links}`` out.

Defaults follow the emulator's decisions table: ``start`` 0, ``count`` 10, at most 100 per page. Links are
``{"rel": "next"|"prev", "href": ..., "type": "application/json"}`` (Rest.li CollectionMetadata).
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

from mock_server.restli.errors import RestliError
from mock_server.restli.query import Query

DEFAULT_COUNT = 10
MAX_COUNT = 100


@dataclasses.dataclass(frozen=True)
class Page:
    """A requested page: ``start`` (0-based offset) and ``count`` (page size)."""

    start: int = 0
    count: int = DEFAULT_COUNT


def read_page(query: Query, default_count: int = DEFAULT_COUNT, max_count: int = MAX_COUNT,
              require_start: bool = False) -> Page:
    """The page a request asks for. 400 naming ``start``/``count`` when negative, not numbers, over
    ``max_count``, or (``require_start``) when ``start`` is missing."""
    if require_start and not query.has("start"):
        raise RestliError(400, "Missing required query parameter 'start': this finder must be paged")
    start = query.get_int("start", 0, minimum=0)
    count = query.get_int("count", default_count, minimum=0)
    if count > max_count:
        raise RestliError(400, f"Query parameter 'count' must be at most {max_count}, got {count}")
    return Page(start, count)


def paging_block(page: Page, returned: int, total: int, path: str, query: Query) -> dict[str, Any]:
    """The ``paging`` object for a page of ``returned`` elements out of ``total``, with next/prev links
    that repeat the request's other parameters.

    ``count`` is the page size the request asked for (or the finder's default), not the number of elements
    returned: Rest.li's ``RestUtils.buildMetadata`` writes the requested count, and LinkedIn's pagination
    guide says the last page is the one with fewer elements than ``count``."""
    links = []
    if page.start > 0:
        links.append(_link("prev", max(0, page.start - page.count), page.count, path, query))
    if page.start + returned < total and page.count > 0:
        links.append(_link("next", page.start + page.count, page.count, path, query))
    return {"start": page.start, "count": page.count, "total": total, "links": links}


def _link(rel: str, start: int, count: int, path: str, query: Query) -> dict[str, str]:
    kept = [(n, v) for n, v in query.pairs if n not in ("start", "count")]
    parts = [f"{n}={v}" for n, v in kept] + [f"start={start}", f"count={count}"]
    return {"rel": rel, "href": quote(path, safe="/:=&(),%") + "?" + "&".join(parts), "type": "application/json"}

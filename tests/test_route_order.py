"""The Rest.li bases come first in the app's route table (they serve nearly every request, so a call tries no
other route first). That is only right while no other route, deferred ones included, claims a path under
``/v2/`` or ``/rest/``: checked here for every route and every verb."""

from __future__ import annotations

import pytest
from starlette.routing import Match

from mock_server.app import create_app
from mock_server.config import Settings

BASES = ("/v2/{path:path}", "/rest/{path:path}")
PATHS = ("/v2/atsCandidates", "/v2/oauth/v2/accessToken", "/v2/_mock/requests", "/rest/atsCandidates",
         "/rest/media/upload/1", "/v2/", "/rest/_widgets/frames", "/v2/examples/ats-page.html")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_no_route_but_the_restli_bases_claims_a_path_under_them(path, method):
    routes = create_app(Settings()).router.routes
    assert [getattr(route, "path", None) for route in routes[:2]] == list(BASES)
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    for route in routes[2:]:
        route_path = getattr(route, "path", None)
        assert route.matches(scope)[0] is Match.NONE, (route_path, path)

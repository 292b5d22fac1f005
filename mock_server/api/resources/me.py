"""``GET /v2/me``: the lite profile of the member behind a 3-legged token (scope ``r_liteprofile``).

A 2-legged token → 403 (the access rules); a member token without a profile scope → 403. ``fields=id`` (as
LinkedIn's Postman collection sends) keeps only the id. Reply: liteProfile.json.
LinkedIn: https://learn.microsoft.com/en-us/linkedin/shared/integrations/people/profile-api and
https://learn.microsoft.com/en-us/linkedin/shared/references/v2/profile/lite-profile
"""

from __future__ import annotations

import re

from mock_server.api.access import MEMBER, denied
from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2, caller
from mock_server.api.resources.prospect_params import interactions
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Resource

PROFILE_SCOPES = {"r_liteprofile", "r_basicprofile"}
LOCALE = {"country": "US", "language": "en"}


def localized(text: str) -> dict:
    """A MultiLocaleString in the member's (en_US) locale."""
    return {"localized": {"en_US": text}, "preferredLocale": dict(LOCALE)}


def get(call: Call) -> dict:
    """GET: ``{"id", "localizedFirstName", "localizedLastName", "firstName", "lastName"}``."""
    who = caller(call)
    if not PROFILE_SCOPES & set(re.split(r"[\s,]+", who.token.scope or "")):
        raise denied("me", call.method)
    member = interactions(call).member(who.member) if who.member is not None else None
    if member is None:
        raise RestliError(404, f"Member {who.member} no longer exists", 404)
    return {"id": member["id"], "localizedFirstName": member["firstName"], "localizedLastName": member["lastName"],
            "firstName": localized(member["firstName"]), "lastName": localized(member["lastName"])}


RESOURCES = [(Resource(path="me", handlers={"GET": get}, simple=True, policy=Policy(audience=MEMBER)), V2)]

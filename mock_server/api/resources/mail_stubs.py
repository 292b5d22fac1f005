"""InMail stub profiles: ``mailStubs?q=contract&contract=…[&owners=urn:li:seat:…][&createdDateStart=…]
[&createdDateEnd=…]``.

``contract`` (one of the caller's) is required; ``owners`` (seats on that contract, repeatable) is optional;
``createdDateStart`` is inclusive and ``createdDateEnd`` exclusive (epoch ms); with neither, the whole history.
Search is capped at 20,000 results: a page reaching past them (``start + count > 20000``) → 400.
Elements (oldest first): mailStub.json (inferred; ``emailAddress`` a string).
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions/inmail-stub-profiles
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import BOTH
from mock_server.api.resources.prospect_params import contract_window, interactions
from mock_server.api.versions import FIRST_RSC
from mock_server.domain.quotas import PROSPECT_INTERACTIONS
from mock_server.restli.errors import RestliError
from mock_server.restli.paging import Page
from mock_server.restli.resource import Call, Finder, Resource

SEARCH_CAP = 20000


def by_contract(call: Call) -> list[dict]:
    """FINDER ``q=contract``: stub profiles of the contract created in the range."""
    contract, owners, start, end = contract_window(call, "createdDateStart", "createdDateEnd")
    page = call.page or Page()  # the dispatcher reads the page of every FINDER
    if page.start + page.count > SEARCH_CAP:
        raise RestliError(400, f"Paging past the search limit of {SEARCH_CAP} results (start={page.start},"
                               f" count={page.count}): narrow createdDateStart/createdDateEnd instead")
    return interactions(call).stubs(contract, owners, start, end)


RESOURCES = [(Resource(path="mailStubs", finders={"contract": Finder(by_contract)},
                       policy=Policy(quota=PROSPECT_INTERACTIONS, since=FIRST_RSC)), BOTH)]
# "mailStubs … updated" in 202510 (Talent release notes); the path rest/mailStubs [INFERRED]

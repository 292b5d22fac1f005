"""Rest.li protocol answers as LinkedIn gives them, on every route of the real server:

* a query string over 4 KB, a URL over 8 KB or a path segment over 4 KB → 414 in LinkedIn's envelope (the
  query-tunnelling page), while the same request tunnelled goes through;
* the error marker header follows the protocol (Rest.li ``HeaderUtil``): ``X-LinkedIn-Error-Response`` under
  1.0, ``X-RestLi-Error-Response`` under 2.0;
* ``paging.count`` is the page size asked for (Rest.li ``RestUtils.buildMetadata``), on every finder.
"""

from __future__ import annotations

import pytest

from mock_server.api.resources import all_resources
from mock_server.testing.tunnel import tunnelled
from tests.conftest import DEMO_CONTRACT, DEMO_ORG

OCE = f"integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS"
CANDIDATE = f"atsCandidateId=C1&dataProvider=ATS&integrationContext={DEMO_ORG}"
APPLICATION_V2 = f"atsJobApplicationId=A1&dataProvider=ATS&integrationContext={DEMO_ORG}"
APPLICATION_REST = f"atsJobApplicationId=A1&integrationContext={DEMO_ORG}"
VERSION = {"LinkedIn-Version": "202601"}


def route(base: str, path: str) -> str:
    """A URL of the resource at ``path`` (``parent/child`` with a parent key put in)."""
    parent, _, child = path.partition("/")
    if not child:
        return f"/{base}/{path}"
    key = {"atsIntegrations": OCE, "atsCandidates": CANDIDATE,
           "atsApplications": APPLICATION_REST if base == "rest" else APPLICATION_V2}[parent]
    return f"/{base}/{parent}/{key}/{child}"


ROUTES = sorted({(base, resource.path) for resource, bases in all_resources() for base in bases})
FINDERS = {(resource.path, name): finder
           for resource, _ in all_resources() for name, finder in resource.finders.items()}
ONLY_ON_REST = {resource.path for resource, bases in all_resources() if "v2" not in bases}
LATEST = {"LinkedIn-Version": "202604"}


def headers_for(base: str, who: dict, protocol: int = 1) -> dict:
    return {**who, **(VERSION if base == "rest" else {}),
            **({"X-RestLi-Protocol-Version": "2.0.0"} if protocol == 2 else {})}


def caller(path: str, partner: dict, customer: dict) -> dict:
    return partner if path.split("/")[0] in ("provisionedApplications", "developerApplicationsSecurity") else customer


@pytest.mark.parametrize("base, path", ROUTES)
def test_a_url_over_linkedins_limits_is_414_on_every_route(http, partner, customer, base, path):
    headers = headers_for(base, caller(path, partner, customer))
    url = route(base, path)
    query = "q=x&padding=" + "a" * (4096 - len("q=x&padding="))
    assert len(query) == 4096
    at_limit = http.get(f"{url}?{query}", headers=headers)
    assert at_limit.status_code != 414, at_limit.text  # 4 KB exactly passes the door (and fails further in)
    for long_url in (f"{url}?{query}b",                                   # query string over 4 KB
                     f"{url}/{'k' * 4097}",                                 # a path segment over 4 KB
                     f"{url}?{'&'.join(['q=x'] + ['p=' + 'v' * 4000] * 2)}"):  # 8 KB URL, tunnelled or not
        for method in ("GET", "PUT", "DELETE", "POST"):
            reply = http.request(method, long_url, headers=headers, content=b"{}")
            assert reply.status_code == 414, (method, long_url[:80], reply.text)
            assert set(reply.json()) == {"status", "serviceErrorCode", "message"}
            assert reply.json()["status"] == 414 and "Request-URI Too Long" in reply.json()["message"]
            assert reply.headers["X-LinkedIn-Error-Response"] == "true"
    # the same long query, tunnelled, reaches the resource (which answers whatever it answers, but not 414)
    extra, content = tunnelled("GET", query + "b")
    through = http.post(url, headers={**headers, **extra}, content=content)
    assert through.status_code != 414, through.text


@pytest.mark.parametrize("protocol", [1, 2])
@pytest.mark.parametrize("base, path", ROUTES)
def test_error_replies_carry_the_protocols_marker_on_every_route(http, base, path, protocol):
    reply = http.get(route(base, path), headers=headers_for(base, {}, protocol))  # no token, no keys: an error
    assert 400 <= reply.status_code < 500, reply.text
    marker, other = ("X-RestLi-Error-Response", "X-LinkedIn-Error-Response")[::1 if protocol == 2 else -1]
    assert reply.headers[marker] == "true" and other not in reply.headers
    assert reply.headers["X-RestLi-Protocol-Version"] == ("2.0.0" if protocol == 2 else "1.0.0")


# One request per finder that the demo tenant answers with fewer elements than the page size asked for.
FINDER_CASES = {
    ("provisionedApplications", "credentialsByUniqueForeignId"): "uniqueForeignId=acme",
    ("atsIntegrations", "request"): "requestId=1",
    ("atsEntityAcls", "criteria"): f"integrationContext={DEMO_ORG}",
    ("atsEntityAclAssignees", "criteria"): f"integrationContext={DEMO_ORG}&assignee=urn:li:person:demo-recruiter",
    ("seats", "seatsByAttributes"): f"contracts={DEMO_CONTRACT}",
    ("seatsV2", "attributes"): f"contracts={DEMO_CONTRACT}",
    ("conversationEvents", "criteria"): "viewer=urn:li:seat:3000",
    ("mailStubs", "contract"): f"contract={DEMO_CONTRACT}",
    ("prospectNotes", "criteria"): f"contract={DEMO_CONTRACT}",
    ("exportedCandidates", "request"): "requestId=1",
    ("integrations", "request"): "requestId=1",
    ("entityAcls", "criteria"): f"integrationContext={DEMO_ORG}",
    ("entityAclAssignees", "criteria"): f"integrationContext={DEMO_ORG}&assignee=urn:li:person:demo-recruiter",
    ("exportedApplicationEvaluations", "request"): "requestId=1",
    ("exportedApplicationEvaluation", "request"): "requestId=1",
    ("atsPurgedExportedCandidates", "criteria"): f"integrationContext={DEMO_ORG}",
}


def test_every_finder_has_a_paging_case():
    assert set(FINDER_CASES) == set(FINDERS)


@pytest.mark.parametrize("path, finder", sorted(FINDER_CASES))
def test_paging_count_is_the_requested_page_size_on_every_finder(http, partner, customer, path, finder):
    headers, spec = caller(path, partner, customer), FINDERS[(path, finder)]
    base = "rest" if path in ONLY_ON_REST else "v2"
    headers = {**headers, **(LATEST if base == "rest" else {})}
    url = f"/{base}/{path}?q={finder}&{FINDER_CASES[(path, finder)]}"
    # the largest page: the demo tenant has fewer elements, and count still says what was asked for
    full = http.get(f"{url}&start=0&count={spec.max_count}", headers=headers)
    assert full.status_code == 200, full.text
    assert len(full.json()["elements"]) < spec.max_count
    assert full.json()["paging"]["count"] == spec.max_count
    for asked, expected in (("&start=0&count=7", 7), ("&start=0", spec.default_count), ("&start=5000&count=3", 3)):
        body = http.get(url + asked, headers=headers).json()
        assert body["paging"]["count"] == expected, (asked, body["paging"])
    assert body["elements"] == []  # past the end: no elements, and count is still 3

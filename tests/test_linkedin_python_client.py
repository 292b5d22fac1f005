"""LinkedIn's official Python client (``linkedin-api-client``, protocol 2.0) against the real server: it creates a
child application and uses the returned id in its next call, creates a job and polls its task with the returned
id — passing the ids on exactly as it got them, with no decoding by the caller.

The client has LinkedIn's hosts built in; a transport adapter on its ``requests`` session sends them to the
emulator instead (what pointing both LinkedIn base URLs at the emulator means for this client).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests
from linkedin_api.clients.auth.client import AuthClient
from linkedin_api.clients.restli.client import RestliClient

from tests.recruiting import DESCRIPTION, enable

LINKEDIN_HOSTS = ("https://api.linkedin.com", "https://www.linkedin.com")


class ToEmulator(requests.adapters.HTTPAdapter):
    """Sends a request for a LinkedIn host to ``base_url`` with the same path and query."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        request.url = self.base_url + request.url[len(f"{parts.scheme}://{parts.netloc}"):]
        return super().send(request, **kwargs)


def pointed(client, base_url: str):
    """``client`` with its session's LinkedIn hosts pointed at the emulator."""
    for host in LINKEDIN_HOSTS:
        client.session.mount(host, ToEmulator(base_url))
    return client


@pytest.fixture
def restli(server):
    return pointed(RestliClient(), server.url)


def token(server, client_id: str, client_secret: str) -> str:
    reply = pointed(AuthClient(client_id, client_secret), server.url).get_two_legged_access_token()
    assert reply.status_code == 200, reply.response.text
    return reply.access_token


def test_child_application_then_job_with_the_ids_as_returned(server, http, restli):
    partner = token(server, "demo-partner", "demo-partner-secret")
    created = restli.create(resource_path="/provisionedApplications", access_token=partner,
                            entity={"uniqueForeignId": "py-client", "name": "Demo ATS - Py", "description": "d"})
    assert created.status_code == 201, created.response.text
    assert created.entity_id == created.entity["key"]  # X-RestLi-Id: the raw URN, as the body's key
    # the id as returned goes into the next call; the client %-encodes it into the path itself
    patched = restli.partial_update(resource_path="/provisionedApplications/{id}", path_keys={"id": created.entity_id},
                                    patch_set_object={"validJsSdkDomains": ["https://ats.example"]},
                                    access_token=partner)
    assert patched.status_code == 204, patched.response.text
    found = restli.finder(resource_path="/provisionedApplications", finder_name="credentialsByUniqueForeignId",
                          query_params={"uniqueForeignId": "py-client"}, access_token=partner)
    assert [element["validJsSdkDomains"] for element in found.elements] == [["https://ats.example"]]

    # the customer signs in with the credentials the create returned (client_id / client_secret)
    approved = http.post("/_mock/customers/py-client/preapprove", json={}).json()["integrations"]
    org = next(i["integrationContext"] for i in approved if i["integrationType"] == "ONE_CLICK_EXPORT")
    assert enable(http, org, ["ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN"]).status_code == 200
    credentials = created.entity["credentials"]
    customer = token(server, credentials["client_id"], credentials["client_secret"])

    posted = restli.batch_create(resource_path="/simpleJobPostings", access_token=customer, entities=[{
        "integrationContext": org, "externalJobPostingId": "PY-1", "title": "Engineer", "description": DESCRIPTION,
        "location": "San Francisco, CA", "availability": "PRIVATE_TO_ATS_INTEGRATION", "state": "LISTED",
        "companyApplyUrl": "https://ats.example/jobs/PY-1", "listedAt": int(time.time()) * 1000}])
    assert posted.status_code == 200, posted.response.text
    [element] = posted.elements
    assert element.status == 202 and element.id.startswith("urn:li:simpleJobPostingTask:")
    for _ in range(3):  # a task is IN_PROGRESS at its first poll and done by its second
        polled = restli.batch_get(resource_path="/simpleJobPostingTasks", ids=[element.id], access_token=customer)
        assert polled.status_code == 200, polled.response.text
        task = polled.results[element.id]  # the map is keyed by the id exactly as BATCH_CREATE returned it
        if task["status"] != "IN_PROGRESS":
            break
    assert task["status"] == "SUCCEEDED" and task["jobPosting"].startswith("urn:li:jobPosting:")
    assert polled.statuses == {} and polled.errors == {}

"""A corpus of malformed requests sent to the running server: every reply is LinkedIn's error envelope with a
message naming the problem, none is a 5xx, and nothing is written."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_ORG

OCE = f"integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS"
IDS = (f"ids[0].integrationContext={DEMO_ORG}&ids[0].integrationType=ONE_CLICK_EXPORT"
       "&ids[0].tenantType=RECRUITER&ids[0].dataProvider=ATS")
PATCH = {"x-restli-method": "BATCH_PARTIAL_UPDATE", "Content-Type": "application/json"}
CONFIG = f"/v2/atsIntegrations/{OCE}/configurations"

# (who, method, path, extra headers, raw body, expected status, words the message must contain)
CORPUS = [
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b"{not json", 400, "Malformed JSON"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b"[1, 2]", 400, "JSON object"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b'{"entities": {}, "x": NaN}', 400, "NaN"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b"[" * 100000, 400, "Malformed JSON"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b"", 400, "empty"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH, b'{"entities": []}', 400, "entities"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH,
     b'{"entities": {"integrationContext=urn:li:organization:1000&integrationType=IN_ATS_INDICATOR&tenantType=RECRUITER&dataProvider=ATS": {"patch": {"$set": {"integrationName": "x"}}}}}',
     400, "not among the ids"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH,
     b'{"entities": {"integrationContext=urn:li:organization:1000&integrationType=ONE_CLICK_EXPORT": {"patch": {}}}}',
     400, "missing"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", {"Content-Type": "application/json"},
     b'{"entities": {}}', 400, "BATCH_PARTIAL_UPDATE"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", {"x-restli-method": "DANCE"}, b"{}", 400, "X-RestLi-Method"),
    ("customer", "GET", f"/v2/atsIntegrations?{IDS}", {"x-restli-method": "batch_update"}, b"", 400, "does not match"),
    ("customer", "GET", "/v2/atsIntegrations?ids[0].integrationContext=urn:li:organization:1000", {}, b"", 400, "missing"),
    ("customer", "GET", "/v2/atsIntegrations?ids[0]=x", {}, b"", 400, "ids[N].part"),
    ("customer", "GET", "/v2/atsIntegrations?ids=List((integrationContext:x", {}, b"", 400, "Malformed"),
    ("customer", "GET", "/v2/atsIntegrations?" + "&".join(
        f"ids[{i}].integrationContext=urn:li:organization:{i}&ids[{i}].integrationType=ONE_CLICK_EXPORT"
        f"&ids[{i}].tenantType=RECRUITER&ids[{i}].dataProvider=ATS" for i in range(101)), {}, b"", 400, "at most 100"),
    ("customer", "GET", "/v2/atsIntegrations?q=nosuchfinder", {}, b"", 400, "nosuchfinder"),
    ("customer", "GET", "/v2/atsIntegrations?q=request", {}, b"", 400, "requestId"),
    ("customer", "GET", "/v2/atsIntegrations?q=request&requestId=1&count=1000", {}, b"", 400, "count"),
    ("customer", "GET", "/v2/atsIntegrations?q=request&requestId=1&start=-1", {}, b"", 400, "start"),
    ("customer", "GET", "/v2/atsIntegrations?q=request&requestId=1&fields=a:(b", {}, b"", 400, "fields"),
    ("customer", "DELETE", f"/v2/atsIntegrations?{IDS}", {}, b"", 405, "BATCH_DELETE"),
    ("customer", "GET", "/v2/noSuchResource?q=x", {}, b"", 404, "noSuchResource"),
    ("customer", "GET", "/nowhere/at/all", {}, b"", 404, "/nowhere/at/all"),
    ("customer", "PATCH", f"/v2/atsIntegrations?{IDS}", {}, b"", 405, "PATCH"),
    ("customer", "GET", "/_mock/reset", {}, b"", 405, "GET"),
    ("customer", "PUT", f"{CONFIG}?ids=CALLBACK_URL", {"x-restli-method": "batch_update"},
     b'{"entities": {"CALLBACK_URL": {"configurationValue": "https://x.example"}}}', 200, ""),
    ("customer", "PUT", f"{CONFIG}?ids=CALLBACK_URL", {"x-restli-method": "batch_update"},
     b"x" * (1024 * 1024 + 1), 413, "limit"),
    ("customer", "PUT", f"/v2/atsIntegrations/integrationContext=urn:li:organization:1000/configurations?ids=CALLBACK_URL",
     {"x-restli-method": "batch_update"}, b'{"entities": {}}', 400, "missing"),
    ("customer", "PUT", f"/v2/atsIntegrations/{OCE.replace('1000', '9999')}/configurations?ids=CALLBACK_URL",
     {"x-restli-method": "batch_update"}, b'{"entities": {"CALLBACK_URL": {"configurationValue": {"string": "https://a.example"}}}}',
     403, "Not enough permissions"),
    ("partner", "POST", "/v2/provisionedApplications", {"Content-Type": "application/json"},
     b'{"uniqueForeignId": 5, "name": "A", "description": "d"}', 400, "/uniqueForeignId"),
    ("partner", "POST", "/v2/provisionedApplications", {"Content-Type": "application/json"},
     b'{"uniqueForeignId": "u", "name": "A", "description": "d", "validJsSdkDomains": ["http://x.example/"]}', 400,
     "/validJsSdkDomains/0"),
    ("partner", "POST", "/v2/provisionedApplications", {"Content-Type": "application/json"},
     b'{"uniqueForeignId": "u", "name": "A", "description": "d", "extra": 1}', 400, "extra"),
    ("partner", "POST", "/v2/provisionedApplications/urn:li:developerApplication:11", {},
     b'{"patch": {"$set": {"name": 5}}}', 400, "/name"),
    ("partner", "POST", "/v2/provisionedApplications/urn:li:developerApplication:11", {},
     b'{"patch": {"$unset": ["x"]}}', 400, "$unset"),
    ("partner", "POST", "/v2/provisionedApplications/urn:li:developerApplication:11", {},
     b'{"patch": {"$delete": "validJsSdkDomains"}}', 400, "$delete"),
    ("partner", "POST", "/v2/provisionedApplications/urn:li:developerApplication:11", {},
     b'{"not_a_patch": {}}', 400, "patch"),
    ("partner", "GET", "/v2/provisionedApplications?q=credentialsByUniqueForeignId", {}, b"", 400, "uniqueForeignId"),
    ("nobody", "GET", "/v2/atsIntegrations?q=request&requestId=1", {}, b"", 401, "oauth2_access_token"),
    ("customer", "POST", "/_mock/tokens", {}, b"[]", 400, "JSON object"),
    ("customer", "POST", "/_mock/customers/nope/preapprove", {}, b"{}", 404, "nope"),
    ("customer", "POST", "/_mock/customers/acme/preapprove", {}, b'{"integrationTypes": ["FOO"]}', 400, "FOO"),
]


@pytest.mark.parametrize("case", CORPUS, ids=[f"{i:02d}-{c[1]}-{c[6] or 'ok'}" for i, c in enumerate(CORPUS)])
def test_malformed_request_gets_envelope(http, partner, customer, case):
    who, method, path, headers, body, status, words = case
    auth = {"customer": customer, "partner": partner, "nobody": {}}[who]
    before = http.get("/_mock/health").json()["tables"]
    reply = http.request(method, path, headers={**auth, **headers}, content=body)
    assert reply.status_code < 500
    if status == 200:  # a batch whose entity is wrong: per-entity error, HTTP 200
        assert reply.status_code == 200
        [error] = reply.json()["errors"].values()
        assert error["status"] == 400 and "/configurationValue" in error["message"]
    else:
        assert reply.status_code == status, reply.text
        envelope = reply.json()
        assert set(envelope) == {"status", "serviceErrorCode", "message"}
        assert envelope["status"] == status
        assert words in envelope["message"], envelope["message"]
        if not path.startswith("/_mock"):
            assert reply.headers["X-RestLi-Error-Response"] == "true"
    after = http.get("/_mock/health").json()["tables"]
    assert {k: v for k, v in after.items() if k != "tokens"} == {k: v for k, v in before.items() if k != "tokens"}

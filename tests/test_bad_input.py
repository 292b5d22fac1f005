"""A corpus of malformed requests sent to the running server: every reply is LinkedIn's error envelope with a
message naming the problem, none is a 5xx, and nothing is written."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import DEMO_ORG

OCE = f"integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS"
IDS = (f"ids[0].integrationContext={DEMO_ORG}&ids[0].integrationType=ONE_CLICK_EXPORT"
       "&ids[0].tenantType=RECRUITER&ids[0].dataProvider=ATS")
PATCH = {"x-restli-method": "BATCH_PARTIAL_UPDATE", "Content-Type": "application/json"}
TUNNEL_GET = {"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}
IDS_101 = "&".join(f"ids[{i}].integrationContext=urn:li:organization:{i}&ids[{i}].integrationType=ONE_CLICK_EXPORT"
                   f"&ids[{i}].tenantType=RECRUITER&ids[{i}].dataProvider=ATS" for i in range(101))
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
     b'{"entities": {"integrationContext=urn:li:organization:1000&integrationType=IN_ATS_INDICATOR'
     b'&tenantType=RECRUITER&dataProvider=ATS": {"patch": {"$set": {"integrationName": "x"}}}}}',
     400, "not among the ids"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", PATCH,
     b'{"entities": {"integrationContext=urn:li:organization:1000&integrationType=ONE_CLICK_EXPORT": {"patch": {}}}}',
     400, "missing"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", {"Content-Type": "application/json"},
     b'{"entities": {}}', 400, "BATCH_PARTIAL_UPDATE"),
    ("customer", "POST", f"/v2/atsIntegrations?{IDS}", {"x-restli-method": "DANCE"}, b"{}", 400, "X-RestLi-Method"),
    ("customer", "GET", f"/v2/atsIntegrations?{IDS}", {"x-restli-method": "batch_update"}, b"", 400, "does not match"),
    ("customer", "GET", "/v2/atsIntegrations?ids[0].integrationContext=urn:li:organization:1000", {}, b"", 400,
     "missing"),
    ("customer", "GET", "/v2/atsIntegrations?ids[0]=x", {}, b"", 400, "ids[N].part"),
    ("customer", "GET", "/v2/atsIntegrations?ids=List((integrationContext:x", {}, b"", 400, "Malformed"),
    ("customer", "GET", "/v2/atsIntegrations?" + IDS_101, {}, b"", 414, f"query string is {len(IDS_101)} bytes"),
    ("customer", "POST", "/v2/atsIntegrations", TUNNEL_GET, IDS_101.encode(), 400, "at most 100"),
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
    ("customer", "PUT",
     "/v2/atsIntegrations/integrationContext=urn:li:organization:1000/configurations?ids=CALLBACK_URL",
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
    ("customer", "GET", "/_mock/recruiter/indicator?seat=3000&seat=3001&member=urn:li:person:demo-candidate", {}, b"",
     400, "'seat' is given more than once"),
    ("customer", "GET", "/_mock/requests?limit=1&limit=2", {}, b"", 400, "'limit' is given more than once"),
    ("customer", "GET", "/_mock/notifications?type=x&type=y", {}, b"", 400, "'type' is given more than once"),
    ("customer", "GET", "/_widgets/configuration?bundles=A&bundles=B", {},
     b"", 400, "'bundles' is given more than once"),
    ("customer", "POST", "/_mock/customers/acme/preapprove", {}, b'{"integrationTypes": ["FOO"]}', 400, "FOO"),
    # nesting, integers and text that used to crash the server (a 500 before)
    ("customer", "GET", "/v2/atsCandidates?ids=" + "List(" * 40 + ")" * 40, {}, b"", 400, "nested too deeply"),
    ("customer", "GET", "/v2/atsCandidates?ids=" + "(a:" * 40, {}, b"", 400, "nested too deeply"),
    ("customer", "GET", f"/v2/atsIntegrations?{IDS}&fields=" + "a:(" * 40 + "b" + ")" * 40, {}, b"", 400,
     "Malformed fields parameter: nested too deeply"),
    ("customer", "GET", "/v2/atsIntegrations/" + "(a:" * 40 + "x" + ")" * 40 + "/configurations?ids=CALLBACK_URL",
     {}, b"", 400, "nested too deeply"),
    # what production refuses at the door: a query over 4 KB, a path segment over 4 KB (414)
    ("customer", "GET", "/v2/atsCandidates?ids=" + "List(" * 2000 + ")" * 2000, {}, b"", 414, "query string"),
    ("customer", "GET", "/v2/atsIntegrations/" + "(a:" * 2000 + "x" + ")" * 2000 + "/configurations?ids=CALLBACK_URL",
     {}, b"", 414, "path segment"),
    ("customer", "POST", "/v2/atsCandidates", TUNNEL_GET, ("ids=" + "(a:" * 2000).encode(), 400, "nested too deeply"),
    ("customer", "POST", "/v2/atsIntegrations", {"X-HTTP-Method-Override": "GET",
                                                 "Content-Type": "application/x-www-form-urlencoded"},
     ("ids=" + "List(" * 2000 + ")" * 2000).encode(), 400, "nested too deeply"),
    ("customer", "GET", "/v2/conversationEvents?q=criteria&viewer=urn:li:seat:3000&timeRange=" + "(a:" * 40, {},
     b"", 400, "Malformed query parameter 'timeRange': nested too deeply"),
    ("customer", "GET", "/v2/conversationEvents?q=criteria&viewer=urn:li:seat:3000&timeRange=(start:(a:b))", {},
     b"", 400, "Malformed query parameter 'timeRange': field 'start'"),
    ("customer", "GET", "/v2/conversationEvents?q=criteria&viewer=urn:li:seat:" + "9" * 50, {}, b"", 400,
     "'viewer'"),
    ("customer", "GET", "/v2/conversationEvents?q=criteria&viewer=urn:li:seat:3000%0A", {}, b"", 400, "'viewer'"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000%0A", {}, b"", 400, "'contract'"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000&owners=urn:li:seat:" + "9" * 50,
     {}, b"", 400, "'owners'"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000&count=" + "9" * 50, {}, b"",
     400, "'count' must be an integer"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000&start=%C2%B2", {}, b"", 400,
     "'start' must be an integer"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000&cutoffDate=5%0A", {}, b"", 400,
     "'cutoffDate'"),
    ("customer", "GET", "/v2/prospectNotes?q=criteria&contract=urn:li:contract:2000&cutoffDate=" + "9" * 17, {}, b"",
     400, "'cutoffDate' (epoch milliseconds) must be at most"),
    ("customer", "GET", f"/v2/atsIntegrations?ids[{'9' * 50}].integrationContext=x", {}, b"", 400, "ids[N].part"),
    ("customer", "GET", "/v2/simpleJobPostingTasks?ids=urn%3Ali%3AsimpleJobPostingTask%3Aabc%0A", {}, b"", 400,
     "Batch key parameter value is invalid"),
    ("customer", "PUT", f"{CONFIG}?ids=CALLBACK_URL", {"x-restli-method": "batch_update"},
     b'{"entities": {"CALLBACK_URL": {"configurationValue": {"string": "https://a.example/\\ud800"}}}}', 400,
     "/entities/CALLBACK_URL/configurationValue/string holds a lone surrogate"),
    ("customer", "PUT", f"{CONFIG}?ids=CALLBACK_URL", {"x-restli-method": "batch_update"},
     b'{"entities": {"CALLBACK_URL": {"configurationValue": {"string": "https://a.example/"}},'
     b' "CALLBACK_URL": {"configurationValue": {"string": "https://b.example/"}}}}', 400,
     "/entities/CALLBACK_URL is given more than once"),
    ("partner", "POST", "/v2/provisionedApplications/urn:li:developerApplication:11", {},
     ('{"patch": {"$set": {"name": ' + '{"a":' * 500 + "1" + "}" * 500 + "}}}").encode(), 400, "nested too deeply"),
    ("customer", "POST", "/_mock/faults", {}, b'{"match": {"path": "/\\ud800"}, "action": {"status": 500}}', 400,
     "/match/path holds a lone surrogate"),
    ("customer", "POST", "/v2/simpleJobPostings", {"X-RestLi-Method": "BATCH_CREATE"},
     b'{"elements": [{"integrationContext": "urn:li:organization:1000", "externalJobPostingId": "J",'
     b' "compensation": {"x": 1e400}}]}', 400, "/elements/0/compensation/x is a number too large"),
    ("customer", "POST", "/_mock/faults", {},
     b'{"match": {"path": "/x"}, "action": {"status": 500, "body": {"a": 1e400}}}', 400,
     "/action/body/a is a number too large"),
    ("customer", "GET", "/_mock/notifications?attempts=%C2%B2", {}, b"", 400, "attempts"),
    ("customer", "GET", "/_mock/notifications?attempts=" + "9" * 5000, {}, b"", 400, "attempts"),
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
        assert set(envelope) - {"code"} == {"status", "serviceErrorCode", "message"}  # code: LinkedIn's name of it
        if status == 403:
            assert envelope["code"] == "ACCESS_DENIED"
        assert envelope["status"] == status
        assert words in envelope["message"], envelope["message"]
        if path.startswith(("/v2/", "/rest/")):  # a Rest.li call under protocol 1.0 (Rest.li's HeaderUtil)
            assert reply.headers["X-LinkedIn-Error-Response"] == "true"
            assert "X-RestLi-Error-Response" not in reply.headers
        elif not path.startswith("/_mock"):
            assert reply.headers["X-RestLi-Error-Response"] == "true"
    after = http.get("/_mock/health").json()["tables"]
    assert {k: v for k, v in after.items() if k != "tokens"} == {k: v for k, v in before.items() if k != "tokens"}


# A field present but null or of another type is not "required but not found": every admin body field read
# through api.http.field() (each endpoint's required ones), and the secret of deleteDeveloperApplicationSecret.
SEAT_ID, JANE = 3000, "urn:li:person:jane-doe"
REQUIRED_FIELDS = [
    ("/_mock/recruiter/exports", {"seat": SEAT_ID, "member": JANE, "externalJobPostingId": "J"}, "seat"),
    ("/_mock/recruiter/exports", {"seat": SEAT_ID, "member": JANE, "externalJobPostingId": "J"}, "member"),
    ("/_mock/recruiter/exports", {"seat": SEAT_ID, "member": JANE, "externalJobPostingId": "J"},
     "externalJobPostingId"),
    ("/_mock/recruiter/inmails", {"seat": SEAT_ID, "member": JANE, "body": "b"}, "seat"),
    ("/_mock/recruiter/inmails", {"seat": SEAT_ID, "member": JANE, "body": "b"}, "body"),
    ("/_mock/recruiter/notes", {"seat": SEAT_ID, "member": JANE, "note": "n"}, "member"),
    ("/_mock/recruiter/notes", {"seat": SEAT_ID, "member": JANE, "note": "n"}, "note"),
    ("/_mock/recruiter/replies", {"conversation": "c", "body": "b"}, "conversation"),
    ("/_mock/recruiter/integrations", {"integrationContext": DEMO_ORG, "integrationType": "CSA_API",
                                       "enabled": True}, "enabled"),
    ("/_mock/recruiter/integrations", {"integrationContext": DEMO_ORG, "integrationType": "CSA_API",
                                       "enabled": True}, "integrationContext"),
    ("/_mock/tokens", {"client_id": "demo-customer"}, "client_id"),
]


@pytest.mark.parametrize("path, body, name", REQUIRED_FIELDS)
def test_a_required_field_missing_null_or_mistyped_is_told_apart(http, path, body, name):
    said = {}
    for label, value in (("missing", ...), ("null", None), ("mistyped", ["x"])):
        sent = {key: val for key, val in body.items() if key != name}
        if value is not ...:
            sent[name] = value
        reply = http.post(path, json=sent)
        assert reply.status_code == 400, (label, reply.text)
        said[label] = reply.json()["message"]
        assert said[label].startswith(f"ERROR :: /{name} :: "), said[label]
    assert "field is required but not found" in said["missing"]
    assert said["null"] == f"ERROR :: /{name} :: must not be null"
    assert "required" not in said["mistyped"] and '["x"]' in said["mistyped"]


SECRET_ACTION = "/v2/developerApplicationsSecurity?action=deleteDeveloperApplicationSecret"


@pytest.mark.parametrize("body, says", [
    ({}, "field is required but not found and has no default value"),
    ({"client_secret": None}, "must not be null"),
    ({"client_secret": ["x"]}, '["x"] cannot be coerced to String'),
    ({"client_secret": 5}, "5 cannot be coerced to String"),
    ({"client_secret": ""}, "must not be empty"),
])
def test_the_secret_to_delete_missing_null_mistyped_or_empty(http, partner, body, says):
    reply = http.post(SECRET_ACTION, json=body, headers={**partner, "X-RestLi-Method": "action"})
    assert reply.status_code == 400 and reply.json()["message"] == f"ERROR :: /client_secret :: {says}", reply.text


@pytest.mark.parametrize("path, body, says", [
    ("/_mock/requests?limit=-5", None, "ERROR :: /limit :: must be at least 1, got -5"),
    ("/_mock/requests?limit=0", None, "ERROR :: /limit :: must be at least 1, got 0"),
    ("/_mock/faults", {"match": {}, "action": {"status": 503}, "seed": 1e19},
     f"ERROR :: /seed :: must be an integer from {-(2**63)} to {2**63 - 1}, not {10**19}"),
    ("/_mock/faults", {"match": {}, "action": {"delay": 1e12}},
     "ERROR :: /action/delay :: must be a number from 0 to "),
    ("/_mock/faults", {"match": {}, "action": {"status": 503}, "times": 0.5},
     "ERROR :: /times :: must be an integer from 1 to 1000000000, not 0.5"),
    ("/_mock/faults", {"match": {}, "action": {"quota": {"after": -1}}},
     "ERROR :: /action/quota/after :: must be an integer from 0 to 1000000000, not -1"),
])
def test_range_messages_name_the_range_in_whole_numbers(http, path, body, says):
    reply = http.get(path) if body is None else http.post(path, json=body)
    assert reply.status_code == 400, reply.text
    message = reply.json()["message"]
    assert message.startswith(says), message
    assert "e+" not in message and ".0," not in message and not message.endswith(".0"), message
    if "delay" in path + str(body):
        assert message.endswith("not 1000000000000"), message


@pytest.mark.parametrize("scope, says", [
    ("r_nope", '"r_nope" is not a permission LinkedIn knows'),
    ("r_liteprofile r_nope", '"r_nope" is not a permission LinkedIn knows'),
    ("r_liteprofile,R_EMAILADDRESS", '"R_EMAILADDRESS" is not a permission LinkedIn knows'),
    (" ", "must not be empty"),
])
@pytest.mark.parametrize("member", [None, "urn:li:person:jane-doe"])
def test_a_minted_token_takes_only_the_scopes_the_consent_page_grants(http, scope, says, member):
    body = {"client_id": "demo-customer", "scope": scope, **({"member": member} if member else {})}
    reply = http.post("/_mock/tokens", json=body)
    assert reply.status_code == 400 and reply.json()["message"].startswith(f"ERROR :: /scope :: {says}"), reply.text
    granted = http.post("/_mock/tokens", json={**body, "scope": "r_liteprofile r_emailaddress"})
    assert granted.status_code == 200, granted.text


@pytest.mark.parametrize("value", ["zoë", "naïve", "日本", "emoji 🙂", "café\t"])
def test_a_fault_header_value_must_be_ascii(http, value):
    reply = http.post("/_mock/faults", json={"action": {"status": 503, "headers": {"X-Who": value}}})
    assert reply.status_code == 400, reply.text
    message = reply.json()["message"]
    assert message.startswith("ERROR :: /action/headers/X-Who :: must be ASCII text"), message
    assert http.get("/_mock/faults").json()["faults"] == []
    assert http.post("/_mock/faults", json={"action": {"status": 503, "headers": {"X-Who": "zoe"}}}).status_code == 201


# Every admin body or parameter naming a member: a value that is not urn:li:person:<id> is a 400 naming /member
# (malformed), an unknown one a 404 — /_mock/tokens answered 404 "no fixture member" for both.
MEMBER_CALLS = [
    ("POST", "/_mock/tokens", {"client_id": "demo-customer"}),
    ("POST", "/_mock/recruiter/exports", {"seat": SEAT_ID, "externalJobPostingId": "JOB-1"}),
    ("POST", "/_mock/recruiter/inmails", {"seat": SEAT_ID, "body": "b"}),
    ("POST", "/_mock/recruiter/notes", {"seat": SEAT_ID, "note": "n"}),
    ("GET", "/_mock/recruiter/indicator", {"seat": SEAT_ID}),
    ("POST", "/_mock/recruiter/members/{member}/close", None),
]


@pytest.mark.parametrize("method, path, body", MEMBER_CALLS)
@pytest.mark.parametrize("member, status", [("garbage", 400), ("", 400), ("urn:li:person:", 400),
                                            ("urn:li:organization:1000", 400), ("urn:li:person:ghost", 404)])
def test_a_member_is_malformed_or_unknown_alike_everywhere(http, method, path, body, member, status):
    if body is None:
        reply = http.request(method, path.format(member=quote(member, safe=":") or "%20"))
    elif method == "GET":
        reply = http.get(path, params={**body, "member": member})
    else:
        reply = http.post(path, json={**body, "member": member})
    assert reply.status_code == status, reply.text
    assert reply.json()["message"].startswith("ERROR :: /member :: "), reply.text

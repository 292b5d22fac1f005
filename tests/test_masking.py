"""Secrets never shown: every secret-bearing exchange (token requests and replies of every grant, introspection,
provisioning replies, the admin's token mint, bearer and Basic headers, the consent redirect's code, a secret
sent in a query string, widget frame tokens, a secret rotated and deleted, the snapshot document) against every
path that shows the journal (``GET /_mock/requests``, its wait, the journal entries the dashboard reads and the
pages it renders from them, the access log as text and as JSON lines). Each exchange runs on the real server and
is found in the journal first, so no case passes by not being there."""

from __future__ import annotations

import base64
import html
import json
import logging
import re

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.config import Settings
from mock_server.harness.masking import mask_text
from mock_server.logs import TEXT_FORMAT, JsonFormatter
from mock_server.testing.client import RscClient
from mock_server.testing.server import RunningServer
from tests.access_log import access_lines
from tests.conftest import DEMO_ORG
from tests.test_versioned_apis import media_url

CUSTOMER = {"client_id": "demo-customer", "client_secret": "demo-customer-secret"}
PARTNER = {"client_id": "demo-partner", "client_secret": "demo-partner-secret"}


@pytest.fixture(scope="module")
def server():
    with RunningServer(Settings(journal_admin=True)) as running:
        yield running


@pytest.fixture
def world(server):
    """``(http client, admin client, access log records)`` on a reset server."""
    with access_lines() as lines, httpx.Client(base_url=server.url, timeout=10) as http, \
            RscClient(server.url) as admin:
        admin.reset()
        yield http, admin, lines.records


def token(http, form: dict) -> dict:
    reply = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", **form})
    assert reply.status_code == 200, reply.text
    return reply.json()


def consent_code(http, server) -> tuple[httpx.Response, str]:
    """The consent form's POST (a 302 whose Location carries the code) and the code."""
    callback = server.url + "/_mock/oauth/callback"
    partner = {"Authorization": "Bearer " + token(http, PARTNER)["access_token"]}
    patch = {"patch": {"$set": {"oauth2AuthorizedCallbackUrls": [callback]}}}
    assert http.post("/v2/provisionedApplications/urn:li:developerApplication:11", json=patch,
                     headers={**partner, "X-RestLi-Method": "PARTIAL_UPDATE"}).status_code == 204
    form = {"response_type": "code", "client_id": "demo-customer", "redirect_uri": callback, "scope": "r_liteprofile",
            "state": "s", "member": "urn:li:person:jane-doe", "decision": "allow"}
    reply = http.post("/oauth/v2/authorization", data=form)
    assert reply.status_code == 302, reply.text
    return reply, re.search(r"code=([^&]+)", reply.headers["location"]).group(1)


# Each exchange: (name, function (http, server) -> (the replies to find in the journal, the secrets they carried)).
def client_credentials(http, server):
    reply = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", **CUSTOMER})
    return [reply], ["demo-customer-secret", reply.json()["access_token"]]


def basic_authentication(http, server):
    basic = base64.b64encode(b"demo-customer:demo-customer-secret").decode()
    reply = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials"},
                      headers={"Authorization": "Basic " + basic})
    return [reply], [basic]


def secret_in_the_query(http, server):
    """LinkedIn takes the credentials from the URL too (with an advisory, README decisions)."""
    reply = http.post("/oauth/v2/accessToken", params={"grant_type": "client_credentials", **CUSTOMER})
    assert reply.status_code == 200 and reply.headers["X-RSC-Mock-Advisory"].startswith("CLIENT_SECRET_IN_URL")
    return [reply], ["demo-customer-secret", reply.json()["access_token"]]


def authorization_code_and_refresh(http, server):
    consented, code = consent_code(http, server)
    exchanged = http.post("/oauth/v2/accessToken", data={"grant_type": "authorization_code", "code": code,
                                                         "redirect_uri": server.url + "/_mock/oauth/callback",
                                                         **CUSTOMER})
    assert exchanged.status_code == 200, exchanged.text
    refreshed = http.post("/oauth/v2/accessToken", data={"grant_type": "refresh_token", **CUSTOMER,
                                                         "refresh_token": exchanged.json()["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    return [consented, exchanged, refreshed], ["demo-customer-secret", code, exchanged.json()["access_token"],
                                               exchanged.json()["refresh_token"], refreshed.json()["access_token"]]


def introspection(http, server):
    value = token(http, CUSTOMER)["access_token"]
    reply = http.post("/oauth/v2/introspectToken", data={**CUSTOMER, "token": value})
    assert reply.status_code == 200
    return [reply], ["demo-customer-secret", value]


def bearer_call(http, server):
    value = token(http, CUSTOMER)["access_token"]
    reply = http.get("/v2/atsIntegrations?q=request&requestId=1", headers={"Authorization": "Bearer " + value})
    return [reply], [value]


def provisioning(http, server):
    partner = {"Authorization": "Bearer " + token(http, PARTNER)["access_token"]}
    created = http.post("/v2/provisionedApplications", headers=partner,
                        json={"uniqueForeignId": "masked-co", "name": "Masked Co", "description": "x"})
    assert created.status_code == 201, created.text
    found = http.get("/v2/provisionedApplications", headers=partner,
                     params={"q": "credentialsByUniqueForeignId", "uniqueForeignId": "masked-co"})
    credentials = created.json()["credentials"]
    secret = credentials.get("clientSecret") or credentials.get("client_secret")
    return [created, found], [secret]


def admin_mint(http, server):
    reply = http.post("/_mock/tokens", json={"client_id": "demo-customer"})
    return [reply], [reply.json()["access_token"]]


def widget_frames(http, server):
    issued = http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                       headers={"Origin": "http://localhost:8080"})
    value = issued.json()["token"]
    page = http.get("/_widgets/frame/HcmWidget", params={"token": value, "origin": "http://localhost:8080"})
    data = http.get("/_widgets/profile/members", params={"q": "doe", "integrationContext": DEMO_ORG},
                    headers={"X-Widget-Token": value})
    assert data.status_code == 200
    return [issued, page, data], [value]


def secret_rotation(http, server):
    partner = {"Authorization": "Bearer " + token(http, PARTNER)["access_token"],
               "X-RestLi-Method": "action", "X-RestLi-Protocol-Version": "2.0.0"}
    child = {"childDeveloperApplication": "urn:li:developerApplication:11"}
    rolled = http.post("/v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret", headers=partner,
                       json=child)
    assert rolled.status_code == 200, rolled.text
    deleted = http.post("/v2/developerApplicationsSecurity?action=deleteDeveloperApplicationSecret",
                        headers=partner, json={**child, "client_secret": "demo-customer-secret"})
    assert deleted.status_code == 200, deleted.text
    return [rolled, deleted], [rolled.json()["value"]["client_secret"], "demo-customer-secret"]


def snapshot_document(http, server):
    value = token(http, CUSTOMER)["access_token"]
    reply = http.get("/_mock/snapshot")
    assert value in reply.text and "demo-customer-secret" in reply.text  # the state itself stays restorable
    return [reply], [value, "demo-customer-secret"]


def upload_url(http, server):
    customer = {"Authorization": "Bearer " + token(http, CUSTOMER)["access_token"]}
    created = media_url(http, customer)
    signature = created["uploadUrl"].partition("?signature=")[2]
    upload = http.put(created["uploadUrl"], content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    assert upload.status_code == 201, upload.text
    return [upload], [signature]


def escaped_names(http, server):
    """A secret's name spelled with escapes its parser decodes (``client%5Fsecret`` in a form and a query,
    ``"client\\u005fsecret"`` in JSON) is the same secret: the calls succeed, so the journal must mask them."""
    form = "grant_type=client_credentials&client%5Fid=demo-customer&client%5Fsecret=demo-customer-secret"
    in_form = http.post("/oauth/v2/accessToken", content=form,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    in_query = http.post("/oauth/v2/accessToken?" + form.replace("%5Fsecret", "%5fsecret"))
    assert in_form.status_code == in_query.status_code == 200, (in_form.text, in_query.text)
    partner = {"Authorization": "Bearer " + token(http, PARTNER)["access_token"],
               "X-RestLi-Method": "action", "X-RestLi-Protocol-Version": "2.0.0", "Content-Type": "application/json"}
    child = '"childDeveloperApplication": "urn:li:developerApplication:11"'
    rolled = http.post("/v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret", headers=partner,
                       content="{" + child + "}")
    deleted = http.post("/v2/developerApplicationsSecurity?action=deleteDeveloperApplicationSecret", headers=partner,
                        content='{"client\\u005Fsecret": "demo-customer-secret", ' + child + "}")
    assert deleted.status_code == 200, deleted.text
    return [in_form, in_query, rolled, deleted], ["demo-customer-secret", rolled.json()["value"]["client_secret"]]


EXCHANGES = [client_credentials, basic_authentication, secret_in_the_query, authorization_code_and_refresh,
             introspection, bearer_call, provisioning, admin_mint, widget_frames, secret_rotation, snapshot_document,
             upload_url, escaped_names]


def dashboard_page(http, path: str) -> str:
    """The dashboard's page at ``path`` (it must render) as the browser would read its text."""
    reply = http.get(path)
    assert reply.status_code == 200, (path, reply.text[:200])
    return html.unescape(reply.text)


@pytest.mark.parametrize("exchange", EXCHANGES, ids=[e.__name__ for e in EXCHANGES])
def test_no_output_of_the_journal_shows_a_secret(world, server, exchange):
    http, admin, log_records = world
    replies, secrets = exchange(http, server)
    ids = {reply.headers["x-request-id"] for reply in replies}
    outputs = {
        "GET /_mock/requests": admin.requests(),
        "POST /_mock/requests/wait": admin.wait_for_requests(count=1),
        "journal entries (dashboard)": server.emulator.journal.query(),
        "access log": [formatter.format(record) for record in log_records
                       for formatter in (logging.Formatter(TEXT_FORMAT), JsonFormatter())],
        "dashboard pages": [dashboard_page(http, "/_mock/ui/journal")]
                           + [dashboard_page(http, f"/_mock/ui/journal/{request_id}") for request_id in ids],
    }
    assert ids <= {entry["id"] for entry in outputs["GET /_mock/requests"]}  # every exchange was journaled
    assert ids <= {entry["id"] for entry in outputs["journal entries (dashboard)"]}
    assert "****" in "".join(outputs["dashboard pages"][1:])  # the entries render, masked
    for where, shown in outputs.items():
        text = json.dumps(shown)
        for secret in secrets:
            assert secret and secret not in text, (where, secret[:8])


@pytest.mark.parametrize("text, secret", [
    ('{"access_token": "AQVabc", "expires_in": 1800}', "AQVabc"),
    ('{"clientSecret":"WPL_AP1.abcdefghijklmnop.xyz=="}', "WPL_AP1.abcdefghijklmnop"),
    ('{"credentials": {"client_id": "x", "client_secret": "s3cr3t-value-long"}}', "s3cr3t-value-long"),
    ('{"access_token": "cut at 64 KiB here without its closing quo', "cut at 64 KiB here"),
    ("grant_type=client_credentials&client_id=x&client_secret=hunter2-hunter2", "hunter2-hunter2"),
    ("code=AQTshortcode&state=s", "AQTshortcode"),
    ("/media/upload/7?signature=Zm9vYmFyYmF6cXV4cXV1eA", "Zm9vYmFyYmF6cXV4cXV1eA"),
    ('{"uploadUrl": "http://h/media/upload/7?signature=Zm9vYmFyYmF6cXV4cXV1eA"}', "Zm9vYmFyYmF6cXV4cXV1eA"),
    ("https://ats.example/cb?state=s&code=abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu"),
    ("grant_type=client_credentials&client%5Fsecret=hunter2-hunter2", "hunter2-hunter2"),
    ("%63lient_secre%74=hunter2-hunter2&x=1", "hunter2-hunter2"),
    ("%63ode=abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu"),
    ('{"client\\u005Fsecret": "s3cr3t-value-long"}', "s3cr3t-value-long"),
    ('{"\\u0061ccess_token": "s3cr3t-value-long"}', "s3cr3t-value-long"),
    ('{"tables": {"tokens": {"AQV' + "x" * 60 + '": {}}}}', "AQV" + "x" * 60),
])
def test_the_masking_function_masks_every_shape_a_secret_comes_in(text, secret):
    masked = mask_text(text)
    assert secret not in masked and "****" in masked
    assert mask_text(masked) == masked  # masking twice changes nothing


def test_text_without_secrets_is_left_alone():
    for text in ('{"elements": [{"countryCode": "US", "code": 5}]}', "q=request&requestId=1", ""):
        assert mask_text(text) == text


def every_pattern(text: str) -> str:
    """``text`` masked by all three patterns, with none of mask_text's tests before them."""
    from mock_server.harness import masking

    text = masking._JSON_MEMBER.sub(masking._masked, text)
    text = masking._FORM_FIELD.sub(masking._masked, text)
    return masking._TOKEN.sub(lambda match: masking.mask(match.group(0)), text)


def test_the_substring_tests_before_each_pattern_skip_no_secret():
    """mask_text runs each pattern only when the text holds what every match must hold: a secret name's ending
    before a quote or "=", or an escaped spelling of a secret name's character, and "AQ". On texts with and
    without secrets the result is that of running all three patterns."""
    texts = ['{"id_token" : "abcdefghijklmnopq"}', '{"secondarySecret":"x"}', "oauth2_access_token=abcdefghijklmnopq",
             " code=xyz", "AQX" + "a" * 40, '{"postalCode": "02802", "token_type": "Bearer"}', "tokens=1&code_x=2",
             '{"elements": [{"countryCode": "US"}]}', "AQ", "x" * 300, "?signature=abcdefghijklmnop",
             '{"signature": "abcdefghijklmnop"}', "client%5Fsecret=abcdefghijklmnop", "q=urn%3Ali%3Ax",
             '{"client\\u005fsecret": "abcdefghijklmnop"}', '{"name": "\\u00e9t\\u00e9"}',
             "ids=List((atsCandidateId:1,integrationContext:urn%3Ali%3Aorganization%3A1))", "%3A%2C%28%29%41%5a%30"]
    for text in texts:
        assert mask_text(text) == every_pattern(text), text


def spelled(name: str, escaped: list[bool], upper: list[bool], form: bool) -> str:
    """``name`` with the characters ``escaped`` picks written as a form (``%5f``) or JSON (``\\u005f``) escape,
    in upper- or lower-case hex (and ``\\U`` for an upper-case JSON escape)."""
    out = []
    for c, escape, big in zip(name, escaped, upper, strict=False):
        if not escape:
            out.append(c)
            continue
        code = f"%{ord(c):02x}" if form else f"\\u{ord(c):04x}"
        out.append(code.upper() if big else code)
    return "".join(out)


NOISE = st.text(alphabet='%\\u0123456789aAfFxX5_:,()&="{} ', max_size=30)


@settings(max_examples=400, deadline=None, database=None)
@given(data=st.data(), form=st.booleans(), before=NOISE, after=NOISE)
def test_the_tests_before_each_pattern_skip_no_spelling_of_a_secret_name(data, form, before, after):
    """The class of texts the escape hints guard: every secret name (form field or JSON member), any of its
    characters escaped in either case, amid noise of escapes and hex digits. mask_text masks exactly what the
    three patterns mask on their own."""
    from mock_server.harness import masking

    name = data.draw(st.sampled_from(masking.SECRET_FORM_NAMES if form else masking.SECRET_JSON_NAMES))
    escaped = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    upper = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    key = spelled(name, escaped, upper, form)
    text = f"{before}&{key}=abcdefghijklmnopq{after}" if form else f'{before}{{"{key}": "abcdefghijklmnopq"}}{after}'
    assert mask_text(text) == every_pattern(text)
    assert "abcdefghijklmnopq" not in mask_text(text)


@settings(max_examples=400, deadline=None, database=None)
@given(text=st.text(alphabet='%\\uU0123456789aAbcdefFgiklnoprstSx5_:&="{} ', max_size=60))
def test_mask_text_equals_every_pattern_on_any_text(text):
    """Any text over the characters of secret names, escapes and separators: mask_text's tests never skip a
    pattern that would have masked something."""
    assert mask_text(text) == every_pattern(text)


@pytest.mark.parametrize("secret_body", [
    '{"access_token": "AQVabcdefghijklmnopqrstuvwxyz0123456789", "pad": "%s"}',
    'grant_type=client_credentials&client_secret=abcdefghijklmnopq&pad=%s',
    '{"plain": "%s"}',
])
def test_a_long_text_masked_again_is_masked_alike(secret_body):
    """mask_text remembers the masked form of long texts (bodies a partner repeats): asked again — also for an
    equal text that is another object, and after the memory is full of other texts — it gives what scanning
    gives."""
    from mock_server.harness import masking

    text = secret_body % ("x" * masking.REMEMBERED_MIN_CHARS)
    first = mask_text(text)
    assert first == every_pattern(text)
    assert mask_text("".join(list(text))) == first
    for n in range(masking.REMEMBERED + 1):
        mask_text(f"{n}" + text)
    assert mask_text(text) == first == every_pattern(text)

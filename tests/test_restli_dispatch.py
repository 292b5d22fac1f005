"""The Rest.li dispatcher end to end: a tiny Starlette app with toy resources over in-memory dicts, driven
through httpx's ASGI transport (the raw path and query reach the app exactly as written here)."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from mock_server.restli import keys as keycodec
from mock_server.restli.dispatch import Dispatcher
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.patch import apply_patch, read_patch
from mock_server.restli.resource import Created, Finder, PagedResult, Resource
from mock_server.testing.tunnel import tunnelled

PARTS = ("org", "wid")
ORG = "urn:li:organization:1000"
V2 = {"X-RestLi-Protocol-Version": "2.0.0"}


# ---- the toy world -------------------------------------------------------------------------------------------


class World:
    """In-memory resources: ``widgets`` (compound key org+wid, every method), ``gadgets`` (simple key, batch
    create only), ``jobs`` (batch create only, custom missing-header error), ``widgets/notes`` (sub-resource),
    ``limited`` (GET only), ``boom`` (a defective handler)."""

    def __init__(self) -> None:
        self.widgets: dict[str, dict] = {}
        self.gadgets: dict[str, dict] = {}
        self.notes: dict[tuple[str, str], dict] = {}
        self.calls: list = []

    def seen(self, call) -> None:
        self.calls.append(call)

    @property
    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    def add_widget(self, org: str, wid: str, **fields) -> dict:
        entity = {"org": org, "wid": wid, "color": "red", "size": 1, "spec": {"a": 1, "b": 2}, **fields}
        self.widgets[keycodec.canonical({"org": org, "wid": wid})] = entity
        return entity

    # widgets ---------------------------------------------------------------------------------------------
    def w_get(self, call):
        self.seen(call)
        entity = self.widgets.get(keycodec.canonical(call.key))
        if entity is None:
            raise RestliError(404, f"No widget {keycodec.format_key(call.key, call.protocol)}")
        return entity

    def w_batch_get(self, call):  # leaves missing keys out: the dispatcher reports them
        self.seen(call)
        return {c: self.widgets[c] for c, _ in call.keys if c in self.widgets}

    def w_create(self, call):
        self.seen(call)
        key = {"org": call.body.get("org", ""), "wid": call.body.get("wid", "")}
        if not key["org"] or not key["wid"]:
            raise field_error("wid", "is required")
        self.widgets[keycodec.canonical(key)] = dict(call.body)
        return Created(key)

    def w_batch_create(self, call):
        self.seen(call)
        out = []
        for element in call.body["elements"]:
            if "wid" not in element:
                out.append(field_error("wid", "is required"))
                continue
            key = {"org": element.get("org", ORG), "wid": element["wid"]}
            self.widgets[keycodec.canonical(key)] = dict(element)
            out.append(Created(key))
        return out

    def w_update(self, call):
        self.seen(call)
        self.widgets[keycodec.canonical(call.key)] = dict(call.body)

    def w_batch_update(self, call):
        self.seen(call)
        out = {}
        for c, key, value in call.entities:
            if value.get("bad"):
                out[c] = field_error("bad", "must not be set")
            else:
                self.widgets[c] = dict(value, **key)
                out[c] = 204
        return out

    def w_partial_update(self, call):
        self.seen(call)
        c = keycodec.canonical(call.key)
        if c not in self.widgets:
            raise RestliError(404, "No such widget")
        self.widgets[c] = apply_patch(self.widgets[c], read_patch(call.body))

    def w_batch_partial_update(self, call):
        self.seen(call)
        out = {}
        for c, _, value in call.entities:
            if c not in self.widgets:
                out[c] = RestliError(404, "No such widget")
                continue
            self.widgets[c] = apply_patch(self.widgets[c], read_patch(value, "entity"))
            out[c] = 204
        return out

    def w_delete(self, call):
        self.seen(call)
        if self.widgets.pop(keycodec.canonical(call.key), None) is None:
            raise RestliError(404, "No such widget")

    def w_batch_delete(self, call):
        self.seen(call)
        return {c: 204 if self.widgets.pop(c, None) is not None else RestliError(404, "No such widget")
                for c, _ in call.keys}

    def w_get_all(self, call):
        self.seen(call)
        return sorted(self.widgets.values(), key=lambda w: w["wid"])

    def w_by_color(self, call):
        self.seen(call)
        color = call.query.require("color")
        return sorted((w for w in self.widgets.values() if w.get("color") == color), key=lambda w: w["wid"])

    def w_paged(self, call):  # pages itself and reports a total
        self.seen(call)
        everything = sorted(self.widgets.values(), key=lambda w: w["wid"])
        return PagedResult(everything[call.page.start:call.page.start + call.page.count], len(everything))

    def w_action(self, call):
        self.seen(call)
        if call.action == "count":
            return len(self.widgets)
        if call.action == "echo":
            return call.body
        raise RestliError(400, f"Unknown action {call.action}")

    # gadgets (simple keys) -----------------------------------------------------------------------------
    def g_get(self, call):
        self.seen(call)
        if call.key not in self.gadgets:
            raise RestliError(404, "No such gadget", service_error_code=0)
        return self.gadgets[call.key]

    def g_batch_get(self, call):
        self.seen(call)
        return {c: self.gadgets.get(key) or RestliError(404, f"No gadget {key}") for c, key in call.keys}

    def g_batch_create(self, call):
        self.seen(call)
        out = []
        for index, element in enumerate(call.body["elements"]):
            key = element.get("name") or f"g{index}"
            self.gadgets[key] = element
            out.append(Created(key, 202))
        return out

    # widgets/notes -----------------------------------------------------------------------------------------
    def n_batch_update(self, call):
        self.seen(call)
        parent = keycodec.canonical(call.parent_key)
        for _, key, value in call.entities:
            self.notes[(parent, key)] = value
        return {c: 204 for c, _, _ in call.entities}

    def n_batch_get(self, call):
        self.seen(call)
        parent = keycodec.canonical(call.parent_key)
        return {c: self.notes[(parent, key)] for c, key in call.keys if (parent, key) in self.notes}

    def n_create(self, call):
        self.seen(call)
        key = call.body["id"]
        self.notes[(keycodec.canonical(call.parent_key), key)] = call.body
        return Created(key, 201, call.body)

    def n_get(self, call):
        self.seen(call)
        entity = self.notes.get((keycodec.canonical(call.parent_key), call.key))
        if entity is None:
            raise RestliError(404, "No such note")
        return entity

    def n_all(self, call):
        self.seen(call)
        parent = keycodec.canonical(call.parent_key)
        return [v for (p, _), v in sorted(self.notes.items()) if p == parent]


def build(world: World, **dispatcher_options) -> tuple[Starlette, Dispatcher]:
    dispatcher = Dispatcher(**dispatcher_options)
    w = world
    dispatcher.register(Resource(
        "widgets", key_parts=PARTS,
        handlers={"GET": w.w_get, "BATCH_GET": w.w_batch_get, "CREATE": w.w_create, "BATCH_CREATE": w.w_batch_create,
                  "UPDATE": w.w_update, "BATCH_UPDATE": w.w_batch_update, "PARTIAL_UPDATE": w.w_partial_update,
                  "BATCH_PARTIAL_UPDATE": w.w_batch_partial_update, "DELETE": w.w_delete,
                  "BATCH_DELETE": w.w_batch_delete, "GET_ALL": w.w_get_all, "ACTION": w.w_action},
        finders={"byColor": Finder(w.w_by_color), "paged": Finder(w.w_paged, default_count=2, max_count=5,
                                                                 require_start=True)}))
    dispatcher.register(Resource("gadgets", handlers={"GET": w.g_get, "BATCH_GET": w.g_batch_get,
                                                      "BATCH_CREATE": w.g_batch_create}, max_batch=3))
    dispatcher.register(Resource(
        "jobs", handlers={"BATCH_CREATE": w.g_batch_create},
        missing_batch_create_header=lambda: RestliError(400, "jobs need X-RestLi-Method: BATCH_CREATE", 1234)))
    dispatcher.register(Resource(
        "widgets/notes", parent_key_parts=PARTS,
        handlers={"BATCH_UPDATE": w.n_batch_update, "BATCH_GET": w.n_batch_get, "CREATE": w.n_create,
                  "GET": w.n_get},
        finders={"all": Finder(w.n_all)}))
    dispatcher.register(Resource("limited", handlers={"GET": w.g_get}))

    async def async_boom(call):
        w.seen(call)
        await asyncio.sleep(0)
        raise KeyError("a defect")

    dispatcher.register(Resource("boom", handlers={"GET": async_boom, "GET_ALL": lambda call: 1 / 0}))

    async def endpoint(request):
        return await dispatcher.handle(request, "v2", world)

    app = Starlette(routes=[Route("/v2/{path:path}", endpoint,
                                  methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])])
    return app, dispatcher


class Client:
    """A synchronous face on httpx.AsyncClient + ASGITransport."""

    def __init__(self, app) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
                return await client.request(method, url, **kwargs)
        return asyncio.run(go())

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, **kw):
        return self.request("POST", url, **kw)

    def put(self, url, **kw):
        return self.request("PUT", url, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)


@pytest.fixture
def world():
    return World()


@pytest.fixture
def client(world):
    app, _ = build(world)
    return Client(app)


def k(wid: str, org: str = ORG) -> dict:
    return {"org": org, "wid": wid}


def ids_v1(*wids: str, org: str = ORG) -> str:
    return "&".join(f"ids[{i}].org={org}&ids[{i}].wid={quote(wid, safe='')}" for i, wid in enumerate(wids))


def ids_v2(*wids: str, org: str = ORG) -> str:
    return "ids=List(" + ",".join(keycodec.url_key(k(w, org), 2) for w in wids) + ")"


def v1(wid: str, org: str = ORG) -> str:
    return keycodec.format_key(k(wid, org), 1)


def v2(wid: str, org: str = ORG) -> str:
    return keycodec.format_key(k(wid, org), 2)


def assert_error(response: httpx.Response, status: int, *fragments: str, code: int | None = None) -> dict:
    assert response.status_code == status, response.text
    # Rest.li's HeaderUtil.getErrorResponseHeaderName: 2.0 marks errors X-RestLi-Error-Response, 1.0
    # X-LinkedIn-Error-Response, and never both
    v2 = response.headers["x-restli-protocol-version"].startswith("2")
    marker, other = ("x-restli-error-response", "x-linkedin-error-response")[::1 if v2 else -1]
    assert response.headers[marker] == "true" and other not in response.headers
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "serviceErrorCode", "message"}
    assert body["status"] == status
    assert body["serviceErrorCode"] == (status if code is None else code)
    for fragment in fragments:
        assert fragment in body["message"], body["message"]
    return body


# ---- method resolution -----------------------------------------------------------------------------------------


def test_method_header_is_case_insensitive(client, world):
    world.add_widget(ORG, "w1")
    response = client.post(f"/v2/widgets?{ids_v1('w1')}", headers={"x-restli-method": "batch_partial_update"},
                           json={"entities": {v1("w1"): {"patch": {"$set": {"color": "blue"}}}}})
    assert response.status_code == 200, response.text
    assert response.json() == {"results": {v1("w1"): {"status": 204}}, "errors": {}}
    assert world.widgets[keycodec.canonical(k("w1"))]["color"] == "blue"
    assert world.methods == ["BATCH_PARTIAL_UPDATE"]
    response = client.put(f"/v2/widgets?{ids_v1('w1')}", headers={"X-RESTLI-METHOD": " Batch_Update "},
                          json={"entities": {v1("w1"): {"color": "green"}}})
    assert response.status_code == 200
    assert world.methods[-1] == "BATCH_UPDATE"


@pytest.mark.parametrize("verb, url, body, method", [
    ("PUT", f"/v2/widgets?{ids_v1('w1')}", {"entities": {v1("w1"): {"color": "x"}}}, "BATCH_UPDATE"),
    ("DELETE", f"/v2/widgets?{ids_v1('w1')}", None, "BATCH_DELETE"),
    ("GET", f"/v2/widgets?{ids_v1('w1')}", None, "BATCH_GET"),
    ("GET", "/v2/widgets?ids=List((org:a,wid:b))", None, "BATCH_GET"),
    ("GET", "/v2/widgets?q=byColor&color=red", None, "FINDER"),
    ("GET", f"/v2/widgets/{v1('w1')}", None, "GET"),
    ("GET", "/v2/widgets", None, "GET_ALL"),
    ("POST", "/v2/widgets", {"org": ORG, "wid": "w9"}, "CREATE"),
    ("POST", f"/v2/widgets/{v1('w1')}", {"patch": {"$set": {"size": 2}}}, "PARTIAL_UPDATE"),
    ("PUT", f"/v2/widgets/{v1('w1')}", {"org": ORG, "wid": "w1"}, "UPDATE"),
    ("DELETE", f"/v2/widgets/{v1('w1')}", None, "DELETE"),
    ("POST", "/v2/widgets?action=count", {}, "ACTION"),
])
def test_method_inference(client, world, verb, url, body, method):
    world.add_widget(ORG, "w1")
    response = client.request(verb, url, json=body) if body is not None else client.request(verb, url)
    assert response.status_code < 300, response.text
    assert world.methods == [method]


def test_post_with_ids_needs_the_header(client, world):
    world.add_widget(ORG, "w1")
    response = client.post(f"/v2/widgets?{ids_v1('w1')}", json={"entities": {v1("w1"): {"patch": {}}}})
    assert_error(response, 400, "BATCH_PARTIAL_UPDATE", "X-RestLi-Method")
    assert world.calls == []


def test_batch_create_needs_the_header(client, world):
    response = client.post("/v2/gadgets", json={"elements": [{"name": "a"}]})
    assert_error(response, 400, "BATCH_CREATE")
    assert world.calls == [] and world.gadgets == {}
    # the resource may choose the error
    assert_error(client.post("/v2/jobs", json={"elements": [{}]}), 400, "jobs need", code=1234)
    # with the header it works, 202 per element and elements in request order
    response = client.post("/v2/gadgets", headers={"X-RestLi-Method": "BATCH_CREATE"},
                           json={"elements": [{"name": "b"}, {"name": "a"}, {}]})
    assert response.status_code == 200
    assert response.json() == {"elements": [{"status": 202, "id": "b"}, {"status": 202, "id": "a"},
                                            {"status": 202, "id": "g2"}]}


@pytest.mark.parametrize("verb, url, headers, status, fragment", [
    ("DELETE", "/v2/limited/x", {}, 405, "DELETE is not supported by resource limited"),
    ("GET", "/v2/limited", {}, 405, "GET_ALL"),
    ("PATCH", "/v2/widgets/org=a&wid=b", {}, 405, "PATCH"),
    ("OPTIONS", "/v2/widgets", {}, 405, "OPTIONS"),
    ("POST", "/v2/limited", {"X-RestLi-Method": "CREATE"}, 405, "CREATE"),
    ("GET", "/v2/limited?q=any", {}, 400, "Unknown finder q=any"),
    ("GET", "/v2/widgets?q=nope", {}, 400, "finders: byColor, paged"),
    ("GET", "/v2/widgets", {"X-RestLi-Method": "FINDER"}, 400, "'q'"),
    ("GET", "/v2/widgets", {"X-RestLi-Method": "BATCH_FROB"}, 400, "Invalid X-RestLi-Method"),
    ("PUT", "/v2/widgets", {"X-RestLi-Method": "GET"}, 400, "does not match the HTTP method PUT"),
    ("GET", "/v2/widgets", {"X-RestLi-Method": "GET"}, 400, "needs the key"),
    ("PUT", "/v2/widgets", {}, 400, "needs the keys in the ids"),
    ("DELETE", "/v2/widgets", {}, 400, "needs the keys in the ids"),
    ("GET", "/v2/widgets/org=a&wid=b", {"X-RestLi-Method": "GET_ALL"}, 400, "takes no key"),
    ("POST", "/v2/widgets", {}, 400, "empty"),  # CREATE without a body
])
def test_method_errors(client, world, verb, url, headers, status, fragment):
    assert_error(client.request(verb, url, headers=headers), status, fragment)
    assert world.calls == []


@pytest.mark.parametrize("url", ["/v2/nothing", "/v2/nothing/key", "/v2/", "/v2/widgets/k/nothing",
                                 "/v2/gadgets/x/notes"])
def test_unknown_resource_is_404(client, url):
    assert_error(client.get(url), 404)


# ---- keys in requests and replies ------------------------------------------------------------------------------


def test_reply_keys_are_canonical_whatever_the_request_form(client, world):
    world.add_widget(ORG, "w 1")
    world.add_widget("urn:li:contract:7", "w,2")
    keys = [k("w 1"), k("w,2", "urn:li:contract:7"), k("missing")]
    forms = [
        "&".join(f"ids[{i}].wid={quote(key['wid'], safe='')}&ids[{i}].org={key['org']}" for i, key in enumerate(keys)),
        "&".join(f"ids%5B{i}%5D.wid={quote(key['wid'], safe='')}&ids%5B{i}%5D.org={quote(key['org'], safe='')}"
                 for i, key in enumerate(keys)),
        "&".join("ids=" + quote(f"wid={quote(key['wid'], safe='')}&org={key['org']}", safe="") for key in keys),
        "ids=List(" + ",".join(f"(wid:{quote(key['wid'], safe='')},org:{quote(key['org'], safe='')})"
                               for key in keys) + ")",
    ]
    for form in forms:
        for protocol, headers in ((1, {}), (2, V2)):
            response = client.get(f"/v2/widgets?{form}", headers=headers)
            assert response.status_code == 200, (form, response.text)
            body = response.json()
            shown = [keycodec.format_key(key, protocol) for key in keys]
            assert set(body["results"]) == set(shown[:2]), form
            assert list(body["errors"]) == [shown[2]]
            assert body["statuses"] == {shown[2]: 404}  # only errors have a status (Rest.li, plain-map result)
            if protocol == 1:
                assert "org=urn:li:contract:7&wid=w,2" in body["results"]  # raw URN, parts sorted
            else:
                assert "(org:urn%3Ali%3Acontract%3A7,wid:w%2C2)" in body["results"]


def test_batch_get_envelope(client, world):
    world.add_widget(ORG, "a", color="blue")
    response = client.get(f"/v2/widgets?{ids_v1('a', 'zz', 'a')}")  # a duplicate id counts once
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == {v1("a"): world.widgets[keycodec.canonical(k("a"))]}
    # Rest.li's BatchGetResponseBuilder gives a status only to the keys that failed (the task-status sample of
    # LinkedIn shows "statuses": {} beside its results)
    assert body["statuses"] == {v1("zz"): 404}
    assert body["errors"] == {v1("zz"): {"status": 404, "serviceErrorCode": 404, "message": "Not Found"}}
    assert len(world.calls[0].keys) == 2
    # a resource that returns its own error for a missing key
    response = client.get("/v2/gadgets?ids=nope")
    missing = {"status": 404, "serviceErrorCode": 404, "message": "No gadget nope"}
    assert response.json() == {"results": {}, "statuses": {"nope": 404}, "errors": {"nope": missing}}


def test_batch_update_envelope_and_body_keys_in_any_form(client, world):
    body = {"entities": {
        # 1.0 with parts reversed and the URN %-encoded ...
        f"wid=a&org={quote(ORG, safe='')}": {"color": "x"},
        # ... and 2.0 reduced encoding: both name keys of the URL
        v2("b"): {"color": "y", "bad": True},
    }}
    response = client.put(f"/v2/widgets?{ids_v1('a', 'b')}", json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "results": {v1("a"): {"status": 204}},
        "errors": {v1("b"): {"status": 422, "serviceErrorCode": 422, "message": "ERROR :: /bad :: must not be set"}},
    }
    assert world.widgets[keycodec.canonical(k("a"))] == {"color": "x", "org": ORG, "wid": "a"}
    [call] = world.calls
    assert [c for c, _, _ in call.entities] == [keycodec.canonical(k("a")), keycodec.canonical(k("b"))]
    # the same under 2.0: keys in the reply are 2.0
    response = client.put(f"/v2/widgets?{ids_v2('a')}", headers=V2, json={"entities": {v1("a"): {"color": "z"}}})
    assert response.json() == {"results": {v2("a"): {"status": 204}}, "errors": {}}


@pytest.mark.parametrize("entities, fragment", [
    ({v1("a"): {}, v1("c"): {}}, "is not among the ids"),
    ({v1("a"): {}}, "lack the key(s) given in ids: org=urn:li:organization:1000&wid=b"),
    ({v1("a"): {}, v2("a"): {}, v1("b"): {}}, "appears twice"),
    ({v1("a"): {}, "org=x": {}}, "missing wid"),
    ({v1("a"): {}, v1("b"): []}, "must be a JSON object"),
    ({v1("a"): {}, v1("b"): "text"}, "must be a JSON object"),
])
def test_batch_update_body_must_match_ids(client, world, entities, fragment):
    response = client.put(f"/v2/widgets?{ids_v1('a', 'b')}", json={"entities": entities})
    assert_error(response, 400, fragment)
    assert world.calls == []


@pytest.mark.parametrize("content, fragment", [
    (b"{not json", "Malformed JSON"),
    (b'{"entities": ', "Malformed JSON"),
    (b"\xff\xfe\x00garbage", "Malformed JSON"),
    (b"[]", "must be a JSON object, not array"),
    (b'"text"', "must be a JSON object, not str"),
    (b"42", "must be a JSON object, not int"),
    (b"null", "must be a JSON object, not null"),
    (b"   ", "empty"),
    pytest.param(b"[" * 100_000, "Malformed JSON", id="nested-too-deeply"),
    (b'{"entities": []}', "must be {\"entities\""),
    (b'{"entities": {}}', "lack the key(s)"),
])
def test_bad_bodies_are_400(client, world, content, fragment):
    response = client.put(f"/v2/widgets?{ids_v1('a')}", content=content,
                          headers={"Content-Type": "application/json"})
    assert_error(response, 400, fragment)
    assert world.calls == []


@pytest.mark.parametrize("content, fragment", [
    (b'{"elements": {}}', "BATCH_CREATE body must be"),
    (b'{"items": []}', "BATCH_CREATE body must be"),
    (b'{"elements": [{}, 5]}', "elements[1] must be a JSON object"),
])
def test_bad_batch_create_bodies(client, world, content, fragment):
    response = client.post("/v2/widgets", content=content, headers={"X-RestLi-Method": "BATCH_CREATE"})
    assert_error(response, 400, fragment)
    assert world.calls == []


def tunnel(client, method: str, path: str, query: str) -> httpx.Response:
    """``method path?query`` sent with LinkedIn's query tunnelling."""
    headers, content = tunnelled(method, query)
    return client.post(path, content=content, headers=headers)


def test_at_most_100_ids(client, world):
    wids = [f"w{i}" for i in range(101)]
    # 101 compound ids are over LinkedIn's 4 KB query limit: only a tunnelled call reaches the batch cap
    assert_error(client.get(f"/v2/widgets?{ids_v1(*wids)}"), 414, "query string", "4096")
    assert_error(tunnel(client, "GET", "/v2/widgets", ids_v1(*wids)), 400, "Too many entities", "101",
                 "at most 100")
    assert_error(tunnel(client, "DELETE", "/v2/widgets", ids_v2(*wids)), 400, "Too many entities")
    response = tunnel(client, "GET", "/v2/widgets", ids_v1(*wids[:100]))
    assert response.status_code == 200 and len(response.json()["errors"]) == 100
    elements = [{"wid": w} for w in wids]
    assert_error(client.post("/v2/widgets", json={"elements": elements}, headers={"X-RestLi-Method": "BATCH_CREATE"}),
                 400, "Too many entities")
    # and a resource's own cap
    assert_error(client.get("/v2/gadgets?ids=a&ids=b&ids=c&ids=d"), 400, "at most 3")


@pytest.mark.parametrize("query, fragment", [
    ("ids[x].org=a", "ids[x].org"),
    ("ids[0]=a", "ids[0]"),
    ("ids[0].org=a", "missing wid"),
    ("ids[0].org=a&ids[0].wid=b&ids[0].color=c", "unknown color"),
    ("ids[0].org=&ids[0].wid=b", "empty org"),
    ("ids=List((org:a,wid:b)", "unterminated"),
    ("ids=List()", "needs the keys"),
])
def test_malformed_ids_are_400(client, world, query, fragment):
    assert_error(client.get(f"/v2/widgets?{query}"), 400, fragment)
    assert world.calls == []


@pytest.mark.parametrize("segment, fragment", [
    ("org=a", "missing wid"),
    ("(org:a,wid:b", "unterminated"),
    ("org=a&wid=b&x=c", "unknown x"),
    ("(org:a,wid:'')", "empty wid"),
])
def test_malformed_path_keys_are_400(client, world, segment, fragment):
    assert_error(client.get(f"/v2/widgets/{segment}"), 400, fragment)
    assert_error(client.get(f"/v2/widgets/{segment}/notes?ids=n1"), 400, fragment)
    assert world.calls == []


DEPTH = 40  # over the parsers' limit (32), and short enough for a URL LinkedIn accepts (no 414)
DEEP_KEY = "(org:" * DEPTH + "x" + ")" * DEPTH


@pytest.mark.parametrize("method, url, kwargs", [
    ("GET", "/v2/widgets?ids=" + "List(" * DEPTH + ")" * DEPTH, {}),
    ("GET", "/v2/widgets?ids=" + DEEP_KEY, {}),
    ("GET", "/v2/widgets?ids=" + "(org:" * DEPTH, {}),
    ("GET", f"/v2/widgets?{ids_v1('a')}&fields=" + "a:(" * DEPTH + "b" + ")" * DEPTH, {}),
    ("GET", "/v2/widgets/" + DEEP_KEY, {}),
    ("GET", f"/v2/widgets/{DEEP_KEY}/notes?ids=n1", {}),
    ("PUT", f"/v2/widgets?{ids_v1('a')}", {"json": {"entities": {DEEP_KEY: {}}}}),
    ("POST", "/v2/widgets", {"headers": {"X-HTTP-Method-Override": "GET",
                                         "Content-Type": "application/x-www-form-urlencoded"},
                             "content": ("ids=" + "List(" * 2000 + ")" * 2000).encode()}),
    ("PUT", f"/v2/widgets?{ids_v1('a')}", {"content": ('{"entities": {"' + v1("a") + '": ' + '{"x":' * 40 + "1"
                                                           + "}" * 40 + "}}").encode()}),
], ids=["ids-list", "ids-key", "ids-unclosed", "fields", "path-key", "parent-key", "body-key", "tunnelled",
        "body-json"])
def test_deep_nesting_is_400_not_a_crash(client, world, method, url, kwargs):
    assert_error(client.request(method, url, **kwargs), 400, "nested too deeply")
    assert world.calls == []


def test_a_repeated_body_key_is_400_not_last_one_wins(client, world):
    content = f'{{"entities": {{"{v1("a")}": {{"color": "red"}}, "{v1("a")}": {{"color": "blue"}}}}}}'.encode()
    response = client.put(f"/v2/widgets?{ids_v1('a')}", content=content, headers={"Content-Type": "application/json"})
    assert_error(response, 400, f"/entities/{v1('a')} is given more than once")
    assert world.calls == []


@pytest.mark.parametrize("content, pointer", [
    (rb'{"entities": {"org=urn:li:organization:1000&wid=a": {"color": "\ud800"}}}',
     "/entities/org=urn:li:organization:1000&wid=a/color"),
    (rb'{"entities": {"org=urn:li:organization:1000&wid=\udfff": {}}}', "/entities/org=urn:li:organization:1000&wid="),
])
def test_lone_surrogates_are_400_and_never_stored(client, world, content, pointer):
    response = client.put(f"/v2/widgets?{ids_v1('a')}", content=content, headers={"Content-Type": "application/json"})
    assert_error(response, 400, pointer, "lone surrogate")
    assert world.calls == []


# ---- single-entity methods ---------------------------------------------------------------------------------------


def test_create_reply_has_id_and_location_in_the_callers_protocol(client, world):
    response = client.post("/v2/widgets", json={"org": ORG, "wid": "a/b c"})
    assert response.status_code == 201
    assert response.content == b""
    assert response.headers["x-restli-id"] == "org=urn:li:organization:1000&wid=a/b c"
    assert response.headers["x-linkedin-id"] == response.headers["x-restli-id"]
    location = response.headers["location"]
    assert location == "/v2/widgets/org=urn:li:organization:1000&wid=a%2Fb%20c"
    assert client.get(location).json()["wid"] == "a/b c"

    response = client.post("/v2/widgets", headers=V2, json={"org": ORG, "wid": "x,y"})
    assert response.status_code == 201
    assert response.headers["x-restli-id"] == "(org:urn%3Ali%3Aorganization%3A1000,wid:x%2Cy)"
    location = response.headers["location"]
    assert location.startswith("/v2/widgets/(org:urn%3Ali%3Aorganization%3A1000,wid:x%2Cy)")
    assert client.get(location, headers=V2).json()["wid"] == "x,y"


def test_create_with_a_non_ascii_key_does_not_break_the_headers(client, world):
    response = client.post("/v2/widgets", json={"org": ORG, "wid": "Zürich-中"})
    assert response.status_code == 201, response.text
    assert keycodec.parse_key(response.headers["x-restli-id"], PARTS) == k("Zürich-中")
    assert client.get(response.headers["location"]).json()["wid"] == "Zürich-中"


def test_create_error_from_the_handler(client, world):
    assert_error(client.post("/v2/widgets", json={"org": ORG}), 422, "ERROR :: /wid :: is required")


def test_batch_create_envelope_in_request_order(client, world):
    response = client.post("/v2/widgets", headers={"X-RestLi-Method": "BATCH_CREATE"},
                           json={"elements": [{"wid": "b"}, {"nowid": 1}, {"wid": "a", "org": "urn:li:contract:2"}]})
    assert response.status_code == 200
    assert response.json() == {"elements": [
        {"status": 201, "id": v1("b")},
        {"status": 422, "error": {"status": 422, "serviceErrorCode": 422, "message": "ERROR :: /wid :: is required"}},
        {"status": 201, "id": "org=urn:li:contract:2&wid=a"},
    ]}
    response = client.post("/v2/widgets", headers={"X-RestLi-Method": "BATCH_CREATE", **V2},
                           json={"elements": [{"wid": "c"}]})
    assert response.json() == {"elements": [{"status": 201, "id": v2("c")}]}


def test_204_methods(client, world):
    world.add_widget(ORG, "a")
    path = f"/v2/widgets/{v1('a')}"
    for response in (client.put(path, json={"org": ORG, "wid": "a", "color": "pink"}),
                     client.post(path, json={"patch": {"$set": {"size": 9}, "$delete": ["color"]}}),
                     client.delete(path)):
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert response.headers["x-restli-protocol-version"] == "1.0.0"
    assert world.methods == ["UPDATE", "PARTIAL_UPDATE", "DELETE"]
    assert world.widgets == {}
    assert_error(client.delete(path), 404, "No such widget")


def test_partial_update_bad_patch(client, world):
    world.add_widget(ORG, "a")
    path = f"/v2/widgets/{v1('a')}"
    assert_error(client.post(path, json={"$set": {"size": 2}}), 400, "expected {\"patch\"")
    assert_error(client.post(path, json={"patch": {"$set": []}}), 400, "$set must be an object")


def test_batch_delete_envelope(client, world):
    world.add_widget(ORG, "a")
    response = client.delete(f"/v2/widgets?{ids_v1('a', 'b')}", headers=V2)
    assert response.json() == {"results": {v2("a"): {"status": 204}},
                               "errors": {v2("b"): {"status": 404, "serviceErrorCode": 404,
                                                    "message": "No such widget"}}}


def test_get_and_single_key_forms(client, world):
    entity = world.add_widget(ORG, "a b")
    key = k("a b")
    for segment in (keycodec.url_key(key, 1), keycodec.url_key(key, 2), quote(keycodec.format_key(key, 2), safe=""),
                    "wid=a%20b&org=" + ORG, "(wid:a%20b,org:urn%3Ali%3Aorganization%3A1000)"):
        response = client.get(f"/v2/widgets/{segment}")
        assert response.status_code == 200, (segment, response.text)
        assert response.json() == entity
    assert world.calls[0].key == key


def test_action(client, world):
    world.add_widget(ORG, "a")
    assert client.post("/v2/widgets?action=count", json={}).json() == {"value": 1}
    assert client.post("/v2/widgets?action=count").json() == {"value": 1}  # no parameters, no body
    assert client.post("/v2/widgets?action=echo", json={"x": [1]}).json() == {"value": {"x": [1]}}
    assert_error(client.post("/v2/widgets?action=echo", content=b"[1]"), 400, "JSON object")
    assert_error(client.post("/v2/widgets?action=", json={}), 400, "'action'")


# ---- errors ---------------------------------------------------------------------------------------------------------


def test_error_envelope_from_a_handler(client, world):
    response = client.get("/v2/gadgets/none", headers=V2)
    assert_error(response, 404, "No such gadget", code=0)
    assert response.headers["x-restli-protocol-version"] == "2.0.0"


@pytest.mark.parametrize("url", ["/v2/boom/x", "/v2/boom"])
def test_a_defective_handler_gives_500_in_the_envelope(client, url, caplog):
    response = client.get(url)
    body = assert_error(response, 500, "Internal Server Error")
    assert "KeyError" not in body["message"] and "Traceback" not in response.text
    assert any("unhandled error" in record.getMessage() for record in caplog.records)


def test_error_headers_pass_through(world):
    app, dispatcher = build(world)

    def authorize(call):
        if call.resource.path == "gadgets":
            raise RestliError(429, "Resource level throttle limit reached", 429, headers={"Retry-After": "60"})

    dispatcher.authorize = authorize
    response = Client(app).get("/v2/gadgets/a")
    assert_error(response, 429, "throttle")
    assert response.headers["retry-after"] == "60"
    assert world.calls == []


def test_async_authorize_sees_the_parsed_call(world):
    app, dispatcher = build(world)
    seen = []

    async def authorize(call):
        seen.append((call.method, call.path, call.key, call.parent_key))
        if call.method == "DELETE":
            raise RestliError(403, f"Not enough permissions to access: {call.resource.path}.{call.method}", 100)

    dispatcher.authorize = authorize
    client = Client(app)
    world.add_widget(ORG, "a")
    assert client.get(f"/v2/widgets/{v1('a')}").status_code == 200
    assert_error(client.delete(f"/v2/widgets/{v1('a')}"), 403, "widgets.DELETE", code=100)
    assert client.get(f"/v2/widgets/{v1('a')}/notes/n1").status_code == 404
    assert seen == [("GET", "/v2/widgets", k("a"), None), ("DELETE", "/v2/widgets", k("a"), None),
                    ("GET", "/v2/widgets/notes", "n1", k("a"))]
    assert keycodec.canonical(k("a")) in world.widgets


@pytest.mark.parametrize("sent, echoed", [(None, "1.0.0"), ("1.0.0", "1.0.0"), ("2.0.0", "2.0.0")])
def test_protocol_version_is_echoed(client, world, sent, echoed):
    world.add_widget(ORG, "a")
    headers = {"X-RestLi-Protocol-Version": sent} if sent else {}
    for response in (client.get(f"/v2/widgets/{v1('a')}", headers=headers),
                     client.get("/v2/widgets/org=x", headers=headers),
                     client.get("/v2/nothing", headers=headers),
                     client.get("/v2/boom", headers=headers)):
        assert response.headers["x-restli-protocol-version"] == echoed


# ---- collections: paging and projections ----------------------------------------------------------------------


def _links(body) -> dict:
    out = {}
    for link in body["paging"]["links"]:
        assert link["type"] == "application/json"
        split = urlsplit(link["href"])
        out[link["rel"]] = (split.path, dict(parse_qsl(split.query)))
    return out


def test_finder_paging_and_links(client, world):
    for i in range(25):
        world.add_widget(ORG, f"w{i:02}", color="red" if i < 23 else "blue")
    response = client.get("/v2/widgets?q=byColor&color=red")
    body = response.json()
    assert [w["wid"] for w in body["elements"]] == [f"w{i:02}" for i in range(10)]
    assert body["paging"]["start"] == 0 and body["paging"]["count"] == 10 and body["paging"]["total"] == 23
    links = _links(body)
    assert set(links) == {"next"}
    assert links["next"] == ("/v2/widgets", {"q": "byColor", "color": "red", "start": "10", "count": "10"})

    body = client.get("/v2/widgets?q=byColor&color=red&start=10&count=10").json()
    links = _links(body)
    assert links["prev"][1]["start"] == "0" and links["next"][1]["start"] == "20"

    body = client.get("/v2/widgets?q=byColor&color=red&start=20&count=10").json()
    assert [w["wid"] for w in body["elements"]] == ["w20", "w21", "w22"]
    # count is the page size asked for (Rest.li RestUtils.buildMetadata), not the 3 elements of the last page
    assert body["paging"] == {"start": 20, "count": 10, "total": 23, "links": body["paging"]["links"]}
    assert set(_links(body)) == {"prev"}
    assert _links(body)["prev"][1] == {"q": "byColor", "color": "red", "start": "10", "count": "10"}

    body = client.get("/v2/widgets?q=byColor&color=red&start=5&count=3").json()
    links = _links(body)
    assert links["prev"][1]["start"] == "2" and links["next"][1]["start"] == "8"

    # following next links walks the whole result exactly once
    seen, url = [], "/v2/widgets?q=byColor&color=red&count=7"
    while url:
        body = client.get(url).json()
        seen += [w["wid"] for w in body["elements"]]
        url = next((link["href"] for link in body["paging"]["links"] if link["rel"] == "next"), None)
    assert seen == [f"w{i:02}" for i in range(23)]

    body = client.get("/v2/widgets?q=byColor&color=red&start=100").json()
    assert body["elements"] == [] and body["paging"]["total"] == 23 and body["paging"]["count"] == 10


def test_links_keep_an_encoded_2_0_query(client, world):
    for i in range(3):
        world.add_widget(ORG, f"w{i}", color="a b,c")
    body = client.get("/v2/widgets?q=byColor&color=a%20b%2Cc&count=1", headers=V2).json()
    href = body["paging"]["links"][0]["href"]
    assert "color=a%20b%2Cc" in href
    assert client.get(href, headers=V2).json()["elements"][0]["wid"] == "w1"


def test_self_paged_finder(client, world):
    for i in range(7):
        world.add_widget(ORG, f"w{i}")
    body = client.get("/v2/widgets?q=paged&start=0").json()
    assert [w["wid"] for w in body["elements"]] == ["w0", "w1"]  # its own default count
    assert body["paging"]["total"] == 7 and body["paging"]["count"] == 2
    assert _links(body)["next"][1]["start"] == "2"
    body = client.get("/v2/widgets?q=paged&start=4&count=5").json()
    assert [w["wid"] for w in body["elements"]] == ["w4", "w5", "w6"]
    assert set(_links(body)) == {"prev"}
    assert_error(client.get("/v2/widgets?q=paged"), 400, "'start'")
    assert_error(client.get("/v2/widgets?q=paged&start=0&count=6"), 400, "'count' must be at most 5")


@pytest.mark.parametrize("query, fragment", [
    ("start=-1", "'start' must be at least 0"),
    ("count=-5", "'count' must be at least 0"),
    ("count=101", "'count' must be at most 100"),
    ("start=abc", "'start' must be an integer"),
    ("count=1.5", "'count' must be an integer"),
    ("count=1_0", "'count' must be an integer"),
    ("start=1&start=2", "'start' is given more than once"),
])
def test_paging_errors(client, world, query, fragment):
    assert_error(client.get(f"/v2/widgets?q=byColor&color=red&{query}"), 400, fragment)
    assert_error(client.get(f"/v2/widgets?{query}"), 400, fragment)
    assert world.calls == []


def test_get_all_pages(client, world):
    for i in range(12):
        world.add_widget(ORG, f"w{i:02}")
    body = client.get("/v2/widgets?count=5&start=10").json()
    assert [w["wid"] for w in body["elements"]] == ["w10", "w11"]
    assert body["paging"]["total"] == 12
    assert _links(body)["prev"] == ("/v2/widgets", {"start": "5", "count": "5"})


def test_projection_on_get_batch_get_and_finder(client, world):
    world.add_widget(ORG, "a")
    world.add_widget(ORG, "b")
    response = client.get(f"/v2/widgets/{v1('a')}?fields=wid,spec:(b)")
    assert response.json() == {"wid": "a", "spec": {"b": 2}}
    body = client.get(f"/v2/widgets?{ids_v1('a', 'b')}&fields=color").json()
    assert body["results"] == {v1("a"): {"color": "red"}, v1("b"): {"color": "red"}}
    body = client.get("/v2/widgets?q=byColor&color=red&fields=wid,nothing").json()
    assert body["elements"] == [{"wid": "a"}, {"wid": "b"}]
    assert "fields=wid,nothing" not in str(body["paging"]["links"])  # no further page
    body = client.get("/v2/widgets?q=byColor&color=red&fields=wid%2Csize&count=1").json()
    assert body["elements"] == [{"wid": "a", "size": 1}]
    assert "fields=wid%2Csize" in body["paging"]["links"][0]["href"]
    # a projection never applies to a write
    response = client.post("/v2/widgets?fields=wid", json={"org": ORG, "wid": "c"})
    assert response.status_code == 201


@pytest.mark.parametrize("fields", ["wid,", "(wid)", "spec:(a", "wid)", "List(wid)", "wid,,color"])
def test_malformed_projection_is_400_before_the_handler_runs(client, world, fields):
    world.add_widget(ORG, "a")
    assert_error(client.get(f"/v2/widgets/{v1('a')}?fields={quote(fields)}"), 400, "Malformed fields parameter")
    assert world.calls == []


# ---- sub-resources -----------------------------------------------------------------------------------------------


def test_sub_resource_with_a_postman_style_parent_key(client, world):
    parent = "org=urn:li:organization:1000&wid=w1"
    response = client.put(f"/v2/widgets/{parent}/notes?ids=CALLBACK_URL&ids=OTHER",
                          headers={"x-restli-method": "batch_update"},
                          json={"entities": {"CALLBACK_URL": {"value": "https://x"}, "OTHER": {"value": 1}}})
    assert response.status_code == 200, response.text
    assert response.json() == {"results": {"CALLBACK_URL": {"status": 204}, "OTHER": {"status": 204}}, "errors": {}}
    assert world.calls[0].parent_key == k("w1")
    # the parent key in another form names the same parent
    response = client.get(f"/v2/widgets/{keycodec.url_key(k('w1'), 2)}/notes?ids=List(CALLBACK_URL,NOPE)",
                          headers=V2)
    body = response.json()
    assert body["results"] == {"CALLBACK_URL": {"value": "https://x"}}
    assert list(body["errors"]) == ["NOPE"]
    assert_error(client.get("/v2/widgets//notes?ids=a"), 400, "Missing the key of the parent")


def test_sub_resource_location_and_links_keep_the_parent_key(client, world):
    parent = "org=urn:li:organization:1000&wid=w1"
    response = client.post(f"/v2/widgets/{parent}/notes", json={"id": "n 1", "text": "hello"})
    assert response.status_code == 201
    assert response.json() == {"id": "n 1", "text": "hello"}
    assert response.headers["location"] == f"/v2/widgets/{parent}/notes/n%201"
    assert client.get(response.headers["location"]).json()["text"] == "hello"
    for i in range(3):
        client.post(f"/v2/widgets/{parent}/notes", json={"id": f"m{i}"})
    body = client.get(f"/v2/widgets/{parent}/notes?q=all&count=2").json()
    assert len(body["elements"]) == 2
    path, query = _links(body)["next"]
    assert path == f"/v2/widgets/{parent}/notes"
    assert client.get(body["paging"]["links"][0]["href"]).json()["elements"]


# ---- query tunnelling ------------------------------------------------------------------------------------------------


def test_tunnelled_batch_get_and_finder(client, world):
    world.add_widget(ORG, "a")
    world.add_widget(ORG, "b", color="blue")
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-HTTP-Method-Override": "GET"}
    response = client.post("/v2/widgets", headers=form, content=ids_v2("a", "b", "c").encode())
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["results"]) == {v1("a"), v1("b")} and list(body["errors"]) == [v1("c")]
    assert world.methods == ["BATCH_GET"]
    response = client.post("/v2/widgets?q=byColor", headers={**form, **V2}, content=b"color=blue&fields=wid")
    assert response.json()["elements"] == [{"wid": "b"}]
    assert world.methods[-1] == "FINDER"
    # the URL's own query and the tunnelled one together
    response = client.post("/v2/widgets?fields=color", headers=form, content=ids_v1("a").encode())
    assert response.json()["results"] == {v1("a"): {"color": "red"}}


def test_tunnelled_batch_update_as_multipart(client, world):
    headers, content = tunnelled(
        "PUT", ids_v2("a", "b"), {"entities": {v2("a"): {"color": "é"}, v2("b"): {}}})
    response = client.post("/v2/widgets", content=content, headers={**headers, "X-RestLi-Method": "BATCH_UPDATE", **V2})
    assert response.status_code == 200, response.text
    assert response.json() == {"results": {v2("a"): {"status": 204}, v2("b"): {"status": 204}}, "errors": {}}
    assert world.widgets[keycodec.canonical(k("a"))]["color"] == "é"
    assert world.methods == ["BATCH_UPDATE"]


@pytest.mark.parametrize("verb, headers, content, fragment", [
    ("PUT", {"X-HTTP-Method-Override": "GET"}, b"", "only accepted on POST"),
    ("POST", {"X-HTTP-Method-Override": "GET", "Content-Type": "application/json"}, b"{}", "not application/json"),
    ("POST", {"X-HTTP-Method-Override": "PUT", "Content-Type": "multipart/mixed; boundary=b"},
     b"--b\r\nContent-Type: text/plain\r\n\r\nids=x\r\n--b--\r\n", "two parts"),
    ("POST", {"X-HTTP-Method-Override": "PUT", "Content-Type": "multipart/mixed"}, b"garbage", "two parts"),
    ("POST", {"X-HTTP-Method-Override": "PATCH", "Content-Type": "application/x-www-form-urlencoded"}, b"", "PATCH"),
])
def test_tunnelling_errors(client, world, verb, headers, content, fragment):
    response = client.request(verb, "/v2/widgets", headers=headers, content=content)
    assert response.status_code in (400, 405)
    assert_error(response, response.status_code, fragment)
    assert world.calls == []


# ---- property: any key survives create → Location → get ------------------------------------------------------------

awkward = st.text(alphabet=":,()'%&=+ /é中.$-_aZ0", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                  HealthCheck.function_scoped_fixture])
@given(org=awkward, wid=awkward, protocol=st.sampled_from([1, 2]))
def test_created_keys_come_back_through_their_location(org, wid, protocol):
    world = World()
    app, _ = build(world)
    client = Client(app)
    headers = V2 if protocol == 2 else {}
    response = client.post("/v2/widgets", json={"org": org, "wid": wid}, headers=headers)
    assert response.status_code == 201, response.text
    assert keycodec.parse_key(response.headers["x-restli-id"], PARTS) == {"org": org, "wid": wid}
    got = client.get(response.headers["location"], headers=headers)
    assert got.status_code == 200, (response.headers["location"], got.text)
    assert got.json() == {"org": org, "wid": wid}
    # and it answers a batch get in either ids form, under the key the protocol prescribes
    key = {"org": org, "wid": wid}
    for query in (f"ids[0].org={quote(org, safe='')}&ids[0].wid={quote(wid, safe='')}",
                  "ids=List(" + keycodec.url_key(key, 2) + ")"):
        body = client.get(f"/v2/widgets?{query}", headers=headers).json()
        assert list(body["results"]) == [keycodec.format_key(key, protocol)]


@settings(max_examples=300, deadline=None, database=None)
@given(value=st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8))
def test_reply_bodies_are_compact_utf8_json_of_the_value(value):
    """render.json_body: compact JSON (no whitespace between tokens, as Rest.li's JacksonDataCodec writes), UTF-8
    with non-ASCII characters as themselves, reading back to the value; an integer beyond 64 bits too."""
    import json

    from mock_server.restli.render import json_body

    body = json_body(value)
    assert json.loads(body) == value
    if not _has_float(value):
        assert body.decode("utf-8") == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _has_float(value) -> bool:
    """Whether ``value`` holds a float (whose spelling json and orjson may write differently, e.g. 1e-05)."""
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(_has_float(item) for item in value)
    if isinstance(value, dict):
        return any(_has_float(item) for item in value.values())
    return False

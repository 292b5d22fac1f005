"""The smaller Rest.li pieces: patches, projections, query accessors, paging, method resolution, errors and
tunnel decoding."""

from __future__ import annotations

import contextlib
import copy
import json
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.restli import jsonbody, tunnel
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.integers import MAX_DIGITS, NumberError, parse_int
from mock_server.restli.jsonbody import parse_object
from mock_server.restli.keys import MAX_DEPTH
from mock_server.restli.methods import METHODS, VERB, resolve_method
from mock_server.restli.paging import (
    DEFAULT_COUNT,
    MAX_COUNT,
    Page,
    paging_block,
    read_page,
)
from mock_server.restli.patch import apply_patch, patched_fields, read_patch
from mock_server.restli.projection import parse_fields, project
from mock_server.restli.query import Query, split_query
from mock_server.restli.render import ERROR_HEADER, error_response
from mock_server.restli.tunnel import untunnel

SETTINGS = settings(max_examples=200, deadline=None, database=None)


def q(raw: str) -> Query:
    return Query(split_query(raw))


@contextlib.contextmanager
def raises_400(fragment: str):
    """Like pytest.raises(RestliError), also checking the status is 400 and the message names ``fragment``."""
    with pytest.raises(RestliError) as raised:
        yield raised
    assert raised.value.status == 400, raised.value
    assert fragment in raised.value.message, raised.value.message


# ---- patches --------------------------------------------------------------------------------------------------

DOC = {"name": "a", "tags": ["x", "y"], "address": {"city": "Oslo", "zip": "0150", "geo": {"lat": 1, "lon": 2}},
       "empty": None}


def test_set_replaces_fields_and_arrays_whole():
    out = apply_patch(DOC, {"$set": {"name": "b", "tags": ["z"], "new": {"k": 1}}})
    assert out == {**DOC, "name": "b", "tags": ["z"], "new": {"k": 1}}


def test_delete_removes_fields_and_ignores_absent_ones():
    out = apply_patch(DOC, {"$delete": ["name", "nothing"]})
    assert out == {k: v for k, v in DOC.items() if k != "name"}


def test_nested_patches():
    out = apply_patch(DOC, {"address": {"$set": {"city": "Bergen"}, "$delete": ["zip"], "geo": {"$set": {"lat": 9}}}})
    assert out["address"] == {"city": "Bergen", "geo": {"lat": 9, "lon": 2}}
    assert out["name"] == "a"
    # a nested patch on an absent field creates it
    assert apply_patch({}, {"meta": {"$set": {"a": 1}}}) == {"meta": {"a": 1}}
    # $set of a whole nested object replaces it (no merge)
    assert apply_patch(DOC, {"$set": {"address": {"city": "X"}}})["address"] == {"city": "X"}


def test_patch_never_changes_its_input():
    before = copy.deepcopy(DOC)
    patch = {"$set": {"tags": ["q"]}, "address": {"geo": {"$set": {"lat": 5}}}}
    patch_before = copy.deepcopy(patch)
    out = apply_patch(DOC, patch)
    assert DOC == before and patch == patch_before
    out["tags"].append("mutated")
    out["address"]["geo"]["lon"] = 99
    assert DOC == before and patch == patch_before


@pytest.mark.parametrize("patch, fragment", [
    ({"$set": ["a"]}, "$set must be an object"),
    ({"$set": "a"}, "$set must be an object"),
    ({"$delete": "name"}, "$delete must be a list of field names"),
    ({"$delete": [1]}, "$delete must be a list of field names"),
    ({"$delete": {"name": True}}, "$delete must be a list"),
    ({"name": {"$set": {"x": 1}}}, "name is not an object"),
    ({"tags": {"$delete": ["x"]}}, "tags is not an object"),
    ({"empty": {"$set": {"x": 1}}}, "empty is not an object"),
    ({"address": {"geo": {"$set": 1}}}, "address.geo.$set must be an object"),
    ({"address": {"geo": {"lat": {"$set": {}}}}}, "address.geo.lat is not an object"),
    ({"$unset": ["name"]}, 'unknown operation "$unset"'),
    ({"name": "b"}, 'unknown operation "name"'),
    ({"address": {"city": "b"}}, 'unknown operation address."city"'),
    ({"$set": {"name": "b"}, "$delete": ["name"]}, "name is given both $set and $delete"),
    ({"$delete": ["name"], "$set": {"name": "b"}}, "name is given both $set and $delete"),
    ({"$set": {"address": {}}, "address": {"$set": {"city": "x"}}}, "address is given both $set and a nested patch"),
    ({"address": {"$delete": ["geo"], "geo": {"$set": {"lat": 0}}}}, "address.geo is given both"),
])
def test_bad_patches_are_400(patch, fragment):
    with raises_400(fragment):
        apply_patch(DOC, patch)


@pytest.mark.parametrize("body, fragment", [
    ({"$set": {}}, "expected {\"patch\""),
    ({"patch": []}, "expected {\"patch\""),
    ([], "expected {\"patch\""),
    ({"patch": {}, "extra": 1}, "unknown field(s) extra beside 'patch'"),
])
def test_read_patch_errors(body, fragment):
    with raises_400(fragment):
        read_patch(body)


def test_read_patch_names_where():
    assert read_patch({"patch": {"$set": {"a": 1}}}) == {"$set": {"a": 1}}
    with raises_400("Malformed entity org=x"):
        read_patch({}, "entity org=x")


def test_patched_fields():
    assert patched_fields({"$set": {"a": 1, "b": 2}, "$delete": ["c"], "d": {"$set": {"e": 1}}}) == {"a", "b", "c", "d"}
    assert patched_fields({}) == set()
    assert patched_fields({"$set": "junk", "$delete": "junk"}) == set()


json_leaf = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
json_values = st.recursive(json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c,
                                                                                            max_size=3), max_leaves=5)
field_names = st.text(alphabet="abcdef", min_size=1, max_size=3)
documents = st.dictionaries(field_names, json_values, max_size=6)


@SETTINGS
@given(documents, st.dictionaries(field_names, json_values, max_size=4), st.lists(field_names, max_size=4))
def test_set_and_delete_properties(document, to_set, to_delete):
    to_delete = [f for f in to_delete if f not in to_set]
    before = copy.deepcopy(document)
    out = apply_patch(document, {"$set": to_set, "$delete": to_delete})
    assert document == before
    expected = {k: v for k, v in document.items() if k not in to_delete}
    expected.update(to_set)
    assert out == expected


# ---- projections ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, tree", [
    (None, None),
    ("", None),
    ("id", {"id": None}),
    ("id,firstName", {"id": None, "firstName": None}),
    (" id , firstName ", {"id": None, "firstName": None}),
    ("name:(first,last)", {"name": {"first": None, "last": None}}),
    ("a,b:(c:(d,e),f),g", {"a": None, "b": {"c": {"d": None, "e": None}, "f": None}, "g": None}),
    ("elements:(id)", {"elements": {"id": None}}),
])
def test_parse_fields(text, tree):
    assert parse_fields(text) == tree


@pytest.mark.parametrize("text, fragment", [
    ("a,,b", "empty field name"),
    ("a,", "empty field name"),
    (",a", "empty field name"),
    ("a:(b,)", "empty field name"),
    ("a:()", "empty field name"),
    ("(a)", "empty field name"),
    ("a:(b", "missing ')'"),
    ("a:(b:(c)", "missing ')'"),
    ("a)", 'unexpected ")"'),
    ("a:b", 'unexpected ":"'),
    ("List(a,b)", 'unexpected "("'),
])
def test_parse_fields_errors(text, fragment):
    with raises_400(fragment):
        parse_fields(text)


@pytest.mark.parametrize("text", ["a:(" * 2000 + "b" + ")" * 2000, "a:(" * 2000,
                                  "a:(" * (MAX_DEPTH + 1) + "b" + ")" * (MAX_DEPTH + 1)])
def test_parse_fields_refuses_deep_nesting(text):
    with raises_400("Malformed fields parameter: nested too deeply"):
        parse_fields(text)


def test_parse_fields_takes_nesting_up_to_the_limit():
    tree = parse_fields("a:(" * MAX_DEPTH + "b" + ")" * MAX_DEPTH)
    for _ in range(MAX_DEPTH):
        tree = tree["a"]
    assert tree == {"b": None}


def test_project():
    entity = {"id": 1, "name": {"first": "A", "last": "B", "title": None}, "tags": [{"k": 1, "v": 2}, {"k": 3}],
              "n": 5}
    assert project(entity, None) is entity
    assert project(entity, {"id": None, "missing": None}) == {"id": 1}
    assert project(entity, {"name": {"first": None, "title": None}}) == {"name": {"first": "A", "title": None}}
    assert project(entity, {"tags": {"k": None}}) == {"tags": [{"k": 1}, {"k": 3}]}
    assert project(entity, {"n": {"x": None}}) == {"n": 5}  # a sub-projection on a scalar keeps the scalar
    assert project([entity, {"id": 2}], {"id": None}) == [{"id": 1}, {"id": 2}]
    assert project("scalar", {"id": None}) == "scalar"


@SETTINGS
@given(st.dictionaries(field_names, json_values, max_size=6), st.lists(field_names, min_size=1, max_size=4))
def test_projection_keeps_exactly_the_named_fields(entity, names):
    out = project(entity, parse_fields(",".join(names)))
    assert set(out) == set(names) & set(entity)
    assert all(out[name] == entity[name] for name in out)


# ---- query accessors -----------------------------------------------------------------------------------------------


def test_split_query_keeps_values_raw():
    assert split_query("a=1&&b=x%20y&c&d=e=f&") == [("a", "1"), ("b", "x%20y"), ("c", ""), ("d", "e=f")]
    assert split_query("") == []


def test_get_and_friends():
    query = q("q=criteria&viewer=urn%3Ali%3Aseat%3A1&n=5&flag=TRUE&empty=&dup=1&dup=2&%73tart=3&a+b=c+d")
    assert query.get("q") == "criteria"
    assert query.get("viewer") == "urn:li:seat:1"
    assert query.get("start") == "3"  # names are %-decoded for lookups
    assert query.get("a+b") == "c+d"  # '+' is not a space
    assert query.get("absent") is None and query.get("absent", "d") == "d"
    assert query.has("q") and query.has("empty") and not query.has("nothing")
    assert query.raw_values("viewer") == ["urn%3Ali%3Aseat%3A1"]
    assert query.raw_values("dup") == ["1", "2"]
    with raises_400("'dup' is given more than once"):
        query.get("dup")
    assert query.require("q") == "criteria"
    for name in ("absent", "empty"):
        with raises_400(f"Missing required query parameter '{name}'"):
            query.require(name)
    assert query.get_int("n") == 5
    assert query.get_int("absent", 7) == 7 and query.get_int("empty", 8) == 8
    assert query.get_bool("flag") is True
    assert query.get_bool("absent") is None


@pytest.mark.parametrize("value, expected", [("0", 0), ("-3", -3), ("+4", 4), ("1700000000000", 1700000000000)])
def test_get_int_accepts(value, expected):
    assert q(f"x={quote(value)}").get_int("x") == expected


@pytest.mark.parametrize("value", ["abc", "1.5", "1e3", "1_000", " 5", "5 ", "٣", "0x10", "--1", "²", "5\n",
                                   "9" * 5000, "1" * (MAX_DIGITS + 1)])
def test_get_int_rejects(value):
    with raises_400("'x' must be an integer"):
        q(f"x={quote(value)}").get_int("x")


@pytest.mark.parametrize("text, kwargs, value", [
    ("0", {}, 0), ("007", {}, 7), ("9" * MAX_DIGITS, {}, int("9" * MAX_DIGITS)), ("-5", {"signed": True}, -5),
    ("+5", {"signed": True}, 5), ("5", {"minimum": 5, "maximum": 5}, 5),
])
def test_parse_int_accepts(text, kwargs, value):
    assert parse_int(text, **kwargs) == value


@pytest.mark.parametrize("text, kwargs, reason", [
    ("²", {}, 'must be an integer, got "²"'),
    ("٣", {}, "must be an integer"),
    ("1_000", {}, "must be an integer"),
    ("5\n", {}, "must be an integer"),
    (" 5", {}, "must be an integer"),
    ("", {}, "must be an integer"),
    ("-5", {}, "must be at least 0, got -5"),
    ("+5", {}, "must be an integer"),
    ("9" * 5000, {}, "at most 18 digits"),
    ("1" * (MAX_DIGITS + 1), {"signed": True}, "at most 18 digits"),
    ("4", {"minimum": 5}, "must be at least 5, got 4"),
    ("6", {"maximum": 5}, "must be at most 5, got 6"),
])
def test_parse_int_rejects(text, kwargs, reason):
    with pytest.raises(NumberError) as raised:
        parse_int(text, **kwargs)
    assert reason in str(raised.value)
    assert len(str(raised.value)) < 100  # a huge input is not echoed whole


def test_get_int_minimum_and_bool_errors():
    with raises_400("'x' must be at least 1, got 0"):
        q("x=0").get_int("x", minimum=1)
    assert q("x=1").get_int("x", minimum=1) == 1
    with raises_400("'x' must be true or false, got \"yes\""):
        q("x=yes").get_bool("x")
    assert q("x=False").get_bool("x") is False


def test_get_list_in_both_protocols():
    assert q("owners=urn:li:seat:1&owners=urn%3Ali%3Aseat%3A2").get_list("owners") == ["urn:li:seat:1",
                                                                                      "urn:li:seat:2"]
    assert q("owners=List(urn%3Ali%3Aseat%3A1,urn%3Ali%3Aseat%3A2)").get_list("owners") == ["urn:li:seat:1",
                                                                                           "urn:li:seat:2"]
    assert q("owners=List(a%2Cb,c)&owners=d").get_list("owners") == ["a,b", "c", "d"]
    assert q("owners=List()").get_list("owners") == []
    assert q("owners=List('')").get_list("owners") == [""]
    assert q("other=1").get_list("owners") == []
    assert q("%6Fwners=x").get_list("owners") == ["x"]


@pytest.mark.parametrize("raw, fragment", [
    ("owners=List(a,b", "Malformed query parameter 'owners'"),
    ("owners=List(a))", "Malformed query parameter 'owners'"),
    ("owners=List((a:b))", "expected a list of strings"),
    ("owners=List(List(a))", "expected a list of strings"),
])
def test_get_list_errors(raw, fragment):
    with raises_400(fragment):
        q(raw).get_list("owners")


def test_get_object_in_both_protocols():
    one = q("q=criteria&timeRange.start=1700000000000&timeRange.end=1700000001000")
    two = q("q=criteria&timeRange=(start:1700000000000,end:1700000001000)")
    both = {"start": "1700000000000", "end": "1700000001000"}
    assert one.get_object("timeRange") == two.get_object("timeRange") == both
    assert q("range=(owner:urn%3Ali%3Aseat%3A1)").get_object("range") == {"owner": "urn:li:seat:1"}
    assert q("range.owner=urn%3Ali%3Aseat%3A1").get_object("range") == {"owner": "urn:li:seat:1"}
    assert q("range%2Eowner=x").get_object("range") == {"owner": "x"}
    assert q("q=x").get_object("timeRange") == {}
    assert q("timeRange=()").get_object("timeRange") == {}
    assert q("timeRangeX.start=1").get_object("timeRange") == {}


@pytest.mark.parametrize("raw, fragment", [
    ("timeRange=(start:(a:b))", "Malformed query parameter 'timeRange': field 'start' must be a value, not an object"),
    ("timeRange=(start:List(1))", "Malformed query parameter 'timeRange': field 'start' must be a value, not a list"),
    ("timeRange=" + "(a:" * 2000 + "x" + ")" * 2000, "nested too deeply"),
    ("timeRange=(start:1", "Malformed query parameter 'timeRange'"),
    ("timeRange=", "Malformed query parameter 'timeRange'"),
    ("timeRange=1700000000000", "expected (field:value,...)"),
    ("timeRange=List(1,2)", "expected (field:value,...)"),
    ("timeRange.start=1&timeRange=(start:2)", "Query parameter 'timeRange.start' is given more than once"),
    ("timeRange=(start:1)&timeRange=(start:2)", "Query parameter 'timeRange.start' is given more than once"),
    ("timeRange.start=1&timeRange.start=2", "Query parameter 'timeRange.start' is given more than once"),
])
def test_get_object_errors(raw, fragment):
    with raises_400(fragment):
        q(raw).get_object("timeRange")


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=8), max_size=5))
def test_get_list_round_trips_any_strings(items):
    listed = "List(" + ",".join(quote(item, safe="") for item in items) + ")"
    repeated = "&".join(f"v={quote(item, safe='')}" for item in items)
    assert q(f"v={listed}").get_list("v") == items
    assert q(repeated).get_list("v") == items


# ---- paging -------------------------------------------------------------------------------------------------------


def test_read_page_defaults_and_bounds():
    assert read_page(q("")) == Page(0, DEFAULT_COUNT) == Page()
    assert (DEFAULT_COUNT, MAX_COUNT) == (10, 100)
    assert read_page(q("start=20&count=100")) == Page(20, 100)
    assert read_page(q("count=0")) == Page(0, 0)
    assert read_page(q(""), default_count=50, max_count=200) == Page(0, 50)
    assert read_page(q("count=200"), max_count=200) == Page(0, 200)
    assert read_page(q("start=0"), require_start=True) == Page(0, 10)


@pytest.mark.parametrize("raw, kwargs, fragment", [
    ("start=-1", {}, "'start' must be at least 0"),
    ("count=-1", {}, "'count' must be at least 0"),
    ("count=101", {}, "'count' must be at most 100, got 101"),
    ("count=51", {"max_count": 50}, "at most 50"),
    ("start=x", {}, "'start' must be an integer"),
    ("count=ten", {}, "'count' must be an integer"),
    ("count=10&count=20", {}, "given more than once"),
    ("count=10", {"require_start": True}, "'start'"),
])
def test_read_page_errors(raw, kwargs, fragment):
    with raises_400(fragment):
        read_page(q(raw), **kwargs)


def test_paging_block():
    query = q("q=criteria&owners=List(urn%3Ali%3Aseat%3A1)&start=10&count=10")
    block = paging_block(Page(10, 10), 10, 35, "/v2/prospectNotes", query)
    assert block["start"] == 10 and block["count"] == 10 and block["total"] == 35
    assert block["links"] == [
        {"rel": "prev", "href": "/v2/prospectNotes?q=criteria&owners=List(urn%3Ali%3Aseat%3A1)&start=0&count=10",
         "type": "application/json"},
        {"rel": "next", "href": "/v2/prospectNotes?q=criteria&owners=List(urn%3Ali%3Aseat%3A1)&start=20&count=10",
         "type": "application/json"},
    ]
    assert paging_block(Page(0, 10), 3, 3, "/v2/x", q(""))["links"] == []
    assert paging_block(Page(0, 0), 0, 3, "/v2/x", q(""))["links"] == []  # count=0: no endless next link
    assert [link["rel"] for link in paging_block(Page(3, 10), 0, 3, "/v2/x", q(""))["links"]] == ["prev"]
    prev = paging_block(Page(3, 10), 0, 3, "/v2/x", q(""))["links"][0]["href"]
    assert prev == "/v2/x?start=0&count=10"


# ---- method resolution --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("verb, header, flags, method", [
    ("GET", None, "key", "GET"),
    ("GET", None, "ids", "BATCH_GET"),
    ("GET", None, "q", "FINDER"),
    ("GET", None, "ids q", "BATCH_GET"),
    ("GET", None, "", "GET_ALL"),
    ("POST", None, "", "CREATE"),
    ("POST", None, "key", "PARTIAL_UPDATE"),
    ("POST", None, "action", "ACTION"),
    ("POST", None, "action ids", "ACTION"),
    ("PUT", None, "key", "UPDATE"),
    ("PUT", None, "ids", "BATCH_UPDATE"),
    ("PUT", None, "", "BATCH_UPDATE"),
    ("DELETE", None, "key", "DELETE"),
    ("DELETE", None, "ids", "BATCH_DELETE"),
    ("post", "batch_create", "", "BATCH_CREATE"),
    ("POST", "Batch_Partial_Update", "ids", "BATCH_PARTIAL_UPDATE"),
    ("PUT", "batch_update", "ids", "BATCH_UPDATE"),
    ("GET", "  finder ", "q", "FINDER"),
    ("GET", "", "key", "GET"),  # an empty header is no header
])
def test_resolve_method(verb, header, flags, method):
    names = flags.split()
    assert resolve_method(verb, header, "key" in names, "ids" in names, "q" in names, "action" in names) == method


@pytest.mark.parametrize("verb, header, flags, status, fragment", [
    ("POST", None, "ids", 400, "X-RestLi-Method: BATCH_PARTIAL_UPDATE"),
    ("POST", "delete", "key", 400, "does not match the HTTP method POST"),
    ("GET", "batch_get_all", "", 400, "Invalid X-RestLi-Method"),
    ("PATCH", None, "key", 405, "PATCH"),
    ("HEAD", None, "", 405, "HEAD"),
])
def test_resolve_method_errors(verb, header, flags, status, fragment):
    names = flags.split()
    with pytest.raises(RestliError) as raised:
        resolve_method(verb, header, "key" in names, "ids" in names, "q" in names, "action" in names)
    assert raised.value.status == status and fragment in raised.value.message


def test_every_method_has_a_verb():
    assert set(VERB) == set(METHODS)
    for method in METHODS:
        assert resolve_method(VERB[method], method.lower(), False, False, False, False) == method


# ---- JSON bodies ---------------------------------------------------------------------------------------------------


def test_parse_object_keeps_good_json():
    raw = rb'{"a": [1, {"b": "\u00e9\ud83d\ude00"}], "c/d": null}'
    assert parse_object(raw) == {"a": [1, {"b": "é😀"}], "c/d": None}
    nested = '{"a":' * (MAX_DEPTH - 1) + "[]" + "}" * (MAX_DEPTH - 1)
    assert parse_object(nested.encode())


@pytest.mark.parametrize("raw, fragment", [
    (rb'{"name": "\ud800"}', "/name holds a lone surrogate"),
    (rb'{"a": {"b": ["ok", "x\udfff"]}}', "/a/b/1 holds a lone surrogate"),
    (rb'{"a": {"k\udc00": 1}}', "/a/k\\udc00 holds a lone surrogate"),  # the key itself, shown escaped
    (rb'{"a/b": {"~": "\ud800"}}', "/a~1b/~0 holds a lone surrogate"),  # RFC 6901 escapes
    ('{"name": "\ud800"}'.encode("utf-8", "surrogatepass"), "/name holds a lone surrogate"),  # raw bytes
    (rb'{"name": "\ude00\ud83d"}', "/name holds a lone surrogate"),  # a pair in the wrong order
])
def test_parse_object_refuses_lone_surrogates(raw, fragment):
    with raises_400(fragment) as raised:
        parse_object(raw)
    raised.value.message.encode("utf-8")  # the message itself can be sent (no surrogate in it)


@pytest.mark.parametrize("raw, fragment", [
    (b'{"a": 1, "a": 2}', "/a is given more than once"),
    (b'{"entities": {"k=1": {}, "k=1": {"x": 5}}}', "/entities/k=1 is given more than once"),
    (b'{"a": [{"b": 1, "c": 2, "b": 1}]}', "/a/0/b is given more than once"),
])
def test_parse_object_refuses_duplicate_keys(raw, fragment):
    with raises_400(fragment):
        parse_object(raw)


@pytest.mark.parametrize("raw, fragment", [
    (b'{"a": 1e400}', "/a is a number too large"),
    (b'{"a": {"b": [0, -1.5e309]}}', "/a/b/1 is a number too large"),
])
def test_parse_object_refuses_numbers_too_large_for_a_double(raw, fragment):
    with raises_400(fragment):  # they would parse as infinity, which JSON cannot write back
        parse_object(raw)


@pytest.mark.parametrize("raw", [
    ('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)).encode(),
    ('{"a":' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}").encode(),
    b"[" * 100_000,
])
def test_parse_object_refuses_deep_nesting(raw):
    with raises_400("nested too deeply"):
        parse_object(raw)


# ---- errors --------------------------------------------------------------------------------------------------------


def test_restli_error_and_its_response():
    error = RestliError(429, "Too many", headers={"Retry-After": "5"})
    assert error.body() == {"status": 429, "serviceErrorCode": 429, "message": "Too many"}
    assert RestliError(401, "Invalid access token", 65600).body()["serviceErrorCode"] == 65600
    assert RestliError(404, "x", 0).body()["serviceErrorCode"] == 0
    assert str(error) == "Too many" and "429" in repr(error)
    response = error_response(error, "2.0.0")
    assert response.status_code == 429
    assert json.loads(response.body) == error.body()
    assert response.headers[ERROR_HEADER] == "true"
    assert response.headers["retry-after"] == "5"
    assert response.headers["x-restli-protocol-version"] == "2.0.0"
    assert response.headers["content-type"].startswith("application/json")
    assert "x-restli-protocol-version" not in error_response(RestliError(400, "x")).headers


def test_field_error():
    assert field_error("/name", "is required").body() == {"status": 422, "serviceErrorCode": 422,
                                                          "message": "ERROR :: /name :: is required"}
    assert field_error("a/b", "bad", 400).message == "ERROR :: /a/b :: bad"


# ---- tunnel decoding ---------------------------------------------------------------------------------------------


def test_untunnel_form():
    assert untunnel("application/x-www-form-urlencoded; charset=UTF-8", b"q=x&ids=List(a)\r\n") == ("q=x&ids=List(a)",
                                                                                                    b"")
    assert untunnel("", b"a=1") == ("a=1", b"")


def test_untunnel_multipart():
    body = (b"--B\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nids=List(a,b)\r\n"
            b"--B\r\nContent-Type: application/json\r\n\r\n{\"entities\": {\"a\": {\"t\": \"\xc3\xa9\"}}}\r\n--B--\r\n")
    query, payload = untunnel('multipart/mixed; boundary="B"', body)
    assert query == "ids=List(a,b)"
    assert json.loads(payload) == {"entities": {"a": {"t": "é"}}}


@pytest.mark.parametrize("content_type, body", [
    ("multipart/mixed; boundary=B", b"--B\r\n\r\nonly one\r\n--B--\r\n"),
    ("multipart/mixed; boundary=B", b"not multipart at all"),
    ("multipart/mixed", b"--B\r\n\r\na\r\n--B\r\n\r\nb\r\n--B--\r\n"),
])
def test_untunnel_multipart_needs_two_parts(content_type, body):
    with raises_400("two parts"):
        untunnel(content_type, body)


def test_untunnel_rejects_other_content_types():
    with raises_400("not text/plain"):
        untunnel("text/plain", b"q=x")


def answer(function, *args):
    """What ``function(*args)`` gives: ``("ok", value)`` or the RestliError's status and message."""
    try:
        return "ok", function(*args)
    except RestliError as error:
        return "error", error.status, error.message


def same_without(module, name, replacement, function, *args):
    """``function(*args)`` answers the same with ``module.name`` replaced by ``replacement`` (the general path)."""
    fast = answer(function, *args)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(module, name, replacement)
        assert answer(function, *args) == fast


# ---- JSON bodies: the walk skipped when nothing can be wrong ---------------------------------------------------

json_leaves = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
               | st.text(alphabet="ab[]{}\"\\é😀\u2028", max_size=6))
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(alphabet="ab[]{}\"\\", max_size=3), inner, max_size=3),
                           max_leaves=20)
# Fragments spliced into a body's text: each a problem the walk reports, or text that only looks like one.
SPLICES = ['"\\ud800"', '"\ud800"', '"\\\\ud800"', '"\\uDBFF\\uDFFF"', '"\\udfff"', "1e400", "-1.5e309", '"[[[[{{{{"',
           '{"x": 1, "x": 2}', '{"x": 1, "y": 2}', "[" * 31 + "]" * 31, "[" * 33 + "]" * 33,
           '{"a":' * 32 + "1" + "}" * 32, '{"a":' * 31 + "[]" + "}" * 31]


@settings(max_examples=300, deadline=None, database=None)
@given(value=json_values, splice=st.sampled_from(SPLICES) | st.none(), depth=st.integers(0, 34),
       encoding=st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "utf-8-sig"]))
def test_parse_value_answers_as_when_it_always_walked(value, splice, depth, encoding):
    """Skipping the walk (:func:`jsonbody._check`) changes no answer: the same value, or the same 400 message."""
    text = json.dumps(value, ensure_ascii=False)
    if splice is not None:
        text = "[" * depth + f'{{"k": {text}, "s": {splice}}}' + "]" * depth
    raw = text.encode(encoding, "surrogatepass")

    same_without(jsonbody, "_shallow", lambda raw: False, jsonbody.parse_value, raw)  # as before: always walked


def slow_shallow(raw: bytes) -> bool:
    """:func:`jsonbody._shallow` as first written: every string cut out by splitting at the quotes."""
    structure = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, jsonbody._NOT_STRUCTURE)
    brackets = b"".join(structure.split(b'"')[::2])
    for _ in range(MAX_DEPTH // 2):
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    return not brackets


@settings(max_examples=300, deadline=None, database=None)
@given(value=json_values, splice=st.sampled_from(SPLICES) | st.none(), depth=st.integers(0, 34))
def test_the_shortcuts_of_the_body_checks_answer_as_the_full_checks(value, splice, depth):
    """_shallow (strings without brackets removed as adjacent quotes, escapes dropped only when there is a
    backslash) and _may_hold_surrogate (the pattern only after a backslash or 0xED) answer as the full checks."""
    text = json.dumps(value, ensure_ascii=False)
    if splice is not None:
        text = "[" * depth + f'{{"k": {text}, "s": {splice}}}' + "]" * depth
    raw = text.encode("utf-8", "surrogatepass")
    assert jsonbody._shallow(raw) == slow_shallow(raw)
    assert jsonbody._may_hold_surrogate(raw) == (jsonbody._SURROGATE_ESCAPE.search(raw) is not None)


# ---- query tunnelling: the plain multipart path reads what the email parser reads -----------------------------

PLAIN_HEADERS = ("Content-Type: application/x-www-form-urlencoded\r\n", "content-type:application/json\r\n", "")
part_headers = st.sampled_from([*PLAIN_HEADERS, "Content-Type: multipart/mixed; boundary=zz\r\n",
                                "Content-Type: message/rfc822\r\n", "X-Other: 1\r\n",
                                "Content-Transfer-Encoding: base64\r\n",
                                "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n"])
payloads = st.binary(max_size=12) | st.sampled_from([b"ids=List(a,b)&q=x+y", b'{"entities": {}}', b"YWJj",
                                                     b"a=3D\r\nb", b"line\r\n", b"\r\n\r\n", b"x\n--BND\r\ny",
                                                     b"--BND--", b"\xe9\xff"])


@settings(max_examples=400, deadline=None, database=None)
@given(boundary=st.sampled_from(["BND", '"BND"', '"B N D"', "BND; charset=x", "bnd", "BND; boundary=other"]),
       headers=st.tuples(part_headers, part_headers), bodies=st.tuples(payloads, payloads),
       preamble=st.sampled_from(["", "preamble\r\n"]), epilogue=st.sampled_from(["\r\n", "", "\r\nepilogue"]),
       newline=st.sampled_from(["\r\n", "\n"]), parts=st.integers(1, 3), padding=st.sampled_from(["", "  "]),
       plain=st.sampled_from(["all", "headers", "preamble", "newline", "parts", "padding", None]))
def test_untunnel_reads_every_multipart_body_as_the_email_parser_does(boundary, headers, bodies, preamble, epilogue,
                                                                       newline, parts, padding, plain):
    """Bodies of the plain shape clients send (read by splitting), or off it in the one respect ``plain`` names
    (``None``: in any respect), read as the email parser reads them."""
    if plain is not None:
        if plain != "headers":
            headers = tuple(header if header in PLAIN_HEADERS else "" for header in headers)
        preamble = preamble if plain == "preamble" else ""
        newline = newline if plain == "newline" else "\r\n"
        parts = parts if plain == "parts" else 2
        padding = padding if plain == "padding" else ""
    delimiter = "--" + boundary.split(";")[0].strip('"')
    chunks = [preamble.encode()]
    for index in range(parts):
        chunks.append(f"{delimiter}{padding}\r\n{headers[index % 2]}\r\n".replace("\r\n", newline).encode()
                      + bodies[index % 2] + newline.encode())
    chunks.append(f"{delimiter}--{epilogue}".encode())
    content_type, body = f"multipart/mixed; boundary={boundary}", b"".join(chunks)
    same_without(tunnel, "_plain_parts", lambda content_type, body: None, untunnel, content_type, body)


@pytest.mark.parametrize("body", [
    b"--BND\r\n\r\nx\n--BND--\r\n--BND--",  # a delimiter after a bare LF: three delimiters, two CRLF ones
    b"--BND\r\n\r\na\r\n--BND\r\n\r\nb--BND\r\n--BND--",
    b"--BND\r\n\r\na\r\n--BND \r\n\r\nb\r\n--BND--",  # padding after a delimiter
])
def test_untunnel_reads_near_plain_bodies_as_the_email_parser_does(body):
    same_without(tunnel, "_plain_parts", lambda content_type, body: None, untunnel, "multipart/mixed; boundary=BND",
                 body)

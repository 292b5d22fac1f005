"""The Rest.li key codec (mock_server.restli.keys): round trips in both protocols, URL forms, batch ``ids``
forms, the 2.0 object notation, LinkedIn's own key strings, and malformed input (always a 400)."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mock_server.restli.errors import RestliError
from mock_server.restli.keys import (
    MAX_DEPTH,
    DecodeError,
    canonical,
    check_parts,
    decode_value,
    encode_value,
    format_key,
    parse_ids,
    parse_key,
    url_key,
)
from mock_server.restli.query import split_query

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# ---- strategies --------------------------------------------------------------------------------------------

# Characters that mean something to one of the encodings, plus a few that look like %-escapes once combined.
SPECIAL = ":,()'%&=+ /[].$"
ALPHABET = SPECIAL + "aZ09AF4é中🙂\u00a0"

urns = st.builds(lambda kind, n: f"urn:li:{kind}:{n}",
                 st.sampled_from(["organization", "contract", "person", "seat", "developerApplication"]),
                 st.integers(min_value=0, max_value=10 ** 12))
nested_urns = st.builds(lambda a, b: f"urn:li:endorsement:({a},{b})", urns, st.integers(0, 10 ** 6))
values = st.one_of(
    st.text(alphabet=ALPHABET, min_size=1, max_size=16),
    st.text(min_size=1, max_size=8),  # any Unicode (no surrogates)
    urns,
    nested_urns,
)
part_names = st.from_regex(r"[a-z][A-Za-z0-9]{0,11}", fullmatch=True)
compound_keys = st.dictionaries(part_names, values, min_size=1, max_size=5)


@st.composite
def key_lists(draw):
    """1-4 distinct compound keys sharing one set of 1-4 part names."""
    names = draw(st.lists(part_names, min_size=1, max_size=4, unique=True))
    count = draw(st.integers(1, 4))
    keys = []
    for _ in range(count):
        keys.append({name: draw(values) for name in names})
    assume(len({canonical(k) for k in keys}) == len(keys))
    return names, keys


def shuffled(key: dict, rnd) -> dict:
    items = list(key.items())
    rnd.shuffle(items)
    return dict(items)


# ---- round trips ---------------------------------------------------------------------------------------------


@SETTINGS
@given(compound_keys, st.sampled_from([1, 2]), st.randoms(use_true_random=False))
def test_compound_key_round_trip(key, protocol, rnd):
    parts = tuple(shuffled(key, rnd))  # the resource may list its parts in any order
    assert parse_key(format_key(key, protocol), parts) == key


@SETTINGS
@given(values, st.sampled_from([1, 2]))
def test_simple_key_round_trip(key, protocol):
    # replies write a simple key raw in both protocols (Rest.li encodeKeyForBody / encodeKeyForHeader);
    # a URL the emulator emits carries it %-encoded, and that reads back
    assert format_key(key, protocol) == key
    assert parse_key(url_key(key, protocol), None) == key


@SETTINGS
@given(compound_keys, st.randoms(use_true_random=False))
def test_canonical_and_reply_forms_ignore_part_order(key, rnd):
    other = shuffled(key, rnd)
    assert canonical(other) == canonical(key)
    assert format_key(other, 1) == format_key(key, 1)
    assert format_key(other, 2) == format_key(key, 2)
    assert url_key(other, 2) == url_key(key, 2)
    # parts appear sorted by name in every form
    names = sorted(key)
    assert [piece.partition("=")[0] for piece in format_key(key, 1).split("&")] == names
    assert list(decode_value(format_key(key, 2))) == names


@SETTINGS
@given(compound_keys)
def test_canonical_distinguishes_different_keys(key):
    name = next(iter(key))
    changed = dict(key, **{name: key[name] + "x"})
    assert canonical(changed) != canonical(key)
    extra = dict(key, zzzExtra="1") if "zzzExtra" not in key else {k: v for k, v in key.items() if k != "zzzExtra"}
    assume(extra)
    assert canonical(extra) != canonical(key)


@SETTINGS
@given(compound_keys)
def test_compound_key_survives_a_url_path(key):
    parts = tuple(key)
    reduced = format_key(key, 2)
    for segment in (
        url_key(key, 2),                      # what the emulator puts in Location
        quote(reduced, safe=""),              # the whole 2.0 key fully %-encoded
        quote(url_key(key, 2), safe=""),      # a client that encodes the URL form once more
        url_key(key, 1),                      # 1.0 in a path, URN colons raw
        quote(format_key(key, 1), safe=""),   # 1.0 fully %-encoded
    ):
        # what reaches the server must be a valid path segment: no raw '/', '?', '#', space or non-ASCII
        assert re.fullmatch(r"[!-~]+", segment) and not set(segment) & set("/?#"), segment
        assert parse_key(segment, parts) == key, segment


@SETTINGS
@given(values)
def test_simple_key_survives_a_url_path(key):
    for segment in (url_key(key, 1), url_key(key, 2), quote(key, safe="")):
        assert re.fullmatch(r"[!-~]+", segment) and not set(segment) & set("/?#"), segment
        assert parse_key(segment, None) == key, segment


@SETTINGS
@given(compound_keys)
def test_reduced_encoding_escapes_only_structural_characters(key):
    text = format_key(key, 2)
    for value in key.values():
        escaped = "".join(f"%{ord(c):02X}" if c in "%,()':" else c for c in value)
        assert escaped in text
    # and the 1.0 form keeps URN colons raw
    one = format_key(key, 1)
    for name, value in key.items():
        assert f"{name}={value.replace('%', '%25').replace('&', '%26').replace('=', '%3D')}" in one.split("&")


# ---- batch ids ------------------------------------------------------------------------------------------------


def _indexed_pairs(keys, names, rnd, encode_brackets):
    pairs = []
    for index, key in enumerate(keys):
        for name in names:
            open_, close = ("%5B", "%5D") if encode_brackets else ("[", "]")
            pairs.append((f"ids{open_}{index}{close}.{name}", quote(key[name], safe=":")))
    rnd.shuffle(pairs)  # parts and entries may come in any order; the index gives the order
    return pairs


def _parse_query(query: str, parts):
    return parse_ids(split_query(query), parts)


@SETTINGS
@given(key_lists(), st.randoms(use_true_random=False))
def test_every_ids_form_gives_the_same_keys_in_order(named, rnd):
    names, keys = named
    parts = tuple(names)
    queries = {
        "indexed raw brackets": "&".join(f"{n}={v}" for n, v in _indexed_pairs(keys, names, rnd, False)),
        "indexed %5B%5D": "&".join(f"{n}={v}" for n, v in _indexed_pairs(keys, names, rnd, True)),
        "legacy 1.0": "&".join("ids=" + quote(format_key(k, 1), safe="") for k in keys),
        "legacy 1.0 with raw URN colons": "&".join("ids=" + quote(format_key(k, 1), safe=":") for k in keys),
        "2.0 List": "ids=List(" + ",".join(url_key(k, 2) for k in keys) + ")",
        "2.0 List, part order shuffled": "ids=List(" + ",".join(
            "(" + ",".join(f"{n}:{quote(k[n], safe='')}" for n in rnd.sample(names, len(names))) + ")"
            for k in keys) + ")",
    }
    for label, query in queries.items():
        assert _parse_query(query + "&q=x&start=0", parts) == keys, label


@SETTINGS
@given(st.lists(values, min_size=1, max_size=5, unique=True))
def test_simple_ids_forms_agree(keys):
    repeated = "&".join("ids=" + quote(k, safe="") for k in keys)
    listed = "ids=List(" + ",".join(quote(k, safe="") for k in keys) + ")"
    assert _parse_query(repeated, None) == keys
    assert _parse_query(listed, None) == keys


def test_ids_examples_from_the_brief():
    parts = ("a", "b")
    want = [{"a": "x", "b": "y"}, {"a": "urn:li:organization:1", "b": "z w"}]
    assert _parse_query("ids[0].a=x&ids[0].b=y&ids[1].a=urn:li:organization:1&ids[1].b=z%20w", parts) == want
    assert _parse_query("ids%5B1%5D.b=z%20w&ids%5B0%5D.a=x&ids%5B1%5D.a=urn%3Ali%3Aorganization%3A1&ids%5B0%5D.b=y",
                        parts) == want
    assert _parse_query("ids=a%3Dx%26b%3Dy&ids=a%3Durn%3Ali%3Aorganization%3A1%26b%3Dz%2520w", parts) == want
    assert _parse_query("ids=List((a:x,b:y),(b:z%20w,a:urn%3Ali%3Aorganization%3A1))", parts) == want
    # indices order the keys, not their position in the query
    assert _parse_query("ids[1].a=x&ids[1].b=y&ids[0].b=z%20w&ids[0].a=urn:li:organization:1", parts) == want[::-1]


# ---- the 2.0 object notation ------------------------------------------------------------------------------------

leaf_text = st.text(alphabet=ALPHABET, max_size=10) | st.text(max_size=6)
notation_values = st.recursive(
    leaf_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(leaf_text, children, max_size=4),
    max_leaves=12,
)


@SETTINGS
@given(notation_values, st.booleans())
def test_object_notation_round_trip(value, url):
    text = encode_value(value, url=url)
    assert decode_value(text) == value
    if url:  # the URL form is safe to put in a query string as is
        assert re.fullmatch(r"[!-~]*", text) and not set(text) & set("&=#?/ ")


def test_empty_values_have_their_own_encodings():
    assert encode_value([]) == "List()"
    assert encode_value({}) == "()"
    assert encode_value("") == "''"
    assert encode_value({"a": "", "b": [], "c": {}}) == "(a:'',b:List(),c:())"
    assert decode_value("List()") == []
    assert decode_value("()") == {}
    assert decode_value("''") == ""
    assert decode_value("List('',List(),())") == ["", [], {}]
    assert decode_value("(a:'',b:List(),c:())") == {"a": "", "b": [], "c": {}}
    # a literal two-quote string is not the empty string
    assert encode_value("''") == "%27%27"
    assert decode_value("%27%27") == "''"


def test_object_notation_examples():
    assert encode_value({"b": "urn:li:x:1", "a": ["1", "2"]}) == "(a:List(1,2),b:urn%3Ali%3Ax%3A1)"
    assert encode_value("a b&c", url=True) == "a%20b%26c"
    assert decode_value("(key:(x:List(a1,a2)),y:123,key.with.dots:val)") == {
        "key": {"x": ["a1", "a2"]}, "y": "123", "key.with.dots": "val"}
    assert decode_value("List(urn%3Ali%3Aorganization%3A12345)") == ["urn:li:organization:12345"]
    assert decode_value("List") == "List"  # a word, not a list
    assert decode_value("(List:x)") == {"List": "x"}


@pytest.mark.parametrize("text, problem", [
    ("", "empty value"),
    ("(", "empty value"),
    ("(a:x", "unterminated ("),
    ("(a:x,b:y", "unterminated ("),
    ("List(a,b", "unterminated List("),
    ("(a:x))", 'unexpected ")"'),
    ("(a)", "expected ':'"),
    ("(a:x,)", "empty value"),
    ("List(a,,b)", "empty value"),
    ("a,b", 'unexpected ","'),
    ("(a:x,a:y)", "given twice"),
    ("(a:x)(b:y)", 'unexpected "("'),
])
def test_decode_value_rejects_malformed_text(text, problem):
    with pytest.raises(DecodeError, match=re.escape(problem)):
        decode_value(text)


@SETTINGS
@given(st.text(alphabet="(),:'%L ist2aA", max_size=20))
def test_decode_value_fails_only_with_decode_error(text):
    try:
        decode_value(text)
    except DecodeError:
        pass


def _nested(depth: int, opening: str, leaf: str = "x") -> str:
    return opening * depth + leaf + ")" * depth


@pytest.mark.parametrize("text", [
    _nested(2000, "List("),
    _nested(2000, "(a:"),
    "List((a:" * 1000 + "x" + "))" * 1000,
    "(a:" * 2000,  # never closed
    _nested(MAX_DEPTH + 1, "List(", ""),
    _nested(MAX_DEPTH + 1, "(a:"),
])
def test_decode_value_refuses_deep_nesting(text):
    with pytest.raises(DecodeError, match="nested too deeply"):
        decode_value(text)


def test_decode_value_takes_nesting_up_to_the_limit():
    value = decode_value(_nested(MAX_DEPTH, "List(", ""))
    for _ in range(MAX_DEPTH - 1):
        [value] = value
    assert value == []
    value = decode_value(_nested(MAX_DEPTH, "(a:"))
    for _ in range(MAX_DEPTH):
        value = value["a"]
    assert value == "x"


# ---- LinkedIn's own key strings (the RSC Postman collection) ---------------------------------------------------

INTEGRATION = ("integrationContext", "integrationType", "tenantType", "dataProvider")
INTEGRATION_KEY = {"integrationContext": "urn:li:organization:1000", "integrationType": "ONE_CLICK_EXPORT",
                   "tenantType": "RECRUITER", "dataProvider": "ATS"}
ACL = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "atsEntityId")
ACL_KEY = {"atsEntityAclId": "TEST_JOBS", "dataProvider": "ATS", "integrationContext": "urn:li:organization:1000",
           "atsEntityType": "JOB_POSTING", "atsEntityId": "JOB-1"}


def test_integration_key_as_postman_writes_it():
    path = ("integrationContext=urn:li:organization:1000&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER"
            "&dataProvider=ATS")
    assert parse_key(path, INTEGRATION) == INTEGRATION_KEY
    assert format_key(INTEGRATION_KEY, 1) == ("dataProvider=ATS&integrationContext=urn:li:organization:1000"
                                              "&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER")
    assert format_key(INTEGRATION_KEY, 2) == ("(dataProvider:ATS,integrationContext:urn%3Ali%3Aorganization%3A1000,"
                                              "integrationType:ONE_CLICK_EXPORT,tenantType:RECRUITER)")
    # the spec's 2.0 path example, part order as written there
    assert parse_key("(integrationContext:urn%3Ali%3Aorganization%3A1000,integrationType:ONE_CLICK_EXPORT,"
                     "tenantType:RECRUITER,dataProvider:ATS)", INTEGRATION) == INTEGRATION_KEY
    # the same key fully %-encoded, and with %-encoded colons in 1.0
    assert parse_key(quote(format_key(INTEGRATION_KEY, 2), safe=""), INTEGRATION) == INTEGRATION_KEY
    assert parse_key(path.replace(":", "%3A"), INTEGRATION) == INTEGRATION_KEY
    query = "&".join(f"ids[0].{name}={INTEGRATION_KEY[name]}" for name in INTEGRATION)
    assert _parse_query(query, INTEGRATION) == [INTEGRATION_KEY]


def test_acl_body_key_in_another_part_order_than_the_url():
    url = ("ids[0].atsEntityAclId=TEST_JOBS&ids[0].dataProvider=ATS&ids[0].integrationContext=urn:li:organization:1000"
           "&ids[0].atsEntityType=JOB_POSTING&ids[0].atsEntityId=JOB-1")
    body_key = ("dataProvider=ATS&integrationContext=urn:li:organization:1000&atsEntityType=JOB_POSTING"
                "&atsEntityId=JOB-1&atsEntityAclId=TEST_JOBS")
    [from_url] = _parse_query(url, ACL)
    from_body = parse_key(body_key, ACL)
    assert from_url == from_body == ACL_KEY
    assert canonical(from_url) == canonical(from_body)
    assert list(from_body) != list(from_url)  # really a different order


def test_assignee_key_with_two_urns():
    parts = ("atsEntityAclId", "integrationContext", "dataProvider", "assignee", "atsEntityType")
    body_key = ("dataProvider=ATS&integrationContext=urn:li:organization:1000&atsEntityType=JOB_POSTING"
                "&atsEntityAclId=TEST_JOBS&assignee=urn:li:person:abc-1_X")
    key = parse_key(body_key, parts)
    assert key["assignee"] == "urn:li:person:abc-1_X"
    assert parse_key(format_key(key, 2), parts) == key
    assert "assignee:urn%3Ali%3Aperson%3Aabc-1_X" in format_key(key, 2)


def test_simple_key_reply_forms():
    # Rest.li stringifies a simple key in headers and bodies, whatever the protocol: no escaping at all
    for key in ("urn:li:developerApplication:100", "urn:li:person:a,b", "50%", "(x)", "List(x)", "x(y)", "%41",
                "CALLBACK_URL", "urn:li:simpleJobPostingTask:07ae37ab-2216-4d0f-97a0-53a516681c8f"):
        assert format_key(key, 1) == format_key(key, 2) == key
        # in a URL (Location) it is fully %-encoded in both protocols, and parses back
        assert url_key(key, 1) == url_key(key, 2) == quote(key, safe="")
        assert parse_key(url_key(key, 2), None) == key
    # compound keys keep their protocol forms
    assert format_key({"b": "urn:li:x:1", "a": "y"}, 2) == "(a:y,b:urn%3Ali%3Ax%3A1)"
    assert format_key({"b": "urn:li:x:1", "a": "y"}, 1) == "a=y&b=urn:li:x:1"


def test_simple_keys_from_the_collection():
    assert parse_key("urn:li:developerApplication:123", None) == "urn:li:developerApplication:123"
    assert parse_key("urn%3Ali%3AdeveloperApplication%3A123", None) == "urn:li:developerApplication:123"
    assert _parse_query("ids=STAGE001&ids=STAGE002&ids=STAGE003", None) == ["STAGE001", "STAGE002", "STAGE003"]
    assert format_key("CALLBACK_URL", 1) == format_key("CALLBACK_URL", 2) == "CALLBACK_URL"
    endorsement = "urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)"
    assert parse_key("urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3A2qXA98-mVk%2C65761962366%29", None) \
        == endorsement
    assert parse_key(endorsement, None) == endorsement  # 1.0, raw


POSTMAN = "/work/shared/reference/rsc.postman_collection.json"


def _postman_requests():
    with open(POSTMAN, encoding="utf-8") as handle:
        collection = json.load(handle)
    stack = list(collection["item"])
    while stack:
        item = stack.pop(0)
        if "item" in item:
            stack = list(item["item"]) + stack
        else:
            yield item["request"]


def _fill(text: str) -> str:
    return re.sub(r"\{\{[^}]*\}\}", "1000", text)


@pytest.mark.skipif(not os.path.exists(POSTMAN), reason="LinkedIn's Postman collection is not available")
def test_every_batch_body_key_in_the_postman_collection_matches_its_ids():
    checked = 0
    for request in _postman_requests():
        raw_url = request["url"]["raw"] if isinstance(request["url"], dict) else request["url"]
        body = request.get("body", {}).get("raw", "")
        if "?" not in raw_url or '"entities"' not in body:
            continue
        query = _fill(raw_url.split("?", 1)[1])
        pairs = split_query(query)
        names = [n for n, _ in pairs]
        indexed = sorted({n.split(".", 1)[1] for n in names if n.startswith("ids[")})
        parts = tuple(indexed) if indexed else None
        ids = parse_ids(pairs, parts)
        body_keys = list(json.loads(_fill(body))["entities"])  # {{$timestamp}}000 becomes a number
        assert body_keys, raw_url
        parsed = [parse_key(k, parts) for k in body_keys]
        assert sorted(canonical(k) for k in parsed) == sorted(canonical(k) for k in ids), raw_url
        checked += 1
    assert checked >= 10


# ---- malformed input: always RestliError 400, naming the problem -----------------------------------------------


@pytest.mark.parametrize("text, parts, problem", [
    ("(a:x,b:y", ("a", "b"), "unterminated ("),
    ("(a:x,b:y))", ("a", "b"), 'unexpected ")"'),
    ("%28a%3Ax%2Cb%3Ay", ("a", "b"), "unterminated ("),
    ("(a:x)", ("a", "b"), "missing b"),
    ("a=x", ("a", "b"), "missing b"),
    ("a=x&b=y&c=z", ("a", "b"), "unknown c"),
    ("(a:x,b:y,c:z)", ("a", "b"), "unknown c"),
    ("(a:x,c:z)", ("a", "b"), "missing b; unknown c"),
    ("a=&b=y", ("a", "b"), "empty a"),
    ("(a:'',b:y)", ("a", "b"), "empty a"),
    ("(a:,b:y)", ("a", "b"), "empty value"),
    ("a=x&a=y", ("a",), "given twice"),
    ("(a:x,a:y)", ("a",), "given twice"),
    ("a=x&b", ("a", "b"), "part=value"),
    ("=x", ("a",), "part=value"),
    ("", ("a",), "part=value"),
    ("(a:(b:c))", ("a",), "expected (part:value"),
    ("(a:List(x))", ("a",), "expected (part:value"),
    ("List((a:x))", ("a",), "part=value"),
    ("(a:x)", None, "expected a simple key"),
    ("List(x)", None, "expected a simple key"),
    ("", None, "empty"),
    ("(a:" * 2000 + "x" + ")" * 2000, ("a",), "nested too deeply"),
    ("%28a%3A" * 2000 + "x" + "%29" * 2000, ("a",), "nested too deeply"),
])
def test_parse_key_rejects(text, parts, problem):
    with pytest.raises(RestliError) as raised:
        parse_key(text, parts)
    assert raised.value.status == 400
    assert problem in raised.value.message


@pytest.mark.parametrize("query, parts, problem", [
    ("ids[x].a=1", ("a",), '"ids[x].a": expected ids[N].part'),
    ("ids[0]=1", ("a",), '"ids[0]": expected ids[N].part'),
    ("ids[0].=1", ("a",), "expected ids[N].part"),
    ("ids[0.a=1", ("a",), "expected ids[N].part"),
    ("ids[-1].a=1", ("a",), "expected ids[N].part"),
    ("ids[%C2%B2].a=1", ("a",), "expected ids[N].part"),  # a superscript two is not an index
    ("ids[0].a=1", None, "simple key"),
    ("ids[0].a=1&ids[0].a=2", ("a",), "given twice"),
    ("ids[0].a=1", ("a", "b"), "missing b"),
    ("ids[0].a=1&ids[0].b=2&ids[0].c=3", ("a", "b"), "unknown c"),
    ("ids[0].a=&ids[0].b=2", ("a", "b"), "empty a"),
    ("ids[0].a=1&ids[0].b=2&ids[1].a=3", ("a", "b"), "ids[1]"),
    ("ids=List((a:1,b:2)", ("a", "b"), "unterminated List("),
    ("ids=List((a:1))", ("a", "b"), "missing b"),
    ("ids=List(x)", ("a",), "is not a compound key"),
    ("ids=List((a:1))", None, "is not a simple key"),
    ("ids=List('')", None, "is not a simple key"),
    ("ids=", None, "empty"),
    ("ids=", ("a",), "part=value"),
    ("ids=a%3D1", ("a", "b"), "missing b"),
    ("ids=" + "List(" * 2000 + ")" * 2000, ("a",), "Malformed ids parameter: nested too deeply"),
    ("ids=" + "(a:" * 2000 + "x" + ")" * 2000, ("a",), "nested too deeply"),
    ("ids=" + "(a:" * 2000, ("a",), "nested too deeply"),
    (f"ids[{'9' * 5000}].a=1", ("a",), "expected ids[N].part"),  # int() would raise ValueError over 4,300 digits
    (f"ids[{'9' * 19}].a=1", ("a",), "expected ids[N].part"),
])
def test_parse_ids_rejects(query, parts, problem):
    with pytest.raises(RestliError) as raised:
        _parse_query(query, parts)
    assert raised.value.status == 400
    assert problem in raised.value.message


def test_check_parts_names_every_problem():
    with pytest.raises(RestliError, match=r"missing b, c; unknown d \(expected a, b, c\)"):
        check_parts({"a": "1", "d": "2"}, ("a", "b", "c"), "k")
    check_parts({"a": "1"}, ("a",), "k")  # fine


fuzz_text = st.text(alphabet="()=&:,'%.[]ids0123aAbList2L ", max_size=30)


@SETTINGS
@given(fuzz_text, st.sampled_from([None, ("a",), ("a", "b")]))
def test_parse_key_fails_only_with_a_400(text, parts):
    try:
        key = parse_key(text, parts)
    except RestliError as error:
        assert error.status == 400 and error.message
        return
    if parts is None:
        assert isinstance(key, str) and key
    else:
        assert set(key) == set(parts) and all(isinstance(v, str) and v for v in key.values())


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["ids", "ids[0].a", "ids[1].b", "ids%5B0%5D.b", "ids[", "ids[x]", "q"])
                          | fuzz_text, fuzz_text), max_size=5),
       st.sampled_from([None, ("a",), ("a", "b")]))
def test_parse_ids_fails_only_with_a_400(pairs, parts):
    try:
        keys = parse_ids(pairs, parts)
    except RestliError as error:
        assert error.status == 400 and error.message
        return
    for key in keys:
        assert isinstance(key, str) if parts is None else set(key) == set(parts)

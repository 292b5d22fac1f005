"""The journal's compact form (mock_server.harness.journal_packing) gives back every entry exactly as recorded:
property-tested over generated entries, including the values orjson refuses (which fall back to packing only the
bodies) and bodies that are long, short, shared or absent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.harness.journal import entry_size
from mock_server.harness.journal_packing import PACKED, EntryPacker, PackedBody, unpacked

text = st.text(max_size=40)
long_text = st.text(min_size=256, max_size=600)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12)
side = st.fixed_dictionaries({"headers": st.dictionaries(text, text, max_size=5), "headersTruncated": st.booleans(),
                              "body": text | long_text, "bodyBytes": st.integers(0, 2**20),
                              "bodyTruncated": st.booleans()})
entries = st.fixed_dictionaries(
    {"id": text, "seq": st.integers(1, 10**6), "at": st.integers(0, 2**45), "method": text, "path": text,
     "query": st.none() | text | long_text, "status": st.none() | st.integers(100, 599), "latencyMs": st.floats(0, 1e6),
     "request": side, "response": side},
    optional={"application": st.none() | text, "clientId": st.none() | text, "extra": json_values,
              "advisories": st.lists(st.dictionaries(text, text, max_size=3), max_size=2)})


@settings(max_examples=300, deadline=None)
@given(st.lists(entries, min_size=1, max_size=4))
def test_a_packed_entry_reads_back_exactly_as_recorded(recorded):
    packer = EntryPacker()
    for entry in recorded:
        record = packer.record(entry, entry_size(entry))
        assert PACKED in record and entry_size(record) == entry_size(entry)
        back = unpacked(record)
        assert back == entry
        assert list(back) == list(entry)  # key order
        for name in ("request", "response"):
            assert list(back[name]) == list(entry[name])
            assert type(back[name]["body"]) is str
        assert back is not entry and back["response"] is not entry["response"]


def test_equal_long_bodies_and_query_strings_are_packed_once_and_shared():
    packer = EntryPacker()
    body, query = "x" * 1000, "ids=List(" + "(a:1,b:2)," * 60 + ")"
    records = [packer.record({"seq": n, "query": query, "request": {"body": ""}, "response": {"body": body}}, 0)
               for n in range(3)]
    for packed in (lambda record: record[PACKED].bodies[1], lambda record: record[PACKED].query):
        assert len({id(packed(record)) for record in records}) == 1 and isinstance(packed(records[0]), PackedBody)
    assert [unpacked(record)["response"]["body"] for record in records] == [body] * 3
    assert [unpacked(record)["query"] for record in records] == [query] * 3


def test_an_entry_orjson_refuses_keeps_its_fields_and_packs_its_bodies():
    entry = {"seq": 1, "path": "/v2/\ud800", "big": 2**70, "query": "q=" + "z" * 300,
             "request": {"headers": {"x": "\udfff"}, "body": "\ud800" * 300},
             "response": {"headers": {}, "body": "y" * 300}}
    record = EntryPacker().record(entry, entry_size(entry))
    assert record[PACKED].data is None and isinstance(record[PACKED].bodies[1], PackedBody)
    assert isinstance(record[PACKED].query, PackedBody)
    assert unpacked(record) == entry and list(unpacked(record)) == list(entry)

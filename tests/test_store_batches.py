"""Batched writes (Table.put_many, which updates each index once per batch): against a plain dict model, every
index lookup answers what a scan answers, a batch rolled back leaves no trace, and a data directory replays the
same state after a restart — whatever mix of inserts, replacements, repeated keys and deletes a batch holds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.store import Store

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
FIELDS = ("group", "tags")

docs = st.fixed_dictionaries({"group": st.sampled_from(["a", "b", None])},
                             optional={"tags": st.lists(st.sampled_from(["x", "y"]), max_size=2),
                                       "n": st.integers(0, 3)})
batch = st.lists(st.tuples(st.sampled_from(["k1", "k2", "k3"]), docs), min_size=1, max_size=6)
step = st.tuples(st.sampled_from(["put", "put-rolled-back", "delete"]), batch)


def check(table, model: dict) -> None:
    assert dict(table.items()) == model
    for field in FIELDS:
        for value in ("a", "b", None, ["x"], ["x", "y"], []):
            scanned = [key for key, doc in model.items() if field in doc and doc[field] == value]
            assert table.find_keys(**{field: value}) == scanned, (field, value)
            assert [key for key, _ in table.find(**{field: value})] == scanned


@SETTINGS
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_batches_keep_indexes_and_rollbacks_exact(tmp_path_factory, steps):
    data_dir = tmp_path_factory.mktemp("batches")
    model: dict = {}
    with Store(data_dir) as store:
        table = store.table("t", FIELDS)
        for kind, items in steps:
            if kind == "delete":
                table.delete_many([key for key, _ in items])
                for key, _ in items:
                    model.pop(key, None)
            elif kind == "put":
                table.put_many(items)
                model.update(items)  # in order: a later duplicate wins, and an existing key keeps its place
            else:
                with pytest.raises(RuntimeError), store.transaction():
                    table.put_many(items)
                    raise RuntimeError("roll back")
            check(table, model)
    with Store(data_dir) as store:  # replayed from the log
        check(store.table("t", FIELDS), model)


class Label(str):
    """A ``str`` subclass: JSON writes it as a string, which reads back as a plain ``str``."""


class Count(int):
    """An ``int`` subclass, read back as a plain ``int``."""


plain_or_not = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                            | st.text(max_size=4) | st.builds(Label, st.text(max_size=2)) | st.builds(Count),
                            lambda inner: st.lists(inner, max_size=2) | st.tuples(inner, inner)
                            | st.dictionaries(st.text(max_size=2) | st.integers(0, 3), inner, max_size=2),
                            max_leaves=6)


@settings(max_examples=300, deadline=None, database=None)
@given(doc=st.dictionaries(st.sampled_from(["a", "b", "c"]) | st.integers(0, 2), plain_or_not, max_size=4))
def test_indexed_fields_are_what_the_stored_text_reads_back(doc):
    """The store indexes a written document from its fields as its JSON text reads back, without parsing it."""
    from mock_server.store.jsondoc import canonical, canonical_fields

    try:
        _, parsed = canonical(doc)
    except (TypeError, ValueError):
        return
    fields = ("a", "b", "1")
    expected = {name: value for name, value in parsed.items() if name in fields}
    assert canonical_fields(doc, fields) == expected
    assert typed(canonical_fields(doc, fields)) == typed(expected)  # the same types: True is not 1, Label is str


def typed(value):
    """``value`` with the exact type of every part beside it (``==`` alone takes True for 1, Label("a") for "a")."""
    if isinstance(value, dict):
        return type(value), {name: typed(item) for name, item in value.items()}
    if isinstance(value, list):
        return type(value), [typed(item) for item in value]
    return type(value), repr(value)


@pytest.mark.parametrize("before, after", [
    ({"group": "a", "tags": ["x"]}, {"group": "a", "tags": ["x"]}),  # unchanged: not moved, not parsed
    ({"group": "a", "tags": ["x"]}, {"group": "a"}),  # an indexed field left out
    ({"group": "a"}, {"group": "a", "tags": ["x"]}),  # an indexed field added
    ({"group": "a", "tags": ["x"]}, {"group": "a", "tags": ["x", "y"]}),  # a list changed
    ({"group": "a", "tags": ["x"]}, {"group": "b", "tags": ["x"]}),  # a scalar changed
    ({"group": 1, "tags": []}, {"group": True, "tags": []}),  # equal values (1 == True) share a listing
    ({"tags": ["x"]}, {"tags": ["x"]}),  # unchanged but lacking an indexed field
])
def test_a_replacement_moves_exactly_the_indexed_values_that_changed(before, after):
    """Table.put_many re-lists a replaced document only where its indexed values changed, judged from the indexes
    (FieldIndexes.lists) without parsing the stored document: every kind of change leaves the indexes answering
    what a scan answers, alone in a batch or after the same key earlier in it."""
    for batch in ([("k1", after)], [("k1", before), ("k1", after)]):
        table = Store().table("t", FIELDS)
        table.put_many([("k0", {"group": "a", "tags": ["x"]}), ("k1", before)])
        table.put_many(batch)
        check(table, {"k0": {"group": "a", "tags": ["x"]}, "k1": after})


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers() | st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from([2**63, 2**64, -(2**63) - 1])
    | st.text(max_size=6) | st.sampled_from(["\ud800", "12345678901234567890", "é\u2028\x00"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=400, deadline=None, database=None)
@given(doc=st.dictionaries(st.text(max_size=3), json_values, max_size=4))
def test_a_stored_text_reads_back_exactly_as_json_loads_reads_it(doc):
    """jsondoc.decode (orjson where it is exact) gives what json.loads gives, with the same types: integers beyond
    64 bits stay integers, an escaped lone surrogate stays a string."""
    import json

    from mock_server.store.jsondoc import decode, encode

    text = encode(doc)
    assert typed(decode(text)) == typed(json.loads(text))

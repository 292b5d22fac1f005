"""The read paths the dashboard pages through: Table.find_keys and Table.keys_where (keys from the indexes,
no document copied), the request journal's after / wait_after (the live stream) and the outbox's next_change."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.harness.journal import RequestJournal
from mock_server.store import Store


@pytest.fixture
def store():
    return Store()


@pytest.fixture
def table(store):
    rows = store.table("people", indexes=("last", "emails"))
    rows.put_many([("k1", {"last": "Smith", "first": "Ann", "emails": ["A@x.example"]}),
                   ("k2", {"last": "smithers", "first": "Bob", "emails": ["b@x.example", "c@y.example"]}),
                   ("k3", {"last": "Jones", "first": "Ann", "emails": [{"nested": True}]}),
                   ("k4", {"first": "Cy", "last": None, "emails": "plain@x.example"})])
    return rows


def test_find_keys_answers_what_find_answers_without_documents(table):
    for equals in ({"last": "Smith"}, {"first": "Ann"}, {"last": "Jones", "first": "Ann"},
                   {"last": "Jones", "first": "Bob"}, {"emails": ["b@x.example", "c@y.example"]}, {"missing": 1}):
        assert table.find_keys(**equals) == [key for key, _ in table.find(**equals)], equals


def test_find_keys_keeps_insertion_order_after_updates_and_a_rollback(store, table):
    table.put("k1", {"last": "Jones", "first": "Ann"})  # moves k1 into the Jones bucket after k3
    assert table.find_keys(last="Jones") == ["k1", "k3"]
    with pytest.raises(RuntimeError):
        with store.transaction():
            table.delete("k1")
            raise RuntimeError("undo")
    assert table.find_keys(last="Jones") == ["k1", "k3"] == [key for key, _ in table.find(last="Jones")]


def test_values_and_keys_of_read_the_index(table):
    assert sorted(map(str, table.values("last"))) == sorted(map(str, ["Smith", "smithers", "Jones", None]))
    emails = [("A@x.example",), ("b@x.example", "c@y.example"), "plain@x.example"]  # k3's objects left out
    assert sorted(map(str, table.values("emails"))) == sorted(map(str, emails))
    assert table.keys_of("last", ["Jones", "Smith", "Nobody"]) == ["k1", "k3"]
    assert table.keys_of("emails", [("b@x.example", "c@y.example"), "plain@x.example"]) == ["k2", "k4"]
    with pytest.raises(KeyError):
        table.values("first")


def test_revision_moves_with_every_change(store, table):
    seen = [table.revision]
    table.put("k5", {"last": "New"})
    seen.append(table.revision)
    table.put("k5", {"last": "Newer"})
    seen.append(table.revision)
    table.delete("k5")
    seen.append(table.revision)
    with pytest.raises(RuntimeError):
        with store.transaction():
            table.put("k6", {"last": "Gone"})
            raise RuntimeError("undo")
    seen.append(table.revision)
    store.reset()
    seen.append(table.revision)
    assert seen == sorted(set(seen))  # strictly increasing
    table.find_keys(last="Jones")
    table.values("last")
    assert table.revision == seen[-1]  # reads do not move it


def test_prefix_and_whole_value_search_follow_the_table(store, table):
    from mock_server.dashboard.search_index import keys_equal, keys_starting

    assert keys_starting(table, "last", "SMI") == {"k1", "k2"} and keys_starting(table, "last", "x") == set()
    assert keys_equal(table, "emails", "C@Y.EXAMPLE") == {"k2"} and keys_equal(table, "emails", "c@y") == set()
    table.put("k7", {"last": "Smyth", "emails": ["c@y.example"]})
    assert keys_starting(table, "last", "sm") == {"k1", "k2", "k7"}
    assert keys_equal(table, "emails", "c@y.example") == {"k2", "k7"}
    table.delete("k2")
    assert keys_starting(table, "last", "smi") == {"k1"}


def test_the_sorted_values_follow_many_changes_in_place_or_rebuilt(store):
    from mock_server.dashboard import search_index

    table = store.table("many", indexes=("name",))
    table.put_many([(f"k{n}", {"name": f"Name{n:04d}"}) for n in range(50)])
    assert len(search_index.keys_starting(table, "name", "name000")) == 10
    for count in (3, search_index.REBUILD_AFTER + 5):  # a few changes in place, then more than a rebuild's worth
        table.put_many([(f"n{count}-{n}", {"name": f"Fresh{count}-{n}"}) for n in range(count)])
        table.delete("k0")
        table.put("k1", {"name": "renamed"})
        found = search_index.folded(table, "name")
        assert found.texts == sorted(found.texts)
        assert set(found.values) == set(table.values("name"))
        assert search_index.keys_starting(table, "name", f"fresh{count}-") == {f"n{count}-{n}" for n in range(count)}
        assert search_index.keys_starting(table, "name", "name0001") == set()
        assert search_index.keys_equal(table, "name", "RENAMED") == {"k1"}


NAMES = ["m", "manualMatchedMember", "é", 'a"b', "m\\", "1", ""]
leaves = st.none() | st.integers() | st.booleans() | st.sampled_from(['"m":', '{"m":1}', "m", '\\"m\\":', "é"])
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=2)
                      | st.dictionaries(st.sampled_from(NAMES), inner, max_size=2), max_leaves=6)


@settings(max_examples=300, deadline=None, database=None)
@given(doc=st.dictionaries(st.sampled_from(NAMES) | st.integers(0, 2), values, max_size=4),
       name=st.sampled_from(NAMES))
def test_field_answers_what_get_answers(doc, name):
    """Table.field (the document parsed only when its text holds the member ``"name":``) gives what ``get`` gives
    for that field, whatever the name and wherever else it appears (nested, inside a string, escaped), as a
    copy; None for a key never stored."""
    table = Store().table("t")
    table.put("k", doc)
    found = table.field("k", name)
    assert found == table.get("k").get(name)
    if isinstance(found, (dict, list)):
        found.clear()
        assert table.field("k", name) == table.get("k").get(name)
    assert table.field("other", name) is None


def test_journal_after_and_wait_after():
    journal = RequestJournal(capacity=3)
    for number in range(5):
        journal.record({"id": str(number)})
    assert [entry["seq"] for entry in journal.after(0)] == [3, 4, 5]  # the oldest two were evicted
    assert [entry["id"] for entry in journal.after(4)] == ["4"] and journal.after(5) == []

    async def scenario():
        assert await journal.wait_after(4, 1) is True  # already there
        assert await journal.wait_after(5, 0.05) is False
        waiting = asyncio.ensure_future(journal.wait_after(5, 5))
        await asyncio.sleep(0.01)
        journal.record({"id": "later"})
        assert await waiting is True

    asyncio.run(scenario())

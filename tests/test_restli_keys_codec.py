"""The rewritten key codec (mock_server.restli.keys) against the codec it replaced (tests/keys_reference.py):
the same keys, canonical strings, reply forms, values and errors (status and message) for every input, in both
protocols, through each of its paths: a flat key or ``List(...)`` read whole or by the general parser, plain
leaves and leaves that need escaping, leaf caches cold and warm, the canonical string carried with each key
(:func:`read_key`, :func:`read_ids`), and keys stored and read back under that string."""

from __future__ import annotations

from urllib.parse import quote

import keys_reference as reference
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.restli import keys
from mock_server.restli.errors import RestliError
from mock_server.restli.query import split_query
from mock_server.store import Store

SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
CACHES = (keys._reduced, keys._v1_value, keys._escaped_leaf, keys._flat_key, keys._flat_list)

# Leaves: plain (their own encoding), escaped (%-encoded URNs, quotes), and anything at all.
plain = st.text(alphabet="abcXYZ0189-._~ é", min_size=1, max_size=8)
urns = st.builds(lambda kind, n: f"urn:li:{kind}:{n}", st.sampled_from(["organization", "person", "seat"]),
                 st.integers(0, 10 ** 9))
anything = st.text(alphabet=":,()'%&=+ /[].$aZ09é中", min_size=1, max_size=10) | st.text(min_size=1, max_size=6)
values = st.one_of(plain, urns, anything)
names = st.from_regex(r"[a-z][A-Za-z0-9]{0,8}", fullmatch=True)
compound = st.dictionaries(names, values, min_size=1, max_size=4)
fuzz = st.text(alphabet="()=&:,'%.[]ids0123aAbList2L3A", max_size=40)
parts_choices = st.sampled_from([None, ("a",), ("a", "b"), ("b", "a")])


def outcome(function, *args):
    """What ``function(*args)`` gives: ("ok", value) or the error's type, status and message."""
    try:
        return "ok", function(*args)
    except RestliError as error:
        return "restli", error.status, error.message
    except ValueError as error:
        return type(error).__name__, str(error)


# Each test runs with the leaf caches emptied before every call (misses) and kept (hits).
both_caches = pytest.mark.parametrize("caches", ["cold", "warm"])


def both(caches: str, function: str, *args):
    """``(new outcome, reference outcome)`` of ``function`` with the caches cold or warm."""
    if caches == "cold":
        for cache in CACHES:
            cache.cache_clear()
    return outcome(getattr(keys, function), *args), outcome(getattr(reference, function), *args)


def key_texts(key: dict, rnd) -> list[str]:
    """Every way a client writes ``key``: 2.0 in any part order, fully %-encoded, 1.0 and its URL forms."""
    items = list(key.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    v2 = reference.encode_value(key)
    unsorted = "(" + ",".join(f"{reference.encode_value(k)}:{reference.encode_value(v)}" for k, v in items) + ")"
    return [v2, unsorted, quote(v2, safe=""), reference.format_key(shuffled, 1), reference.url_key(key, 1),
            reference.url_key(key, 2), reference.format_key(key, 1)]


@both_caches
@SETTINGS
@given(text=fuzz | st.text(max_size=20))
def test_decode_value_is_unchanged(caches, text):
    new, old = both(caches, "decode_value", text)
    assert new == old


@both_caches
@SETTINGS
@given(text=fuzz, parts=parts_choices)
def test_parse_key_is_unchanged_on_any_text(caches, text, parts):
    new, old = both(caches, "parse_key", text, parts)
    assert new == old


@both_caches
@SETTINGS
@given(key=compound, rnd=st.randoms(use_true_random=False), mangle=st.sampled_from(["", "drop", "empty", "dup"]))
def test_parse_key_is_unchanged_on_every_form_of_a_key(caches, key, rnd, mangle):
    parts = tuple(key)
    for text in key_texts(key, rnd):
        if mangle == "drop" and len(key) > 1:
            parts = parts[1:]
        elif mangle == "empty":
            text = text.replace(":", ":''", 1) if text.startswith("(") else text
        elif mangle == "dup" and text.startswith("("):
            text = text[:-1] + "," + text[1:]
        new, old = both(caches, "parse_key", text, parts)
        assert new == old, text
        if new[0] == "ok":
            assert keys.read_key(text, parts) == (reference.canonical(old[1]), old[1])


@both_caches
@SETTINGS
@given(value=values)
def test_simple_keys_are_unchanged(caches, value):
    for text in (value, quote(value, safe=""), reference.url_key(value, 2)):
        new, old = both(caches, "parse_key", text, None)
        assert new == old
        if new[0] == "ok":
            assert keys.read_key(text, None) == (reference.canonical(old[1]), old[1])
    for protocol in (1, 2):
        assert keys.format_key(value, protocol) == reference.format_key(value, protocol)


@both_caches
@SETTINGS
@given(key=compound | values)
def test_encodings_are_unchanged(caches, key):
    for _ in range(2):  # the second time from warm caches
        assert keys.canonical(key) == reference.canonical(key)
        for protocol in (1, 2):
            assert keys.format_key(key, protocol) == reference.format_key(key, protocol)
            assert keys.url_key(key, protocol) == reference.url_key(key, protocol)
        assert keys.encode_value(key, url=True) == reference.encode_value(key, url=True)


@both_caches
@SETTINGS
@given(batch=st.lists(compound, min_size=1, max_size=4), rnd=st.randoms(use_true_random=False),
       form=st.sampled_from(["list", "list-shuffled", "indexed", "legacy", "list-broken"]))
def test_parse_ids_is_unchanged(caches, batch, rnd, form):
    parts = tuple(sorted(batch[0]))
    same_parts = [{name: key.get(name, "v") for name in parts} for key in batch]
    if form == "list":
        query = "ids=List(" + ",".join(reference.encode_value(key) for key in same_parts) + ")"
    elif form == "list-shuffled":
        query = "ids=List(" + ",".join(key_texts(key, rnd)[1] for key in same_parts) + ")"
    elif form == "indexed":
        query = "&".join(f"ids[{i}].{quote(n)}={quote(v, safe='')}" for i, key in enumerate(same_parts)
                         for n, v in key.items())
    elif form == "legacy":
        query = "&".join("ids=" + quote(reference.format_key(key, 1), safe="") for key in same_parts)
    else:  # keys of other shapes mixed in: the general parser names the problem
        query = "ids=List(" + ",".join(reference.encode_value(key) for key in batch) + ")"
    pairs = split_query(query)
    new, old = both(caches, "parse_ids", pairs, parts)
    assert new == old, query
    if new[0] == "ok":
        batch_keys = keys.read_ids(pairs, parts)
        assert [key for _, key in batch_keys.keys] == old[1]
        assert [text for text, _ in batch_keys.keys] == [reference.canonical(key) for key in old[1]]
        for text, key in batch_keys.keys:  # each key carries the canonical string of its parts
            assert isinstance(key, keys.CompoundKey) and key.canonical == text == reference.canonical(dict(key))
        for text, read in batch_keys.texts.items():  # a body key written as in the URL reads the same
            assert keys.read_key(text, parts) == read


@both_caches
@SETTINGS
@given(batch=st.lists(values, min_size=1, max_size=5), broken=st.booleans())
def test_simple_ids_are_unchanged(caches, batch, broken):
    items = [quote(value, safe="") for value in batch] + (["''"] if broken else [])
    for query in ("ids=List(" + ",".join(items) + ")", "&".join("ids=" + item for item in items)):
        pairs = split_query(query)
        new, old = both(caches, "parse_ids", pairs, None)
        assert new == old, query
        if new[0] == "ok":
            read = keys.read_ids(pairs, None)
            assert [text for text, _ in read.keys] == [reference.canonical(key) for key in old[1]]
            for text, found in read.texts.items():
                assert keys.read_key(text, None) == found


@both_caches
@SETTINGS
@given(pairs=st.lists(st.tuples(st.sampled_from(["ids", "ids[0].a", "ids[1].b", "ids%5B0%5D.b", "q"]) | fuzz,
                                fuzz), max_size=4), parts=parts_choices)
def test_parse_ids_is_unchanged_on_any_query(caches, pairs, parts):
    new, old = both(caches, "parse_ids", pairs, parts)
    assert new == old


def test_a_carried_canonical_survives_copies_and_a_changed_copy_is_encoded_afresh():
    import copy
    import pickle

    where, key = keys.read_key("(b:urn%3Ali%3Ax%3A1,a:1)", ("a", "b"))
    assert where == key.canonical == "(a:1,b:urn%3Ali%3Ax%3A1)"
    for same in (copy.copy(key), copy.deepcopy(key), pickle.loads(pickle.dumps(key))):
        assert same == key and keys.canonical(same) == where
    changed = {**key, "a": "2"}
    assert type(changed) is dict and keys.canonical(changed) == "(a:2,b:urn%3Ali%3Ax%3A1)"


def test_a_list_with_a_repeated_key_and_a_bad_one_reads_like_before():
    parts = ("a", "b")
    query = split_query("ids=List((a:1,b:2),(a:1,b:2),(a:3))")
    assert outcome(keys.parse_ids, query, parts) == outcome(reference.parse_ids, query, parts)
    assert outcome(keys.parse_ids, query, parts)[0] == "restli"


@SETTINGS
@given(batch=st.lists(compound, min_size=1, max_size=5, unique_by=reference.canonical),
       rnd=st.randoms(use_true_random=False))
def test_keys_round_trip_through_the_store(batch, rnd):
    """A key read from any of its forms is stored under its carried canonical string, found again from any
    other form, and the stored key text decodes back to the key."""
    with Store() as store:
        table = store.table("things")
        for number, key in enumerate(batch):
            text = rnd.choice(key_texts(key, rnd))
            where, read = keys.read_key(text, tuple(key))
            table.put(where, {"n": number})
        for number, key in enumerate(batch):
            for text in key_texts(key, rnd):
                where, _ = keys.read_key(text, tuple(key))
                assert table.get(where) == {"n": number}
        assert [keys.decode_value(where) for where in table.keys()] == batch


def test_keys_read_from_a_repeated_text_are_shared_read_only_and_callers_own_their_batches():
    """A flat key or List(...) read again comes from the caches: the keys are read-only (a change raises, a copy
    is a plain dict), and the batch a caller got is its own (changing it changes no later read); a List(...)
    text over the cache's size limit reads the same without being kept."""
    parts = ("a", "b")
    query = split_query("ids=List((a:1,b:urn%3Ali%3Ax%3A1),(a:2,b:3))")
    first = keys.read_ids(query, parts)
    key = first.keys[0][1]
    for change in (lambda k: k.__setitem__("a", "9"), lambda k: k.pop("a"), lambda k: k.update(a="9"),
                   lambda k: k.clear(), lambda k: k.setdefault("c", "1"), lambda k: k.__delitem__("a"),
                   lambda k: k.popitem()):
        with pytest.raises(TypeError):
            change(key)
    first.keys.clear()
    first.texts.clear()
    again = keys.read_ids(query, parts)
    assert [canonical for canonical, _ in again.keys] == ["(a:1,b:urn%3Ali%3Ax%3A1)", "(a:2,b:3)"]
    assert len(again.texts) == 2 and again.keys[0][1] is key
    long_list = "ids=List(" + ",".join(f"(a:{n},b:{'x' * 40})" for n in range(400)) + ")"
    assert len(long_list) > keys.LIST_CACHE_MAX_CHARS
    pairs = split_query(long_list)
    assert outcome(keys.parse_ids, pairs, parts) == outcome(reference.parse_ids, pairs, parts)

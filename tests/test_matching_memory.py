"""MemberDirectory.matches remembers a candidate's matches per store while the members and their identifiers are
unchanged: every change (a new member, a closed account, a rolled-back transaction, a reset, a snapshot import,
another store) is seen by the next call, which answers what a fresh lookup does."""

from __future__ import annotations

import pytest

from mock_server.domain.matching import MEMBERS, MemberDirectory
from mock_server.store import Store

ADA, BOB = "urn:li:person:ada", "urn:li:person:bob"
EMAILS = ["Ada@Example.com", "bob@example.com"]


def fresh(store: Store) -> list[str]:
    """The matches of EMAILS looked up now, without anything remembered."""
    return MemberDirectory(store)._matches(EMAILS, None)


def add_member(store: Store, urn: str, email: str, **extra) -> None:
    """Write a member as the fixtures do (then the identifiers are rebuilt)."""
    MEMBERS.of(store).put(urn, {"emailAddresses": [email], **extra})
    MemberDirectory(store).rebuild()


def test_every_change_of_the_members_is_seen(empty_store):
    store = empty_store
    directory = MemberDirectory(store)
    assert directory.matches(EMAILS, None) == [] == fresh(store)
    add_member(store, ADA, "ada@example.com")
    assert directory.matches(EMAILS, None) == [ADA] == fresh(store)
    add_member(store, BOB, "BOB@example.com")
    assert directory.matches(EMAILS, None) == [ADA, BOB] == fresh(store)
    with pytest.raises(RuntimeError), store.transaction():  # a change rolled back
        MEMBERS.of(store).put(ADA, {"emailAddresses": ["ada@example.com"], "closedAt": 1})
        assert directory.matches(EMAILS, None) == [BOB] == fresh(store)
        raise RuntimeError("roll back")
    assert directory.matches(EMAILS, None) == [ADA, BOB] == fresh(store)
    exported = store.export()
    MEMBERS.of(store).put(BOB, {"emailAddresses": ["bob@example.com"], "closedAt": 2})  # closing an account
    assert directory.matches(EMAILS, None) == [ADA] == fresh(store)
    store.reset()  # back to the (empty) seed
    assert directory.matches(EMAILS, None) == [] == fresh(store)
    store.import_snapshot(exported)
    assert directory.matches(EMAILS, None) == [ADA, BOB] == fresh(store)


def test_stores_and_callers_keep_their_own_answers(empty_store):
    store = empty_store
    add_member(store, ADA, "ada@example.com")
    with Store() as other:
        assert MemberDirectory(other).matches(EMAILS, None) == []
    found = MemberDirectory(store).matches(EMAILS, None)
    found.clear()  # a caller changing its answer changes nothing remembered
    assert MemberDirectory(store).matches(EMAILS, None) == [ADA]
    assert MemberDirectory(store).matches([{"not": "a string"}], None) == []  # nothing to remember it by


def test_identifiers_rebuilt_in_a_rolled_back_transaction_are_rebuilt_again(empty_store):
    """The identifiers are checked once per members revision: when that check wrote them inside a transaction that
    was rolled back, the next lookup checks (and writes) them again instead of reading the index rolled back."""
    store = empty_store
    MEMBERS.of(store).put(ADA, {"emailAddresses": ["ada@example.com"]})  # no rebuild: the index is empty
    with pytest.raises(RuntimeError), store.transaction():
        assert MemberDirectory(store).matches(EMAILS, None) == [ADA]  # rebuilds inside the transaction
        raise RuntimeError("roll back")
    assert MemberDirectory(store).matches(EMAILS, None) == [ADA] == fresh(store)

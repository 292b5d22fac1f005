"""Integrations.enabled_contexts keeps its answer while the integrations table is unchanged: every change of
the table (enabling, disabling, a new integration, a rolled-back transaction, a reset, a snapshot import) is
seen by the next call, which answers what a fresh reading of the table does."""

from __future__ import annotations

import pytest

from mock_server.domain.integrations import Integrations, integration_key_of
from mock_server.store import Store

ORG_A, ORG_B = "urn:li:organization:1", "urn:li:organization:2"


def fresh(store: Store, contexts: set[str]) -> set[str]:
    """The answer from the table as it is now (a new Integrations keeps nothing)."""
    return Integrations(store).enabled_contexts(contexts)


def test_every_change_of_the_integrations_table_is_seen(empty_store):
    store = empty_store
    integrations = Integrations(store)
    both = {ORG_A, ORG_B}
    assert integrations.enabled_contexts(both) == set()
    doc = {**integration_key_of(ORG_A, "ONE_CLICK_EXPORT"), "preApprovedAt": 1}
    integrations.save(doc)
    assert integrations.enabled_contexts(both) == set() == fresh(store, both)
    enabled = integrations.set_enabled(doc, True, 2)  # enabling
    assert integrations.enabled_contexts(both) == {ORG_A} == fresh(store, both)
    assert integrations.enabled_contexts({ORG_B}) == set()  # another set of contexts, its own answer
    with pytest.raises(RuntimeError), store.transaction():  # a change rolled back
        integrations.set_enabled(enabled, False, 3)
        assert integrations.enabled_contexts(both) == set() == fresh(store, both)
        raise RuntimeError("roll back")
    assert integrations.enabled_contexts(both) == {ORG_A} == fresh(store, both)
    exported = store.export()
    store.reset()  # back to the (empty) seed
    assert integrations.enabled_contexts(both) == set() == fresh(store, both)
    store.import_snapshot(exported)
    assert integrations.enabled_contexts(both) == {ORG_A} == fresh(store, both)
    integrations.save({**integration_key_of(ORG_B, "CSA_API"), "enabledAt": 4})  # a new, enabled integration
    assert integrations.enabled_contexts(both) == {ORG_A, ORG_B} == fresh(store, both)
    integrations.set_enabled(enabled, False, 5)  # disabling
    assert integrations.enabled_contexts(both) == {ORG_B} == fresh(store, both)


def test_no_caller_can_change_the_answer_kept(empty_store):
    integrations = Integrations(empty_store)
    integrations.save({**integration_key_of(ORG_A, "ONE_CLICK_EXPORT"), "enabledAt": 1})
    answer = integrations.enabled_contexts({ORG_A})
    assert isinstance(answer, frozenset) and not hasattr(answer, "clear")
    assert integrations.enabled_contexts({ORG_A}) == {ORG_A}

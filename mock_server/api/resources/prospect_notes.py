"""Prospect notes: ``prospectNotes?q=criteria&contract=…[&owners=urn:li:seat:…][&cutoffDate=…][&beforeDate=…]``.

``contract`` (one of the caller's) is required; ``owners`` (seats on that contract, repeatable) optional.
Notes are selected by last modification: ``cutoffDate`` is an exclusive lower and ``beforeDate`` an inclusive
upper bound (epoch ms); a reversed pair → 400. Deleted notes stay, with ``"active": false``, so a poller can
replicate deletions. ``count`` up to 100. Elements (oldest change first): prospectNote.json.
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions/prospect-notes
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2
from mock_server.api.resources.prospect_params import contract_window, interactions
from mock_server.domain.quotas import PROSPECT_INTERACTIONS
from mock_server.restli.resource import Call, Finder, Resource


def criteria(call: Call) -> list[dict]:
    """FINDER ``q=criteria``: notes of the contract changed in (cutoffDate, beforeDate]."""
    contract, owners, cutoff, before = contract_window(call, "cutoffDate", "beforeDate")
    return interactions(call).notes(contract, owners, cutoff, before)


RESOURCES = [(Resource(path="prospectNotes", finders={"criteria": Finder(criteria)},
                       policy=Policy(quota=PROSPECT_INTERACTIONS)), V2)]

"""rest/exportedApplicationEvaluations (customer token), new in the versioned family: FINDER (RSC release
notes, 2026-03 view); GET rest/exportedApplicationEvaluation?q=request&requestId=… after the evaluation webhook,
the requestId valid 24 hours, samples from LinkedIn-Version 202507 (exported-application-evaluation page)."""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, collection, expect
from contract_tests.sync import application
from contract_tests.versioned import headers, key, put

PAGE = "retrieve-application-evaluation/exported-application-evaluation › "
ELEMENTS = collection("exportedApplicationEvaluation.json")


@pytest.mark.case(PAGE + "GET rest/exportedApplicationEvaluation?q=request&requestId=123abc", "inferred")
@pytest.mark.parametrize("name", ["exportedApplicationEvaluation", "exportedApplicationEvaluations"])
def test_unknown_request_id_finds_nothing(api, customer, target, name):
    reply = api.get(f"/rest/{name}", params={"q": "request", "requestId": "123abc"}, headers=headers(customer, target))
    assert expect(reply, 200, ELEMENTS)["elements"] == []


@pytest.mark.case(PAGE + "the finder without requestId", "inferred")
def test_request_id_is_required(api, customer, target):
    expect(api.get("/rest/exportedApplicationEvaluations", params={"q": "request"},
                   headers=headers(customer, target)), 400, ERROR)


@pytest.mark.case(PAGE + "an evaluation LiHA produced for a synced application", "inferred")
def test_evaluation_of_a_synced_application(api, admin, customer, org, run_id, target):
    application_key = key(atsJobApplicationId=f"CT-{run_id}-LIHA", integrationContext=org)
    put(api, "atsApplications", {application_key: application("C", "J")}, headers(customer, target))
    produced = admin.post("/_mock/recruiter/evaluations", json={"integrationContext": org,
                                                                 "atsJobApplicationId": f"CT-{run_id}-LIHA"})
    assert produced.status_code == 201, produced.text
    reply = api.get("/rest/exportedApplicationEvaluations",
                    params={"q": "request", "requestId": produced.json()["notification"]["id"]},
                    headers=headers(customer, target))
    [element] = expect(reply, 200, ELEMENTS)["elements"]
    assert element["atsJobApplicationId"] == f"CT-{run_id}-LIHA"

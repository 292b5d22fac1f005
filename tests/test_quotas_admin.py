"""``/_mock/quotas``: read and change the daily call quotas; the 429 LinkedIn answers over quota and the reset
at midnight UTC on the emulator's clock."""

from __future__ import annotations

import time

from mock_server.domain.quotas import DAY_MS
from tests.conftest import DEMO_ORG, token_for

THROTTLED = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
ACL_FINDER = f"/v2/atsEntityAcls?q=criteria&integrationContext={DEMO_ORG}"


def test_get_lists_linkedins_limits(http):
    reply = http.get("/_mock/quotas")
    assert reply.status_code == 200
    body = reply.json()
    assert body["limits"]["atsEntityAcls"] == {"group": "atsEntityAcls", "callsPerDay": 100_000, "overridden": False}
    assert body["limits"]["atsIntegrations"]["callsPerDay"] == 5_000
    assert body["limits"]["simpleJobPostingTasks"]["callsPerDay"] == 300_000
    assert body["resetsAt"] % DAY_MS == 0 and 0 < body["resetsAt"] - body["now"] <= DAY_MS
    assert body["usage"] == []


def test_over_quota_is_429_until_midnight_utc_and_reset_clears_overrides(http, server):
    clock = server.emulator.clock
    clock.freeze()
    next_midnight = (int(time.time() * 1000) // DAY_MS + 1) * DAY_MS
    clock.set_ms(next_midnight - 60_000)  # 23:59:00 UTC on the emulator's clock
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}

    reply = http.put("/_mock/quotas", json={"atsEntityAcls": 5})
    assert reply.status_code == 200
    assert reply.json()["limits"]["atsEntityAcls"] == {"group": "atsEntityAcls", "callsPerDay": 5, "overridden": True}

    for _ in range(5):
        assert http.get(ACL_FINDER, headers=customer).status_code == 200
    throttled = http.get(ACL_FINDER, headers=customer)
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "60"
    assert throttled.headers["X-LinkedIn-Error-Response"] == "true"
    assert throttled.json() == {"status": 429, "serviceErrorCode": 429, "message": THROTTLED}
    other = http.get(f"/v2/atsEntityAclAssignees?q=criteria&integrationContext={DEMO_ORG}"
                     "&assignee=urn:li:person:demo-recruiter", headers=customer)
    assert other.status_code == 200  # another resource has its own quota
    usage = {row["group"]: row["used"] for row in http.get("/_mock/quotas").json()["usage"]}
    assert usage["atsEntityAcls"] == 5

    clock.advance(61)  # 00:00:01 UTC the next day
    assert http.get(ACL_FINDER, headers=customer).status_code == 200

    http.post("/_mock/reset").raise_for_status()
    after = http.get("/_mock/quotas").json()
    assert after["limits"]["atsEntityAcls"] == {"group": "atsEntityAcls", "callsPerDay": 100_000, "overridden": False}
    assert after["usage"] == []


def test_null_restores_linkedins_limit(http):
    http.put("/_mock/quotas", json={"atsCandidates": 0}).raise_for_status()
    reply = http.put("/_mock/quotas", json={"atsCandidates": None})
    assert reply.json()["limits"]["atsCandidates"] == {"group": "atsCandidates", "callsPerDay": 100_000,
                                                       "overridden": False}


def test_bad_bodies_are_400_and_change_nothing(http):
    for body in ({"atsEntityAcls": 5, "noSuchResource": 1}, {"atsEntityAcls": -1}, {"atsEntityAcls": True},
                 {"atsEntityAcls": "5"}, {}):
        reply = http.put("/_mock/quotas", json=body)
        assert reply.status_code == 400, body
        assert reply.headers["X-RestLi-Error-Response"] == "true"
    assert http.put("/_mock/quotas", content=b"[1]").status_code == 400
    assert http.get("/_mock/quotas").json()["limits"]["atsEntityAcls"]["overridden"] is False

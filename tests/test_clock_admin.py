"""``/_mock/clock``: read, advance, set, freeze, back to real time; what moving it does to tokens."""

from __future__ import annotations

import itertools
import time
import types

import pytest

FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"


def clock(http, **body) -> dict:
    reply = http.post("/_mock/clock", json=body)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_get_reports_now_offset_and_frozen(http):
    before = int(time.time() * 1000)
    state = http.get("/_mock/clock").json()
    assert set(state) == {"now", "offsetMs", "frozen"} and state["frozen"] is False
    assert state["now"] >= before


def test_frozen_clock_advances_and_jumps_exactly(http):
    frozen = clock(http, freeze=True)
    assert frozen["frozen"] is True
    assert http.get("/_mock/clock").json()["now"] == frozen["now"]
    assert clock(http, advance=90)["now"] == frozen["now"] + 90_000
    assert clock(http, advance=-0.5)["now"] == frozen["now"] + 89_500
    assert clock(http, set=1_700_000_000_000)["now"] == 1_700_000_000_000
    assert http.get("/_mock/clock").json()["now"] == 1_700_000_000_000
    running = clock(http, freeze=False)
    assert running["frozen"] is False and running["now"] >= 1_700_000_000_000
    assert running["offsetMs"] < -10**9  # still in the past, now running


def test_advance_on_a_running_clock_and_back_to_real_time(http):
    moved = clock(http, advance=3600)
    assert moved["offsetMs"] >= 3_599_000 and moved["frozen"] is False
    real = http.delete("/_mock/clock").json()
    assert abs(real["offsetMs"]) < 1000 and real["frozen"] is False


def test_reset_returns_to_real_time(http):
    clock(http, advance=86_400)
    clock(http, freeze=True)
    http.post("/_mock/reset")
    state = http.get("/_mock/clock").json()
    assert state["frozen"] is False and abs(state["offsetMs"]) < 1000


def test_token_expires_when_the_clock_passes_1800_seconds(http, customer):
    assert http.get(FINDER, headers=customer).status_code == 200
    clock(http, advance=1799)
    assert http.get(FINDER, headers=customer).status_code == 200
    clock(http, advance=2)
    expired = http.get(FINDER, headers=customer)
    assert expired.status_code == 401
    assert expired.json()["serviceErrorCode"] == 65601 and "expired" in expired.json()["message"]


@pytest.mark.parametrize("body, mentioned", [
    ({}, "exactly one"),
    ({"advance": 1, "freeze": True}, "exactly one"),
    ({"rewind": 1}, "/rewind"),
    ({"advance": "soon"}, "/advance"),
    ({"set": 1.5}, "/set"),
    ({"set": -1}, "/set"),
    ({"advance": 10**12}, "/advance"),
    ({"set": 253_402_300_799_999}, "/set"),  # year 9999: dates would overflow soon after
    ({"set": 64_060_588_800_001}, "/set"),  # just after 4000-01-01T00:00:00Z
    ({"advance": 2000 * 365 * 86400}, "/advance"),
    ({"freeze": "yes"}, "/freeze"),
])
def test_bad_clock_requests_are_refused(http, body, mentioned):
    before = http.get("/_mock/clock").json()
    reply = http.post("/_mock/clock", json=body)
    assert reply.status_code == 400 and mentioned in reply.json()["message"], reply.text
    after = http.get("/_mock/clock").json()
    assert after["frozen"] == before["frozen"] and abs(after["offsetMs"] - before["offsetMs"]) < 1000


LATEST_MS = 64_060_588_800_000  # 4000-01-01T00:00:00Z


def test_everything_still_works_at_the_latest_instant(http, customer):
    clock(http, freeze=True)
    frozen = clock(http, set=LATEST_MS)
    assert frozen["now"] == LATEST_MS
    assert http.post("/_mock/clock", json={"advance": 1}).status_code == 400
    assert http.get("/_mock/clock").json()["now"] == frozen["now"]
    assert clock(http, advance=-1)["now"] == frozen["now"] - 1000
    rest = http.get("/rest/mailStubs?q=contract&contract=urn:li:contract:2000",
                    headers={**customer, "LinkedIn-Version": "202604"})
    assert rest.status_code < 500, rest.text
    assert http.get("/_mock/quotas").status_code == 200
    exported = http.post("/_mock/recruiter/exports", json={"seat": 3000, "member": "urn:li:person:demo-candidate",
                                                           "externalJobPostingId": "JOB-NONE"})
    assert exported.status_code < 500, exported.text


def test_the_clock_refuses_instants_it_cannot_represent(server):
    from mock_server.domain.clock import ClockRangeError

    clock_ = server.emulator.clock
    with pytest.raises(ClockRangeError):
        clock_.set_ms(LATEST_MS + 1)
    with pytest.raises(ClockRangeError):
        clock_.set_ms(-1)
    clock_.set_ms(LATEST_MS - 500)
    with pytest.raises(ClockRangeError):
        clock_.advance(1)
    assert clock_.now_ms() < LATEST_MS
    clock_.freeze()
    clock_.set_ms(LATEST_MS)
    clock_.unfreeze()
    while clock_.now_ms() == LATEST_MS:  # the running clock leaves the range: it cannot be frozen there
        pass
    with pytest.raises(ClockRangeError):
        clock_.freeze()
    assert not clock_.frozen


@pytest.mark.parametrize("frozen", [False, True])
def test_the_offset_is_read_from_one_instant_of_the_real_clock(monkeypatch, frozen):
    """``GET /_mock/clock`` of a clock at real time said ``offsetMs: -1`` when the real clock passed a millisecond
    between its two readings (the dashboard's refusal test compared two of them and failed once)."""
    from mock_server.domain import clock as clock_module

    clock = clock_module.Clock()
    if frozen:
        clock.freeze()
    readings = (1_800_000_000.0009 + n * 0.0001 for n in itertools.count())  # the 2nd reading is the next ms
    with monkeypatch.context() as patched:  # only this module's view of time, only for this one call
        patched.setattr(clock_module, "time", types.SimpleNamespace(time=lambda: next(readings)))
        state = clock.state()
    assert state["now"] - state["offsetMs"] in (1_800_000_000_000, 1_800_000_000_001)
    if not frozen:
        assert state["offsetMs"] == 0

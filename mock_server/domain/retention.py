"""What the emulator forgets, and when: the rows that would otherwise grow without end under load.

==========================  ============================================================  =====================
table                       forgotten                                                     rule from
==========================  ============================================================  =====================
``tokens``                  an hour after the token expired (revoked ones too)            the emulator (none
                                                                                          documented)
``authorizationCodes``      an hour after the code expired (used ones too)                the emulator
``jobPostingTasks``         ``settings.task_lifespan`` after the task was created (30     LinkedIn ("task IDs
                            days unless set)                                              … lifespan of 30
                                                                                          days")
==========================  ============================================================  =====================

Why an hour: until a token is forgotten a call with it gets LinkedIn's "expired" (65601) or "revoked" (65602)
401, after it the "invalid token" one (65600), so a client that comes back to an old token still learns why;
and the table holds at most the tokens minted in a lifetime plus an hour (2-legged: 90 minutes of minting).

Every rule reads :func:`horizon_ms`: the earlier of the emulator's clock and the real clock. Under load, with
the clock on real time, that is simply now; a test that moves the clock forward to watch a token expire and
then back (``POST /_mock/reset``, which keeps the tokens of applications that still exist) never finds a
token it holds forgotten, because nothing is forgotten that real time has not made old too. The emulator runs
:func:`prune` every ``settings.prune_interval`` seconds of real time (:meth:`mock_server.emulator.Emulator.start`).
"""

from __future__ import annotations

import time

from mock_server.domain.clock import Clock
from mock_server.domain.jobs import Jobs
from mock_server.domain.tokens import AuthorizationCodes, TokenRegistry
from mock_server.store import Store


def horizon_ms(clock: Clock) -> int:
    """The instant retention is measured at: the earlier of ``clock`` and the real clock (epoch ms)."""
    return min(clock.now_ms(), int(time.time() * 1000))


def prune(store: Store, clock: Clock, tokens: TokenRegistry, codes: AuthorizationCodes, jobs: Jobs,
          task_lifespan_s: int) -> dict[str, int]:
    """Forget what the table of the module docstring says is past keeping (job-posting tasks ``task_lifespan_s``
    seconds after they were created), in one store transaction; returns ``{table: rows forgotten}``."""
    now = horizon_ms(clock)
    with store.transaction():
        return {"tokens": tokens.prune(now), "authorizationCodes": codes.prune(now),
                "jobPostingTasks": jobs.prune_tasks(now, task_lifespan_s * 1000)}

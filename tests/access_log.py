"""The emulator's access log as tests read it: :func:`access_lines` collects every ``rsc_mock.access`` record on
the logger itself (whatever thread the server logs from, whatever the root logger's handlers and levels are), and
:meth:`AccessLines.of` waits on a condition, never on the clock, for the lines naming a request id."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

ACCESS = logging.getLogger("rsc_mock.access")


class AccessLines(logging.Handler):
    """The access-log records emitted while installed (see :func:`access_lines`)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self.changed:
            self.records.append(record)
            self.changed.notify_all()

    def of(self, request_id: str, timeout: float = 30.0) -> list[logging.LogRecord]:
        """The records naming ``request_id`` (a reply's ``X-Request-Id``), once at least one has arrived;
        AssertionError after ``timeout`` seconds without one."""
        def named() -> list[logging.LogRecord]:
            return [record for record in self.records if request_id in record.getMessage()]
        with self.changed:
            assert self.changed.wait_for(named, timeout), f"no access log line for request {request_id}"
            return named()


@contextlib.contextmanager
def access_lines() -> Iterator[AccessLines]:
    """Collect ``rsc_mock.access`` at INFO for the ``with`` block, then restore the logger's level."""
    lines, level = AccessLines(), ACCESS.level
    ACCESS.addHandler(lines)
    ACCESS.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        ACCESS.removeHandler(lines)
        ACCESS.setLevel(level)

"""LinkedIn's Talent API versions: THE table of versions the emulator knows, and the lookup of the
``LinkedIn-Version`` header of a ``/rest`` request.

Each :class:`Version` has its ``name`` (``YYYYMM`` or ``YYYYMM.RR``, the header value), its release month and
its sunset month (``YYYYMM`` integers). LinkedIn supports each Talent version for at least two years from its
release (https://learn.microsoft.com/en-us/linkedin/talent/versioning, "Supported versions"), and the table's
sunset column is exactly release + 24 months, so that rule fills the rows the page does not show.

A version is *active* for a request when it is in the table, within the emulator's configured bounds
(settings ``oldest_version`` / ``latest_version``, 0 = the table's own oldest / latest), already released and
not yet sunset on the emulator's clock. :func:`resolve` answers LinkedIn's errors for the rest: no header → 400,
a value that is not ``YYYYMM[.RR]`` → 400, anything else that is not active → 426 "Requested version … is not
active" (the wording field reports give for the Marketing APIs; the Talent pages name no error).

Provenance of the rows (``Version.source``):

* 202505 … 202603: the versioning page's table (202603 "Active (Latest)" when captured; the rows stop after
  202505 in every stored copy, and there is no 202509 or 202601 row);
* 202604: "The latest API version is 202604" on the RSC customer-configuration (2026-03 view) and
  retrieve-exported-candidates (2026-04 view) pages;
* 202504: ``API_VERSION_2025_04 = "202504"`` in LinkedIn's LTS SDK;
* 202501: the Job Posting release notes (March 2025): versioning starts "with the January 2025 release", header
  ``202501``.
"""

from __future__ import annotations

import dataclasses
import re

from mock_server.restli.errors import RestliError, shown_header

VERSION_PATTERN = re.compile(r"([0-9]{4})([0-9]{2})(?:\.([0-9]{2}))?")
SUPPORT_MONTHS = 24
TVER = "https://learn.microsoft.com/en-us/linkedin/talent/versioning"


def add_months(month: int, count: int) -> int:
    """``YYYYMM`` ``count`` months after ``month`` (``YYYYMM``)."""
    index = (month // 100) * 12 + month % 100 - 1 + count
    return (index // 12) * 100 + index % 12 + 1


@dataclasses.dataclass(frozen=True)
class Version:
    """One Talent API version: the header value ``name``, ``released`` and ``sunset`` (``YYYYMM``), and where
    the row comes from. ``month`` is the ``YYYYMM`` part of the name (what feature tables compare)."""

    name: str
    released: int
    source: str = TVER

    @property
    def month(self) -> int:
        """The ``YYYYMM`` of the version (``202508`` for ``202508.02``)."""
        return int(self.name[:6])

    @property
    def sunset(self) -> int:
        """The month LinkedIn stops serving the version: two years after its release."""
        return add_months(self.released, SUPPORT_MONTHS)

    def at_least(self, name: str) -> bool:
        """True when this version is ``name`` (``YYYYMM``) or later: a feature introduced in ``name`` is there."""
        return self.month >= int(name[:6])


VERSIONS: tuple[Version, ...] = (
    Version("202501", 202501, "https://learn.microsoft.com/en-us/linkedin/talent/job-postings/job-posting-release-notes"
                              " (March 2025: versioning starts with the January 2025 release, header 202501)"),
    Version("202504", 202504, "LinkedIn's LTS SDK constant API_VERSION_2025_04 = \"202504\""),
    Version("202505", 202505),
    Version("202506", 202506),
    Version("202507", 202507),
    Version("202508", 202508),
    Version("202508.02", 202508),
    Version("202510", 202510),
    Version("202511", 202511),
    Version("202512", 202512),
    Version("202602", 202602),
    Version("202603", 202603),
    Version("202604", 202604, "https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/"
                              "rsc-customer-configuration?view=li-lts-2026-03 (\"The latest API version is 202604\")"),
)
BY_NAME = {version.name: version for version in VERSIONS}
# The first version of an RSC resource whose own first version is not documented: LinkedIn's LTS SDK names
# 202504 as its version, while in 202501 "only Simple Job Posting API supports versioning" (Job Posting release
# notes, March 2025) [INFERRED].
FIRST_RSC = "202504"
OLDEST = VERSIONS[0]
LATEST = VERSIONS[-1]


def bounds(oldest: int = 0, latest: int = 0) -> tuple[int, int]:
    """The ``(oldest, latest)`` months served: the settings' values, or the table's where they are 0."""
    return oldest or OLDEST.month, latest or LATEST.month


def active(now_month: int, oldest: int = 0, latest: int = 0) -> list[Version]:
    """The versions served in ``now_month`` (``YYYYMM`` on the emulator's clock) within the configured bounds,
    oldest first."""
    low, high = bounds(oldest, latest)
    return [v for v in VERSIONS if low <= v.month <= high and v.released <= now_month < v.sunset]


def resolve(header: str | None, now_month: int, oldest: int = 0, latest: int = 0) -> Version:
    """The :class:`Version` a ``LinkedIn-Version`` header asks for. Raises ``RestliError`` 400 when the header
    is missing or not ``YYYYMM[.RR]``, 426 when the version is not active (unknown, outside the configured
    bounds, not yet released or sunset on the emulator's clock)."""
    if header is None or not header.strip():
        raise RestliError(400, "A version must be present. Please specify a version by adding the"
                               " LinkedIn-Version header.", 400)
    value = header.strip()
    match = VERSION_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RestliError(400, f"Invalid LinkedIn-Version header {shown_header(header)}: expected YYYYMM or YYYYMM.RR")
    version = BY_NAME.get(value)
    if version is None or version not in active(now_month, oldest, latest):
        raise RestliError(426, f"Requested version {value} is not active", 426)
    return version


def absent_resource(path: str) -> RestliError:
    """The 404 of a resource the requested version does not have: the same answer as an unknown resource."""
    return RestliError(404, f"Resource {path} does not exist")


def require_resource(path: str, version: Version, since: str | None) -> None:
    """404 (as for an unknown resource) when resource ``path`` was introduced (``since``, ``YYYYMM``) after
    ``version``; ``since`` None: every version has it."""
    if since is not None and not version.at_least(since):
        raise absent_resource(path)

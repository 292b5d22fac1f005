"""The path of a Rest.li request after its base: resource names and keys alternate
(``atsCandidates/<key>/notes/<note id>``). One reading, shared by the dispatcher and the request journal."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote


@dataclasses.dataclass(frozen=True)
class ResourcePath:
    """``path`` is the resource's name (``atsCandidates/notes`` for a sub-resource); ``names`` and ``keys``
    are the raw (still encoded) segments in the order they alternate."""

    path: str
    names: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def is_sub_resource(self) -> bool:
        """True when a parent resource and its key come first."""
        return len(self.names) > 1

    @property
    def parent_key(self) -> str | None:
        """The raw key of the parent resource of a sub-resource (None when absent or empty)."""
        return (self.keys[0] or None) if self.is_sub_resource and self.keys else None

    @property
    def key(self) -> str | None:
        """The raw key of the addressed entity (None for a collection request, or an empty segment)."""
        index = 1 if self.is_sub_resource else 0
        return (self.keys[index] or None) if len(self.keys) > index else None


def split_resource_path(segments: list[str]) -> ResourcePath:
    """The :class:`ResourcePath` of the path segments after the base (``["atsCandidates", "<key>", "notes"]``)."""
    names, keys = tuple(segments[0::2]), tuple(segments[1::2])
    return ResourcePath("/".join(unquote(name) for name in names), names, keys)

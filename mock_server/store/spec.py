"""A table's declaration: its name and field indexes, written once by the module that owns the table.

Code opens tables only through a spec (``JOBS.of(store)``), so a table's name and indexes live in one place and
the list of every table (:mod:`mock_server.domain.tables`) is gathered from the owners' ``TABLES``.
"""

from __future__ import annotations

import dataclasses

from .store import Store
from .table import Table


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """Table ``name`` with equality indexes on the top-level fields ``indexes``."""

    name: str
    indexes: tuple[str, ...] = ()

    def of(self, store: Store) -> Table:
        """The table in ``store``, created empty on first use (:meth:`Store.table`)."""
        return store.table(self.name, indexes=self.indexes)

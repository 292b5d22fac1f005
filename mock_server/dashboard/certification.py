"""The certification section: the latest report of ``GET /_mock/certification`` when this build serves it,
shown without assuming more of its shape than JSON: top-level scalars as a list of facts, each list of objects
as a table (columns: the scalar fields of its objects, in first-seen order), anything else as JSON.
"""

from __future__ import annotations

from mock_server.dashboard.admin_calls import admin_call

PATH = "/certification"


def is_scalar(value) -> bool:
    """True for JSON strings, numbers, booleans and null."""
    return value is None or isinstance(value, (str, int, float, bool))


def table_of(rows: list) -> dict | None:
    """``{"columns", "rows"}`` for a list of objects (columns: their scalar fields), None for anything else."""
    if not rows or not all(isinstance(row, dict) for row in rows):
        return None
    columns = list(dict.fromkeys(name for row in rows for name, value in row.items() if is_scalar(value)))
    return {"columns": columns, "rows": rows}


def layout(report) -> dict:
    """``{"facts": {name: scalar}, "tables": {name: table_of(...)}, "other": {name: value}}`` of a report
    object (a report that is not an object is all ``other``)."""
    if not isinstance(report, dict):
        return {"facts": {}, "tables": {}, "other": {"report": report}}
    found: dict = {"facts": {}, "tables": {}, "other": {}}
    for name, value in report.items():
        table = table_of(value) if isinstance(value, list) else None
        if is_scalar(value):
            found["facts"][name] = value
        elif table is not None:
            found["tables"][name] = table
        else:
            found["other"][name] = value
    return found


async def certification(request) -> dict:
    """``{"available": bool, "status", "report", "layout"}``: the report when ``GET /_mock/certification`` is
    served (``available`` False when this build has no such route)."""
    reply = await admin_call(request, "GET", PATH)
    missing = reply.status == 404 and "does not exist" in reply.message
    return {"available": not missing, "status": reply.status, "report": reply.data,
            "layout": layout(reply.data) if not missing else None, "message": reply.message}

"""The test harness's admin API, in one list for the app: clock, request journal and waits, fault rules,
snapshots and the OpenAPI document (each module documents its endpoints)."""

from mock_server.admin import clock_routes, fault_routes, journal_routes, snapshot_routes

ROUTES = [*clock_routes.ROUTES, *journal_routes.ROUTES, *fault_routes.ROUTES, *snapshot_routes.ROUTES]

"""Every ``/_mock`` endpoint of the test harness, one line each: the route tables :mod:`mock_server.app` mounts
at ``/_mock``. Each module documents its endpoints; a new admin endpoint is one function in one of them and
one line here. The certification's ``/_mock/certification*`` routes sit above the harness
(:mod:`mock_server.certification.routes`); :mod:`mock_server.app` mounts them beside these.

:data:`ROUTES` are a world's endpoints: at ``/_mock/…`` they serve the sandbox the request names by header (the
default world without one), and :func:`sandbox_routes` mounts a world's endpoints (these and the
certification's) again at ``/_mock/sandboxes/{id}/…`` next to the endpoints that create, list and delete
sandboxes (:mod:`mock_server.harness.admin.sandboxes`).

Errors raised by an endpoint (:class:`~mock_server.restli.errors.RestliError`) are rendered once, by the app's
exception handler, in LinkedIn's envelope.
"""

from starlette.routing import Mount, Route

from mock_server.harness.admin import (
    applications,
    basics,
    clock,
    faults,
    journal,
    notifications,
    quotas,
    recruiter,
    sandboxes,
    snapshot,
)

ROUTES = [
    Route("/health", basics.health, methods=["GET"]),
    Route("/reset", basics.reset, methods=["POST"]),
    Route("/tokens", basics.mint_token, methods=["POST"]),
    Route("/tokens/{token}", basics.revoke_token, methods=["DELETE"]),
    Route("/applications", applications.list_applications, methods=["GET"]),
    Route("/customers/{unique_foreign_id}/preapprove", basics.preapprove, methods=["POST"]),
    Route("/inbox/{name}", basics.inbox_receive, methods=["GET", "POST", "PUT", "DELETE"]),
    Route("/clock", clock.get_clock, methods=["GET"]),
    Route("/clock", clock.move_clock, methods=["POST"]),
    Route("/clock", clock.real_time, methods=["DELETE"]),
    Route("/faults", faults.add_fault, methods=["POST"]),
    Route("/faults", faults.list_faults, methods=["GET"]),
    Route("/faults", faults.clear_faults, methods=["DELETE"]),
    Route("/faults/{rule_id}", faults.delete_fault, methods=["DELETE"]),
    Route("/requests", journal.list_requests, methods=["GET"]),
    Route("/requests", journal.clear_requests, methods=["DELETE"]),
    Route("/requests/wait", journal.wait_for_requests, methods=["POST"]),
    Route("/notifications", notifications.list_notifications, methods=["GET"]),
    Route("/notifications/wait", notifications.wait, methods=["POST"]),
    Route("/notifications/{notification_id}", notifications.get_notification, methods=["GET"]),
    Route("/notifications/{notification_id}/redeliver", notifications.redeliver, methods=["POST"]),
    Route("/quotas", quotas.get_quotas, methods=["GET"]),
    Route("/quotas", quotas.put_quotas, methods=["PUT"]),
    Route("/recruiter/integrations", recruiter.integrations, methods=["POST"]),
    Route("/recruiter/exports", recruiter.exports, methods=["POST"]),
    Route("/recruiter/inmails", recruiter.inmails, methods=["POST"]),
    Route("/recruiter/replies", recruiter.replies, methods=["POST"]),
    Route("/recruiter/notes", recruiter.notes, methods=["POST"]),
    Route("/recruiter/notes/{note_id}", recruiter.remove_note, methods=["DELETE"]),
    Route("/recruiter/seats/{seat}/export-jobs", recruiter.seat_export_jobs, methods=["GET"]),
    Route("/recruiter/indicator", recruiter.in_ats_indicator, methods=["GET"]),
    Route("/recruiter/evaluations", recruiter.evaluations, methods=["POST"]),
    Route("/recruiter/members/{member}/close", recruiter.close_member, methods=["POST"]),
    Route("/snapshot", snapshot.export_snapshot, methods=["GET"]),
    Route("/snapshot", snapshot.import_snapshot, methods=["PUT"]),
    Route("/openapi.json", snapshot.openapi_document, methods=["GET"]),
    Route("/fidelity", snapshot.fidelity_ledger, methods=["GET"]),
]



def sandbox_routes(world_routes: list) -> list:
    """The ``/sandboxes`` endpoints, and ``world_routes`` (every endpoint that serves one world: :data:`ROUTES`
    and those of the layers above, such as the certification's) again under ``/sandboxes/{sandbox}``, so each
    answers at ``/_mock/sandboxes/{id}/…`` as it does at ``/_mock/…`` with ``X-RSC-Mock-Sandbox: {id}``."""
    return [
        Route("/sandboxes", sandboxes.create_sandbox, methods=["POST"]),
        Route("/sandboxes", sandboxes.list_sandboxes, methods=["GET"]),
        Route("/sandboxes/{sandbox}", sandboxes.get_sandbox, methods=["GET"]),
        Route("/sandboxes/{sandbox}", sandboxes.delete_sandbox, methods=["DELETE"]),
        Mount("/sandboxes/{sandbox}", routes=world_routes),
    ]

"""Who may show a widget: LinkedIn's in.js takes the ``api_key`` of a customer's (child) application and
only renders on pages whose origin is one of that application's ``validJsSdkDomains`` (spec
oauth-restli-onboarding.md §4.1.1 and §4.2; certification case RSC-105). The emulator compares origins
exactly (``scheme://host[:port]``, no trailing slash), as the browser reports them.
"""

from __future__ import annotations

from mock_server.restli.errors import RestliError, shown


def widget_application(customers, api_key: str | None, origin: str | None) -> dict:
    """The child application whose client id is ``api_key``, when ``origin`` may embed its widgets.

    ``customers`` is :class:`~mock_server.domain.customers.Customers`. Raises :class:`RestliError` 401 for a missing
    or unknown ``api_key``, 403 for a partner (parent) application's key or an origin that is not in the
    application's ``validJsSdkDomains``; each message says what to change.
    """
    if not api_key:
        raise RestliError(401, "api_key is missing: the in.js script tag must hold a line `api_key: <client id"
                               " of the customer's child application>`")
    application = customers.by_client_id(api_key)
    if application is None:
        raise RestliError(401, f"api_key {shown(api_key)} is not the client id of any application")
    if application.get("kind") != "child":
        raise RestliError(403, f"api_key {shown(api_key)} belongs to a partner (parent) application;"
                               " widgets take the"
                               " client id of the customer's child application (provisionedApplications)")
    domains = application.get("validJsSdkDomains", [])
    if origin not in domains:
        raise RestliError(403, f"origin {shown(origin)} is not in validJsSdkDomains of {application['key']}"
                               f" (api_key {shown(api_key)}: {', '.join(domains) or 'none'}); add it with a"
                               " provisionedApplications PARTIAL_UPDATE of validJsSdkDomains")
    return application

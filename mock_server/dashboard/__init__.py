"""The dashboard: the emulator's web page at ``/_mock/ui`` (``/`` redirects there), standing in for LinkedIn
Recruiter (the recruiter console) and for a developer console (overview, data browser, request journal, push
notifications, faults and quotas, certification).

Server-side pages from Jinja2 templates (``templates/``, autoescaped) enhanced with the vendored htmx and its
server-sent-events extension (``static/``); no build step, no CDN. Every page works without JavaScript except
the live parts (the journal and the outbox update over server-sent events). Every action a page offers is an
``/_mock`` call of the admin API, made in-process (:mod:`mock_server.dashboard.admin_calls`), so the page and a
test script get the same validation and the same error envelope.

Modules: :mod:`~mock_server.dashboard.routes` (the route table), :mod:`~mock_server.dashboard.render`
(templates, security headers), one module per section for what it reads (``overview``, ``browse`` with
``provenance``, ``console``, ``journal_view``, ``outbox_view``, ``certification``), ``actions`` (form → admin
call) and ``live`` (the event streams).
"""

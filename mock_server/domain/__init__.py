"""State and rules of the emulated LinkedIn world, with no HTTP in them.

Customers (parent and child applications), integrations and their configurations, jobs and their tasks, synced
records (candidates, applications and their sub-records), ACLs, member matching, quotas, the clock, id
counters, tokens and authorization codes, callback inboxes, and the recruiter side (:mod:`.recruiter`: seats,
InMail, notes, exports, push notifications). Each module declares the tables it owns (``TABLES`` of
:class:`~mock_server.store.spec.TableSpec`); :mod:`.tables` gathers them. Modules here may import ``store``,
``schemas`` and ``restli``'s value modules, never Starlette, ``api`` or ``harness`` (tests/test_layout.py
holds that).
"""

"""The ``/_mock`` test harness (WireMock's role): the middleware that journals every request and applies fault
rules, the request journal and its waits, fault rules, and the admin API (:mod:`.admin`, one route table)."""

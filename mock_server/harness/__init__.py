"""The ``/_mock`` test harness (WireMock's role): the middleware that journals every request and applies fault
rules, the request journal and its waits, fault rules and their actions (one class per fault type), the one
filter language both the journal and the notification outbox are queried with (:mod:`.criteria`), and the admin
API (:mod:`.admin`, one route table)."""

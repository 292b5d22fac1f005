"""A reference ATS connector for LinkedIn Recruiter System Connect: the worked example of how an ATS onboards
a customer, syncs jobs, candidates and applications, receives pushes, syncs ACLs and deletes — and passes
every case of ``rsc-mock certify run``.

* :mod:`.ats` — the ATS's own tiny data model and seeded history;
* :mod:`.linkedin` — a small RSC client (tokens, Rest.li batch calls, retries);
* :mod:`.connector` — the integration itself, and :class:`~.connector.Flaws`, the broken variants;
* :mod:`.hook` — the certification hook ``rsc-mock certify run --partner`` drives;
* :mod:`.server` — its HTTP side (callback receiver, settings page, hook).

Run it beside an emulator::

    rsc-mock serve &
    python -m examples.partner --linkedin http://127.0.0.1:8080 --port 5000
    rsc-mock certify run --partner http://127.0.0.1:5000/certification
"""

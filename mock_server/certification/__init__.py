"""LinkedIn's RSC certification, offline: the test cases of modules 1-5 as checks over the emulator's state and
request journal, two ways to run them, and reports.

At LinkedIn a partner's integration is certified in meetings where a LinkedIn engineer plays the recruiter and
the customer admin and walks through the test cases of five modules (RSC-101 …, older pages "Test Case N").
Here each case is a :class:`~mock_server.certification.model.Case`: its ids, title, source page, module, what
it needs from the partner, which parts of its pass criteria LinkedIn documents and which are inferred, a
grader (reads state and journal inside the emulator, :mod:`.observed`) and a script (plays LinkedIn's side
over the ``/_mock`` HTTP API, :mod:`.runner`).

* :mod:`.model` — cases, results, evidence; :mod:`.cases` — the catalogue, one module per certification
  module, and the cases the public record names but does not describe.
* :mod:`.observed` and :mod:`.requests` — what graders read; :mod:`.grading` — grade one case or a report.
* :mod:`.routes` — ``/_mock/certification`` (passive report, grading, the test company, guided runs).
* :mod:`.runner`, :mod:`.partner`, :mod:`.runs` — the guided run: LinkedIn's side, the partner's
  certification hook, one server-side run at a time.
* :mod:`.reports` — terminal table, JSON, JUnit XML, one self-contained HTML page.
* :mod:`.cli` — ``rsc-mock certify report|run|cases``; :mod:`.pytest_plugin` — ``rsc_certification`` and
  ``--rsc-certify``.

Graders always run inside the emulator (through its services); every client — the CLI, the guided runner,
the pytest fixture — talks to ``/_mock/certification`` over HTTP, so all of them work against a remote
emulator.
"""

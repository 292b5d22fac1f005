"""``python -m mock_server`` runs the ``rsc-mock`` command line."""

from mock_server.cli import main

raise SystemExit(main())

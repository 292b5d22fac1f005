"""rsc-mock: an offline emulator of LinkedIn's Recruiter System Connect (RSC) and Middleware Platform.

Entry points: ``mock_server.app.create_app`` (the ASGI app), ``mock_server.cli`` (the ``rsc-mock`` command)
and ``mock_server.testing.plugin`` (the pytest plugin).
"""

__version__ = "0.1.0"

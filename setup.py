"""Packaging details pyproject.toml cannot say: ship the top-level ``fixtures/`` directory inside the package
as ``mock_server.bundled_fixtures`` so an installed (non-editable) copy has its demo tenant, and ``examples/`` as
``mock_server.bundled_examples`` for the example page the server serves."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["mock_server", "mock_server.*"]) + ["mock_server.bundled_fixtures",
                                                                            "mock_server.bundled_examples"],
    package_dir={"mock_server.bundled_fixtures": "fixtures", "mock_server.bundled_examples": "examples"},
    package_data={
        "mock_server": ["schemas/*.json", "api/widgets/static/*", "dashboard/templates/*.html", "dashboard/static/*"],
        "mock_server.bundled_fixtures": ["*/*.json", "*/*/*.json"],
        "mock_server.bundled_examples": ["*.html"],
    },
)

"""Offline tools behind the CLI: the world generator, snapshot export and import, the OpenAPI document."""

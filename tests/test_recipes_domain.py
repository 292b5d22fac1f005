"""Recipe 1 (README, "Add a LinkedIn resource") done for real: a throwaway LinkedIn resource written as ONE
module and ONE schema file, registered with one line in ``MODULES``, is served by the real app behind the gate
(version, token, audience, quota), validated against its schema, listed by ``GET /_mock/quotas`` and described
by the OpenAPI document — with no other file of the package touched.

The module and the schema are written to a temporary directory: the module joins the
``mock_server.api.resources`` package through its ``__path__``, the schema joins a temporary copy of the schema
directory (``mock_server.schemas.HERE``), so the checkout is never written to.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from mock_server import schemas
from mock_server.api import resources
from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.schemas import validation
from mock_server.testing.server import RunningServer
from tests.conftest import token_for

REAL_SCHEMAS = Path(schemas.__file__).resolve().parent
REAL_RESOURCES = Path(resources.__file__).resolve().parent
MODULE = textwrap.dedent('''
    """``atsPings``: a throwaway resource. CREATE echoes a ping (``schemas/atsPing.json``) with the caller's
    application; GET answers a ping by id. Customers only, 3 calls a day."""

    from mock_server.api.gate import Policy
    from mock_server.api.resources.common import BOTH, caller
    from mock_server.domain.quotas import Quota
    from mock_server.restli.resource import Call, Created, Resource
    from mock_server.schemas import validation


    def create(call: Call) -> Created:
        """CREATE: 201 with the ping and the caller's application; 422 naming a field against the schema."""
        validation.check("atsPing", call.body)
        return Created(call.body["pingId"], 201, {**call.body, "application": caller(call).application["key"]})


    def get(call: Call) -> dict:
        """GET: the answer to ping ``call.key``."""
        return {"pingId": call.key, "message": "pong"}


    RESOURCES = [(Resource(path="atsPings", handlers={"CREATE": create, "GET": get},
                           policy=Policy(quota=Quota(3))), BOTH)]
''')

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "A throwaway ping",
    "x-provenance": "inferred",
    "x-source": "tests/test_recipes_domain.py",
    "type": "object",
    "additionalProperties": False,
    "required": ["pingId", "message"],
    "properties": {"pingId": {"type": "string", "minLength": 1}, "message": {"type": "string"}},
}


def clear_schema_caches() -> None:
    """Forget every schema and validator read so far (they are cached per name)."""
    for cached in (schemas.load, schemas.registry, validation.validator, validation.fast_validator):
        cached.cache_clear()


def add_resource(monkeypatch, tmp_path, name: str, module_text: str) -> None:
    """Recipe 1's module step: ``name``.py beside the resource modules (in ``tmp_path``) and its line in
    ``MODULES``."""
    package_dir = tmp_path / "resources"
    package_dir.mkdir(exist_ok=True)
    (package_dir / f"{name}.py").write_text(module_text, encoding="utf-8")
    monkeypatch.setattr(resources, "__path__", [*resources.__path__, str(package_dir)])
    monkeypatch.setattr(resources, "MODULES", (*resources.MODULES, name))
    importlib.invalidate_caches()
    monkeypatch.delitem(sys.modules, f"mock_server.api.resources.{name}", raising=False)


@pytest.fixture
def ping_server(monkeypatch, tmp_path):
    """The real server with the throwaway ``atsPings`` resource (module + schema + one line)."""
    schema_dir = tmp_path / "schemas"
    shutil.copytree(schemas.HERE, schema_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (schema_dir / "atsPing.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    monkeypatch.setattr(schemas, "HERE", schema_dir)
    clear_schema_caches()
    add_resource(monkeypatch, tmp_path, "ats_pings", MODULE)
    try:
        with RunningServer(Settings()) as server:
            yield server
    finally:
        sys.modules.pop("mock_server.api.resources.ats_pings", None)
        clear_schema_caches()


def test_a_new_resource_is_one_module_one_schema_and_one_line(ping_server):
    assert not (REAL_SCHEMAS / "atsPing.json").exists() and not (REAL_RESOURCES / "ats_pings.py").exists()

    with httpx.Client(base_url=ping_server.url, timeout=10) as http:
        customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
        partner = {"Authorization": "Bearer " + token_for(http, "demo-partner", "demo-partner-secret")}
        ping = {"pingId": "p-1", "message": "hello"}

        # the gate: no token, the wrong audience, no LinkedIn-Version on /rest
        assert http.post("/v2/atsPings", json=ping).status_code == 401
        refused = http.post("/v2/atsPings", json=ping, headers=partner)
        assert refused.status_code == 403
        assert refused.json()["message"] == "Not enough permissions to access: atsPings.CREATE"
        assert http.post("/rest/atsPings", json=ping, headers=customer).status_code == 400

        # the handlers, the schema
        created = http.post("/v2/atsPings", json=ping, headers=customer)
        assert created.status_code == 201, created.text
        assert created.headers["X-RestLi-Id"] == "p-1"
        assert created.json() == {**ping, "application": "urn:li:developerApplication:11"}
        invalid = http.post("/v2/atsPings", json={"pingId": "p-2"}, headers=customer)
        assert invalid.status_code == 422
        assert invalid.json()["message"] == ("ERROR :: /message :: field is required but not found and has no"
                                             " default value")
        assert http.get("/v2/atsPings/p-3", headers=customer).json() == {"pingId": "p-3", "message": "pong"}

        # the quota it declares: 3 calls a day, then 429, listed with its usage
        throttled = http.get("/v2/atsPings/p-4", headers=customer)
        assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
        quotas = http.get("/_mock/quotas").json()
        assert quotas["limits"]["atsPings"] == {"group": "atsPings", "callsPerDay": 3, "overridden": False}
        assert {"application": "urn:li:developerApplication:11", "group": "atsPings", "used": 3} in quotas["usage"]

        # the OpenAPI document
        doc = http.get("/_mock/openapi.json").json()
        assert "atsPing" in doc["components"]["schemas"]
        create = doc["paths"]["/v2/atsPings"]["post"]
        assert create["x-restli-methods"] == ["CREATE"]
        assert create["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/atsPing"}
        assert doc["paths"]["/rest/atsPings/{key}"]["get"]["x-restli-methods"] == ["GET"]


def test_a_resource_that_declares_no_policy_is_refused(monkeypatch, tmp_path):
    module = MODULE.replace("policy=Policy(quota=Quota(3))", "")
    add_resource(monkeypatch, tmp_path, "ats_pings_without_policy", module)
    try:
        with pytest.raises(TypeError, match="ats_pings_without_policy: resource atsPings declares no Policy"):
            create_app(Settings())
    finally:
        sys.modules.pop("mock_server.api.resources.ats_pings_without_policy", None)

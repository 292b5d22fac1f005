"""LinkedIn's own RSC Postman collection, run with newman against the real server.

The collection's variables are given to newman as environment variables (``--env-var``): in Postman an
environment value overrides the collection's placeholder values, where a global one does not. Every request
must answer 2xx. The collection file is read from ``../shared/reference`` beside the checkout (or
``RSC_POSTMAN_COLLECTION``); without it, or without newman, the test is skipped unless
``RSC_REQUIRE_NEWMAN=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
COLLECTION = Path(os.environ.get("RSC_POSTMAN_COLLECTION",
                                 ROOT.parent / "shared" / "reference" / "rsc.postman_collection.json"))
LINKEDIN_HOSTS = ("https://www.linkedin.com", "https://api.linkedin.com")


def demo_variables(base: str) -> dict[str, str]:
    """The collection's variables, pointed at the demo tenant."""
    return {
        "partner_app_client_id": "demo-partner", "partner_app_client_secret": "demo-partner-secret",
        "customer_app_client_id": "demo-customer", "customer_app_client_secret": "demo-customer-secret",
        "org_id": "1000", "contract_id": "2000", "person_id": "demo-recruiter",
        "Enter_ID_Value_Present_In_Response_of_Retrieve_Recruiter_Seatholders_API": "3000",
        "customer_name": "Postman Customer", "unique_foreign_id": "postman-customer",
        "Epoch in milliseconds": str(int(time.time() * 1000)),
    }


def point_at(node, base: str, member_token: str) -> None:
    """Rewrite LinkedIn's hosts to ``base``, the callback placeholder to the emulator's inbox, and the one
    3-legged request's auth to a minted member token, in place."""
    if isinstance(node, list):
        for item in node:
            point_at(item, base, member_token)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("auth"), dict) and node["auth"].get("type") == "oauth2":
        node["auth"] = {"type": "bearer", "bearer": [{"key": "token", "value": member_token, "type": "string"}]}
    request = node.get("request")
    if isinstance(request, dict):
        url = request["url"]["raw"] if isinstance(request.get("url"), dict) else request.get("url", "")
        for host in LINKEDIN_HOSTS:
            url = url.replace(host, base)
        request["url"] = url
        body = request.get("body") or {}
        if body.get("mode") == "raw":
            body["raw"] = body["raw"].replace("<https://YourCallbackURL>", base + "/_mock/inbox/postman")
    for value in node.values():
        point_at(value, base, member_token)


def newman() -> str | None:
    return shutil.which("newman")


def test_linkedin_postman_collection_all_ok(server, tmp_path):
    if not COLLECTION.exists() or newman() is None:
        if os.environ.get("RSC_REQUIRE_NEWMAN") == "1":
            pytest.fail(f"newman or the collection is missing ({COLLECTION})")
        pytest.skip("newman or LinkedIn's Postman collection is not available")
    collection = json.loads(COLLECTION.read_text())
    minted = httpx.post(server.url + "/_mock/tokens", json={"client_id": "demo-customer",
                                                            "member": "urn:li:person:demo-recruiter"}).json()
    point_at(collection, server.url, minted["access_token"])
    items = collection["item"]  # newman runs in order: the customer token request first, as a person would
    collection["item"] = sorted(items, key=lambda item: "Access Token" not in item["name"])
    path = tmp_path / "collection.json"
    path.write_text(json.dumps(collection))
    report = tmp_path / "report.json"
    command = [newman(), "run", str(path), "--reporters", "json", "--reporter-json-export", str(report),
               "--timeout-request", "10000"]
    for name, value in demo_variables(server.url).items():
        command += ["--env-var", f"{name}={value}"]
    subprocess.run(command, capture_output=True, timeout=180)
    executions = json.loads(report.read_text())["run"]["executions"]
    failures = []
    for execution in executions:
        response = execution.get("response") or {}
        code = response.get("code")
        if code is None or not 200 <= code < 300 or execution.get("requestError"):
            body = bytes(response.get("stream", {}).get("data", [])).decode(errors="replace")[:300]
            failures.append(f"{code} {execution['item']['name']}: {body}")
    assert len(executions) == 48
    assert not failures, "\n".join(failures)

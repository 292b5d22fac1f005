"""The peer of ``sync_bench.py``: a bare Starlette app that only reads each request body, parses its JSON with
``json.loads`` (the second part of a tunnelled ``multipart/mixed`` body, as the emulator must find it) and
answers 200 ``{}``, served by uvicorn with the settings ``rsc-mock serve`` uses.

Usage: ``python bench/bare_server.py --port P``.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import json

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def parse_only(request: Request) -> Response:
    """Parse the body's JSON (when there is one) and answer 200 with an empty JSON object."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/mixed"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
        body = list(message.iter_parts())[1].get_payload(decode=True)
    if body:
        json.loads(body)
    return Response(b"{}", media_type="application/json")


APP = Starlette(routes=[Route("/{path:path}", parse_only, methods=["GET", "PUT", "POST", "DELETE"])])


def main() -> None:
    """Serve on 127.0.0.1:<port> like ``rsc-mock serve`` does (no access log, uvicorn's default loop/http)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(APP, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, log_config=None)


if __name__ == "__main__":
    main()

"""``python -m examples.partner --linkedin URL [--port P] [--customer ID] [--flaw NAME ...]``: run the reference
ATS until interrupted; it prints its URL and its certification hook."""

from __future__ import annotations

import argparse
import sys
import threading

from .connector import Flaws
from .server import start


def main(argv=None) -> int:
    """Parse the arguments and serve; exit 2 for a bad flaw name or a taken port."""
    parser = argparse.ArgumentParser(prog="python -m examples.partner", description=__doc__)
    parser.add_argument("--linkedin", default="http://127.0.0.1:8080", help="where LinkedIn is (the emulator)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--customer", default="acme", help="uniqueForeignId of the seeded customer")
    parser.add_argument("--partner-id", default="demo-partner")
    parser.add_argument("--partner-secret", default="demo-partner-secret")
    parser.add_argument("--flaw", action="append", default=[], help="a broken behaviour (see connector.Flaws)")
    args = parser.parse_args(argv)
    try:
        flaws = Flaws.named(args.flaw)
        server = start(args.linkedin, args.customer, flaws, (args.partner_id, args.partner_secret), args.host,
                       args.port)
    except (ValueError, OSError) as error:
        print(f"reference ATS: {error}", file=sys.stderr)
        return 2
    print(f"reference ATS on {server.url}; certification hook {server.hook_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

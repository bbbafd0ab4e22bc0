"""rdflib-endpoint serving an N-Quads file, as its own ``serve`` command does (union default).

Run as ``python -m bench.rdflib_server FILE --port N``; started by ``bench.servers``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rdflib_server")
    parser.add_argument("file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(args.file, format="nquads")
    print(f"loaded {len(dataset)} quads from {args.file}", file=sys.stderr, flush=True)
    app = SparqlEndpoint(graph=dataset, enable_update=False)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

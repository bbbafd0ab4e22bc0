"""The HTTP client that times one SPARQL query end to end.

An HTTP sample is the wall time from sending the request on a kept-alive connection to having
read the whole response body. Bare pyoxigraph is timed in ``bench.oxworker``.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Protocol

from bench.querymix import Query
from bench.servers import Endpoint

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"


@dataclass(frozen=True)
class Answer:
    seconds: float
    size: int  # result rows (SELECT) or triples (CONSTRUCT/DESCRIBE); -1 when unknown
    status: int  # HTTP status; 200 in process; 0 for a timeout or connection failure
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200


class Runner(Protocol):
    name: str

    def run(self, query: Query) -> Answer: ...

    def close(self) -> None: ...


def result_size(kind: str, body: bytes) -> int:
    """Rows of a SPARQL JSON result, or lines of an N-Triples document."""
    try:
        if kind == "select":
            data = json.loads(body)
            if "boolean" in data:
                return 1
            return len(data["results"]["bindings"])
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    except (ValueError, KeyError, TypeError):
        return -1


class HttpRunner:
    """SPARQL 1.1 Protocol query via POST (form-encoded) on one persistent connection."""

    def __init__(self, endpoint: Endpoint, timeout_s: float) -> None:
        self.name = endpoint.name
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            host, port = self.endpoint.host_port
            self.conn = http.client.HTTPConnection(host, port, timeout=self.timeout_s)
        return self.conn

    def run(self, query: Query) -> Answer:
        """One request; a dropped kept-alive connection is reopened and the request resent."""
        answer = self._once(query)
        if answer.status == 0 and answer.error != "timeout":
            answer = self._once(query)
        return answer

    def _once(self, query: Query) -> Answer:
        body = urllib.parse.urlencode({"query": query.text})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": SELECT_ACCEPT if query.kind == "select" else GRAPH_ACCEPT,
        }
        conn = self._connection()
        t0 = time.perf_counter()
        try:
            conn.request("POST", self.endpoint.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - t0
        except TimeoutError:
            self.close()
            return Answer(time.perf_counter() - t0, -1, 0, "timeout")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Answer(time.perf_counter() - t0, -1, 0, f"{type(exc).__name__}: {exc}")
        if resp.will_close:
            self.close()
        if resp.status != 200:
            return Answer(elapsed, -1, resp.status, data[:200].decode("utf-8", "replace"))
        return Answer(elapsed, result_size(query.kind, data), 200)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

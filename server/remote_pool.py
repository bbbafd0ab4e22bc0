"""Queries answered by an external SPARQL 1.1 store, with the embedded pool's interface.

The server keeps its own protections in front of the store: the SERVICE allow-list and
read-only checks happen before a query gets here. Here a query waits at most
``query_timeout_s`` for a free slot and then has ``query_timeout_s`` for the store's answer
(the HTTP request is abandoned then: 503 Query Timeout, as on the embedded store). The answer
is relayed as a stream (``RemoteStore.query_stream``) and read only as far as
``max_result_rows``: it is parsed as it arrives and written in the client's format by the
same code as the embedded store's answers, so formats, caps and headers are identical and a
huge answer is never held in memory. The store is asked for SPARQL XML results or N-Triples,
which every store speaks, so any format the client negotiates can be given.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import requests

from graphbuild.errors import QueryError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store.external import RemoteStore
from graphbuild.store.sparql_client import RemoteAnswer, query_form
from server.executor import (
    PoolBusy,
    QueryFailed,
    QueryHead,
    QueryJob,
    QueryStream,
    QueryTimeout,
    SlowLane,
    StoreSource,
    render,
)

RESULTS_ACCEPT = "application/sparql-results+xml, application/sparql-results+json;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS_FORMATS = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


class _Expired(TimeoutError):
    """The query's deadline passed while its answer was still arriving."""


class _AnswerReader(io.RawIOBase):
    """The store's answer as a file for pyoxigraph's parsers, read no further than needed.

    Each read checks the query's deadline; a read the store leaves hanging is ended by the
    HTTP read timeout, which is the time left when the request was sent.
    """

    def __init__(self, answer: RemoteAnswer, deadline: float) -> None:
        self._chunks: Iterator[bytes] = answer.chunks()
        self._left = b""
        self._deadline = deadline
        self.expired = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            if time.monotonic() > self._deadline:
                self.expired = True
                raise _Expired("the store's answer was still arriving at the deadline")
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
            except requests.RequestException as exc:  # a read timeout comes wrapped
                self.expired = _timed_out(exc) or time.monotonic() >= self._deadline
                raise OSError(f"the store's answer broke off: {exc}") from exc
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def _timed_out(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) is an HTTP connect or read timeout."""
    todo: list[BaseException] = [exc]
    visited: set[int] = set()
    while todo:
        seen = todo.pop()
        if id(seen) in visited:
            continue
        visited.add(id(seen))
        if isinstance(seen, requests.Timeout | TimeoutError):
            return True
        todo += [a for a in seen.args if isinstance(a, BaseException)]
        todo += [e for e in (seen.__cause__, seen.__context__) if e is not None]
    return False


class RemotePool:
    """At most ``size`` queries at the store at once; the rest wait up to their timeout."""

    def __init__(self, store: RemoteStore, size: int) -> None:
        self._store = store
        self._size = max(1, size)
        self._slots = threading.BoundedSemaphore(self._size)
        self._running = 0
        self._lock = threading.Lock()
        self.killed = 0
        """Queries abandoned at their timeout (the embedded pool counts killed workers)."""

    @property
    def live(self) -> int:
        return self._running

    def run(self, job: QueryJob, timeout_s: float, slow: SlowLane | None = None) -> QueryStream:
        """Send ``job`` to the store and read its answer, as far as the caps, in time (the
        store evaluates: there is no worker here to lower or stop, so ``slow`` is unused)."""
        if not self._slots.acquire(timeout=timeout_s):
            raise PoolBusy("every query slot stayed busy")
        with self._lock:
            self._running += 1
        try:
            head, body = self._answer(job, time.monotonic() + timeout_s)
        except QueryTimeout:
            with self._lock:
                self.killed += 1
            raise
        finally:
            with self._lock:
                self._running -= 1
            self._slots.release()
        return QueryStream.whole(head, body)

    def _answer(self, job: QueryJob, deadline: float) -> tuple[QueryHead, bytes]:
        graph = query_form(job.query) in ("CONSTRUCT", "DESCRIBE")
        try:
            answer = self._store.query_stream(
                job.query,
                GRAPH_ACCEPT if graph else RESULTS_ACCEPT,
                default_graph_union=not job.default_graph,
                default_graph=job.default_graph or None,
                named_graphs=job.named_graphs or None,
                timeout_s=max(0.001, deadline - time.monotonic()),
            )
        except QueryError as exc:
            said = exc.message.removeprefix("malformed query: ")
            raise QueryFailed("syntax", f"the store says: {said}") from None
        except StoreError as exc:
            if _timed_out(exc):
                raise QueryTimeout() from None
            if isinstance(exc.__cause__, requests.RequestException):
                raise  # the store cannot be reached: 503 Store Unavailable
            raise QueryFailed("failed", exc.message) from None  # the store failed evaluating
        with answer:
            media = answer.content_type.split(";")[0].strip().lower()
            reader = _AnswerReader(answer, deadline)
            try:
                results: ox.QueryBoolean | ox.QuerySolutions | Iterator[ox.Triple]
                if graph:
                    fmt = _graph_format(media)
                    results = (q.triple for q in ox.parse(io.BufferedReader(reader), format=fmt))
                else:
                    results = ox.parse_query_results(
                        io.BufferedReader(reader), format=_results_format(media)
                    )
                return render(results, job)
            except QueryFailed:
                raise
            except (OSError, SyntaxError, ValueError) as exc:
                if reader.expired:
                    raise QueryTimeout() from None
                raise StoreError(
                    f"the store's answer ({media or 'no content type'}) could not be read: {exc}",
                    where=self._store.endpoints.query,
                    hint="check the store's log; the store may have stopped mid-answer",
                ) from None

    def warm_up(self) -> None:
        """Check the store answers before the server says it is ready."""
        self._store.query("ASK {}", timeout_s=30)

    def recycle(self, source: StoreSource) -> None:
        """Nothing to restart: the store always serves its current data."""

    def close(self) -> None:
        self._store.close()

    def pids(self) -> list[int]:
        return []

    def stats(self) -> dict[str, Any]:
        return {
            "store": self._store.endpoints.query,
            "running": self._running,
            "max_running": self._size,
            "timed_out": self.killed,
        }


def _results_format(media: str) -> ox.QueryResultsFormat:
    found = _RESULTS_FORMATS.get(media)
    if found is None:
        raise ValueError(f"not a SPARQL results format: '{media or 'no content type'}'")
    return found


def _graph_format(media: str) -> ox.RdfFormat:
    try:
        return GraphFormat.lookup(media).ox
    except ValueError:  # stores label N-Triples text/plain and the like
        return ox.RdfFormat.N_TRIPLES

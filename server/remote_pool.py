"""Queries answered by an external SPARQL 1.1 store, with the embedded pool's interface.

The server keeps its own protections in front of the store: the SERVICE allow-list and
read-only checks happen before a query gets here; here a query waits at most
``query_timeout_s`` for a free slot and for the store's answer (the HTTP request is
abandoned then, and the store is asked to stop through its own timeout if it has one), and
the answer is cut at ``max_result_rows`` and written in the client's format by the same code
as the embedded store's (the store is asked for SPARQL XML or N-Triples, which every store
speaks, and pyoxigraph re-serialises).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from graphbuild.errors import QueryError, StoreError
from graphbuild.remote_store import RemoteStore
from server.executor import PoolBusy, QueryFailed, QueryJob, QueryStream, QueryTimeout, render


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

    def run(self, job: QueryJob, timeout_s: float) -> QueryStream:
        if not self._slots.acquire(timeout=timeout_s):
            raise PoolBusy("every query slot stayed busy")
        with self._lock:
            self._running += 1
        started = time.monotonic()
        try:
            results = self._store.query(
                job.query,
                default_graph_union=not job.default_graph,
                default_graph=job.default_graph or None,
                named_graphs=job.named_graphs or None,
                timeout_s=timeout_s,
            )
            head, body = render(results, job)
        except QueryError as exc:
            raise QueryFailed("syntax", exc.message) from None
        except StoreError as exc:
            if time.monotonic() - started >= timeout_s * 0.99 or "longer than" in exc.message:
                with self._lock:
                    self.killed += 1
                raise QueryTimeout() from None
            raise QueryFailed("failed", str(exc)) from None
        except (OSError, ValueError) as exc:
            raise QueryFailed("failed", str(exc)) from None
        finally:
            with self._lock:
                self._running -= 1
            self._slots.release()
        return QueryStream(self, None, head, timeout_s, body)  # type: ignore[arg-type]

    def release(self, worker: object) -> None:  # pragma: no cover - answers come whole
        pass

    def discard(self, worker: object, *, replace: bool = True) -> None:  # pragma: no cover
        pass

    def warm_up(self) -> None:
        """Check the store answers before the server says it is ready."""
        self._store.query("ASK {}", timeout_s=30)

    def recycle(self, source: object) -> None:
        """Nothing to restart: the store serves its current data."""

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

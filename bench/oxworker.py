"""Bare pyoxigraph in a worker process, so a runaway query can be stopped at the timeout.

pyoxigraph's ``Store.query`` cannot be interrupted from Python; the worker times the query and
the serialisation of its results itself (so the sample is the engine's own work, with no
transport in it) and the parent kills and restarts the worker when a query runs too long.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from multiprocessing.connection import Connection
from typing import Any

from bench.client import Answer, result_size
from bench.querymix import Query


def _serve(path: str, conn: Connection, union: bool = True) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    conn.send("ready")
    while True:
        msg = conn.recv()
        if msg is None:
            return
        text, kind = msg
        t0 = time.perf_counter()
        try:
            result = store.query(text, use_default_graph_as_union=union)
            if isinstance(result, ox.QueryTriples):
                data = result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
            elif isinstance(result, ox.QuerySolutions):
                data = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
            else:
                data = json.dumps({"boolean": bool(result)}).encode()
        except (SyntaxError, OSError, ValueError) as exc:
            conn.send((time.perf_counter() - t0, -1, str(exc)[:200]))
            continue
        elapsed = time.perf_counter() - t0
        conn.send((elapsed, result_size(kind, data), ""))


class WorkerRunner:
    """``Runner`` for bare pyoxigraph on a store directory, in a killable worker process."""

    def __init__(
        self, path: str, timeout_s: float, name: str = "pyoxigraph", union: bool = True
    ) -> None:
        self.name = name
        self.path = path
        self.union = union
        self.timeout_s = timeout_s
        self.ctx = mp.get_context("spawn")
        self.proc: Any = None
        self.conn: Connection | None = None
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(
            target=_serve, args=(self.path, child, self.union), daemon=True
        )
        self.proc.start()
        child.close()
        self.conn = parent
        if not parent.poll(120) or parent.recv() != "ready":
            raise RuntimeError(f"the pyoxigraph worker did not open {self.path}")

    def run(self, query: Query) -> Answer:
        assert self.conn is not None
        t0 = time.perf_counter()
        self.conn.send((query.text, query.kind))
        if not self.conn.poll(self.timeout_s):
            self._kill()
            self.restarts += 1
            self._start()
            return Answer(time.perf_counter() - t0, -1, 0, "timeout")
        seconds, size, error = self.conn.recv()
        if error:
            return Answer(seconds, -1, 500, error)
        return Answer(seconds, size, 200)

    def _kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join(10)
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def close(self) -> None:
        if self.conn is not None and self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
                self.proc.join(5)
            except OSError:
                pass
        self._kill()

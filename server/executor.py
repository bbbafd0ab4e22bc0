"""SPARQL queries in worker processes that can be killed, so a timeout really stops a query.

pyoxigraph's ``query`` cannot be interrupted, and a thread cannot be killed, so each query
runs in one of a small pool of worker processes that keep a read-only store open (the warm
path is one pipe round trip). When ``query_timeout_s`` passes, the worker is killed and
replaced in the background; concurrent queries in other workers are unaffected. What a worker
does is :mod:`server.worker`; workers are forked from a ``forkserver`` that has imported only
that module, so a replacement is ready in a fraction of the time a fresh interpreter needs
and costs the other queries' workers little CPU.

Each worker is bounded: its private memory by ``RLIMIT_DATA`` (``max_query_memory_mb``: an
allocation past it aborts the worker, the query is answered 503 and the worker replaced),
its network by the sandbox (:mod:`server.sandbox`), and a query that runs past
``slow_query_s`` has to be admitted to the slow lane (:class:`SlowLane`): then its worker
runs at the lowest CPU priority and is replaced afterwards, otherwise it is stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import multiprocessing
import os
import queue
import select
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

import pyoxigraph as ox

from server.guard import Pattern
from server.sandbox import Supervisor
from server.worker import (
    _MARKS,
    CHUNK_BYTES,
    WHOLE_BYTES,
    QueryFailed,
    QueryHead,
    QueryJob,
    ResultKind,
    StoreSource,
    WorkerLimits,
    _CappedSink,
    _Enough,
    evaluate,
    render,
    worker_main,
)

__all__ = [
    "CHUNK_BYTES",
    "WHOLE_BYTES",
    "_MARKS",
    "InThread",
    "PoolBusy",
    "QueryFailed",
    "QueryHead",
    "QueryJob",
    "QueryPool",
    "QueryStream",
    "QueryTimeout",
    "ResultKind",
    "SlowLane",
    "StoreSource",
    "WorkerLimits",
    "_CappedSink",
    "_Enough",
    "render",
]

log = logging.getLogger("diplograph.server")

SPAWN_TIMEOUT_S = 60.0
SLOW_NICENESS = 19


class QueryTimeout(Exception):
    """The query ran past its deadline and its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy until the query's deadline."""


class SlowLane(Protocol):
    """Admission of one query to the long-running lane (see ``server.limits``)."""

    after_s: float
    """Seconds of running after which the query is long-running."""

    def enter(self) -> bool:
        """Whether the query may go on running; ``False`` stops it."""
        ...

    def crowded(self) -> bool:
        """Whether the query's client already runs as many long queries as it may: then this
        one runs at the slow lane's priority from the start (it would be stopped if it ran
        long, and until then it must not take CPU from other clients' short queries)."""
        ...


# ---- one-scan queries, in the request thread --------------------------------------------------


class InThread:
    """One-scan queries (``server.guard.one_scan``: ``DESCRIBE`` of one IRI, ``ASK`` or
    ``SELECT`` of one triple pattern about a given node) answered in the request thread from
    the server's own store, up to ``rows`` rows and ``max_bytes`` bytes.

    A worker's round trip is most of what a small answer costs (two processes to wake, the
    job and the answer through a pipe), and these queries cannot run long: the engine streams
    one index scan, and the answer is cut after ``rows`` rows, so the work done here is about
    that many rows. A query with more is answered again, whole, by a worker, under
    ``query_timeout_s`` like every other.
    """

    def __init__(self, store: ox.Store, merged_default: bool, rows: int, max_bytes: int) -> None:
        self._store = store
        self._merged_default = merged_default
        self.rows = rows
        self.max_bytes = max_bytes
        self._empty = ox.Store()
        self.answered = 0
        """Queries answered here (for tests and operators)."""
        self.answered_empty = 0
        """Of those, queries with a required pattern that matches nothing (:meth:`unmatched`)."""

    def unmatched(self, patterns: Iterable[Pattern]) -> bool:
        """Whether one of the patterns (``server.guard.required_patterns``) matches no quad
        of the store in any graph: then the query has no solution in any dataset, and its
        answer is the same query's answer over an empty store (:meth:`answer_empty`). Looked
        up in the store at each request, so an answer is never stale after an update."""
        for subject, predicate, obj in patterns:
            try:
                found = self._store.quads_for_pattern(
                    None if subject is None else ox.NamedNode(subject),
                    None if predicate is None else ox.NamedNode(predicate),
                    None if obj is None else ox.NamedNode(obj),
                    None,
                )
            except ValueError:  # not an IRI the store can hold: no evidence either way
                continue
            if next(iter(found), None) is None:
                return True
        return False

    def answer_empty(self, job: QueryJob) -> tuple[QueryHead, bytes]:
        """The answer of a query none of whose solutions exist (:meth:`unmatched`): the same
        query over an empty store gives the same head, variables, aggregates over no rows
        (``COUNT`` 0) and bytes, in a few hundred microseconds."""
        answer = evaluate(self._empty, job, False)
        self.answered += 1
        self.answered_empty += 1
        return answer

    def answer(self, job: QueryJob) -> tuple[QueryHead, bytes] | None:
        """The answer, or ``None`` when it has more rows or bytes than are answered here."""
        rows = min(job.max_rows, self.rows)
        cap = min(job.max_bytes, self.max_bytes) if job.max_bytes else self.max_bytes
        capped = dataclasses.replace(job, max_rows=rows, max_bytes=cap)
        head, body = evaluate(self._store, capped, self._merged_default)
        if head.truncated_by == "rows" and rows < job.max_rows:
            return None
        if head.truncated_by == "bytes" and (not job.max_bytes or cap < job.max_bytes):
            return None
        self.answered += 1
        return head, body


# ---- the pool, in the server process --------------------------------------------------------


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection, generation: int) -> None:
        self.process = process
        self.conn = conn
        self.generation = generation
        self.retire = False
        """Replace it after its answer (it was lowered to the slow lane's CPU priority)."""
        self._poller = select.poll()
        self._poller.register(conn.fileno(), select.POLLIN)

    def readable(self, timeout_s: float) -> bool:
        """Whether the worker has said something (or ended) within ``timeout_s``: one
        ``poll`` call, not ``Connection.poll``'s selector built anew each time."""
        return bool(self._poller.poll(max(0, math.ceil(timeout_s * 1000))))

    def idle_and_alive(self) -> bool:
        """An idle worker never has anything to say: readable means it ended (EOF)."""
        return not self.readable(0)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def lower_priority(self) -> None:
        """Run at the lowest CPU priority: on Linux ``SCHED_IDLE`` (only CPU time no other
        process wants; nice 19 alone still took a share from short queries), elsewhere nice
        19. Its query runs in the worker's main thread, whose id is the process id."""
        pid = self.process.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, SLOW_NICENESS)
            if hasattr(os, "SCHED_IDLE"):
                with contextlib.suppress(OSError):
                    os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
        self.retire = True

    def died_of_memory(self) -> bool:
        """An allocation past ``RLIMIT_DATA`` aborts pyoxigraph (Rust's allocation error)."""
        return self.process.exitcode == -signal.SIGABRT


class QueryStream:
    """The body of one answer: iterate for chunks; ``close()`` hands the worker back."""

    @classmethod
    def whole(cls, head: QueryHead, body: bytes) -> QueryStream:
        """An answer already complete in memory (no worker behind it)."""
        return cls(None, None, head, 0.0, body)

    def __init__(
        self,
        pool: QueryPool | None,
        worker: _Worker | None,
        head: QueryHead,
        timeout_s: float,
        body: bytes | None = None,
    ):
        self.head = head
        self._pool = pool
        self._worker: _Worker | None = worker
        self._timeout_s = timeout_s
        self._body = body
        """The whole answer when it came in one message (the worker is already free)."""

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._body is not None:
            body, self._body = self._body, None
            return body
        worker, pool = self._worker, self._pool
        if worker is None or pool is None:
            raise StopIteration
        try:
            if not worker.readable(self._timeout_s):
                raise TimeoutError("the query worker stalled")
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:  # the answer is cut short; say so in the log
            log.error("query answer cut short: %s", exc)
            self._worker = None
            pool.discard(worker)
            raise StopIteration from None
        if message[0] == "chunk":
            chunk: bytes = message[1]
            return chunk
        self._worker = None
        pool.release(worker)
        raise StopIteration

    def close(self) -> None:
        """Drain what the worker still has to say (a client left early) or kill it."""
        worker, self._worker = self._worker, None
        pool = self._pool
        if worker is None or pool is None:
            return
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and worker.readable(
            max(0.0, deadline - time.monotonic())
        ):
            message = worker.conn.recv()
            if message[0] != "chunk":
                pool.release(worker)
                return
        pool.discard(worker)


WORKER_MODULES = ["server.worker"]
"""What the forkserver imports once, so that each worker it forks starts with it loaded."""


def worker_context() -> Any:
    """Workers are forked from a ``forkserver`` that pre-loaded :mod:`server.worker` (never
    from the threaded server itself, and never importing the command line or Flask again);
    where there is no forkserver, spawned."""
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(WORKER_MODULES)
    return ctx  # a ForkServerContext or SpawnContext (typeshed's BaseContext has no Process)


class QueryPool:
    """Up to ``size`` worker processes, spawned on demand and replaced when killed."""

    def __init__(
        self,
        source: StoreSource,
        size: int,
        limits: WorkerLimits | None = None,
        supervisor: Supervisor | None = None,
    ) -> None:
        self._source = source
        self._size = max(1, size)
        self._limits = limits or WorkerLimits()
        self._supervisor = supervisor
        self.sandboxed: bool | None = None
        """Whether the workers run in the network sandbox (``None`` before the first spawn)."""
        self._ctx = worker_context()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._live = 0
        self._closed = False
        self._generation = 0
        self._workers: set[_Worker] = set()
        self.killed = 0
        """How many workers were stopped (timeouts, crashes, recycling); for /health."""

    @property
    def live(self) -> int:
        return self._live

    def run(self, job: QueryJob, timeout_s: float, slow: SlowLane | None = None) -> QueryStream:
        """Start ``job`` and wait for its head: ``timeout_s`` for a free worker, then
        ``timeout_s`` for the query itself (a worker's start-up is not the query's time).
        Past ``slow.after_s`` the query needs the slow lane's admission to go on."""
        worker = self._acquire(time.monotonic() + timeout_s)
        if slow is not None and slow.crowded():
            worker.lower_priority()
        started = time.monotonic()
        deadline = started + timeout_s
        slow_at = started + slow.after_s if slow is not None else deadline
        try:
            worker.conn.send(job)
        except (BrokenPipeError, OSError):
            self.discard(worker)
            raise QueryFailed("failed", "the query worker died; please retry") from None
        while not worker.readable(max(0.0, min(deadline, slow_at) - time.monotonic())):
            if time.monotonic() >= deadline:
                self.discard(worker)
                raise QueryTimeout()
            if slow is not None and slow_at < deadline:
                slow_at = deadline
                if not slow.enter():
                    self.discard(worker)
                    raise QueryFailed("slow_lane_full", "the long-running queries' lane is full")
                worker.lower_priority()
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self.discard(worker)
            if worker.died_of_memory():
                raise QueryFailed("memory", "the query needed more memory than allowed") from None
            raise QueryFailed("failed", "the query worker died while answering") from None
        if message[0] == "error":
            blocked = (
                self._supervisor.take_blocked(worker.process.pid or 0)
                if (self._supervisor is not None)
                else []
            )
            if message[1] == "memory":
                self.discard(worker)
            else:
                self.release(worker)
            if blocked:
                raise QueryFailed("refused", f"a connection to {', '.join(blocked)} is not allowed")
            raise QueryFailed(message[1], message[2], *message[3:])
        if message[0] == "whole":
            self.release(worker)
            return QueryStream(self, None, message[1], timeout_s, message[2])
        head: QueryHead = message[1]
        return QueryStream(self, worker, head, max(timeout_s, 5.0))

    def _acquire(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.generation == self._generation and worker.idle_and_alive():
                return worker
            self.discard(worker)
        with self._lock:
            if self._closed:
                raise PoolBusy("the server is shutting down")
            spawn = self._live < self._size
            if spawn:
                self._live += 1
        if spawn:
            return self._spawn()
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise PoolBusy("every query worker stayed busy") from None

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        with self._lock:
            generation, source = self._generation, self._source
        process = self._ctx.Process(
            target=worker_main,
            args=(child, source, self._limits),
            name="diplograph-query",
            daemon=True,
        )
        try:
            process.start()
            child.close()
            if not parent.poll(SPAWN_TIMEOUT_S):
                raise QueryFailed("failed", "a query worker did not start in time")
            message = parent.recv()
            if message[0] != "ready":
                raise QueryFailed("failed", str(message[2]))
            self._confined(parent, bool(message[1]), str(message[2]))
        except BaseException:
            with self._lock:
                self._live -= 1
            with contextlib.suppress(Exception):
                process.kill()
                process.join(5)
            parent.close()
            raise
        worker = _Worker(process, parent, generation)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _confined(self, conn: Connection, confined: bool, why_not: str) -> None:
        """Hand a new worker's sandbox listener to the supervisor (or say why there is none)."""
        if confined:
            from multiprocessing.reduction import recv_handle

            fd = recv_handle(conn)
            if self._supervisor is None:  # nobody to decide its connects: they all fail
                os.close(fd)
            else:
                self._supervisor.watch(fd)
        elif self._limits.sandbox and self.sandboxed is not False:
            log.warning("query workers run without the network sandbox: %s", why_not)
        self.sandboxed = confined

    def release(self, worker: _Worker) -> None:
        """Hand a worker back after a complete answer."""
        stale = worker.generation != self._generation
        if self._closed or stale or worker.retire or not worker.idle_and_alive():
            self.discard(worker)
        else:
            self._idle.put(worker)

    def discard(self, worker: _Worker, *, replace: bool = True) -> None:
        """Kill a worker (timed out, broken, abandoned or stale) and start a replacement."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
            self._live -= 1
            self.killed += 1
            closed = self._closed
        if replace and not closed:
            threading.Thread(target=self._replace, name="diplograph-respawn", daemon=True).start()

    def _replace(self) -> None:
        with self._lock:
            if self._closed or self._live >= self._size:
                return
            self._live += 1
        try:
            worker = self._spawn()
        except Exception as exc:  # the next query will try again, and report it
            log.warning("could not replace a query worker: %s", exc)
            return
        self.release(worker)

    def recycle(self, source: StoreSource) -> None:
        """Serve from ``source`` from now on (after an update): idle workers are replaced
        at once, busy ones once their answer is complete."""
        with self._lock:
            self._generation += 1
            self._source = source
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            self.discard(worker)

    def warm_up(self) -> None:
        """Start one worker now, so the first query does not pay for the spawn."""
        self.release(self._acquire(time.monotonic() + SPAWN_TIMEOUT_S))

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.process.join(2)
            worker.kill()
            with self._lock:
                self._workers.discard(worker)
        with self._lock:
            busy = list(self._workers)
        for worker in busy:  # still answering: their requests end with a cut-short answer
            with contextlib.suppress(Exception):
                worker.process.kill()

    def pids(self) -> list[int]:
        """Process ids of the running workers (for operators and tests)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def stats(self) -> dict[str, Any]:
        return {
            "workers": self._live,
            "max_workers": self._size,
            "killed": self.killed,
            "sandboxed": self.sandboxed,
        }

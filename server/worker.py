"""What runs in a query worker process: open the store, take on the limits, answer jobs.

Imported by the worker processes (and by :mod:`server.executor`, which drives them), so it
loads nothing but pyoxigraph and the standard library's pieces it needs: a new worker is
forked from a small pre-loaded server process (``forkserver``) and is ready in milliseconds,
not the second or more that importing rdflib, Flask or the command line would take.

A worker evaluates the query, keeps at most ``max_rows`` rows (or triples) and at most
``max_bytes`` bytes of answer, sends a head (kind, content type, row count, truncation), then
the body in chunks; the request thread streams the chunks to the client.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import resource
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Literal, cast

import pyoxigraph as ox

from graphbuild.rdf.formats import GraphFormat, ResultsFormat
from graphbuild.store.readonly import open_read_only
from server.results import Row, _csv_value, write_solutions
from server.sandbox import SandboxUnavailable, confine

log = logging.getLogger("diplograph.server")

CHUNK_BYTES = 64 * 1024
WHOLE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoreSource:
    """How a worker opens the data: a store directory (read-only) or an N-Quads snapshot."""

    path: str | None = None
    nquads: bytes | None = None
    merged_default: bool = True
    """The store's default graph is the merge of its named graphs (else: pyoxigraph's union)."""

    def open(self) -> ox.Store:
        if self.path is not None:
            return open_read_only(Path(self.path))
        store = ox.Store()
        if self.nquads:
            store.load(self.nquads, format=ox.RdfFormat.N_QUADS)
        return store


@dataclass(frozen=True)
class WorkerLimits:
    """What bounds every worker process: private memory (0 = none) and the network sandbox."""

    memory_bytes: int = 0
    sandbox: bool = False


@dataclass(frozen=True)
class QueryJob:
    query: str
    results_format: str | None
    """``ResultsFormat`` key for SELECT/ASK, or ``None`` if the client accepts none."""
    graph_format: str | None
    """``GraphFormat`` key for CONSTRUCT/DESCRIBE, or ``None`` if the client accepts none."""
    max_rows: int
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_bytes: int = 0
    """Most bytes of answer (0 = no limit); rows past it are cut as past ``max_rows``."""


ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class QueryHead:
    kind: ResultKind
    content_type: str
    rows: int
    truncated: bool
    length: int | None = None
    """Bytes in the body: a ``Content-Length`` lets waitress keep the connection alive."""
    truncated_by: str = ""
    """What cut the answer: ``rows`` or ``bytes`` (empty when it is whole)."""


class QueryFailed(Exception):
    """The query has no answer: ``code`` is syntax, not_acceptable, failed, refused (the
    sandbox blocked a connection), memory (past ``max_query_memory_mb``) or slow_lane_full."""

    def __init__(self, code: str, message: str, kind: str = "") -> None:
        self.code = code
        self.message = message
        self.kind = kind
        super().__init__(message)


# ---- the worker process ----------------------------------------------------------------------


def worker_main(conn: Connection, source: StoreSource, limits: WorkerLimits) -> None:
    """Entry point of a worker process: open the store, take on the limits (memory, network),
    then answer jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    try:
        store = source.open()
    except OSError as exc:
        conn.send(("error", "failed", f"cannot open the store: {exc}"))
        return
    if limits.memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    listener: int | None = None
    unconfined = ""
    if limits.sandbox:
        try:
            listener = confine()
        except SandboxUnavailable as exc:
            unconfined = str(exc)
    conn.send(("ready", listener is not None, unconfined))
    if listener is not None:  # the supervisor in the server process decides our connects
        from multiprocessing.reduction import send_handle

        send_handle(conn, listener, os.getppid())
        os.close(listener)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            _answer(conn, store, job, source.merged_default)
        except (BrokenPipeError, EOFError):
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            conn.send(("error", "memory", "the query's answer did not fit in memory"))
            return  # a worker that ran out of memory is replaced
        except BaseException as exc:  # a bug, or an engine panic (a BaseException in pyo3)
            conn.send(("error", "failed", f"{type(exc).__name__}: {exc}"))


def evaluate(store: ox.Store, job: QueryJob, merged_default: bool) -> tuple[QueryHead, bytes]:
    """The job's answer from ``store``, or ``QueryFailed``: what a worker sends back, and
    what the server works out itself for a one-scan query (``server.executor.InThread``)."""
    try:
        results = store.query(
            job.query,
            use_default_graph_as_union=not job.default_graph and not merged_default,
            default_graph=[ox.NamedNode(g) for g in job.default_graph] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as exc:
        raise QueryFailed("syntax", exc.msg) from None
    except (OSError, ValueError) as exc:
        raise QueryFailed("failed", str(exc)) from None
    try:
        return render(results, job)
    except (OSError, ValueError) as exc:  # raised while evaluating (e.g. a failing SERVICE)
        raise QueryFailed("failed", str(exc)) from None


def _answer(conn: Connection, store: ox.Store, job: QueryJob, merged_default: bool) -> None:
    try:
        head, body = evaluate(store, job, merged_default)
    except QueryFailed as exc:
        conn.send(("error", exc.code, exc.message, exc.kind))
        return
    _send_body(conn, head, body)


def _send_body(conn: Connection, head: QueryHead, body: bytes) -> None:
    if len(body) <= WHOLE_BYTES:  # one pipe message; the worker is free at once
        conn.send(("whole", head, body))
        return
    conn.send(("head", head))
    for start in range(0, len(body), CHUNK_BYTES):
        conn.send(("chunk", body[start : start + CHUNK_BYTES]))
    conn.send(("end",))


def render(
    results: ox.QueryBoolean | ox.QuerySolutions | Iterable[ox.Triple], job: QueryJob
) -> tuple[QueryHead, bytes]:
    """The answer in the job's format, cut at ``max_rows`` rows or ``max_bytes`` bytes (at a
    row's end); ``QueryFailed`` if unacceptable.

    Results are read lazily, so parsed from a stream (an external store's answer) no more
    than the caps allow of them are ever read, and a worker never holds more answer than
    ``max_bytes`` (and one row).
    """
    if isinstance(results, ox.QueryBoolean):
        head, body = _boolean(results, job)
    elif isinstance(results, ox.QuerySolutions):
        head, body = _solutions(results, job)
    else:
        head, body = _graph(results, job)
    return dataclasses.replace(head, length=len(body)), body


def _boolean(results: ox.QueryBoolean, job: QueryJob) -> tuple[QueryHead, bytes]:
    if job.results_format is None:
        raise QueryFailed("not_acceptable", "", "boolean")
    fmt = ResultsFormat.lookup(job.results_format)
    body = results.serialize(format=fmt.ox) or b""
    return QueryHead("boolean", fmt.content_type, 1, False), body


class _Enough(Exception):
    """Raised from the output sink to stop pyoxigraph's serialiser past a cap."""


@contextmanager
def _stopped_at_cap(sink: _CappedSink) -> Iterator[None]:
    """Let the serialiser stop at the sink's cap: pyoxigraph re-raises our ``_Enough`` as
    an ``OSError`` from the write, which is the cap, not a failure."""
    try:
        yield
    except _Enough:
        pass
    except OSError as exc:
        if not isinstance(exc.__context__, _Enough) and sink.cut is None:
            raise


@dataclass(frozen=True)
class _RowMarks:
    """Where rows start in pyoxigraph's own serialisation of a results format.

    Each mark is a byte sequence that can only occur between rows (quotes, ``<`` and line
    breaks inside values are escaped in these formats), so counting marks counts rows
    without parsing. JSON marks a binding that starts with a variable; an all-unbound row
    (``{}``) is not counted, so such rows can only make an answer run past the cap.
    """

    mark: bytes
    first_row_at: int  # marks before the first row (TSV: the header line's end)
    ends_rows: bool  # the mark ends a row (TSV line break) rather than starting one
    closing: bytes

    def rows(self, count: int) -> int:
        return max(0, count - self.first_row_at)

    @property
    def first_row_end(self) -> int:
        """The count of marks once the first row is complete: a mark after it (or, for a
        mark that ends rows, its own) closes a row that may be cut for its bytes."""
        return self.first_row_at + (1 if self.ends_rows else 2)


_MARKS = {
    ResultsFormat.JSON: _RowMarks(b'{"', 0, False, b"]}}"),  # counted as [{" and ,{" below
    ResultsFormat.XML: _RowMarks(b"<result>", 0, False, b"</results></sparql>"),
    ResultsFormat.TSV: _RowMarks(b"\n", 1, True, b""),
}
_NT_MARKS = _RowMarks(b"\n", 0, True, b"")
"""N-Triples: a line per triple (line breaks in literals are escaped), as graph answers are
counted and cut."""


class _CappedSink:
    """Collects pyoxigraph's output and stops it once ``max_rows`` rows are complete, or
    when the output passes ``max_bytes`` (then the answer ends with the last whole row)."""

    def __init__(
        self,
        marks: _RowMarks,
        fmt: ResultsFormat | GraphFormat,
        max_rows: int,
        max_bytes: int = 0,
    ) -> None:
        self.marks = marks
        self.json = fmt is ResultsFormat.JSON
        self.limit = max_rows + marks.first_row_at  # the mark that starts row max_rows + 1
        self.max_bytes = max_bytes
        self.buffer = bytearray()
        self.count = 0
        self.cut: int | None = None
        self.cut_by = ""
        self.kept_rows = 0
        self._scanned = 0
        self._previous = -1 if marks.ends_rows else 0
        """Where the last counted row mark is (-1: before the output, so a cut keeps nothing)."""

    def _marks_from(self, start: int) -> Iterator[int]:
        """Offsets of row-starting marks at or after ``start`` in the buffer."""
        mark, buf = self.marks.mark, self.buffer
        at = buf.find(mark, start)
        while at != -1:
            if not self.json or (at > 0 and buf[at - 1] in b"[,"):
                yield at
            at = buf.find(mark, at + 1)

    def _counted(self) -> bool:
        """Count the marks the last write added with ``bytes.count`` (no Python step per row)
        when the caps are out of reach after them; ``False`` (nothing counted) otherwise."""
        buf, mark = self.buffer, self.marks.mark
        if self._past_bytes(len(buf)):
            return False
        if self.json:  # a row starts at '{"' right after '[' or ','
            start = max(0, self._scanned - 2)
            comma, bracket = buf.count(b',{"', start), buf.count(b'[{"', start)
            new = comma + bracket
            last = max(buf.rfind(b',{"', start), buf.rfind(b'[{"', start)) + 1
        else:
            start = max(0, self._scanned - len(mark) + 1)
            new = buf.count(mark, start)
            last = buf.rfind(mark, start)
        if self.count + new > self.limit:
            return False
        if new:
            self.count += new
            self._previous = last
        self._scanned = len(buf)
        return True

    def write(self, data: bytes) -> int:
        if self.cut is not None:  # pyoxigraph retries the write as its buffer is dropped
            raise _Enough()
        self.buffer += data
        if self._counted():
            return len(data)
        # a mark may straddle two writes: rescan the tail of the previous one
        start = max(0, self._scanned - len(self.marks.mark))
        for at in self._marks_from(start):
            if at + len(self.marks.mark) <= self._scanned:
                continue  # counted already
            self.count += 1
            if self.count > self.limit:
                # the row past the cap has started (or, for TSV, ended): cut before it
                self._cut(self._previous + 1 if self.marks.ends_rows else at, "rows")
                self.kept_rows = self.limit - self.marks.first_row_at
                raise _Enough()
            if self.count >= self.marks.first_row_end and self._past_bytes(
                at + 1 if self.marks.ends_rows else at
            ):
                # the row that ends here runs past max_bytes: keep the rows before it
                self._cut_at_last_row(self.count - 1)
                raise _Enough()
            self._previous = at
        self._scanned = len(self.buffer)
        if self.count >= 1 and self._past_bytes(len(self.buffer)):  # the row being written
            self._cut_at_last_row(self.count)
            raise _Enough()
        return len(data)

    def _past_bytes(self, end: int) -> bool:
        return bool(self.max_bytes) and end > self.max_bytes

    def _cut_at_last_row(self, marks_before: int) -> None:
        """Cut at the end of the last row that was complete before ``marks_before`` marks."""
        if self.marks.ends_rows:
            self._cut(self._previous + 1, "bytes")
            self.kept_rows = self.marks.rows(marks_before)
        else:
            self._cut(self._previous, "bytes")
            self.kept_rows = max(0, self.marks.rows(marks_before) - 1)

    def _cut(self, at: int, by: str) -> None:
        self.cut, self.cut_by = at, by

    def flush(self) -> None:
        pass

    def body(self) -> bytes:
        if self.cut is None:
            return bytes(self.buffer)
        kept = self.buffer[: self.cut]
        if self.json:  # drop the comma between the last kept row and the cut one
            kept = kept.rstrip(b",")
        return bytes(kept) + self.marks.closing


def _solutions(results: ox.QuerySolutions, job: QueryJob) -> tuple[QueryHead, bytes]:
    """pyoxigraph serialises (3x faster than Python); rows are counted in its output."""
    if job.results_format is None:
        raise QueryFailed("not_acceptable", "", "solutions")
    fmt = ResultsFormat.lookup(job.results_format)
    marks = _MARKS.get(fmt)
    if marks is None:  # CSV: a quoted value may hold a raw line break
        return _solutions_in_python(results, job, fmt)
    sink = _CappedSink(marks, fmt, job.max_rows, job.max_bytes)
    with _stopped_at_cap(sink):
        results.serialize(cast(IO[bytes], sink), format=fmt.ox)  # it only needs write/flush
    truncated = sink.cut is not None
    rows = sink.kept_rows if truncated else marks.rows(sink.count)
    head = QueryHead("solutions", fmt.content_type, rows, truncated, truncated_by=sink.cut_by)
    return head, sink.body()


def _solutions_in_python(
    results: ox.QuerySolutions, job: QueryJob, fmt: ResultsFormat
) -> tuple[QueryHead, bytes]:
    variables = [v.value for v in results.variables]
    rows: list[Row] = []
    size = 0
    cut_by = ""
    for solution in results:
        if len(rows) >= job.max_rows:
            cut_by = "rows"
            break
        row = tuple(solution[i] for i in range(len(variables)))
        size += sum(len(_csv_value(t).encode()) + 1 for t in row) + 1
        if job.max_bytes and size > job.max_bytes:
            cut_by = "bytes"
            break
        rows.append(row)
    body = b"".join(write_solutions(fmt, variables, rows))
    head = QueryHead("solutions", fmt.content_type, len(rows), bool(cut_by), truncated_by=cut_by)
    return head, body


def _graph(
    results: ox.QueryTriples | Iterable[ox.Triple], job: QueryJob
) -> tuple[QueryHead, bytes]:
    """Triples up to the caps, written by pyoxigraph with no Python step per triple: as
    N-Triples (one line each, so rows and bytes are counted and cut in its output, as for
    SELECT), then, for another format, read back and written in it by pyoxigraph."""
    if job.graph_format is None:
        raise QueryFailed("not_acceptable", "", "graph")
    fmt = GraphFormat.lookup(job.graph_format)
    sink = _CappedSink(_NT_MARKS, fmt, job.max_rows, job.max_bytes)
    output = cast(IO[bytes], sink)  # it only needs write/flush
    with _stopped_at_cap(sink):
        if isinstance(results, ox.QueryTriples):
            results.serialize(output, format=ox.RdfFormat.N_TRIPLES)
        else:  # parsed from an external store's answer
            ox.serialize(results, output, format=ox.RdfFormat.N_TRIPLES)
    truncated = sink.cut is not None
    rows = sink.kept_rows if truncated else sink.count
    body = sink.body()
    if fmt is not GraphFormat.N_TRIPLES:
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(triples, format=fmt.ox) or b""
    head = QueryHead("graph", fmt.content_type, rows, truncated, truncated_by=sink.cut_by)
    return head, body

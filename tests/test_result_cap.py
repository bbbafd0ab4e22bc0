"""SELECT answers serialised by pyoxigraph and cut at the row cap by counting row marks.

The marks must never be fooled by values that contain them (quotes, ``},{``, ``<result>``,
line breaks), and a cut answer must be exactly the first rows of the full answer.
"""

from __future__ import annotations

import contextlib
import http.client
import json
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from server_samples import LiveServer

from graphbuild.rdf.formats import ResultsFormat
from server.executor import _MARKS, _CappedSink, _Enough

NASTY = ['x "},{" y', "<result> </results>", "line\nbreak\ttab", '[{"a":1},{"b":2}]', "plain"]
QUERY = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
ROWS = 600


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    p = ox.NamedNode("http://example.org/p")
    s.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i:04d}"), p, ox.Literal(NASTY[i % 5] * i), g)
        for i in range(ROWS)
    )
    return s


def capped(store: ox.Store, fmt: ResultsFormat, cap: int) -> _CappedSink:
    sink = _CappedSink(_MARKS[fmt], fmt, cap)
    with contextlib.suppress(_Enough, OSError):
        answer = store.query(QUERY, use_default_graph_as_union=True)
        answer.serialize(sink, format=fmt.ox)  # type: ignore[arg-type]
    return sink


def rows_of(fmt: ResultsFormat, body: bytes) -> list[object]:
    if fmt is ResultsFormat.JSON:
        return list(json.loads(body)["results"]["bindings"])
    if fmt is ResultsFormat.XML:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    else:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    return [tuple(solution) for solution in parsed]


@settings(max_examples=60, deadline=None)
@given(
    fmt=st.sampled_from([ResultsFormat.JSON, ResultsFormat.XML, ResultsFormat.TSV]),
    cap=st.one_of(st.integers(0, ROWS + 5), st.sampled_from([0, 1, ROWS - 1, ROWS, ROWS + 1])),
)
def test_cut_answer_is_the_first_rows_of_the_full_answer(
    store: ox.Store, fmt: ResultsFormat, cap: int
) -> None:
    full = store.query(QUERY, use_default_graph_as_union=True).serialize(format=fmt.ox)
    assert full is not None
    sink = capped(store, fmt, cap)
    body = sink.body()
    expected = rows_of(fmt, full)
    assert rows_of(fmt, body) == expected[:cap]
    assert (sink.cut is not None) == (cap < ROWS)
    if sink.cut is None:
        assert body == full
        assert _MARKS[fmt].rows(sink.count) == ROWS


def test_answers_carry_a_length_and_keep_the_connection(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(max_result_rows=2)
    parts = urlsplit(live.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    for accept in ("application/sparql-results+json", "text/tab-separated-values", "text/csv"):
        conn.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": accept})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200
        assert int(response.getheader("Content-Length") or -1) == len(body)
        assert response.getheader("Connection") != "close"
        assert response.getheader("Diplograph-Results-Truncated") == "true"
        assert response.getheader("Diplograph-Result-Rows") == "2"
    first = conn.sock
    conn.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
    assert conn.getresponse().read()
    assert conn.sock is first  # the same TCP connection served every request
    conn.close()


class _ScanEveryRow(_CappedSink):
    """The sink as it was: every row mark found one by one (the reference)."""

    def _counted(self) -> bool:
        return False


def _feed(sink: _CappedSink, data: bytes, cuts: list[int]) -> None:
    at = 0
    with contextlib.suppress(_Enough):
        for size in [*cuts, len(data)]:
            sink.write(data[at : at + max(1, size)])
            at += max(1, size)
            if at >= len(data):
                break


@settings(max_examples=150, deadline=None)
@given(
    fmt=st.sampled_from([ResultsFormat.JSON, ResultsFormat.XML, ResultsFormat.TSV]),
    cap=st.one_of(st.integers(0, ROWS + 5), st.just(10**9)),
    max_bytes=st.one_of(st.just(0), st.integers(1, 400_000)),
    cuts=st.lists(st.integers(1, 9000), max_size=40),
)
def test_counting_marks_in_bulk_cuts_where_the_row_by_row_scan_cuts(
    store: ox.Store, fmt: ResultsFormat, cap: int, max_bytes: int, cuts: list[int]
) -> None:
    full = store.query(QUERY, use_default_graph_as_union=True).serialize(format=fmt.ox)
    assert full is not None
    fast = _CappedSink(_MARKS[fmt], fmt, cap, max_bytes)
    slow = _ScanEveryRow(_MARKS[fmt], fmt, cap, max_bytes)
    _feed(fast, full, cuts)
    _feed(slow, full, cuts)
    assert fast.body() == slow.body()
    assert (fast.cut, fast.cut_by, fast.kept_rows) == (slow.cut, slow.cut_by, slow.kept_rows)
    if fast.cut is None:
        assert fast.count == slow.count

"""One-scan queries answered in the request thread, over real HTTP: the same status, headers
and body as a query worker's answer; more rows than answered there go to a worker, whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from server_samples import DG, RES, LiveServer

PERSON = RES["person/ana"]
ONE_SCAN = [
    f"ASK {{ <{PERSON}> ?p ?o }}",
    f"ASK {{ <{PERSON}> <{DG.metWith}> <http://example.org/nobody> }}",
    f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o }}",
    f"SELECT * {{ ?s a <{DG.Person}> . }} LIMIT 2",
    f"DESCRIBE <{PERSON}>",
]
ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
]
SAME_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Diplograph-Result-Rows",
    "Diplograph-Results-Truncated",
    "Diplograph-Results-Truncated-By",
    "Vary",
)


def ask(live: LiveServer, query: str, accept: str) -> requests.Response:
    return requests.post(
        live.sparql, data={"query": query}, headers={"Accept": f"{accept}, */*;q=0.1"}, timeout=60
    )


def test_one_scan_answers_equal_a_workers(serve_store: Callable[..., LiveServer]) -> None:
    here = serve_store()
    workers = serve_store(in_thread_rows=0)
    assert workers.state.in_thread is None
    in_thread = here.state.in_thread
    assert in_thread is not None
    for query in ONE_SCAN:
        for accept in ACCEPTS:
            before = in_thread.answered
            mine, theirs = ask(here, query, accept), ask(workers, query, accept)
            assert mine.status_code == theirs.status_code == 200, (query, accept)
            assert in_thread.answered == before + 1, (query, accept)
            for name in SAME_HEADERS:
                assert mine.headers.get(name) == theirs.headers.get(name), (query, accept, name)
            if "DESCRIBE" not in query:  # a description's blank nodes are named per run
                assert mine.content == theirs.content, (query, accept)


def test_more_rows_than_answered_in_the_thread_go_to_a_worker_whole(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(in_thread_rows=2)
    in_thread = live.state.in_thread
    assert in_thread is not None
    query = f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o }}"
    r = ask(live, query, "application/sparql-results+json")
    rows = len(r.json()["results"]["bindings"])
    assert rows > 2
    assert r.headers["Diplograph-Results-Truncated"] == "false"
    assert r.headers["Diplograph-Result-Rows"] == str(rows)
    assert in_thread.answered == 0


def test_the_row_cap_still_cuts_an_answer_worked_out_in_the_thread(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(max_result_rows=1)
    in_thread = live.state.in_thread
    assert in_thread is not None
    r = ask(live, f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o }}", "application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) == 1
    assert r.headers["Diplograph-Results-Truncated"] == "true"
    assert r.headers["Diplograph-Results-Truncated-By"] == "rows"
    assert in_thread.answered == 1


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o }} ORDER BY ?p",
        f"SELECT ?p WHERE {{ <{PERSON}> ?p ?o . ?o ?q ?r }}",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o FILTER(isIRI(?o)) }}",
    ],
)
def test_other_queries_run_in_a_worker(serve_store: Callable[..., LiveServer], query: str) -> None:
    live = serve_store()
    in_thread = live.state.in_thread
    assert in_thread is not None
    r = ask(live, query, "application/sparql-results+json")
    assert r.status_code == 200
    assert in_thread.answered == 0

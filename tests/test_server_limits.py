"""Limits over real HTTP: timeouts that stop the query, row caps that say so, 429, body size."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rdflib import Dataset
from server_samples import DG, LiveServer

# Six unconstrained patterns over the sample store: about 10^9 solutions, minutes of work.
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
)
PEOPLE = f"SELECT DISTINCT ?p WHERE {{ ?p a <{DG.Person}> }}"
CLIENT = "127.0.0.1"


def wait_until(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.02)


def run_in_background(url: str, query: str) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def call() -> None:
        r = requests.get(url, params={"query": query}, timeout=120)
        outcome.update(response=r)

    thread = threading.Thread(target=call)
    thread.start()
    return thread, outcome


def test_runaway_query_is_stopped_while_a_cheap_query_still_answers(
    serve_store: Callable[..., LiveServer],
) -> None:
    timeout_s = 2.0
    live = serve_store(query_timeout_s=timeout_s, threads=4, max_concurrent_per_client=4)
    requests.get(live.sparql, params={"query": PEOPLE}, timeout=60)  # one warm worker
    thread, outcome = run_in_background(live.sparql, RUNAWAY)
    wait_until(lambda: live.state.limiter.running(CLIENT) >= 1)

    cheap = requests.get(live.sparql, params={"query": PEOPLE}, timeout=60)
    assert cheap.status_code == 200
    assert len(cheap.json()["results"]["bindings"]) == 3

    thread.join(60)
    runaway = outcome["response"]
    assert isinstance(runaway, requests.Response)
    assert runaway.status_code == 503
    assert runaway.json()["error"]["title"] == "Query Timeout"
    assert "query_timeout_s" in runaway.json()["error"]["detail"]
    # stopped by the server (its worker killed), not left to run: no wall-clock bound here,
    # which a loaded machine can break (the bench measures how fast a stop is)
    assert live.state.pool.stats()["killed"] >= 1
    # the killed worker is replaced: the endpoint keeps answering
    again = requests.get(live.sparql, params={"query": PEOPLE}, timeout=60)
    assert again.status_code == 200


def test_truncation_is_signalled(serve_store: Callable[..., LiveServer]) -> None:
    live = serve_store(max_result_rows=2)
    r = requests.get(live.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=60)
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 2
    assert r.headers["Diplograph-Results-Truncated"] == "true"
    assert r.headers["Diplograph-Result-Rows"] == "2"

    small = requests.get(
        live.sparql, params={"query": "SELECT * WHERE { VALUES ?x { 1 2 } }"}, timeout=60
    )
    assert len(small.json()["results"]["bindings"]) == 2
    assert small.headers["Diplograph-Results-Truncated"] == "false"

    graph = requests.get(
        live.sparql,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
        timeout=60,
    )
    assert graph.headers["Diplograph-Results-Truncated"] == "true"
    assert len([line for line in graph.text.splitlines() if line.strip()]) == 2


GRAPH_FORMATS = {  # format parameter: rdflib's parser
    "ntriples": "nt",
    "turtle": "turtle",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
    "nquads": "nquads",
}


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_graph_answers_are_cut_at_the_row_cap_in_every_format(
    serve_store: Callable[..., LiveServer], fmt: str
) -> None:
    """Graph answers are counted as N-Triples lines: a literal's line break is escaped
    there, so a triple whose object spans lines is still one row."""
    live = serve_store(max_result_rows=3)
    query = (
        "CONSTRUCT { ?s <http://example.org/note> ?note } WHERE { ?s ?p ?o "
        'BIND(CONCAT("first line\\nsecond line ", STR(?o)) AS ?note) }'
    )
    r = requests.get(live.sparql, params={"query": query, "format": fmt}, timeout=60)
    assert r.status_code == 200
    assert r.headers["Diplograph-Results-Truncated"] == "true"
    assert r.headers["Diplograph-Results-Truncated-By"] == "rows"
    assert r.headers["Diplograph-Result-Rows"] == "3"
    ds = Dataset()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(data=r.content, format=GRAPH_FORMATS[fmt])
    notes = [str(o) for _, _, o, _ in ds.quads()]
    assert len(notes) == 3
    assert all(n.startswith("first line\nsecond line ") for n in notes)


def test_burst_from_one_client_gets_429_with_retry_after(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(max_concurrent_per_client=2, query_timeout_s=3, threads=8)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [
            pool.submit(requests.get, live.sparql, params={"query": RUNAWAY}, timeout=120)
            for _ in range(6)
        ]
        responses = [f.result() for f in futures]
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [429, 429, 429, 429, 503, 503]
    for r in responses:
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert r.json()["error"]["status"] == 429
    # the slots are free again once the long queries ended
    assert requests.get(live.sparql, params={"query": PEOPLE}, timeout=60).status_code == 200


def test_request_body_over_the_limit_is_413(serve_store: Callable[..., LiveServer]) -> None:
    live = serve_store(max_request_bytes=2000)
    padding = "#" + "x" * 5000 + "\n"
    direct = requests.post(
        live.sparql,
        data=(padding + PEOPLE).encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert direct.status_code == 413
    assert direct.json()["error"]["status"] == 413
    form = requests.post(live.sparql, data={"query": padding + PEOPLE}, timeout=60)
    assert form.status_code == 413
    fits = requests.post(live.sparql, data={"query": PEOPLE}, timeout=60)
    assert fits.status_code == 200


def test_one_log_line_per_query(live_server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="diplograph.server")
    requests.get(live_server.sparql, params={"query": PEOPLE}, timeout=60)
    requests.get(live_server.sparql, params={"query": "SELECT nonsense"}, timeout=60)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("query ")]
    assert len(lines) == 2
    assert "status=200" in lines[0] and "rows=3" in lines[0] and "ms=" in lines[0]
    assert "status=400" in lines[1]


def test_a_worker_that_dies_mid_query_is_an_honest_500_and_is_replaced(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(threads=1, query_timeout_s=60)
    assert requests.get(live.sparql, params={"query": PEOPLE}, timeout=60).status_code == 200
    pids = live.state.pool.pids()
    assert len(pids) == 1
    thread, outcome = run_in_background(live.sparql, RUNAWAY)
    wait_until(lambda: live.state.limiter.running(CLIENT) >= 1)
    os.kill(pids[0], signal.SIGKILL)
    thread.join(60)
    died = outcome["response"]
    assert isinstance(died, requests.Response)
    assert died.status_code == 500
    assert "worker died" in died.json()["error"]["detail"]
    assert requests.get(live.sparql, params={"query": PEOPLE}, timeout=60).status_code == 200

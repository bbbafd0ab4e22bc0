"""The fast path answers /sparql queries exactly as the Flask view does: same status, headers
and body, for answers and errors alike; what it does not read, Flask still answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from server_samples import DG, RES
from werkzeug.test import Client, TestResponse

from graphbuild.settings import Settings
from server.app import close_app, create_app
from server.fastpath import SparqlFastPath

PEOPLE = f"SELECT ?p WHERE {{ ?p a <{DG.Person}> }} ORDER BY ?p"
ASK = f"ASK {{ <{RES['person/ana']}> ?p ?o }}"
GRAPH = f"CONSTRUCT {{ ?p a <{DG.Person}> }} WHERE {{ ?p a <{DG.Person}> }}"
FORM = "application/x-www-form-urlencoded"

# (method, query string, content type, body, Accept)
REQUESTS: list[tuple[str, str, str | None, bytes | None, str | None]] = [
    ("GET", urlencode({"query": PEOPLE}), None, None, None),
    ("GET", urlencode({"query": PEOPLE}), None, None, "application/sparql-results+xml"),
    ("GET", urlencode({"query": PEOPLE}), None, None, "text/csv"),
    ("GET", urlencode({"query": PEOPLE}), None, None, "text/tab-separated-values"),
    ("GET", urlencode({"query": PEOPLE, "format": "xml"}), None, None, "text/csv"),
    ("GET", urlencode({"query": PEOPLE}), None, None, "text/html,*/*;q=0.8"),
    ("GET", urlencode({"query": ASK}), None, None, "application/sparql-results+json"),
    ("GET", urlencode({"query": GRAPH}), None, None, "application/n-triples"),
    ("GET", urlencode({"query": GRAPH}), None, None, None),
    ("POST", "", FORM, urlencode({"query": PEOPLE}).encode(), None),
    ("POST", "format=tsv", FORM, urlencode({"query": PEOPLE, "format": "csv"}).encode(), None),
    ("POST", "", "application/sparql-query", PEOPLE.encode(), None),
    ("POST", "", "application/sparql-query; charset=utf-8", PEOPLE.encode(), "text/csv"),
    (
        "POST",
        urlencode({"default-graph-uri": "http://example.org/g"}),
        FORM,
        urlencode({"query": PEOPLE, "named-graph-uri": "http://example.org/n"}).encode(),
        None,
    ),
    # errors
    ("GET", urlencode({"query": "SELECT * WHERE { ?s ?p }"}), None, None, None),
    ("GET", urlencode({"query": PEOPLE}), None, None, "image/png"),
    ("GET", urlencode({"query": PEOPLE, "format": "bogus"}), None, None, None),
    ("GET", urlencode({"query": PEOPLE, "default-graph-uri": "not an iri"}), None, None, None),
    (
        "GET",
        urlencode({"query": "SELECT * WHERE { SERVICE <http://example.org/x> { ?s ?p ?o } }"}),
        None,
        None,
        None,
    ),
    ("GET", urlencode({"query": "SELECT * WHERE " + "{" * 100 + "}" * 100}), None, None, None),
    # left to Flask by the fast path, answered the same either way
    ("GET", "", None, None, "text/turtle"),
    ("GET", urlencode({"query": PEOPLE, "update": "x"}), None, None, None),
    ("POST", "", FORM, urlencode({"update": "CLEAR ALL"}).encode(), None),
    ("POST", "", FORM, b"nothing=here", None),
    ("POST", "", "text/plain", PEOPLE.encode(), None),
    ("POST", "", FORM, b"query=%FF%FE", None),
    ("GET", urlencode({"query": PEOPLE}) + "&" + urlencode({"query": ASK}), None, None, None),
]


@pytest.fixture(scope="module")
def app(sample_store_path: Path) -> Iterator[Flask]:
    settings = Settings().replace(store=str(sample_store_path), threads=2)
    app = create_app(settings)
    yield app
    close_app(app)


def _send(client: Client, request: tuple[str, str, str | None, bytes | None, str | None]) -> Any:
    method, query_string, content_type, body, accept = request
    headers = {"Accept": accept} if accept else {}
    response: TestResponse = client.open(
        "/sparql",
        method=method,
        query_string=query_string,
        data=body,
        content_type=content_type,
        headers=headers,
    )
    data = response.get_data()
    response.close()
    return response.status, sorted(response.headers.items()), data


@pytest.mark.parametrize("request_", REQUESTS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REQUESTS)])
def test_fast_path_answers_as_flask_does(app: Flask, request_: Any) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    through_fast = _send(Client(fast), request_)
    through_flask = _send(Client(fast.flask), request_)
    if request_[:2] == ("GET", ""):  # the service description: its blank nodes differ each time

        def headers(answer: Any) -> Any:
            return [(k, v) for k, v in answer[1] if k != "Content-Length"]

        assert through_fast[0] == through_flask[0]
        assert headers(through_fast) == headers(through_flask)
    else:
        assert through_fast == through_flask


def test_the_fast_path_answers_the_queries_itself(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    called: list[str] = []
    flask_app = fast.flask

    def spy(environ: dict[str, Any], start_response: Any) -> Any:
        called.append(environ["PATH_INFO"])
        return flask_app(environ, start_response)

    monkeypatch.setattr(fast, "flask", spy)
    client = Client(fast)
    for request in REQUESTS[:14]:
        status, _, _ = _send(client, request)
        assert status == "200 OK"
    assert called == []
    _send(client, ("GET", "", None, None, "text/turtle"))  # the service description
    assert called == ["/sparql"]


def test_a_query_slot_is_released_when_the_answer_is_sent(app: Flask) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    limiter = fast.state.limiter
    client = Client(fast)
    for _ in range(limiter.max_per_client + 2):
        status, _, _ = _send(client, REQUESTS[0])
        assert status == "200 OK"
    assert limiter.running("127.0.0.1") == 0

"""`diplograph serve --store sparql+http://…`: the server in front of a real Virtuoso.

The seed is built into Virtuoso with `diplograph build`, then `diplograph serve` proxies it on
a free loopback port; everything below goes through real HTTP, as a researcher's client would.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef
from virtuoso_fixture import Virtuoso, available, running_virtuoso

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "seed"
CLI = [sys.executable, "-m", "graphbuild.cli"]
DG = "https://w3id.org/diplograph/ontology#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PEOPLE = f"SELECT DISTINCT ?p WHERE {{ ?m a <{DG}Meeting> ; <{DG}participant> ?p }} ORDER BY ?p"

pytestmark = pytest.mark.skipif(
    not available(), reason="virtuoso-t is not installed (Debian package virtuoso-opensource)"
)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-serve")) as server:
        yield server


@pytest.fixture(scope="module")
def endpoint(virtuoso: Virtuoso) -> Iterator[str]:
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "DIPLOGRAPH_STORE_AUTH_USER": virtuoso.user,
        "DIPLOGRAPH_STORE_AUTH_PASSWORD": virtuoso.password,
    }
    built = subprocess.run(
        [*CLI, "--quiet", "build", str(ROOT / "data" / "articles"), "--store", virtuoso.store_url],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    port = _free_port()
    serve_env = {**env, "DIPLOGRAPH_MAX_RESULT_ROWS": "2"}
    proc = subprocess.Popen(
        [*CLI, "serve", "--store", virtuoso.store_url, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=serve_env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not come up")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def ask(endpoint: str, query: str) -> bool:
    response = requests.post(
        f"{endpoint}/sparql",
        data=query.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def _acceptance_queries() -> list[Path]:
    return sorted(ACCEPTANCE.glob("*.rq")) if ACCEPTANCE.is_dir() else []


@pytest.mark.skipif(not ACCEPTANCE.is_dir(), reason="../shared/acceptance is not present")
@pytest.mark.parametrize("query_file", _acceptance_queries(), ids=lambda p: p.stem)
def test_seed_acceptance_query_answers_true_through_the_proxy(
    endpoint: str, query_file: Path
) -> None:
    assert ask(endpoint, query_file.read_text(encoding="utf-8"))


def test_the_seed_is_there_and_absent_things_are_not(endpoint: str) -> None:
    assert ask(
        endpoint, f"ASK {{ ?m a <{DG}Meeting> ; <{DG}participant> ?a, ?b FILTER(?a != ?b) }}"
    )
    assert not ask(endpoint, f"ASK {{ ?x a <{DG}NoSuchClass> }}")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_is_negotiated_and_capped_like_the_embedded_store(
    endpoint: str, accept: str, media: str
) -> None:
    response = requests.get(
        f"{endpoint}/sparql", params={"query": PEOPLE}, headers={"Accept": accept}, timeout=60
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media)
    assert response.headers["Diplograph-Results-Truncated"] == "true"  # the seed has more
    assert response.headers["Diplograph-Result-Rows"] == "2"
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["p"] and len(rows) == 3


def test_construct_comes_back_as_turtle(endpoint: str) -> None:
    query = f"CONSTRUCT {{ ?p a <{DG}Person> }} WHERE {{ ?p a <{DG}Person> }}"
    response = requests.post(
        f"{endpoint}/sparql", data={"query": query}, headers={"Accept": "text/turtle"}, timeout=60
    )
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) == 2  # capped at max_result_rows
    assert all(o == URIRef(f"{DG}Person") for o in graph.objects())


def test_the_servers_own_protections_stay_in_front(endpoint: str) -> None:
    bad = requests.get(f"{endpoint}/sparql", params={"query": "SELECT WHERE {"}, timeout=60)
    assert bad.status_code == 400
    assert "malformed" in bad.json()["error"]["detail"].lower()
    update = requests.post(
        f"{endpoint}/sparql", data={"update": "DROP ALL"}, timeout=60
    )  # read-only, whatever the store would allow
    assert update.status_code == 403
    federated = requests.get(
        f"{endpoint}/sparql",
        params={"query": "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"},
        timeout=60,
    )
    assert federated.status_code == 403
    assert ask(endpoint, "ASK { ?s ?p ?o }")  # and the store still answers


def test_sparqlwrapper_client_works(endpoint: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{DG}Person> }}")
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    assert int(result["results"]["bindings"][0]["n"]["value"]) >= 3


def test_export_and_resource_pages_read_through_the_store(endpoint: str) -> None:
    export = requests.get(f"{endpoint}/export", params={"format": "turtle"}, timeout=120)
    assert export.status_code == 200
    graph = Graph().parse(data=export.text, format="turtle")
    people = set(graph.subjects(RDF_TYPE, URIRef(f"{DG}Person")))
    assert len(people) >= 3
    person = sorted(people, key=str)[0]
    base = "https://w3id.org/diplograph/"
    assert str(person).startswith(base + "resource/")
    page = requests.get(
        f"{endpoint}/resource/{str(person)[len(base) + len('resource/') :]}",
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert page.status_code == 200
    label = next(iter(graph.objects(person, RDFS_LABEL)))
    assert str(label) in page.text

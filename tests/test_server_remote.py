"""`diplograph serve --store sparql+http://…`: the server in front of a real Virtuoso.

The seed is built into Virtuoso with `diplograph build`, then `diplograph serve` proxies it on
a free loopback port; everything below goes through real HTTP, as a researcher's client would.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic
from virtuoso_fixture import Virtuoso, available, running_virtuoso

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "seed"
CLI = [sys.executable, "-m", "graphbuild.cli"]
DG = "https://w3id.org/diplograph/ontology#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PEOPLE = f"SELECT DISTINCT ?p WHERE {{ ?m <{DG}participant> ?p }} ORDER BY ?p"  # held or not
TOKEN = "remote-test-token"

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


@contextlib.contextmanager
def serving(store_url: str, env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """`diplograph serve --store store_url` on a free loopback port, its output in ``log``."""
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*CLI, "serve", "--store", store_url, "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                if proc.poll() is not None:
                    raise AssertionError(f"serve exited: {log.read_text(errors='replace')}")
                try:
                    if requests.get(f"{base}/health", timeout=5).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy
                    time.sleep(0.1)
            else:
                raise AssertionError(f"server did not come up: {log.read_text(errors='replace')}")
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _store_env(virtuoso: Virtuoso) -> dict[str, str]:
    return {
        "DIPLOGRAPH_STORE_AUTH_USER": virtuoso.user,
        "DIPLOGRAPH_STORE_AUTH_PASSWORD": virtuoso.password,
    }


@pytest.fixture(scope="module")
def endpoint(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = _store_env(virtuoso)
    built = subprocess.run(
        [*CLI, "--quiet", "build", str(ROOT / "data" / "articles"), "--store", virtuoso.store_url],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )
    assert built.returncode == 0, built.stderr
    log = tmp_path_factory.mktemp("serve-remote") / "serve.log"
    serve_env = {**env, "DIPLOGRAPH_MAX_RESULT_ROWS": "2", "DIPLOGRAPH_UPDATE_TOKEN": TOKEN}
    with serving(virtuoso.store_url, serve_env, log) as base:
        yield base


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


ACCEPTANCE_FOLDERS = ("seed", "held-not-scheduled", "people-linked")
"""The acceptance folders whose work is done (../shared/acceptance/README.md)."""


def _acceptance_queries() -> list[Path]:
    """Every ASK query of the finished acceptance folders; a folder that is missing fails."""
    if not ACCEPTANCE.is_dir():
        return []
    return [
        query
        for folder in ACCEPTANCE_FOLDERS
        for query in sorted((ACCEPTANCE.parent / folder).glob("*.rq"))
    ] + [
        ACCEPTANCE.parent / folder
        for folder in ACCEPTANCE_FOLDERS
        if not (ACCEPTANCE.parent / folder).is_dir()
    ]


@pytest.mark.skipif(not ACCEPTANCE.is_dir(), reason="../shared/acceptance is not present")
@pytest.mark.parametrize(
    "query_file", _acceptance_queries(), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
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
    anonymous = requests.post(f"{endpoint}/sparql", data={"update": "DROP ALL"}, timeout=60)
    assert anonymous.status_code == 401  # an update token is set, and not given
    update = requests.post(
        f"{endpoint}/sparql",
        data={"update": "DROP ALL"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )  # even with the token: the external store is served read-only
    assert update.status_code == 403
    assert "external store" in update.json()["error"]["detail"]
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


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_the_three_protocol_operations_reach_the_store(endpoint: str, how: str) -> None:
    query = f"ASK {{ ?p a <{DG}Person> }}"
    accept = {"Accept": "application/sparql-results+xml"}
    if how == "GET":
        response = requests.get(
            f"{endpoint}/sparql", params={"query": query}, headers=accept, timeout=60
        )
    elif how == "POST form":
        response = requests.post(
            f"{endpoint}/sparql", data={"query": query}, headers=accept, timeout=60
        )
    else:
        response = requests.post(
            f"{endpoint}/sparql",
            data=query.encode(),
            headers={**accept, "Content-Type": "application/sparql-query"},
            timeout=60,
        )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in response.text


def _local_examples() -> list[Path]:
    """The query UI's examples that stay on this store (no SERVICE: no network in tests)."""
    paths = sorted((ROOT / "data" / "queries").glob("*.rq"))
    return [p for p in paths if "SERVICE" not in p.read_text(encoding="utf-8").upper()]


@pytest.mark.parametrize("query_file", _local_examples(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_query_uis_examples_run_on_the_external_store(endpoint: str, query_file: Path) -> None:
    response = requests.post(
        f"{endpoint}/sparql",
        data={"query": query_file.read_text(encoding="utf-8")},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert "head" in response.json()


def test_the_pictures_queries_run_on_the_external_store(endpoint: str) -> None:
    from server.pictures import Filters, affiliations_query, network_query, timeline_query

    for query in (network_query(Filters()), affiliations_query(), timeline_query(Filters())):
        response = requests.post(
            f"{endpoint}/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
    for page in ("/", "/network", "/timeline"):
        assert requests.get(f"{endpoint}{page}", timeout=60).status_code == 200


def test_describe_gives_the_resources_triples(endpoint: str) -> None:
    people = requests.get(
        f"{endpoint}/sparql",
        params={"query": PEOPLE},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()["results"]["bindings"]
    person = people[0]["p"]["value"]
    response = requests.get(
        f"{endpoint}/sparql",
        params={"query": f"DESCRIBE <{person}>"},
        headers={"Accept": "text/turtle"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) >= 1
    node = URIRef(person)
    # what the store says of it (Virtuoso adds what points at it: a store's own choice)
    assert all(node in (s, o) for s, _, o in graph)
    if response.headers.get("Diplograph-Results-Truncated") != "true":
        assert (node, None, None) in graph
    # cut at max_result_rows (2 here), the two triples Virtuoso sends first may both point
    # at the person (it has more inbound than outbound triples): only the cut is certain
    else:
        assert len(graph) == 2


def test_void_and_health_describe_the_external_store(endpoint: str) -> None:
    health = requests.get(f"{endpoint}/health", timeout=60)
    assert health.status_code == 200
    assert health.json()["articles"] == 1
    void = requests.get(f"{endpoint}/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert void.status_code == 200, void.text
    graph = Graph().parse(data=void.text, format="turtle")
    counts = [int(o) for o in graph.objects(None, URIRef("http://rdfs.org/ns/void#triples"))]
    assert counts and max(counts) > 0


def test_an_articles_export_has_the_triples_the_embedded_build_has(
    endpoint: str, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    built = subprocess.run(
        [*CLI, "--quiet", "build", str(ROOT / "data" / "articles"), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    ids = subprocess.run(
        [
            *CLI,
            "--quiet",
            "query",
            "--store",
            str(store),
            "--format",
            "csv",
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?m a <" + DG + "Meeting> } }",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ids.returncode == 0, ids.stderr
    graph_iri = ids.stdout.splitlines()[1].strip()
    article = graph_iri.rsplit("/", 1)[-1]
    local = subprocess.run(
        [
            *CLI,
            "--quiet",
            "export",
            "--store",
            str(store),
            "--article",
            article,
            "--format",
            "ntriples",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert local.returncode == 0, local.stderr
    remote = requests.get(
        f"{endpoint}/export", params={"format": "ntriples", "article": article}, timeout=120
    )
    assert remote.status_code == 200, remote.text
    expected = Graph().parse(data=local.stdout, format="nt")
    got = Graph().parse(data=remote.text, format="nt")
    assert len(expected) > 0
    assert to_isomorphic(got) == to_isomorphic(expected)
    missing = requests.get(f"{endpoint}/export", params={"article": "no-such-article"}, timeout=60)
    assert missing.status_code == 404


# ---- a store that does not answer in time, or fails ------------------------------------------


class _StubStore(BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers bookkeeping queries at once (empty), hangs on a query
    naming ``?slow`` until released, and fails one naming ``?fail`` with a store's message."""

    release = threading.Event()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        query = parse_qs(self.rfile.read(length).decode())["query"][0]
        if "?fail" in query:
            self._send(500, "text/plain", b"Virtuoso 22023 Error SR601: simulated store failure")
            return
        if "?slow" in query:
            self.release.wait(60)
        if query.lstrip().upper().startswith("ASK"):
            body = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            body += b"<boolean>true</boolean></sparql>"
        else:
            body = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            body += b"<results/></sparql>"
        self._send(200, "application/sparql-results+xml", body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        with contextlib.suppress(OSError):  # the proxy may have given up on us
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def stub_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _StubStore)
    stub.daemon_threads = True
    thread = threading.Thread(target=stub.serve_forever, daemon=True)
    thread.start()
    store = f"sparql+http://127.0.0.1:{stub.server_address[1]}/sparql"
    log = tmp_path_factory.mktemp("serve-stub") / "serve.log"
    try:
        with serving(store, {}, log, "--query-timeout", "1") as base:
            yield base
    finally:
        _StubStore.release.set()
        stub.shutdown()
        stub.server_close()
        thread.join(10)


def test_a_query_the_store_does_not_answer_in_time_is_the_embedded_timeout(
    stub_endpoint: str,
) -> None:
    response = requests.get(
        f"{stub_endpoint}/sparql",
        params={"query": "SELECT ?slow WHERE { ?slow ?p ?o }"},
        timeout=60,
    )
    assert response.status_code == 503  # as tests/test_server_limits.py has it for embedded
    assert response.json()["error"]["title"] == "Query Timeout"
    assert "query_timeout_s" in response.json()["error"]["detail"]
    assert ask(stub_endpoint, "ASK { ?s ?p ?o }")  # the server still answers


def test_a_store_failure_is_reported_with_the_stores_message(stub_endpoint: str) -> None:
    response = requests.get(
        f"{stub_endpoint}/sparql",
        params={"query": "SELECT ?fail WHERE { ?fail ?p ?o }"},
        timeout=60,
    )
    assert response.status_code == 500
    assert "simulated store failure" in response.json()["error"]["detail"]

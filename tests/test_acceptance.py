"""End to end, as `make run` does it: build data/articles, serve, ask over HTTP.

Every ASK query in ../shared/acceptance/seed, held-not-scheduled and people-linked must answer
true through the SPARQL 1.1 Protocol; the Turtle export must parse with an independent parser
(rdflib).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from rdflib import RDF, XSD, Graph, Literal, Namespace

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "seed"
CLI = [sys.executable, "-m", "graphbuild.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store"
    done = subprocess.run(
        [*CLI, "--quiet", "build", str(ROOT / "data" / "articles"), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="module")
def endpoint(built_store: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--store", str(built_store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # refused, or too slow to answer yet
                time.sleep(0.1)
        else:
            raise AssertionError("server did not come up")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


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
def test_seed_acceptance_query_answers_true_over_http(endpoint: str, query_file: Path) -> None:
    response = requests.post(
        f"{endpoint}/sparql",
        data={"query": query_file.read_text(encoding="utf-8")},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert response.json()["boolean"] is True


def test_turtle_export_parses_with_rdflib(endpoint: str) -> None:
    response = requests.get(f"{endpoint}/export", params={"format": "turtle"}, timeout=60)
    assert response.status_code == 200
    assert "attachment" in response.headers.get("Content-Disposition", "")
    graph = Graph()
    graph.parse(data=response.content, format="turtle")
    dg = Namespace("https://w3id.org/diplograph/ontology#")
    meetings = set(graph.subjects(RDF.type, dg.Meeting))
    assert meetings
    dates = [graph.value(m, dg.date) for m in meetings]
    assert all(isinstance(d, Literal) and d.datatype == XSD.date for d in dates)


def test_cli_query_ask_prints_true(built_store: Path) -> None:
    done = subprocess.run(
        [
            *CLI,
            "query",
            "--store",
            str(built_store),
            "PREFIX dg: <https://w3id.org/diplograph/ontology#> ASK { ?m a dg:Meeting }",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "true"


def _ask(endpoint: str, query: str) -> bool:
    response = requests.post(
        f"{endpoint}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


DG_PREFIX = "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"


def test_reference_terms_say_who_held_an_office_on_the_meeting_day(endpoint: str) -> None:
    """Lavrov was foreign minister by the table on the day of the seed's meeting, and the
    table's terms sit in a reference graph of his own, not in the article's graph."""
    query = (
        DG_PREFIX
        + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK {
          ?m a dg:Meeting ; dg:date ?d ; dg:participant ?p . ?p rdfs:label "Sergey Lavrov" .
          GRAPH ?g { ?t a dg:TermOfOffice ; dg:roleHolder ?p ;
                        dg:officeCategory "foreign minister" ; dg:startDate ?s }
          FILTER(?s <= ?d && STRENDS(STR(?g), "/graph/reference/office-terms/sergey-lavrov"))
          FILTER NOT EXISTS { GRAPH ?a { ?t2 a dg:TermOfOffice }
                              FILTER(CONTAINS(STR(?a), "/graph/article/")) }
        }"""
    )
    assert _ask(endpoint, query)


class _Section(HTMLParser):
    """The text of one <section class=...> of a page."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.depth, self.text = name, 0, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and (self.depth or ("class", self.name) in attrs):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def test_a_person_page_shows_the_reference_terms_apart_from_the_articles(endpoint: str) -> None:
    response = requests.get(
        f"{endpoint}/resource/person/sergey-lavrov", headers={"Accept": "text/html"}, timeout=60
    )
    assert response.status_code == 200
    terms, roles = _Section("terms"), _Section("roles")
    terms.feed(response.text)
    roles.feed(response.text)
    assert "Minister of Foreign Affairs" in terms.text and "Russia" in terms.text
    assert "Minister of Foreign Affairs" not in roles.text  # the articles' roles stay apart
    assert "Foreign Minister" in roles.text

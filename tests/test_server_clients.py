"""Real SPARQL clients against the live server: SPARQLWrapper, rdflib's SPARQLStore, roqet."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import warnings

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from server_samples import DG, RES, LiveServer
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PEOPLE = f"SELECT DISTINCT ?p WHERE {{ ?p a <{DG.Person}> }} ORDER BY ?p"
PERSONS = sorted(str(RES[f"person/{k}"]) for k in ("ana", "ben", "cleo"))
MEETINGS = f"CONSTRUCT {{ ?m a <{DG.Meeting}> }} WHERE {{ ?m a <{DG.Meeting}> }}"


def wrapper(live: LiveServer, query: str, fmt: str, method: str = GET) -> SPARQLWrapper:
    sw = SPARQLWrapper(live.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_json(live_server: LiveServer, method: str) -> None:
    results = wrapper(live_server, PEOPLE, JSON, method).queryAndConvert()
    assert isinstance(results, dict)
    assert [b["p"]["value"] for b in results["results"]["bindings"]] == PERSONS


def test_sparqlwrapper_select_xml(live_server: LiveServer) -> None:
    doc = wrapper(live_server, PEOPLE, XML).queryAndConvert()
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert uris == PERSONS


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_sparqlwrapper_select_csv_tsv(live_server: LiveServer, fmt: str) -> None:
    raw = wrapper(live_server, PEOPLE, fmt).queryAndConvert()
    assert isinstance(raw, bytes)
    rows = list(csv.reader(io.StringIO(raw.decode()), delimiter="," if fmt == CSV else "\t"))
    values = [r[0].strip("<>") for r in rows[1:]]
    assert values == PERSONS


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(live_server: LiveServer, fmt: str) -> None:
    q = f"ASK {{ <{RES['person/ana']}> <{DG.metWith}> <{RES['person/ben']}> }}"
    result = wrapper(live_server, q, fmt).query()
    converted = result.convert()
    if fmt == JSON:
        assert isinstance(converted, dict) and converted["boolean"] is True
    else:
        booleans = converted.getElementsByTagName("boolean")  # type: ignore[union-attr]
        assert booleans[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, XML, N3, JSONLD])
def test_sparqlwrapper_construct(live_server: LiveServer, fmt: str) -> None:
    with warnings.catch_warnings():  # SPARQLWrapper converts with rdflib's deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        converted = wrapper(live_server, MEETINGS, fmt).queryAndConvert()
    if isinstance(converted, Graph):
        g = converted
    else:
        assert isinstance(converted, bytes)
        g = Graph().parse(data=converted, format="turtle" if fmt in (TURTLE, N3) else "json-ld")
    assert set(g.subjects()) == {RES["meeting/first"], RES["meeting/second"]}


def test_sparqlwrapper_sees_a_malformed_query_as_bad_request(live_server: LiveServer) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(live_server, "SELECT ?x WHERE { ?x", JSON).query()


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    store = SPARQLStore(live_server.sparql)
    g = Graph(store=store)
    rows = list(g.query(PEOPLE))
    assert [str(r[0]) for r in rows] == PERSONS  # type: ignore[index]
    ask = g.query(f"ASK {{ <{RES['person/ben']}> <{DG.metWith}> <{RES['person/cleo']}> }}")
    assert ask.askAnswer is True
    constructed = g.query(MEETINGS).graph
    assert constructed is not None
    assert set(constructed.subjects()) == {RES["meeting/first"], RES["meeting/second"]}
    assert (RES["person/ana"], DG.metWith, RES["person/ben"]) in g
    assert (RES["person/ana"], DG.metWith, URIRef(RES["person/cleo"])) not in g
    store.close()


@pytest.mark.skipif(shutil.which("roqet") is None, reason="roqet (Debian rasqal-utils) absent")
def test_roqet_select(live_server: LiveServer) -> None:
    """roqet's protocol mode reads every answer as bindings, so SELECT is what it can test."""
    done = subprocess.run(
        ["roqet", "-q", "-p", live_server.sparql, "-e", PEOPLE, "-r", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["p"]
    assert [r[0] for r in rows[1:]] == PERSONS

"""The SPARQL 1.1 Protocol over real HTTP: methods, formats, negotiation, errors, exports."""

from __future__ import annotations

import gzip
import io
import warnings

import pytest
import requests
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result
from server_samples import DG, RES, LiveServer, sample_graphs

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PEOPLE = f"SELECT ?p ?name WHERE {{ ?p a <{DG.Person}> ; <{LABEL}> ?name }}"
MEETINGS = f"CONSTRUCT {{ ?m ?p ?o }} WHERE {{ ?m a <{DG.Meeting}> ; ?p ?o }}"
ALL_NAMES = {"Ana Example", "Ben Sample", "Cleo Placeholder"}


def names_from(result: Result) -> set[str]:
    return {str(row[1]) for row in result}  # type: ignore[index]


def parse_results(response: requests.Response, fmt: str) -> Result:
    return Result.parse(io.BytesIO(response.content), format=fmt)


def all_triples() -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for g in sample_graphs().values():
        out |= {(str(s), str(p), str(o)) for s, p, o in g}
    return out


def triples(g: Graph) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in g}


# ---- the three ways of sending a query ---------------------------------------------------------


def test_get_query_answers_json(live_server: LiveServer) -> None:
    r = requests.get(live_server.sparql, params={"query": PEOPLE}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    body = r.json()
    assert body["head"]["vars"] == ["p", "name"]
    assert {b["name"]["value"] for b in body["results"]["bindings"]} == ALL_NAMES
    assert {b["name"]["xml:lang"] for b in body["results"]["bindings"]} == {"en"}
    assert "Accept" in r.headers["Vary"]


def test_post_form_encoded(live_server: LiveServer) -> None:
    r = requests.post(live_server.sparql, data={"query": PEOPLE}, timeout=30)
    assert r.status_code == 200
    assert names_from(parse_results(r, "json")) == ALL_NAMES


def test_post_direct(live_server: LiveServer) -> None:
    r = requests.post(
        live_server.sparql,
        data=PEOPLE.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 200
    assert names_from(parse_results(r, "json")) == ALL_NAMES


def test_post_with_another_content_type_is_415(live_server: LiveServer) -> None:
    r = requests.post(
        live_server.sparql, data=PEOPLE, headers={"Content-Type": "text/plain"}, timeout=30
    )
    assert r.status_code == 415
    assert r.json()["error"]["status"] == 415


def test_ask_answers_boolean(live_server: LiveServer) -> None:
    q = f"ASK {{ <{RES['person/ana']}> <{DG.metWith}> <{RES['person/ben']}> }}"
    r = requests.get(live_server.sparql, params={"query": q}, timeout=30)
    assert r.json()["boolean"] is True
    q2 = f"ASK {{ <{RES['person/ana']}> <{DG.metWith}> <{RES['person/cleo']}> }}"
    assert (
        requests.get(live_server.sparql, params={"query": q2}, timeout=30).json()["boolean"]
        is False
    )


# ---- default graph, dataset parameters ---------------------------------------------------------


def test_default_graph_is_the_union_of_article_graphs(live_server: LiveServer) -> None:
    q = f"SELECT ?m WHERE {{ ?m a <{DG.Meeting}> }}"
    body = requests.get(live_server.sparql, params={"query": q}, timeout=30).json()
    assert {b["m"]["value"] for b in body["results"]["bindings"]} == {
        str(RES["meeting/first"]),
        str(RES["meeting/second"]),
    }


def test_default_graph_uri_restricts_the_dataset(live_server: LiveServer) -> None:
    graph = "https://w3id.org/diplograph/graph/article/first"
    q = f"SELECT ?m WHERE {{ ?m a <{DG.Meeting}> }}"
    r = requests.get(
        live_server.sparql, params={"query": q, "default-graph-uri": graph}, timeout=30
    )
    assert [b["m"]["value"] for b in r.json()["results"]["bindings"]] == [str(RES["meeting/first"])]


def test_named_graph_uri_restricts_graph_patterns(live_server: LiveServer) -> None:
    graph = "https://w3id.org/diplograph/graph/article/second"
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?m a <{DG.Meeting}> }} }}"
    r = requests.post(live_server.sparql, data={"query": q, "named-graph-uri": graph}, timeout=30)
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [graph]


# ---- result formats and negotiation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        (
            "text/csv;q=0.2, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
            "xml",
        ),
        ("text/html, */*;q=0.1", "application/sparql-results+json", "json"),
    ],
)
def test_select_formats_by_accept(
    live_server: LiveServer, accept: str, media_type: str, rdflib_format: str
) -> None:
    r = requests.get(
        live_server.sparql, params={"query": PEOPLE}, headers={"Accept": accept}, timeout=30
    )
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type
    assert names_from(parse_results(r, rdflib_format)) == ALL_NAMES


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_format_parameter_beats_accept(live_server: LiveServer, fmt: str) -> None:
    r = requests.get(
        live_server.sparql,
        params={"query": PEOPLE, "format": fmt},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200
    assert names_from(parse_results(r, fmt)) == ALL_NAMES


def test_csv_and_tsv_keep_term_kinds_apart(live_server: LiveServer) -> None:
    tsv = requests.get(live_server.sparql, params={"query": PEOPLE, "format": "tsv"}, timeout=30)
    rows = list(parse_results(tsv, "tsv"))
    assert all(isinstance(row[0], URIRef) for row in rows)  # type: ignore[index]
    assert {row[1].language for row in rows} == {"en"}  # type: ignore[index,union-attr]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_formats_by_accept(
    live_server: LiveServer, accept: str, rdflib_format: str
) -> None:
    r = requests.get(
        live_server.sparql, params={"query": MEETINGS}, headers={"Accept": accept}, timeout=30
    )
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == accept
    g = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        if rdflib_format in ("nquads", "trig"):
            ds = Dataset()
            ds.parse(data=r.content, format=rdflib_format)
            for s, p, o, _ in ds.quads():
                g.add((s, p, o))
        else:
            g.parse(data=r.content, format=rdflib_format)
    expected = {t for t in all_triples() if t[0].startswith(str(RES["meeting/"]))}
    assert triples(g) == expected


def test_describe_answers_rdf(live_server: LiveServer) -> None:
    q = f"DESCRIBE <{RES['meeting/first']}>"
    r = requests.get(live_server.sparql, params={"query": q}, timeout=30)
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.content, format="turtle")
    assert (
        RES["meeting/first"],
        DG.date,
        Literal("2021-03-04", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
    ) in g


def test_unacceptable_accept_is_406(live_server: LiveServer) -> None:
    r = requests.get(
        live_server.sparql, params={"query": PEOPLE}, headers={"Accept": "image/png"}, timeout=30
    )
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["error"]["detail"]


def test_select_with_a_graph_only_format_is_406(live_server: LiveServer) -> None:
    r = requests.get(live_server.sparql, params={"query": PEOPLE, "format": "turtle"}, timeout=30)
    assert r.status_code == 406


def test_unknown_format_parameter_is_400(live_server: LiveServer) -> None:
    r = requests.get(live_server.sparql, params={"query": PEOPLE, "format": "docx"}, timeout=30)
    assert r.status_code == 400
    assert "json" in r.json()["error"]["detail"]


# ---- errors and refusals -------------------------------------------------------------------------


def assert_error_shape(r: requests.Response, status: int) -> dict[str, object]:
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["title"], str) and body["error"]["title"]
    assert isinstance(body["error"]["detail"], str) and body["error"]["detail"]
    error: dict[str, object] = body["error"]
    return error


def test_malformed_query_is_400_with_line_and_column(live_server: LiveServer) -> None:
    r = requests.get(live_server.sparql, params={"query": "SELECT ?x WHERE {\n ?x ?y"}, timeout=30)
    error = assert_error_shape(r, 400)
    assert "2:" in str(error["detail"])


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
        "PREFIX ex: <http://example.org/>\nWITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_with_403(live_server: LiveServer, update: str) -> None:
    for r in (
        requests.get(live_server.sparql, params={"query": update}, timeout=30),
        requests.post(live_server.sparql, data={"update": update}, timeout=30),
        requests.post(
            live_server.sparql,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        ),
    ):
        assert_error_shape(r, 403)
    still_there = requests.get(live_server.sparql, params={"query": PEOPLE}, timeout=30)
    assert names_from(parse_results(still_there, "json")) == ALL_NAMES


def test_service_outside_the_allowlist_is_refused(live_server: LiveServer) -> None:
    q = "SELECT * WHERE { SERVICE <http://localhost:9/sparql> { ?s ?p ?o } }"
    error = assert_error_shape(
        requests.get(live_server.sparql, params={"query": q}, timeout=30), 403
    )
    assert "query.wikidata.org" in str(error["detail"])


def test_service_with_a_variable_endpoint_is_refused(live_server: LiveServer) -> None:
    q = "SELECT * WHERE { VALUES ?e { <http://localhost:9/sparql> } SERVICE ?e { ?s ?p ?o } }"
    assert_error_shape(requests.get(live_server.sparql, params={"query": q}, timeout=30), 403)


def test_from_a_local_file_is_refused(live_server: LiveServer) -> None:
    q = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    assert_error_shape(requests.get(live_server.sparql, params={"query": q}, timeout=30), 403)


def test_unknown_path_and_wrong_method_share_the_error_shape(live_server: LiveServer) -> None:
    assert_error_shape(requests.get(f"{live_server.url}/no-such-page", timeout=30), 404)
    r = requests.delete(live_server.sparql, timeout=30)
    assert_error_shape(r, 405)
    assert "GET" in r.headers["Allow"]


def test_two_query_parameters_are_400(live_server: LiveServer) -> None:
    r = requests.get(f"{live_server.sparql}?query=ASK%7B%7D&query=ASK%7B%7D", timeout=30)
    assert_error_shape(r, 400)


# ---- service description, CORS, meta ------------------------------------------------------------


SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/rdf+xml", "xml")]
)
def test_service_description_parses_as_rdf(live_server: LiveServer, accept: str, fmt: str) -> None:
    r = requests.get(live_server.sparql, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=fmt)
    endpoint = URIRef(live_server.sparql)
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in g
    assert (endpoint, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in g
    formats = set(g.objects(endpoint, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    names = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    assert names == {
        "https://w3id.org/diplograph/graph/article/first",
        "https://w3id.org/diplograph/graph/article/second",
    }


def test_cors_on_answers_and_preflight(live_server: LiveServer) -> None:
    r = requests.get(
        live_server.sparql,
        params={"query": PEOPLE},
        headers={"Origin": "https://elsewhere.example"},
        timeout=30,
    )
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Diplograph-Results-Truncated" in r.headers["Access-Control-Expose-Headers"]
    pre = requests.options(
        live_server.sparql,
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
        timeout=30,
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()


def test_health_and_version(live_server: LiveServer) -> None:
    health = requests.get(f"{live_server.url}/health", timeout=30)
    assert health.status_code == 200 and health.json()["articles"] == 2
    version = requests.get(f"{live_server.url}/version", timeout=30).json()
    from graphbuild import __version__

    assert version["version"] == __version__


# ---- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "extension"),
    [
        ("turtle", "turtle", "ttl"),
        ("ntriples", "nt", "nt"),
        ("trig", "trig", "trig"),
        ("nquads", "nquads", "nq"),
        ("jsonld", "json-ld", "jsonld"),
        ("rdfxml", "xml", "rdf"),
    ],
)
def test_export_formats_parse_back(
    live_server: LiveServer, fmt: str, rdflib_format: str, extension: str
) -> None:
    r = requests.get(f"{live_server.url}/export", params={"format": fmt}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="diplograph.{extension}"'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = Dataset()
        ds.parse(data=r.content, format=rdflib_format)
    got = {(str(s), str(p), str(o)) for s, p, o, _ in ds.quads()}
    assert all_triples() <= got


def test_export_of_one_article(live_server: LiveServer) -> None:
    r = requests.get(
        f"{live_server.url}/export", params={"format": "turtle", "article": "first"}, timeout=30
    )
    assert r.headers["Content-Disposition"] == 'attachment; filename="diplograph-first.ttl"'
    g = Graph().parse(data=r.content, format="turtle")
    assert triples(g) == triples(sample_graphs()["first"])


def test_export_of_unknown_article_is_404(live_server: LiveServer) -> None:
    r = requests.get(f"{live_server.url}/export", params={"article": "nope"}, timeout=30)
    assert_error_shape(r, 404)


def test_export_is_gzipped_when_asked_and_revalidates_cheaply(live_server: LiveServer) -> None:
    url = f"{live_server.url}/export"
    r = requests.get(
        url,
        params={"format": "ntriples"},
        headers={"Accept-Encoding": "gzip"},
        stream=True,
        timeout=30,
    )
    assert r.headers["Content-Encoding"] == "gzip"
    raw = r.raw.read()
    g = Graph().parse(data=gzip.decompress(raw), format="nt")
    assert all_triples() <= triples(g)
    etag = r.headers["ETag"]
    again = requests.get(
        url,
        params={"format": "ntriples"},
        headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
        timeout=30,
    )
    assert again.status_code == 304
    assert again.content == b""
    other = requests.get(
        url, params={"format": "turtle"}, headers={"If-None-Match": etag}, timeout=30
    )
    assert other.status_code == 200


def test_export_negotiates_from_accept(live_server: LiveServer) -> None:
    r = requests.get(
        f"{live_server.url}/export", headers={"Accept": "application/n-quads"}, timeout=30
    )
    assert r.headers["Content-Type"].startswith("application/n-quads")
    assert "Accept" in r.headers["Vary"]
    g = Dataset().parse(data=r.content, format="nquads")
    assert all_triples() <= {(str(s), str(p), str(o)) for s, p, o, _ in g.quads()}

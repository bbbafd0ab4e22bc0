"""Linked-data pages, ontology, shapes, VoID and the picture pages over real HTTP.

A session store holds two hand-made articles (tests/pages_samples.py) mapped with
``graphbuild.rdf.mapping.to_rdf``; the app runs under waitress on a free port. RDF answers
are parsed back with rdflib before anything is asserted about them, HTML answers with
the standard library's parser.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import cast
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from pages_samples import (
    GENEVA_ID,
    GENEVA_TEXT,
    QUOTE,
    SANDBOX_QID,
    SANTIAGO_ID,
    SANTIAGO_TEXT,
    build_store,
)
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result, ResultRow
from server_samples import LiveServer, running_server

from graphbuild.rdf.formats import GraphFormat
from graphbuild.rdf.mapping import entity_iri
from graphbuild.resources import ontology_file, queries_dir
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from graphbuild.vocabulary import (
    DG,
    SCHEMA,
    article_iri,
    builds_graph_iri,
    graph_iri,
    ontology_graph_iri,
)
from server.describe import INCOMING_LIMIT, Reader, description, view
from server.pages import load_examples
from server.pictures import Filters, network_query, parse_filters, timeline_query
from server.textspans import segments, snippet

BASE = "https://w3id.org/diplograph/"
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
TOMAS = entity_iri(BASE, "Person", "Tomas Ejemplo")
MARA = entity_iri(BASE, "Person", "Mara Testova", SANDBOX_QID)
KENYA = entity_iri(BASE, "Country", "Kenya", "Q114")
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
    "nquads": "nquads",
}


@pytest.fixture(scope="session")
def pages_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "store"
    build_store(path)
    return path


@pytest.fixture(scope="session")
def site(pages_store: Path) -> Iterator[LiveServer]:
    with running_server(pages_store, threads=4) as live:
        yield live


def local(live: LiveServer, iri: str) -> str:
    """The server URL of a resource IRI, its percent-escapes kept."""
    assert iri.startswith(BASE + "resource/")
    return f"{live.url}/resource/{iri[len(BASE) + len('resource/') :]}"


def get(url: str, accept: str | None = None, **params: str) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(url, headers=headers, params=params, timeout=30)


def parse_rdf(response: requests.Response, key: str) -> Graph:
    """Parse an RDF answer; dataset formats into a Dataset whose union is returned."""
    fmt = RDFLIB_FORMAT[key]
    if key in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=response.content, format=fmt)
        union = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    g = Graph()
    g.parse(data=response.content, format=fmt)
    return g


class Page(HTMLParser):
    """Collects what the tests look at: text per tag or class, ids, scripts' JSON."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, list[str]] = {}
        self.ids: set[str] = set()
        self.scripts: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("br", "meta", "link", "input", "img"):
            return
        self.stack.append((tag, a))
        for key in self._keys(tag, a):
            self.text.setdefault(key, []).append("")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        for tag, a in self.stack:
            for key in self._keys(tag, a):
                self.text[key][-1] += data
        if self.stack and self.stack[-1][0] == "script" and "id" in self.stack[-1][1]:
            self.scripts[self.stack[-1][1]["id"]] = (
                self.scripts.get(self.stack[-1][1]["id"], "") + data
            )

    @staticmethod
    def _keys(tag: str, a: dict[str, str]) -> list[str]:
        keys = [tag] + [f".{c}" for c in a.get("class", "").split()]
        return keys + ([f"#{a['id']}"] if "id" in a else [])

    def all(self, key: str) -> list[str]:
        return [t.strip() for t in self.text.get(key, [])]

    def raw(self, key: str) -> list[str]:
        return list(self.text.get(key, []))


# ---- resources: HTML for people -----------------------------------------------------------


def test_person_page_shows_label_types_wikidata_roles_meetings_and_evidence(
    site: LiveServer,
) -> None:
    r = get(local(site, str(MARA)), HTML_ACCEPT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "Accept" in r.headers["Vary"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    page = Page(r.text)
    assert page.all("h1") == ["Mara Testova"]
    assert "Person" in page.all(".badge")
    assert any(SANDBOX_QID in t for t in page.all(".wikidata"))
    assert f"https://www.wikidata.org/wiki/{SANDBOX_QID}" in r.text
    marks = page.all("mark")
    assert "Estonian Foreign Minister Mara Testova" in marks  # the role's evidence
    assert QUOTE in marks  # the quotation's evidence, highlighted in its sentence
    snippets = page.all(".snippet")
    assert any(s.startswith('"' + QUOTE) and s.endswith("after the meeting.") for s in snippets)
    assert any(QUOTE in t for t in page.all(".quotation"))


def test_meetings_are_listed_in_date_order_across_articles(site: LiveServer) -> None:
    page = Page(get(local(site, str(TOMAS)), HTML_ACCEPT).text)
    dates = page.all(".date")
    assert dates == ["2024-01-12", "2024-05-07", "2024-06-03"]
    # held meetings from both articles, the scheduled one marked as such
    rows = page.all(".held") + page.all(".scheduled")
    assert any("Wanjiru Mfano" in row for row in rows)
    assert any("Scheduled meeting" in row for row in page.all(".scheduled"))
    sources = page.all(".source")
    assert any("meet in Geneva" in s for s in sources)  # the Geneva article's title
    assert any(SANTIAGO_ID in s for s in sources)


def test_country_page_lists_its_people_and_their_meetings(site: LiveServer) -> None:
    page = Page(get(local(site, str(KENYA)), HTML_ACCEPT).text)
    assert page.all("h1") == ["Kenya"]
    assert page.all(".date") == ["2024-01-12"]  # Wanjiru Mfano's meeting, not Chile's others
    assert any("Wanjiru Mfano" in t for t in page.all(".summary"))
    assert any("envoy" in t for t in page.all(".roles"))


def test_evidence_links_point_at_the_span_on_the_article_page(site: LiveServer) -> None:
    r = get(local(site, str(TOMAS)), HTML_ACCEPT)
    start = SANTIAGO_TEXT.index("Tomas Ejemplo received")
    end = start + len("Tomas Ejemplo received Kenyan envoy Wanjiru Mfano")
    segment = quote(SANTIAGO_ID, safe="-._~")
    assert f'href="/resource/article/{segment}#ev-{start}-{end}"' in r.text
    article = get(f"{site.url}/resource/article/{segment}", HTML_ACCEPT)
    assert article.status_code == 200
    page = Page(article.text)
    assert f"ev-{start}-{end}" in page.ids
    assert "".join(page.all(".article-text")) == SANTIAGO_TEXT.strip()
    assert "Tomas Ejemplo received Kenyan envoy Wanjiru Mfano" in "".join(page.raw("mark"))


def test_article_page_marks_overlapping_spans_and_lists_mentions(site: LiveServer) -> None:
    page = Page(get(local(site, str(article_iri(BASE, GENEVA_ID))), HTML_ACCEPT).text)
    assert "".join(page.all(".article-text")) == GENEVA_TEXT.strip()
    # "Estonian Foreign Minister Mara Testova" (role) overlaps the meeting's span
    assert "Mara Testova" in page.all(".d2")
    assert any("Testova" in t for t in page.all(".mentions"))


# ---- resources: RDF for machines ----------------------------------------------------------


@pytest.mark.parametrize("fmt", list(GraphFormat), ids=lambda f: f.key)
def test_resource_rdf_by_accept_parses_back(site: LiveServer, fmt: GraphFormat) -> None:
    r = get(local(site, str(TOMAS)), fmt.media_type)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(fmt.media_type)
    assert "Accept" in r.headers["Vary"]
    assert r.headers["Diplograph-Results-Truncated"] == "false"
    g = parse_rdf(r, fmt.key)
    assert (TOMAS, RDFS.label, Literal("Tomas Ejemplo")) in g
    assert (TOMAS, RDF.type, DG.Person) in g
    meetings = set(g.subjects(DG.participant, TOMAS))
    assert len(meetings) == 3
    assert (TOMAS, DG.metWith, MARA) in g
    # the labels of linked nodes travel along, so a client needs no second request
    assert (MARA, RDFS.label, Literal("Mara Testova")) in g


@pytest.mark.parametrize("key", ["ttl", "nt", "jsonld", "rdfxml"])
def test_format_parameter_beats_accept(site: LiveServer, key: str) -> None:
    fmt = GraphFormat.lookup(key)
    r = get(local(site, str(TOMAS)), HTML_ACCEPT, format=key)
    assert r.headers["Content-Type"].startswith(fmt.media_type)
    assert (TOMAS, RDF.type, DG.Person) in parse_rdf(r, fmt.key)


def test_no_accept_preference_gets_html_and_link_headers_name_the_rest(site: LiveServer) -> None:
    r = get(local(site, str(TOMAS)), "*/*")
    assert r.headers["Content-Type"].startswith("text/html")
    links = requests.utils.parse_header_links(r.headers["Link"])
    types = {link["type"] for link in links}
    assert {"text/turtle", "application/n-triples", "application/ld+json"} <= types
    turtle = next(link["url"] for link in links if link["type"] == "text/turtle")
    assert (TOMAS, RDF.type, DG.Person) in parse_rdf(get(turtle), "turtle")


def test_percent_encoded_article_iri_dereferences_with_its_text(site: LiveServer) -> None:
    iri = article_iri(BASE, SANTIAGO_ID)
    assert "%20" in str(iri)
    r = get(local(site, str(iri)), "text/turtle")
    assert r.status_code == 200
    g = parse_rdf(r, "turtle")
    assert (iri, SCHEMA.text, Literal(SANTIAGO_TEXT)) in g
    assert (iri, RDF.type, DG.Article) in g


def test_evidence_node_dereferences(site: LiveServer) -> None:
    start = GENEVA_TEXT.index(QUOTE)
    iri = URIRef(f"{BASE}resource/evidence/{GENEVA_ID}/{start}-{start + len(QUOTE)}")
    g = parse_rdf(get(local(site, str(iri)), "text/turtle"), "turtle")
    assert (iri, DG.exact, Literal(QUOTE)) in g
    page = Page(get(local(site, str(iri)), HTML_ACCEPT).text)
    assert page.all("mark") == [QUOTE]


# ---- errors -------------------------------------------------------------------------------


def test_unknown_resource_is_404_with_the_json_error_shape(site: LiveServer) -> None:
    r = get(f"{site.url}/resource/person/nobody-at-all", "application/json")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail"}
    assert body["error"]["status"] == 404
    assert "nobody-at-all" in body["error"]["detail"]


def test_unknown_resource_is_an_html_404_for_browsers_with_the_same_fields(
    site: LiveServer,
) -> None:
    r = get(f"{site.url}/resource/person/nobody-at-all", HTML_ACCEPT)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    body = json.loads(Page(r.text).scripts["dg-error"])
    assert body["error"]["status"] == 404
    assert set(body["error"]) == {"status", "title", "detail"}


def test_markup_in_a_requested_path_is_escaped(site: LiveServer) -> None:
    r = get(f"{site.url}/resource/%3Cscript%3Ealert(1)%3C%2Fscript%3E", HTML_ACCEPT)
    assert r.status_code == 404
    assert "<script>alert" not in r.text
    assert json.loads(Page(r.text).scripts["dg-error"])["error"]["status"] == 404


def test_unacceptable_media_type_is_406(site: LiveServer) -> None:
    r = get(local(site, str(TOMAS)), "image/png")
    assert r.status_code == 406
    assert r.json()["error"]["status"] == 406


def test_unknown_format_parameter_is_400(site: LiveServer) -> None:
    r = get(local(site, str(TOMAS)), "application/json", format="pdf")
    assert r.status_code == 400
    assert "turtle" in r.json()["error"]["detail"]


# ---- ontology, shapes -------------------------------------------------------------------


def _ontology_terms() -> set[str]:
    g = Graph()
    g.parse(ontology_file(), format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(t)[len(str(DG)) :]
        for kind in kinds
        for t in g.subjects(RDF.type, kind)
        if str(t).startswith(str(DG))
    }


def test_ontology_turtle_for_machines(site: LiveServer) -> None:
    r = get(f"{site.url}/ontology", "text/turtle")
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = parse_rdf(r, "turtle")
    assert (DG.Person, RDF.type, OWL.Class) in g
    again = get(f"{site.url}/ontology", "text/turtle", **{})
    assert again.headers["ETag"] == r.headers["ETag"]
    cached = requests.get(
        f"{site.url}/ontology",
        headers={"Accept": "text/turtle", "If-None-Match": r.headers["ETag"]},
        timeout=30,
    )
    assert cached.status_code == 304


@pytest.mark.parametrize("key", ["ntriples", "jsonld", "rdfxml"])
def test_ontology_in_other_formats_has_the_same_triples(site: LiveServer, key: str) -> None:
    turtle = parse_rdf(get(f"{site.url}/ontology", "text/turtle"), "turtle")
    other = parse_rdf(get(f"{site.url}/ontology", GraphFormat.lookup(key).media_type), key)
    assert len(other) == len(turtle)
    assert (DG.metWith, RDF.type, OWL.SymmetricProperty) in other


def test_ontology_html_documents_every_term(site: LiveServer) -> None:
    r = get(f"{site.url}/ontology", HTML_ACCEPT)
    assert r.headers["Content-Type"].startswith("text/html")
    page = Page(r.text)
    terms = _ontology_terms()
    assert terms, "the ontology defines terms"
    assert terms <= page.ids
    # a property shows its domain, range and alignment
    assert "dg:Person" in r.text and "sem:hasActor" in r.text
    person = next(t for t in page.all(".term") if t.startswith("dg:Person"))
    assert "schema:Person" in person and "Aligned with" in person


def test_shapes_are_turtle(site: LiveServer) -> None:
    r = get(f"{site.url}/shapes")
    assert r.headers["Content-Type"].startswith("text/turtle")
    g = parse_rdf(r, "turtle")
    assert len(set(g.subjects(RDF.type, SH.NodeShape))) > 0


def test_shapes_show_their_turtle_to_browsers(site: LiveServer) -> None:
    r = get(f"{site.url}/shapes", HTML_ACCEPT)
    assert r.headers["Content-Type"].startswith("text/html")
    shown = Graph().parse(data="".join(Page(r.text).raw("#turtle")), format="turtle")
    assert len(shown) == len(parse_rdf(get(f"{site.url}/shapes"), "turtle"))


# ---- VoID -------------------------------------------------------------------------------


def _store_counts(live: LiveServer) -> tuple[Dataset, dict[str, tuple[int, int, int]]]:
    data = live.state.store.dump_nquads()
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    space = BASE + "resource/"
    per_graph: dict[str, tuple[int, int, int]] = {}
    for g in ds.graphs():
        if len(g) == 0 or g.identifier == DATASET_DEFAULT_GRAPH_ID:  # the merge of the others
            continue
        entities = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(space)}
        articles = set(g.subjects(RDF.type, DG.Article))
        per_graph[str(g.identifier)] = (len(g), len(entities), len(articles))
    return ds, per_graph


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void_counts_match_the_store(site: LiveServer, path: str) -> None:
    r = get(site.url + path)
    assert r.headers["Content-Type"].startswith("text/turtle")
    void = parse_rdf(r, "turtle")
    ds, per_graph = _store_counts(site)
    roots = [
        d for d in void.subjects(RDF.type, VOID.Dataset) if (d, VOID.sparqlEndpoint, None) in void
    ]
    assert len(roots) == 1
    root = roots[0]
    # the data: every named graph but the ontology and the build records, counted apart
    apart = {str(ontology_graph_iri(BASE)), str(builds_graph_iri(BASE))}
    assert apart <= set(per_graph)
    union = {
        (s, p, o)
        for s, p, o, g in ds.quads((None, None, None, None))
        if str(getattr(g, "identifier", g)) in set(per_graph) - apart  # not the merged default
    }
    assert void.value(root, VOID.triples).toPython() == len(union)  # type: ignore[union-attr]
    assert void.value(root, VOID.documents).toPython() == 2  # type: ignore[union-attr]
    subjects = {s for s, _, _ in union if str(s).startswith(BASE + "resource/")}
    assert void.value(root, VOID.entities).toPython() == len(subjects)  # type: ignore[union-attr]
    subsets = set(void.objects(root, VOID.subset))
    assert {str(s) for s in subsets} == set(per_graph) - apart
    for graph in apart:  # described on their own, with their own counts
        node = URIRef(graph)
        assert (node, RDF.type, VOID.Dataset) in void
        assert void.value(node, VOID.triples).toPython() == per_graph[graph][0]  # type: ignore[union-attr]
    ontology_classes = {c for c in void.objects(None, VOID["class"])}
    assert OWL.Class not in ontology_classes  # the ontology's own terms are not data
    for subset in subsets:
        counted = (
            void.value(subset, VOID.triples).toPython(),  # type: ignore[union-attr]
            void.value(subset, VOID.entities).toPython(),  # type: ignore[union-attr]
            void.value(subset, VOID.documents).toPython(),  # type: ignore[union-attr]
        )
        assert counted == per_graph[str(subset)]
    article_graph = graph_iri(BASE, GENEVA_ID)
    assert (article_graph, URIRef("http://purl.org/dc/terms/source"), None) in void
    people = [
        p for p in void.objects(root, VOID.classPartition) if (p, VOID["class"], DG.Person) in void
    ]
    assert len(people) == 1
    assert void.value(people[0], VOID.entities).toPython() == 3  # type: ignore[union-attr]


def test_void_page_for_browsers_shows_the_same_counts(site: LiveServer) -> None:
    void = parse_rdf(get(f"{site.url}/void", "text/turtle"), "turtle")
    root = next(iter(void.subjects(VOID.sparqlEndpoint, None)))
    r = get(f"{site.url}/void", HTML_ACCEPT)
    assert r.headers["Content-Type"].startswith("text/html")
    page = Page(r.text)
    shown = [page.all(f"#void-{name}") for name in ("triples", "entities", "documents")]
    expected = [void.value(root, p) for p in (VOID.triples, VOID.entities, VOID.documents)]
    assert shown == [[str(v)] for v in expected]


def test_void_endpoint_answers_queries(site: LiveServer) -> None:
    void = parse_rdf(get(f"{site.url}/void", "application/n-triples"), "ntriples")
    endpoint = next(iter(void.objects(None, VOID.sparqlEndpoint)))
    r = requests.post(str(endpoint), data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.json()["boolean"] is True


# ---- the query UI -----------------------------------------------------------------------


def test_query_ui_carries_every_example_query(site: LiveServer) -> None:
    r = get(site.url + "/", HTML_ACCEPT)
    assert r.status_code == 200
    page = Page(r.text)
    shipped = load_examples(queries_dir())
    assert shipped, "data/queries has example queries"
    examples = json.loads(page.scripts["dg-examples"])
    assert [e["name"] for e in examples] == [e.name for e in shipped]
    for example, path in zip(examples, sorted(queries_dir().glob("*.rq")), strict=True):
        text = path.read_text(encoding="utf-8")
        assert example["query"] == text
        assert example["title"] == text.splitlines()[0].lstrip("# ").strip()
        if "SERVICE" not in text:
            ox.Store().query(text)  # parses and runs (on an empty store)
    assert all(e["title"] in page.all(".example") for e in examples)
    assert "/static/vendor/yasgui/yasgui.min.js" in r.text
    assert "//cdn" not in r.text and "unpkg" not in r.text


def test_sparql_without_a_query_sends_browsers_to_the_ui(site: LiveServer) -> None:
    r = requests.get(
        site.sparql, headers={"Accept": HTML_ACCEPT}, allow_redirects=False, timeout=30
    )
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/")
    followed = requests.get(site.sparql, headers={"Accept": HTML_ACCEPT}, timeout=30)
    assert "dg-examples" in Page(followed.text).scripts


def test_vendored_assets_are_served(site: LiveServer) -> None:
    for path in (
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/vendor/yasgui/yasgui.min.css",
        "/static/vendor/cytoscape/cytoscape.min.js",
    ):
        r = get(site.url + path)
        assert r.status_code == 200, path
        assert len(r.content) > 10_000


# ---- network and timeline ---------------------------------------------------------------


def _run(live: LiveServer, query: str) -> list[dict[str, str]]:
    r = requests.post(
        live.sparql,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    result = Result.parse(io.BytesIO(r.content), format="json")
    return [
        {k: str(v) for k, v in cast(ResultRow, row).asdict().items() if v is not None}
        for row in result
    ]


def test_network_page_shows_the_query_it_runs(site: LiveServer) -> None:
    r = get(f"{site.url}/network", HTML_ACCEPT)
    page = Page(r.text)
    shown = "".join(page.all("#edges-query"))
    assert shown.strip() == network_query(Filters()).strip()
    rows = _run(site, shown)
    meetings = {row["meeting"] for row in rows}
    assert len(meetings) == 2  # held ones only: the scheduled meeting is not an edge
    people = {row["aLabel"] for row in rows} | {row["bLabel"] for row in rows}
    assert people == {"Mara Testova", "Tomas Ejemplo", "Wanjiru Mfano"}
    affiliations = _run(site, "".join(page.all("#affiliations-query")))
    assert {row["countryLabel"] for row in affiliations} == {"Estonia", "Chile", "Kenya"}


def test_network_filters_are_written_into_the_query(site: LiveServer) -> None:
    page = Page(get(f"{site.url}/network", HTML_ACCEPT, **{"from": "2024-03-01"}).text)
    rows = _run(site, "".join(page.all("#edges-query")))
    assert {row["date"] for row in rows} == {"2024-05-07"}
    page = Page(get(f"{site.url}/network", HTML_ACCEPT, country=str(KENYA)).text)
    rows = _run(site, "".join(page.all("#edges-query")))
    assert {row["date"] for row in rows} == {"2024-01-12"}


def test_timeline_query_lists_held_and_scheduled_meetings(site: LiveServer) -> None:
    page = Page(get(f"{site.url}/timeline", HTML_ACCEPT).text)
    rows = _run(site, "".join(page.all("#timeline-query")))
    assert [(row["date"], row["scheduled"]) for row in rows] == [
        ("2024-01-12", "false"),
        ("2024-05-07", "false"),
        ("2024-06-03", "true"),
    ]


@pytest.mark.parametrize(
    "params",
    [{"from": "yesterday"}, {"from": "2024-05-01", "to": "2024-01-01"}, {"country": "x> } DROP"}],
)
def test_bad_filters_are_400(site: LiveServer, params: dict[str, str]) -> None:
    r = get(f"{site.url}/network", "application/json", **params)
    assert r.status_code == 400
    assert r.json()["error"]["status"] == 400
    html = get(f"{site.url}/timeline", HTML_ACCEPT, **params)
    assert html.status_code == 400
    assert json.loads(Page(html.text).scripts["dg-error"])["error"]["status"] == 400


def test_country_filter_must_be_a_resource_of_this_dataset() -> None:
    with pytest.raises(ValueError, match="resource of this dataset"):
        parse_filters({"country": "http://example.org/elsewhere"}, BASE)
    filters = parse_filters({"country": str(KENYA), "to": "2024-02-01"}, BASE)
    ox.Store().query(timeline_query(filters))  # the query with filters parses


# ---- text spans -------------------------------------------------------------------------


def test_snippet_keeps_the_sentence_around_a_span() -> None:
    text = "First one. Then Ana met Ben in Oslo on Monday. Last one."
    start = text.index("Ana met Ben")
    cut = snippet(text, start, start + len("Ana met Ben"), "Ana met Ben")
    assert (cut.before, cut.exact, cut.after) == ("Then ", "Ana met Ben", " in Oslo on Monday.")
    assert cut.matches


def test_snippet_of_a_whole_sentence_stops_at_its_end() -> None:
    text = "First one. Then Ana met Ben. Last one."
    sentence = "Then Ana met Ben."
    start = text.index(sentence)
    cut = snippet(text, start, start + len(sentence), sentence)
    assert (cut.before, cut.exact, cut.after) == ("", sentence, "")


def test_a_highlight_never_carries_the_whitespace_around_its_span() -> None:
    """A span recorded with its trailing newline (stores built before spans were trimmed)."""
    text = "Then Ana met Ben.\nLast one."
    padded = "Then Ana met Ben.\n"
    cut = snippet(text, 0, len(padded), padded)
    assert cut.matches and cut.exact == "Then Ana met Ben."
    marked = [p.text for p in segments(text, [(0, len(padded))]) if p.spans]
    assert marked == ["Then Ana met Ben."]


def test_snippet_with_stale_offsets_shows_only_the_recorded_span() -> None:
    cut = snippet("Some other text now.", 5, 10, "Ana met")
    assert (cut.before, cut.exact, cut.after, cut.matches) == ("", "Ana met", "", False)


@given(
    st.text(min_size=0, max_size=60),
    st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
)
def test_segments_give_the_text_back_and_cover_their_spans(
    text: str, spans: list[tuple[int, int]]
) -> None:
    parts = segments(text, spans)
    assert "".join(p.text for p in parts) == text
    position = 0
    for part in parts:
        for i in part.spans:
            s, e = spans[i]
            assert s <= position and position + len(part.text) <= e
        position += len(part.text)
    valid = {i for i, (s, e) in enumerate(spans) if 0 <= s < e <= len(text)}
    assert {i for p in parts for i in p.opens} == valid


# ---- caps are reported, never silent ------------------------------------------------------


def _crowded(store: GraphStore, links: int) -> str:
    """A node that ``links`` articles point at, in ``store``."""
    target = URIRef(BASE + "resource/country/crowded")
    g = Graph()
    g.add((target, RDFS.label, Literal("Crowded")))
    for i in range(links):
        g.add((URIRef(f"{BASE}resource/article/a{i}"), DG.mentions, target))
    store.replace_article("many", g, ArticleRecord("many", "d", "test"))
    return str(target)


@pytest.mark.parametrize("extra", [-1, 0, 5])
def test_incoming_links_beyond_the_cap_are_flagged(extra: int) -> None:
    links = INCOMING_LIMIT + extra
    with GraphStore.memory() as store:
        target = _crowded(store, links)
        reader = Reader(store, lambda iri: (iri, False))
        quads, truncated = description(reader, target)
        incoming = [q for q in quads if q.object == ox.NamedNode(target)]
        assert len(incoming) == min(links, INCOMING_LIMIT)
        assert truncated == (links > INCOMING_LIMIT)
        page = view(reader, target)
        assert page.incoming_truncated == (links > INCOMING_LIMIT)
        assert len(page.incoming) == min(links, INCOMING_LIMIT)

"""Reference terms of office: one named graph per linked person, deterministic, conforming,
written with the articles that need it and gone with the last of them."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.office_holders import shipped_office_holders
from graphbuild.rdf.reference import OfficeTerms, linked_people, reference_graph_iri
from graphbuild.rdf.validate import load_ontology, load_shapes, validation_report
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from graphbuild.vocabulary import DEFAULT_BASE, DG, PROV, WD

RES = Namespace(f"{DEFAULT_BASE}resource/")
LAVROV = RES["person/sergey-lavrov"]
BAYRAMOV = RES["person/jeyhun-bayramov"]


@cache
def office_terms(base: str = DEFAULT_BASE) -> OfficeTerms:
    return OfficeTerms(base, shipped_office_holders(), load_gazetteer())


def qid_of(label: str) -> str:
    (qid,) = {q for q, p in shipped_office_holders().people.items() if p.label == label}
    return qid


def article(base: str, name: str, *people: tuple[URIRef, str]) -> Graph:
    """An article graph naming these linked people (IRI, QID)."""
    g = Graph()
    g.add((URIRef(f"{base}resource/article/{name}"), RDF.type, DG.Article))
    for person, qid in people:
        g.add((person, RDF.type, DG.Person))
        g.add((person, URIRef("http://www.w3.org/2002/07/owl#sameAs"), WD[qid]))
    return g


def test_a_linked_persons_terms_are_a_graph_of_their_own() -> None:
    qid = qid_of("Sergey Lavrov")
    graphs = office_terms().graphs_for(article(DEFAULT_BASE, "a", (LAVROV, qid)))
    name = str(reference_graph_iri(DEFAULT_BASE, LAVROV))
    assert list(graphs) == [name] == [f"{DEFAULT_BASE}graph/reference/office-terms/sergey-lavrov"]
    g = graphs[name]
    terms = set(g.subjects(RDF.type, DG.TermOfOffice))
    assert len(terms) == len(shipped_office_holders().terms_of(qid)) >= 1
    for term in terms:
        assert g.value(term, DG.roleHolder) == LAVROV
        assert g.value(term, DG.officeCategory) is not None
        source = g.value(term, PROV.hadPrimarySource)
        assert isinstance(source, URIRef) and str(source).startswith("https://github.com/")
        assert (term, DG.evidence, None) not in g  # no article says it
        assert (term, RDF.type, DG.Role) not in g  # so "every dg:Role has evidence" holds


def test_reference_graphs_conform_to_the_shapes() -> None:
    people = [(LAVROV, qid_of("Sergey Lavrov")), (BAYRAMOV, qid_of("Jeyhun Bayramov"))]
    for g in office_terms().graphs_for(article(DEFAULT_BASE, "a", *people)).values():
        conforms, report, _ = validation_report(g, load_shapes())
        assert conforms, report.serialize(format="turtle")


def test_reference_graphs_use_only_terms_of_the_ontology() -> None:
    ontology = load_ontology()
    people = article(DEFAULT_BASE, "a", (LAVROV, qid_of("Sergey Lavrov")))
    (graph,) = office_terms().graphs_for(people).values()
    used = {p for _, p, _ in graph} | set(graph.objects(None, RDF.type))
    for term in used:
        if str(term).startswith(str(DG)):
            assert (term, None, None) in ontology, term


def test_partial_dates_keep_their_precision() -> None:
    """Terms whose source gives only a year or a month are xsd:gYear / xsd:gYearMonth."""
    index = shipped_office_holders()
    qid = next(q for q in index.people if any(len(t.start) == 4 for t in index.terms_of(q)))
    person = RES[f"person/{qid.lower()}"]
    (g,) = office_terms().graphs_for(article(DEFAULT_BASE, "a", (person, qid))).values()
    types = {o.datatype for o in g.objects(None, DG.startDate) if isinstance(o, Literal)}
    assert XSD.gYear in types


def test_the_same_people_give_the_same_graph() -> None:
    qid = qid_of("Sergey Lavrov")
    fresh = OfficeTerms(DEFAULT_BASE, shipped_office_holders(), load_gazetteer())
    one = fresh.graphs_for(article(DEFAULT_BASE, "a", (LAVROV, qid)))
    two = office_terms().graphs_for(article(DEFAULT_BASE, "b", (LAVROV, qid)))
    assert {k: set(v) for k, v in one.items()} == {k: set(v) for k, v in two.items()}


def test_only_people_linked_to_wikidata_need_reference_data() -> None:
    g = article(DEFAULT_BASE, "a", (LAVROV, qid_of("Sergey Lavrov")))
    g.add((RES["person/ana-nobody"], RDF.type, DG.Person))
    assert list(linked_people(g)) == [LAVROV]
    assert office_terms().graphs_for(article(DEFAULT_BASE, "a")) == {}


# ---- in a store -------------------------------------------------------------------------------


def graph_size(store: object, graph: str) -> int:
    result = store.query(  # type: ignore[attr-defined]
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


def written_at(store: object, graph: str) -> str:
    builds = store.builds_graph  # type: ignore[attr-defined]
    result = store.query(  # type: ignore[attr-defined]
        f"SELECT ?t WHERE {{ GRAPH <{builds}> {{ <{graph}> <{PROV.generatedAtTime}> ?t }} }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    return "".join(row["t"].value for row in result)


def reference_lifecycle(store: object, base: str, record: Callable[..., ArticleRecord]) -> None:
    """What every store must do with reference graphs (shared with the Virtuoso tests)."""
    person = URIRef(f"{base}resource/person/sergey-lavrov")
    qid = qid_of("Sergey Lavrov")
    refs = office_terms(base).graphs_for(article(base, "a", (person, qid)))
    ((name, graph),) = refs.items()
    write = store.replace_article  # type: ignore[attr-defined]
    write("a", article(base, "a", (person, qid)), record("a"), refs)
    assert graph_size(store, name) == len(graph)
    first = written_at(store, name)
    write("b", article(base, "b", (person, qid)), record("b"), refs)
    assert written_at(store, name) == first  # unchanged: not rewritten
    assert store.remove_article("a")  # type: ignore[attr-defined]
    assert graph_size(store, name) == len(graph)  # b still needs it
    write("b", article(base, "b"), record("b", "d2"), {})  # b no longer links the person
    assert graph_size(store, name) == 0
    assert written_at(store, name) == ""
    ask = store.query(f"ASK {{ ?t a <{DG.TermOfOffice}> }}")  # type: ignore[attr-defined]
    assert not bool(ask)
    write("c", article(base, "c", (person, qid)), record("c"), refs)
    assert store.remove_article("c")  # type: ignore[attr-defined]
    assert graph_size(store, name) == 0


def test_the_embedded_store_keeps_reference_graphs_while_an_article_needs_them() -> None:
    with GraphStore.memory() as store:
        reference_lifecycle(
            store, DEFAULT_BASE, lambda aid, digest="d1": ArticleRecord(aid, digest, "test@1")
        )
        ask = store.raw.query(f"ASK {{ ?t a <{DG.TermOfOffice}> }}")  # the merged default graph
        assert not bool(ask)


def test_a_rebuilt_reference_graph_has_the_same_triples() -> None:
    qid = qid_of("Sergey Lavrov")
    refs = office_terms().graphs_for(article(DEFAULT_BASE, "a", (LAVROV, qid)))
    ((name, _),) = refs.items()
    dumps = []
    for _ in range(2):
        with GraphStore.memory() as store:
            store.replace_article(
                "a", article(DEFAULT_BASE, "a", (LAVROV, qid)), ArticleRecord("a", "d", "t"), refs
            )
            dumps.append(set(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(name))))
    assert dumps[0] == dumps[1] and dumps[0]


@pytest.mark.parametrize("changed", [False, True])
def test_a_changed_table_rewrites_the_reference_graph(changed: bool) -> None:
    qid = qid_of("Sergey Lavrov")
    refs = office_terms().graphs_for(article(DEFAULT_BASE, "a", (LAVROV, qid)))
    ((name, graph),) = refs.items()
    with GraphStore.memory() as store:
        store.replace_article("a", article(DEFAULT_BASE, "a"), ArticleRecord("a", "d", "t"), refs)
        newer = Graph()
        for t in graph:
            newer.add(t)
        if changed:
            newer.add((LAVROV, DG.officeCategory, Literal("other")))
        store.replace_article(
            "b", article(DEFAULT_BASE, "b"), ArticleRecord("b", "d", "t"), {name: newer}
        )
        assert graph_size(store, name) == len(newer)

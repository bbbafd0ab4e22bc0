"""The compiled conformance check says what pySHACL says: on real article graphs, on one
crafted defect per constraint of the shipped shapes, and on randomly damaged graphs.

pySHACL's verdict is the reference everywhere (``allow_warnings``, as ``validate`` runs it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mapping_samples import sample_annotations
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node
from test_shapes import (
    ANA,
    BASE,
    CASES,
    DGSH,
    LISBON,
    NORWAY,
    Mutation,
    add_value,
    bad_wikidata_link,
    evidence,
    held,
    results,
    role,
    scheduled,
    set_value,
    the,
)

from graphbuild.errors import ConfigError, ValidationFailed
from graphbuild.ingest import SourcedArticle, read_articles
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.shape_check import CompiledShapes, UnsupportedShape, compile_shapes
from graphbuild.rdf.validate import (
    SH,
    compiled_shapes,
    load_ontology,
    load_shapes,
    validate,
    validation_report,
)
from graphbuild.run.pipeline import Toolkit, process_article
from graphbuild.settings import Settings
from graphbuild.vocabulary import DG, PROV, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "seed.txt"
DEV = ROOT.parent / "shared" / "dev"
BEN = URIRef(f"{BASE}resource/person/ben-sample")
PORTUGAL = URIRef(f"{BASE}resource/country/Q45")

Case = tuple[Mutation, URIRef | None, URIRef, URIRef]  # mutation, path, node shape, component


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def compiled(shapes: Graph) -> CompiledShapes:
    return compile_shapes(shapes)


@pytest.fixture(scope="module")
def good() -> Graph:
    """An article graph as the pipeline validates it: mapped, then materialised."""
    return materialise(to_rdf(sample_annotations()), load_ontology())


def copy(graph: Graph) -> Graph:
    out = Graph(identifier=graph.identifier)
    for t in graph:
        out.add(t)
    return out


def pyshacl_verdict(graph: Graph, shapes: Graph) -> bool | None:
    """pySHACL's conformance, or None where it cannot judge: rdflib's SUBSTR raises a
    TypeError on a non-integer offset, and subtracting from an ill-typed integer literal
    ("abc"^^xsd:integer) recurses until Python's limit (rdflib's Literal.__sub__). The compiled
    check must not vouch for such a graph."""
    try:
        return validation_report(graph, shapes)[0]
    except (TypeError, RecursionError):
        return None


# ---- the shipped shapes -------------------------------------------------------------------


def test_the_shipped_shapes_compile_once_per_shapes_graph(shapes: Graph) -> None:
    first = compiled_shapes(shapes)
    assert first is not None
    assert compiled_shapes(shapes) is first
    assert compiled_shapes(copy(shapes)) is not first  # another graph object, another compile


def test_good_graph_conforms_in_both(good: Graph, shapes: Graph, compiled: CompiledShapes) -> None:
    assert pyshacl_verdict(good, shapes) is True
    assert compiled.conforms(good)
    assert not list(compiled.failures(good))


# ---- real article graphs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def kit() -> Toolkit:
    return Toolkit.load(Settings().replace(validate=False))


def article_graphs(kit: Toolkit, paths: list[Path]) -> dict[str, Graph]:
    """Article graphs as the pipeline builds them (mapped, materialised), not yet validated."""
    out: dict[str, Graph] = {}
    for item in read_articles(paths):
        assert isinstance(item, SourcedArticle), item
        result = process_article(item, kit)
        assert result.graph is not None, result.error
        out[item.info.id] = result.graph
    return out


@pytest.fixture(scope="module")
def seed(kit: Toolkit) -> Graph:
    (graph,) = article_graphs(kit, [SEED]).values()
    return graph


@pytest.mark.slow
def test_seed_article_conforms_in_both(
    seed: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    assert len(seed) > 100
    assert pyshacl_verdict(seed, shapes) is True
    assert compiled.conforms(seed)


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev is not present")
def test_dev_articles_get_the_same_verdict(
    kit: Toolkit, shapes: Graph, compiled: CompiledShapes
) -> None:
    graphs = article_graphs(kit, sorted(DEV.glob("*.txt")))
    assert len(graphs) >= 10
    verdicts = {
        aid: (pyshacl_verdict(g, shapes), compiled.conforms(g)) for aid, g in graphs.items()
    }
    assert all(mine == theirs for theirs, mine in verdicts.values()), verdicts


# ---- one crafted defect per constraint ----------------------------------------------------


def article(g: Graph) -> Node:
    return the(g, DG.Article)


def quotation(g: Graph) -> Node:
    return the(g, DG.Quotation)


def signing(g: Graph) -> Node:
    return the(g, DG.Signing)


def add_node(node_of: Callable[[Graph], Node], prop: URIRef, value_of: Mutation) -> Mutation:
    def mutate(g: Graph) -> Node:
        node = node_of(g)
        g.add((node, prop, value_of(g)))
        return node

    return mutate


def text_with_language(g: Graph) -> Node:
    node = article(g)
    text = g.value(node, SCHEMA.text)
    g.set((node, SCHEMA.text, Literal(str(text), lang="en")))
    return node


def same_as_literal(g: Graph) -> Node:
    target = Literal("Q20")
    g.add((NORWAY, OWL.sameAs, target))
    return target


def blank_participant(g: Graph) -> Node:
    m = held(g)
    someone = BNode()
    g.add((someone, RDF.type, DG.Person))
    g.add((someone, RDFS.label, Literal("Someone")))
    g.add((m, DG.participant, someone))
    return m


def exact_not_at_offsets(g: Graph) -> Node:
    g.set((evidence(g), DG.exact, Literal("words the article does not have there")))
    return article(g)


C = SH
MORE_CASES: dict[str, Case] = {
    "article text does not match an evidence span": (
        exact_not_at_offsets,
        None,
        DGSH.ArticleShape,
        C.SPARQLConstraintComponent,
    ),
    "article with two texts": (
        add_value(article, SCHEMA.text, Literal("Another text.")),
        SCHEMA.text,
        DGSH.ArticleShape,
        C.MaxCountConstraintComponent,
    ),
    "article text with a language tag": (
        text_with_language,
        SCHEMA.text,
        DGSH.ArticleShape,
        C.DatatypeConstraintComponent,
    ),
    "article with two publication dates": (
        add_value(article, SCHEMA.datePublished, Literal(dt.date(2024, 3, 6))),
        SCHEMA.datePublished,
        DGSH.ArticleShape,
        C.MaxCountConstraintComponent,
    ),
    "article without extractor": (
        set_value(article, DG.extractor, None),
        DG.extractor,
        DGSH.ArticleShape,
        C.MinCountConstraintComponent,
    ),
    "article extractor is a number": (
        set_value(article, DG.extractor, Literal(3)),
        DG.extractor,
        DGSH.ArticleShape,
        C.DatatypeConstraintComponent,
    ),
    "label is an IRI": (
        add_value(lambda g: NORWAY, RDFS.label, URIRef("https://example.org/norway")),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.NodeKindConstraintComponent,
    ),
    "label is empty": (
        set_value(lambda g: NORWAY, RDFS.label, Literal("")),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinLengthConstraintComponent,
    ),
    "person represents a place": (
        add_value(lambda g: ANA, DG.represents, LISBON),
        DG.represents,
        DGSH.PersonShape,
        C.OrConstraintComponent,
    ),
    "wikidata link with the wrong form": (
        bad_wikidata_link,
        None,
        DGSH.WikidataLinkShape,
        C.PatternConstraintComponent,
    ),
    "wikidata link is a literal": (
        same_as_literal,
        None,
        DGSH.WikidataLinkShape,
        C.NodeKindConstraintComponent,
    ),
    "anniversary of a country": (
        set_value(held, DG.anniversaryOf, NORWAY),
        DG.anniversaryOf,
        DGSH.EventShape,
        C.ClassConstraintComponent,
    ),
    "meeting participant is a blank node": (
        blank_participant,
        DG.participant,
        DGSH.MeetingShape,
        C.NodeKindConstraintComponent,
    ),
    "meeting date is not a real day": (
        set_value(held, DG.date, Literal("2024-02-30", datatype=XSD.date)),
        DG.date,
        DGSH.EventShape,
        C.DatatypeConstraintComponent,
    ),
    "signing agreement is a country": (
        set_value(signing, DG.agreement, NORWAY),
        DG.agreement,
        DGSH.SigningShape,
        C.ClassConstraintComponent,
    ),
    "role with two holders": (
        add_value(role, DG.roleHolder, BEN),
        DG.roleHolder,
        DGSH.RoleShape,
        C.MaxCountConstraintComponent,
    ),
    "role holder is a country": (
        set_value(role, DG.roleHolder, NORWAY),
        DG.roleHolder,
        DGSH.RoleShape,
        C.ClassConstraintComponent,
    ),
    "role without party": (
        set_value(role, DG.roleParty, None),
        DG.roleParty,
        DGSH.RoleShape,
        C.MinCountConstraintComponent,
    ),
    "role with two parties": (
        add_value(role, DG.roleParty, PORTUGAL),
        DG.roleParty,
        DGSH.RoleShape,
        C.MaxCountConstraintComponent,
    ),
    "role with two titles": (
        add_value(role, DG.roleTitle, Literal("Minister")),
        DG.roleTitle,
        DGSH.RoleShape,
        C.MaxCountConstraintComponent,
    ),
    "role title is a number": (
        set_value(role, DG.roleTitle, Literal(7)),
        DG.roleTitle,
        DGSH.RoleShape,
        C.DatatypeConstraintComponent,
    ),
    "role title is empty": (
        set_value(role, DG.roleTitle, Literal("")),
        DG.roleTitle,
        DGSH.RoleShape,
        C.MinLengthConstraintComponent,
    ),
    "quotation with two speakers": (
        add_value(quotation, DG.speaker, BEN),
        DG.speaker,
        DGSH.QuotationShape,
        C.MaxCountConstraintComponent,
    ),
    "quotation speaker is a place": (
        set_value(quotation, DG.speaker, LISBON),
        DG.speaker,
        DGSH.QuotationShape,
        C.OrConstraintComponent,
    ),
    "quotation with two texts": (
        add_value(quotation, SCHEMA.text, Literal("More words.")),
        SCHEMA.text,
        DGSH.QuotationShape,
        C.MaxCountConstraintComponent,
    ),
    "quotation text is a date": (
        set_value(quotation, SCHEMA.text, Literal(dt.date(2024, 1, 1))),
        SCHEMA.text,
        DGSH.QuotationShape,
        C.DatatypeConstraintComponent,
    ),
    "quotation text is empty": (
        set_value(quotation, SCHEMA.text, Literal("")),
        SCHEMA.text,
        DGSH.QuotationShape,
        C.MinLengthConstraintComponent,
    ),
    "quotation with two contexts": (
        add_node(quotation, DG.context, scheduled),
        DG.context,
        DGSH.QuotationShape,
        C.MaxCountConstraintComponent,
    ),
    "quotation context is a person": (
        set_value(quotation, DG.context, ANA),
        DG.context,
        DGSH.QuotationShape,
        C.ClassConstraintComponent,
    ),
    "evidence without source": (
        set_value(evidence, DG.source, None),
        DG.source,
        DGSH.EvidenceShape,
        C.MinCountConstraintComponent,
    ),
    "evidence with two sources": (
        add_value(evidence, DG.source, URIRef(f"{BASE}resource/article/elsewhere")),
        DG.source,
        DGSH.EvidenceShape,
        C.MaxCountConstraintComponent,
    ),
    "evidence without start": (
        set_value(evidence, DG.start, None),
        DG.start,
        DGSH.EvidenceShape,
        C.MinCountConstraintComponent,
    ),
    "evidence with two starts": (
        add_value(evidence, DG.start, Literal(1)),
        DG.start,
        DGSH.EvidenceShape,
        C.MaxCountConstraintComponent,
    ),
    "evidence start is a string": (
        set_value(evidence, DG.start, Literal("0")),
        DG.start,
        DGSH.EvidenceShape,
        C.DatatypeConstraintComponent,
    ),
    "evidence without end": (
        set_value(evidence, DG.end, None),
        DG.end,
        DGSH.EvidenceShape,
        C.MinCountConstraintComponent,
    ),
    "evidence with two ends": (
        add_value(evidence, DG.end, Literal(1000)),
        DG.end,
        DGSH.EvidenceShape,
        C.MaxCountConstraintComponent,
    ),
    "evidence with negative end": (
        set_value(evidence, DG.end, Literal(-1)),
        DG.end,
        DGSH.EvidenceShape,
        C.MinInclusiveConstraintComponent,
    ),
    "evidence with two exact texts": (
        add_value(evidence, DG.exact, Literal("x")),
        DG.exact,
        DGSH.EvidenceShape,
        C.MaxCountConstraintComponent,
    ),
    "evidence exact is a number": (
        set_value(evidence, DG.exact, Literal(5)),
        DG.exact,
        DGSH.EvidenceShape,
        C.DatatypeConstraintComponent,
    ),
    "confidence is text": (
        set_value(role, DG.confidence, Literal("high")),
        DG.confidence,
        DGSH.ProvenanceShape,
        C.DatatypeConstraintComponent,
    ),
    "confidence below zero": (
        set_value(role, DG.confidence, Literal("-0.5", datatype=XSD.decimal)),
        DG.confidence,
        DGSH.ProvenanceShape,
        C.MinInclusiveConstraintComponent,
    ),
    "confidence without rule": (
        set_value(role, DG.rule, None),
        DG.rule,
        DGSH.ProvenanceShape,
        C.MinCountConstraintComponent,
    ),
    "rule is a number": (
        set_value(role, DG.rule, Literal(1)),
        DG.rule,
        DGSH.ProvenanceShape,
        C.DatatypeConstraintComponent,
    ),
}


def term(g: Graph) -> Node:
    """A term of office as a reference graph holds it, added to the graph whole."""
    node = URIRef(f"{BASE}resource/term/crafted")
    for p, o in (
        (RDF.type, DG.TermOfOffice),
        (DG.roleHolder, ANA),
        (DG.roleParty, NORWAY),
        (DG.roleTitle, Literal("Minister of Foreign Affairs")),
        (DG.officeCategory, Literal("foreign minister")),
        (DG.startDate, Literal("2019-05", datatype=XSD.gYearMonth)),
        (DG.endDate, Literal("2021", datatype=XSD.gYear)),
        (PROV.hadPrimarySource, URIRef("https://github.com/example/table/blob/abc1234/t.csv")),
    ):
        g.add((node, p, o))
    return node


def _term_case(mutate: Mutation, path: URIRef, comp: URIRef) -> Case:
    return (mutate, path, DGSH.TermOfOfficeShape, comp)


TERM_CASES: dict[str, Case] = {
    "term without holder": _term_case(
        set_value(term, DG.roleHolder, None), DG.roleHolder, C.MinCountConstraintComponent
    ),
    "term with two holders": _term_case(
        add_value(term, DG.roleHolder, BEN), DG.roleHolder, C.MaxCountConstraintComponent
    ),
    "term holder is a country": _term_case(
        set_value(term, DG.roleHolder, NORWAY), DG.roleHolder, C.ClassConstraintComponent
    ),
    "term without state": _term_case(
        set_value(term, DG.roleParty, None), DG.roleParty, C.MinCountConstraintComponent
    ),
    "term with two states": _term_case(
        add_value(term, DG.roleParty, PORTUGAL), DG.roleParty, C.MaxCountConstraintComponent
    ),
    "term state is a person": _term_case(
        set_value(term, DG.roleParty, BEN), DG.roleParty, C.OrConstraintComponent
    ),
    "term without title": _term_case(
        set_value(term, DG.roleTitle, None), DG.roleTitle, C.MinCountConstraintComponent
    ),
    "term with two titles": _term_case(
        add_value(term, DG.roleTitle, Literal("Minister")),
        DG.roleTitle,
        C.MaxCountConstraintComponent,
    ),
    "term title is a number": _term_case(
        set_value(term, DG.roleTitle, Literal(3)), DG.roleTitle, C.DatatypeConstraintComponent
    ),
    "term title is empty": _term_case(
        set_value(term, DG.roleTitle, Literal("")), DG.roleTitle, C.MinLengthConstraintComponent
    ),
    "term without category": _term_case(
        set_value(term, DG.officeCategory, None),
        DG.officeCategory,
        C.MinCountConstraintComponent,
    ),
    "term with two categories": _term_case(
        add_value(term, DG.officeCategory, Literal("other")),
        DG.officeCategory,
        C.MaxCountConstraintComponent,
    ),
    "term category unknown": _term_case(
        set_value(term, DG.officeCategory, Literal("king")),
        DG.officeCategory,
        C.InConstraintComponent,
    ),
    "term with two start dates": _term_case(
        add_value(term, DG.startDate, Literal("2018", datatype=XSD.gYear)),
        DG.startDate,
        C.MaxCountConstraintComponent,
    ),
    "term start date is a string": _term_case(
        set_value(term, DG.startDate, Literal("2019")), DG.startDate, C.OrConstraintComponent
    ),
    "term with two end dates": _term_case(
        add_value(term, DG.endDate, Literal("2022", datatype=XSD.gYear)),
        DG.endDate,
        C.MaxCountConstraintComponent,
    ),
    "term end date is a string": _term_case(
        set_value(term, DG.endDate, Literal("2021")), DG.endDate, C.OrConstraintComponent
    ),
    "term without source": _term_case(
        set_value(term, PROV.hadPrimarySource, None),
        PROV.hadPrimarySource,
        C.MinCountConstraintComponent,
    ),
    "term source is a literal": _term_case(
        set_value(term, PROV.hadPrimarySource, Literal("a table")),
        PROV.hadPrimarySource,
        C.NodeKindConstraintComponent,
    ),
}
ALL_CASES: dict[str, Case] = {**CASES, **MORE_CASES, **TERM_CASES}
_NOT_CONSTRAINTS = {SH.path, SH.message, SH.severity, SH.flags, SH.property, SH.sparql}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}


def component(param: Node) -> URIRef:
    name = str(param).rsplit("#", 1)[1]
    return SH[name[0].upper() + name[1:] + "ConstraintComponent"]


def violation_constraints(shapes: Graph) -> set[tuple[Node, Node | None, URIRef]]:
    """(node shape, path, component) for every constraint that can reject an article."""
    allowed = {SH.Warning, SH.Info}
    out: set[tuple[Node, Node | None, URIRef]] = set()
    for shape in {s for p in _TARGETS for s in shapes.subjects(p, None)}:
        if shapes.value(shape, SH.severity) in allowed:
            continue
        for p, o in shapes.predicate_objects(shape):
            if p == SH.sparql:
                out.add((shape, None, SH.SPARQLConstraintComponent))
            elif p == SH.property and shapes.value(o, SH.severity) not in allowed:
                path = shapes.value(o, SH.path)
                for q in set(shapes.predicates(o, None)):
                    if str(q).startswith(str(SH)) and q not in _NOT_CONSTRAINTS:
                        out.add((shape, path, component(q)))
            elif str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS | _TARGETS:
                out.add((shape, None, component(p)))
    return out


def test_every_constraint_of_the_shapes_has_a_crafted_defect(shapes: Graph) -> None:
    wanted = violation_constraints(shapes)
    assert len(wanted) >= 60
    covered = {(shape, path, comp) for _, path, shape, comp in ALL_CASES.values()}
    assert wanted <= covered, sorted(wanted - covered)


@pytest.mark.parametrize("case", sorted(ALL_CASES))
def test_every_crafted_defect_is_refused_by_both(
    case: str, good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    mutate, path, shape, comp = ALL_CASES[case]
    g = copy(good)
    focus = mutate(g)
    conforms, report, _ = validation_report(g, shapes)
    assert not conforms
    assert (focus, path, shape, comp) in results(report, shapes)  # the defect hits its constraint
    assert not compiled.conforms(g)
    assert (shape, focus) in set(compiled.failures(g))


WARNINGS: dict[str, Mutation] = {
    "fact without evidence": set_value(role, DG.evidence, None),
    "fact evidence is not an evidence span": add_value(role, DG.evidence, NORWAY),
}


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_a_warning_alone_does_not_break_conformance(
    case: str, good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = copy(good)
    focus = WARNINGS[case](g)
    conforms, report, _ = validation_report(g, shapes)
    assert conforms
    assert any(r[0] == focus for r in results(report, shapes, SH.Warning))
    assert compiled.conforms(g)


def test_evidence_offsets_count_characters_in_both(shapes: Graph, compiled: CompiledShapes) -> None:
    """Accents and astral characters before a span: the compiled SUBSTR counts like rdflib."""
    text = "Dépêche 🌍🕊️ — São Tomé: " + sample_annotations().article.text
    g = materialise(to_rdf(sample_annotations("unicode-1", text=text)), load_ontology())
    assert pyshacl_verdict(g, shapes) is True
    assert compiled.conforms(g)
    ev = evidence(g)
    start = g.value(ev, DG.start)
    assert isinstance(start, Literal)
    g.set((ev, DG.start, Literal(start.toPython() + 1)))  # one character off
    assert pyshacl_verdict(g, shapes) is False
    assert not compiled.conforms(g)


def test_class_follows_subclass_chains_in_the_data_graph(
    good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    """sh:class and sh:targetClass see a node typed with a sub-sub-class of dg:Person."""
    g = copy(good)
    diplomat, official = (
        URIRef("https://example.org/Diplomat"),
        URIRef("https://example.org/Official"),
    )
    g.remove((ANA, RDF.type, DG.Person))
    g.add((ANA, RDF.type, diplomat))
    g.add((diplomat, RDFS.subClassOf, official))
    g.add((official, RDFS.subClassOf, DG.Person))
    assert pyshacl_verdict(g, shapes) is True
    assert compiled.conforms(g)
    g.remove((ANA, RDFS.label, None))  # still a dg:Person target, so the label is missed
    assert pyshacl_verdict(g, shapes) is False
    assert (DGSH.LabelledEntityShape, ANA) in set(compiled.failures(g))
    g.add((ANA, RDFS.label, Literal("Ana Example")))
    g.remove((official, RDFS.subClassOf, DG.Person))  # no longer a person: meetings object
    assert pyshacl_verdict(g, shapes) is False
    assert not compiled.conforms(g)


# ---- random damage ------------------------------------------------------------------------

LITERALS = [
    Literal(0),
    Literal(-3),
    Literal(2),
    Literal(10_000),
    Literal("x"),
    Literal(""),
    Literal("2024-02-30", datatype=XSD.date),
    Literal("abc", datatype=XSD.integer),
    Literal("0.5", datatype=XSD.decimal),
    Literal("7", datatype=XSD.decimal),
    Literal("text", lang="en"),
]
DATATYPES: list[URIRef | str | None] = [
    None,
    "en",
    XSD.string,
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.date,
    XSD.anyURI,
]
OPS = ["drop", "add-literal", "add-node", "retype", "replace", "datatype"]


def retyped(literal: Literal, datatype: URIRef | str | None) -> Literal:
    if isinstance(datatype, URIRef):
        return Literal(str(literal), datatype=datatype)
    return Literal(str(literal), lang=datatype)


@st.composite
def damaged(draw: st.DrawFn, good: Graph) -> Graph:
    """A valid article graph after one to three random edits: a triple dropped, a value
    duplicated by another literal or node (often of the wrong class), a node retyped, a
    value replaced, or a literal's datatype changed."""
    g = copy(good)
    triples = sorted(g, key=lambda t: tuple(str(x) for x in t))
    literal_triples = [t for t in triples if isinstance(t[2], Literal)]
    nodes: list[Node] = sorted({t[0] for t in triples}, key=str)
    classes = sorted({o for _, p, o in triples if p == RDF.type}, key=str)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(OPS))
        s, p, o = draw(st.sampled_from(literal_triples if op == "datatype" else triples))
        if op == "drop":
            g.remove((s, p, o))
        elif op == "add-literal":
            g.add((s, p, draw(st.sampled_from(LITERALS))))
        elif op == "add-node":
            g.add((s, p, draw(st.sampled_from(nodes))))
        elif op == "retype":
            g.remove((s, RDF.type, None))
            g.add((s, RDF.type, draw(st.sampled_from(classes))))
        elif op == "replace":
            g.remove((s, p, o))
            g.add((s, p, draw(st.sampled_from(LITERALS + nodes))))
        else:
            assert isinstance(o, Literal)
            g.remove((s, p, o))
            g.add((s, p, retyped(o, draw(st.sampled_from(DATATYPES)))))
    return g


DAMAGE = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@DAMAGE
@given(data=st.data())
def test_compiled_check_agrees_with_pyshacl_on_random_damage(
    data: st.DataObject, good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = data.draw(damaged(good))
    assert compiled.conforms(g) == (pyshacl_verdict(g, shapes) is True)


@pytest.mark.slow
@DAMAGE
@given(data=st.data())
def test_compiled_check_agrees_with_pyshacl_on_a_damaged_real_article(
    data: st.DataObject, seed: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = data.draw(damaged(seed))
    assert compiled.conforms(g) == (pyshacl_verdict(g, shapes) is True)


# ---- what the compiler does not cover ----------------------------------------------------


def edited(shapes: Graph) -> Graph:
    out = copy(shapes)
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    return out


@pytest.mark.parametrize(
    ("shape", "triple", "feature"),
    [
        (DGSH.RoleShape, (SH.closed, Literal(False)), "sh:closed"),
        (DGSH.EventShape, (SH.node, DGSH.ArticleShape), "sh:node"),
        (DGSH.ArticleShape, (SH.hasValue, Literal("x")), "sh:hasValue"),
    ],
)
def test_an_unsupported_construct_is_a_config_error_naming_the_shape(
    shapes: Graph, shape: URIRef, triple: tuple[URIRef, Node], feature: str
) -> None:
    g = edited(shapes)
    g.add((shape, *triple))
    with pytest.raises(ConfigError) as err:
        compile_shapes(g)
    assert isinstance(err.value, UnsupportedShape)
    assert err.value.shape == shape
    assert err.value.where == f"dgsh:{shape.rsplit('#', 1)[1]}"
    assert feature in err.value.message


def test_a_sequence_path_is_refused(shapes: Graph) -> None:
    g = edited(shapes)
    prop = next(iter(g.objects(DGSH.RoleShape, SH.property)))
    g.remove((prop, SH.path, None))
    seq = BNode()
    g.add((prop, SH.path, seq))
    g.add((seq, RDF.first, DG.roleHolder))
    g.add((seq, RDF.rest, RDF.nil))
    with pytest.raises(UnsupportedShape, match="path"):
        compile_shapes(g)


def test_a_sparql_constraint_beyond_bgp_and_filter_is_refused(shapes: Graph) -> None:
    g = edited(shapes)
    constraint = g.value(DGSH.ArticleShape, SH.sparql)
    select = str(g.value(constraint, SH.select))
    g.set(
        (
            constraint,
            SH.select,
            Literal(select.replace("FILTER", "OPTIONAL { $this dg:x ?y } FILTER")),
        )
    )
    with pytest.raises(UnsupportedShape, match="LeftJoin"):
        compile_shapes(g)


def test_validate_falls_back_to_pyshacl_for_shapes_it_cannot_compile(
    good: Graph, shapes: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    g = edited(shapes)
    g.add((DGSH.RoleShape, SH.closed, Literal(False)))  # harmless, but not compiled
    with caplog.at_level(logging.WARNING, logger="graphbuild.rdf.validate"):
        assert compiled_shapes(g) is None
    assert "RoleShape" in caplog.text
    validate(good, g)  # the good graph still passes, through pySHACL
    bad = copy(good)
    focus = CASES["role without holder"][0](bad)
    with pytest.raises(ValidationFailed) as err:
        validate(bad, g)
    assert str(focus) in err.value.report


def test_validate_reports_through_pyshacl_when_the_fast_check_refuses(
    good: Graph, shapes: Graph
) -> None:
    g = copy(good)
    focus = CASES["meeting with one participant"][0](g)
    with pytest.raises(ValidationFailed) as err:
        validate(g, shapes)
    assert err.value.report == validation_report(g, shapes)[2]
    assert str(focus) in err.value.report
    assert err.value.where == str(good.identifier)

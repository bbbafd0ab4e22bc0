"""SHACL shapes: the mapper's output conforms, and each crafted defect is caught by its shape.

Assertions are on the report graph (focus node, result path, source shape, constraint
component), never on message text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from mapping_samples import TEXT, sample_annotations
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from graphbuild.annotations import Event
from graphbuild.errors import ConfigError, ValidationFailed
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.validate import SH, load_ontology, load_shapes, validate, validation_report
from graphbuild.vocabulary import DEFAULT_BASE, DG, SCHEMA

DGSH = Namespace("https://w3id.org/diplograph/shapes#")
BASE = DEFAULT_BASE
ANA = URIRef(f"{BASE}resource/person/ana-example")
NORWAY = URIRef(f"{BASE}resource/country/Q20")
LISBON = URIRef(f"{BASE}resource/place/Q597")

Result = tuple[Node | None, Node | None, Node | None, Node | None]  # focus, path, shape, component


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def good() -> Graph:
    return to_rdf(sample_annotations())


def node_shape(shapes: Graph, shape: Node | None) -> Node | None:
    owner = shapes.value(predicate=SH.property, object=shape)
    return owner if owner is not None else shape


def results(report: Graph, shapes: Graph, severity: URIRef = SH.Violation) -> set[Result]:
    out: set[Result] = set()
    for r in report.subjects(SH.resultSeverity, severity):
        out.add(
            (
                report.value(r, SH.focusNode),
                report.value(r, SH.resultPath),
                node_shape(shapes, report.value(r, SH.sourceShape)),
                report.value(r, SH.sourceConstraintComponent),
            )
        )
    return out


def the(graph: Graph, cls: URIRef) -> Node:
    nodes = sorted(graph.subjects(RDF.type, cls), key=str)
    assert nodes, cls
    return nodes[0]


def held(graph: Graph) -> Node:
    return sorted(
        set(graph.subjects(RDF.type, DG.Meeting))
        - set(graph.subjects(RDF.type, DG.ScheduledMeeting)),
        key=str,
    )[0]


def scheduled(graph: Graph) -> Node:
    return the(graph, DG.ScheduledMeeting)


def evidence(graph: Graph) -> Node:
    return the(graph, DG.Evidence)


def role(graph: Graph) -> Node:
    return next(graph.subjects(DG.roleHolder, ANA))


# ---- the good graph -----------------------------------------------------------------------


def test_mapper_output_conforms_with_and_without_reasoning(
    good: Graph, shapes: Graph, ontology: Graph
) -> None:
    conforms, report, _ = validation_report(good, shapes, ontology)
    assert conforms, results(report, shapes)
    conforms, report, _ = validation_report(materialise(good, ontology), shapes)
    assert conforms, results(report, shapes)
    assert not results(report, shapes, SH.Warning)


# ---- one defect per case ------------------------------------------------------------------

Mutation = Callable[[Graph], Node]  # changes the graph, returns the expected focus node
C = SH  # constraint components live in the sh: namespace


def set_value(node_of: Callable[[Graph], Node], prop: URIRef, value: Node | None) -> Mutation:
    def mutate(g: Graph) -> Node:
        node = node_of(g)
        g.remove((node, prop, None))
        if value is not None:
            g.add((node, prop, value))
        return node

    return mutate


def add_value(node_of: Callable[[Graph], Node], prop: URIRef, value: Node) -> Mutation:
    def mutate(g: Graph) -> Node:
        node = node_of(g)
        g.add((node, prop, value))
        return node

    return mutate


def remove_participants_but_one(g: Graph) -> Node:
    m = held(g)
    for p in sorted(g.objects(m, DG.participant), key=str)[1:]:
        g.remove((m, DG.participant, p))
    return m


def unlabel(cls: URIRef) -> Mutation:
    def mutate(g: Graph) -> Node:
        node = the(g, cls)
        g.remove((node, RDFS.label, None))
        return node

    return mutate


def bad_wikidata_link(g: Graph) -> Node:
    g.remove((NORWAY, OWL.sameAs, None))
    target = URIRef("https://www.wikidata.org/wiki/Q20")
    g.add((NORWAY, OWL.sameAs, target))
    return target


def start_after_end(g: Graph) -> Node:
    ev = evidence(g)
    end = g.value(ev, DG.end)
    assert isinstance(end, Literal)
    g.set((ev, DG.start, Literal(end.toPython() + 1)))
    return ev


CASES: dict[str, tuple[Mutation, URIRef | None, URIRef, URIRef]] = {
    "meeting with one participant": (
        remove_participants_but_one,
        DG.participant,
        DGSH.MeetingShape,
        C.MinCountConstraintComponent,
    ),
    "meeting participant is a country": (
        add_value(held, DG.participant, NORWAY),
        DG.participant,
        DGSH.MeetingShape,
        C.ClassConstraintComponent,
    ),
    "meeting with two dates": (
        add_value(held, DG.date, Literal(dt.date(2024, 3, 9))),
        DG.date,
        DGSH.EventShape,
        C.MaxCountConstraintComponent,
    ),
    "meeting date is a string": (
        set_value(held, DG.date, Literal("2024-03-04")),
        DG.date,
        DGSH.EventShape,
        C.DatatypeConstraintComponent,
    ),
    "scheduled meeting that is also a held one": (
        add_value(scheduled, RDF.type, DG.Meeting),
        None,
        DGSH.HeldOrScheduledShape,
        C.SPARQLConstraintComponent,
    ),
    "meeting located at an organisation": (
        set_value(held, DG.location, URIRef(f"{BASE}resource/organization/Q1065")),
        DG.location,
        DGSH.EventShape,
        C.OrConstraintComponent,
    ),
    "signing without agreement": (
        set_value(lambda g: the(g, DG.Signing), DG.agreement, None),
        DG.agreement,
        DGSH.SigningShape,
        C.MinCountConstraintComponent,
    ),
    "signing without date": (
        set_value(lambda g: the(g, DG.Signing), DG.date, None),
        DG.date,
        DGSH.DatedEventShape,
        C.MinCountConstraintComponent,
    ),
    "signatory is a person": (
        add_value(lambda g: the(g, DG.Signing), DG.signatory, ANA),
        DG.signatory,
        DGSH.SigningShape,
        C.OrConstraintComponent,
    ),
    "anniversary number zero": (
        set_value(held, DG.anniversaryNumber, Literal(0)),
        DG.anniversaryNumber,
        DGSH.AnniversaryShape,
        C.MinInclusiveConstraintComponent,
    ),
    "anniversary without number": (
        set_value(held, DG.anniversaryNumber, None),
        DG.anniversaryNumber,
        DGSH.AnniversaryShape,
        C.MinCountConstraintComponent,
    ),
    "anniversary number is a string": (
        set_value(held, DG.anniversaryNumber, Literal("first")),
        DG.anniversaryNumber,
        DGSH.AnniversaryShape,
        C.DatatypeConstraintComponent,
    ),
    "role without holder": (
        set_value(role, DG.roleHolder, None),
        DG.roleHolder,
        DGSH.RoleShape,
        C.MinCountConstraintComponent,
    ),
    "role party is a place": (
        set_value(role, DG.roleParty, LISBON),
        DG.roleParty,
        DGSH.RoleShape,
        C.OrConstraintComponent,
    ),
    "role without title": (
        set_value(role, DG.roleTitle, None),
        DG.roleTitle,
        DGSH.RoleShape,
        C.MinCountConstraintComponent,
    ),
    "quotation without speaker": (
        set_value(lambda g: the(g, DG.Quotation), DG.speaker, None),
        DG.speaker,
        DGSH.QuotationShape,
        C.MinCountConstraintComponent,
    ),
    "quotation without text": (
        set_value(lambda g: the(g, DG.Quotation), SCHEMA.text, None),
        SCHEMA.text,
        DGSH.QuotationShape,
        C.MinCountConstraintComponent,
    ),
    "evidence with negative start": (
        set_value(evidence, DG.start, Literal(-1)),
        DG.start,
        DGSH.EvidenceShape,
        C.MinInclusiveConstraintComponent,
    ),
    "evidence end is a string": (
        set_value(evidence, DG.end, Literal("12")),
        DG.end,
        DGSH.EvidenceShape,
        C.DatatypeConstraintComponent,
    ),
    "evidence start after end": (
        start_after_end,
        DG.start,
        DGSH.EvidenceShape,
        C.LessThanOrEqualsConstraintComponent,
    ),
    "evidence without exact text": (
        set_value(evidence, DG.exact, None),
        DG.exact,
        DGSH.EvidenceShape,
        C.MinCountConstraintComponent,
    ),
    "evidence source is not an article": (
        set_value(evidence, DG.source, NORWAY),
        DG.source,
        DGSH.EvidenceShape,
        C.ClassConstraintComponent,
    ),
    "article without text": (
        set_value(lambda g: the(g, DG.Article), SCHEMA.text, None),
        SCHEMA.text,
        DGSH.ArticleShape,
        C.MinCountConstraintComponent,
    ),
    "article published is not a date": (
        set_value(lambda g: the(g, DG.Article), SCHEMA.datePublished, Literal("March 2024")),
        SCHEMA.datePublished,
        DGSH.ArticleShape,
        C.DatatypeConstraintComponent,
    ),
    "person without label": (
        unlabel(DG.Person),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinCountConstraintComponent,
    ),
    "country without label": (
        unlabel(DG.Country),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinCountConstraintComponent,
    ),
    "organisation without label": (
        unlabel(DG.Organization),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinCountConstraintComponent,
    ),
    "place without label": (
        unlabel(DG.Place),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinCountConstraintComponent,
    ),
    "agreement without label": (
        unlabel(DG.Agreement),
        RDFS.label,
        DGSH.LabelledEntityShape,
        C.MinCountConstraintComponent,
    ),
    "met with a country": (
        add_value(lambda g: ANA, DG.metWith, NORWAY),
        DG.metWith,
        DGSH.PersonShape,
        C.ClassConstraintComponent,
    ),
    "scheduled link to a held meeting": (
        add_value(lambda g: ANA, DG.scheduledMeeting, held(to_rdf(sample_annotations()))),
        DG.scheduledMeeting,
        DGSH.PersonShape,
        C.ClassConstraintComponent,
    ),
    "confidence above one": (
        set_value(role, DG.confidence, Literal("1.5", datatype=XSD.decimal)),
        DG.confidence,
        DGSH.ProvenanceShape,
        C.MaxInclusiveConstraintComponent,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_defect_is_caught_by_its_shape(
    case: str, good: Graph, shapes: Graph, ontology: Graph
) -> None:
    mutate, path, shape, component = CASES[case]
    g = Graph()
    for t in good:
        g.add(t)
    focus = mutate(g)
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert not conforms
    assert (focus, path, shape, component) in results(report, shapes)


@pytest.mark.parametrize("node_of", [held, scheduled], ids=["held", "scheduled"])
def test_a_meeting_without_a_date_conforms(
    node_of: Callable[[Graph], Node], good: Graph, shapes: Graph, ontology: Graph
) -> None:
    """GUIDELINES: a meeting the text does not date is still a meeting, without dg:date."""
    g = Graph()
    for t in good:
        g.add(t)
    node = node_of(g)
    g.remove((node, DG.date, None))
    for s, p, o in list(g.triples((node, DG.anniversaryOf, None))):
        g.remove((s, p, o))
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert conforms, report


def test_an_anniversary_needs_dated_events(good: Graph, shapes: Graph, ontology: Graph) -> None:
    g = Graph()
    for t in good:
        g.add(t)
    marking = next(g.subjects(DG.anniversaryOf, None))
    g.remove((marking, DG.date, None))
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert not conforms
    assert (marking, DG.date, DGSH.DatedEventShape, C.MinCountConstraintComponent) in results(
        report, shapes
    )


def test_wikidata_link_pattern(good: Graph, shapes: Graph, ontology: Graph) -> None:
    g = Graph()
    for t in good:
        g.add(t)
    target = bad_wikidata_link(g)
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert not conforms
    assert (target, None, DGSH.WikidataLinkShape, SH.PatternConstraintComponent) in results(
        report, shapes
    )


def test_evidence_text_must_match_the_article_offsets(
    good: Graph, shapes: Graph, ontology: Graph
) -> None:
    g = Graph()
    for t in good:
        g.add(t)
    ev = evidence(g)
    g.set((ev, DG.exact, Literal("words the article does not have there")))
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert not conforms
    flagged = {
        (report.value(r, SH.focusNode), report.value(r, SH.value))
        for r in report.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)
        if report.value(r, SH.sourceShape) == DGSH.ArticleShape
    }
    assert flagged == {(the(g, DG.Article), ev)}


def test_offsets_count_characters_not_bytes(shapes: Graph, ontology: Graph) -> None:
    """Accents and astral characters before a span must not shift the SPARQL check."""
    text = "Dépêche 🌍🕊️ — São Tomé: " + TEXT
    g = to_rdf(sample_annotations("unicode-1", text=text))
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert conforms, results(report, shapes)


def test_fact_without_evidence_is_a_warning_not_a_rejection(
    good: Graph, shapes: Graph, ontology: Graph
) -> None:
    g = Graph()
    for t in good:
        g.add(t)
    r = role(g)
    g.remove((r, DG.evidence, None))
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert conforms
    assert not results(report, shapes)
    assert (r, DG.evidence, DGSH.EvidencedFactShape, SH.MinCountConstraintComponent) in results(
        report, shapes, SH.Warning
    )
    validate(g, shapes, ontology)  # does not raise


def test_validate_raises_with_report_naming_the_article_graph(
    good: Graph, shapes: Graph, ontology: Graph
) -> None:
    g = Graph(identifier=good.identifier)
    for t in good:
        g.add(t)
    m = the(g, DG.Signing)
    g.remove((m, DG.date, None))
    with pytest.raises(ValidationFailed) as info:
        validate(g, shapes, ontology)
    assert info.value.where == str(good.identifier)
    assert str(m) in info.value.report


def test_mapper_output_of_a_generic_event_conforms(shapes: Graph, ontology: Graph) -> None:
    ann = sample_annotations()
    ann.events.append(
        Event(
            id="x1",
            kind="Event",
            date=dt.date(1994, 5, 6),
            label="Opening of the embassy",
            participants=["e4", "e1"],
        )
    )
    g = materialise(to_rdf(ann), ontology)
    conforms, report, _ = validation_report(g, shapes, ontology)
    assert conforms, results(report, shapes)


# ---- coverage of the shapes -----------------------------------------------------------------


def test_every_class_the_mapper_emits_is_a_shape_target(shapes: Graph) -> None:
    ann = sample_annotations()
    ann.events.append(Event(id="x1", kind="Event", date=dt.date(1994, 5, 6), label="Opening"))
    emitted = {o for o in to_rdf(ann).objects(None, RDF.type) if str(o).startswith(str(DG))}
    targets = set(shapes.objects(None, SH.targetClass))
    assert len(emitted) == 13
    assert emitted <= targets, emitted - targets


def test_every_shape_has_a_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(node_shapes) >= 12
    for shape in node_shapes | property_shapes:
        message = shapes.value(shape, SH.message)
        assert isinstance(message, Literal) and len(str(message)) > 20, shape


def test_malformed_shapes_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> a sh:NodeShape\n<b> a sh:NodeShape .\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_shapes(bad)
    assert info.value.where is not None
    assert info.value.where.startswith(str(bad))
    assert info.value.where.rsplit(":", 1)[1] in {"3", "4"}


def test_missing_shapes_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_shapes(tmp_path / "nope.ttl")

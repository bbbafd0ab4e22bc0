"""Materialisation: the useful OWL 2 RL entailments, the same from the fast path and owlrl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from mapping_samples import sample_annotations
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from graphbuild.annotations import Event
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import (
    TRIVIAL_TYPES,
    materialise,
    materialise_fast,
    materialise_owlrl,
    rules_from_ontology,
)
from graphbuild.rdf.validate import SH, load_ontology, load_shapes, validation_report
from graphbuild.vocabulary import DEFAULT_BASE, DG, ORG, PROV, SCHEMA, SEM, WD

BASE = DEFAULT_BASE
ANA = URIRef(f"{BASE}resource/person/ana-example")
BEN = URIRef(f"{BASE}resource/person/ben-sample")
EX = Namespace("http://example.org/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def sample() -> Graph:
    return to_rdf(sample_annotations())


@pytest.fixture(scope="module")
def closed(sample: Graph, ontology: Graph) -> Graph:
    return materialise(sample, ontology)


def copy(graph: Graph) -> Graph:
    out = Graph(identifier=graph.identifier)
    for t in graph:
        out.add(t)
    return out


def scheduled_only() -> Graph:
    ann = sample_annotations()
    ann.events = [e for e in ann.events if e.kind != "Meeting"]
    ann.anniversaries = []
    ann.quotations = [q.model_copy(update={"context": None}) for q in ann.quotations]
    ann.events.append(
        Event(id="x1", kind="Event", date=dt.date(1994, 5, 6), label="Opening",
              participants=["e1", "e4"], place="e7")
    )  # fmt: skip
    return to_rdf(ann)


def test_metwith_is_made_symmetric(ontology: Graph) -> None:
    g = Graph()
    g.add((ANA, RDF.type, DG.Person))
    g.add((BEN, RDF.type, DG.Person))
    g.add((ANA, DG.metWith, BEN))
    out = materialise(g, ontology)
    assert (BEN, DG.metWith, ANA) in out
    assert (ANA, DG.metWith, ANA) not in out


def test_superclass_and_aligned_types(closed: Graph) -> None:
    scheduled = next(closed.subjects(RDF.type, DG.ScheduledMeeting))
    for cls in (DG.Event, SEM.Event, SCHEMA.Event):
        assert (scheduled, RDF.type, cls) in closed, cls
    # held and scheduled are disjoint kinds of dg:Event: reasoning never makes one the other
    assert (scheduled, RDF.type, DG.Meeting) not in closed
    held = set(closed.subjects(RDF.type, DG.Meeting))
    assert held and not held & set(closed.subjects(RDF.type, DG.ScheduledMeeting))
    for cls in (DG.Event, SEM.Event, SCHEMA.Event):
        assert all((m, RDF.type, cls) in closed for m in held), cls
    article = next(closed.subjects(RDF.type, DG.Article))
    assert (article, RDF.type, SCHEMA.NewsArticle) in closed
    assert (article, RDF.type, PROV.Entity) in closed
    assert (ANA, RDF.type, SCHEMA.Person) in closed
    norway = URIRef(f"{BASE}resource/country/Q20")
    assert (norway, RDF.type, DG.Party) in closed
    assert (norway, RDF.type, SCHEMA.Country) in closed


def test_inverses_and_super_properties(closed: Graph) -> None:
    meetings = set(closed.subjects(DG.participant, ANA))
    assert meetings and meetings == set(closed.objects(ANA, DG.participantOf))
    for m in meetings:
        assert (m, SEM.hasActor, ANA) in closed
    roles = set(closed.subjects(DG.roleHolder, ANA))
    assert roles and roles == set(closed.objects(ANA, DG.heldRole))
    for r in roles:
        assert (r, ORG.member, ANA) in closed
        assert (ANA, ORG.hasMembership, r) in closed
    assert (ANA, ORG.memberOf, URIRef(f"{BASE}resource/country/Q20")) in closed


def test_nothing_is_copied_onto_wikidata_iris(sample: Graph, closed: Graph) -> None:
    for s, p, o in closed:
        assert not str(s).startswith(str(WD)), (s, p, o)
        if str(o).startswith(str(WD)):
            assert p == OWL.sameAs, (s, p, o)
    assert set(closed.triples((None, OWL.sameAs, None))) == set(
        sample.triples((None, OWL.sameAs, None))
    )


def test_no_trivial_or_ontology_triples(closed: Graph, ontology: Graph) -> None:
    terms = set(ontology.subjects())
    for s, p, o in closed:
        assert s not in terms, (s, p, o)
        assert not (p == RDF.type and o in TRIVIAL_TYPES), (s, o)
        assert not (p == OWL.sameAs and s == o)
    assert not list(closed.triples((None, RDFS.subClassOf, None)))


def test_domain_and_range_do_not_retype_values(ontology: Graph) -> None:
    """A country wrongly put as a participant must stay a country, so SHACL can catch it."""
    g = Graph()
    meeting = URIRef(f"{BASE}resource/meeting/x")
    norway = URIRef(f"{BASE}resource/country/Q20")
    g.add((meeting, RDF.type, DG.Meeting))
    g.add((meeting, DG.participant, norway))
    g.add((norway, RDF.type, DG.Country))
    out = materialise(g, ontology)
    assert (norway, RDF.type, DG.Person) not in out
    conforms, report, _ = validation_report(out, load_shapes())
    assert not conforms
    flagged = {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath))
        for r in report.subjects(SH.sourceConstraintComponent, SH.ClassConstraintComponent)
    }
    assert (meeting, DG.participant) in flagged
    assert (meeting, RDF.type, DG.Event) in out


def test_input_is_not_changed_and_is_kept(sample: Graph, ontology: Graph) -> None:
    before = set(sample)
    out = materialise(sample, ontology)
    assert set(sample) == before
    assert before < set(out)
    assert out.identifier == sample.identifier


@pytest.mark.parametrize("build", [lambda: to_rdf(sample_annotations()), scheduled_only])
def test_fast_path_equals_owlrl(build: Callable[[], Graph], ontology: Graph) -> None:
    graph = build()
    assert set(materialise_fast(graph, ontology)) == set(materialise_owlrl(graph, ontology))


def test_fast_path_equals_owlrl_on_equivalence_chains_and_inverse_subproperties() -> None:
    """Constructs this ontology does not use yet, so the fast path stays right when it grows."""
    onto = Graph()
    onto.add((EX.A, OWL.equivalentClass, EX.B))
    onto.add((EX.B, RDFS.subClassOf, EX.C))
    onto.add((EX.C, RDFS.subClassOf, EX.D))
    onto.add((EX.p, RDFS.subPropertyOf, EX.q))
    onto.add((EX.q, OWL.inverseOf, EX.r))
    onto.add((EX.r, RDFS.subPropertyOf, EX.t))
    onto.add((EX.s, RDF.type, OWL.SymmetricProperty))
    onto.add((EX.s, RDFS.subPropertyOf, EX.p))
    onto.add((EX.u, OWL.equivalentProperty, EX.s))
    data = Graph()
    data.add((EX.x, RDF.type, EX.A))
    data.add((EX.y, RDF.type, EX.B))
    data.add((EX.x, EX.u, EX.y))
    data.add((EX.y, EX.p, EX.z))
    data.add((EX.x, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1")))
    fast, ref = materialise_fast(data, onto), materialise_owlrl(data, onto)
    assert set(fast) == set(ref)
    assert (EX.x, RDF.type, EX.D) in fast
    assert (EX.y, EX.s, EX.x) in fast  # equivalent property, then symmetric
    assert (EX.x, EX.t, EX.y) in fast  # s -> p -> q, inverse r, super t
    assert (EX.z, EX.r, EX.y) in fast


def test_rules_can_be_prepared_once(sample: Graph, ontology: Graph) -> None:
    rules = rules_from_ontology(ontology)
    assert DG.Event in rules.superclasses[DG.ScheduledMeeting]
    assert DG.Meeting not in rules.superclasses[DG.ScheduledMeeting]
    assert DG.metWith in rules.symmetric
    assert set(materialise(sample, rules)) == set(materialise(sample, ontology))

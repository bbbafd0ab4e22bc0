"""The ontology: every term documented and aligned, OWL 2 RL only, and covering the mapper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mapping_samples import sample_annotations
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from graphbuild.annotations import Event
from graphbuild.errors import ConfigError
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.validate import load_ontology
from graphbuild.resources import ontology_file
from graphbuild.vocabulary import DG, OA, ONTOLOGY_IRI, ORG, PROV, SCHEMA, SEM

VANN = Namespace("http://purl.org/vocab/vann/")

# The vocabulary table of the architecture: every term must exist.
REQUIRED_CLASSES = [
    "Article", "Person", "Country", "Organization", "Place", "Agreement", "Event", "Meeting",
    "ScheduledMeeting", "Signing", "Role", "Quotation", "Evidence",
]  # fmt: skip
REQUIRED_PROPERTIES = [
    "metWith", "represents", "anniversaryOf", "anniversaryNumber", "scheduledMeeting",
    "participant", "location", "date", "agreement", "signatory", "roleHolder", "roleParty",
    "roleTitle", "speaker", "context", "evidence", "source", "start", "end", "exact",
    "mentions",
]  # fmt: skip

# "aligned with" column of the vocabulary table, plus the SEM/ORG/OA alignments we chose.
ALIGNMENTS = [
    (DG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (DG.Article, RDFS.subClassOf, PROV.Entity),
    (DG.Person, RDFS.subClassOf, SCHEMA.Person),
    (DG.Country, RDFS.subClassOf, SCHEMA.Country),
    (DG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (DG.Place, RDFS.subClassOf, SCHEMA.Place),
    (DG.Agreement, RDFS.subClassOf, SCHEMA.CreativeWork),
    (DG.Event, RDFS.subClassOf, SEM.Event),
    (DG.Event, RDFS.subClassOf, SCHEMA.Event),
    (DG.Meeting, RDFS.subClassOf, DG.Event),
    (DG.ScheduledMeeting, RDFS.subClassOf, DG.Event),
    (DG.Meeting, OWL.disjointWith, DG.ScheduledMeeting),
    (DG.Signing, RDFS.subClassOf, DG.Event),
    (DG.Role, RDFS.subClassOf, ORG.Membership),
    (DG.Quotation, RDFS.subClassOf, SCHEMA.Quotation),
    (DG.Evidence, RDFS.subClassOf, OA.TextPositionSelector),
    (DG.Evidence, RDFS.subClassOf, OA.TextQuoteSelector),
    (DG.represents, RDFS.subPropertyOf, ORG.memberOf),
    (DG.participant, RDFS.subPropertyOf, SEM.hasActor),
    (DG.location, RDFS.subPropertyOf, SEM.hasPlace),
    (DG.date, RDFS.subPropertyOf, SEM.hasTimeStamp),
    (DG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (DG.mentions, RDFS.subPropertyOf, SCHEMA.mentions),
    (DG.start, RDFS.subPropertyOf, OA.start),
    (DG.end, RDFS.subPropertyOf, OA.end),
    (DG.exact, RDFS.subPropertyOf, OA.exact),
    (DG.participant, OWL.inverseOf, DG.participantOf),
    (DG.roleHolder, OWL.inverseOf, DG.heldRole),
    (DG.metWith, RDF.type, OWL.SymmetricProperty),
]

# Only these predicates and types: no restrictions, lists or cardinalities -> OWL 2 RL.
RL_PREDICATES = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
    RDFS.range, RDFS.isDefinedBy, OWL.inverseOf, OWL.disjointWith, OWL.versionInfo, OWL.versionIRI,
    DCTERMS.title, DCTERMS.description, DCTERMS.license, VANN.preferredNamespacePrefix,
    VANN.preferredNamespaceUri,
}  # fmt: skip
RL_TYPES = {
    OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty,
}  # fmt: skip


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def dg_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(DG))}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert isinstance(version, Literal) and str(version)
    assert ontology.value(ONTOLOGY_IRI, RDFS.comment) is not None


@pytest.mark.parametrize("name", REQUIRED_CLASSES)
def test_required_class_exists(ontology: Graph, name: str) -> None:
    assert (DG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", REQUIRED_PROPERTIES)
def test_required_property_exists(ontology: Graph, name: str) -> None:
    kinds = set(ontology.objects(DG[name], RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


@pytest.mark.parametrize("axiom", ALIGNMENTS, ids=lambda t: " ".join(x.n3() for x in t))
def test_alignment_axiom(ontology: Graph, axiom: tuple[URIRef, URIRef, URIRef]) -> None:
    assert axiom in ontology


def test_every_term_is_documented(ontology: Graph) -> None:
    terms = dg_terms(ontology)
    assert len(terms) >= 40
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            value = ontology.value(term, prop)
            assert isinstance(value, Literal) and len(str(value)) > 2, (term, prop)
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


def test_datatype_properties_have_an_xsd_range(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if str(prop).startswith(str(DG)):
            rng = ontology.value(prop, RDFS.range)
            assert isinstance(rng, URIRef) and rng.startswith(str(XSD)), prop


def test_stays_in_owl2_rl(ontology: Graph) -> None:
    """No blank nodes (restrictions, unions, lists), no cardinalities, no equivalence."""
    for s, p, o in ontology:
        assert not isinstance(s, BNode) and not isinstance(o, BNode), (s, p, o)
        assert p in RL_PREDICATES, p
        if p == RDF.type:
            assert o in RL_TYPES, (s, o)


def test_terms_the_mapper_and_reasoner_use_are_defined(ontology: Graph) -> None:
    ann = sample_annotations()
    ann.events.append(Event(id="x1", kind="Event", date=dt.date(2001, 1, 1), label="Opening"))
    graph = materialise(to_rdf(ann), ontology)
    used: set[URIRef] = set()
    for _s, p, o in graph:
        used.add(p)  # type: ignore[arg-type]
        if p == RDF.type:
            used.add(o)  # type: ignore[arg-type]
    used_dg = {t for t in used if t.startswith(str(DG))}
    assert used_dg - dg_terms(ontology) == set()
    assert {DG.participantOf, DG.heldRole, DG.Event, DG.Party} <= used_dg  # inferred ones too
    # external terms the mapper writes directly are declared too
    external = {t for t in used if str(t).startswith((str(SCHEMA), str(PROV)))}
    declared = set(ontology.subjects(RDF.type, None))
    assert external <= declared, external - declared


def test_shipped_file_is_where_resources_say(ontology: Graph) -> None:
    assert ontology_file().name == "diplograph.ttl"
    assert len(ontology) == len(Graph().parse(ontology_file(), format="turtle"))


def test_malformed_ontology_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "onto.ttl"
    lines = ontology_file().read_text(encoding="utf-8").splitlines()
    lines.insert(30, "dg:Oops a owl:Class ;;; ")
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_ontology(broken)
    where = info.value.where or ""
    assert where.startswith(str(broken) + ":")
    assert 31 <= int(where.rsplit(":", 1)[1]) <= 33

"""An HTML-ready account of the ontology, generated from the ontology graph itself.

Every class and property in the ``dg:`` namespace with its label, comment, super-terms,
domain, range, inverse, characteristics and alignments (super-terms from other
vocabularies), so the documentation cannot drift from the Turtle a reasoner reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from graphbuild.vocabulary import DG, ONTOLOGY_IRI
from server.describe import curie


@dataclass(frozen=True)
class Ref:
    """A term as the documentation links it: in-page for ``dg:`` terms, else its IRI."""

    iri: str
    curie: str
    href: str


@dataclass
class TermDoc:
    iri: str
    name: str
    kind: str
    label: str
    comment: str
    parents: list[Ref] = field(default_factory=list)
    alignments: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    children: list[Ref] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: str
    description: str
    version: str
    license: str
    namespace: str
    classes: list[TermDoc]
    object_properties: list[TermDoc]
    datatype_properties: list[TermDoc]

    @property
    def sections(self) -> list[tuple[str, str, list[TermDoc]]]:
        return [
            ("classes", "Classes", self.classes),
            ("object-properties", "Object properties", self.object_properties),
            ("datatype-properties", "Datatype properties", self.datatype_properties),
        ]

    @property
    def terms(self) -> list[TermDoc]:
        return [*self.classes, *self.object_properties, *self.datatype_properties]


def _ref(term: Node) -> Ref:
    iri = str(term)
    href = "#" + iri[len(str(DG)) :] if iri.startswith(str(DG)) else iri
    return Ref(iri, curie(iri), href)


def _text(graph: Graph, subject: Node, *predicates: URIRef) -> str:
    for p in predicates:
        values = sorted(str(v) for v in graph.objects(subject, p))
        if values:
            return values[0]
    return ""


def _refs(graph: Graph, subject: Node, predicate: URIRef) -> list[Ref]:
    return sorted(
        (_ref(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef)),
        key=lambda r: r.curie,
    )


_KINDS = (
    (OWL.Class, "Class", RDFS.subClassOf),
    (OWL.ObjectProperty, "Object property", RDFS.subPropertyOf),
    (OWL.DatatypeProperty, "Datatype property", RDFS.subPropertyOf),
)
_CHARACTERISTICS = (
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
)


def document(graph: Graph) -> OntologyDoc:
    """The documentation of ``graph``'s ``dg:`` terms, each list sorted by name."""
    ns = str(DG)
    sections: dict[str, list[TermDoc]] = {kind: [] for _, kind, _ in _KINDS}
    for rdf_type, kind, parent in _KINDS:
        for term in set(graph.subjects(RDF.type, rdf_type)):
            if not isinstance(term, URIRef) or not str(term).startswith(ns):
                continue
            parents = _refs(graph, term, parent)
            doc = TermDoc(
                iri=str(term),
                name=str(term)[len(ns) :],
                kind=kind,
                label=_text(graph, term, RDFS.label),
                comment=_text(graph, term, RDFS.comment),
                parents=[r for r in parents if r.iri.startswith(ns)],
                alignments=[r for r in parents if not r.iri.startswith(ns)]
                + _refs(graph, term, OWL.equivalentClass)
                + _refs(graph, term, OWL.equivalentProperty),
                domain=_refs(graph, term, RDFS.domain),
                range=_refs(graph, term, RDFS.range),
                inverse=_refs(graph, term, OWL.inverseOf),
                characteristics=[
                    name for t, name in _CHARACTERISTICS if (term, RDF.type, t) in graph
                ],
                children=sorted(
                    (_ref(s) for s in graph.subjects(parent, term) if isinstance(s, URIRef)),
                    key=lambda r: r.curie,
                ),
            )
            sections[kind].append(doc)
    for docs in sections.values():
        docs.sort(key=lambda d: d.name.casefold())
    onto = ONTOLOGY_IRI
    return OntologyDoc(
        iri=str(onto),
        title=_text(graph, onto, DCTERMS.title, RDFS.label) or "Ontology",
        description=_text(graph, onto, DCTERMS.description, RDFS.comment),
        version=_text(graph, onto, OWL.versionInfo),
        license=_text(graph, onto, DCTERMS.license),
        namespace=ns,
        classes=sections["Class"],
        object_properties=sections["Object property"],
        datatype_properties=sections["Datatype property"],
    )

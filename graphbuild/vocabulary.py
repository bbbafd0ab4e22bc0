"""The RDF vocabulary: namespaces, the ontology IRI, base IRIs and the prefix table.

Everything that names a term or a graph imports it from here (the mapper, the stores,
reasoning, validation, the server), so naming a namespace never loads a pipeline stage.
Only ``rdflib`` is imported.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import OWL, SKOS, XSD, Graph, Namespace, URIRef

DEFAULT_BASE = "https://w3id.org/diplograph/"

DG = Namespace("https://w3id.org/diplograph/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/diplograph/ontology")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: tuple[tuple[str, Namespace], ...] = (
    ("dg", DG),
    ("schema", SCHEMA),
    ("sem", SEM),
    ("org", ORG),
    ("prov", PROV),
    ("oa", OA),
    ("wd", WD),
    ("skos", Namespace(str(SKOS))),
    ("owl", Namespace(str(OWL))),
    ("xsd", Namespace(str(XSD))),
)


def normalise_base(base: str) -> str:
    """The instance base with a trailing separator, so ``{base}resource/...`` is well formed."""
    base = base.strip()
    return base if base.endswith(("/", "#")) else base + "/"


def ontology_graph_iri(base: str = DEFAULT_BASE) -> URIRef:
    """Name of the named graph that holds the ontology in the store."""
    return URIRef(f"{normalise_base(base)}graph/ontology")


ONTOLOGY_GRAPH = ontology_graph_iri(DEFAULT_BASE)


def segment(value: str) -> str:
    """One IRI path segment: characters outside the unreserved set are percent-encoded."""
    return quote(value, safe="-._~")


def graph_iri(base: str, article_id: str) -> URIRef:
    """Name of one article's named graph."""
    return URIRef(f"{normalise_base(base)}graph/article/{segment(article_id)}")


def article_iri(base: str, article_id: str) -> URIRef:
    return URIRef(f"{normalise_base(base)}resource/article/{segment(article_id)}")


def builds_graph_iri(base: str) -> str:
    """The named graph holding one build record per article graph."""
    return f"{normalise_base(base)}graph/builds"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (for readable Turtle); returns the same graph."""
    for prefix, ns in PREFIXES:
        graph.bind(prefix, ns, override=True, replace=True)
    return graph

"""VoID: what the dataset holds, counted from the store, for crawlers and catalogues.

The dataset is the data: the union of the article graphs and any other data graphs
(imports, reference data), with one ``void:subset`` per such graph. Each says
``void:triples`` (statements), ``void:entities`` (distinct subjects under the instance's
``resource/`` space) and ``void:documents`` (source articles), and the dataset adds a
``void:classPartition`` per class. The union's triples are counted once each, though the
same triple may sit in several article graphs. The ontology graph and the build records are
described apart, as datasets of their own that are not subsets of the data, so the data's
counts are the data's (``/sparql``'s default graph still holds all of them).

Counting scans the whole store, so :func:`dataset_stats` is meant to be cached per store
version (the server's store is read-only while it runs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyoxigraph as ox

from graphbuild.vocabulary import DG, ONTOLOGY_IRI, builds_graph_iri
from server.describe import bind
from server.stores import ServedStore

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
PREFIXES = {"void": VOID, "dcterms": DCTERMS, "sd": SD, "dg": str(DG)}


@dataclass(frozen=True)
class GraphStats:
    iri: str
    triples: int
    entities: int
    documents: int


@dataclass(frozen=True)
class DatasetStats:
    triples: int
    entities: int
    documents: int
    graphs: tuple[GraphStats, ...]
    classes: tuple[tuple[str, int], ...]
    modified: dt.datetime | None


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _select(store: ServedStore, query: str, space: str) -> list[ox.QuerySolution]:
    results = store.raw.query(
        bind(query, {"space": ox.Literal(space)}) if "?space" in query else query,
        prefixes={"dg": str(DG)},
        use_default_graph_as_union=True,
    )
    assert isinstance(results, ox.QuerySolutions)
    return list(results)


def not_data(store: ServedStore) -> tuple[str, str]:
    """The named graphs that describe the data rather than hold it."""
    return store.ontology_graph, builds_graph_iri(store.base)


def dataset_stats(store: ServedStore) -> DatasetStats:
    """Counts of the data (without the ontology and build records) and of each named graph."""
    space = f"{store.base}resource/"
    data_only = " ".join(f"FILTER(?g != <{g}>)" for g in not_data(store))
    per_graph: dict[str, list[int]] = {}
    queries = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) } GROUP BY ?g",
        "SELECT ?g (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a dg:Article } } GROUP BY ?g",
    )
    for i, query in enumerate(queries):
        for row in _select(store, query, space):
            graph = row["g"]
            if isinstance(graph, ox.NamedNode):
                per_graph.setdefault(graph.value, [0, 0, 0])[i] = _int(row["n"])
    union = _select(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { "
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {data_only} }} }}",
        space,
    )
    entities = _select(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) {data_only} }}",
        space,
    )
    documents = _select(
        store,
        f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?g {{ ?a a dg:Article }} {data_only} }}",
        space,
    )
    classes = _select(
        store,
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } FILTER(isIRI(?c)) "
        f"{data_only} }} GROUP BY ?c ORDER BY ?c",
        space,
    )
    return DatasetStats(
        triples=_int(union[0]["n"]) if union else 0,
        entities=_int(entities[0]["n"]) if entities else 0,
        documents=_int(documents[0]["n"]) if documents else 0,
        graphs=tuple(GraphStats(g, *counts) for g, counts in sorted(per_graph.items())),
        classes=tuple(
            (row["c"].value, _int(row["n"]))
            for row in classes
            if isinstance(row["c"], ox.NamedNode)
        ),
        modified=store.version().modified,
    )


def void_triples(
    stats: DatasetStats,
    *,
    store: ServedStore,
    dataset: str,
    endpoint: str,
    dump: str,
    homepage: str,
) -> list[ox.Triple]:
    """The VoID description of ``stats``; ``dataset`` is the IRI minted for the whole."""

    def v(name: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + name)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    root = ox.NamedNode(dataset)
    out = [
        ox.Triple(root, RDF_TYPE, v("Dataset")),
        ox.Triple(root, ox.NamedNode(DCTERMS + "title"), ox.Literal("Diplograph knowledge graph")),
        ox.Triple(
            root,
            ox.NamedNode(DCTERMS + "description"),
            ox.Literal(
                "Meetings, roles, signings and quotations extracted from diplomatic news "
                "articles, each fact with evidence spans into its source article."
            ),
        ),
        ox.Triple(root, ox.NamedNode("http://xmlns.com/foaf/0.1/homepage"), ox.NamedNode(homepage)),
        ox.Triple(root, v("sparqlEndpoint"), ox.NamedNode(endpoint)),
        ox.Triple(root, v("dataDump"), ox.NamedNode(dump)),
        ox.Triple(root, v("uriSpace"), ox.Literal(f"{store.base}resource/")),
        ox.Triple(root, v("vocabulary"), ox.NamedNode(str(ONTOLOGY_IRI))),
        ox.Triple(root, v("triples"), count(stats.triples)),
        ox.Triple(root, v("entities"), count(stats.entities)),
        ox.Triple(root, v("documents"), count(stats.documents)),
    ]
    if stats.modified is not None:
        stamp = stats.modified.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        out.append(
            ox.Triple(
                root, ox.NamedNode(DCTERMS + "modified"), ox.Literal(stamp, datatype=XSD_DATETIME)
            )
        )
    for cls, n in stats.classes:
        part = ox.BlankNode()
        out += [
            ox.Triple(root, v("classPartition"), part),
            ox.Triple(part, v("class"), ox.NamedNode(cls)),
            ox.Triple(part, v("entities"), count(n)),
        ]
    article_prefix = store.graph_iri("")
    builds = builds_graph_iri(store.base)
    apart = not_data(store)
    for graph in stats.graphs:
        node = ox.NamedNode(graph.iri)
        if graph.iri not in apart:
            out.append(ox.Triple(root, v("subset"), node))
        out += [
            ox.Triple(node, RDF_TYPE, v("Dataset")),
            ox.Triple(node, ox.NamedNode(SD + "name"), node),
            ox.Triple(node, v("triples"), count(graph.triples)),
            ox.Triple(node, v("entities"), count(graph.entities)),
            ox.Triple(node, v("documents"), count(graph.documents)),
        ]
        if graph.iri.startswith(article_prefix):
            segment = graph.iri[len(article_prefix) :]
            title = f"Article graph {segment}"
            article = ox.NamedNode(f"{store.base}resource/article/{segment}")
            out.append(ox.Triple(node, ox.NamedNode(DCTERMS + "source"), article))
        elif graph.iri == store.ontology_graph:
            title = "Ontology (described apart from the data)"
        elif graph.iri == builds:
            title = "Build records (how each named graph was made; apart from the data)"
        else:
            title = f"Named graph {graph.iri}"
        out.append(ox.Triple(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(title)))
    return out

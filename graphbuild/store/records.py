"""What both stores write and read back: build records, article graph data, store versions.

Each article graph has one build record in ``{base}graph/builds`` (content digest, extractor,
build time, id, source, and the reference graphs it requires), so an incremental build can
skip unchanged articles; the embedded and the external store write it with the same triples
and read it back the same way. A reference graph (a linked person's terms of office) has a
record too, whose digest lets a store skip rewriting it unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from graphbuild.vocabulary import DG, PROV

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
TermLike = ox.NamedNode | ox.BlankNode | ox.Literal
GraphData = Graph | Iterable[ox.Triple] | Iterable[ox.Quad]
"""What a graph replace accepts: an rdflib graph or pyoxigraph triples/quads (graph ignored)."""

DCTERMS = "http://purl.org/dc/terms/"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
P_ID = ox.NamedNode(DCTERMS + "identifier")
P_REQUIRES = ox.NamedNode(DCTERMS + "requires")
REFERENCE_EXTRACTOR = "office-holders.tsv"
"""The ``dg:extractor`` of a reference graph's build record: the table it is made from."""
_P_SOURCE = ox.NamedNode(DCTERMS + "source")
P_DIGEST = ox.NamedNode(str(DG.contentDigest))
_P_EXTRACTOR = ox.NamedNode(str(DG.extractor))
_P_BUILT = ox.NamedNode(str(PROV.generatedAtTime))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ArticleRecord:
    """How an article's graph was built, so an incremental build can skip unchanged ones."""

    article_id: str
    digest: str
    """sha256 of what the graph was built from (text, metadata, extractor)."""
    extractor: str
    source: str = ""
    built_at: dt.datetime = field(default_factory=_now)
    requires: tuple[str, ...] = ()
    """Reference graphs the article's graph needs beside it (its linked people's terms of
    office): written with it, and dropped with the last article that requires them."""


@dataclass(frozen=True)
class StoreVersion:
    """Changes whenever any article or the ontology is rebuilt: an HTTP ``ETag``."""

    etag: str
    modified: dt.datetime | None


def _ox_term(term: Node) -> TermLike:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        label = str(term)
        if not label.replace("_", "").replace("-", "").isalnum():
            label = "b" + hashlib.blake2b(label.encode(), digest_size=12).hexdigest()
        return ox.BlankNode(label)
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store a {type(term).__name__} ({term!r}) as an RDF term")


def ox_triples(
    data: GraphData,
) -> Iterator[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, TermLike]]:
    """The data as pyoxigraph terms (the graph name of quads is ignored)."""
    if isinstance(data, Graph):
        for s, p, o in data:
            subject, predicate = _ox_term(s), _ox_term(p)
            if not isinstance(predicate, ox.NamedNode) or isinstance(subject, ox.Literal):
                raise ValueError(f"not an RDF triple: {s!r} {p!r} {o!r}")
            yield subject, predicate, _ox_term(o)
        return
    for t in data:
        yield t.subject, t.predicate, t.object  # type: ignore[misc]


def ntriples_lines(data: GraphData) -> Iterator[str]:
    """N-Triples-shaped lines (valid inside SPARQL ``INSERT DATA``), validated by pyoxigraph."""
    if isinstance(data, Graph):
        for s, p, o in data:
            yield f"{_ox_term(s)} {_ox_term(p)} {_ox_term(o)} ."
        return
    for t in data:
        yield f"{t.subject} {t.predicate} {t.object} ."


def record_lines(subject: str, record: ArticleRecord) -> list[str]:
    s = f"<{subject}>"
    built = ox.Literal(record.built_at.isoformat(), datatype=XSD_DATETIME)
    lines = [
        f"{s} {P_DIGEST} {ox.Literal(record.digest)} .",
        f"{s} {_P_EXTRACTOR} {ox.Literal(record.extractor)} .",
        f"{s} {_P_BUILT} {built} .",
    ]
    if record.article_id:
        lines.append(f"{s} {P_ID} {ox.Literal(record.article_id)} .")
    if record.source:
        lines.append(f"{s} {_P_SOURCE} {ox.Literal(record.source)} .")
    lines += [f"{s} {P_REQUIRES} <{graph}> ." for graph in sorted(record.requires)]
    return lines


def reference_record(digest: str) -> ArticleRecord:
    """The build record of a reference graph: its digest and the table it is made from."""
    return ArticleRecord(article_id="", digest=digest, extractor=REFERENCE_EXTRACTOR)


def record_from(values: dict[str, str]) -> ArticleRecord | None:
    try:
        built = dt.datetime.fromisoformat(values[_P_BUILT.value])
        return ArticleRecord(
            article_id=values[P_ID.value],
            digest=values[P_DIGEST.value],
            extractor=values[_P_EXTRACTOR.value],
            source=values.get(_P_SOURCE.value, ""),
            built_at=built,
        )
    except (KeyError, ValueError):
        return None


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def canonical_digest(graph: Graph) -> str:
    lines = sorted(ntriples_lines(graph))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()

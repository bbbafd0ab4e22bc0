"""Linked data: dereferenceable resources, the ontology, the shapes and the VoID description.

``/resource/{path}`` answers for the IRI ``{base_iri}resource/{path}``: an HTML page for
people, RDF for machines, chosen by ``Accept`` (or ``?format=turtle|ntriples|jsonld|rdfxml|
trig|nquads|html``). The answer is a direct 200 with ``Vary: Accept``, not a 303 to a
separate document: the 2012 httpRange-14 resolution allows it, it saves every client a
round trip, and the IRIs already live at a redirecting host (w3id.org) that points here.
``Link: rel="alternate"`` headers name every other representation. With no ``Accept``
preference, a resource answers HTML, while ``/ontology``, ``/shapes`` and ``/void``
answer Turtle.

An IRI that appears nowhere in the store is a 404 in the project's error shape (JSON, or
an HTML page with the same fields for a browser).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from rdflib import Graph

from graphbuild.rdf.formats import GraphFormat, negotiate
from graphbuild.resources import ontology_file, shapes_file
from graphbuild.vocabulary import DG, ONTOLOGY_IRI
from server.describe import (
    LIST_LIMIT,
    WIKIDATA_ENTITY,
    Reader,
    curie,
    description,
    triples,
    view,
)
from server.errors import ApiError
from server.ontology_doc import OntologyDoc, document
from server.pages import html_response, page_error, pages_state, resource_root
from server.state import TRUNCATED_HEADER, get_state
from server.stores import ServedStore
from server.void import DatasetStats, dataset_stats, void_triples

bp = Blueprint("linkeddata", __name__)
bp.register_error_handler(ApiError, page_error)

HTML = "text/html"
HTML_NAMES = ("html", "htm", "text/html")
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"


# ---- negotiation ----------------------------------------------------------------------


def representation(*, html: bool, html_first: bool) -> GraphFormat | None:
    """The RDF format to answer, or ``None`` for HTML; from ``?format=`` or ``Accept``."""
    wanted = request.args.get("format")
    if wanted:
        if html and wanted.strip().lower() in HTML_NAMES:
            return None
        try:
            return GraphFormat.lookup(wanted)
        except ValueError as exc:
            extra = " (or html)" if html else ""
            raise ApiError(400, f"{exc}{extra}") from None
    rdf = [m for f in GraphFormat for m in f.media_types]
    offers = ([HTML, *rdf] if html_first else [*rdf, HTML]) if html else rdf
    chosen = negotiate(request.headers.get("Accept"), offers)
    if chosen is None:
        raise ApiError(406, f"none of the accepted media types is offered; this offers: {offers}")
    return None if chosen == HTML else GraphFormat.lookup(chosen)


def alternates(url: str, *, html: bool) -> str:
    """A ``Link`` header naming every representation of the document at ``url``."""
    links = [f'<{url}?format={f.key}>; rel="alternate"; type="{f.media_type}"' for f in GraphFormat]
    if html:
        links.insert(0, f'<{url}?format=html>; rel="alternate"; type="{HTML}"')
    return ", ".join(links)


def serialize(data: Iterable[ox.Quad], fmt: GraphFormat, prefixes: dict[str, str]) -> bytes:
    """Quads as ``fmt``; formats without named graphs (and JSON-LD) get the triples once."""
    named = fmt in (GraphFormat.TRIG, GraphFormat.N_QUADS)
    items: list[ox.Quad] | list[ox.Triple] = list(data) if named else list(triples(data))
    return ox.serialize(items, format=fmt.ox, prefixes=prefixes) or b""


def _rdf_response(body: bytes, fmt: GraphFormat) -> Response:
    response = Response(body, content_type=fmt.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---- resources ------------------------------------------------------------------------


def hrefs(store: ServedStore) -> Callable[[str], tuple[str, bool]]:
    """Where a page links an IRI: here for this dataset and ontology, else its own page."""
    space = f"{store.base}resource/"
    root = resource_root()
    ontology_page = url_for("linkeddata.ontology")
    vocabulary = str(DG)

    def href(iri: str) -> tuple[str, bool]:
        if iri.startswith(space):
            return root + iri[len(space) :], True
        if iri.startswith(vocabulary):
            return f"{ontology_page}#{iri[len(vocabulary) :]}", True
        if iri == str(ONTOLOGY_IRI):
            return ontology_page, True
        if iri.startswith(WIKIDATA_ENTITY):
            return WIKIDATA_PAGE + iri[len(WIKIDATA_ENTITY) :], False
        return iri, False

    return href


def _candidates(rest: str) -> list[str]:
    """The IRI path after ``resource/`` as sent (percent-escapes kept) and as re-escaped.

    The router decodes ``%2F`` and friends, so the raw request URI is preferred; re-escaping
    each segment as the mapper does is the fallback for servers that do not pass it on.
    """
    out = []
    raw = request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI")
    if raw:
        path = urlsplit(raw).path
        marker = "/resource/"
        at = path.find(marker)
        if at >= 0 and unquote(path[at + len(marker) :]) == rest:
            out.append(path[at + len(marker) :])
    escaped = "/".join(quote(segment, safe="-._~") for segment in rest.split("/"))
    if escaped not in out:
        out.append(escaped)
    if rest not in out:
        out.append(rest)
    return out


@bp.get("/resource/<path:rest>")
def resource(rest: str) -> Response:
    store = get_state().store
    reader = Reader(store, hrefs(store))
    iri = None
    for candidate in _candidates(rest):
        try:
            node = ox.NamedNode(f"{store.base}resource/{candidate}")
        except ValueError:
            continue
        if reader.exists(node):
            iri = node.value
            break
    if iri is None:
        raise ApiError(
            404,
            f"no resource <{store.base}resource/{rest}> in this dataset; find IRIs with a "
            "query at /sparql, or follow links from the network and timeline pages",
        )
    fmt = representation(html=True, html_first=True)
    if fmt is None:
        page = view(reader, iri)
        here, _ = hrefs(store)(iri)
        response = html_response(
            render_template(
                "resource.html", page=page, formats=list(GraphFormat), here=here, limit=LIST_LIMIT
            )
        )
    else:
        quads, truncated = description(reader, iri)
        response = _rdf_response(serialize(quads, fmt, store.prefixes()), fmt)
        response.headers[TRUNCATED_HEADER] = "true" if truncated else "false"
    response.headers["Link"] = alternates(request.base_url, html=True)
    response.vary.add("Accept")
    return response


# ---- ontology and shapes --------------------------------------------------------------


def _ontology_doc(data: bytes, digest: str) -> OntologyDoc:
    def compute() -> OntologyDoc:
        graph = Graph()
        graph.parse(data=data.decode("utf-8"), format="turtle")
        return document(graph)

    return pages_state().cached("ontology-doc", digest, compute)


def _turtle_file(data: bytes, fmt: GraphFormat, store: ServedStore) -> bytes:
    """The file itself for Turtle (its comments are documentation), else re-serialised."""
    if fmt is GraphFormat.TURTLE:
        return data
    parsed = ox.parse(data, format=ox.RdfFormat.TURTLE)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in parsed]
    return serialize(quads, fmt, store.prefixes())


def _file_response(data: bytes, page: Callable[[bytes, str], str]) -> Response:
    """A shipped Turtle file by negotiation; ``page`` renders it for browsers."""
    store = get_state().store
    fmt = representation(html=True, html_first=False)
    digest = hashlib.sha256(data).hexdigest()[:32]
    if fmt is None:
        response = html_response(page(data, digest))
    else:
        response = _rdf_response(_turtle_file(data, fmt, store), fmt)
    response.set_etag(f"{digest}-{fmt.key if fmt else 'html'}")
    response.headers["Link"] = alternates(request.base_url, html=True)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept")
    response.make_conditional(request)
    return response


@bp.get("/ontology")
def ontology() -> Response:
    """The ontology as Turtle (the file), another RDF format, or generated HTML docs."""

    def page(data: bytes, digest: str) -> str:
        doc = _ontology_doc(data, digest)
        return render_template("ontology.html", doc=doc, formats=list(GraphFormat))

    return _file_response(ontology_file().read_bytes(), page)


@bp.get("/shapes")
def shapes() -> Response:
    """The SHACL shapes every article graph is validated against (Turtle; its source for people)."""

    def page(data: bytes, digest: str) -> str:
        return render_template(
            "turtle_source.html",
            title="SHACL shapes",
            lede="Every article graph is validated against these shapes before it is stored; "
            "each shape's sh:message says what a violation means.",
            turtle=data.decode("utf-8"),
            formats=list(GraphFormat),
        )

    return _file_response(shapes_file().read_bytes(), page)


# ---- VoID -----------------------------------------------------------------------------


def _article_of(graph: str, store: ServedStore) -> str | None:
    prefix = store.graph_iri("")
    return unquote(graph[len(prefix) :]) if graph.startswith(prefix) else None


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset, with counts per named graph."""
    store = get_state().store
    fmt = representation(html=True, html_first=False)
    version = store.version()
    stats: DatasetStats = pages_state().cached("void", version.etag, lambda: dataset_stats(store))
    data = void_triples(
        stats,
        store=store,
        dataset=url_for("linkeddata.void", _external=True) + "#dataset",
        endpoint=url_for("sparql.sparql", _external=True),
        dump=url_for("export.export", _external=True),
        homepage=url_for("pages.query_ui", _external=True),
    )
    prefixes = {**store.prefixes(), "void": "http://rdfs.org/ns/void#"}
    body = ox.serialize(data, format=(fmt or GraphFormat.TURTLE).ox, prefixes=prefixes)
    if fmt is None:
        response = html_response(
            render_template(
                "void.html",
                stats=stats,
                graphs=[(g, _article_of(g.iri, store)) for g in stats.graphs],
                classes=[(curie(c), c, n) for c, n in stats.classes],
                turtle=(body or b"").decode("utf-8"),
                formats=list(GraphFormat),
            )
        )
    else:
        response = _rdf_response(body or b"", fmt)
    response.set_etag(f"{version.etag}-{fmt.key if fmt else 'html'}")
    if version.modified is not None:
        response.last_modified = version.modified
    response.headers["Link"] = alternates(request.base_url, html=True)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept")
    response.make_conditional(request)
    return response

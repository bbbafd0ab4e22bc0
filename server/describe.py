"""What the linked-data pages say about one resource, read straight from the store.

A :class:`Reader` answers the lookups of one request (labels and article texts are fetched
once per request); :func:`view` gathers everything the HTML page shows (facts, roles,
meetings in date order, quotations, evidence in its sentence), and :func:`description`
the triples a machine gets. Lists that can grow with the corpus (incoming links, events of
a country) are capped, and the cap is reported, never silent.

Lookups are index scans or small SPARQL joins bound to the resource, run in the request
thread: they touch only triples about that resource, unlike researchers' /sparql queries,
which run in killable workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from graphbuild.vocabulary import DG, PREFIXES, SCHEMA, SEM
from server.stores import ServedStore
from server.textspans import anchor, distinct_spans, segments, snippet

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Node = ox.NamedNode | ox.BlankNode

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

RDF_TYPE = ox.NamedNode(RDF_NS + "type")
RDFS_LABEL = ox.NamedNode(RDFS_NS + "label")
OWL_SAME_AS = ox.NamedNode(OWL_NS + "sameAs")
SKOS_ALT = ox.NamedNode(SKOS_NS + "altLabel")


def _dg(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(DG[name]))


SCHEMA_TEXT = ox.NamedNode(str(SCHEMA.text))
SCHEMA_HEADLINE = ox.NamedNode(str(SCHEMA.headline))

INCOMING_LIMIT = 500
"""Most incoming links a page lists or a description carries (a country is mentioned a lot)."""
LIST_LIMIT = 500
"""Most events, roles or quotations a page lists."""

QUERY_PREFIXES = {
    "dg": str(DG),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "rdfs": RDFS_NS,
    "rdf": RDF_NS,
}

CURIE_PREFIXES: tuple[tuple[str, str], ...] = (
    *((name, str(ns)) for name, ns in PREFIXES),
    ("rdf", RDF_NS),
    ("rdfs", RDFS_NS),
    ("dcterms", "http://purl.org/dc/terms/"),
)

_KIND_ORDER = ("ScheduledMeeting", "Meeting", "Signing", "Event")
_KIND_LABEL = {
    "ScheduledMeeting": "Scheduled meeting",
    "Meeting": "Meeting",
    "Signing": "Signing",
    "Event": "Event",
}


def curie(iri: str) -> str:
    """``dg:participant`` for a known vocabulary, else the IRI itself."""
    for name, ns in CURIE_PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            rest = iri[len(ns) :]
            if "/" not in rest and "#" not in rest:
                return f"{name}:{rest}"
    return iri


def bind(query: str, bindings: dict[str, Term]) -> str:
    """``query`` with a ``VALUES`` block binding each variable, first in its WHERE clause.

    The terms are written by pyoxigraph, which escapes them, so no text of a request can
    change the query's structure.
    """
    if not bindings:
        return query
    head, sep, tail = query.partition("WHERE {")
    if not sep:
        raise ValueError("the query needs a 'WHERE {' to bind variables in")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    return f"{head}WHERE {{ VALUES ({names}) {{ ({values}) }}{tail}"


@dataclass(frozen=True)
class Link:
    """A node as a page shows it: its IRI, a human label and where a click should go."""

    iri: str
    label: str
    href: str
    local: bool = False


@dataclass(frozen=True)
class Value:
    """The object of a fact: a link, or a literal with its datatype or language."""

    text: str
    link: Link | None = None
    datatype: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Fact:
    predicate: Link
    value: Value


@dataclass(frozen=True)
class EvidenceView:
    """One evidence span in its sentence, linking to its place on the article page."""

    iri: str
    article: Link
    href: str
    start: int
    end: int
    before: str
    exact: str
    after: str
    matches: bool


@dataclass(frozen=True)
class EventRow:
    node: Link
    date: str
    kind: str
    scheduled: bool
    participants: list[Link]
    parties: list[Link]
    place: Link | None
    evidence: list[EvidenceView]


@dataclass(frozen=True)
class RoleRow:
    node: Link
    title: str
    holder: Link | None
    party: Link | None
    evidence: list[EvidenceView]


@dataclass(frozen=True)
class TermRow:
    """A term of office from the sourced office-holder table (reference data, no evidence)."""

    node: Link
    title: str
    category: str
    party: Link | None
    start: str
    end: str
    in_office_on: str
    position: Link | None
    source: Link | None


@dataclass(frozen=True)
class QuoteRow:
    node: Link
    text: str
    speaker: Link | None
    context: Link | None
    evidence: list[EvidenceView]


@dataclass(frozen=True)
class Mark:
    """A highlighted run of an article's text; ``anchors`` are the spans starting here."""

    text: str
    depth: int
    anchors: tuple[str, ...]
    supports: tuple[str, ...]


@dataclass
class ArticleBody:
    text_length: int
    marks: list[Mark]
    spans: int
    mentions: dict[str, list[Link]]


@dataclass
class ResourceView:
    """Everything the HTML page of one resource shows."""

    iri: str
    label: str
    types: list[Link]
    alt_labels: list[str] = field(default_factory=list)
    same_as: list[Link] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)
    incoming_truncated: bool = False
    evidence: list[EvidenceView] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    events_truncated: bool = False
    roles: list[RoleRow] = field(default_factory=list)
    terms: list[TermRow] = field(default_factory=list)
    """Terms of office the reference data (not an article) gives a linked person."""
    quotations: list[QuoteRow] = field(default_factory=list)
    lists_truncated: bool = False
    """Roles, terms or quotations were cut at :data:`LIST_LIMIT`."""
    evidence_truncated: bool = False
    """The resource's own evidence (an entity's mentions) was cut at :data:`LIST_LIMIT`."""
    met_with: list[Link] = field(default_factory=list)
    represents: list[Link] = field(default_factory=list)
    represented_by: list[Link] = field(default_factory=list)
    article: ArticleBody | None = None

    @property
    def type_names(self) -> set[str]:
        return {t.iri.removeprefix(str(DG)) for t in self.types if t.iri.startswith(str(DG))}


class Reader:
    """The store's lookups for one request, with labels and article texts fetched once.

    ``href`` maps an IRI to where a link to it should point (this server's page for a
    resource under the instance base, the Wikidata page for a Wikidata entity, …).
    """

    def __init__(self, store: ServedStore, href: Callable[[str], tuple[str, bool]]) -> None:
        self.raw = store.raw
        self.base = store.base
        self._href = href
        self._labels: dict[str, str] = {}
        self._texts: dict[str, str | None] = {}

    # ---- raw lookups ------------------------------------------------------------------

    def quads(self, s: Node | None, p: ox.NamedNode | None, o: Term | None) -> Iterator[ox.Quad]:
        """Quads of the named graphs, which say where a fact comes from (the embedded
        store's default graph only repeats them, merged)."""
        for q in self.raw.quads_for_pattern(s, p, o, None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                yield q

    def objects(self, s: Node, p: ox.NamedNode) -> list[Term]:
        seen: dict[Term, None] = {}
        for q in self.quads(s, p, None):
            if not isinstance(q.object, ox.Triple):
                seen.setdefault(q.object, None)
        return list(seen)

    def subjects(self, p: ox.NamedNode, o: Term) -> list[Node]:
        seen: dict[Node, None] = {}
        for q in self.quads(None, p, o):
            if isinstance(q.subject, ox.NamedNode | ox.BlankNode):
                seen.setdefault(q.subject, None)
        return list(seen)

    def literal(self, s: Node, p: ox.NamedNode) -> str | None:
        values = sorted(o.value for o in self.objects(s, p) if isinstance(o, ox.Literal))
        return values[0] if values else None

    def exists(self, node: ox.NamedNode) -> bool:
        for _ in self.quads(node, None, None):
            return True
        for _ in self.quads(None, None, node):
            return True
        return False

    def select(self, query: str, **bindings: Term) -> list[ox.QuerySolution]:
        """Run ``query`` with variables bound to terms (a ``VALUES`` block, as written)."""
        results = self.raw.query(
            bind(query, bindings), prefixes=QUERY_PREFIXES, use_default_graph_as_union=True
        )
        assert isinstance(results, ox.QuerySolutions)
        return list(results)

    def types(self, node: Node) -> list[str]:
        return sorted(o.value for o in self.objects(node, RDF_TYPE) if isinstance(o, ox.NamedNode))

    def kind(self, node: Node) -> str:
        """The most specific of Diplograph's event classes, or ``""``."""
        names = {t.removeprefix(str(DG)) for t in self.types(node)}
        return next((k for k in _KIND_ORDER if k in names), "")

    # ---- labels and links -------------------------------------------------------------

    def label(self, node: Term) -> str:
        if isinstance(node, ox.Literal):
            return node.value
        key = str(node)
        if key not in self._labels:
            self._labels[key] = self._find_label(node)
        return self._labels[key]

    def _find_label(self, node: Node) -> str:
        labels = [o for o in self.objects(node, RDFS_LABEL) if isinstance(o, ox.Literal)]
        if labels:
            best = sorted(labels, key=lambda lit: (lit.language not in (None, "en"), lit.value))
            return best[0].value
        kind = self.kind(node)
        date = self.literal(node, _dg("date"))
        if kind and date:
            return f"{_KIND_LABEL[kind]} on {date}"
        for prop, limit in ((_dg("roleTitle"), 80), (SCHEMA_TEXT, 80), (_dg("exact"), 80)):
            text = self.literal(node, prop)
            if text:
                return text if len(text) <= limit else text[: limit - 1] + "…"
        if isinstance(node, ox.BlankNode):
            return f"_:{node.value}"
        short = curie(node.value)
        if short != node.value:
            return short
        return node.value.rstrip("/").rsplit("/", 1)[-1] or node.value

    def link(self, node: Term) -> Link:
        if isinstance(node, ox.NamedNode):
            href, local = self._href(node.value)
            return Link(node.value, self.label(node), href, local)
        return Link(str(node), self.label(node), "", False)

    def links(self, nodes: Iterable[Term]) -> list[Link]:
        return sorted((self.link(n) for n in nodes), key=lambda k: (k.label.casefold(), k.iri))

    def value(self, term: Term) -> Value:
        if isinstance(term, ox.Literal):
            dtype = term.datatype.value
            shown = None if dtype in (XSD_NS + "string", RDF_NS + "langString") else curie(dtype)
            return Value(term.value, datatype=shown, language=term.language)
        link = self.link(term)
        return Value(link.label, link=link)

    def predicate(self, p: ox.NamedNode) -> Link:
        href, local = self._href(p.value)
        return Link(p.value, curie(p.value), href, local)

    # ---- evidence ---------------------------------------------------------------------

    def article_text(self, article: Term) -> str | None:
        if not isinstance(article, ox.NamedNode):
            return None
        if article.value not in self._texts:
            self._texts[article.value] = self.literal(article, SCHEMA_TEXT)
        return self._texts[article.value]

    def evidence_of(self, node: Node, limit: int | None = None) -> list[EvidenceView]:
        """The node's evidence spans in article and text order (the first ``limit`` nodes)."""
        nodes = [ev for ev in self.objects(node, _dg("evidence")) if not isinstance(ev, ox.Literal)]
        if limit is not None:
            nodes = sorted(nodes, key=str)[:limit]
        views = [v for ev in nodes if (v := self.evidence(ev)) is not None]
        return sorted(views, key=lambda v: (v.article.label, v.start, v.end))

    def evidence(self, ev: Node) -> EvidenceView | None:
        source = next(iter(self.objects(ev, _dg("source"))), None)
        start, end = self.literal(ev, _dg("start")), self.literal(ev, _dg("end"))
        exact = self.literal(ev, _dg("exact")) or ""
        if source is None or start is None or end is None:
            return None
        try:
            s, e = int(start), int(end)
        except ValueError:
            return None
        cut = snippet(self.article_text(source), s, e, exact)
        article = self.link(source)
        href = f"{article.href}#{anchor(s, e)}" if article.href else ""
        return EvidenceView(
            iri=str(ev.value if isinstance(ev, ox.NamedNode) else ev),
            article=article,
            href=href,
            start=s,
            end=e,
            before=cut.before,
            exact=cut.exact,
            after=cut.after,
            matches=cut.matches,
        )


# ---- the page -----------------------------------------------------------------------------


def view(reader: Reader, iri: str) -> ResourceView:
    """The HTML page's content for ``iri`` (which must exist: see :meth:`Reader.exists`)."""
    node = ox.NamedNode(iri)
    types = sorted(
        (reader.link(ox.NamedNode(t)) for t in reader.types(node)),
        key=lambda k: (not k.iri.startswith(str(DG)), k.label),
    )
    page = ResourceView(iri=iri, label=reader.label(node), types=types)
    page.alt_labels = sorted(
        {o.value for o in reader.objects(node, SKOS_ALT) if isinstance(o, ox.Literal)}
    )
    page.same_as = reader.links(reader.objects(node, OWL_SAME_AS))
    is_article = "Article" in page.type_names
    hidden = {_dg("evidence").value} | ({SCHEMA_TEXT.value} if is_article else set())
    page.facts = _facts(reader, node, hidden)
    page.incoming, page.incoming_truncated = _incoming(reader, node)
    # an entity's evidence is every place an article names it: a country has thousands
    page.evidence = reader.evidence_of(node, limit=LIST_LIMIT + 1)
    page.evidence_truncated = len(page.evidence) > LIST_LIMIT
    page.evidence = page.evidence[:LIST_LIMIT]
    if "Evidence" in page.type_names:
        own = reader.evidence(node)
        page.evidence = [own] if own is not None else []
    page.events, page.events_truncated = _events(reader, node)
    page.roles, roles_cut = _roles(reader, node)
    page.terms, terms_cut = _terms(reader, node)
    page.quotations, quotes_cut = _quotations(reader, node)
    page.lists_truncated = roles_cut or terms_cut or quotes_cut
    page.met_with = reader.links(reader.objects(node, _dg("metWith")))
    page.represents = reader.links(reader.objects(node, _dg("represents")))
    page.represented_by = reader.links(reader.subjects(_dg("represents"), node))
    if is_article:
        page.article = _article(reader, node)
    return page


def _facts(reader: Reader, node: Node, hidden: set[str]) -> list[Fact]:
    seen: set[tuple[ox.NamedNode, Term]] = set()
    facts: list[Fact] = []
    for q in reader.quads(node, None, None):
        if q.predicate.value in hidden or isinstance(q.object, ox.Triple):
            continue
        if (q.predicate, q.object) in seen:
            continue
        seen.add((q.predicate, q.object))
        facts.append(Fact(reader.predicate(q.predicate), reader.value(q.object)))
    return sorted(facts, key=lambda f: (f.predicate.label, f.value.text))


def _incoming(reader: Reader, node: Node) -> tuple[list[Fact], bool]:
    seen: set[tuple[Node, ox.NamedNode]] = set()
    for q in reader.quads(None, None, node):
        if isinstance(q.subject, ox.Triple):
            continue
        seen.add((q.subject, q.predicate))
        if len(seen) > INCOMING_LIMIT:
            break
    truncated = len(seen) > INCOMING_LIMIT
    facts = [Fact(reader.predicate(p), reader.value(s)) for s, p in seen]
    facts.sort(key=lambda f: (f.predicate.label, f.value.text))
    return facts[:INCOMING_LIMIT], truncated


EVENTS_QUERY = """
SELECT DISTINCT ?e ?date WHERE {
  { ?e dg:participant ?r } UNION { ?e dg:location ?r } UNION { ?e sem:hasActor ?r }
  UNION { ?e dg:signatory ?r } UNION { ?e dg:agreement ?r }
  UNION { ?e dg:anniversaryOf ?r } UNION { ?r dg:anniversaryOf ?e }
  UNION { ?e dg:participant/dg:represents ?r }
  OPTIONAL { ?e dg:date ?date }
}
ORDER BY ?date ?e
"""


def _events(reader: Reader, node: Node) -> tuple[list[EventRow], bool]:
    rows = reader.select(EVENTS_QUERY + f"LIMIT {LIST_LIMIT + 1}", r=node)
    events: list[EventRow] = []
    for row in rows[:LIST_LIMIT]:
        event = row["e"]
        if not isinstance(event, ox.NamedNode | ox.BlankNode):
            continue
        participants = set(reader.objects(event, _dg("participant")))
        parties = (
            set(reader.objects(event, ox.NamedNode(str(SEM.hasActor))))
            | set(reader.objects(event, _dg("signatory")))
        ) - participants
        place = next(iter(reader.objects(event, _dg("location"))), None)
        kind = reader.kind(event) or "Event"
        date = row["date"]
        events.append(
            EventRow(
                node=reader.link(event),
                date=date.value if isinstance(date, ox.Literal) else "",
                kind=_KIND_LABEL.get(kind, kind),
                scheduled=kind == "ScheduledMeeting",
                participants=reader.links(participants - {node}),
                parties=reader.links(parties - {node}),
                place=reader.link(place) if place is not None else None,
                evidence=reader.evidence_of(event),
            )
        )
    return events, len(rows) > LIST_LIMIT


ROLES_QUERY = """
SELECT DISTINCT ?role WHERE { { ?role dg:roleHolder ?r } UNION { ?role dg:roleParty ?r }
  FILTER NOT EXISTS { ?role a dg:TermOfOffice } }
"""
TERMS_QUERY = """
SELECT DISTINCT ?t WHERE { ?t dg:roleHolder ?r ; a dg:TermOfOffice }
"""
PROV_SOURCE = ox.NamedNode("http://www.w3.org/ns/prov#hadPrimarySource")


def _terms(reader: Reader, node: Node) -> tuple[list[TermRow], bool]:
    """A person's terms of office from the reference graphs, oldest first."""
    rows = reader.select(TERMS_QUERY + f"ORDER BY ?t LIMIT {LIST_LIMIT + 1}", r=node)
    out: list[TermRow] = []
    for row in rows[:LIST_LIMIT]:
        term = row["t"]
        if not isinstance(term, ox.NamedNode | ox.BlankNode):
            continue
        party = next(iter(reader.objects(term, _dg("roleParty"))), None)
        position = next(iter(reader.objects(term, _dg("position"))), None)
        source = next(iter(reader.objects(term, PROV_SOURCE)), None)
        out.append(
            TermRow(
                node=reader.link(term),
                title=reader.literal(term, _dg("roleTitle")) or "",
                category=reader.literal(term, _dg("officeCategory")) or "",
                party=reader.link(party) if party is not None else None,
                start=reader.literal(term, _dg("startDate")) or "",
                end=reader.literal(term, _dg("endDate")) or "",
                in_office_on=reader.literal(term, _dg("inOfficeOn")) or "",
                position=reader.link(position) if position is not None else None,
                source=reader.link(source) if source is not None else None,
            )
        )
    out.sort(key=lambda t: (t.start, t.end or "9999", t.title, t.node.iri))
    return out, len(rows) > LIST_LIMIT


def _roles(reader: Reader, node: Node) -> tuple[list[RoleRow], bool]:
    out: list[RoleRow] = []
    rows = reader.select(ROLES_QUERY + f"ORDER BY ?role LIMIT {LIST_LIMIT + 1}", r=node)
    for row in rows[:LIST_LIMIT]:
        role = row["role"]
        if not isinstance(role, ox.NamedNode | ox.BlankNode):
            continue
        holder = next(iter(reader.objects(role, _dg("roleHolder"))), None)
        party = next(iter(reader.objects(role, _dg("roleParty"))), None)
        out.append(
            RoleRow(
                node=reader.link(role),
                title=reader.literal(role, _dg("roleTitle")) or "",
                holder=reader.link(holder) if holder is not None else None,
                party=reader.link(party) if party is not None else None,
                evidence=reader.evidence_of(role),
            )
        )
    out.sort(key=lambda r: (r.party.label if r.party else "", r.title, r.node.iri))
    return out, len(rows) > LIST_LIMIT


QUOTES_QUERY = """
SELECT DISTINCT ?q WHERE { { ?q dg:speaker ?r } UNION { ?q dg:context ?r } }
"""


def _quotations(reader: Reader, node: Node) -> tuple[list[QuoteRow], bool]:
    out: list[QuoteRow] = []
    rows = reader.select(QUOTES_QUERY + f"ORDER BY ?q LIMIT {LIST_LIMIT + 1}", r=node)
    for row in rows[:LIST_LIMIT]:
        quote = row["q"]
        if not isinstance(quote, ox.NamedNode | ox.BlankNode):
            continue
        speaker = next(iter(reader.objects(quote, _dg("speaker"))), None)
        context = next(iter(reader.objects(quote, _dg("context"))), None)
        out.append(
            QuoteRow(
                node=reader.link(quote),
                text=reader.literal(quote, SCHEMA_TEXT) or "",
                speaker=reader.link(speaker) if speaker is not None else None,
                context=reader.link(context) if context is not None else None,
                evidence=reader.evidence_of(quote),
            )
        )

    def order(q: QuoteRow) -> tuple[str, int]:
        first = q.evidence[0] if q.evidence else None
        return (first.article.label, first.start) if first else ("", 0)

    return sorted(out, key=order), len(rows) > LIST_LIMIT


SPANS_QUERY = """
SELECT ?start ?end ?node WHERE {
  ?ev dg:source ?r ; dg:start ?start ; dg:end ?end .
  OPTIONAL { ?node dg:evidence ?ev }
}
"""


def _article(reader: Reader, node: ox.NamedNode | ox.BlankNode) -> ArticleBody:
    text = reader.article_text(node) or ""
    supports: dict[tuple[int, int], set[str]] = {}
    for row in reader.select(SPANS_QUERY, r=node):
        start, end = row["start"], row["end"]
        if not isinstance(start, ox.Literal) or not isinstance(end, ox.Literal):
            continue
        try:
            key = (int(start.value), int(end.value))
        except ValueError:
            continue
        labels = supports.setdefault(key, set())
        fact = row["node"]
        if isinstance(fact, ox.NamedNode | ox.BlankNode):
            kind = reader.kind(fact) or _short_type(reader, fact)
            labels.add(f"{kind}: {reader.label(fact)}" if kind else reader.label(fact))
    spans = distinct_spans(supports)
    marks = []
    for seg in segments(text, spans):
        anchors = tuple(anchor(*spans[i]) for i in seg.opens)
        notes = tuple(sorted({n for i in seg.spans for n in supports[spans[i]]}))
        marks.append(Mark(seg.text, len(seg.spans), anchors, notes))
    mentions: dict[str, list[Link]] = {}
    for entity in reader.objects(node, _dg("mentions")):
        if isinstance(entity, ox.NamedNode | ox.BlankNode):
            mentions.setdefault(_short_type(reader, entity) or "Other", []).append(
                reader.link(entity)
            )
    for links in mentions.values():
        links.sort(key=lambda k: k.label.casefold())
    return ArticleBody(len(text), marks, len(spans), dict(sorted(mentions.items())))


_SPECIFIC_FIRST = (
    *_KIND_ORDER,
    "Person",
    "Country",
    "Organization",
    "Place",
    "Agreement",
    "Article",
    "Role",
    "Quotation",
    "Evidence",
    "Party",
    "Actor",
)


def _short_type(reader: Reader, node: Node) -> str:
    """The most specific of the node's ``dg:`` classes (reasoning adds the general ones)."""
    names = {t.removeprefix(str(DG)) for t in reader.types(node) if t.startswith(str(DG))}
    return next((n for n in _SPECIFIC_FIRST if n in names), min(names, default=""))


# ---- the RDF description ------------------------------------------------------------------


def description(reader: Reader, iri: str) -> tuple[list[ox.Quad], bool]:
    """The quads a machine gets for ``iri``, and whether incoming links were cut.

    Every triple about the resource, the triples pointing at it (at most
    :data:`INCOMING_LIMIT`), its evidence spans, and the labels of every node mentioned, so
    a client can show the description without further requests.
    """
    node = ox.NamedNode(iri)
    out: dict[ox.Quad, None] = {}
    for q in reader.quads(node, None, None):
        out.setdefault(q, None)
    incoming = 0
    truncated = False
    for q in reader.quads(None, None, node):
        if incoming >= INCOMING_LIMIT:
            truncated = True
            break
        if q not in out:
            incoming += 1
            out.setdefault(q, None)
    for ev in sorted(reader.objects(node, _dg("evidence")), key=str)[:INCOMING_LIMIT]:
        if isinstance(ev, ox.NamedNode | ox.BlankNode):
            for q in reader.quads(ev, None, None):
                out.setdefault(q, None)
    mentioned = {t for q in list(out) for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    mentioned.discard(node)
    for other in sorted(mentioned, key=str):
        for q in reader.quads(other, RDFS_LABEL, None):
            out.setdefault(q, None)
    return list(out), truncated


def triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The quads' triples once each (for formats without named graphs)."""
    seen: set[ox.Triple] = set()
    for q in quads:
        t = q.triple
        if t not in seen:
            seen.add(t)
            yield t

"""Direct RDF generator: the synthetic corpus as N-Quads, without any NLP.

Each article of ``bench.corpus`` becomes its own named graph holding what a perfect extractor
would have produced from it, in the vocabulary and with the IRIs of ``graphbuild.rdf.mapping``
(the IRI functions are imported from there, so the same person gets the same IRI here and in
a real build), plus the OWL 2 RL entailments ``graphbuild.rdf.reason`` materialises, computed with
the rules read from the ontology. The ontology itself goes into its own named graph, as the
store keeps it. Output is streamed line by line, so 100k articles need no more memory than one.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, URIRef

from bench.corpus import MeetingFact, Span, SyntheticArticle, generate
from bench.world import Country, Person, World, make_world
from graphbuild.annotations import Annotations
from graphbuild.rdf.mapping import (
    entity_iri,
    evidence_iri,
    meeting_iri,
    quotation_iri,
    role_iri,
    signing_iri,
    wikidata_iri,
)
from graphbuild.rdf.reason import RLRules, rules_from_ontology
from graphbuild.resources import ontology_file
from graphbuild.vocabulary import (
    DEFAULT_BASE,
    DG,
    PROV,
    SCHEMA,
    article_iri,
    graph_iri,
    ontology_graph_iri,
)

EXTRACTOR = "bench.synthetic.v1"


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, datatype: str | None = None) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def _date(d: dt.date) -> str:
    return literal(d.isoformat(), str(XSD.date))


def _int(n: int) -> str:
    return literal(str(n), str(XSD.integer))


_TYPE = iri(str(RDF.type))
_LABEL = iri(str(RDFS.label))


def _p(term: URIRef) -> str:
    return iri(str(term))


@dataclass(frozen=True)
class StringRules:
    """``RLRules`` keyed by N-Triples strings, so entailment runs on the output lines directly."""

    superclasses: Mapping[str, tuple[str, ...]]
    superproperties: Mapping[str, tuple[str, ...]]
    inverses: Mapping[str, tuple[str, ...]]
    symmetric: frozenset[str]

    @classmethod
    def from_rules(cls, rules: RLRules) -> StringRules:
        def table(m: Mapping[object, frozenset[object]]) -> dict[str, tuple[str, ...]]:
            return {iri(str(k)): tuple(sorted(iri(str(v)) for v in vs)) for k, vs in m.items()}

        return cls(
            superclasses=table(rules.superclasses),  # type: ignore[arg-type]
            superproperties=table(rules.superproperties),  # type: ignore[arg-type]
            inverses=table(rules.inverses),  # type: ignore[arg-type]
            symmetric=frozenset(iri(str(s)) for s in rules.symmetric),
        )


def load_rules() -> StringRules:
    from graphbuild.rdf.validate import load_ontology

    return StringRules.from_rules(rules_from_ontology(load_ontology()))


Triple = tuple[str, str, str]


def entail(triples: Sequence[Triple], rules: StringRules) -> list[Triple]:
    """The triples plus what ``graphbuild.rdf.reason.materialise_fast`` would add to them."""
    sameas = _p(OWL.sameAs)
    known: dict[Triple, None] = dict.fromkeys(triples)
    queue = [t for t in triples if t[1] != sameas]
    while queue:
        s, p, o = queue.pop()
        derived: list[Triple] = []
        if p == _TYPE:
            derived += [(s, _TYPE, c) for c in rules.superclasses.get(o, ())]
        else:
            for q in (p, *rules.superproperties.get(p, ())):
                if q != p:
                    derived.append((s, q, o))
                if o.startswith('"'):
                    continue
                derived += [(o, r, s) for r in rules.inverses.get(q, ())]
                if q in rules.symmetric:
                    derived.append((o, q, s))
        for t in derived:
            if t not in known:
                known[t] = None
                queue.append(t)
    return list(known)


class _ArticleTriples:
    """The triples of one article, in mapping.py's shapes; state lives for one article."""

    def __init__(self, article: SyntheticArticle, base: str) -> None:
        self.a = article
        self.base = base
        self.art = iri(str(article_iri(base, article.id)))
        self.out: list[Triple] = []

    def add(self, s: str, p: URIRef, o: str) -> None:
        self.out.append((s, _p(p), o))

    def person(self, p: Person) -> str:
        return iri(str(entity_iri(self.base, "Person", p.name)))

    def country(self, c: Country) -> str:
        return iri(str(entity_iri(self.base, "Country", c.name, c.qid)))

    def place(self, c: Country) -> str:
        return iri(str(entity_iri(self.base, "Place", c.capital)))

    def agreement(self, label: str) -> str:
        return iri(str(entity_iri(self.base, "Agreement", label)))

    def run(self) -> list[Triple]:
        a, art = self.a, self.art
        self.add(art, RDF.type, _p(DG.Article))
        self.add(art, RDFS.label, literal(a.title))
        self.add(art, SCHEMA.text, literal(a.text))
        self.add(art, SCHEMA.inLanguage, literal("en"))
        self.add(art, SCHEMA.headline, literal(a.title))
        if a.published:
            self.add(art, SCHEMA.datePublished, _date(a.published))
        self.add(art, DG.outlet, literal(a.source))
        reference = a.published or a.meetings[0].date
        self.add(art, DG.referenceDate, _date(reference))
        self.add(art, DG.extractor, literal(EXTRACTOR))
        self.add(art, DG.curated, literal("false", str(XSD.boolean)))
        self.entities()
        self.roles()
        self.events()
        self.quotes()
        return self.out

    def _entity(self, node: str, kind: str, label: str, qid: str | None = None) -> None:
        self.add(node, RDF.type, _p(DG[kind]))
        self.add(node, RDFS.label, literal(label))
        if qid:
            self.add(node, OWL.sameAs, iri(str(wikidata_iri(qid))))
            self.add(node, DG.linkSource, literal("gazetteer"))
        self.add(self.art, DG.mentions, node)

    def entities(self) -> None:
        for p in self.a.persons:
            node = self.person(p)
            self._entity(node, "Person", p.name)
            self.add(node, SKOS.altLabel, literal(p.surname))
        for c in self.a.countries:
            self._entity(self.country(c), "Country", c.name, c.qid)
        for c in self.a.places:
            self._entity(self.place(c), "Place", c.capital)
        for label in self.a.agreements:
            self._entity(self.agreement(label), "Agreement", label)

    def evidence(self, node: str, span: Span) -> None:
        ev = iri(str(evidence_iri(self.base, self.a.id, span.start, span.end)))
        self.add(node, DG.evidence, ev)
        self.add(ev, RDF.type, _p(DG.Evidence))
        self.add(ev, DG.source, self.art)
        self.add(ev, DG.start, _int(span.start))
        self.add(ev, DG.end, _int(span.end))
        self.add(ev, DG.exact, literal(self.a.text[span.start : span.end]))

    def fact(self, node: str, rule: str, confidence: str, span: Span) -> None:
        self.add(node, DG.rule, literal(rule))
        self.add(node, DG.confidence, literal(confidence, str(XSD.decimal)))
        self.add(node, PROV.wasDerivedFrom, self.art)
        self.evidence(node, span)

    def roles(self) -> None:
        for r in self.a.roles:
            holder, party = self.person(r.person), self.country(r.person.country)
            node = iri(
                str(role_iri(self.base, URIRef(holder[1:-1]), URIRef(party[1:-1]), r.person.office))
            )
            self.add(node, RDF.type, _p(DG.Role))
            self.add(node, DG.roleHolder, holder)
            self.add(node, DG.roleParty, party)
            self.add(node, DG.roleTitle, literal(r.person.office))
            self.add(holder, DG.represents, party)
            self.fact(node, "role.title-party", "0.9", r.span)

    def meeting_node(self, m: MeetingFact) -> str:
        people = [URIRef(self.person(p)[1:-1]) for p in m.participants]
        return iri(str(meeting_iri(self.base, m.kind, m.date, people)))

    def events(self) -> None:
        for m in self.a.meetings:
            node = self.meeting_node(m)
            self.add(node, RDF.type, _p(DG[m.kind]))  # held or scheduled, never both
            self.add(node, DG.date, _date(m.date))
            people = [self.person(p) for p in m.participants]
            for person in people:
                self.add(node, DG.participant, person)
                if m.kind == "ScheduledMeeting":
                    self.add(person, DG.scheduledMeeting, node)
            if m.kind == "Meeting":
                for x in people:
                    for y in people:
                        if x != y:
                            self.add(x, DG.metWith, y)
            if m.place is not None:
                self.add(node, DG.location, self.place(m.place))
            rule = "meeting.held" if m.kind == "Meeting" else "meeting.scheduled"
            self.fact(node, rule, "0.85", m.span)
        signings: dict[int, str] = {}
        for i, s in enumerate(self.a.signings):
            agreement = self.agreement(s.agreement)
            node = iri(str(signing_iri(self.base, s.date, URIRef(agreement[1:-1]))))
            signings[i] = node
            self.add(node, RDF.type, _p(DG.Signing))
            self.add(node, DG.date, _date(s.date))
            self.add(node, DG.agreement, agreement)
            for c in s.parties:
                self.add(node, DG.signatory, self.country(c))
            self.fact(node, "signing.anniversary-base", "0.8", s.span)
        for an in self.a.anniversaries:
            event = self.meeting_node(an.event)
            earlier = signings[self.a.signings.index(an.of)]
            self.add(event, DG.anniversaryOf, earlier)
            self.add(event, DG.anniversaryNumber, _int(an.number))
            self.add(event, DG.rule, literal("anniversary.ordinal"))
            self.evidence(event, an.span)

    def quotes(self) -> None:
        for q in self.a.quotes:
            speaker = self.person(q.speaker)
            node = iri(str(quotation_iri(self.base, URIRef(speaker[1:-1]), q.text)))
            self.add(node, RDF.type, _p(DG.Quotation))
            self.add(node, DG.speaker, speaker)
            self.add(node, SCHEMA.text, literal(q.text))
            if q.context is not None:
                self.add(node, DG.context, self.meeting_node(q.context))
            self.fact(node, "quote.colon", "0.9", q.span)


def article_triples(
    article: SyntheticArticle, base: str = DEFAULT_BASE, rules: StringRules | None = None
) -> list[Triple]:
    """One article's triples (N-Triples terms); with ``rules``, its entailments too."""
    triples = _ArticleTriples(article, base).run()
    return entail(triples, rules) if rules is not None else list(dict.fromkeys(triples))


def article_quads(
    article: SyntheticArticle, base: str = DEFAULT_BASE, rules: StringRules | None = None
) -> list[str]:
    """N-Quads lines of the article's named graph."""
    g = iri(str(graph_iri(base, article.id)))
    return [f"{s} {p} {o} {g} .\n" for s, p, o in article_triples(article, base, rules)]


def ontology_quads(base: str = DEFAULT_BASE) -> list[str]:
    """The ontology's triples in the ontology's named graph, as the store keeps them."""
    graph = ox.NamedNode(str(ontology_graph_iri(base)))
    quads = ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    buf = io.BytesIO()
    ox.serialize(
        (ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads),
        buf,
        ox.RdfFormat.N_QUADS,
    )
    return buf.getvalue().decode("utf-8").splitlines(keepends=True)


@dataclass(frozen=True)
class RdfStats:
    articles: int
    quads: int
    bytes: int


def iter_quads(
    count: int,
    seed: int = 7,
    base: str = DEFAULT_BASE,
    reasoned: bool = True,
    world: World | None = None,
) -> Iterator[str]:
    """The ontology graph, then every article's graph, as N-Quads lines."""
    rules = load_rules() if reasoned else None
    yield from ontology_quads(base)
    for article in generate(count, seed, world or make_world(seed)):
        yield from article_quads(article, base, rules)


def write_nquads(
    path: Path, count: int, seed: int = 7, base: str = DEFAULT_BASE, reasoned: bool = True
) -> RdfStats:
    """Write the synthetic dataset of ``count`` articles to ``path`` (N-Quads, UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    quads = 0
    tmp = path.with_suffix(path.suffix + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in iter_quads(count, seed, base, reasoned):
            fh.write(line)
            quads += 1
    tmp.replace(path)
    return RdfStats(count, quads, path.stat().st_size)


def to_dataset(lines: Iterable[str]) -> ox.Store:
    """An in-memory pyoxigraph store of the lines (for tests and small checks)."""
    store = ox.Store()
    store.bulk_load("".join(lines).encode("utf-8"), ox.RdfFormat.N_QUADS)
    return store


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.rdf FILE COUNT [--seed N] [--no-reasoning]``: write N-Quads."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.rdf", description=main.__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--base", default=DEFAULT_BASE)
    parser.add_argument("--no-reasoning", action="store_true")
    args = parser.parse_args(argv)
    stats = write_nquads(args.file, args.count, args.seed, args.base, not args.no_reasoning)
    print(f"{stats.articles} articles, {stats.quads} quads, {stats.bytes / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def to_annotations(article: SyntheticArticle, extractor: str = EXTRACTOR) -> Annotations:
    """The article's plan as the pipeline's ``Annotations`` IR (what a perfect extractor sees).

    Mapping it with ``graphbuild.rdf.mapping`` gives the same triples as ``article_triples``;
    the smoke test checks that, so the direct generator follows the mapper when it changes.
    """
    from graphbuild.annotations import (
        Anniversary,
        ArticleInfo,
        Entity,
        Event,
        Evidence,
        Provenance,
        Quotation,
        Role,
    )

    text = article.text

    def ev(span: Span) -> list[Evidence]:
        return [Evidence(start=span.start, end=span.end, exact=text[span.start : span.end])]

    entities: list[Entity] = []
    ids: dict[object, str] = {}
    for i, p in enumerate(article.persons):
        ids[p] = f"p{i}"
        entities.append(Entity(id=f"p{i}", type="Person", label=p.name, aliases=[p.surname]))
    for i, c in enumerate(article.countries):
        ids[c] = f"c{i}"
        entities.append(
            Entity(id=f"c{i}", type="Country", label=c.name, qid=c.qid, link_source="gazetteer")
        )
    for i, c in enumerate(article.places):
        ids[("place", c)] = f"l{i}"
        entities.append(Entity(id=f"l{i}", type="Place", label=c.capital))
    for i, label in enumerate(article.agreements):
        ids[("agreement", label)] = f"a{i}"
        entities.append(Entity(id=f"a{i}", type="Agreement", label=label))
    roles = [
        Role(
            holder=ids[r.person],
            party=ids[r.person.country],
            title=r.person.office,
            evidence=ev(r.span),
            provenance=Provenance(rule="role.title-party", confidence=0.9),
        )
        for r in article.roles
    ]
    events: list[Event] = []
    meeting_ids: dict[MeetingFact, str] = {}
    for i, m in enumerate(article.meetings):
        meeting_ids[m] = f"m{i}"
        rule = "meeting.held" if m.kind == "Meeting" else "meeting.scheduled"
        events.append(
            Event(
                id=f"m{i}",
                kind="Meeting" if m.kind == "Meeting" else "ScheduledMeeting",
                date=m.date,
                participants=[ids[p] for p in m.participants],
                place=ids[("place", m.place)] if m.place is not None else None,
                evidence=ev(m.span),
                provenance=Provenance(rule=rule, confidence=0.85),
            )
        )
    for i, s in enumerate(article.signings):
        events.append(
            Event(
                id=f"s{i}",
                kind="Signing",
                date=s.date,
                agreement=ids[("agreement", s.agreement)],
                signatories=[ids[c] for c in s.parties],
                evidence=ev(s.span),
                provenance=Provenance(rule="signing.anniversary-base", confidence=0.8),
            )
        )
    anniversaries = [
        Anniversary(
            event=meeting_ids[a.event],
            of=f"s{article.signings.index(a.of)}",
            number=a.number,
            evidence=ev(a.span),
            provenance=Provenance(rule="anniversary.ordinal", confidence=0.8),
        )
        for a in article.anniversaries
    ]
    quotations = [
        Quotation(
            speaker=ids[q.speaker],
            text=q.text,
            context=meeting_ids[q.context] if q.context is not None else None,
            evidence=ev(q.span),
            provenance=Provenance(rule="quote.colon", confidence=0.9),
        )
        for q in article.quotes
    ]
    info = ArticleInfo(
        id=article.id,
        text=text,
        title=article.title,
        published=article.published,
        source=article.source,
    )
    return Annotations(
        article=info,
        extractor=extractor,
        reference_date=article.published or article.meetings[0].date,
        entities=entities,
        roles=roles,
        events=events,
        anniversaries=anniversaries,
        quotations=quotations,
    )

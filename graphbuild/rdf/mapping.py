"""``Annotations`` -> RDF: one article's named graph under the Diplograph ontology.

Pure functions: no I/O, no clock, no globals. IRIs are minted from the facts themselves
(Wikidata QIDs, labels, dates, participant IRIs) with a content hash, so every run on every
machine mints the same IRIs, and the same person, country or meeting reported by two
articles becomes one node that carries evidence from both.

A held meeting is a ``dg:Meeting`` and a meeting announced for a later date a
``dg:ScheduledMeeting``, never both (the classes are disjoint kinds of ``dg:Event``).

What the mapper leaves out, and why, is listed by ``map_annotations(...).omitted``: another
event without a resolved date (the shapes require its ``xsd:date``, and a guessed date would
put a false fact in the graph), a meeting with fewer than two named people, and
links whose target has the wrong type (a meeting "located" at an organisation). Dropping such
a fact keeps the rest of the article; emitting it would make the whole article fail SHACL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from graphbuild.annotations import Annotations, Entity, Event, Evidence, Provenance
from graphbuild.vocabulary import (
    DEFAULT_BASE,
    DG,
    PROV,
    SCHEMA,
    SEM,
    WD,
    article_iri,
    bind_prefixes,
    graph_iri,
    normalise_base,
    segment,
)

_HASH_HEX = 12  # 48 bits: collisions stay negligible for millions of nodes of one kind
_PERSON = "Person"
_PARTY_TYPES = frozenset({"Country", "Organization"})
_SPEAKER_TYPES = frozenset({"Person", "Country", "Organization"})
_LOCATION_TYPES = frozenset({"Place", "Country"})


# ---- IRIs -------------------------------------------------------------------------------


def stable_hash(*parts: str) -> str:
    """Short hex digest of the parts; the same on every run and machine (unlike ``hash()``)."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:_HASH_HEX]


def _norm_text(text: str) -> str:
    """Text as compared for identity: NFC, whitespace runs collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def slug(label: str) -> str:
    """ASCII slug of a label ("São Tomé" -> "sao-tome"); a hash when nothing ASCII is left."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return out or f"x-{stable_hash(_norm_text(label))}"


def wikidata_iri(qid: str) -> URIRef:
    """The entity IRI the Wikidata Query Service uses, so federated joins work as is."""
    return WD[qid]


def entity_iri(
    base: str, entity_type: str, label: str, qid: str | None = None, key: str | None = None
) -> URIRef:
    """``resource/{type}/{key}``: the key the linker chose, else a person's label as a slug
    (``person/sergey-lavrov``), else the QID of a linked entity, else the label as a slug."""
    if not key:
        key = slug(label) if entity_type == _PERSON or not qid else qid
    return URIRef(f"{normalise_base(base)}resource/{entity_type.lower()}/{key}")


def _sorted_iris(iris: Iterable[Node]) -> list[str]:
    return sorted({str(i) for i in iris})


def meeting_iri(
    base: str,
    kind: str,
    date: dt.date | None,
    participants: Iterable[Node],
    article_id: str = "",
) -> URIRef:
    """Held and scheduled meetings of the same people on the same day get different IRIs.

    A meeting the text does not date is keyed on its article too: nothing says that two
    articles' undated meetings of the same people are one meeting.
    """
    if date is None:
        digest = stable_hash(kind, "undated", article_id, *_sorted_iris(participants))
        return URIRef(f"{normalise_base(base)}resource/meeting/undated-{digest}")
    digest = stable_hash(kind, date.isoformat(), *_sorted_iris(participants))
    return URIRef(f"{normalise_base(base)}resource/meeting/{date.isoformat()}-{digest}")


def signing_iri(
    base: str, date: dt.date, agreement: Node | None, signatories: Iterable[Node] = ()
) -> URIRef:
    """Keyed on the agreement when known, else on the signatories."""
    key = [str(agreement)] if agreement is not None else _sorted_iris(signatories)
    digest = stable_hash("Signing", date.isoformat(), *key)
    return URIRef(f"{normalise_base(base)}resource/signing/{date.isoformat()}-{digest}")


def event_iri(
    base: str,
    date: dt.date,
    label: str | None,
    actors: Iterable[Node] = (),
    place: Node | None = None,
) -> URIRef:
    """A generic dated event, keyed on its normalised label, actors and place."""
    digest = stable_hash(
        "Event",
        date.isoformat(),
        _norm_text(label or "").casefold(),
        str(place or ""),
        *_sorted_iris(actors),
    )
    return URIRef(f"{normalise_base(base)}resource/event/{date.isoformat()}-{digest}")


def role_iri(base: str, holder: Node, party: Node, title: str) -> URIRef:
    digest = stable_hash(str(holder), str(party), _norm_text(title).casefold())
    return URIRef(f"{normalise_base(base)}resource/role/{digest}")


def quotation_iri(base: str, speaker: Node, text: str) -> URIRef:
    digest = stable_hash(str(speaker), _norm_text(text))
    return URIRef(f"{normalise_base(base)}resource/quotation/{digest}")


def evidence_iri(base: str, article_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{normalise_base(base)}resource/evidence/{segment(article_id)}/{start}-{end}")


def article_graph(identifier: IdentifiedNode | str | None) -> Graph:
    """An empty per-article graph on rdflib's context-free store (2.5x faster adds)."""
    return Graph(store="SimpleMemory", identifier=identifier, bind_namespaces="core")


# ---- mapping ----------------------------------------------------------------------------


@dataclass
class Mapped:
    """One article's graph, and what the mapper left out of it (with the reason)."""

    graph: Graph
    omitted: list[str] = field(default_factory=list)


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 4))), datatype=XSD.decimal)


class _Mapper:
    """Builds one article's graph; instance state lives only for one call."""

    def __init__(self, ann: Annotations, base: str) -> None:
        self.ann = ann
        self.base = normalise_base(base)
        self.article = article_iri(self.base, ann.article.id)
        self.graph = bind_prefixes(article_graph(graph_iri(self.base, ann.article.id)))
        self.omitted: list[str] = []
        self.entities: dict[str, tuple[URIRef, Entity]] = {}
        self.events: dict[str, URIRef] = {}

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.graph.add((s, p, o))

    def run(self) -> Mapped:
        self._article()
        for entity in self.ann.entities:
            self._entity(entity)
        for i, role in enumerate(self.ann.roles):
            self._role(i, role.holder, role.party, role.title, role.evidence, role.provenance)
        for event in self.ann.events:
            self._event(event)
        self._anniversaries()
        self._quotations()
        return Mapped(self.graph, self.omitted)

    # -- nodes --------------------------------------------------------------------------

    def _article(self) -> None:
        info, a = self.ann.article, self.article
        self.add(a, RDF.type, DG.Article)
        self.add(a, RDFS.label, Literal(_norm_text(info.title) if info.title else info.id))
        self.add(a, SCHEMA.text, Literal(info.text))
        self.add(a, SCHEMA.inLanguage, Literal(info.language))
        if info.title:
            self.add(a, SCHEMA.headline, Literal(_norm_text(info.title)))
        if info.url:
            self.add(a, SCHEMA.url, Literal(info.url, datatype=XSD.anyURI))
        if info.published:
            self.add(a, SCHEMA.datePublished, Literal(info.published, datatype=XSD.date))
        if info.source:
            self.add(a, DG.outlet, Literal(info.source))
        if self.ann.reference_date:
            self.add(a, DG.referenceDate, Literal(self.ann.reference_date, datatype=XSD.date))
        self.add(a, DG.extractor, Literal(self.ann.extractor))
        if info.normaliser:
            self.add(a, DG.textNormaliser, Literal(info.normaliser))
        self.add(a, DG.curated, Literal(self.ann.curated))

    def _entity(self, entity: Entity) -> None:
        label = _norm_text(entity.label)
        iri = entity_iri(self.base, entity.type, label, entity.qid, entity.slug)
        self.entities[entity.id] = (iri, entity)
        self.add(iri, RDF.type, DG[entity.type])
        self.add(iri, RDFS.label, Literal(label))
        for alias in entity.aliases:
            alias = _norm_text(alias)
            if alias and alias != label:
                self.add(iri, SKOS.altLabel, Literal(alias))
        if entity.qid:
            self.add(iri, OWL.sameAs, wikidata_iri(entity.qid))
            if entity.link_source:
                self.add(iri, DG.linkSource, Literal(entity.link_source))
        self.add(self.article, DG.mentions, iri)
        self._evidence(iri, entity.mentions)  # each place the article names it

    def _evidence(self, node: URIRef, spans: Iterable[Evidence]) -> None:
        for span in (s.trimmed() for s in spans):
            ev = evidence_iri(self.base, self.ann.article.id, span.start, span.end)
            self.add(node, DG.evidence, ev)
            self.add(ev, RDF.type, DG.Evidence)
            self.add(ev, DG.source, self.article)
            self.add(ev, DG.start, Literal(span.start))
            self.add(ev, DG.end, Literal(span.end))
            self.add(ev, DG.exact, Literal(span.exact))

    def _fact(self, node: URIRef, prov: Provenance, spans: Iterable[Evidence]) -> None:
        self.add(node, DG.rule, Literal(prov.rule))
        self.add(node, DG.confidence, _confidence(prov.confidence))
        self.add(node, PROV.wasDerivedFrom, self.article)
        self._evidence(node, spans)

    def _typed(self, ref: str | None, types: frozenset[str]) -> URIRef | None:
        """IRI of a referenced entity when it has one of the types, else None."""
        if ref is None or ref not in self.entities:
            return None
        iri, entity = self.entities[ref]
        return iri if entity.type in types else None

    def _type_of(self, ref: str) -> str:
        return self.entities[ref][1].type if ref in self.entities else "unknown"

    # -- facts --------------------------------------------------------------------------

    def _role(
        self,
        i: int,
        holder_ref: str,
        party_ref: str,
        title: str,
        spans: list[Evidence],
        prov: Provenance,
    ) -> None:
        holder = self._typed(holder_ref, frozenset({_PERSON}))
        party = self._typed(party_ref, _PARTY_TYPES)
        if holder is None or party is None:
            self.omitted.append(
                f"roles[{i}]: holder must be a Person and party a Country or Organization "
                f"(got {self._type_of(holder_ref)} and {self._type_of(party_ref)}); left out"
            )
            return
        title = _norm_text(title)
        role = role_iri(self.base, holder, party, title)
        self.add(role, RDF.type, DG.Role)
        self.add(role, DG.roleHolder, holder)
        self.add(role, DG.roleParty, party)
        self.add(role, DG.roleTitle, Literal(title))
        self.add(holder, DG.represents, party)
        self._fact(role, prov, spans)

    def _split_actors(self, ev: Event, refs: Iterable[str]) -> tuple[list[URIRef], list[URIRef]]:
        """Persons and parties among an event's references, in first-seen order."""
        persons: list[URIRef] = []
        parties: list[URIRef] = []
        for ref in refs:
            if (p := self._typed(ref, frozenset({_PERSON}))) is not None:
                if p not in persons:
                    persons.append(p)
            elif (q := self._typed(ref, _PARTY_TYPES)) is not None:
                if q not in parties:
                    parties.append(q)
            else:
                self.omitted.append(
                    f"event {ev.id}: participant {ref} is a {self._type_of(ref)}, "
                    "not a person or party; left out of the event"
                )
        return persons, parties

    def _location(self, ev: Event, node: URIRef) -> None:
        if ev.place is None:
            return
        place = self._typed(ev.place, _LOCATION_TYPES)
        if place is None:
            self.omitted.append(
                f"event {ev.id}: place {ev.place} is a {self._type_of(ev.place)}, "
                "not a Place or Country; location left out"
            )
            return
        self.add(node, DG.location, place)

    def _event(self, ev: Event) -> None:
        if ev.kind in ("Meeting", "ScheduledMeeting"):
            # a meeting the text reports without a day is still a meeting, without dg:date
            self._meeting(ev, ev.date)
            return
        if ev.date is None:
            self.omitted.append(
                f"event {ev.id} ({ev.kind}): no resolved date; left out, because a "
                f"{ev.kind.lower()} needs its dg:date"
            )
            return
        if ev.kind == "Signing" and self._typed(ev.agreement, frozenset({"Agreement"})):
            self._signing(ev, ev.date)
        else:
            if ev.kind == "Signing":
                self.omitted.append(
                    f"event {ev.id}: a signing without a known agreement is kept as a "
                    "generic dg:Event"
                )
            self._generic(ev, ev.date)

    def _meeting(self, ev: Event, date: dt.date | None) -> None:
        persons, parties = self._split_actors(ev, ev.participants)
        if len(persons) < 2:
            self.omitted.append(
                f"event {ev.id} ({ev.kind}): {len(persons)} named person(s); a meeting needs "
                "at least two, left out"
            )
            return
        node = meeting_iri(self.base, ev.kind, date, persons, self.ann.article.id)
        self.events[ev.id] = node
        self.add(node, RDF.type, DG[ev.kind])  # dg:Meeting (held) or dg:ScheduledMeeting
        if date is not None:
            self.add(node, DG.date, Literal(date, datatype=XSD.date))
        if ev.label:
            self.add(node, RDFS.label, Literal(_norm_text(ev.label)))
        for person in persons:
            self.add(node, DG.participant, person)
            if ev.kind == "ScheduledMeeting":
                self.add(person, DG.scheduledMeeting, node)
        for party in parties:
            self.add(node, SEM.hasActor, party)
        if ev.kind == "Meeting":
            for a in persons:
                for b in persons:
                    if a != b:
                        self.add(a, DG.metWith, b)
        self._location(ev, node)
        self._fact(node, ev.provenance, ev.evidence)

    def _signing(self, ev: Event, date: dt.date) -> None:
        agreement = self._typed(ev.agreement, frozenset({"Agreement"}))
        # Parties sign; a person named among the signatories is kept as a participant.
        persons, parties = self._split_actors(ev, [*ev.signatories, *ev.participants])
        node = signing_iri(self.base, date, agreement, parties)
        self.events[ev.id] = node
        self.add(node, RDF.type, DG.Signing)
        self.add(node, DG.date, Literal(date, datatype=XSD.date))
        if agreement is not None:
            self.add(node, DG.agreement, agreement)
        if ev.label:
            self.add(node, RDFS.label, Literal(_norm_text(ev.label)))
        for party in parties:
            self.add(node, DG.signatory, party)
        for person in persons:
            self.add(node, DG.participant, person)
        self._location(ev, node)
        self._fact(node, ev.provenance, ev.evidence)

    def _generic(self, ev: Event, date: dt.date) -> None:
        persons, parties = self._split_actors(ev, [*ev.participants, *ev.signatories])
        place = self._typed(ev.place, _LOCATION_TYPES)
        node = event_iri(self.base, date, ev.label, [*persons, *parties], place)
        self.events[ev.id] = node
        self.add(node, RDF.type, DG.Event)
        self.add(node, DG.date, Literal(date, datatype=XSD.date))
        if ev.label:
            self.add(node, RDFS.label, Literal(_norm_text(ev.label)))
        for person in persons:
            self.add(node, DG.participant, person)
        for party in parties:
            self.add(node, SEM.hasActor, party)
        self._location(ev, node)
        self._fact(node, ev.provenance, ev.evidence)

    def _anniversaries(self) -> None:
        for i, ann in enumerate(self.ann.anniversaries):
            event, earlier = self.events.get(ann.event), self.events.get(ann.of)
            if event is None or earlier is None:
                self.omitted.append(
                    f"anniversaries[{i}]: event {ann.event} or {ann.of} is not in the graph "
                    "(see above); left out"
                )
                continue
            if self.graph.value(event, DG.date) is None:
                self.omitted.append(
                    f"anniversaries[{i}]: event {ann.event} has no date, so it cannot mark an "
                    "anniversary; left out"
                )
                continue
            self.add(event, DG.anniversaryOf, earlier)
            self.add(event, DG.anniversaryNumber, Literal(ann.number))
            self.add(event, DG.rule, Literal(ann.provenance.rule))
            self._evidence(event, ann.evidence)

    def _quotations(self) -> None:
        for i, q in enumerate(self.ann.quotations):
            speaker = self._typed(q.speaker, _SPEAKER_TYPES)
            if speaker is None:
                self.omitted.append(
                    f"quotations[{i}]: speaker {q.speaker} is a {self._type_of(q.speaker)}, "
                    "not a person, country or organisation; left out"
                )
                continue
            node = quotation_iri(self.base, speaker, q.text)
            self.add(node, RDF.type, DG.Quotation)
            self.add(node, DG.speaker, speaker)
            self.add(node, SCHEMA.text, Literal(q.text))
            if q.context is not None and q.context in self.events:
                self.add(node, DG.context, self.events[q.context])
            self._fact(node, q.provenance, q.evidence)


def map_annotations(annotations: Annotations, base: str = DEFAULT_BASE) -> Mapped:
    """The article's graph plus the list of facts left out (for ``diplograph explain``)."""
    return _Mapper(annotations, base).run()


def to_rdf(annotations: Annotations, base: str = DEFAULT_BASE) -> Graph:
    """The triples of one article's named graph (identifier = ``graph_iri(base, id)``)."""
    return map_annotations(annotations, base).graph

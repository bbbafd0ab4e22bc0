"""Extraction: article text -> ``Annotations`` (entities, roles, events, quotes, evidence).

spaCy's parser and NER plus general rules over the dependency parse and an offline
gazetteer; nothing here knows any particular article. ``EXTRACTOR`` names the rule set and
is written into each article graph's provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from graphbuild import __version__
from graphbuild.annotations import (
    Anniversary,
    Annotations,
    ArticleInfo,
    Entity,
    Event,
    Evidence,
    Provenance,
    Quotation,
    Role,
)
from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.dates import infer_reference_date
from graphbuild.extract.document import ParsedArticle, load_pipeline
from graphbuild.extract.events import EventExtractor, EventFact
from graphbuild.extract.mentions import (
    GazetteerEntryLike,
    GazetteerLike,
    MentionIndex,
    index_mentions,
)
from graphbuild.extract.quotes import QuoteExtractor
from graphbuild.extract.roles import RoleFact, extract_roles

EXTRACTOR = f"diplograph.extract.rules.v1@{__version__}"

__all__ = ["EXTRACTOR", "Extractor", "extract_from_doc", "load_pipeline"]


@dataclass
class Extractor:
    """Holds the loaded pipeline and gazetteer; ``extract`` is a function of the article."""

    nlp: Language
    gazetteer: GazetteerLike
    today: dt.date | None = None

    def extract(self, article: ArticleInfo) -> Annotations:
        return extract_from_doc(article, self.nlp(article.text), self.gazetteer, self.today)

    def extract_parsed(self, article: ArticleInfo, doc: Doc) -> Annotations:
        """``extract`` for a text spaCy has already parsed (``nlp.pipe`` batches)."""
        return extract_from_doc(article, doc, self.gazetteer, self.today)

    def extract_many(self, articles: list[ArticleInfo], batch_size: int = 16) -> list[Annotations]:
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size)
        return [
            extract_from_doc(a, d, self.gazetteer, self.today)
            for a, d in zip(articles, docs, strict=True)
        ]


def extract_from_doc(
    article: ArticleInfo, doc: Doc, gaz: GazetteerLike, today: dt.date | None = None
) -> Annotations:
    """The rules over an already parsed document (so parsing can be batched)."""
    parsed = ParsedArticle.from_doc(article.text, doc)
    mentions = index_mentions(parsed, gaz)
    number_of = {**lexicon.ORDINAL_WORDS, **lexicon.CARDINAL_WORDS}
    reference = infer_reference_date(
        article.text, article.published, number_of, today or dt.date.today()
    )
    roles = extract_roles(parsed, mentions, gaz)
    resolver = Resolver(parsed, mentions, gaz)
    _learn_roles(resolver, roles)
    _definite_parties(parsed, mentions, resolver, roles)
    _learn_roles(resolver, roles)
    events = EventExtractor(parsed, mentions, gaz, resolver, reference, article.published)
    events.run()
    quotes = QuoteExtractor(parsed, mentions, resolver).run()
    roles += _fallback_parties(parsed, mentions, resolver, roles, events, quotes, gaz)
    return _assemble(article, parsed, mentions, roles, events, quotes, reference)


def _learn_roles(resolver: Resolver, roles: list[RoleFact]) -> None:
    resolver.titles.clear()
    resolver.parties.clear()
    for r in roles:
        if r.title:
            resolver.titles.setdefault(r.person, []).append(r.title)
        if r.party is not None:
            resolver.parties.setdefault(r.person, []).append(r.party.label)


def _definite_parties(
    parsed: ParsedArticle, mentions: MentionIndex, resolver: Resolver, roles: list[RoleFact]
) -> None:
    """ "the Turkish leader" gives a party to the person it refers to."""
    from graphbuild.extract.coref import _DEFINITE

    for m in _DEFINITE.finditer(parsed.text):
        if parsed.in_quote(m.start()):
            continue
        # not a pre-title of a name ("the Austrian Foreign Minister Lena Hofer")
        if mentions.person_at(m.end(), m.end() + 3) is not None:
            continue
        entry = None
        for word in (m.group("mods") + " " + m.group("noun")).split():
            e = resolver.gaz.demonym(word) or resolver.gaz.lookup(word)
            if e is not None and e.type in ("Country", "Organization"):
                entry = e
        if entry is None:
            continue
        person = resolver.resolve_definite(m.group(0), m.start())
        if person is None:
            continue
        if resolver.parties.get(person):
            continue
        roles.append(
            RoleFact(person, None, entry, m.start(), m.end(), "role.definite-description", 0.7)
        )
        resolver.parties.setdefault(person, []).append(entry.label)


def _fallback_parties(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    resolver: Resolver,
    roles: list[RoleFact],
    events: EventExtractor,
    quotes: list,  # type: ignore[type-arg]
    gaz: GazetteerLike,
) -> list[RoleFact]:
    """A party for office holders the text names only by title ("President X").

    Inside a quotation, "our" head of state is the speaker's ("As President X said", said by
    a minister of country C); a titled host of a meeting held in C's capital, whose guests
    act for other parties, acts for C.
    """
    with_party = {r.person for r in roles if r.party is not None}
    titled = {r.person: r for r in roles if r.title and r.party is None}
    for m in mentions.person_mentions:
        if m.person in with_party or m.person in titled:
            continue
        t = next((t for t in mentions.titles if 0 <= m.start - t.end <= 2), None)
        if t is not None:
            titled[m.person] = RoleFact(
                m.person, t.title, None, t.start, m.end, "role.title-only", 0.6
            )
    party_of = {r.person: r.party for r in roles if r.party is not None}
    out: list[RoleFact] = []
    for person, fact in titled.items():
        if person in with_party:
            continue
        found = None
        for q in quotes:
            inside = [m for m in mentions.persons[person].mentions if q.start <= m.start < q.end]
            if inside and q.speaker in party_of and q.speaker != person:
                found = (party_of[q.speaker], inside[0], "role.speaker-party")
                break
        if found is None:
            for ev in events.events:
                if ev.kind != "Meeting" or ev.host != person or ev.place is None:
                    continue
                country = gaz.metonym(ev.place.text)
                if country is None or country.type != "Country":
                    continue
                others = [party_of.get(p) for p in ev.participants if p != person]
                if all(o is not None and o.label != country.label for o in others):
                    found = (country, mentions.persons[person].mentions[0], "role.host-capital")
                    break
        if found is not None:
            party, mention, rule = found
            out.append(
                RoleFact(
                    person,
                    fact.title,
                    party,
                    fact.start,
                    max(fact.end, mention.end) if fact.start <= mention.start else fact.end,
                    rule,
                    0.6,
                )
            )
    return out


def _ev(parsed: ParsedArticle, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, exact=parsed.text[start:end])


def _assemble(
    article: ArticleInfo,
    parsed: ParsedArticle,
    mentions: MentionIndex,
    roles: list[RoleFact],
    events: EventExtractor,
    quotes: list,  # type: ignore[type-arg]
    reference: dt.date | None,
) -> Annotations:
    entities: list[Entity] = []
    person_ids: dict[int, str] = {}
    for p in mentions.persons:
        pid = f"p{p.index + 1}"
        person_ids[p.index] = pid
        aliases = sorted({m.text for m in p.mentions if m.text != p.name})
        entities.append(
            Entity(
                id=pid,
                type="Person",
                label=p.name,
                aliases=aliases,
                mentions=[_ev(parsed, m.start, m.end) for m in p.mentions],
            )
        )
    party_ids: dict[str, str] = {}

    def party_id(entry: GazetteerEntryLike) -> str:
        label = entry.label
        if label not in party_ids:
            pid = f"g{len(party_ids) + 1}"
            party_ids[label] = pid
            entities.append(
                Entity(
                    id=pid,
                    type=entry.type,
                    label=label,
                    qid=entry.qid,
                    link_source=entry.source,
                )
            )
        return party_ids[label]

    for g in mentions.geo:
        if g.entry.type in ("Country", "Organization"):
            party_id(g.entry)
    # roles: one per person and party; title = first explicit one
    out_roles: list[Role] = []
    by_person_party: dict[tuple[int, str], Role] = {}
    titles_by_person: dict[int, str] = {}
    for r in roles:
        if r.title and r.person not in titles_by_person:
            titles_by_person[r.person] = r.title
    parties_by_person: dict[int, list[RoleFact]] = {}
    for r in roles:
        if r.party is not None:
            parties_by_person.setdefault(r.person, []).append(r)
    for person, facts in parties_by_person.items():
        for r in facts:
            if r.party is None:
                continue
            pid = party_id(r.party)
            key = (person, pid)
            title = r.title or titles_by_person.get(person) or "representative"
            if key in by_person_party:
                by_person_party[key].evidence.append(_ev(parsed, r.start, r.end))
                continue
            role = Role(
                holder=person_ids[person],
                party=pid,
                title=title,
                evidence=[_ev(parsed, r.start, r.end)],
                provenance=Provenance(rule=r.rule, confidence=r.confidence),
            )
            by_person_party[key] = role
            out_roles.append(role)
    # places and events
    place_ids: dict[str, str] = {}

    def place_id(ref: object) -> str:
        text = ref.text  # type: ignore[attr-defined]
        entry = ref.qid_entry  # type: ignore[attr-defined]
        label = entry.label if entry is not None else text
        if label not in place_ids:
            pid = f"l{len(place_ids) + 1}"
            place_ids[label] = pid
            entities.append(
                Entity(
                    id=pid,
                    type="Place",
                    label=label,
                    qid=entry.qid if entry is not None else None,
                    link_source=getattr(entry, "source", None) if entry is not None else None,
                    mentions=[_ev(parsed, ref.start, ref.end)],  # type: ignore[attr-defined]
                )
            )
        return place_ids[label]

    agreement_ids: dict[str, str] = {}
    out_events: list[Event] = []
    for i, ev in enumerate(events.events):
        agreement = None
        if ev.agreement is not None:
            s, e, name = ev.agreement
            if name not in agreement_ids:
                aid = f"a{len(agreement_ids) + 1}"
                agreement_ids[name] = aid
                entities.append(
                    Entity(id=aid, type="Agreement", label=name, mentions=[_ev(parsed, s, e)])
                )
            agreement = agreement_ids[name]
        signatories = [party_ids[label] for label in ev.signatories if label in party_ids]
        out_events.append(
            Event(
                id=f"ev{i + 1}",
                kind=ev.kind,
                date=ev.date,
                participants=[person_ids[p] for p in ev.participants],
                place=place_id(ev.place) if ev.place is not None else None,
                agreement=agreement,
                signatories=signatories,
                label=ev.label,
                evidence=[_ev(parsed, ev.start, ev.end)],
                provenance=Provenance(rule=ev.rule, confidence=ev.confidence),
            )
        )
    out_ann = [
        Anniversary(
            event=f"ev{a.event + 1}",
            of=f"ev{a.of + 1}",
            number=a.number,
            evidence=[_ev(parsed, a.start, a.end)],
            provenance=Provenance(rule=a.rule, confidence=0.8),
        )
        for a in events.anniversaries
    ]
    out_quotes = []
    for q in quotes:
        context = None
        for i, ev in enumerate(events.events):
            if ev.kind == "Meeting" and q.speaker in ev.participants:
                context = f"ev{i + 1}"
                break
        out_quotes.append(
            Quotation(
                speaker=person_ids[q.speaker],
                text=q.text,
                context=context,
                evidence=[_ev(parsed, q.start, q.end)],
                provenance=Provenance(rule=q.rule, confidence=q.confidence),
            )
        )
    return Annotations(
        article=article,
        extractor=EXTRACTOR,
        reference_date=reference,
        entities=entities,
        roles=out_roles,
        events=out_events,
        anniversaries=out_ann,
        quotations=out_quotes,
    )


EventFact = EventFact

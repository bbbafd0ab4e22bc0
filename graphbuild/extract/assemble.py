"""Turning the extractor's facts into ``Annotations``: local ids, one role per person and party,
events with their places, agreements and signatories, anniversaries and quotations, each
with its evidence span; every person, state, organisation and place with each place the
article names it (``Entity.mentions``: names, short forms, demonyms, metonyms, repeats).
"""

from __future__ import annotations

import datetime as dt

from graphbuild.annotations import (
    Anniversary,
    Annotations,
    ArticleInfo,
    DroppedFact,
    Entity,
    Event,
    Evidence,
    Provenance,
    Quotation,
    Role,
)
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.events import EventExtractor
from graphbuild.extract.mentions import (
    GazetteerEntryLike,
    MentionIndex,
)
from graphbuild.extract.role_parties import TitledPerson, titled_forms
from graphbuild.extract.roles import RoleFact


def _ev(parsed: ParsedArticle, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, exact=parsed.text[start:end])


def assemble(
    article: ArticleInfo,
    parsed: ParsedArticle,
    mentions: MentionIndex,
    roles: list[RoleFact],
    events: EventExtractor,
    quotes: list,  # type: ignore[type-arg]
    reference: dt.date | None,
    extractor: str,
    unresolved_roles: list[TitledPerson] | None = None,
) -> Annotations:
    entities: list[Entity] = []
    by_id: dict[str, Entity] = {}

    def add(entity: Entity) -> str:
        entities.append(entity)
        by_id[entity.id] = entity
        return entity.id

    person_ids: dict[int, str] = {}
    for p in mentions.persons:
        pid = f"p{p.index + 1}"
        person_ids[p.index] = pid
        aliases = sorted(
            {m.text for m in p.mentions if m.text != p.name} | titled_forms(parsed.text, p)
        )
        add(
            Entity(
                id=pid,
                type="Person",
                label=p.name,
                aliases=aliases,
                mentions=[_ev(parsed, m.start, m.end) for m in p.mentions],
            )
        )
    party_ids: dict[str, str] = {}
    place_ids: dict[str, str] = {}

    def mentioned(entity_id: str, start: int, end: int) -> None:
        """Record one place the article names the entity (each span once, in text order)."""
        spans = by_id[entity_id].mentions
        if all((m.start, m.end) != (start, end) for m in spans):
            spans.append(_ev(parsed, start, end))
            spans.sort(key=lambda m: (m.start, m.end))

    def party_id(entry: GazetteerEntryLike) -> str:
        label = entry.label
        if label not in party_ids:
            party_ids[label] = add(
                Entity(
                    id=f"g{len(party_ids) + 1}",
                    type=entry.type,
                    label=label,
                    aliases=list(getattr(entry, "body_aliases", ())),
                    qid=entry.qid,
                    link_source=entry.source,
                )
            )
        return party_ids[label]

    def place_of(label: str, entry: GazetteerEntryLike | None) -> str:
        if entry is not None and entry.type != "Place":
            entry = None  # a venue the NER found, named like a person or a state: no QID
        if label not in place_ids:
            place_ids[label] = add(
                Entity(
                    id=f"l{len(place_ids) + 1}",
                    type="Place",
                    label=label,
                    qid=entry.qid if entry is not None else None,
                    link_source=entry.source if entry is not None else None,
                )
            )
        return place_ids[label]

    # every mention of a state, organisation or place (names, demonyms, metonyms, capitals)
    for g in mentions.geo:
        if g.entry.type in ("Country", "Organization"):
            mentioned(party_id(g.entry), g.start, g.end)
        elif g.entry.type == "Place":
            mentioned(place_of(g.entry.label, g.entry), g.start, g.end)
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

    # events, with their places
    def place_id(ref: object) -> str:
        text = ref.text  # type: ignore[attr-defined]
        entry = ref.qid_entry  # type: ignore[attr-defined]
        pid = place_of(entry.label if entry is not None else text, entry)
        mentioned(pid, ref.start, ref.end)  # type: ignore[attr-defined]
        return pid

    agreement_ids: dict[str, str] = {}
    out_events: list[Event] = []
    for i, ev in enumerate(events.events):
        agreement = None
        if ev.agreement is not None:
            s, e, name = ev.agreement
            if name not in agreement_ids:
                aid = f"a{len(agreement_ids) + 1}"
                agreement_ids[name] = aid
                add(Entity(id=aid, type="Agreement", label=name, mentions=[_ev(parsed, s, e)]))
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
    dropped = [
        DroppedFact(
            kind="Role",
            reason="no-party",
            detail=f"{mentions.persons[t.person].name}: {t.title}",
            evidence=[_ev(parsed, t.start, t.end)],
        )
        for t in unresolved_roles or ()
    ] + [
        DroppedFact(
            kind=d.kind,
            reason=d.reason,
            detail=d.detail,
            evidence=[_ev(parsed, d.start, d.end)],
        )
        for d in events.dropped
    ]
    return Annotations(
        article=article,
        extractor=extractor,
        reference_date=reference,
        entities=entities,
        roles=out_roles,
        events=out_events,
        anniversaries=out_ann,
        quotations=out_quotes,
        dropped=dropped,
    )

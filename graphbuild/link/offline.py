"""Linking: extracted entities -> canonical names and sourced Wikidata QIDs (offline).

An entity is matched to a gazetteer entry by its label or one of its aliases, and only to an
entry of the same type (a person named "Jordan" never becomes the country). A match gives the
entity the gazetteer's canonical label ("Hofer" -> "Lena Hofer", "Republic of Austria" ->
"Austria"; the form the text used stays an alias) and, when the gazetteer has one, a QID with
its source. Entities the gazetteer does not know stay unlinked: no QID is ever guessed.
Curated annotations keep their labels and QIDs; linking only fills in what they leave empty.
Entities that turn out to be the same gazetteer entry are merged, references included.

People are linked with the office-holder table when the gazetteer gives no QID
(:mod:`graphbuild.link.people` says how the article's roles, titles and date decide) and get
the table's canonical English label and an IRI key from it, so every spelling of one person
is one node; two entities of an article linked to one QID become one.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphbuild.annotations import Annotations, Entity, Evidence, Role
from graphbuild.link.gazetteer import Gazetteer, GazetteerEntry, fold
from graphbuild.link.people import People, article_evidence, decide_person, link_source

LINKABLE_TYPES = ("Country", "Organization", "Place", "Person")


def match_entity(entity: Entity, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The gazetteer entry of the entity's own type that its label (or else an alias) names."""
    if entity.type not in LINKABLE_TYPES:
        return None
    for name in (entity.label, *entity.aliases):
        entry = gazetteer.lookup(name)
        if entry is not None and entry.type == entity.type:
            return entry
    return None


def _merge_names(first: Iterable[str], label: str) -> list[str]:
    """Aliases without repeats (by folded form) and without the label itself."""
    seen = {fold(label)}
    out: list[str] = []
    for name in first:
        key = fold(name)
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def link_entity(entity: Entity, gazetteer: Gazetteer, curated: bool = False) -> Entity:
    """A linked copy of one entity (the input is never changed)."""
    entry = match_entity(entity, gazetteer)
    if entry is None:
        return entity.model_copy(deep=True)
    label = entity.label if curated else entry.label
    # every spelling the article uses stays as written, even one that folds to the label
    # ("Abu Bakr" beside "Abu-Bakr"); the gazetteer's own names once each
    own = [n for n in dict.fromkeys([entity.label, *entity.aliases]) if n and n != label]
    aliases = own + [
        n for n in _merge_names(entry.names, label) if fold(n) not in {fold(o) for o in own}
    ]
    qid, link_source = entity.qid, entity.link_source
    if qid is None and entry.qid is not None and entry.source:
        qid, link_source = entry.qid, entry.source
    return entity.model_copy(
        update={
            "label": label,
            "aliases": aliases,
            "qid": qid,
            "link_source": link_source,
            "mentions": [m.model_copy() for m in entity.mentions],
        }
    )


def link(
    annotations: Annotations, gazetteer: Gazetteer, people: People | None = None
) -> Annotations:
    """A copy of ``annotations`` with entities canonically named and, where sourced, linked.

    With ``people`` (the office-holder index), persons are also linked by the article's
    evidence and given their IRI key.
    """
    out = annotations.model_copy(deep=True)
    out.entities = [link_entity(e, gazetteer, annotations.curated) for e in annotations.entities]
    matched: dict[str, str] = {}
    if not annotations.curated:
        for entity in annotations.entities:
            entry = match_entity(entity, gazetteer)
            if entry is not None:
                matched[entity.id] = entry.ident
    if people is not None:
        _link_people(out, annotations, gazetteer, people, matched)
    if not annotations.curated:
        _merge_duplicates(out, matched)
    return Annotations.model_validate(out.model_dump())


def _link_people(
    ann: Annotations,
    original: Annotations,
    gazetteer: Gazetteer,
    people: People,
    matched: dict[str, str],
) -> None:
    """Link persons by the office-holder table; canonical labels and IRI keys for all.

    ``ann`` is ``original`` after the gazetteer (same entities, in the same order).
    """
    evidence = article_evidence(ann, gazetteer, people)
    for entity, before in zip(ann.entities, original.entities, strict=True):
        if entity.type != "Person":
            continue
        if entity.qid is None:
            # the article's fullest name, and the curated names of the gazetteer person it is
            # (not one that only a shorter form names: that may be a namesake's father)
            entry = gazetteer.lookup(before.label)
            known = entry.names if entry is not None and entry.type == "Person" else ()
            # "Sheikh X": a one-word name the article also gives with the title borne
            # as part of it
            borne = [a for a in before.aliases if a.endswith(f" {before.label}")]
            names = [before.label, *known, *borne]
            decided = decide_person(entity, names, evidence, people.index)
            if decided is not None:
                entity.qid, entity.link_source = decided.qid, link_source(decided)
        if entity.qid is not None:
            matched[entity.id] = entity.qid
            if not ann.curated:
                label = people.label(entity.qid, entity.label)
                # every spelling the article uses stays, even one that folds to the label
                spellings = [entity.label, *entity.aliases]
                entity.aliases = [n for n in dict.fromkeys(spellings) if n != label]
                entity.label = label
        canonical = people.label(entity.qid, entity.label) if entity.qid else entity.label
        entity.slug = people.keys.key(canonical, entity.qid)


def _merge_duplicates(ann: Annotations, matched: dict[str, str]) -> None:
    """Entities matched to the same gazetteer entry become one, references included."""
    keep: dict[str, Entity] = {}
    renamed: dict[str, str] = {}
    entities: list[Entity] = []
    for entity in ann.entities:
        key = matched.get(entity.id)
        if key is None or key not in keep:
            if key is not None:
                keep[key] = entity
            entities.append(entity)
            continue
        first = keep[key]
        renamed[entity.id] = first.id
        first.aliases = _merge_names([*first.aliases, entity.label, *entity.aliases], first.label)
        first.mentions = _merge_evidence(first.mentions, entity.mentions)
        if first.qid is None and entity.qid is not None:
            first.qid, first.link_source = entity.qid, entity.link_source
            first.slug = entity.slug
    if not renamed:
        return
    ann.entities = entities

    def ref(entity_id: str) -> str:
        return renamed.get(entity_id, entity_id)

    def refs(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(ref(i) for i in ids))

    roles: dict[tuple[str, str], Role] = {}
    for role in ann.roles:
        role.holder, role.party = ref(role.holder), ref(role.party)
        existing = roles.get((role.holder, role.party))
        if existing is None:
            roles[(role.holder, role.party)] = role
        else:
            existing.evidence = _merge_evidence(existing.evidence, role.evidence)
    ann.roles = list(roles.values())
    for event in ann.events:
        event.participants = refs(event.participants)
        event.signatories = refs(event.signatories)
        event.place = ref(event.place) if event.place is not None else None
        event.agreement = ref(event.agreement) if event.agreement is not None else None
    for quote in ann.quotations:
        quote.speaker = ref(quote.speaker)


def _merge_evidence(first: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    seen = {(e.start, e.end) for e in first}
    out = list(first)
    for e in more:
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    return sorted(out, key=lambda e: (e.start, e.end))

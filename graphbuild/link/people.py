"""Which office holder a person named in an article is: the article's evidence against the table.

A name alone is not enough when two office holders share it, so the link stage hands the
office-holder index (:mod:`graphbuild.link.office_holders`) what the article says about the
person, strongest first:

1. the states or organisations the article says the person acts for (their roles' parties):
   the person must have held an office of that party (``OfficeHolders.resolve`` with
   ``iso2``);
2. else the office the article names ("Foreign Minister", "President"): a term of that
   office category;
3. else only the article's date: a term that covers it, and the term's state (or
   organisation) must be named somewhere in the article, so a namesake in unrelated news
   (a footballer who shares a minister's name) is not taken for the minister.

Each of the person's full names (label and aliases) is tried; a link is made only when every
name that decides anything decides the same single QID. A person the article names only by
surname is tried with the state or office only (``resolve_surname``) and, in the third tier,
with each state the article names, and needs a term that covers the article's date. A term
that ended before that date never decides a link by itself (the index's rule).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphbuild.annotations import Annotations, Entity
from graphbuild.link.gazetteer import Gazetteer, GazetteerEntry
from graphbuild.link.office_holders import (
    OfficeCategory,
    OfficeHolders,
    PersonLink,
    shipped_office_holders,
)
from graphbuild.rdf.mapping import slug

UNLINKED_SUFFIX = "unlinked"
"""Ends the IRI key of an unlinked person whose name is the key of a linked one, so a person
left unlinked (not enough evidence, or a namesake) never shares a linked person's node."""

# Office titles as articles write them -> the table's office categories (tried in order).
_TITLES: tuple[tuple[str, tuple[OfficeCategory, ...]], ...] = (
    (
        r"\b(?:foreign (?:affairs )?minister|minister (?:of|for) (?:foreign|external) "
        r"affairs|foreign secretary|external affairs minister|top diplomat)\b",
        ("foreign minister",),
    ),
    (r"\bsecretary[- ]general\b", ("international organisation head",)),
    (
        r"^(?:the )?(?:prime minister|premier|chancellor|head of government)$",
        ("head of government",),
    ),
    # a monarch heads the state, never the government a prime minister of the same name
    # may lead ("King Sultan Ibrahim" is not the prime minister surnamed Ibrahim)
    (r"^(?:the )?(?:king|queen|emir|amir|sultan|monarch)$", ("head of state",)),
    (
        r"^(?:the )?(?:president|head of state)$",
        ("head of state", "head of government"),
    ),
    (r"\bminister\b", ("other minister",)),
)
_TITLE_OFFICES = tuple((re.compile(p, re.IGNORECASE), offices) for p, offices in _TITLES)

# "former President X", "the late King X", "then-Foreign Minister X", "ex-Premier X": a past
# office, which extraction keeps out of the roles but which still says who X is.
_PAST_TITLE = re.compile(
    r"(?:\b(?:[Ff]ormer|[Ll]ate|[Tt]hen|[Ee]rstwhile|[Oo]ne-time)[\s-]+|\b[Ee]x-)"
    r"((?:[A-Za-z][\w'’.-]*[\s-]+){1,5})$"
)


def offices_of_title(title: str) -> tuple[OfficeCategory, ...]:
    """The office categories an article's title may name; empty if it names none we know."""
    words = " ".join(title.split())
    for pattern, offices in _TITLE_OFFICES:
        if pattern.search(words):
            return offices
    return ()


@dataclass(frozen=True)
class ArticleEvidence:
    """What one article says that can decide who its people are."""

    on: dt.date | None
    parties: Mapping[str, frozenset[str]]
    """Entity id -> the parties (ISO codes, table organisation names) its roles name."""
    offices: Mapping[str, tuple[OfficeCategory, ...]]
    """Entity id -> office categories its role titles name."""
    named: frozenset[str]
    """Every state and organisation (as the table names them) the article names."""
    unlisted_bodies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Entity id -> organisations its roles name that the table lists no terms of ("NATO")."""
    past_offices: Mapping[str, tuple[OfficeCategory, ...]] = field(default_factory=dict)
    """Entity id -> office categories the article says it held ("former President X")."""


def party_codes(entry: GazetteerEntry | None, organisations: frozenset[str]) -> frozenset[str]:
    """How the table names a gazetteer state or organisation: ISO code, or e.g. "UN"."""
    if entry is None:
        return frozenset()
    if entry.type == "Country" and entry.iso2:
        return frozenset({entry.iso2})
    if entry.type == "Organization":
        return frozenset(n for n in entry.names if n in organisations)
    return frozenset()


def article_evidence(ann: Annotations, gaz: Gazetteer, people: People) -> ArticleEvidence:
    """The date, parties, offices and named states of an (already gazetteer-linked) article."""
    codes: dict[str, frozenset[str]] = {}
    for entity in ann.entities:
        if entity.type in ("Country", "Organization"):
            entry = next(
                (
                    e
                    for e in (gaz.lookup(n) for n in (entity.label, *entity.aliases))
                    if e is not None and e.type == entity.type
                ),
                None,
            )
            codes[entity.id] = party_codes(entry, people.organisations)
    bodies = {e.id: e.label for e in ann.entities if e.type == "Organization"}
    parties: dict[str, set[str]] = {}
    offices: dict[str, list[OfficeCategory]] = {}
    unlisted: dict[str, list[str]] = {}
    for role in ann.roles:
        parties.setdefault(role.holder, set()).update(codes.get(role.party, ()))
        if role.party in bodies and not codes.get(role.party):
            unlisted.setdefault(role.holder, []).append(bodies[role.party])
        for office in offices_of_title(role.title):
            if office not in offices.setdefault(role.holder, []):
                offices[role.holder].append(office)
    named = frozenset(c for cs in codes.values() for c in cs)
    return ArticleEvidence(
        on=ann.reference_date or ann.article.published,
        parties={k: frozenset(v) for k, v in parties.items() if v},
        offices={k: tuple(v) for k, v in offices.items()},
        named=named,
        unlisted_bodies={k: tuple(dict.fromkeys(v)) for k, v in unlisted.items()},
        past_offices=_past_offices(ann),
    )


def _past_offices(ann: Annotations) -> dict[str, tuple[OfficeCategory, ...]]:
    """The offices the article says its people once held, from the words before a mention."""
    text = ann.article.text
    found: dict[str, list[OfficeCategory]] = {}
    for entity in ann.entities:
        if entity.type != "Person":
            continue
        for mention in entity.mentions:
            m = _PAST_TITLE.search(text[max(0, mention.start - 80) : mention.start])
            if m is None:
                continue
            words = m.group(1).split()
            # "former Kenyan President", "late President Sheikh": the words that are a title
            spans = [
                " ".join(words[i:j])
                for i in range(len(words))
                for j in range(i + 1, len(words) + 1)
            ]
            for office in (o for span in spans for o in offices_of_title(span)):
                if office not in found.setdefault(entity.id, []):
                    found[entity.id].append(office)
    return {k: tuple(v) for k, v in found.items() if v}


_BORNE_TITLE = re.compile(r"(?:Sheikh|Sheikha|Shaikh|Sultan)\s+\S+$")
"""A one-word name with a title some bear as part of it: the whole form is a full name."""


def decide_person(
    entity: Entity, names: Sequence[str], evidence: ArticleEvidence, index: OfficeHolders
) -> PersonLink | None:
    """The one office holder this person is, by the article's evidence; None if not exactly one.

    ``names`` are the names that identify the person: the fullest name the article gives
    (the entity's label before linking) and the gazetteer's label when it knows the person.
    Shorter forms the article also uses are not tried: extraction may have attached a
    father's name to his son ("Khaled bin Mohamed bin Zayed" and "Mohamed bin Zayed").
    """
    names = list(dict.fromkeys(n for n in names if n.strip()))
    full = [n for n in names if len(index.key(n).split()) >= 2 or _BORNE_TITLE.match(n)]
    surnames = [n for n in names if len(index.key(n).split()) == 1] if not full else []
    parties = sorted(evidence.parties.get(entity.id, ()))
    offices = evidence.offices.get(entity.id, ())
    on = evidence.on
    if parties:
        # the state (or body) the article names decides; with the office, more sharply; a
        # name of three words or more may end in a second surname the table leaves out,
        # never in the given name, so it is tried without it
        sharp = [(p, o) for p in parties for o in offices]
        plain: list[tuple[str | None, OfficeCategory | None]] = [(p, None) for p in parties]
        shorter = [n.rsplit(None, 1)[0] for n in full if len(index.key(n).split()) >= 3]
        # a surname alone with an office the table knows must hold that office: "King X"
        # is not the prime minister surnamed X
        plain_surnames = [] if offices else surnames
        for names_tried in (full, shorter):
            decided = _one(_tried(index, names_tried, surnames, on, sharp)) or _one(
                _tried(index, names_tried, plain_surnames, on, plain)
            )
            if decided is not None:
                return decided
        return None
    decided = _one(_tried(index, full, surnames, on, [(None, o) for o in offices]))
    if decided is not None:
        return decided
    # only the date: a term that covers it, of a state or body the article names
    links = [_named_party(index.resolve(n, on=on), evidence.named) for n in full]
    for name in surnames:
        links += [
            _current(index.resolve_surname(name, on=on, iso2=p), on) for p in sorted(evidence.named)
        ]
    decided = _one(links)
    past = evidence.past_offices.get(entity.id, ())
    if decided is None and past:
        # "former President X": a past term of that office for a state the article names
        decided = _one(
            _tried(index, full, [], on, [(p, o) for p in sorted(evidence.named) for o in past])
        )
    if decided is None and entity.id in evidence.unlisted_bodies:
        decided = _official_of_unlisted_body(index, full, on, evidence.unlisted_bodies[entity.id])
    return decided


def _official_of_unlisted_body(
    index: OfficeHolders, full: Sequence[str], on: dt.date | None, bodies: Sequence[str]
) -> PersonLink | None:
    """An official of a body the table lists no terms of, by their whole name alone.

    International posts go to former national office holders ("NATO Secretary General X",
    "the EU's foreign-policy chief X"), whose national terms the table has but whose new post
    it lacks; a stranger who shares a minister's whole name and also holds an office at an
    international body is far less likely than the minister. Only the exact name (label or
    alias, not a partial one) of exactly one person decides.
    """
    exact = {q for n in full for q, how in index.matches(n).items() if how == "full name"}
    if len(exact) != 1:
        return None
    (qid,) = exact
    person = index.person(qid)
    if person is None:
        return None
    when = f" on {on}" if on is not None else ""
    return PersonLink(
        qid,
        person.label,
        index.terms_of(qid),
        f"full name; acts for {', '.join(bodies)}{when}, whose terms the table does not list",
    )


def _tried(
    index: OfficeHolders,
    full: Sequence[str],
    surnames: Sequence[str],
    on: dt.date | None,
    evidence: Sequence[tuple[str | None, OfficeCategory | None]],
) -> list[PersonLink | None]:
    """Each name resolved against each (party, office) the article states."""
    links: list[PersonLink | None] = []
    for party, office in evidence:
        links += [index.resolve(n, on=on, iso2=party, office=office) for n in full]
        links += [
            _current(index.resolve_surname(n, on=on, iso2=party, office=office), on)
            for n in surnames
        ]
    return links


def _current(link: PersonLink | None, on: dt.date | None) -> PersonLink | None:
    """The link when one of its deciding terms covers ``on`` (a surname needs that)."""
    if link is None or on is None:
        return None
    return link if any(t.covers(on) for t in link.terms) else None


def _named_party(link: PersonLink | None, named: frozenset[str]) -> PersonLink | None:
    """A date-only link, kept when the article names the state or body of a deciding term."""
    if link is None or not any(t.party in named for t in link.terms):
        return None
    return link


def _one(links: Sequence[PersonLink | None]) -> PersonLink | None:
    """The link every deciding name agrees on; None when none decides or two disagree."""
    decided = {link.qid: link for link in links if link is not None}
    if len(decided) != 1:
        return None
    return next(iter(decided.values()))


# ---- IRI keys ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PersonKeys:
    """IRI keys of persons, so one Wikidata item is one node and no unlinked person shares it.

    Built once per process from the office-holder table and the gazetteer's linked persons.
    """

    owners: Mapping[str, frozenset[str]]
    """Slug of each canonical label of a linkable person -> the QIDs that have it."""
    spellings: Mapping[str, frozenset[str]]
    """The same, by the slug with each word's spelling variants made one ("sergey-lavrov")."""
    index: OfficeHolders

    @classmethod
    def build(cls, index: OfficeHolders, gaz: Gazetteer) -> PersonKeys:
        labels = [(q, p.label) for q, p in index.people.items()]
        labels += [(e.qid, e.label) for e in gaz.by_type("Person") if e.qid is not None]
        owners: dict[str, set[str]] = {}
        spellings: dict[str, set[str]] = {}
        keys = cls({}, {}, index)
        for qid, label in labels:
            owners.setdefault(slug(label), set()).add(qid)
            spellings.setdefault(keys.spelling(label), set()).add(qid)
        return cls(
            {k: frozenset(v) for k, v in owners.items()},
            {k: frozenset(v) for k, v in spellings.items()},
            index,
        )

    def spelling(self, label: str) -> str:
        """The slug with each word replaced by its spelling-variant group's ("Andrei" and
        "Andrey" alike), so an unlinked person is one node across transliterations."""
        return "-".join(self.index.variant(w) for w in slug(label).split("-"))

    def key(self, label: str, qid: str | None) -> str:
        """The IRI key of a person: a linked person's canonical label as a slug.

        Linked namesakes get their QID appended (``david-johnston-q41564``). An unlinked person
        gets the slug with spelling variants made one; when that is a linkable person's name,
        :data:`UNLINKED_SUFFIX` is appended, so it never merges with that person's node.
        """
        if qid is not None:
            key = slug(label)
            owners = self.owners.get(key, frozenset())
            return key if owners <= {qid} else f"{key}-{qid.lower()}"
        key = self.spelling(label)
        return f"{key}-{UNLINKED_SUFFIX}" if key in self.spellings else key


@dataclass(frozen=True, eq=False)
class People:
    """What the link stage needs to link people: the office-holder index and the IRI keys."""

    index: OfficeHolders
    keys: PersonKeys
    organisations: frozenset[str]
    """The names the table gives international bodies instead of a state ("UN", "ICJ")."""

    @classmethod
    def build(cls, gaz: Gazetteer, index: OfficeHolders | None = None) -> People:
        """From the shipped table (parsed once per process) unless ``index`` is given."""
        index = index if index is not None else shipped_office_holders()
        bodies = frozenset(
            t.organisation for q in index.people for t in index.terms_of(q) if t.organisation
        )
        return cls(index, PersonKeys.build(index, gaz), bodies)

    def label(self, qid: str, fallback: str) -> str:
        """The table's canonical English label of a QID, else ``fallback``."""
        person = self.index.person(qid)
        return person.label if person is not None else fallback


def link_source(link: PersonLink) -> str:
    """Where a person's QID comes from: the table's rows (their sources) and why they fit."""
    sources = ", ".join(sorted({t.source for t in link.terms}))
    return f"office-holders.tsv ({sources}): {link.reason}"

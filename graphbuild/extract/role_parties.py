"""Parties for office holders the text titles but does not tie to a state or organisation.

"President X", "External Affairs Minister Y": the title is there, the country is not. The
party then comes, in this order, from

1. the sourced office-holder table (:mod:`graphbuild.link.office_holders`): exactly one person
   of that name held an office fitting the title on the article's date (or, without a date, at
   any time); the term's state is the party and the table row is named in the rule;
2. the article itself, at lower confidence: "our" head of state inside a quotation is the
   speaker's; a titled host of a meeting held in a capital, whose guests act for other
   parties, acts for that capital's state.

Where none of them decides, the role is dropped (reason "no-party") rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import (
    GazetteerEntryLike,
    GazetteerLike,
    MentionIndex,
    fold,
)
from graphbuild.extract.roles import RoleFact
from graphbuild.link.office_holders import (
    OfficeCategory,
    OfficeHolders,
    Term,
    shipped_office_holders,
    title_key,
)


@dataclass
class TitledPerson:
    """A person the article gives an office title but no party (yet)."""

    person: int
    title: str
    start: int
    end: int


def office_holders() -> OfficeHolders:
    """The shipped office-holder index, loaded once per process."""
    return shipped_office_holders()


def _expanded(title: str) -> str:
    """The title with an abbreviation written out ("EAM" -> "External Affairs Minister")."""
    return lexicon.ABBREVIATED_TITLES.get(title.strip(), title)


def title_categories(title: str) -> frozenset[OfficeCategory]:
    """Office categories of the table that an office title as written can denote."""
    low = fold(_expanded(title))
    if re.search(r"\b(?:former|ex|late)\b", low):
        return frozenset()
    deputy = re.match(r"(?:deputy|vice|first deputy|acting|assistant|under)\b", low)
    found: set[OfficeCategory] = set()
    if re.search(lexicon.FOREIGN_OFFICE_WORDS, low):
        found.add("foreign minister")
    if not deputy:
        if re.search(lexicon.HEAD_OF_GOVERNMENT_WORDS, low):
            found.add("head of government")
        if re.search(lexicon.HEAD_OF_STATE_WORDS, low):
            found |= {"head of state", "head of government"}
    if re.search(r"\bminister\b|\bsecretary\b", low) and "foreign minister" not in found:
        found |= {"other minister"}
    return frozenset(found)


def _title_head(title: str) -> str | None:
    """The noun that names the office ("ambassador" of "Ambassador to Kenya")."""
    pre = re.split(r"\s+(?:of|for|to|in|on|at)\s+", fold(_expanded(title)))[0]
    words = re.findall(r"[a-z]+", pre)
    return words[-1] if words else None


def term_fits_title(term: Term, title: str) -> bool:
    """Whether a term of the table is an office this title can name."""
    if term.office in title_categories(title):
        return True
    head = _title_head(title)
    return head is not None and head in title_key(term.position_label).split()


_ISO2_CACHE: dict[int, tuple[GazetteerLike, dict[str, GazetteerEntryLike]]] = {}


def _countries_by_iso2(gaz: GazetteerLike) -> dict[str, GazetteerEntryLike]:
    """ISO code -> country entry, built once per gazetteer object."""
    cached = _ISO2_CACHE.get(id(gaz))
    if cached is not None and cached[0] is gaz:
        return cached[1]
    by_type = getattr(gaz, "by_type", None)
    table = {e.iso2: e for e in by_type("Country") if e.iso2} if by_type is not None else {}
    if len(_ISO2_CACHE) > 8:
        _ISO2_CACHE.clear()
    _ISO2_CACHE[id(gaz)] = (gaz, table)
    return table


def party_entry(gaz: GazetteerLike, party: str) -> GazetteerEntryLike | None:
    """The gazetteer entry of a table party: an ISO code, or an organisation's short name."""
    if re.fullmatch(r"[A-Z]{2}", party):
        found = _countries_by_iso2(gaz).get(party)
        if found is not None:
            return found
    entry = gaz.lookup(party)
    return entry if entry is not None and entry.type in ("Country", "Organization") else None


def table_party(
    names: Iterable[str],
    title: str,
    on: dt.date | None,
    gaz: GazetteerLike,
    index: OfficeHolders | None = None,
) -> tuple[GazetteerEntryLike, Term] | None:
    """The party the office-holder table gives a titled person, with the term that decides.

    Each name form is tried, longest first; the person must be the only one of that name in
    the table who held an office fitting the title on ``on`` (or ever, when the article has no
    date or the office is named as the table names it). Every fitting term must be of one party.
    """
    index = index or office_holders()
    for name in sorted(set(names), key=lambda n: -len(n)):
        if len(name.split()) < 2:
            continue
        candidates = index.matches(name)
        if not candidates:
            continue
        fitting: dict[str, list[Term]] = {}
        for qid in candidates:
            terms = [t for t in index.terms_of(qid) if term_fits_title(t, title)]
            current = [t for t in terms if on is not None and t.covers(on)]
            if current:
                fitting[qid] = current
            elif terms and (on is None or not any(t.covers(on) for t in index.terms_of(qid))):
                # a past office named by its title ("President X" in a history paragraph)
                fitting[qid] = terms
        if len(fitting) != 1:
            continue
        ((_qid, terms),) = fitting.items()
        parties = {t.party for t in terms}
        if len(parties) != 1:
            continue
        entry = party_entry(gaz, parties.pop())
        if entry is not None:
            return entry, terms[-1]
    return None


def state_title_party(title: str, gaz: GazetteerLike) -> GazetteerEntryLike | None:
    """The state an office title belongs to when only one state has that office."""
    low = fold(_expanded(title))
    if re.search(r"\b(?:former|ex|late)\b", low):
        return None
    for pattern, iso2 in lexicon.STATE_TITLES:
        if re.search(pattern, low):
            return party_entry(gaz, iso2)
    return None


def table_rule(term: Term) -> str:
    """The rule name of a table decision, naming the row: QID, office, party, term start."""
    start = term.start or "?"
    return f"role.office-holder-table:{term.qid}/{term.party}/{start}"


def titled_without_party(mentions: MentionIndex, roles: list[RoleFact]) -> dict[int, TitledPerson]:
    """Persons with an office title in the text but no party from any rule."""
    with_party = {r.person for r in roles if r.party is not None}
    titled: dict[int, TitledPerson] = {}
    for r in roles:
        if r.title and r.party is None and r.person not in with_party:
            titled.setdefault(r.person, TitledPerson(r.person, r.title, r.start, r.end))
    for m in mentions.person_mentions:
        if m.person in with_party or m.person in titled:
            continue
        t = next((t for t in mentions.titles if 0 <= m.start - t.end <= 2), None)
        if t is not None:
            titled[m.person] = TitledPerson(m.person, t.title, t.start, m.end)
    return titled


def table_roles(
    mentions: MentionIndex,
    roles: list[RoleFact],
    gaz: GazetteerLike,
    reference: dt.date | None,
) -> list[RoleFact]:
    """Roles whose party the office-holder table gives (titled persons without a party)."""
    out: list[RoleFact] = []
    for person, fact in titled_without_party(mentions, roles).items():
        p = mentions.persons[person]
        names = [p.name, *(m.text for m in p.mentions)]
        found = table_party(names, fact.title, reference, gaz)
        if found is not None:
            entry, term = found
            out.append(
                RoleFact(person, fact.title, entry, fact.start, fact.end, table_rule(term), 0.8)
            )
            continue
        state = state_title_party(fact.title, gaz)
        if state is not None:
            out.append(
                RoleFact(person, fact.title, state, fact.start, fact.end, "role.state-title", 0.7)
            )
    return out


def evidence_roles(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    roles: list[RoleFact],
    events: object,
    quotes: list,  # type: ignore[type-arg]
    gaz: GazetteerLike,
) -> tuple[list[RoleFact], list[TitledPerson]]:
    """Roles whose party only the article's own evidence gives, and the titled persons left."""
    party_of = {r.person: r.party for r in roles if r.party is not None}
    out: list[RoleFact] = []
    unresolved: list[TitledPerson] = []
    for person, fact in titled_without_party(mentions, roles).items():
        evidence = _article_party(parsed, mentions, person, party_of, events, quotes, gaz)
        if evidence is None:
            unresolved.append(fact)
            continue
        entry, mention_end, rule = evidence
        end = max(fact.end, mention_end) if fact.start <= mention_end else fact.end
        out.append(RoleFact(person, fact.title, entry, fact.start, end, rule, 0.6))
        party_of[person] = entry
    return out, unresolved


_ACCOMPANIED = re.compile(
    r"\b(?:accompanied|joined|assisted|flanked) by\s+(?:(?:his|her|their)\s+)?"
    r"(?:[\w'’.-]+\s+){0,10}$"
)


def _dateline_capital(parsed: ParsedArticle, gaz: GazetteerLike) -> GazetteerEntryLike | None:
    """The state whose capital a dateline names ("NEW DELHI, Jan 9 -" -> India)."""
    span = parsed.dateline
    if span is None:
        return None
    city = re.match(
        r"\s*([A-ZÀ-Þ][\w .'’-]*?)\s*(?:,|\(|:|\s[-–—])", parsed.text[span[0] : span[1]]
    )
    if city is None:
        return None
    country = gaz.metonym(city.group(1).strip())
    return country if country is not None and country.type == "Country" else None


def _article_party(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    person: int,
    party_of: dict[int, GazetteerEntryLike],
    events: object,
    quotes: list,  # type: ignore[type-arg]
    gaz: GazetteerLike,
) -> tuple[GazetteerEntryLike, int, str] | None:
    """A party the article implies: "our" president in a quote, the delegation someone
    accompanies, a host receiving guests in their own capital."""
    own = mentions.persons[person].mentions
    for q in quotes:
        inside = [m for m in own if q.start <= m.start < q.end]
        if inside and q.speaker in party_of and q.speaker != person:
            return party_of[q.speaker], inside[0].end, "role.speaker-party"
    text = parsed.text
    for m in own:
        sent = parsed.sentences[parsed.sentence_index(m.start)]
        cue = _ACCOMPANIED.search(text[sent.start_char : m.start])
        if cue is None or parsed.in_quote(m.start):
            continue
        cue_at = sent.start_char + cue.start()
        leaders = [
            p
            for p in mentions.person_mentions
            if sent.start_char <= p.start and p.end <= cue_at and p.person != person
        ]
        if leaders and leaders[-1].person in party_of:
            return party_of[leaders[-1].person], m.end, "role.accompanying"
    capital = _dateline_capital(parsed, gaz)
    for ev in getattr(events, "events", ()):
        if ev.kind != "Meeting" or ev.host != person:
            continue
        country = gaz.metonym(ev.place.text) if ev.place is not None else capital
        if country is None or country.type != "Country":
            continue
        others = [party_of.get(p) for p in ev.participants if p != person]
        if others and all(o is not None and o.label != country.label for o in others):
            return country, own[0].end, "role.host-capital"
    return None

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
    Person,
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
    any_office: bool = False  # a counterpart: some office, the same as the other side's
    via: int | None = None  # "X's spokesperson": shares X's party


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
    if re.search(r"\b(?:crown prince|prince|sheikh|emir|amir)\b", low):
        # royal titles: the person's state, whichever office of it they hold
        found |= {"head of state", "head of government", "foreign minister", "other minister"}
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
    if re.match(r"(?i)(?:former|erstwhile|late|then|ex)\b", title.strip()):
        return False
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
    *,
    any_office: bool = False,
    want: GazetteerEntryLike | None = None,
) -> tuple[GazetteerEntryLike, Term] | None:
    """The party the office-holder table gives a titled person, with the term that decides.

    Each name form is tried, longest first; the person must be the only one of that name in
    the table who held an office fitting the title on ``on`` (or ever, when the article has no
    date or the office is named as the table names it). Every fitting term must be of one party.
    """
    index = index or office_holders()
    forms = set(names)
    # a name with two surnames: the table may give one of them
    forms |= {n.rsplit(" ", 1)[0] for n in names if len(n.split()) >= 3}
    for name in sorted(forms, key=lambda n: (-len(n), n)):
        if len(name.split()) < 2:
            continue
        candidates = index.matches(name)
        if not candidates:
            continue
        fitting: dict[str, list[Term]] = {}
        for qid in candidates:
            terms = [t for t in index.terms_of(qid) if any_office or term_fits_title(t, title)]
            if want is not None:
                # the text names the party: only that party's terms confirm it ("Emmanuel
                # Macron" is also co-prince of Andorra)
                terms = [t for t in terms if _party_label(gaz, t.party) == want.label]
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
    return _reigning(names, title, on, gaz, index, want)


_MONARCH_TITLE = re.compile(r"(?i)^(?:the\s+)?(?:king|queen|emir|amir|sultan)$")


def _reigning(
    names: Iterable[str],
    title: str,
    on: dt.date | None,
    gaz: GazetteerLike,
    index: OfficeHolders,
    want: GazetteerEntryLike | None,
) -> tuple[GazetteerEntryLike, Term] | None:
    """ "King X": a monarch is named by one name, which the table gives as a regnal name
    ("X of <State>"); the one head of state of that name reigning on the day."""
    if on is None or not _MONARCH_TITLE.match(title.strip()):
        return None
    found: dict[str, Term] = {}
    for name in names:
        if len(name.split()) != 1:
            continue
        people = index.by_surname(name)
        # the regnal name itself, not a prince named after his father ("Y bin X")
        regnal = [p for p in people if fold(p.label).startswith(f"{fold(name)} of ")]
        for person in regnal:  # (a surname's "King X" may be anyone's: "José X Neves")
            for t in index.terms_of(person.qid):
                if t.office == "head of state" and t.covers(on):
                    found[person.qid] = t
    if len(found) != 1:
        return None
    ((_qid, term),) = found.items()
    entry = party_entry(gaz, term.party)
    if entry is None or (want is not None and entry.label != want.label):
        return None
    return entry, term


def _party_label(gaz: GazetteerLike, party: str) -> str | None:
    entry = party_entry(gaz, party)
    return entry.label if entry is not None else None


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


_PAST_BEFORE = re.compile(
    r"(?i)\b(?:former|erstwhile|late|one-time|onetime|ex)[\s-]+(?:[A-Z][\w'’.-]*\s+){0,3}$"
)


def titled_without_party(
    mentions: MentionIndex, roles: list[RoleFact], text: str = ""
) -> dict[int, list[TitledPerson]]:
    """Persons with an office title in the text but no party from any rule: each one's
    titles, the most specific (longest) first."""
    with_party = {r.person for r in roles if r.party is not None}
    titled: dict[int, list[TitledPerson]] = {}
    for r in roles:
        if r.party is not None or r.person in with_party:
            continue
        if r.title:
            titled.setdefault(r.person, []).append(
                TitledPerson(r.person, r.title, r.start, r.end, via=r.via)
            )
        elif r.rule == "role.counterpart":
            titled.setdefault(r.person, []).append(
                TitledPerson(r.person, "counterpart", r.start, r.end, any_office=True)
            )
    for m in mentions.person_mentions:
        if m.person in with_party:
            continue
        t = next((t for t in mentions.titles if 0 <= m.start - t.end <= 2), None)
        if t is not None and _PAST_BEFORE.search(text[max(0, t.start - 60) : t.start]):
            continue  # "Former German foreign minister X": no office now
        if t is not None and re.fullmatch(r"(?i)officials?", t.title):
            continue  # "the official Xinhua news agency": "official" alone names no office
        if t is not None and not any(f.start == t.start for f in titled.get(m.person, ())):
            titled.setdefault(m.person, []).append(TitledPerson(m.person, t.title, t.start, m.end))
    for facts in titled.values():
        facts.sort(key=lambda f: (f.any_office, -len(f.title), f.start))
    return titled


def table_roles(
    mentions: MentionIndex,
    roles: list[RoleFact],
    gaz: GazetteerLike,
    reference: dt.date | None,
    text: str = "",
) -> list[RoleFact]:
    """Roles whose party the office-holder table gives (titled persons without a party), or
    the title itself when only one state has that office."""
    out: list[RoleFact] = []
    mentioned = {g.entry.label for g in mentions.geo}
    for person, facts in titled_without_party(mentions, roles, text).items():
        p = mentions.persons[person]
        names = [p.name, *(m.text for m in p.mentions), *titled_forms(text, p)]
        found_role = None
        for fact in facts:
            found = table_party(names, fact.title, reference, gaz, any_office=fact.any_office)
            if found is not None:
                entry, term = found
                title = None if fact.any_office else fact.title
                found_role = RoleFact(
                    person, title, entry, fact.start, fact.end, table_rule(term), 0.8
                )
                break
        if found_role is None:
            for fact in facts:
                state = state_title_party(fact.title, gaz)
                # the state must be one the article names ("Secretary of State" is also an
                # office of the Holy See and of British ministers)
                if state is not None and state.label in mentioned:
                    found_role = RoleFact(
                        person, fact.title, state, fact.start, fact.end, "role.state-title", 0.7
                    )
                    break
        if found_role is not None:
            out.append(found_role)
    return out


def confirm_untitled(
    mentions: MentionIndex,
    roles: list[RoleFact],
    gaz: GazetteerLike,
    reference: dt.date | None,
) -> list[RoleFact]:
    """The roles, where a party next to an untitled name ("Ethiopia's X Y") stays only
    when the office-holder table has that person in an office of that party (nationality
    alone is not an office: "Norwegian author X" is not in the table as Norway's)."""
    out: list[RoleFact] = []
    for r in roles:
        if not r.unconfirmed:
            out.append(r)
            continue
        p = mentions.persons[r.person]
        found = table_party(
            [p.name, *(m.text for m in p.mentions)],
            "",
            reference,
            gaz,
            any_office=True,
            want=r.party,
        )
        if found is not None and r.party is not None and found[0].label == r.party.label:
            r.unconfirmed = False
            r.rule = f"{r.rule}+{table_rule(found[1])}"
            out.append(r)
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
    for person, facts in titled_without_party(mentions, roles, parsed.text).items():
        evidence = None
        excluded = _not_of(parsed, mentions, person)
        for fact in facts:
            evidence = _article_party(
                parsed, mentions, fact, party_of, events, quotes, gaz, [*roles, *out]
            )
            if evidence is not None and evidence[0].label in excluded:
                evidence = None  # "X welcomed his Norwegian counterpart": X is not Norwegian
            if evidence is not None:
                break
        if evidence is None:
            unresolved.append(facts[0])
            continue
        entry, mention_end, rule = evidence
        end = max(fact.end, mention_end) if fact.start <= mention_end else fact.end
        out.append(RoleFact(person, fact.title, entry, fact.start, end, rule, 0.6))
        party_of[person] = entry
    return out, unresolved


_HIS_COUNTERPART = re.compile(
    r"\b(?:his|her)\s+(?P<dem>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)?)\s+counterparts?\b"
)


def _not_of(parsed: ParsedArticle, mentions: MentionIndex, person: int) -> set[str]:
    """States a person does not act for: "X met his Norwegian counterpart" -> not Norway."""
    out: set[str] = set()
    for cm in _HIS_COUNTERPART.finditer(parsed.text):
        sent = parsed.sentences[parsed.sentence_index(cm.start())]
        before = [
            m
            for m in mentions.person_mentions
            if sent.start_char <= m.start and m.end <= cm.start() and not parsed.in_quote(m.start)
        ]
        if not before or before[-1].person != person:
            continue
        out |= {
            g.entry.label
            for g in mentions.geo
            if cm.start("dem") <= g.start < cm.end("dem") and g.entry.type == "Country"
        }
    return out


_ACCOMPANIED = re.compile(
    r"\b(?:accompanied|joined|assisted|flanked) by\s+(?:(?:his|her|their)\s+)?"
    r"(?:[\w'’.-]+\s+){0,10}$"
)


_DELEGATION = re.compile(
    r"\b(?:the|The)\s+(?:[A-Z][\w.'’-]*\s+){1,3}(?P<noun>delegation|side|team)\s+"
    r"(?:consisted of|included|comprised|was composed of|was made up of|comprising|including)\b"
)


# A filing place at the very start of an article: "NEW DELHI, Jan 9 (Agency) -", "KUWAIT CITY,
# Oct 8:", "Abu Dhabi:", "ADDIS ABABA, Jan. 3 (Xinhua) --".
_FILED_FROM = re.compile(
    r"\s*(?P<city>[A-ZÀ-Þ][\w'’.-]*(?: [A-ZÀ-Þ][\w'’.-]*){0,2})"
    r"(?:,[^\n:–—]{0,40}?)?(?:\s*\([^)\n]{0,30}\))?\s*(?::|--?|–|—)\s"
)


# Offices of international bodies, not of the state a meeting is held in.
_BODY_OFFICE = re.compile(
    r"(?i)\b(?:secretary[- ]general|director[- ]general|commissioner|high representative|"
    r"special (?:envoy|representative|coordinator)|resident coordinator)\b"
)


# A dateline on a line of its own: "Astana, 17 February 2025".
_DATELINE_LINE = re.compile(
    r"(?m)^[ \t]*(?P<city>[A-ZÀ-Þ][\w'’.-]*(?: [A-ZÀ-Þ][\w'’.-]*){0,2}),[ \t]+"
    r"(?=[^\n]{0,30}\b(?:19|20)\d\d\b)[^\n]{0,40}$"
)


def _dateline_capital(parsed: ParsedArticle, gaz: GazetteerLike) -> GazetteerEntryLike | None:
    """The state whose capital the article is filed from ("NEW DELHI, Jan 9 -" -> India)."""
    start = parsed.dateline[0] if parsed.dateline is not None else 0
    filed = _FILED_FROM.match(parsed.text, start)
    if filed is None:
        # "Head of State receives …\n\nAstana, 17 February 2025\n\n…": a line of its own
        # among the first three
        head = "\n".join(parsed.text.lstrip()[:400].splitlines()[:5])
        filed = _DATELINE_LINE.search(head)
    if filed is None:
        return None
    country = gaz.metonym(filed.group("city").strip())
    return country if country is not None and country.type == "Country" else None


_OTHER_OF = re.compile(
    r"\b(?:and\s+)?(?:several|many|a\s+number\s+of|some|a\s+few|\w+)\s+other\s+"
    r"(?P<dem>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s+(?:diplomats|officials|ministers|delegates|"
    r"representatives|envoys|dignitaries|members)\b"
)
_LIST_OPENS = re.compile(
    r"\b(?:attended\s+by|including|joined\s+by|along\s+with|accompanied\s+by|were|was|"
    r"among\s+them)\b|:"
)
_ATTENDANCE = re.compile(
    r"\b(?:was|were)\s+attended\s+by\b|\b[Aa]lso\s+(?:present|in\s+attendance)\b|"
    r"\bin\s+the\s+presence\s+of\b|\bwere\s+(?:also\s+)?present\b|"
    r"\b[Aa]ttending\s+(?:the\s+\w+\s+)?(?:was|were)\b"
)


def _host_side_attendee(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    own: list,  # type: ignore[type-arg]
    party_of: dict[int, GazetteerEntryLike],
    events: object,
) -> tuple[GazetteerEntryLike, int, str] | None:
    """A titled attendee named in an attendance sentence that follows a meeting whose host
    acts for a state, when no one named in that sentence acts for another state."""
    for m in own:
        si = parsed.sentence_index(m.start)
        sent = parsed.sentences[si]
        if not _ATTENDANCE.search(parsed.text[sent.start_char : m.start]):
            continue
        hosted = [
            ev
            for ev in getattr(events, "events", ())
            if ev.kind == "Meeting"
            and ev.host is not None
            and ev.host in party_of
            and ev.start < sent.start_char
            and si - 3 <= ev.sentence <= si
        ]
        if not hosted:
            continue
        state = party_of[hosted[-1].host]
        if state.type != "Country":
            continue
        named = mentions.persons_in(sent.start_char, sent.end_char)
        # "…, and Y, Saudi Ambassador to the UAE": a guest marked by a state in their own
        # item of the list leaves the unmarked items to the host
        items = _list_items(parsed.text, named, sent.end_char)
        marked = {
            p.person
            for p, (s, e) in zip(named, items, strict=True)
            if any(s <= g.start < e for g in mentions.geo_in(s, e))
        }
        if m.person in marked:
            continue
        if any(
            p.person in party_of
            and party_of[p.person].label != state.label
            and p.person not in marked
            for p in named
        ):
            continue
        in_items = [(s, e) for p, (s, e) in zip(named, items, strict=True) if p.person in marked]
        geo = mentions.geo_in(sent.start_char, sent.end_char)
        if any(
            g.entry.type == "Country"
            and g.entry.label != state.label
            and not any(s <= g.start < e for s, e in in_items)
            for g in geo
        ):
            continue  # "… and the Greek delegation": both sides listed
        return state, m.end, "role.host-side-attendee"
    return None


def _list_items(text: str, named: list, end: int) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    """Each listed person's item: from the name to the next name (or the sentence's end)."""
    starts = [p.start for p in named]
    return [(p.start, starts[i + 1] if i + 1 < len(starts) else end) for i, p in enumerate(named)]


def _semicolon_list_party(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    own: list,  # type: ignore[type-arg]
    party_of: dict[int, GazetteerEntryLike],
) -> tuple[GazetteerEntryLike, int, str] | None:
    """The party of a list of "Name, office" items joined by semicolons, when every other
    listed person whose party is known acts for that one party (at least two of them, or
    one and no other state or body named in the list)."""
    text = parsed.text
    for m in own:
        sent = parsed.sentences[parsed.sentence_index(m.start)]
        items = [
            (sent.start_char + i.start(), sent.start_char + i.end())
            for i in re.finditer(r"[^;]+", text[sent.start_char : sent.end_char])
        ]
        if len(items) < 3:
            continue
        mine = next((i for i in items if i[0] <= m.start < i[1]), None)
        if mine is None or not re.match(r"\s*,", text[m.end : mine[1]]):
            continue  # the item must read "Name, office"
        parties: dict[str, GazetteerEntryLike] = {}
        known = 0
        for s_, e_ in items:
            for p in mentions.persons_in(s_, e_):
                if p.person != m.person and p.person in party_of:
                    parties[party_of[p.person].label] = party_of[p.person]
                    known += 1
        if len(parties) != 1:
            continue
        party = next(iter(parties.values()))
        named = {
            g.entry.label
            for g in mentions.geo_in(items[0][0], items[-1][1])
            if g.entry.type in ("Country", "Organization")
        }
        if known >= 2 or named <= {party.label}:
            return party, m.end, "role.semicolon-list"
    return None


_WELCOME_LEMMAS = frozenset({"welcome", "receive", "host"})


def _welcomes_in_capital(
    parsed: ParsedArticle, mentions: MentionIndex, m: object, gaz: GazetteerLike
) -> GazetteerEntryLike | None:
    """The state of the capital a person, as the subject, welcomed or received a guest to
    or in ("X welcomed his Norwegian counterpart to London")."""
    start = getattr(m, "start", 0)
    if parsed.in_quote(start):
        return None
    tok = parsed.token_at(start)
    if tok is None:
        return None
    head = tok
    for _ in range(4):
        if head.dep_ in ("nsubj",) or head.head is head:
            break
        head = head.head
    if head.dep_ != "nsubj" or head.head.lemma_.lower() not in _WELCOME_LEMMAS:
        return None
    verb = head.head
    sent = verb.sent
    for g in mentions.geo_in(verb.idx, sent.end_char):
        if not re.search(r"\b(?:to|in)\s+$", parsed.text[max(0, g.start - 5) : g.start]):
            continue
        country = gaz.metonym(g.text)
        if (
            country is not None
            and country.type == "Country"
            and g.kind in ("metonym", "capital", "name")
        ):
            if g.entry.type == "Place" or g.kind in ("metonym", "capital"):
                return country
    return None


_ADVISER_TO_OFFICE = re.compile(
    r"(?i)\b(?:adviser|advisor|aide|assistant|counsell?or|secretary|spokes(?:person|man|woman))"
    r"\s+to\s+the\s+(?P<office>(?:prime\s+)?[a-z-]+)$"
)


def _article_party(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    fact: TitledPerson,
    party_of: dict[int, GazetteerEntryLike],
    events: object,
    quotes: list,  # type: ignore[type-arg]
    gaz: GazetteerLike,
    roles_of: list[RoleFact] = (),  # type: ignore[assignment]
) -> tuple[GazetteerEntryLike, int, str] | None:
    """A party the article implies: "our" president in a quote, a leader's spokesperson, the
    delegation someone belongs to or accompanies, a host receiving guests in their capital."""
    person = fact.person
    own = mentions.persons[person].mentions
    text = parsed.text
    # "X T.D.": letters only one state's parliament gives
    for m in own:
        letters = re.match(r"\s*,?\s*(T\.\s?D\.?|TD)(?![\w-])", text[m.end : m.end + 8])
        if letters is not None:
            state = lexicon.STATE_POST_NOMINALS.get(fold(letters.group(1)).replace(" ", ""))
            entry = party_entry(gaz, state) if state else None
            if entry is not None:
                return entry, m.end + letters.end(), "role.post-nominal"
    # "Vice-President Shri X": a form of address only one state's officials use
    for m in own:
        hon = re.search(r"\b(\w+\.?)\s+$", text[max(0, m.start - 12) : m.start])
        state = lexicon.STATE_HONORIFICS.get(fold(hon.group(1))) if hon else None
        entry = party_entry(gaz, state) if state else None
        if entry is not None and fact.start <= m.start <= fact.end:
            return entry, m.end, "role.state-honorific"
    # "Y's spokesperson X", "X, Y's spokesperson"
    if fact.via is not None and fact.via != person and fact.via in party_of:
        return party_of[fact.via], fact.end, "role.possessive-office"
    # "X, Adviser to the Chancellor": the state of the one person holding that office
    served = _ADVISER_TO_OFFICE.search(fact.title)
    if served is not None:
        office = fold(served.group("office"))
        holders = {
            r.party.label: r.party
            for r in roles_of
            if r.person != person
            and r.party is not None
            and r.title
            and fold(r.title).split(" to ")[0].endswith(office)
        }
        if len(holders) == 1:
            return next(iter(holders.values())), fact.end, "role.adviser-to-office"
    # "The U.S. delegation consisted of A; B; C", "the Kenyan side included A and B"
    for m in own:
        sent = parsed.sentences[parsed.sentence_index(m.start)]
        cues = list(_DELEGATION.finditer(text[sent.start_char : m.start]))
        cue = cues[-1] if cues else None
        if cue is None or parsed.in_quote(m.start):
            continue
        lead = [
            g
            for g in mentions.geo
            if sent.start_char + cue.start() <= g.start < sent.start_char + cue.start("noun")
            and g.entry.type in ("Country", "Organization")
        ]
        if len(lead) == 1:
            return lead[0].entry, m.end, "role.delegation-member"
    for q in quotes:
        inside = [m for m in own if q.start <= m.start < q.end]
        if inside and q.speaker in party_of and q.speaker != person:
            return party_of[q.speaker], inside[0].end, "role.speaker-party"
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
    # "X and National Security Adviser Y called on the Sri Lankan leader": one
    # side of a meeting, all of one state, facing people of other states
    if not _BODY_OFFICE.search(fact.title):
        for ev in getattr(events, "events", ()):
            subjects, objects = ev.sides
            if ev.kind not in ("Meeting", "ScheduledMeeting") or person not in subjects:
                continue
            mates = {party_of[p].label: party_of[p] for p in subjects if p in party_of}
            facing = [party_of.get(p) for p in objects]
            if (
                len(mates) == 1
                and len(subjects) >= 2
                and facing
                and all(f is not None and f.label not in mates for f in facing)
            ):
                return next(iter(mates.values())), own[0].end, "role.same-side"
    # "A, B and C and several other Kuwaiti diplomats": the listed are of that state too
    for m in own:
        sent = parsed.sentences[parsed.sentence_index(m.start)]
        for cue in _OTHER_OF.finditer(text, m.end, sent.end_char):
            list_start = max(
                [sent.start_char]
                + [
                    sent.start_char + c.end()
                    for c in _LIST_OPENS.finditer(text[sent.start_char : m.start])
                ]
            )
            lead = [g for g in mentions.geo if cue.start("dem") <= g.start < cue.end("dem")]
            if list_start <= m.start and len(lead) == 1 and lead[0].entry.type == "Country":
                return lead[0].entry, m.end, "role.listed-with-others"
    # "attended by A, Minister of Foreign Affairs; B, Minister of Commerce; C, Saudi
    # Ambassador to Greece": one side's officials listed name by name, each with an office
    listed = _semicolon_list_party(parsed, mentions, own, party_of)
    if listed is not None:
        return listed
    # "The meeting was attended by A, Minister of State; B, …" after a host received a guest:
    # a readout lists the host's side by name
    attendee = _host_side_attendee(parsed, mentions, own, party_of, events)
    if attendee is not None:
        return attendee
    # "X welcomed his Norwegian counterpart to London": a host in their own capital
    for m in own:
        welcomed = _welcomes_in_capital(parsed, mentions, m, gaz)
        if welcomed is not None:
            return welcomed, m.end, "role.host-capital"
    capital = _dateline_capital(parsed, gaz)
    if _BODY_OFFICE.search(fact.title) or re.search(
        r"\b(?:its|the \w+['’]s)\s+$", text[max(0, fact.start - 20) : fact.start]
    ):
        # "the Community's Secretary-General", "the ECOWAS Commission … its President": a
        # body's official is at home nowhere
        return None
    for ev in getattr(events, "events", ()):
        if ev.kind not in ("Meeting", "ScheduledMeeting") or person not in ev.participants:
            continue
        if ev.host != person and (ev.host is not None or len(ev.participants) < 2):
            # "X of Pakistan and Adviser Y held talks in Dhaka": with no host told, the one
            # whose party is unknown, when all the others act for other states, is at home
            continue
        country = gaz.metonym(ev.place.text) if ev.place is not None else None
        if country is None and (ev.place is None or gaz.lookup(ev.place.text) is None):
            country = capital  # no place, or a venue the gazetteer does not know
        if country is None and ev.place is None:
            # "X is paying an official visit to Montenegro … a meeting with Foreign Minister
            # Y": the state the visit is to
            country = _visited_state(parsed, mentions, ev.sentence)
        if country is None or country.type != "Country":
            continue
        others = [party_of.get(p) for p in ev.participants if p != person]
        if others and all(o is not None and o.label != country.label for o in others):
            return country, own[0].end, "role.host-capital"
    return None


_VISIT_TO = re.compile(
    r"\b(?:visit|visits|visited|visiting|trip|tour|arrived|arrives|arrival)\s+"
    r"(?:\w+\s+){0,2}?(?:to|in)\s+(?:the\s+)?$",
    re.I,
)


def _visited_state(
    parsed: ParsedArticle, mentions: MentionIndex, si: int
) -> GazetteerEntryLike | None:
    """The one state a visit told in this sentence or the three before goes to."""
    first = parsed.sentences[max(0, si - 3)].start_char
    last = parsed.sentences[si].end_char
    found = {
        g.entry.label: g.entry
        for g in mentions.geo_in(first, last)
        if g.entry.type == "Country"
        and g.kind == "name"
        and _VISIT_TO.search(parsed.text[max(first, g.start - 40) : g.start])
    }
    return next(iter(found.values())) if len(found) == 1 else None


def untitled_holder(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    roles: list[RoleFact],
    office: str,
    party: GazetteerEntryLike,
    pos: int,
    gaz: GazetteerLike,
    reference: dt.date | None,
) -> tuple[int, Term] | None:
    """The one person named without any office in this sentence or the one before, outside
    quotations, whom the office-holder table has in ``office`` for ``party`` ("the Hungarian
    prime minister" after "Viktor Orbán")."""
    if not title_categories(office):
        return None
    si = parsed.sentence_index(pos)
    first = parsed.sentences[max(0, si - 1)].start_char
    titled = {r.person for r in roles if r.title or r.party is not None}
    candidates = {
        m.person
        for m in mentions.person_mentions
        if first <= m.start < pos and m.person not in titled and not parsed.in_quote(m.start)
    }
    found: list[tuple[int, Term]] = []
    for person in candidates:
        p = mentions.persons[person]
        hit = table_party(
            [p.name, *(m.text for m in p.mentions)], office, reference, gaz, want=party
        )
        if hit is not None and hit[0].label == party.label:
            found.append((person, hit[1]))
    return found[0] if len(found) == 1 else None


_NAME_TITLE = re.compile(r"\b(?:Sheikh|Sheikha|Shaikh|Sultan)\s+$")


def titled_forms(text: str, person: Person) -> set[str]:
    """ "Sheikh X": a one-word name after a title some people bear as part of their
    name is also known by both words, as the office-holder table and readers write it."""
    if " " in person.name:
        return set()
    out = set()
    for m in person.mentions:
        title = _NAME_TITLE.search(text[max(0, m.start - 10) : m.start])
        if title is not None:
            out.add(f"{title.group().strip()} {m.text}")
    return out

"""Offices: who acts for which state or organisation, with the title as written.

Patterns: a title before the name ("Russian Foreign Minister X", "Minister of Foreign Affairs
of the Republic of Y X", "Kazakhstan's President X"), an apposition after it ("X, the Foreign
Minister of Ukraine", "X, Russia's top diplomat"), "his <demonym> counterpart X" (same office
as the other side), distributive lists ("the foreign ministers of A and B, X and Y"), and
definite descriptions that add a party to a known person ("the Turkish leader").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import (
    GazetteerEntryLike,
    GazetteerLike,
    GeoMention,
    MentionIndex,
    PersonMention,
    TitleMention,
)
from graphbuild.extract.party_phrases import BodyEntry, body_party
from graphbuild.extract.person_mentions import NAME_HONORIFIC
from graphbuild.extract.title_mentions import PLURAL_TITLE_RE

_BARE_HONORIFIC = re.compile(rf"{NAME_HONORIFIC}\.?")
_GAP_HONORIFICS = re.compile(rf"^[\s,]*(?:(?:{NAME_HONORIFIC}|His|Her|the)\.?[\s,]*)*$")
_GAP_HONORIFICS_IN_PLACE = re.compile(rf"[\s,]*(?:(?:{NAME_HONORIFIC}|His|Her|the)\.?[\s,]*)*")
"""``_GAP_HONORIFICS`` for ``fullmatch(text, start, end)``: the same gaps, matched without
slicing the text (a slice per title and mention made the rules quadratic in the length)."""
_POSSESSIVE_GAP = re.compile(r"(?:'s|’s)?\s+")
_APPOSITION_GAP = re.compile(r",\s+(?:the\s+)?")


# Between a party and its office: "Israel's new Defence Minister", "the outgoing Kenyan envoy".
_PARTY_GAP = re.compile(
    r"(?:'s|’s)?\s*(?:(?:[Ee]mbassy|High Commission|[Mm]ission)(?:'s|’s)\s+)?(?:the\s+)?"
    r"(?:(?:new|newly[- ]appointed|newly[- ]elected|outgoing|incoming|"
    r"visiting|current|incumbent)\s+)*"
)


@dataclass
class RoleFact:
    person: int
    title: str | None
    party: GazetteerEntryLike | None
    start: int
    end: int
    rule: str
    confidence: float
    via: int | None = None  # "X's spokesperson": the person whose party this office shares
    unconfirmed: bool = False  # a party next to a bare name, not yet known to be an office
    pronoun_at: int | None = None  # "his adviser X": where "his" stands, to be resolved


def _party_before(
    text: str, pos: int, geo: list[GeoMention], gaz: GazetteerLike | None = None
) -> GeoMention | None:
    """A demonym, "Country's" or organisation name directly before ``pos``; a capital with
    "'s" stands for its state ("Washington's envoy")."""
    for g in geo:
        # matched in place: slicing the text up to ``pos`` for every mention before it made
        # this quadratic in the article's length
        if g.end <= pos and _PARTY_GAP.fullmatch(text, g.end, pos):
            if g.entry.type in ("Country", "Organization"):
                return g
            if gaz is not None and re.match(r"'s|’s", text[g.end : g.end + 2]):
                country = gaz.metonym(g.text)
                if country is not None and country.type == "Country":
                    return replace(g, entry=country, kind="metonym")
    return None


_POSTED_IN_GAP = re.compile(r"\s+in\s+(?:the\s+)?")


def _posted_in_gap(text: str, t: TitleMention, m: PersonMention, geo: list[GeoMention]) -> bool:
    """ "Russia's ambassador in London, X", "the UN Resident Coordinator in Ghana, X": the
    place the office is held in stands between the title and the name, then a comma."""
    lead = _POSTED_IN_GAP.match(text, t.end, m.start)
    if lead is None:
        return False
    for g in geo:
        if g.start == lead.end() and g.end < m.start:
            rest = re.match(r",\s+", text[g.end : m.start])
            return rest is not None and bool(
                _GAP_HONORIFICS_IN_PLACE.fullmatch(text, g.end + rest.end(), m.start)
            )
    return False


def _title_before(
    text: str, m: PersonMention, titles: list[TitleMention], mentions: MentionIndex
) -> TitleMention | None:
    fitting = sorted(
        (
            t
            for t in titles
            if t.end <= m.start
            and (
                _GAP_HONORIFICS_IN_PLACE.fullmatch(text, t.end, m.start)
                or (m.start - t.end < 60 and _posted_in_gap(text, t, m, mentions.geo))
            )
        ),
        key=lambda t: -t.end,
    )
    best = fitting[0] if fitting else None
    if len(fitting) > 1 and _BARE_HONORIFIC.fullmatch(fitting[0].title):
        # "Nigeria's Minister of Foreign Affairs, Ambassador X": the office is the first title
        best = fitting[1]
    if (
        best is not None
        and "," in text[best.end : m.start]
        and _follows_name(text, best, mentions)
        and not _list_member_title(text, best, m, titles, mentions)
    ):
        # "A, Kenyan Ambassador to X, B, …": the title belongs to A, not to B
        return None
    return best


_LIST_GOES_ON = re.compile(r",\s|\s+and\s")


def _list_member_title(
    text: str, t: TitleMention, m: PersonMention, titles: list[TitleMention], mentions: MentionIndex
) -> bool:
    """ "brought together Polish Foreign Minister A, the High Representative of the EU, B,
    and C": in a list of titled names, a title of another party after A, already titled with
    his own, is B's."""
    if t.party is None or not _LIST_GOES_ON.match(text, m.end):
        return False
    for p in mentions.person_mentions:
        if p.end > t.start or not _APPOSITION_GAP.fullmatch(text, p.end, t.start):
            continue
        for t0 in titles:
            if t0.end > p.start or not _GAP_HONORIFICS_IN_PLACE.fullmatch(text, t0.end, p.start):
                continue
            party = t0.party or next(
                (
                    g.entry
                    for g in mentions.geo
                    if g.end <= t0.start and _POSSESSIVE_GAP.fullmatch(text, g.end, t0.start)
                ),
                None,
            )
            return party is not None and party.label != t.party.label
    return False


_GOVERNING_WORD = re.compile(
    r"(?P<word>[A-Za-z]+)\s+(?:(?:the|his|her|their|its|a|an)\s+)?(?:[A-Z][\w'’.-]*\s+)*$"
)
_PREPOSITIONS = frozenset(
    {"with", "to", "by", "for", "from", "on", "at", "of", "alongside", "between", "among",
     "after", "before", "during", "welcoming", "meeting", "greeting", "receiving", "hosting"}
)  # fmt: skip


def _fronted_object(parsed: ParsedArticle, phrase_start: int, m: PersonMention) -> bool:
    """ "Greeting the Russian Foreign Minister, X said …" / "In talks with his Turkish
    counterpart, X said …": the titled phrase is the object of a fronted phrase and X, after
    the comma, is the subject of the main clause, so the title is not X's."""
    text = parsed.text
    if "," not in text[phrase_start : m.start]:
        return False
    sent_start = parsed.sentences[parsed.sentence_index(m.start)].start_char
    gov = _GOVERNING_WORD.search(text[max(sent_start, phrase_start - 80) : phrase_start])
    if gov is None:
        return False
    word = gov.group("word").lower()
    if word not in _PREPOSITIONS and not word.endswith("ing"):
        return False
    after = parsed.token_at(m.end + 1) if text[m.end : m.end + 1] == " " else None
    return after is not None and after.pos_ in ("VERB", "AUX")


def _follows_name(text: str, t: TitleMention, mentions: MentionIndex) -> bool:
    """Whether a title stands in apposition after a name ("A, [the] [Kenyan] Minister")."""
    start = t.start
    for g in mentions.geo:
        if g.end <= start and _POSSESSIVE_GAP.fullmatch(text, g.end, start):
            start = g.start
    return any(
        _APPOSITION_GAP.fullmatch(text, p.end, start)
        for p in mentions.person_mentions
        if p.end <= start
    )


def _precedes_name(text: str, t: TitleMention, mentions: MentionIndex) -> bool:
    """Whether a title stands directly before a name ("Minister H.E. B"), so titles B."""
    return any(
        p.start >= t.end
        and "," not in text[t.end : p.start]
        and _GAP_HONORIFICS.match(text[t.end : p.start])
        for p in mentions.person_mentions
        if p.start - t.end < 40
    )


_AFTER_PARTY = re.compile(
    r"(?:'s|’s)?\s*(?:(?:[Ee]mbassy|High Commission|[Mm]ission)(?:'s|’s)\s+)?"
)


def _title_after(  # type: ignore[no-untyped-def]
    text: str,
    m: PersonMention,
    titles: list[TitleMention],
    geo: list[GeoMention],
    mentions: MentionIndex,
):
    """ ", the Foreign Minister of X" / ", Russia's top diplomat" / ", President of X's …"."""
    tail = text[m.end : m.end + 200]
    lead = re.match(
        r",\s+(?:who\s+(?:is|serves\s+as|became|has\s+been|was\s+(?:appointed|named)(?:\s+as)?)"
        r"\s+(?:(?:now|also|currently)\s+)?(?:as\s+)?)?"
        # "X, member of the State Council, Minister of …", "X, Member of the Political
        # Bureau of the … Committee and Foreign Minister": a membership before the office
        r"(?:(?:a\s+)?[Mm]ember\s+of\s+(?:the\s+)?[A-Z][\w'’.-]*"
        r"(?:\s+(?:of\s+the\s+|of\s+|the\s+)?[A-Z][\w'’.-]*){0,8}(?:,\s+|\s+and\s+))?"
        r"(?:the\s+|an?\s+|its\s+|his\s+|her\s+)?",
        tail,
    )
    if not lead:
        return None, None
    pos = m.end + lead.end()
    owner = re.match(r"[^\s,]+(?:\s[A-Z][^\s,]*){0,3}?(?:'s|’s)\s+", text[pos : pos + 60])
    if owner and any(p.start == pos for p in mentions.person_mentions):
        pos += owner.end()  # "X, Y's spokesperson"
    party = None
    for g in geo:
        if g.start == pos and g.entry.type in ("Country", "Organization"):
            rest = text[g.end : g.end + 4]
            if re.match(r"(?:'s|’s)?\s", rest):
                party = g
                # "X, the US Embassy's chargé d'affaires": the mission's office is the state's
                pos = _AFTER_PARTY.match(text, g.end).end()  # type: ignore[union-attr]
    # "X, his emergency relief coordinator", "X, Diplomatic Adviser to …": words before the
    # office, never a verb's or a preposition's phrase, nor a name
    mods = (
        re.match(
            r"(?:(?!(?:of|to|for|with|and|in|at|on|by)\s)[a-z][\w-]*\s+){1,3}", text[pos : pos + 50]
        )
        if lead.group(0).strip(", \n")
        else re.match(r"(?:[A-Z][a-z]+\s+){1,2}", text[pos : pos + 40])
    )
    if mods is not None and not any(t.start == pos for t in titles):
        ends = [pos + w.end() for w in re.finditer(r"\S+\s+", mods.group(0))]
        at = next((e for e in ends if any(t.start == e for t in titles)), None)
        named = at is not None and (
            any(pos <= p.start < at for p in mentions.person_mentions)
            or any(pos <= g.start < at for g in geo)
        )
        if at is not None and not named:
            pos = at
    for t in titles:
        if t.start == pos:
            if _precedes_name(text, t, mentions):  # "A, Croatian Foreign Minister B"
                return None, None
            if re.match(r"(?:'s|’s)(?!\w)", text[t.end : t.end + 3]):
                return None, None  # "X, the head of state's residence": the title owns X
            return t, party
    return None, None


_BARE_OFFICIAL = re.compile(r"(?i)\bofficials?$")
_ENVOY = re.compile(r"(?i)\b(?:ambassador|envoy|permanent representative|delegate)\b")
_SPOKES = re.compile(r"(?i)^(?:deputy |chief |official |acting )?spokes(?:person|man|woman)$")
_MINISTRY_BEFORE = re.compile(
    r"(?P<body>(?:[A-Z][\w'’.-]*\s+){0,3}(?:Ministry|Department|Office)"
    r"(?:\s+of(?:\s+the)?(?:\s+(?:[A-Z][\w'’.-]*|and|&)){1,6})?)"
    r"(?:\s+\((?P<acro>[A-Z][A-Za-z]{1,9})\))?,?\s+$"
)


_ITS = re.compile(
    r"\b(?:(?:its|Its)\s+|(?:the|The)\s+(?:[A-Z][\w-]+\s+)?(?:country|nation|kingdom|republic)"
    r"(?:'s|’s)\s+)(?:own\s+|new\s+|top\s+)?$"
)
_STATE_OFFICE = re.compile(
    r"(?i)\b(?:ambassador|envoy|minister|representative|spokes(?:person|man|woman)|"
    r"foreign secretary|secretary of state|secretary[- ]general)\b"
)


def _its_party(
    parsed: ParsedArticle, t: TitleMention, geo: list[GeoMention]
) -> GazetteerEntryLike | None:
    """ "Russia appeared unfazed. Its Ambassador, X, …": the state the text just named.

    Only for a state's offices, and only when the sentence so far and the one before name
    one state (or body) and nothing else it could refer to."""
    text = parsed.text
    if not _ITS.search(text[max(0, t.start - 40) : t.start]) or not _STATE_OFFICE.search(t.title):
        return None
    si = parsed.sentence_index(t.start)
    first = parsed.sentences[max(0, si - 1)].start_char
    named = {
        g.entry.label: g.entry
        for g in geo
        if first <= g.start < t.start
        and g.kind in ("name", "metonym")
        and g.entry.type in ("Country", "Organization")
        and not parsed.in_quote(g.start)
    }
    if len(named) == 1:
        return next(iter(named.values()))
    # "Chile has signed a deal with Poland. The country's foreign minister …": the state
    # that opens the sentence before, as its subject
    prev = parsed.sentences[max(0, si - 1)]
    if si == 0:
        return None
    opening = next(
        (
            g
            for g in geo
            if prev.start_char <= g.start < prev.end_char
            and g.kind == "name"
            and g.entry.type == "Country"
        ),
        None,
    )
    if opening is None or text[prev.start_char : opening.start].strip():
        return None
    tok = parsed.token_at(opening.start)
    if tok is None or tok.dep_ != "nsubj" or any(c.dep_ == "conj" for c in tok.children):
        return None  # "Peru and Chile disagreed": no one state to refer to
    return opening.entry


def _ministry_before(text: str, t: TitleMention) -> tuple[BodyEntry, int] | None:
    """ "Chinese Foreign Ministry spokesperson", "Ministry of External Affairs (MEA)
    spokesperson": a spokesperson speaks for the ministry, which is their party."""
    if not _SPOKES.match(t.title):
        return None
    m = _MINISTRY_BEFORE.search(text[max(0, t.start - 90) : t.start])
    if m is None:
        return None
    body = m.group("body")
    start = t.start - len(m.group(0)) + (m.start("body") - m.start(0))
    lead = re.match(r"(?:The|the)\s+", body)
    if lead:
        body, start = body[lead.end() :], start + lead.end()
    acro = (m.group("acro"),) if m.group("acro") else ()
    return BodyEntry(body, acro), start


def _possessor(text: str, pos: int, mentions: MentionIndex) -> int | None:
    """The person whose office this is: "Y's spokesperson" -> Y."""
    for p in mentions.person_mentions:
        if p.end < pos and re.fullmatch(
            r"(?:'s|’s)\s+(?:(?:new|top|chief|senior)\s+)?", text[p.end : pos]
        ):
            return p.person
    return None


_ADVISER_TO = re.compile(
    r"(?i)\b(?:adviser|advisor|aide|assistant|counsell?or|secretary|spokes(?:person|man|woman))"
    r"\s+to\s+(?:the\s+)?"
)


def _served_state(text: str, t: TitleMention, geo: list[GeoMention]) -> GazetteerEntryLike | None:
    """ "Adviser to the UAE President": the state of the office served, named in the title."""
    to = _ADVISER_TO.search(text, t.start, t.end)
    if to is None:
        return None
    for g in geo:
        if to.end() <= g.start < t.end and g.entry.type == "Country":
            return g.entry
    return None


def _joined_before(text: str, t: TitleMention, titles: list[TitleMention]) -> list[TitleMention]:
    """Offices with a party of their own joined to ``t`` by "and" before it."""
    out: list[TitleMention] = []
    start = t.start
    for t0 in sorted((x for x in titles if x.end <= start), key=lambda x: -x.end):
        if not re.fullmatch(r"\s+and\s+(?:the\s+)?", text[t0.end : start]):
            break
        if t0.party is None or (t.party is not None and t0.party.label == t.party.label):
            break
        out.append(t0)
        start = t0.start
    return out


def _their(text: str, pos: int) -> int | None:
    """Where "his"/"her" stands right before an office ("X, his adviser"), if it does."""
    before = text[max(0, pos - 50) : pos]
    # "his emergency relief coordinator"; not "her credentials to President X"
    m = re.search(
        r"\b(?:his|her|His|Her)\s+"
        r"(?:(?!(?:to|of|for|with|at|in|on|by|from|and|or|the|a|an)\s)[a-z][\w-]*\s+){0,3}$",
        before,
    )
    return pos - len(before) + m.start() if m else None


def _office_for(text: str, t: TitleMention, mentions: MentionIndex) -> int | None:
    """The person an office serves: "X, the spokesperson for Guterres" -> Guterres."""
    if not _SERVES.search(t.title):
        return None
    for p in mentions.person_mentions:
        if p.start > t.end and re.fullmatch(r"\s+(?:for|to|of)\s+", text[t.end : p.start]):
            return p.person
    return None


_SERVES = re.compile(
    r"(?i)\b(?:spokes(?:person|man|woman)|adviser|advisor|aide|deputy|chief of staff|"
    r"coordinator|secretary)$"
)
_PAST = re.compile(r"(?i)\b(?:former|erstwhile|late|one-time|onetime|then|ex)(?:\s+|-)")


def _past_office(text: str, fact: RoleFact) -> bool:
    """Whether a role's title is marked as one the person no longer holds."""
    if fact.title and _PAST.match(fact.title):
        return True
    before = text[max(0, fact.start - 16) : fact.start]
    if re.search(r"(?i)\b(?:former|erstwhile|late|one-time|onetime|then|ex)[\s-]+$", before):
        return True
    span = text[fact.start : fact.end]
    return bool(re.search(r"(?i),\s+(?:the\s+|a\s+)?(?:former|erstwhile|then)\b", span))


_BODY_BEFORE = re.compile(
    r"(?<![\w'’.-])(?P<body>(?:[A-Z][\w'’.-]*\s+){1,3}(?:Commission|Secretariat|Council))\s+$"
)


def _office_before(
    text: str,
    t: TitleMention,
    titles: list[TitleMention],
    geo: list[GeoMention],
    gaz: GazetteerLike,
) -> tuple[GazetteerEntryLike, int] | None:
    """The party of what stands right before an office: "UN Secretary-General spokesperson
    X" (the office served, with its party), "ECOWAS Commission President X" (a body)."""
    for t0 in titles:
        if t0.end < t.start and text[t0.end : t.start] == " " and _SERVES.search(t.title):
            if t0.party is not None:
                return t0.party, t0.start
            g = _party_before(text, t0.start, geo, gaz)
            if g is not None:
                return g.entry, g.start
    body = _BODY_BEFORE.search(text[max(0, t.start - 60) : t.start])
    if body is not None:
        entry = body_party(body.group("body"))
        if entry is not None:
            return entry, t.start - len(body.group(0)) + body.start("body")
    return None


def _party_after(text: str, m: PersonMention, geo: list[GeoMention]) -> GeoMention | None:
    """ "X of Nepal", "X of the United Kingdom", "X (Nepal)": a state or body named right
    after the name."""
    lead = re.match(r"\s+of\s+(?:the\s+)?|\s*\((?=[^()]+\))", text[m.end : m.end + 12])
    if lead is None:
        return None
    pos = m.end + lead.end()
    bracketed = lead.group().strip().startswith("(")
    for g in geo:
        if g.start == pos and g.kind == "name" and g.entry.type in ("Country", "Organization"):
            if bracketed and text[g.end : g.end + 1] != ")":
                return None  # "X (Nepal's envoy)": not the state alone
            if re.match(r"(?:'s|’s)", text[g.end : g.end + 2]):
                return None  # "X of Nepal's …" is another phrase
            return g
    return None


def extract_roles(
    parsed: ParsedArticle, mentions: MentionIndex, gaz: GazetteerLike
) -> list[RoleFact]:
    text = parsed.text
    facts: list[RoleFact] = []
    untitled: list[RoleFact] = []
    geo = mentions.geo
    for m in mentions.person_mentions:
        t = _title_before(text, m, mentions.titles, mentions)
        if t is not None and _fronted_object(parsed, t.start, m):
            t = None
        if (
            t is not None
            and t.party is None
            and _BARE_OFFICIAL.search(t.title)
            and _party_before(text, t.start, geo, gaz) is None
            and _office_before(text, t, mentions.titles, geo, gaz) is None
        ):
            t = None  # "the official Xinhua news agency": "official" needs its party
        if t is not None:
            party_entry = t.party
            start, end = t.start, m.end
            if party_entry is None:
                ministry = _ministry_before(text, t)
                if ministry is not None:
                    party_entry, start = ministry
            if party_entry is None:
                g = _party_before(text, t.start, geo, gaz)
                if g is not None and g.entry.type == "Organization" and _ENVOY.search(t.title):
                    # "Russia's UN ambassador": the body receives the envoy, the state sends
                    sender = _party_before(text, g.start, geo, gaz)
                    if sender is not None and sender.entry.type == "Country":
                        g = sender
                if g is not None:
                    party_entry = g.entry
                    start = g.start
            if party_entry is None:
                # "Malaysian King Sultan X": a title right before the title takes its party
                for t0 in mentions.titles:
                    if t0.end + 1 == t.start and text[t0.end] == " ":
                        g = _party_before(text, t0.start, geo, gaz)
                        party_entry = t0.party or (g.entry if g is not None else None)
                        if party_entry is not None:
                            start = g.start if t0.party is None and g is not None else t0.start
                        break
            if party_entry is None:
                before = _office_before(text, t, mentions.titles, geo, gaz)
                if before is not None:
                    party_entry, start = before
            if party_entry is None:
                g = _party_after(text, m, geo)
                if g is not None:
                    party_entry, end = g.entry, g.end
            rule = "role.title-before-name"
            if party_entry is None:
                served = _served_state(text, t, geo)
                if served is not None:
                    party_entry = served  # "Diplomatic Adviser to UAE President X"
            if party_entry is None:
                its = _its_party(parsed, t, geo)
                if its is not None:
                    party_entry, start, rule = its, t.start, "role.its-office"
            via = _possessor(text, t.start, mentions) if party_entry is None else None
            fact = RoleFact(m.person, t.title, party_entry, start, end, rule, 0.9, via)
            if party_entry is None and via is None:
                fact.pronoun_at = _their(text, t.start)
            facts.append(fact)
            facts += [RoleFact(m.person, t2, p2, start, end, rule, 0.85) for t2, p2 in t.also]
            for t0 in _joined_before(text, t, mentions.titles):
                # "Speaker of the Assembly of A and President of B, X": both offices
                facts.append(RoleFact(m.person, t0.title, t0.party, t0.start, end, rule, 0.85))
            continue
        t2, g2 = _title_after(text, m, mentions.titles, geo, mentions)
        if t2 is not None and not (t2.party or g2) and _BARE_OFFICIAL.search(t2.title):
            t2 = None  # "X, an official at the ministry": no office the text names
        if t2 is not None:
            party_entry = t2.party or (g2.entry if g2 is not None else None)
            if party_entry is None:
                party_entry = _served_state(text, t2, geo)
            via = None
            if party_entry is None:
                via = _possessor(text, t2.start, mentions)
                if via is None:
                    via = _office_for(text, t2, mentions)
            fact = RoleFact(
                m.person, t2.title, party_entry, m.start, t2.end, "role.apposition", 0.85, via
            )
            if party_entry is None and via is None:
                fact.pronoun_at = _their(text, t2.start)
            facts.append(fact)
            facts += [
                RoleFact(m.person, t3, p3, m.start, t2.end, "role.apposition", 0.8)
                for t3, p3 in t2.also
            ]
            continue
        # "Austrian X" / "Uruguay's X" / "X Y of Ethiopia" without a title
        g = _party_before(text, m.start, geo)
        leader = None
        if g is None:
            # "Libyan leader X": "leader" is no office by itself ("opposition leader"), so
            # only the office-holder table can confirm it, as for a bare name
            leader = re.search(
                r"(?:^|\s)(?:leader|strongman|ruler)\s+$", text[max(0, m.start - 12) : m.start]
            )
            if leader is not None:
                g = _party_before(text, m.start - len(leader.group(0)), geo)
        if (
            g is not None
            and g.kind in ("demonym", "name")
            and (leader is not None or text[g.end : m.start].strip() in ("'s", "’s", ""))
            and not re.search(r"\bto\s+(?:the\s+)?$", text[max(0, g.start - 8) : g.start])
        ):
            untitled.append(
                RoleFact(m.person, None, g.entry, g.start, m.end, "role.party-before-name", 0.7)
            )
            continue
        g = _party_after(text, m, geo)
        if g is not None:
            untitled.append(
                RoleFact(m.person, None, g.entry, m.start, g.end, "role.party-after-name", 0.7)
            )
    facts += _counterparts(parsed, mentions, facts)
    facts += _distributive(parsed, mentions, gaz)
    facts += _plural_titles(parsed, mentions, facts)
    # A past office is no role ("former Algerian Foreign Minister X", "X, a former president")
    facts = [f for f in facts if not (f.title and _past_office(text, f))]
    # Nationality is not an office ("Norwegian author X", "Brazil's Neymar"): a party next to
    # a bare name counts only for a person the article gives an office somewhere else.
    titled = {f.person for f in facts if f.title}
    parties = {(f.person, f.party.label) for f in facts if f.title and f.party is not None}
    has_party = {person for person, _ in parties}
    for f in untitled:
        if f.person in has_party and (f.person, f.party.label) not in parties:  # type: ignore[union-attr]
            continue
        if f.person not in titled:
            f.unconfirmed = True  # kept only if the office-holder table confirms the party
        facts.append(f)
    return facts


_DEM = r"[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2}"
_COUNTERPART = re.compile(
    rf"\b(?:(?:his|her|their|its)\s+(?:(?P<dems>{_DEM}(?:(?:,\s+|,?\s+and\s+){_DEM})*)\s+)?"
    # "Peruvian counterpart X": without "his", only after a demonym that starts the phrase
    rf"|(?P<bare>{_DEM})\s+(?=counterparts?\s+[A-Z])"
    # "set to host counterpart X": no possessive after a verb of meeting
    r"|(?:host|hosts|hosted|hosting|meet|meets|met|meeting|welcome|welcomes|welcomed|"
    r"receive|receives|received|receiving)\s+(?=counterparts?\s+[A-Z]))"
    # "her counterpart from Chile, X" / "his counterpart of the Republic of Korea (ROK), X";
    # "his Uruguayan colleague X" (a colleague only with the state named)
    r"(?P<noun>counterpart|colleague)s?(?:\s+(?:from|of)\s+(?:the\s+)?"
    r"(?P<after>[A-Z][\w'’.-]*(?:\s+(?:(?:of|and|the)\s+){0,2}[A-Z][\w'’.-]*){0,5})"
    r"(?:\s+\([A-Z][A-Za-z .]{1,12}\))?)?"
    r"(?:\b|(?<=\))),?\s*"
)


def _counterparts(
    parsed: ParsedArticle, mentions: MentionIndex, facts: list[RoleFact]
) -> list[RoleFact]:
    """ "his Kazakh counterpart X": X holds the same office for the named country."""
    text = parsed.text
    out: list[RoleFact] = []
    for cm in _COUNTERPART.finditer(text):
        group = next((k for k in ("dems", "bare", "after") if cm.group(k)), None)
        dem_geo = (
            [
                g
                for g in mentions.geo
                if cm.start(group) <= g.start < cm.end(group)
                and g.entry.type in ("Country", "Organization")
            ]
            if group is not None
            else []
        )
        if group == "bare" and len(dem_geo) != 1:
            continue
        if cm.group("noun") == "colleague" and not dem_geo:
            continue  # "his colleague X" may be a colleague at home
        names = [m for m in mentions.person_mentions if cm.end() <= m.start < cm.end() + 160]
        # the names that follow directly, in a list
        listed: list[PersonMention] = []
        pos = cm.end()
        for m in names:
            gap = text[pos : m.start]
            if listed and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
                break
            if not listed and not re.fullmatch(
                r"[\s,]*(?:(?:[A-Z][\w.-]*|of|for|to|and|the)\s+){0,12}", gap
            ):
                break
            listed.append(m)
            pos = m.end
            if len(listed) == max(1, len(dem_geo)):
                break
        if not listed or _fronted_object(parsed, cm.start(), listed[0]):
            continue
        # office of the other side: the titled person earlier in the sentence
        sent = parsed.sentences[parsed.sentence_index(cm.start())]
        other_title = None
        for f in facts:
            if sent.start_char <= f.start < cm.start() and f.title:
                other_title = re.split(r"\s+to\s+", f.title)[0]
        explicit = {f.person: f for f in facts if f.title and cm.end() <= f.start <= pos}
        for i, m in enumerate(listed):
            g = dem_geo[i] if i < len(dem_geo) else (dem_geo[0] if len(dem_geo) == 1 else None)
            party = g.entry if g is not None else None
            if m.person in explicit:
                if explicit[m.person].party is None and party is not None:
                    explicit[m.person].party = party
                continue
            out.append(
                RoleFact(m.person, other_title, party, cm.start(), m.end, "role.counterpart", 0.8)
            )
    return out


_PLURAL_TITLE = (
    r"(?P<title>(?:foreign|defence|defense|finance|trade|prime)\s+ministers|presidents|"
    r"ministers of foreign affairs|leaders|heads of state|foreign secretaries)"
)
_DISTRIBUTIVE = re.compile(
    rf"\b(?:the\s+)?{_PLURAL_TITLE}\s+of\s+(?P<parties>[^,.;]+?(?:,\s+[^,.;]+?)*"
    r"\s+and\s+[A-Z][^,.;]*?)\s*,\s+",
    re.I,
)
# "the Japanese and South Korean foreign ministers, X and Y"
_DISTRIBUTIVE_DEMONYMS = re.compile(
    r"\b(?:the|The)\s+(?P<parties>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?(?:,\s+[A-Z][\w-]+"
    r"(?:\s[A-Z][\w-]+)?)*,?\s+and\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)\s+"
    + _PLURAL_TITLE.replace("(?P<title>", "(?P<title>(?i:")
    + r")\s*,\s+"
)


def _distributive(
    parsed: ParsedArticle, mentions: MentionIndex, gaz: GazetteerLike
) -> list[RoleFact]:
    """ "the foreign ministers of A and B, X and Y": pair parties and names in order."""
    text = parsed.text
    out: list[RoleFact] = []
    matches = [*_DISTRIBUTIVE.finditer(text), *_DISTRIBUTIVE_DEMONYMS.finditer(text)]
    for dm in matches:
        parties = [g for g in mentions.geo if dm.start("parties") <= g.start < dm.end("parties")]
        listed: list[PersonMention] = []
        pos = dm.end()
        for m in mentions.person_mentions:
            if m.start < pos:
                continue
            gap = text[pos : m.start]
            if listed and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
                break
            if not listed and gap.strip():
                break
            listed.append(m)
            pos = m.end
        if len(listed) != len(parties) or len(listed) < 2:
            continue
        title = _singular_title(dm.group("title"))
        for g, m in zip(parties, listed, strict=True):
            out.append(
                RoleFact(m.person, title, g.entry, dm.start(), m.end, "role.distributive", 0.8)
            )
    return out


def _singular_title(plural: str) -> str:
    low = plural.lower()
    if low.startswith("ministers of"):
        return "Minister" + plural[len("ministers") :]
    words = plural.split()
    words[-1] = re.sub(r"s$", "", words[-1])
    return " ".join(w.capitalize() if w.islower() else w for w in words)


def _plural_titles(
    parsed: ParsedArticle, mentions: MentionIndex, facts: list[RoleFact]
) -> list[RoleFact]:
    """ "Presidents A and B", "Cabinet Secretaries A and B", "Foreign Ministers A of X and B
    of Y": each name in the list holds the office; a party per name or one for all."""
    text = parsed.text
    out: list[RoleFact] = []
    titled = {f.person for f in facts if f.title}
    for pm in PLURAL_TITLE_RE.finditer(text):
        title = lexicon.PLURAL_HEADS[" ".join(pm.group("title").lower().split())]
        shared = None
        if pm.group("dem"):
            dem = [g for g in mentions.geo if g.start == pm.start("dem") and g.end == pm.end("dem")]
            if len(dem) == 1 and dem[0].entry.type in ("Country", "Organization"):
                shared = dem[0].entry
            elif pm.group("dem")[:1].isupper() and not dem:
                pass  # "Foreign Ministers": the first word is the title's own
        listed: list[PersonMention] = []
        pos = pm.end()
        for m in mentions.person_mentions:
            if m.start < pos:
                continue
            gap = text[pos : m.start]
            if listed and not re.fullmatch(
                r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’ -]*?|\s*\([A-Z][\w'’ -]*\))?"
                r"\s*(?:,|and|,\s*and)\s*",
                gap,
            ):
                break
            if not listed and gap.strip():
                break
            listed.append(m)
            pos = m.end
        if len(listed) < 2:
            continue
        for m in listed:
            if m.person in titled:
                continue
            after = _party_after(text, m, mentions.geo)
            party = after.entry if after is not None else shared
            end = after.end if after is not None else m.end
            out.append(RoleFact(m.person, title, party, pm.start(), end, "role.plural-title", 0.8))
    return out

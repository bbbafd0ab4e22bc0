"""Office titles and the party each one names ("Minister of Foreign Affairs of X").

A title is cut where a name or an honorific begins, and its "of <party>" is split off; the
person rules find names after titles, so titles are read first and their word lists are
shared with the name rules.
"""

from __future__ import annotations

import re

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import (
    GazetteerEntryLike,
    GazetteerLike,
    GeoMention,
    TitleMention,
    fold,
)
from graphbuild.extract.party_phrases import (
    BODY_RUN,
    MISSION_OF,
    BodyEntry,
    acronym_bodies,
    body_party,
    defined_body,
    resolve_party_phrase,
    side_party,
)

_OFFICE_HEAD_WORDS = frozenset(fold(h.split()[-1]) for h in lexicon.OFFICE_HEADS)
_SERVED_OFFICE_WORDS = frozenset(
    fold(w) for h in (*lexicon.OFFICE_HEADS, *lexicon.TITLE_PREFIXES) for w in h.split()
)

TITLE_WORDS = (
    {fold(w) for head in lexicon.OFFICE_HEADS for w in head.split()}
    | {fold(w) for p in lexicon.PORTFOLIOS for w in p.split()}
    | {fold(w) for plural in lexicon.PLURAL_HEADS for w in plural.split()}
)


def _either_case(phrase: str) -> str:
    """A regex matching a phrase in title case or lower case, word by word ("[Ff]oreign")."""
    out = []
    for word in phrase.split(" "):
        first = word[:1]
        if first.isalpha() and first.upper() != first.lower():
            out.append(f"[{first.upper()}{first.lower()}]{re.escape(word[1:])}")
        else:
            out.append(re.escape(word))
    return " +".join(out)


def _alternatives(phrases: object) -> str:
    unique = sorted({str(p) for p in phrases}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(_either_case(p) for p in unique)


def _title_regex() -> re.Pattern[str]:
    """Office titles in title or lower case: prefixes, portfolios, a head, "of/for/to ..."."""
    # "UN chief", "EU foreign policy chief": lower-case only ("Chief" before a name is a
    # Nigerian honorific, and a prefix of longer offices)
    head = (
        _alternatives(lexicon.OFFICE_HEADS)
        # "the head of the Chilean delegation": in lower case only before "of"
        + "|chief|head(?= +of +)|"
        + "|".join(re.escape(h) for h in lexicon.CAPITALISED_HEADS)
    )
    abbreviations = "|".join(re.escape(a) for a in lexicon.TITLE_ABBREVIATIONS)
    port = _alternatives([*lexicon.PORTFOLIOS, *lexicon.PORTFOLIO_WORDS])
    prefixes = _alternatives(lexicon.TITLE_PREFIXES)
    cap = r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|\([A-Z][A-Za-z]+\))"
    low = rf"(?:{_alternatives(lexicon.PORTFOLIO_WORDS | lexicon.BODY_WORDS)})"
    part = rf"(?:{cap}|{low})"
    joiner = (
        r"(?: +|, +| +and +(?:the +)?| +& +| +(?:of|for|on|to|in +charge +of) +(?:the +)?"
        r"| +with +the +(?=[A-Z]))"
    )
    # "Vice-Minister"; "Minister Delegate in charge of Trade"
    core = (
        rf"(?:(?:{prefixes})(?: +|-))*(?:(?:{port})(?: +(?:and|&) +| +))*(?:{head})"
        # "Chargé d'Affaires a.i." (ad interim)
        r"(?: +a\.i\.| +ad +interim)?"
        rf"(?: +(?:of|for|to|in +charge +of) +(?:the +)?{part}(?:{joiner}{part})*)?"
    )
    return re.compile(
        rf"(?<![\w-])(?:(?:{core})(?: +and +(?:{core}))?|(?:{abbreviations})(?= +[A-Z@]))"
        r"(?![\w-])"
    )


TITLE_RE = _title_regex()
# A plural title before a list of names ("Presidents A and B", "Kenyan Cabinet Secretaries A
# and B"), with the word before it in ``dem`` (a demonym or country, if it is one).
PLURAL_TITLE_RE = re.compile(
    r"(?:(?P<dem>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})\s+)??(?<![\w-])(?P<title>"
    + "|".join(
        r"\s+".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in k.split())
        for k in sorted(lexicon.PLURAL_HEADS, key=len, reverse=True)
    )
    + r")\s+(?=[A-Z])"
)

_HONORIFIC_CUT = re.compile(
    r",?\s+(?:H\.\s?E\.?|HE|HH|H\.H\.|Sheikh|Sheikha|Shaikh|Prince|Princess|Sayyid|Shri|Smt\.?|"
    r"Dr\.?|Ms\.?|Mr\.?|Mrs\.?|Madam|Sir|Dame|Lord|Eng\.|Hon\.|Prof\.?|His|Her)(?![\w-])"
)
_ROYAL = re.compile(r"(?i)\b(?:crown prince|prince|emir|amir|ruler|king|sultan)$")
_THEIR_DEPUTY = re.compile(r"\b(?:his|her|their)\s+(?P<title>deputy)\s+(?=[A-Z])")
# ("in charge of" and "with the" come into a title only through the title pattern's joiners)
TITLE_CONNECTORS = frozenset(
    {"and", "&", "of", "for", "on", "to", "the", ",", "in", "charge", "with"}
)


def _trim_title_tail(
    raw: str,
    start: int,
    geo_spans: list[tuple[int, int]],
    named: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> str:
    """Cut a title's "of/for/to ..." part before words that are not an office's or a body's.

    Portfolio and body words, parties the gazetteer knows and acronyms belong to the title;
    two unknown capitalised words in a row are a name the title ran into ("Minister of
    Foreign Affairs Geoffrey Onyeama"), and so is an unknown last word.
    """
    first = re.search(r"\s+(?:of|for|to)\s+", raw)
    if first is None:
        return raw
    keep = first.start()
    unknown_run = 0
    serving = False
    for w in re.finditer(r"\([^)\s]+\)|[^\s,]+|,", raw[first.start() :]):
        word = w.group(0)
        if len(word) > 1 and word[-1] in ".;:" and not re.fullmatch(r"(?:[A-Z]\.)+", word):
            word = word[:-1]
        ws, we = first.start() + w.start(), first.start() + w.start() + len(word)
        folded = fold(word).strip(".")
        known = (
            folded in TITLE_CONNECTORS
            or folded in lexicon.PORTFOLIO_WORDS
            or folded in lexicon.BODY_WORDS
            # "Adviser to the President", "Assistant Foreign Minister for the First Deputy
            # Prime Minister's Office": the office served, in its own title words
            or (
                (folded in _OFFICE_HEAD_WORDS or folded in _SERVED_OFFICE_WORDS)
                and word[:1].isupper()
                and (
                    re.search(r"\s(?:to|for)\s+(?:the\s+)?$", raw[: first.start() + w.start()])
                    is not None
                    or serving
                )
            )
            or bool(re.fullmatch(r"\([A-Z][A-Za-z]{1,9}\)|[A-Z]{2,8}|(?:[A-Z]\.){2,4}", word))
            or any(gs <= start + ws and start + we <= ge for gs, ge in geo_spans)
            or any(ns <= start + ws and start + we <= ne for ns, ne in named)
        )
        # a run of the served office's words goes on only word by word, and never past the
        # end of a sentence ("… Adviser to UAE President. Austrian Chancellor X")
        serving = (
            known
            and word[:1].isupper()
            and (folded in _SERVED_OFFICE_WORDS or folded in _OFFICE_HEAD_WORDS or serving)
            and not w.group(0).endswith(".")
        ) or (folded in ("and", "&") and serving)
        if known:
            unknown_run = 0
            if folded not in TITLE_CONNECTORS:
                keep = we
            continue
        unknown_run += 1
        if unknown_run >= 2:
            break
    return raw[:keep]


def find_titles(
    parsed: ParsedArticle,
    gaz: GazetteerLike,
    blocked: list[tuple[int, int]],
    geo: list[GeoMention] | None = None,
) -> list[TitleMention]:
    """Office titles, cut where a name or honorific begins, with "of <party>" split off.

    The title keeps what follows the party when it names the receiving side ("Ambassador of
    A to B" is the title "Ambassador to B" for party A).
    """
    text = parsed.text
    geo_spans = [(g.start, g.end) for g in geo or ()]
    # places, bodies and nationalities the parser found ("and the Pacific") may end a title
    named = [
        (e.start_char, e.end_char) for e in parsed.doc.ents if e.label_ in ("LOC", "NORP", "FAC")
    ]
    # "Commander of the Royal Army of Oman (RAO)", later "Head of the RAO"
    defined = acronym_bodies(text)
    named += [(s, e) for _, _, s, e in defined]
    named += [m.span() for m in BODY_RUN.finditer(text)]
    acronyms: dict[str, str] = {}
    for letters, name, _, _ in defined:
        acronyms.setdefault(letters, name)
    out: list[TitleMention] = []
    pos = 0
    while True:
        m = TITLE_RE.search(text, pos)
        if m is None:
            break
        start, end = m.span()
        pos = end
        # never run into a person's name or an honorific
        for bs, _be in blocked:
            if start < bs < end:
                end = bs
        raw = text[start:end]
        for hon in _HONORIFIC_CUT.finditer(raw):
            if re.search(r"(?i)crown$", raw[: hon.start()]) and "Prince" in hon.group(0):
                continue  # "Crown Prince" is the office
            raw = raw[: hon.start()]
            break
        raw = _trim_title_tail(raw.rstrip(" ,"), start, geo_spans, named).rstrip(" ,")
        # "the spokesperson for Kiptoo": a name cut off after the title leaves its preposition
        raw = re.sub(r"(?:\s+(?:of|for|to|and|&|the))+$", "", raw)
        # split off "of <party>"
        party = None
        party_span = None
        title = raw
        also: list[tuple[str, GazetteerEntryLike]] = []
        for om in re.finditer(r"\s+(?:of|for)\s+", raw):
            if om.group(0).strip() == "for" and _MISSION.search(raw[: om.start()]):
                continue  # "the UN envoy for Yemen": Yemen is the mission, not the sender
            rest = raw[om.end() :]
            words = re.split(r"(?<=[^\s,]) (?=\S)", re.split(r",|\s+to\s+", rest)[0])
            for k in range(len(words), 0, -1):
                phrase = " ".join(words[:k])
                mission = MISSION_OF.match(phrase)
                entry = (
                    resolve_party_phrase(phrase, gaz)
                    # "Chargé d'Affaires of the Embassy of Peru": the state the mission is of
                    or (resolve_party_phrase(mission.group("state"), gaz) if mission else None)
                    or body_party(phrase)
                    or defined_body(phrase, acronyms)
                    or side_party(phrase, gaz)
                )
                if entry is None and _ROYAL.search(raw[: om.start()]):
                    capital = gaz.metonym(
                        phrase.removeprefix("the ")
                    )  # "Crown Prince of Abu Dhabi"
                    entry = capital if capital is not None and capital.type == "Country" else None
                if entry is not None:
                    party = entry
                    p_start = start + om.end()
                    party_span = (p_start, p_start + len(phrase))
                    after = raw[om.end() + len(phrase) :]
                    acro = re.match(r" ?\([A-Z][A-Za-z]{1,9}\)", after)
                    if acro:  # "… of the Gulf (GCC)"
                        after = after[acro.end() :]
                    title = raw[: om.start()]
                    second = _second_office(after, gaz)
                    if second is not None:
                        also.append(second)  # "… of A and President of B"
                    elif re.match(r"\s+to\s+", after) or _portfolio_words_only(after):
                        # "Ambassador of A to B"; "High Representative of the EU for Foreign
                        # Relations": what follows the party is the rest of the office
                        title += after
                    elif "," in after or re.search(r"\band\b", after):
                        raw = raw[: len(raw) - len(after)]
                    # else "Assistant Secretary for U.S. Department of State's Bureau of …
                    # Affairs, X": the rest names the party's own department; the span keeps
                    # it, so the name after it is titled
                    break
            if party is not None:
                break
        if party is None:
            acro = re.search(r"\(([A-Z][A-Za-z]{1,9})\)", raw)
            if acro:
                entry = resolve_party_phrase(acro.group(1), gaz)
                if entry is not None:
                    party = entry
                    party_span = (start + acro.start(1), start + acro.end(1))
                    pre = re.search(r"\s+(?:of|for)\s+", raw)
                    title = raw[: pre.start()] if pre else raw[: acro.start()]
                    raw = raw[: acro.end()]
        if party is None and "," in title and not re.search(r"\s(?:of|for)\s", title):
            title = title.split(",")[0]
            raw = title
        if party is None:
            # "Director General United Nations Office in Nairobi (UNON)": a body the article
            # names with its acronym, right after the office without "of"
            title_end = start + len(raw)
            body = next(
                (
                    (name, letters, s_, e_)
                    for letters, name, s_, e_ in defined
                    if s_ == title_end + 1 and text[title_end] == " "
                ),
                None,
            )
            if body is not None:
                party = BodyEntry(body[0], (body[1],))
                party_span = (body[2], body[3])
        if party is None and not _POSTED_IN.search(title):
            # "Commander of Royal Land Forces in the Kingdom of Saudi Arabia": the state the
            # office is in, for any office but one posted abroad ("Ambassador in Rome")
            located = _located_in(text, start + len(raw), gaz)
            if located is not None:
                party, party_span = located
        title = title.strip()
        if given_name_not_title(text, start, 2) and fold(title) in lexicon.GIVEN_NAME_TITLES:
            pos = end
            continue
        # what the title does not keep is scanned again ("…, Jordanian Ambassador to Peru")
        pos = max(start + 1, start + len(raw))
        if not title:
            continue
        out.append(TitleMention(start, start + len(raw), title, party, party_span, also))
    # "accompanied by his deputy X"
    for m in _THEIR_DEPUTY.finditer(text):
        if not any(t.start <= m.start("title") < t.end for t in out):
            out.append(TitleMention(m.start("title"), m.end("title"), m.group("title")))
    out.sort(key=lambda t: t.start)
    return out


_MISSION = re.compile(r"(?i)\b(?:envoy|representative|coordinator|rapporteur)$")
# Offices held abroad or for a body: "in <state>" names where they serve, not whom for
_POSTED_IN = re.compile(
    r"(?i)\b(?:ambassador|envoy|representative|coordinator|rapporteur|consul|charg[ée]|"
    r"commissioner|attach[ée]|delegate|nuncio|emissary|director|head of mission)"
)


def _located_in(
    text: str, pos: int, gaz: GazetteerLike
) -> tuple[GazetteerEntryLike, tuple[int, int]] | None:
    """A state named by " in (the) <state>" right after ``pos``, and where it stands."""
    lead = re.match(r" +in +", text[pos : pos + 8])
    if lead is None:
        return None
    at = pos + lead.end()
    words = re.match(
        r"(?:the +)?[A-Z][\w'’.-]*(?: +(?:of +(?:the +)?)?[A-Z][\w'’.-]*){0,5}", text[at : at + 120]
    )
    if words is None:
        return None
    parts = words.group(0).split(" ")
    for k in range(len(parts), 0, -1):
        phrase = " ".join(parts[:k])
        entry = resolve_party_phrase(phrase, gaz)
        if entry is not None and entry.type == "Country":
            return entry, (at, at + len(phrase))
    return None


_SECOND_OFFICE = re.compile(
    r"\s+and\s+(?:the\s+)?(?P<title>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\s+of\s+"
    r"(?P<party>(?:the\s+)?[A-Z].*?)(?:\s+\([A-Z][A-Za-z]{1,9}\))?$"
)


def _second_office(after: str, gaz: GazetteerLike) -> tuple[str, GazetteerEntryLike] | None:
    """ " and President of the Inter-Parliamentary Union (IPU)" after a first office's party:
    a second office with a party of its own."""
    m = _SECOND_OFFICE.match(after)
    if m is None or not TITLE_RE.fullmatch(m.group("title")):
        return None
    phrase = m.group("party")
    entry = resolve_party_phrase(phrase, gaz) or body_party(phrase)
    return (m.group("title"), entry) if entry is not None else None


_PERSONAL_HONORIFIC_BEFORE = re.compile(r"(?:H\.\s?E\.?|Mr\.?|Dr\.?|Ms\.?|Mrs\.?)\s+$")


def given_name_not_title(text: str, pos: int, words_left: int) -> bool:
    """ "H.E. Amir Ramin": a title word that is a given name after a personal honorific."""
    word = re.match(r"(\S+)\s+(\S+)?", text[pos : pos + 40])
    if word is None or fold(word.group(1)) not in lexicon.GIVEN_NAME_TITLES or words_left < 2:
        return False
    # "Prince Sultan bin Saad": a name word that starts a patronymic chain
    nasab = word.group(2) is not None and fold(word.group(2)) in {"bin", "ibn", "bint", "ben"}
    return (
        nasab
        or _PERSONAL_HONORIFIC_BEFORE.search(text[max(0, pos - 8) : pos]) is not None
        # "party committee member Amir Hossain X": after a noun for a person, a given name
        or _PERSON_NOUN_BEFORE.search(text[max(0, pos - 16) : pos]) is not None
    )


_PERSON_NOUN_BEFORE = re.compile(
    r"\b(?:member|leader|official|lawmaker|legislator|politician|spokes(?:man|woman|person)|"
    r"adviser|advisor|aide|activist|journalist|candidate|colleague|editor|MP|son|brother)\s+$"
)


def _portfolio_words_only(text: str) -> bool:
    """Whether a stretch of a title is made of portfolio words ("Foreign Relations and
    Security Policy")."""
    words = [fold(w).strip(".,'’") for w in text.split()]
    return (
        bool(words)
        and all(w in lexicon.PORTFOLIO_WORDS or w in TITLE_CONNECTORS for w in words)
        and any(w in lexicon.PORTFOLIO_WORDS for w in words)
    )

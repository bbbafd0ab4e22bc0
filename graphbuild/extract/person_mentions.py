"""Where the article names a person: the spans of person names.

Names come from the NER model, from the words after an office title, a counterpart or a
form of address, and from full names the office-holder table knows. Each candidate span is
trimmed of honorifics, titles and possessives, and checked against what the parser and the
title rules take for people (offices, clubs, buildings, a dateline's city, a headline).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.geo_mentions import names_a_team
from graphbuild.extract.mentions import GazetteerLike, GeoMention, PersonMention, TitleMention, fold
from graphbuild.extract.party_phrases import acronym_bodies
from graphbuild.extract.title_mentions import (
    PLURAL_TITLE_RE,
    TITLE_CONNECTORS,
    TITLE_RE,
    TITLE_WORDS,
    find_titles,
    given_name_not_title,
)

NAME_PARTICLES = {
    "bin",
    "bint",
    "ibn",
    "al",
    "el",
    "de",
    "da",
    "do",
    "dos",
    "das",
    "van",
    "von",
    "der",
    "den",
    "du",
    "la",
    "le",
    "ben",
    "y",
    "del",
    "di",
    "ould",
    "abu",
    "st.",
}
# Months that are also surnames ("Theresa May"): a name's later word unless a day follows.
_MONTH_SURNAMES = frozenset({"May", "June", "April", "August"})
_NAME_SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii"}
NOT_NAME = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|The|A|An|On|In|At|"
    r"During|After|Before|His|Her|Their|Our|Its|We|They|He|She|It|This|That|These|Those)$"
)
_FACILITY_WORDS = {
    "palace",
    "diwan",  # a royal court or government office ("the General Diwan of the Ministry")
    "chancellery",
    "house",
    "pavilion",
    "hall",
    "office",
    "centre",
    "center",
    "building",
    "square",
    "hotel",
    "airport",
    "ministry",
    "street",
    "university",
    "institute",
    "council",
    "union",
    "bank",
    "fund",
    "organisation",
    "organization",
    "forum",
    "summit",
    "committee",
    "party",
    "agency",
    "strait",
    "straits",
    "sea",
    "river",
    "mountains",
    "island",
    "islands",
    "gulf",
    "coast",
    "region",
    "province",
    "city",
    "treaty",
    "declaration",
    "agreement",
    "act",
    "accord",
    "protocol",
    "memorandum",
    "initiative",
    "programme",
    "program",
    "plan",
    "corridor",
    "embassy",
    "consulate",
    "commission",
    "airlines",
    "airways",
    "group",
    "holdings",
    "corporation",
    "corp",
    "corp.",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "plc",
    "company",
    "club",
    "fc",
    "college",
    "school",
    "hospital",
    "stadium",
    "arena",
    "news",
    "times",
    "television",
    "radio",
    "network",
    "foundation",
    "association",
    "federation",
    "league",
    "cup",
    "championship",
    "games",
    "motors",
    "energy",
    "oil",
    "petroleum",
    "telecom",
    "media",
    "press",
    "tribune",
    "herald",
    "gazette",
    "post",
    "journal",
    "daily",
    "online",
    "exchange",
    "market",
    "port",
    "base",
    "parliament",
    "assembly",
    "senate",
    "congress",
    "government",
    "department",
    "directorate",
    "secretariat",
    "court",
    "police",
    "army",
    "navy",
    "guard",
    "forces",
    "meeting",
    "meetings",
    "conference",
    "session",
    "talks",
    "dialogue",
    "ministerial",
    "visit",
    "ceremony",
    "reception",
    "week",
    # clubs whose names look like a person's ("Manchester United")
    "united",
    "rovers",
    "athletic",
    "wanderers",
    "albion",
    "hotspur",
    # buildings, roads and sights named after people ("Sheikh Zayed Road", "Al Jalali Fort")
    "fort", "fortress", "castle", "citadel", "museum", "mosque", "church", "cathedral",
    "temple", "shrine", "mausoleum", "memorial", "monument", "library", "theatre", "theater",
    "tower", "towers", "gate", "garden", "gardens", "road", "avenue", "boulevard",
    "highway", "causeway", "bridge", "canal", "residence", "camp", "barracks", "academy",
    "complex", "terminal", "station", "pier", "village", "resort", "mall", "bhavan", "bhawan",
}  # fmt: skip

# Words that open the name of a building or place ("Schloss Bellevue", "Palacio San Martín").
_FACILITY_FIRST_WORDS = frozenset(
    {
        "schloss",
        "palais",
        "palacio",
        "palazzo",
        "chateau",
        "castle",
        "fort",
        "mount",
        "lake",
        "cape",
        "bait",
        "beit",
        "qasr",
        "masjid",
        "wadi",
        "jebel",
        "jabal",
        "bab",
        "souq",
        "souk",
        "istana",
        "casa",
        "quinta",
    }
)

_NAME_TRAILERS = frozenset({"t.d.", "t.d", "td", "mp", "m.p.", "kc", "qc", "mla", "mna"})

_STYLE_PHRASE = re.compile(rf"{lexicon.NAME_STYLE_PHRASES}(?:\s+|$)")


_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "and", "or", "of", "on", "in", "at", "by", "for", "with", "to", "from",
     "his", "her", "their", "its", "this", "that", "as", "but", "also", "mr", "mrs", "ms"}
)  # fmt: skip


def _given_name_like_a_stop_word(text: str, pos: int, words: list[re.Match[str]]) -> bool:
    word = words[0].group(0)
    if not word[:1].isupper() or word.lower().rstrip(".") in _FUNCTION_WORDS or len(words) < 3:
        return False
    if not all(w.group(0)[:1].isupper() for w in words[1:3]):
        return False
    before = text[max(0, pos - 3) : pos]
    return bool(re.search(r"[a-z,]\s+$", before))  # mid-sentence, after a word or comma


def _clean_person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim honorifics, titles, post-nominals and possessives off a candidate name span."""
    span = text[start:end]
    words = list(re.finditer(r"\S+", span))
    changed = True
    while words and changed:
        changed = False
        while (
            words
            and words[0].group(0).lower() in STOP_WORDS
            and words[0].group(0) not in ("Jr.",)
            # "ambassador Else Y Z": a capitalised word mid-sentence before two
            # more capitalised ones is a given name, not "else"
            and not _given_name_like_a_stop_word(text, start + words[0].start(), words)
            # "A K Abdul Momen": an initial, not the article
            and not (
                words[0].group(0) == "A"
                and len(words) > 1
                and re.fullmatch(r"[A-Z]\.?", words[1].group(0))
            )
        ):
            words.pop(0)
            changed = True
        style = _STYLE_PHRASE.match(span, words[0].start()) if words else None
        if style is not None:
            # "Air Chief Marshal X", "Tan Sri X": a style of several words
            rest = [w for w in words if w.start() >= style.end()]
            if not rest:
                return None
            words = rest
            changed = True
        while words and (
            fold(words[0].group(0)).rstrip(",") in lexicon.HONORIFICS
            or fold(words[0].group(0)).rstrip(",") in lexicon.NAME_STYLES
            or fold(words[0].group(0)) in TITLE_WORDS
            or words[0].group(0).rstrip(",") in lexicon.TITLE_ABBREVIATIONS
        ):
            if given_name_not_title(text, start + words[0].start(), len(words)):
                break
            words.pop(0)
            changed = True
        if words and not given_name_not_title(text, start + words[0].start(), len(words)):
            # "Sports Minister X": a whole title at the start
            title = TITLE_RE.match(span, words[0].start())
            if title is not None and title.end() < len(span):
                rest = [w for w in words if w.start() >= title.end()]
                if rest and len(rest) < len(words):
                    words = rest
                    changed = True
    while words and fold(words[-1].group(0)).rstrip(",") in {"'s", "’s"}:
        words.pop()
    while len(words) > 1 and fold(words[-1].group(0)).rstrip(",;:") in _NAME_TRAILERS:
        words.pop()
    if not words:
        return None
    s = start + words[0].start()
    e = start + words[-1].end()
    while e > s and text[e - 1] in ",;:)":
        e -= 1
    if text[e - 2 : e] in ("'s", "’s"):
        e -= 2
    elif e - s > 2 and text[e - 1] in "'’" and text[e - 2] in "sSzZ":
        e -= 1  # "Guterres’ announcement": the possessive, not part of the name
    if e <= s:
        return None
    return s, e


# Words of a title, never of a name on their own ("Vice-Minister", "Deputy-President").
_TITLE_ONLY_WORDS = lexicon.ROLE_NOUNS | {"vice", "deputy", "first", "acting", "chief", "prime"}


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or any(ch.isdigit() for ch in text):
        return False
    if all(fold(w) in _TITLE_ONLY_WORDS for w in re.split(r"[\s-]+", text) if w):
        return False
    if NOT_NAME.match(words[0]) and not (
        words[0] == "A" and len(words) > 2 and re.fullmatch(r"[A-Z]\.?", words[1])
    ):
        return False
    if fold(words[-1]) in _FACILITY_WORDS or (
        len(words) > 1 and fold(words[0]) in _FACILITY_FIRST_WORDS
    ):
        return False
    if words[0][:1] in "'‘ʻ" and re.search(r"\w['’‘]$", text):
        return False  # a word in single quotes ("'Peace'"), not an ʻokina
    words = [w.lstrip("'‘ʻ") for w in words]
    caps = [w for w in words if w[:1].isupper()]
    return bool(caps) and all(
        w[:1].isupper()
        or fold(w) in NAME_PARTICLES
        or fold(w) in _NAME_SUFFIXES
        or re.match(r"(?:al|el|ad|ul|bin|ben)-[A-Z]", w)
        for w in words
    )


NAME_HONORIFIC = (
    rf"(?:{lexicon.NAME_STYLE_PHRASES}|H\.\s?E\.?|HE|HH|H\.\s?H\.?|H\.R\.H\.|HRH|"
    r"His +(?:Royal +)?(?:Excellency|Highness|Majesty)|"
    r"Her +(?:Royal +)?(?:Excellency|Highness|Majesty)|Excellency|Sheikh|Sheikha|Shaikh|"
    r"Prince|Princess|Sayyid|Sayed|Shri|Shrimati|Smt\.?|Dr\.?|Ms\.?|Mr\.?|Mrs\.?|Mme\.?|"
    r"Madam|Sir|Dame|Lord|Lady|Eng\.?|Engr\.?|Hon\.?|Honourable|Honorable|Prof\.?|"
    r"Professor|Ambassador|General|Gen\.?|Lt\.?|Col\.?|Maj\.?|Brig\.?|Capt\.?|Comrade|"
    r"HM|Commodore|Admiral|Colonel|Brigadier|Lieutenant|Datuk|Dato['’]?|Datin|Alhaji|Alhaja|"
    r"Ratu|Archbishop|Cardinal|Bishop|Monsignor|Rev\.?|Reverend|Senator|Sen\.|Amb\.|"
    r"honou?rable)"
)
NAME_PARTICLE = (
    r"(?:bin|bint|ibn|al|el|de|da|do|dos|das|du|di|la|le|van|von|der|den|ben|del|della|ould|"
    r"abu|y|zu|ter|ten)"
)
# a capitalised word, also after an ʻokina written as an apostrophe ("'Aisake", "‘Utoikamanu")
_NAME_WORD = r"(?:['‘ʻ](?=[A-Z][a-z]))?[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*"
NAME_RE = rf"(?:{_NAME_WORD})(?:\s+(?:{NAME_PARTICLE}\s+)*(?:al-|el-)?{_NAME_WORD})*"


def _common_plural(doc: Doc, start: int, end: int) -> bool:
    """A one-word span the tagger reads as a plural noun with an ending no name has
    ("Passports", "Agreements"): a capitalised word of the name of a thing."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    tok = span[0]
    return tok.tag_ in ("NNS", "NNPS") and tok.lower_.endswith(
        ("ports", "ments", "tions", "ities", "ships")
    )


def _name_after(text: str, pos: int) -> tuple[int, int] | None:
    """A capitalised name starting at ``pos`` (after optional honorifics)."""
    m = re.match(
        rf"(?:[ ,]*{NAME_HONORIFIC}(?![\w-])\.?)*(?: +|, +)({NAME_RE})",
        text[pos:],
    )
    if not m:
        return None
    s, e = pos + m.start(1), pos + m.end(1)
    return s, e


def _after_leading_party(text: str, start: int, end: int, geo: list[GeoMention]) -> tuple[int, int]:
    """A name span without the state the parser ran into it ("of Ghana Kofi Mensah").

    A demonym at the start always goes ("Ghanaian Kofi Mensah"); a country's name only after
    "of" or "'s"-less office wording, since "Jordan" or "Georgia" also start names.
    """
    for g in geo:
        if (
            g.kind == "demonym"
            and g.start < start < g.end < end
            and g.entry.type == "Country"
            and re.fullmatch(r"\s+", text[g.end : g.end + 1])
        ):
            # "Saudi Arabian King X": the parser's span began inside the demonym
            return g.end + 1, end
        if g.start != start or g.end >= end or g.entry.type not in ("Country", "Organization"):
            continue
        if g.kind == "demonym" or re.search(
            r"\bof\s+(?:the\s+)?$|(?i:ambassador|envoy|counterpart|representative|consul)\s+to\s+"
            r"(?:the\s+)?$",
            text[max(0, start - 30) : start],
        ):
            rest = re.match(r"\s+", text[g.end : end])
            if rest is not None and text[g.end + rest.end() : end][:1].isupper():
                return g.end + rest.end(), end
    return start, end


def _is_headline(line: str) -> bool:
    """A line in headline case ("German Minister Urges Peace Talks"): no final stop, most
    longer words capitalised."""
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if len(words) < 3 or line.rstrip().endswith((".", '"', "”", ":")):
        return False
    long = [w for w in words if len(w) > 3]
    return bool(long) and sum(w[:1].isupper() for w in long) >= 0.75 * len(long)


_INNER_HONORIFIC = re.compile(
    r"Sheikh|Sheikha|Shaikh|Dr\.?|H\.E\.?|Mr\.?|Mrs\.?|Ms\.?|Shri|Smt\.?|Excellency"
)


def _office_words_only(name: str) -> bool:
    """Whether a would-be name is made of office and ministry words ("Diaspora Affairs")."""
    office_words = lexicon.PORTFOLIO_WORDS | lexicon.BODY_WORDS | TITLE_WORDS
    words = [fold(w).strip(".,'’") for w in name.split()]
    return all(w in office_words or w in TITLE_CONNECTORS for w in words)


def _plausible_person(parsed: ParsedArticle, start: int, end: int, name: str) -> bool:
    """Guards against what the parser and the title rules take for people: words of offices
    and ministries, sports clubs, a dateline's city, a headline's capitalised words."""
    words = [fold(w).strip(".,'’") for w in name.split()]
    if _office_words_only(name):
        return False  # "Diaspora Affairs"
    if (
        len(words) == 1
        and re.fullmatch(r"[A-Z][A-Za-z]{0,6}", name)
        and sum(c.isupper() for c in name) >= 2
    ):
        return False  # an acronym ("MoFA", "MEA"), not a name
    if words[0] in lexicon.CLUB_WORDS or words[-1] in lexicon.CLUB_WORDS:
        return False
    dateline = parsed.dateline
    if dateline is not None and dateline[0] <= start and end <= dateline[1]:
        if name.isupper() or len(words) == 1:
            return False  # "MERU, Jun 2 -"
    paragraph = parsed.paragraph_of(start)
    if paragraph >= 0:
        p_start, p_end = parsed.paragraphs[paragraph]
        if _is_headline(parsed.text[p_start:p_end]):
            # a name in a headline is one the body repeats
            body = parsed.text[:p_start] + parsed.text[p_end:]
            return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body) is not None
    return True


_POSSESSIVE_GAP = re.compile(r"(?:'s|’s)?\s+")
"""Matched in place (``fullmatch(text, start, end)``): slicing the text for every place
before every title made this quadratic in the article's length."""


_MISTYPED_LABELS = frozenset({"ORG", "FAC", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "LOC"})


def _known_holders_mistyped(parsed: ParsedArticle) -> list[tuple[int, int]]:
    """Names the parser typed as a body or place ("Ethiopia's X Y" as an ORG) that the
    sourced office-holder table has as a person's full name."""
    from graphbuild.link.office_holders import shipped_office_holders

    out: list[tuple[int, int]] = []
    index = None
    for ent in parsed.doc.ents:
        if ent.label_ not in _MISTYPED_LABELS and ent.label_ not in _RUN_ON_LABELS:
            continue
        if "\n" in ent.text or fold(ent[-1].text) in _FACILITY_WORDS:
            continue
        whole = ent.label_ in _MISTYPED_LABELS and 2 <= len(ent) <= 5
        words = ent.text.split()
        if whole and all(w[:1].isupper() or fold(w) in NAME_PARTICLES for w in words):
            index = index or shipped_office_holders()
            if index.matches(ent.text):
                out.append((ent.start_char, ent.end_char))
                continue
        # "the Russian Federation X Y", "the Foreign Ministers of Belarus - X Y": a state's
        # name run into the person's; the table's whole name at the end
        for size in (4, 3, 2):
            if len(ent) <= size:
                continue
            tail = ent[-size:]
            if not all(t.text[:1].isupper() or fold(t.text) in NAME_PARTICLES for t in tail):
                continue
            index = index or shipped_office_holders()
            if "full name" in index.matches(tail.text).values():
                out.append((tail.start_char, tail.end_char))
                break
    return out


# Entity types the parser gives a list of offices and names run together ("the Foreign
# Ministers of the Republic of Belarus - X": LAW)
_RUN_ON_LABELS = frozenset({"LAW", "EVENT"})


def find_persons(
    parsed: ParsedArticle,
    gaz: GazetteerLike,
    geo: list[GeoMention],
) -> tuple[list[PersonMention], list[TitleMention]]:
    """Person name mentions (NER + names after titles) and the titles around them."""
    text = parsed.text
    candidates: list[tuple[int, int]] = []
    for ent in parsed.doc.ents:
        if ent.label_ == "PERSON":
            cleaned = _clean_person_span(text, ent.start_char, ent.end_char)
            if cleaned and not _office_words_only(text[cleaned[0] : cleaned[1]]):
                candidates.append(_after_leading_party(text, *cleaned, geo))
    candidates += _known_holders_mistyped(parsed)
    titles = find_titles(parsed, gaz, candidates, geo)
    anchors = [t.end for t in titles]
    for t in titles:
        # "Chile's ambassador in Warsaw, X": the name after the place the office is held in
        posted = re.match(r"\s+in\s+(?:the\s+)?", text[t.end : t.end + 12])
        if posted is not None:
            at = t.end + posted.end()
            anchors += [g.end + 1 for g in geo if g.start == at and text[g.end : g.end + 1] == ","]
    for cm in re.finditer(r"\bcounterparts?\b,?", text):
        anchors.append(cm.end())
        # "her Ethiopian counterpart to Kenya Meles Alem": the name after the posting
        post = re.match(r"\s+(?:to|in|at|from|of)\s+(?:the\s+)?", text[cm.end() : cm.end() + 12])
        if post is not None:
            at = cm.end() + post.end()
            anchors += [g.end for g in geo if g.start == at]
            # "her counterpart from Chile, X"
            anchors += [g.end + 1 for g in geo if g.start == at and text[g.end : g.end + 1] == ","]
    anchors += [m.end("title") for m in PLURAL_TITLE_RE.finditer(text)]
    for t in titles:
        # "X, the Foreign Minister", "X, Norway's foreign minister", "X, the Kenyan envoy"
        t_start = t.start
        for g in geo:
            if g.end <= t.start and _POSSESSIVE_GAP.fullmatch(text, g.end, t.start):
                t_start = g.start
        before = re.search(
            rf"((?:{_NAME_WORD}|al-[A-Z][\w'’-]*)(?: +(?:{NAME_PARTICLE} +)*(?:al-|el-)?"
            # "X, the lead climate negotiator": a word or two may modify the office
            rf"{_NAME_WORD})+), +(?:the +|an? +)?(?:(?!(?:of|to|for|and|in|at)\b)[a-z]+ +){{0,2}}$",
            text[max(0, t_start - 80) : t_start],
        )
        if before:
            s0 = t_start - len(before.group(0)) + before.start(1) - before.start(0)
            e0 = s0 + len(before.group(1))
            # "Kenyan President A, the host": the name is what follows the last title in it
            inner = [t2 for t2 in titles if s0 <= t2.start and t2.end < e0]
            if inner:
                s0 = max(t2.end for t2 in inner)
            while True:
                lead = next((g for g in geo if g.start <= s0 < g.end), None)
                word = re.match(r"\s*\S+\s+", text[s0:e0])
                if lead is None or word is None:
                    break
                s0 = max(s0 + word.end(), lead.end)
            cleaned = _clean_person_span(text, s0, e0)
            if cleaned:
                candidates.append(cleaned)
    for anchor in anchors:
        after = _name_after(text, anchor)
        if after is None:
            continue
        cleaned = _clean_person_span(text, *after)
        if cleaned:
            candidates.append(cleaned)
    candidates += _names_after_honorifics(text)
    # a name followed by ", the <title>" or "'s": NER sometimes tags these as places
    geo_spans = [(g.start, g.end) for g in geo]
    bodies = [(bs, be) for _, _, bs, be in acronym_bodies(text)]
    mentions: list[PersonMention] = []
    for s0, e0 in sorted(set(candidates)):
        s, e = s0, e0
        # a line's end, a sentence's, a comma, a possessive ("Reza’s Banani residence")
        cut = re.search(r"\n|(?<=\w\w\w)\.\s+(?=[A-Z])|,|(?<=\w)['’]s(?=\s)", text[s:e])
        if cut:
            e = s + cut.start()
        for w in list(re.finditer(r"\S+", text[s:e]))[1:]:
            if NOT_NAME.match(w.group(0).rstrip(".,")):  # "S Kumar Friday met"
                if w.group(0) in _MONTH_SURNAMES and not re.match(
                    r"[\s,]*\d", text[s + w.end() : s + w.end() + 4]
                ):
                    continue  # "Theresa May", not "on May 5"
                e = s + w.start()
                break
        honorifics = [
            w
            for w in list(re.finditer(r"\S+", text[s:e]))[1:-1]
            if _INNER_HONORIFIC.fullmatch(w.group(0))
        ]
        if honorifics and re.search(
            r"\b(?:of|at|in|for|to)\s+(?:the\s+)?$", text[max(0, s - 9) : s]
        ):
            # "Minister of the Amiri Diwan Sheikh Ali X": the body's name ran into the person's
            s += (
                honorifics[-1].end()
                + len(text[s + honorifics[-1].end() : e])
                - len(text[s + honorifics[-1].end() : e].lstrip())
            )
        e = s + len(text[s:e].rstrip())
        name = text[s:e].rstrip(".") if not text[s:e].endswith(("Jr.", "Sr.")) else text[s:e]
        e = s + len(name)
        if len(name.split()) == 1 and text[max(0, s - 4) : s].lower() == "the ":
            continue
        if len(name.split()) >= 3 and text[max(0, s - 4) : s] == "the ":
            # "received at the Akorda Feridun X": the place's name ran into the person's
            first = re.match(r"\S+\s+", name)
            if first is not None:
                s += first.end()
                name = text[s:e]
        if not _looks_like_name(name):
            continue
        if len(name.split()) == 1 and names_a_team(parsed.doc, s, e):
            continue  # a club or a town's team; a player named in full is found by surname later
        if len(name.split()) == 1 and _common_plural(parsed.doc, s, e):
            continue  # "Holders of Diplomatic and Official Passports": a thing, not a name
        if any(gs <= s and e <= ge for gs, ge in geo_spans):
            continue
        if any(bs <= s and e <= be for bs, be in bodies):
            continue  # a body the article names with its acronym ("… Authority (AWA)")
        if not _plausible_person(parsed, s, e, name):
            continue
        if gaz.lookup(name) is not None and gaz.lookup(name).type != "Person":  # type: ignore[union-attr]
            continue
        if any(m.start < e and s < m.end for m in mentions):
            # keep the longer of overlapping candidates
            overlapping = [m for m in mentions if m.start < e and s < m.end]
            if all((e - s) > (m.end - m.start) for m in overlapping):
                for m in overlapping:
                    mentions.remove(m)
            else:
                continue
        mentions.append(PersonMention(s, e, name))
    mentions.sort(key=lambda m: m.start)
    # drop title spans that overlap a name
    titles = [t for t in titles if not any(m.start < t.end and t.start < m.end for m in mentions)]
    return mentions, titles


_HONORIFIC_ANCHOR = re.compile(rf"(?<![\w'’.-]){NAME_HONORIFIC}(?![\w-])\.?(?= +[A-Z'‘ʻ])")
_NOT_IN_NAME = (
    TITLE_WORDS | lexicon.BODY_WORDS | lexicon.PORTFOLIO_WORDS | _FACILITY_WORDS
) - NAME_PARTICLES


def _names_after_honorifics(text: str) -> list[tuple[int, int]]:
    """Names of two words or more after a form of address or a rank the parser missed ("HE
    Dr Fahad Salem Al Marri", "Air Chief Marshal Rafiq Anwar Qazi", "Datuk Seri X Y")."""
    out: list[tuple[int, int]] = []
    for hm in _HONORIFIC_ANCHOR.finditer(text):
        after = _name_after(text, hm.end())
        cleaned = _clean_person_span(text, *after) if after is not None else None
        if cleaned is None:
            continue
        name = text[cleaned[0] : cleaned[1]]
        words = name.split()
        if (
            len(words) < 2
            or "\n" in name
            or name.isupper()
            or any(fold(w).strip(".,") in _NOT_IN_NAME for w in words)
        ):
            continue
        out.append(cleaned)
    return out

"""Countries, organisations and places the offline gazetteer knows, as the article names them.

Names, demonyms, official long forms and capital or government metonyms, longest match
first; a name inside a longer proper name ("Gulf of Mexico", "China Daily") or used for a
sports team is not the state or place.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import GazetteerLike, GeoMention, fold
from graphbuild.extract.party_phrases import resolve_party_phrase
from graphbuild.extract.title_mentions import TITLE_WORDS

# First words of official long forms that resolve_party_phrase understands.
_OFFICIAL_FIRST_WORDS = frozenset(
    fold(w)
    for w in [
        "Federative",
        "Islamic",
        "Democratic",
        "People's",
        "Socialist",
        "United",
        "Federal",
        "Arab",
        "Bolivarian",
        "Plurinational",
        "Cooperative",
        "Co-operative",
        "Hashemite",
        "Oriental",
        "Independent",
        "Sovereign",
        "Union",
        "Republic",
        "Kingdom",
        "State",
        "Principality",
        "Grand",
        "Sultanate",
        "Emirate",
        "Commonwealth",
        "Federation",
        "Confederation",
    ]
)


# Words next to a state's name that keep it the state: offices and portfolios ("Russian Foreign
# Minister", "President of Mexico"), and the state's own bodies ("Embassy of Japan").
_STATE_WORDS = (
    TITLE_WORDS
    | {fold(w) for w in lexicon.TITLE_PREFIXES}
    | {w.rstrip(".") for w in lexicon.HONORIFICS}
    | {fold(a).rstrip(".") for a in lexicon.TITLE_ABBREVIATIONS}  # "British FS", "Indian EAM"
    | {
        "government", "embassy", "ministry", "mission", "delegation", "authorities", "people",
        "peoples", "republic", "kingdom", "state", "states", "federation", "union", "capital",
        "capitals", "consulate", "administration", "cabinet", "presidency", "affairs", "home",
    }
)  # fmt: skip
# Heads of proper names that take a state's or place's name with "of" and are not the state:
# "Gulf of Mexico", "Bank of England", "University of Texas". (Bodies of a state, such as a
# party or a commission, are left to the role rules: "Communist Party of Vietnam".)
_NAMED_AFTER_A_STATE = frozenset(
    {"gulf", "sea", "bay", "ocean", "strait", "straits", "river", "lake", "coast", "island",
     "islands", "mountains", "bank", "university", "college", "school", "institute", "hospital",
     "airport", "stadium", "cup", "league", "championship", "voice", "times"}
)  # fmt: skip
_SPORTS_CUES = re.compile(
    r"\b(?:rugby|football|soccer|cricket|hockey|basketball|volleyball|handball|tennis|"
    r"tournament|championship|World Cup|Nations Cup|league|semi-finals?|quarter-finals?|"
    r"kick-off|innings|wickets?|goals?|scored|striker|midfielder|goalkeeper|squad|fixture|"
    r"Olympics?|medals?)\b",
    re.IGNORECASE,
)
_SCORE = re.compile(r"(?<![\d/.:-])\d{1,3}\s?[-–]\s?\d{1,3}(?![\d/.:-])")
_CONTEST_VERBS = frozenset(
    {"beat", "defeat", "draw", "lose", "win", "play", "face", "thrash", "edge", "overcome",
     "stun", "upset", "trail", "lead", "eliminate", "knock", "host", "meet"}
)  # fmt: skip


def _is_state_word(word: str) -> bool:
    """An office, title or state's body, also in the plural ("Council of Ministers of X")."""
    key = fold(word).rstrip(".")
    return key in _STATE_WORDS or (key.endswith("s") and key[:-1] in _STATE_WORDS)


def _is_proper_word(tok: Token) -> bool:
    """A capitalised proper noun that is not an office, title or a state's own body."""
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and not _is_state_word(tok.text)
        and not tok.is_punct
    )


def _inside_longer_name(doc: Doc, i: int, j: int, gaz: GazetteerLike, prev_end: int) -> bool:
    """Whether tokens [i, j) are part of a longer proper name, not the state or place itself.

    "Marin Ireland" (an actress), "New Mexico", "Gulf of Mexico", "Bank of England",
    "Georgia House", "China Daily", "Kenya Airways": a proper noun directly before or after
    the name, or "<Name> of (the) <name>" inside one named entity, makes it another thing.
    Offices and a state's own bodies are not such nouns ("Russian Foreign Minister",
    "President of Mexico", "Embassy of Japan"), nor another state's name ("US China talks"),
    nor a person's name ("X Y of Azerbaijan"), nor a name after an office's "of"
    ("Minister of Foreign Affairs of Ghana Kofi Mensah", where the parser may miss the person).
    """
    first, last = doc[i], doc[j - 1]
    if i > 0 and not first.is_sent_start:
        before = doc[i - 1]
        if (
            before.whitespace_
            and before.idx >= prev_end
            and _is_proper_word(before)
            and not (before.ent_type_ in ("GPE", "NORP") and first.ent_iob_ == "B")
        ):
            return True  # "Marin Ireland", "New Mexico"
        of = i - 1 if before.lower_ in ("of", "de") else i - 2
        if of > 0 and doc[of].lower_ in ("of", "de") and (of == i - 1 or before.lower_ == "the"):
            head = doc[of - 1]
            inside = first.ent_iob_ == "I" and head.ent_type_ == first.ent_type_
            if (
                head.text[:1].isupper()
                and not _is_state_word(head.text)
                and head.ent_type_ != "PERSON"
                and (inside or fold(head.text) in _NAMED_AFTER_A_STATE)
            ):
                return True  # "Gulf of Mexico", "Reserve Bank of India"
    # "Minister of Foreign Affairs of Ghana Kofi …", "Ambassador to Ethiopia Ruth …": the
    # parser may miss the person
    of_state = i > 0 and (
        doc[i - 1].lower_ in ("of", "for", "to")
        or (doc[i - 1].lower_ == "the" and i > 1 and doc[i - 2].lower_ in ("of", "for", "to"))
    )
    if j < len(doc) and last.whitespace_ and not of_state:
        after = doc[j]
        if _is_proper_word(after) and not (after.ent_type_ == "PERSON" and after.ent_iob_ == "B"):
            # "China Daily", "Kenya Airways"; not "US China talks"
            return all(look(after.text) is None for look in (gaz.lookup, gaz.demonym, gaz.metonym))
    return False


def _plays_sport(doc: Doc, i: int, j: int) -> bool:
    """A name used for a team in a sports report ("Samoa beat Tonga 24-10", "Grimsby won")."""
    sent = doc[i].sent
    text = sent.text
    if not (_SCORE.search(text) or _SPORTS_CUES.search(text)):
        return False
    last = doc[j - 1]
    if j < len(doc) and _SCORE.match(doc.text[doc[j].idx : doc[j].idx + 9]):
        return True
    head = last.head
    if last.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lemma_.lower() in _CONTEST_VERBS:
        return True
    return last.dep_ == "pobj" and head.lower_ in ("against", "over", "versus", "vs")


def names_a_team(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and _plays_sport(doc, span.start, span.end)


def find_geo(parsed: ParsedArticle, gaz: GazetteerLike) -> list[GeoMention]:
    """Gazetteer names, demonyms and metonyms, longest match first, by token n-grams.

    A name inside a longer proper name ("Gulf of Mexico", "Marin Ireland", "China Daily") is
    not the state or place, nor is a country's name used for its sports team.
    """
    doc = parsed.doc
    out: list[GeoMention] = []
    n = len(doc)
    starts = getattr(gaz, "first_words", None)
    longest = min(7, int(getattr(gaz, "longest_name", 7)))
    # plain lists: indexing a Doc builds a Token object each time
    words = [t.text for t in doc]
    offsets = [t.idx for t in doc]
    folded = [fold(w) for w in words]
    i = 0
    while i < n:
        if (
            not words[i][:1].isupper()
            or folded[i] == "the"
            or (
                starts is not None
                and folded[i] not in starts
                and folded[i] not in _OFFICIAL_FIRST_WORDS
            )
        ):
            i += 1
            continue
        found = None
        start = offsets[i]
        for size in range(min(longest, n - i), 0, -1):
            last_text = words[i + size - 1]
            if last_text in ("'s", "’s", ",", ".") or "\n" in last_text:
                continue
            end = offsets[i + size - 1] + len(last_text)
            text = parsed.text[start:end]
            if "\n" in text:
                continue
            entry = gaz.lookup(text)
            kind = "name"
            if entry is None and len(text.split()) <= 3:  # "Bissau-Guinean", "Papua New Guinean"
                entry = gaz.demonym(text)
                kind = "demonym"
            if entry is None:
                entry = gaz.metonym(text)
                kind = "metonym"
            if entry is None and size >= 3:
                entry = resolve_party_phrase(text, gaz)
                kind = "name"
            if entry is not None and entry.type in ("Country", "Organization", "Place"):
                prev_end = out[-1].end if out else 0
                if _inside_longer_name(doc, i, i + size, gaz, prev_end) or (
                    entry.type == "Country" and kind == "name" and _plays_sport(doc, i, i + size)
                ):
                    i += size  # the whole name is skipped, not re-read word by word
                    found = None
                    break
                found = GeoMention(start, end, text, kind, entry)
                i += size
                break
        else:
            i += 1
            continue
        if found is not None:
            out.append(found)
    return _ambiguous_demonyms(out, words, offsets, gaz)


def _ambiguous_demonyms(
    out: list[GeoMention], words: list[str], offsets: list[int], gaz: GazetteerLike
) -> list[GeoMention]:
    """ "the Congolese foreign minister" in a story that names the Democratic Republic of
    the Congo and not the other Congo: a demonym of two states is the one the article names."""
    candidates_of = getattr(gaz, "demonym_candidates", None)
    if candidates_of is None:
        return out
    named = {g.entry.label for g in out if g.kind == "name" and g.entry.type == "Country"}
    added = []
    for word, start in zip(words, offsets, strict=True):
        if not word[:1].isupper():
            continue
        candidates = candidates_of(word)
        fitting = [c for c in candidates if c.label in named]
        if len(candidates) < 2 or len(fitting) != 1:
            continue
        end = start + len(word)
        if any(g.start < end and start < g.end for g in out):
            continue
        added.append(GeoMention(start, end, word, "demonym", fitting[0]))
    return sorted(out + added, key=lambda g: g.start) if added else out

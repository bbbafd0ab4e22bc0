"""The state or body a phrase names as someone's party, however it is worded.

"the Republic of X", "the ECOWAS Commission", "the MSC" after "the Maritime Security Centre
(MSC)", "the Chilean delegation": the gazetteer mentions and the title rules both read a
party from such phrases, so they read it here, one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphbuild.extract.mentions import GazetteerEntryLike, GazetteerLike

_OFFICIAL_FORM = re.compile(
    r"^(?:the\s+)?(?:(?:Federative|Islamic|Democratic|People's|Socialist|United|Federal|Arab|"
    r"Bolivarian|Plurinational|Cooperative|Co-operative|Hashemite|Oriental|Independent|"
    r"Sovereign|Union)\s+)*(?:Republic|Kingdom|State|Principality|Grand Duchy|Sultanate|Emirate|"
    r"Commonwealth|Federation|Confederation)\s+of\s+(?:the\s+)?(?P<name>.+)$"
)
_ADJ_FORM = re.compile(
    r"^(?:the\s+)?(?P<adj>[A-Z][\w'-]+)\s+(?:Republic|Federation|Kingdom|Confederation)$"
)


@dataclass(frozen=True)
class BodyEntry:
    """A body the article names as someone's party that the gazetteer does not know: a
    ministry ("Chinese Foreign Ministry"), a commission ("ECOWAS Commission"), a political
    party. Labelled as written (without a leading "the"); never linked here."""

    label: str
    body_aliases: tuple[str, ...] = ()
    type: str = "Organization"
    qid: str | None = None
    iso2: str | None = None
    source: str | None = None


_BODY_HEADS = r"(?:Commission|Party|[Mm]ovement|Front|Authority|Agency)"
_BODY_PHRASE = re.compile(
    rf"^[A-Z][\w'’.-]*\s+(?:(?:[A-Z][\w'’.-]*|and|&)\s+){{0,5}}{_BODY_HEADS}"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})?$"
)
_BODY_HEAD_WORDS = (
    r"(?:Council|Authority|Agency|Secretariat|Office|Commission|Committee|Ministry|Department|"
    r"Union|Assembly|Organi[sz]ation|Forum|Bank|Fund|Conference|Community|Parliament|Army|Navy|"
    r"Forces|Force|Guard|Centre|Center|Command|Directorate|Bureau|Service|Institute|College|"
    r"Corporation)"
)
# Capitalised words ending in a body's head noun ("Royal Land Forces"): a body's name in an
# office's title, never the name of the person after it
BODY_RUN = re.compile(
    rf"(?<![\w'’.-])(?:[A-Z][\w'’.-]*\s+){{1,4}}(?:{_BODY_HEAD_WORDS}|Affairs)(?![\w-])"
)
_BODY_NAME = (
    rf"(?P<name>(?:[A-Z][\w'’.-]*\s+){{1,6}}{_BODY_HEAD_WORDS}"
    # "Royal Army of Oman (RAO)", "United Nations Office in Nairobi (UNON)"
    r"(?:\s+(?:of|for|in|on)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?)"
    r"\s+\((?P<acro>[A-Z][A-Za-z]{1,9})\)"
)
_BODY_WITH_ACRONYM = re.compile(rf"^{_BODY_NAME}$")
_BODY_DEFINED = re.compile(rf"(?<![\w'’.-]){_BODY_NAME}")


def acronym_bodies(text: str) -> list[tuple[str, str, int, int]]:
    """Bodies an article names with their acronym ("the Maritime Security Centre (MSC)"):
    (acronym, name, start, end of the whole phrase) for each time, so a later "Head of the
    MSC" has its party. Only where the acronym's letters are the initials of the name's
    capitalised words (with those of "of", "for" … allowed), so a bracketed code or a party
    label is no body."""
    out: list[tuple[str, str, int, int]] = []
    for m in _BODY_DEFINED.finditer(text):
        acro = m.group("acro")
        words = list(re.finditer(r"[\w'’.-]+", m.group("name")))
        # the name may start after words that are not its own ("Director General United
        # Nations Office in Nairobi (UNON)")
        for k in range(len(words) - 1):
            if words[k].group(0)[0].islower():
                continue
            initials = "".join(
                f"{re.escape(w.group(0)[0])}?"
                if w.group(0)[0].islower()
                else re.escape(w.group(0)[0].upper())
                for w in words[k:]
            )
            if re.fullmatch(initials, acro.upper(), re.IGNORECASE):
                start = m.start("name") + words[k].start()
                out.append((acro, text[start : m.end("name")], start, m.end()))
                break
    return out


# A parliament known by its own name ("the State Great Khural", "the Knesset", "the State
# Duma"): with no state named, the office is the parliament's
_NAMED_PARLIAMENT = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+){0,3}(?:Khural|Hural|Duma|Knesset|Majlis|Sejm|Storting|Riksdag|"
    r"Bundestag|Bundesrat|Verkhovna Rada|Oireachtas|Dáil(?: Éireann)?|Jirga|Lok Sabha|"
    r"Rajya Sabha|Folketing|Eduskunta|Althing|Saeima|Seimas|Riigikogu|Sabor|Skupština|"
    r"Mazhilis|Oliy Majlis|Jogorku Kenesh|Milli Majlis|Jatiya Sangsad)$"
)


def body_party(phrase: str) -> BodyEntry | None:
    """A named body as a party ("the ECOWAS Commission", "Communist Party of Vietnam",
    "National Security Council (NSC)", "the State Great Khural"); None for anything else."""
    phrase = re.sub(r"^the\s+", "", phrase.strip().rstrip(",.;:"))
    if _NAMED_PARLIAMENT.match(phrase):
        return BodyEntry(phrase)
    m = _BODY_WITH_ACRONYM.match(phrase)
    if m:
        return BodyEntry(m.group("name"), (m.group("acro"),))
    if _BODY_PHRASE.match(phrase) and len(phrase.split()) >= 2:
        return BodyEntry(phrase)
    return None


MISSION_OF = re.compile(
    r"^(?:the\s+)?(?:Embassy|High\s+Commission|Consulate(?:[- ]General)?|Permanent\s+Mission)"
    r"\s+of\s+(?P<state>.+)$"
)
_SIDE = re.compile(
    r"^(?:the\s+)?(?P<party>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s+"
    r"delegation$"
)


def side_party(phrase: str, gaz: GazetteerLike) -> GazetteerEntryLike | None:
    """ "head of the Chilean delegation": the state (or body) the delegation is of."""
    m = _SIDE.match(phrase.strip())
    if m is None:
        return None
    word = m.group("party")
    entry = gaz.demonym(word) or resolve_party_phrase(word, gaz)
    return entry if entry is not None and entry.type in ("Country", "Organization") else None


def defined_body(phrase: str, acronyms: dict[str, str]) -> BodyEntry | None:
    """ "the MSC" after "the Maritime Security Centre (MSC)": the body the article defined."""
    acro = re.sub(r"^the\s+", "", phrase.strip())
    return BodyEntry(acronyms[acro], (acro,)) if acro in acronyms else None


def resolve_party_phrase(phrase: str, gaz: GazetteerLike) -> GazetteerEntryLike | None:
    """The country or organisation a phrase names, however officially it is worded."""
    phrase = phrase.strip()
    # "U.S." keeps its last stop; a sentence's or a list's punctuation goes
    if not re.search(r"(?<![\w.])(?:[A-Z]\.){2,}$", phrase):
        phrase = phrase.rstrip(",.;:")
    if phrase.endswith("'s") or phrase.endswith("’s"):
        phrase = phrase[:-2]
    if not phrase or (not phrase[:1].isupper() and not phrase.startswith("the ")):
        return None
    for candidate in (phrase, re.sub(r"^the\s+", "", phrase)):
        entry = gaz.lookup(candidate)
        if entry is not None and entry.type in ("Country", "Organization"):
            return entry
    m = _OFFICIAL_FORM.match(phrase)
    if m:
        return resolve_party_phrase(m.group("name"), gaz)
    m = _ADJ_FORM.match(phrase)
    if m:
        entry = gaz.demonym(m.group("adj"))
        if entry is not None:
            return entry
    return None

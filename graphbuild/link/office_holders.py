"""Office holders: which Wikidata item a person named in an article is, decided offline.

A name alone does not identify a person: two office holders can share it, and news spells
names in many ways (an initial for the given name, another transliteration, "H.E. Mr. ...").
The shipped table ``data/gazetteer/office-holders.tsv`` (terms of office with QIDs and their
sources, derived by ``tools/derive_office_holders.py``) says who held which office of which
state and when, so a name is linked only when exactly one person of that name fits the
article's date, state or office. Spelling variants come from the hand-curated
``data/gazetteer/name-variants.tsv``.
The index is parsed once into an immutable ``OfficeHolders`` and does no I/O afterwards.

``diplograph gazetteer update`` writes a newer table of the same format from the Wikidata Query
Service into a user data directory (the ``gazetteer_update_dir`` setting; the shipped folder may
be read-only). ``shipped_office_holders`` merges that update file when it exists: where a shipped
term and an update term of the same person, office and state overlap in time, the term whose
source snapshot is newer wins (see ``merge_terms``); the shipped file itself is never written.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from graphbuild.errors import ConfigError
from graphbuild.resources import gazetteer_dir
from graphbuild.settings import Settings, load_settings

OfficeCategory = Literal[
    "head of state",
    "head of government",
    "foreign minister",
    "other minister",
    "international organisation head",
    "other",
]
OFFICES: tuple[OfficeCategory, ...] = get_args(OfficeCategory)
TABLE = "office-holders.tsv"
VARIANTS = "name-variants.tsv"
COLUMNS = (
    "label", "aliases", "qid", "office", "iso2", "organisation", "start", "end",
    "position_qid", "position_label", "source",
)  # fmt: skip

_QID = re.compile(r"^Q[1-9][0-9]*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_PARTIAL_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_SOURCE_LINE = re.compile(r"^#\s+(s[0-9]{3,})\s+([0-9]{4}-[0-9]{2}-[0-9]{2})\s+(\S+)\s*$")

# ---- name keys -------------------------------------------------------------------------------

# Letters that Unicode decomposition leaves alone but readers treat as their base letters;
# apostrophes vanish ("O'Brien" = "OBrien"), dashes separate words ("Al-Sabah" = "Al Sabah").
_FOLD_TABLE = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
        "'": "", "’": "", "‘": "", "`": "", "´": "", "ʼ": "", "ʻ": "", "ʿ": "", "ʾ": "",
    }
)  # fmt: skip
# Forms of address that precede a name; multi-word ones as they fold ("H.E." -> "h e").
_HONORIFICS: tuple[tuple[str, ...], ...] = tuple(
    tuple(h.split())
    for h in (
        "his excellency", "her excellency", "his highness", "her highness", "his majesty",
        "her majesty", "his royal highness", "her royal highness", "h e", "h h", "h r h",
        "excellency", "the", "hon", "honourable", "honorable", "mr", "mrs", "ms", "miss", "mme",
        "dr", "prof", "professor", "sir", "dame", "shri", "smt", "shrimati", "sheikh", "sheikha",
        "shaikh", "sheik", "herr", "frau", "crown prince", "prince", "princess",
    )
)  # fmt: skip
_HONORIFIC_STARTS = frozenset(h[0] for h in _HONORIFICS)
# Particles inside names that articles keep or drop at will ("Fernández de Kirchner",
# "al-X" / "el-X", "bin X"); dropped after the first word only.
_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "bint", "de", "del", "dos", "das", "van", "von", "der", "den"}
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


_NOT_WORD = re.compile(r"[\W_]+")


def _fold_text(text: str) -> str:
    text = text.translate(_FOLD_TABLE)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", text.casefold())


def _words(text: str) -> list[str]:
    """Folded words: no case, diacritics, punctuation or apostrophes.

    Folding repeats until nothing changes (a compatibility decomposition can yield letters that
    fold further), which keeps ``name_key`` idempotent; ASCII output is always final.
    """
    for _ in range(8):
        folded = _fold_text(text)
        if folded == text or folded.isascii():
            text = folded
            break
        text = folded
    return text.split()


def _strip_words(words: list[str], variants: Mapping[str, str]) -> list[str]:
    """One pass: spelling variants, leading forms of address, particles, middle initials."""
    words = [variants.get(w, w) for w in words]
    stripped = True
    while stripped and words and words[0] in _HONORIFIC_STARTS:
        stripped = False
        for honorific in _HONORIFICS:
            n = len(honorific)
            if len(words) > n and tuple(words[:n]) == honorific:
                words = words[n:]
                stripped = True
                break
    head, rest = words[:1], words[1:]
    rest = [w for w in rest if w not in _PARTICLES and w not in _SUFFIXES and len(w) > 1]
    return head + rest


def _key(text: str, variants: Mapping[str, str]) -> str:
    words = _words(text)
    for _ in range(8):
        again = _strip_words(words, variants)
        if again == words:
            break
        words = again
    return " ".join(words)


@lru_cache(maxsize=1 << 14)
def _plain_key(text: str) -> str:
    return _key(text, {})


@dataclass(frozen=True, eq=False)
class _KeyCache:
    """Name keys under one variant table, remembered per index (names recur in every article)."""

    variants: Mapping[str, str]
    keys: dict[str, str] = field(default_factory=dict)
    limit: int = 1 << 17

    def __call__(self, text: str) -> str:
        key = self.keys.get(text)
        if key is None:
            if len(self.keys) >= self.limit:
                self.keys.clear()
            key = self.keys[text] = _key(text, self.variants)
        return key


def name_key(text: str, variants: Mapping[str, str] | None = None) -> str:
    """The matching key of a person's name, so that spellings of one name compare equal.

    Ignores case, diacritics, punctuation and apostrophes; hyphens separate words; leading
    forms of address ("H.E.", "Dr.", "Shri", "Sheikh") and, after the first word, particles
    ("de", "al", "bin"), suffixes ("Jr.") and single-letter middle initials are dropped; words
    of ``variants`` (word key -> group key) become their group's key. The first word always
    stays, so a leading initial ("S. Kumar" -> "s kumar") can still be matched.
    """
    return _plain_key(text) if variants is None else _key(text, variants)


def title_key(text: str) -> str:
    """The matching key of an office title: no case, diacritics, hyphens or leading "the"."""
    words = _words(text)
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


# ---- records -----------------------------------------------------------------------------------


def _fits_from(start: str, day: str) -> bool:
    """Whether a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD) may be on or before ``day``."""
    return day[: len(start)] >= start


def _fits_until(end: str, day: str) -> bool:
    """Whether ``day`` may be on or before a partial ISO date (a year covers all its days)."""
    return day[: len(end)] <= end


@dataclass(frozen=True, slots=True)
class Term:
    """One term of office as a row of the shipped table states it.

    ``start`` and ``end`` are ISO dates as precise as the source gives them (``"2019"``,
    ``"2019-05"``, ``"2019-05-16"``); ``start`` may be empty (unknown), an empty ``end`` means
    the person was still in office on ``as_of``, the date of the source's snapshot.
    ``organisation`` is set instead of ``iso2`` for offices of international bodies ("UN").
    """

    qid: str
    label: str
    office: OfficeCategory
    iso2: str | None
    organisation: str | None
    start: str
    end: str
    position_label: str
    position_qid: str | None
    as_of: date
    source: str

    @property
    def party(self) -> str:
        """The state's ISO code, or the organisation's short name for international offices."""
        return self.iso2 or self.organisation or ""

    def covers(self, on: date) -> bool:
        """Whether the person held this office on ``on``.

        A partial date counts for its whole year or month. A term without an end (in office
        on ``as_of``) is taken to go on after ``as_of`` too, since the table cannot say when it
        ended; a term without a known start covers no date.
        """
        day = on.isoformat()
        if not self.start or not _fits_from(self.start, day):
            return False
        return not self.end or _fits_until(self.end, day)

    def ended_before(self, on: date) -> bool:
        """Whether the term is known to have ended before ``on``."""
        return bool(self.end) and not _fits_until(self.end, on.isoformat())


@dataclass(frozen=True, slots=True)
class Person:
    """An office holder: QID, canonical English label and the table's other spellings."""

    qid: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A decided link: who, the terms that made it fit (provenance) and why, in words."""

    qid: str
    label: str
    terms: tuple[Term, ...]
    reason: str


# ---- the index -----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class OfficeHolders:
    """Terms of office indexed by person, name, state and title; share it read-only.

    Build it with ``load_office_holders`` (or ``shipped_office_holders`` for the cached copy).
    """

    people: Mapping[str, Person]
    _terms: Mapping[str, tuple[Term, ...]] = field(repr=False)
    _key: _KeyCache = field(repr=False)
    _full: Mapping[str, tuple[str, ...]] = field(repr=False)
    _later: Mapping[str, tuple[str, ...]] = field(repr=False)
    _surnames: Mapping[str, tuple[str, ...]] = field(repr=False)
    _by_state: Mapping[str, tuple[Term, ...]] = field(repr=False)
    _titles: Mapping[str, frozenset[tuple[str, OfficeCategory]]] = field(repr=False)

    def __repr__(self) -> str:
        terms = sum(len(t) for t in self._terms.values())
        return f"OfficeHolders(people={len(self.people)}, terms={terms})"

    def key(self, name: str) -> str:
        """``name_key`` with the shipped spelling variants."""
        return self._key(name)

    def variant(self, word: str) -> str:
        """The key of a folded word's spelling-variant group ("sergei" -> "sergey"), else the
        word itself."""
        return self._key.variants.get(word, word)

    def person(self, qid: str) -> Person | None:
        return self.people.get(qid)

    def terms_of(self, qid: str) -> tuple[Term, ...]:
        """Every term of this person in the table (for reference roles), oldest first."""
        return self._terms.get(qid, ())

    def holders(
        self, iso2: str, office: OfficeCategory | None = None, *, on: date | None = None
    ) -> tuple[Term, ...]:
        """Terms of a state's office (all offices if None) that cover ``on`` (any date if None).

        ``iso2`` is the state's ISO code or, for international offices, the organisation's
        short name as the table gives it ("UN", "ICJ"); ``resolve`` takes it the same way.
        Answers "who was foreign minister of IN on that day" when an article names only the
        office; open terms are taken to last after the source's snapshot (see ``Term.covers``).
        """
        _check_office(office)
        return tuple(
            t
            for t in self._by_state.get(iso2.upper(), ())
            if (office is None or t.office == office) and (on is None or t.covers(on))
        )

    def office_titles(self) -> Mapping[str, frozenset[tuple[str, OfficeCategory]]]:
        """Folded office title (``title_key``) -> the (party, office category) pairs it names.

        Titles are the table's position labels ("Minister of External Affairs"); the party is
        the state's ISO code, or the organisation's short name ("UN") for international offices.
        """
        return self._titles

    def offices_titled(self, title: str) -> frozenset[tuple[str, OfficeCategory]]:
        """The (party, office category) pairs an office title names; empty if unknown."""
        return self._titles.get(title_key(title), frozenset())

    def matches(self, name: str) -> dict[str, str]:
        """QID -> how the name matched, for every person the name may denote.

        A full name matches a label or alias with the same key. A name of two or more words
        also matches a label that holds its words in order with the same first word (the
        label adds middle names or a second surname: "Xavier Espot" ~ "Xavier Espot Zamora"),
        or whose words it holds in order with the same first and last word (the article adds a
        patronymic); a first word that is one letter stands for a given name starting with it
        ("S Kumar" ~ "Sanjay Kumar"); a name of two words that matches no label
        also matches one with its words the other way round. A surname alone matches nothing
        here: see ``by_surname``.
        """
        words = tuple(self.key(name).split())
        if not words:
            return {}
        found = {qid: "full name" for qid in self._full.get(" ".join(words), ())}
        if len(words) < 2 or len([w for w in re.split(r"[\s.]+", name) if w]) < 2:
            # one written word is no partial name, hyphenated or not: "Jean-Noël" is a given
            # name, not "Jean-Noël Poirier" without his surname
            return found
        if not found and len(words) == 2:
            # family name first, as Japanese, Chinese, Korean and Hungarian names are often
            # written ("Kamikawa Yoko") while the table gives the given name first
            found = {
                qid: "name in the other order"
                for qid in self._full.get(words[1] + " " + words[0], ())
            }
        initial = len(words[0]) == 1
        for qid in self._later.get(words[-1], ()):
            if qid in found:
                continue
            for label_words in self._name_words(qid):
                if _same_person_words(words, label_words, initial=initial):
                    found[qid] = "initial and surname" if initial else "partial name"
                    break
        return found

    def _name_words(self, qid: str) -> Iterable[tuple[str, ...]]:
        person = self.people[qid]
        return (tuple(self.key(n).split()) for n in (person.label, *person.aliases))

    def resolve(
        self,
        name: str,
        *,
        on: date | None,
        iso2: str | None = None,
        office: OfficeCategory | None = None,
    ) -> PersonLink | None:
        """The one office holder this name denotes in an article of date ``on``, or None.

        A person fits when one of their terms agrees with the given state and office and
        covers ``on`` (open terms: see ``Term.covers``), or, when a state or an office is
        given, when any of their terms agrees with it (a former or later office of the same
        state). So a term that ended before ``on`` never decides a link by itself, and without
        a date the state or the office must agree. A link is made only when exactly one
        person fits: a wrong link is worse than none.
        """
        _check_office(office)
        return self._decide(self.matches(name), on=on, iso2=iso2, office=office)

    def by_surname(self, surname: str) -> tuple[Person, ...]:
        """People whose label's last (or, for longer labels, second-to-last) word is this."""
        return tuple(self.people[q] for q in self._surnames.get(self.key(surname), ()))

    def resolve_surname(
        self,
        surname: str,
        *,
        on: date | None,
        iso2: str | None = None,
        office: OfficeCategory | None = None,
    ) -> PersonLink | None:
        """Like ``resolve`` for a surname alone, which always needs the state or the office."""
        _check_office(office)
        if iso2 is None and office is None:
            return None
        people = self.by_surname(surname)
        # "King X": a regnal name ("X of <State>") is that one name, not the father's name
        # in a prince's ("Y bin X")
        key = self.key(surname)
        regnal = [p for p in people if self.key(p.label).startswith(f"{key} of ")]
        found = {p.qid: "regnal name" if regnal else "surname" for p in regnal or people}
        return self._decide(found, on=on, iso2=iso2, office=office)

    def _decide(
        self,
        found: Mapping[str, str],
        *,
        on: date | None,
        iso2: str | None,
        office: OfficeCategory | None,
    ) -> PersonLink | None:
        state = iso2.upper() if iso2 is not None else None
        agreed = ", ".join(x for x in (office, state) if x is not None)
        fits: dict[str, tuple[tuple[Term, ...], str]] = {}
        for qid, how in found.items():
            agree = tuple(
                t
                for t in self._terms[qid]
                if (state is None or t.party == state) and (office is None or t.office == office)
            )
            current = tuple(t for t in agree if on is not None and t.covers(on))
            if current:
                fits[qid] = (
                    current,
                    f"{how}; in office on {on}" + (f" ({agreed})" if agreed else ""),
                )
            elif agree and agreed:
                when = f"; not in office on {on}" if on is not None else ""
                fits[qid] = (agree, f"{how}; a term agrees with {agreed}{when}")
        if len(fits) != 1:
            return None
        ((qid, (terms, reason)),) = fits.items()
        return PersonLink(qid, self.people[qid].label, terms, reason)


def _same_person_words(words: Sequence[str], label: Sequence[str], *, initial: bool) -> bool:
    """Whether an article's name words and a label's words may name one person."""
    if initial:
        if not label[0].startswith(words[0]):
            return False
    elif label[0] != words[0]:
        return False
    if _in_order(words[1:], label[1:]):
        return True  # the label adds middle names or a second surname
    return not initial and label[-1] == words[-1] and _in_order(label[1:], words[1:])


def _in_order(needles: Sequence[str], haystack: Sequence[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def _check_office(office: str | None) -> None:
    if office is not None and office not in OFFICES:
        raise ValueError(f"unknown office category {office!r}; expected one of {OFFICES}")


# ---- loading -------------------------------------------------------------------------------------


@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def raise_if_any(self, directory: Path) -> None:
        if not self.items:
            return
        shown = "\n  ".join(self.items[:20])
        more = len(self.items) - 20
        raise ConfigError(
            f"{len(self.items)} malformed office-holder or name-variant row(s):\n  {shown}"
            + (f"\n  ... and {more} more" if more > 0 else ""),
            where=str(directory),
            hint="fix the rows named above (data/gazetteer/README.md describes both files); "
            "office-holders.tsv is regenerated by tools/derive_office_holders.py",
        )


def _data_lines(path: Path, problems: _Problems) -> Iterator[tuple[int, str]]:
    """Numbered lines of a UTF-8 file, read as a stream (the whole text is never held)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), f"cannot read: {exc}")


def _read_variants(path: Path, problems: _Problems) -> dict[str, str]:
    """Word key -> the key of its group's first word."""
    table: dict[str, str] = {}
    header_seen = False
    for number, line in _data_lines(path, problems):
        if line.startswith("#") or not line.strip():
            continue
        if not header_seen:
            header_seen = True
            if line.strip() != "variants":
                problems.add(f"{path}:{number}", "the header must be the single column 'variants'")
                return {}
            continue
        keys = [_words(w) for w in line.strip().split("|")]
        if any(len(k) != 1 for k in keys) or len(keys) < 2:
            problems.add(f"{path}:{number}", "a group is two or more single words split by '|'")
            continue
        head = keys[0][0]
        for (word,) in keys:
            if table.get(word, head) != head:
                problems.add(f"{path}:{number}", f"{word!r} is already in another group")
            table[word] = head
    return table


def _read_sources(path: Path, problems: _Problems) -> dict[str, tuple[str, date]]:
    """Source key -> (repository@commit:path, snapshot date), from the header comment."""
    sources: dict[str, tuple[str, date]] = {}
    for number, line in _data_lines(path, problems):
        if not line.startswith("#"):
            break
        match = _SOURCE_LINE.match(line)
        if match:
            key, as_of, source = match.groups()
            try:
                sources[key] = (source, date.fromisoformat(as_of))
            except ValueError:
                problems.add(f"{path}:{number}", f"as_of {as_of!r} is not a date")
    return sources


class _Builder:
    """Reads the table row by row and collects the indexes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems = _Problems()
        self.key = _KeyCache(_read_variants(directory / VARIANTS, self.problems))
        self.terms: dict[str, list[Term]] = defaultdict(list)
        self.people: dict[str, Person] = {}
        self.titles: dict[str, set[tuple[str, OfficeCategory]]] = defaultdict(set)
        self.shared: dict[str, str] = {}  # one copy of each repeated cell value
        self.title_keys: dict[str, str] = {}

    def read_table(self, path: Path | None = None) -> None:
        """Add the rows of a table (the shipped one unless ``path`` names another)."""
        path = self.directory / TABLE if path is None else path
        sources = _read_sources(path, self.problems)
        header: list[str] | None = None
        for number, line in _data_lines(path, self.problems):
            if line.startswith("#") or not line.strip():
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if tuple(header) != COLUMNS:
                    self.problems.add(f"{path}:{number}", f"columns {header}, expected {COLUMNS}")
                    return
                continue
            if len(cells) != len(COLUMNS):
                bad = [f"{len(cells)} cells, the header has {len(COLUMNS)}"]
            else:
                bad = self.add_row(cells, sources)
            if bad:
                self.problems.add(f"{path}:{number}", "; ".join(bad))
        if header is None:
            self.problems.add(str(path), "no header line")

    def add_row(self, cells: list[str], sources: Mapping[str, tuple[str, date]]) -> list[str]:
        """Add one row's term; return what is wrong with the row instead, if anything."""
        label, aliases, qid, office, iso2, organisation, start, end, pos_qid, pos_label, key = cells
        bad = []
        known = self.shared  # values seen before passed these checks already
        if qid not in self.people and not _QID.match(qid):
            bad.append(f"qid {qid!r} is not of the form Q<digits>")
        if pos_qid not in known and pos_qid and not _QID.match(pos_qid):
            bad.append(f"position_qid {pos_qid!r} is not of the form Q<digits>")
        if office not in OFFICES:
            bad.append(f"office {office!r} is not one of {', '.join(OFFICES)}")
        if bool(iso2) == bool(organisation) or (iso2 not in known and not _ISO2.match(iso2)):
            bad.append("give either an ISO 3166-1 alpha-2 iso2 or an organisation")
        if (start not in known and start and not _PARTIAL_DATE.match(start)) or (
            end not in known and end and not _PARTIAL_DATE.match(end)
        ):
            bad.append(f"dates {start!r}, {end!r} are not YYYY[-MM[-DD]]")
        if key not in sources:
            bad.append(f"source {key!r} is not declared in the header (a QID needs a source)")
        if not label:
            bad.append("empty label")
        person = self.people.get(qid)
        if person is None:
            person = Person(qid, label, tuple(a for a in aliases.split("|") if a))
            self.people[qid] = person
        elif person.label != label or "|".join(person.aliases) != aliases:
            bad.append(f"{qid} has another label or aliases on an earlier row")
        if bad:
            return bad
        category: OfficeCategory = office  # type: ignore[assignment]  # checked above
        source, as_of = sources[key]
        one = self.shared.setdefault
        term = Term(
            qid=person.qid,
            label=person.label,
            office=one(category, category),  # type: ignore[arg-type]  # the same string
            iso2=one(iso2, iso2) or None,
            organisation=one(organisation, organisation) or None,
            start=one(start, start),
            end=one(end, end),
            position_label=one(pos_label, pos_label),
            position_qid=one(pos_qid, pos_qid) or None,
            as_of=as_of,
            source=source,
        )
        self.terms[person.qid].append(term)
        if pos_label:
            title = self.title_keys.get(pos_label)
            if title is None:
                title = self.title_keys[pos_label] = title_key(pos_label)
            self.titles[title].add((term.party, term.office))
        return bad

    def read_update(self, path: Path) -> None:
        """Read an update table apart from the rows so far, then merge it in (``merge_terms``)."""
        base_people, base_terms = self.people, self.terms
        self.people, self.terms = {}, defaultdict(list)
        try:
            self.read_table(path)
            new_people, new_terms = self.people, self.terms
        finally:
            self.people, self.terms = base_people, base_terms
        if not self.problems.items:
            merge_terms(self.people, self.terms, new_people, new_terms)

    def build(self) -> OfficeHolders:
        self.problems.raise_if_any(self.directory)
        full: dict[str, list[str]] = {}
        later: dict[str, list[str]] = {}
        surnames: dict[str, list[str]] = {}
        for qid, person in self.people.items():
            for name in (person.label, *person.aliases):
                words = self.key(name).split()
                if not words:
                    continue
                _add(full, " ".join(words), qid)
                for word in words[1:]:
                    _add(later, word, qid)
                for word in words[1:][-2:]:  # the last word, and the one before for longer names
                    _add(surnames, word, qid)
                if "of" in words[1:3]:
                    # a monarch's regnal name ("X of <State>", "X II of <State>"): the
                    # name before "of" is what "King X" gives
                    _add(surnames, words[0], qid)
        by_state: dict[str, list[Term]] = defaultdict(list)
        terms: dict[str, tuple[Term, ...]] = {}
        for qid, rows in self.terms.items():
            terms[qid] = tuple(rows) if len(rows) == 1 else tuple(sorted(rows, key=_term_order))
            for term in terms[qid]:
                by_state[term.party].append(term)
        return OfficeHolders(
            people=self.people,
            _terms=terms,
            _key=self.key,
            _full=_freeze(full),
            _later=_freeze(later),
            _surnames=_freeze(surnames),
            _by_state={k: tuple(sorted(v, key=_term_order)) for k, v in by_state.items()},
            _titles={k: frozenset(v) for k, v in self.titles.items()},
        )


def _term_order(term: Term) -> tuple[str, str, str, str, str]:
    return (term.start, term.end or "9999", term.office, term.position_label, term.source)


def _add(index: dict[str, list[str]], key: str, qid: str) -> None:
    """Add a QID under a key once (a person's names are added one after another)."""
    qids = index.get(key)
    if qids is None:
        index[key] = [qid]
    elif qids[-1] != qid:
        qids.append(qid)


def _freeze(index: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Lists of QIDs as tuples, in the table's order (so the same on every run)."""
    return {k: tuple(v) for k, v in index.items()}


# ---- the update from Wikidata ------------------------------------------------------------------


def _period(term: Term) -> tuple[str, str]:
    """A term's days as comparable strings: a partial date spans its whole year or month.

    An unknown start reaches back indefinitely and an empty end (in office on ``as_of``)
    forward, so such a term overlaps every later or earlier term of the same office.
    """
    low = (term.start + "-00-00")[:10] if term.start else "0000-00-00"
    high = (term.end + "-99-99")[:10] if term.end else "9999-99-99"
    return low, high


def terms_overlap(a: Term, b: Term) -> bool:
    """Whether two terms are of one office (same state or body, office category and, when both
    name one, position) and share at least one possible day."""
    if a.party != b.party or a.office != b.office:
        return False
    if a.position_qid and b.position_qid and a.position_qid != b.position_qid:
        return False
    (a_low, a_high), (b_low, b_high) = _period(a), _period(b)
    return a_low <= b_high and b_low <= a_high


def merge_terms(
    people: dict[str, Person],
    terms: dict[str, list[Term]],
    new_people: Mapping[str, Person],
    new_terms: Mapping[str, list[Term]],
) -> None:
    """Merge an update's people and terms into the shipped ones, in place.

    The rule: a shipped term and an update term that overlap (``terms_overlap``: same person,
    state or body, office category, position when both give one, and a day in common) are two
    statements of one term, and the one whose source snapshot (``as_of``) is newer wins (the
    update on a tie); terms that overlap nothing are all kept. So a term the shipped table
    still had open is replaced by the update's with its end date, a corrected date replaces
    the old one, and terms that began after the shipped snapshot are simply added. A person in
    both keeps one label: the one of the side with the newest snapshot (the update on a tie),
    the other side's label and aliases becoming aliases, so every spelling still matches.
    """
    for qid, added in new_terms.items():
        old = terms.get(qid)
        if not old:
            terms[qid] = list(added)
            people[qid] = new_people[qid]
            continue
        lost_old: set[int] = set()
        lost_new: set[int] = set()
        for i, shipped in enumerate(old):
            for j, update in enumerate(added):
                if terms_overlap(shipped, update):
                    if update.as_of >= shipped.as_of:
                        lost_old.add(i)
                    else:
                        lost_new.add(j)
        base, newer = people[qid], new_people[qid]
        newest_old = max(t.as_of for t in old)
        newest_new = max(t.as_of for t in added)
        first, second = (newer, base) if newest_new >= newest_old else (base, newer)
        names = dict.fromkeys((*first.aliases, second.label, *second.aliases))
        names.pop(first.label, None)
        person = Person(qid, first.label, tuple(n for n in names if n))
        people[qid] = person
        kept = [t for i, t in enumerate(old) if i not in lost_old]
        kept += [t for j, t in enumerate(added) if j not in lost_new]
        terms[qid] = [t if t.label == person.label else _relabelled(t, person.label) for t in kept]


def _relabelled(term: Term, label: str) -> Term:
    return Term(
        qid=term.qid,
        label=label,
        office=term.office,
        iso2=term.iso2,
        organisation=term.organisation,
        start=term.start,
        end=term.end,
        position_label=term.position_label,
        position_qid=term.position_qid,
        as_of=term.as_of,
        source=term.source,
    )


def user_data_dir() -> Path:
    """Diplograph's per-user data folder, where the platform keeps such things.

    ``$XDG_DATA_HOME/diplograph`` (``~/.local/share/diplograph``) on Linux and other Unix,
    ``~/Library/Application Support/diplograph`` on macOS, ``%LOCALAPPDATA%\\diplograph`` on
    Windows (the paths platformdirs gives, without the dependency).
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "diplograph"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "diplograph"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base_dir / "diplograph"


def update_dir(settings: Settings | None = None) -> Path:
    """The folder of the office-holder update: the ``gazetteer_update_dir`` setting, or else
    ``gazetteer`` in the user data folder (``user_data_dir``).

    Without ``settings``, they are read as the command line would (the file named by
    ``DIPLOGRAPH_SETTINGS``, then ``DIPLOGRAPH_*`` variables).
    """
    if settings is None:
        named = os.environ.get("DIPLOGRAPH_SETTINGS")
        settings = load_settings(Path(named) if named else None)
    configured = str(settings.gazetteer_update_dir)
    return Path(configured).expanduser() if configured else user_data_dir() / "gazetteer"


def update_file(settings: Settings | None = None) -> Path:
    """Where ``diplograph gazetteer update`` writes and builds read the update (may not exist)."""
    return update_dir(settings) / TABLE


def load_office_holders(
    directory: Path | None = None, *, update: Path | None = None
) -> OfficeHolders:
    """Parse the office-holder table and name variants; malformed rows are named by file:line.

    ``update``, when given and present, is a table of the same format (``diplograph gazetteer
    update`` writes one) merged in by ``merge_terms``: newer overlapping terms win.

    The cyclic garbage collector is paused while the ~100k acyclic objects are made (it would
    otherwise scan them again and again: a fifth of the load time) and restored afterwards.
    """
    builder = _Builder(Path(directory) if directory is not None else gazetteer_dir())
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder.read_table()
        if update is not None and Path(update).is_file():
            builder.read_update(Path(update))
        return builder.build()
    finally:
        if collecting:
            gc.enable()


@lru_cache(maxsize=1)
def shipped_office_holders() -> OfficeHolders:
    """The shipped index with the update merged in, parsed once per process (every build worker
    shares its copy). The update is the file ``update_file()`` names, if it exists."""
    return _with_update(update_file())


def office_holders_for(settings: Settings) -> OfficeHolders:
    """Like ``shipped_office_holders``, with the update folder these settings name."""
    return _with_update(update_file(settings))


@lru_cache(maxsize=4)
def _with_update(update: Path) -> OfficeHolders:
    return load_office_holders(update=update)

"""The offline gazetteer: names, aliases, demonyms and metonyms -> typed entries.

Linking must be reproducible without a network and every Wikidata QID it hands out must trace
back to a named source, so the gazetteer is a handful of TSV files under ``data/gazetteer/``
(see its README) parsed once into an immutable ``Gazetteer`` by
:func:`graphbuild.link.gazetteer_files.load_gazetteer`; this module is the lookup. Matching
ignores case, diacritics, hyphenation and a leading "the"; all-capital acronyms ("US", "WHO")
match only as written, so the pronoun "us" or the word "who" never becomes a country or an
organisation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

EntryType = Literal["Country", "Organization", "Place", "Person"]
ENTRY_TYPES: tuple[EntryType, ...] = ("Country", "Organization", "Place", "Person")

# Letters that Unicode decomposition leaves alone but readers treat as their base letter.
_FOLD_TABLE = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
        "’": "'", "‘": "'", "`": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-", "—": "-",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The matching key of a name: no case, no diacritics, hyphens as spaces, no leading "the"."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _SEPARATORS.sub(" ", text).strip()
    return _LEADING_THE.sub("", text)


def is_acronym(name: str) -> bool:
    """All-capital short names ("US", "NATO", "G20") that must match exactly as written."""
    return bool(_ACRONYM.match(name))


def strip_the(name: str) -> str:
    return _LEADING_THE.sub("", " ".join(name.split()))


@dataclass(frozen=True)
class GazetteerEntry:
    """One thing the gazetteer knows; ``qid`` is set only together with its ``source``."""

    type: EntryType
    label: str
    qid: str | None = None
    source: str | None = None
    aliases: tuple[str, ...] = ()
    iso2: str | None = None
    kind: str | None = None  # for places: capital, territory, city or region

    @property
    def ident(self) -> str:
        """A stable identifier: the QID, else type and folded label ("place:geneva")."""
        return self.qid or f"{self.type.lower()}:{fold(self.label)}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True, repr=False)
class Gazetteer:
    """The parsed gazetteer; build it with ``load_gazetteer`` and share it read-only."""

    entries: tuple[GazetteerEntry, ...]
    _names: Mapping[str, GazetteerEntry] = field(repr=False)
    _acronyms: Mapping[str, GazetteerEntry] = field(repr=False)
    _demonyms: Mapping[str, tuple[GazetteerEntry, ...]] = field(repr=False)
    _demonym_words: Mapping[str, str] = field(repr=False)
    _capitals: Mapping[str, GazetteerEntry] = field(repr=False)
    _metonyms: Mapping[str, GazetteerEntry] = field(repr=False)
    _surnames: Mapping[str, tuple[GazetteerEntry, ...]] = field(repr=False)

    def __repr__(self) -> str:
        counts = {t: len(self.by_type(t)) for t in ENTRY_TYPES}
        return "Gazetteer(" + ", ".join(f"{t}={n}" for t, n in counts.items()) + ")"

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry a name, alias or acronym denotes ("the Russian Federation" -> Russia)."""
        exact = strip_the(name)
        if is_acronym(exact):
            return self._acronyms.get(exact)
        return self._names.get(fold(name))

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The country of a demonym or adjective ("Russian"); None if unknown or ambiguous."""
        found = self._demonyms.get(fold(word), ())
        return found[0] if len(found) == 1 else None

    def demonym_candidates(self, word: str) -> tuple[GazetteerEntry, ...]:
        """Every country a demonym may stand for ("Congolese": both Congos)."""
        return tuple(self._demonyms.get(fold(word), ()))

    def country_for_capital(self, name: str) -> GazetteerEntry | None:
        """The country whose capital this is, also for capitals that are common words."""
        return self._capitals.get(fold(name))

    def metonym(self, name: str) -> GazetteerEntry | None:
        """The country a capital or seat of government stands for ("the Kremlin" -> Russia)."""
        return self._metonyms.get(fold(name))

    @cached_property
    def first_words(self) -> frozenset[str]:
        """Folded first word of every name, acronym, demonym and metonym the lookups know.

        Lets a scanner skip text positions where no gazetteer name can start.
        """
        keys = [*self._names, *(fold(a) for a in self._acronyms), *self._demonyms, *self._metonyms]
        return frozenset(k.split()[0] for k in keys if k.split())

    @cached_property
    def longest_name(self) -> int:
        """Most words in any name the lookups know."""
        keys = [*self._names, *self._demonyms, *self._metonyms]
        return max((len(k.split()) for k in keys), default=1)

    def person_by_surname(self, surname: str) -> list[GazetteerEntry]:
        """Known persons with this surname (or single-word name), e.g. "Putin"."""
        return list(self._surnames.get(fold(surname), ()))

    def by_type(self, entry_type: EntryType) -> list[GazetteerEntry]:
        return [e for e in self.entries if e.type == entry_type]

    def entity_ruler_patterns(self) -> list[dict[str, str]]:
        """spaCy EntityRuler phrase patterns for every name, alias and unambiguous demonym.

        Patterns are written as the names are spelt (plus a spelling without diacritics), for
        a ruler that matches on ORTH, so acronyms stay case-sensitive.
        """
        out: list[dict[str, str]] = []
        seen: set[tuple[str, str]] = set()

        def add(label: str, text: str, ident: str) -> None:
            for variant in (text, _ascii(text)):
                variant = strip_the(variant)
                if variant and (variant, ident) not in seen:
                    seen.add((variant, ident))
                    out.append({"label": label, "pattern": variant, "id": ident})

        for entry in self.entries:
            if entry.type == "Place" and self._names.get(fold(entry.label)) is not entry:
                continue  # ambiguous or shadowed place names are not entities on their own
            for name in entry.names:
                add(_ruler_label(entry), name, entry.ident)
        for key, countries in sorted(self._demonyms.items()):
            if len(countries) == 1:
                add("NORP", self._demonym_words[key], countries[0].ident)
        return out


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return "".join(c for c in text if not unicodedata.combining(c))


def _ruler_label(entry: GazetteerEntry) -> str:
    if entry.type == "Country":
        return "GPE"
    if entry.type == "Organization":
        return "ORG"
    if entry.type == "Person":
        return "PERSON"
    return "LOC" if entry.kind == "region" else "GPE"

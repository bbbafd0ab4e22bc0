"""Mentions of people, states, organisations, places and offices, and who they refer to.

What a mention is, and the index of them every rule after reads: the finders are
:mod:`~graphbuild.extract.geo_mentions` (gazetteer names, demonyms, metonyms),
:mod:`~graphbuild.extract.title_mentions` (offices and their parties, read with
:mod:`~graphbuild.extract.party_phrases`), :mod:`~graphbuild.extract.person_mentions`
(person names) and :mod:`~graphbuild.extract.person_clusters` (which person each name is);
:func:`graphbuild.extract.extractor.index_mentions` runs them in order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol


class GazetteerEntryLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def qid(self) -> str | None: ...
    @property
    def iso2(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...


class GazetteerLike(Protocol):
    def lookup(self, name: str) -> GazetteerEntryLike | None: ...
    def demonym(self, word: str) -> GazetteerEntryLike | None: ...
    def metonym(self, name: str) -> GazetteerEntryLike | None: ...


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and diacritics-insensitive key ("Erdoğan" == "erdogan")."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@dataclass
class GeoMention:
    start: int
    end: int
    text: str
    kind: str  # "name", "demonym", "metonym", "capital"
    entry: GazetteerEntryLike


@dataclass
class TitleMention:
    start: int
    end: int
    title: str
    party: GazetteerEntryLike | None = None
    party_span: tuple[int, int] | None = None
    # "Speaker of A and President of B": the further offices, each with its own party
    also: list[tuple[str, GazetteerEntryLike]] = field(default_factory=list)


@dataclass
class PersonMention:
    start: int
    end: int
    text: str
    person: int = -1  # index into ``MentionIndex.persons``


@dataclass
class Person:
    index: int
    name: str
    key: tuple[str, ...]
    mentions: list[PersonMention] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


@dataclass
class MentionIndex:
    """All mentions found in one article, with persons clustered."""

    geo: list[GeoMention]
    titles: list[TitleMention]
    persons: list[Person]
    person_mentions: list[PersonMention]

    def person_at(self, start: int, end: int) -> PersonMention | None:
        for m in self.person_mentions:
            if m.start < end and start < m.end:
                return m
        return None

    def persons_in(self, start: int, end: int) -> list[PersonMention]:
        return [m for m in self.person_mentions if start <= m.start and m.end <= end]

    def geo_in(self, start: int, end: int) -> list[GeoMention]:
        return [g for g in self.geo if start <= g.start and g.end <= end]

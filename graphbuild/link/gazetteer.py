"""The offline gazetteer: names, aliases, demonyms and metonyms -> typed entries.

Linking must be reproducible without a network and every Wikidata QID it hands out must trace
back to a named source, so the gazetteer is a handful of TSV files under ``data/gazetteer/``
(see its README) parsed once into an immutable ``Gazetteer``. Matching ignores case, diacritics,
hyphenation and a leading "the"; all-capital acronyms ("US", "WHO") match only as written, so
the pronoun "us" or the word "who" never becomes a country or an organisation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from graphbuild.errors import ConfigError, DiplographError
from graphbuild.link.reconcile import links_from, read_decisions
from graphbuild.resources import gazetteer_dir

EntryType = Literal["Country", "Organization", "Place", "Person"]
ENTRY_TYPES: tuple[EntryType, ...] = ("Country", "Organization", "Place", "Person")
PLACE_KINDS = ("capital", "territory", "city", "region")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")

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
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


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


def _strip_the(name: str) -> str:
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
        exact = _strip_the(name)
        if is_acronym(exact):
            return self._acronyms.get(exact)
        return self._names.get(fold(name))

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The country of a demonym or adjective ("Russian"); None if unknown or ambiguous."""
        found = self._demonyms.get(fold(word), ())
        return found[0] if len(found) == 1 else None

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
                variant = _strip_the(variant)
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


# ---- loading ---------------------------------------------------------------------------------


@dataclass
class _Row:
    where: str
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _read_tsv(path: Path, required: Iterable[str], problems: _Problems) -> Iterator[_Row]:
    """Rows of a commented TSV file whose first non-comment line is the header."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), f"cannot read: {exc}")
        return
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        where = f"{path}:{number}"
        if header is None:
            header = fields
            missing = [c for c in required if c not in header]
            if missing:
                problems.add(where, f"header lacks column(s) {', '.join(missing)}")
                return
            continue
        if len(fields) > len(header):
            problems.add(where, f"{len(fields)} columns, the header has {len(header)}")
            continue
        yield _Row(where, dict(zip(header, fields, strict=False)))


def _split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split("|") if a.strip())


def _check_link(row: _Row, problems: _Problems) -> tuple[str | None, str | None]:
    qid, source = row["qid"] or None, row["source"] or None
    if qid is not None and not QID_RE.match(qid):
        problems.add(row.where, f"qid {qid!r} is not of the form Q<digits>")
        return None, None
    if qid is not None and source is None:
        problems.add(row.where, f"qid {qid} has no source; a QID without a source is not allowed")
        return None, None
    if qid is None and source is not None:
        problems.add(row.where, "source given without a qid")
    return qid, source


@dataclass
class _Draft:
    """A mutable entry while the files are merged; frozen into a GazetteerEntry at the end."""

    type: EntryType
    label: str
    where: str
    qid: str | None = None
    source: str | None = None
    aliases: list[str] = field(default_factory=list)
    iso2: str | None = None
    kind: str | None = None
    ambiguous: bool = False

    def add_alias(self, name: str) -> None:
        if name and name != self.label and name not in self.aliases:
            self.aliases.append(name)

    def relabel(self, label: str) -> None:
        if label != self.label:
            old, self.label = self.label, label
            self.aliases = [a for a in self.aliases if a != label]
            self.add_alias(old)

    def set_link(
        self, qid: str | None, source: str | None, where: str, problems: _Problems
    ) -> None:
        if qid is None:
            return
        if self.qid is not None and self.qid != qid:
            problems.add(where, f"qid {qid} contradicts {self.qid} given for {self.label!r}")
            return
        if self.qid is None:
            self.qid, self.source = qid, source

    def freeze(self) -> GazetteerEntry:
        return GazetteerEntry(
            self.type, self.label, self.qid, self.source, tuple(self.aliases), self.iso2, self.kind
        )


def _header_note(path: Path, marker: str) -> str | None:
    """The text of the first header comment line starting with ``marker`` (for provenance)."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    return None
                if line[1:].strip().startswith(marker):
                    return line[1:].strip()
    except OSError:
        return None
    return None


@dataclass
class _Builder:
    directory: Path
    problems: _Problems = field(default_factory=_Problems)
    countries: dict[str, _Draft] = field(default_factory=dict)
    capitals: dict[str, _Draft] = field(default_factory=dict)  # iso2 -> capital place
    territories: dict[str, _Draft] = field(default_factory=dict)
    organisations: list[_Draft] = field(default_factory=list)
    persons: list[_Draft] = field(default_factory=list)
    places: list[_Draft] = field(default_factory=list)
    demonyms: dict[str, list[str]] = field(default_factory=dict)  # folded word -> iso2 codes
    demonym_words: dict[str, str] = field(default_factory=dict)
    metonyms: dict[str, str] = field(default_factory=dict)  # folded name -> iso2

    def path(self, name: str) -> Path:
        return self.directory / name

    def known_iso2(self, row: _Row, column: str = "iso2", required: bool = True) -> str | None:
        code = row[column]
        if not code:
            if required:
                self.problems.add(row.where, f"empty {column}")
            return None
        if code not in self.countries and code not in self.territories:
            self.problems.add(row.where, f"{column} {code!r} is not a row of countries.tsv")
            return None
        return code

    # -- countries.tsv and its companions ----------------------------------------------------
    def read_countries(self) -> None:
        path = self.path("countries.tsv")
        if not path.exists():
            raise ConfigError(
                "the gazetteer has no countries.tsv",
                where=str(self.directory),
                hint="point to a folder laid out as data/gazetteer/ (see its README.md)",
            )
        note = _header_note(path, "Source:")
        source = f"countries.tsv, {note}" if note else "countries.tsv"
        cap_note = _header_note(path, "capital_qid:")
        cap_source = f"countries.tsv capital_qid, {cap_note}" if cap_note else None
        cols = ("iso2", "name", "qid", "capital_name", "capital_qid", "is_independent")
        overrides = self.read_overrides()
        for row in _read_tsv(path, cols, self.problems):
            code = row["iso2"]
            if not ISO2_RE.match(code):
                self.problems.add(row.where, f"iso2 {code!r} is not two capital letters")
                continue
            if not row["name"]:
                self.problems.add(row.where, "empty name")
                continue
            qid = row["qid"] or None
            if qid is not None and not QID_RE.match(qid):
                self.problems.add(row.where, f"qid {qid!r} is not of the form Q<digits>")
                qid = None
            override = overrides.get(code, {})
            independent = override.get("type", "") == "Country" or (
                not override.get("type") and row["is_independent"] == "Yes"
            )
            entry_type: EntryType = "Country" if independent else "Place"
            draft = _Draft(entry_type, row["name"], row.where, iso2=code)
            if qid is not None:
                draft.qid, draft.source = qid, source
            elif override.get("qid"):
                draft.qid, draft.source = override["qid"], override["source"]
            if entry_type == "Country":
                self.countries[code] = draft
                capital = row["capital_name"]
                if capital:
                    place = _Draft("Place", capital, row.where, iso2=code, kind="capital")
                    cap_qid = row["capital_qid"] or None
                    if cap_qid is not None and not QID_RE.match(cap_qid):
                        self.problems.add(row.where, f"capital_qid {cap_qid!r} is malformed")
                    elif cap_qid is not None and cap_source is None:
                        self.problems.add(
                            row.where, "capital_qid without a header naming its source"
                        )
                    elif cap_qid is not None:
                        place.qid, place.source = cap_qid, cap_source
                    self.capitals[code] = place
            else:
                draft.kind = "territory"
                self.territories[code] = draft

    def read_overrides(self) -> dict[str, dict[str, str]]:
        path = self.path("country-overrides.tsv")
        out: dict[str, dict[str, str]] = {}
        if not path.exists():
            return out
        for row in _read_tsv(path, ("iso2", "qid", "type", "source"), self.problems):
            qid, source = _check_link(row, self.problems)
            if row["type"] not in ("", "Country", "Place"):
                self.problems.add(row.where, f"type {row['type']!r} is not Country or Place")
                continue
            out[row["iso2"]] = {"qid": qid or "", "source": source or "", "type": row["type"]}
        return out

    def read_country_aliases(self) -> None:
        path = self.path("country-aliases.tsv")
        if not path.exists():
            return
        for row in _read_tsv(path, ("name", "iso2", "preferred"), self.problems):
            code = self.known_iso2(row)
            if code is None or not row["name"]:
                continue
            draft = self.countries.get(code) or self.territories[code]
            if row["preferred"] == "yes":
                draft.relabel(row["name"])
            elif row["preferred"]:
                self.problems.add(
                    row.where, f"preferred must be 'yes' or empty, not {row['preferred']!r}"
                )
            else:
                draft.add_alias(row["name"])

    def read_demonyms(self) -> None:
        path = self.path("demonyms.tsv")
        if not path.exists():
            return
        for row in _read_tsv(path, ("demonym", "iso2"), self.problems):
            code = self.known_iso2(row)
            if code is None or not row["demonym"]:
                continue
            key = fold(row["demonym"])
            codes = self.demonyms.setdefault(key, [])
            if code not in codes:
                codes.append(code)
            self.demonym_words.setdefault(key, row["demonym"])

    def read_metonyms(self) -> None:
        path = self.path("government-metonyms.tsv")
        if not path.exists():
            return
        for row in _read_tsv(path, ("name", "iso2"), self.problems):
            code = self.known_iso2(row)
            if code is None or not row["name"]:
                continue
            key = fold(row["name"])
            if self.metonyms.get(key, code) != code:
                self.problems.add(
                    row.where, f"{row['name']!r} already stands for {self.metonyms[key]}"
                )
                continue
            self.metonyms[key] = code

    # -- organisations, persons, places -----------------------------------------------------
    def read_organisations(self) -> None:
        path = self.path("organisations.tsv")
        if not path.exists():
            return
        for row in _read_tsv(path, ("label", "aliases", "qid", "source"), self.problems):
            if not row["label"]:
                self.problems.add(row.where, "empty label")
                continue
            qid, source = _check_link(row, self.problems)
            draft = _Draft("Organization", row["label"], row.where, qid, source)
            for alias in _split_aliases(row["aliases"]):
                draft.add_alias(alias)
            self.organisations.append(draft)

    def read_persons(self) -> None:
        path = self.path("persons.tsv")
        if not path.exists():
            return
        for row in _read_tsv(path, ("label", "aliases", "iso2", "qid", "source"), self.problems):
            if not row["label"]:
                self.problems.add(row.where, "empty label")
                continue
            qid, source = _check_link(row, self.problems)
            code = self.known_iso2(row, required=False)
            draft = _Draft("Person", row["label"], row.where, qid, source, iso2=code)
            for alias in _split_aliases(row["aliases"]):
                draft.add_alias(alias)
            self.persons.append(draft)

    def read_places(self) -> None:
        path = self.path("places.tsv")
        if not path.exists():
            return
        cols = ("label", "aliases", "iso2", "kind", "qid", "source", "flags")
        for row in _read_tsv(path, cols, self.problems):
            kind = row["kind"]
            if kind not in PLACE_KINDS:
                self.problems.add(
                    row.where, f"kind {kind!r} is not one of {', '.join(PLACE_KINDS)}"
                )
                continue
            if row["flags"] not in ("", "ambiguous"):
                self.problems.add(row.where, f"flags {row['flags']!r} is not 'ambiguous' or empty")
                continue
            if not row["label"]:
                self.problems.add(row.where, "empty label")
                continue
            qid, source = _check_link(row, self.problems)
            code = self.known_iso2(row, required=kind in ("capital", "territory"))
            if kind == "capital" and code is not None:
                draft = self.capitals.get(code)
                if draft is None:
                    draft = _Draft("Place", row["label"], row.where, iso2=code, kind="capital")
                    self.capitals[code] = draft
                draft.relabel(row["label"])
            elif kind == "territory" and code is not None:
                found = self.territories.get(code)
                if found is None:
                    self.problems.add(row.where, f"{code} is not a territory row of countries.tsv")
                    continue
                draft = found
                draft.relabel(row["label"])
            else:
                draft = _Draft("Place", row["label"], row.where, iso2=code, kind=kind)
                self.places.append(draft)
            for alias in _split_aliases(row["aliases"]):
                draft.add_alias(alias)
            draft.set_link(qid, source, row.where, self.problems)
            draft.ambiguous = draft.ambiguous or row["flags"] == "ambiguous"

    def read_verified(self) -> None:
        """verified.tsv adds QIDs to entries of other files (or new ones) by label and type."""
        path = self.path("verified.tsv")
        if not path.exists():
            return
        type_map: dict[str, EntryType] = {
            "City": "Place", "Place": "Place", "Person": "Person", "Country": "Country",
            "Organization": "Organization", "Organisation": "Organization",
        }  # fmt: skip
        for row in _read_tsv(path, ("label", "qid", "type", "source"), self.problems):
            qid, source = _check_link(row, self.problems)
            entry_type = type_map.get(row["type"])
            if entry_type is None:
                self.problems.add(row.where, f"type {row['type']!r} is not one the gazetteer knows")
                continue
            if qid is None or not row["label"]:
                continue
            key = fold(row["label"])
            matches = [d for d in self.drafts() if d.type == entry_type and fold(d.label) == key]
            if not matches:
                kind = "city" if entry_type == "Place" else None
                draft = _Draft(entry_type, row["label"], row.where, kind=kind)
                {"Place": self.places, "Person": self.persons}.get(
                    entry_type, self.organisations
                ).append(draft)
                matches = [draft]
            for draft in matches:
                draft.set_link(qid, f"verified.tsv: {source}", row.where, self.problems)

    def read_reconciled(self) -> None:
        """Links `diplograph link` accepted from Wikidata (or a researcher curated there).

        They only fill entries that have no QID yet: a sourced link in the other files wins.
        """
        path = self.path("reconciled.tsv")
        if not path.exists():
            return
        try:
            decisions = read_decisions(path)
        except DiplographError as exc:
            self.problems.add(exc.where or str(path), exc.message)
            return
        for decision in links_from(decisions).values():
            if decision.type not in ("Country", "Organization", "Place", "Person"):
                continue
            entry_type: EntryType = decision.type  # type: ignore[assignment]
            key = fold(decision.label)
            matches = [
                d
                for d in self.drafts()
                if d.type == entry_type and key in {fold(n) for n in (d.label, *d.aliases)}
            ]
            source = f"reconciled.tsv: {decision.source}, retrieved {decision.retrieved}"
            if not matches:
                draft = _Draft(entry_type, decision.label, f"{path.name}")
                {"Place": self.places, "Person": self.persons}.get(
                    entry_type, self.organisations
                ).append(draft)
                matches = [draft]
            for draft in matches:
                if draft.qid is None:
                    draft.qid, draft.source = decision.qid, source

    def drafts(self) -> Iterator[_Draft]:
        """All entries, in lookup precedence: countries, organisations, persons, places."""
        yield from self.countries.values()
        yield from self.organisations
        yield from self.persons
        yield from self.capitals.values()
        yield from self.territories.values()
        yield from self.places

    # -- indexes ----------------------------------------------------------------------------
    def build(self) -> Gazetteer:
        frozen: dict[int, GazetteerEntry] = {id(d): d.freeze() for d in self.drafts()}
        names: dict[str, GazetteerEntry] = {}
        acronyms: dict[str, GazetteerEntry] = {}
        owners: dict[tuple[str, str], _Draft] = {}

        for draft in self.drafts():
            entry = frozen[id(draft)]
            if draft.ambiguous:
                continue
            for name in (draft.label, *draft.aliases):
                exact = _strip_the(name)
                index, key = (acronyms, exact) if is_acronym(exact) else (names, fold(name))
                if not key:
                    continue
                slot = ("A" if index is acronyms else "N", key)
                owner = owners.get(slot)
                if owner is None:
                    owners[slot] = draft
                    index[key] = entry
                elif owner is not draft and owner.type == draft.type:
                    self.problems.add(
                        draft.where,
                        f"{name!r} names both {owner.label!r} ({owner.where}) and {draft.label!r}",
                    )
        country = {code: frozen[id(d)] for code, d in self.countries.items()}
        capitals: dict[str, GazetteerEntry] = {}
        metonyms: dict[str, GazetteerEntry] = {}
        for code, place in self.capitals.items():
            if code not in country:
                continue
            for name in (place.label, *place.aliases):
                capitals.setdefault(fold(name), country[code])
                if not place.ambiguous:
                    metonyms.setdefault(fold(name), country[code])
        for key, code in self.metonyms.items():
            if code in country:
                metonyms[key] = country[code]
            else:
                metonyms[key] = frozen[id(self.territories[code])]
        demonyms = {
            key: tuple(country[c] for c in codes if c in country)
            for key, codes in self.demonyms.items()
        }
        surnames: dict[str, list[GazetteerEntry]] = {}
        for draft in self.persons:
            entry = frozen[id(draft)]
            for key in _surname_keys(draft.label, draft.aliases):
                bucket = surnames.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
        self.check_coverage()
        if self.problems.items:
            shown = "\n  ".join(self.problems.items[:20])
            more = len(self.problems.items) - 20
            raise ConfigError(
                f"{len(self.problems.items)} malformed gazetteer row(s):\n  {shown}"
                + (f"\n  ... and {more} more" if more > 0 else ""),
                where=str(self.directory),
                hint="fix the rows named above; data/gazetteer/README.md describes each file",
            )
        return Gazetteer(
            entries=tuple(frozen[id(d)] for d in self.drafts()),
            _names=names,
            _acronyms=acronyms,
            _demonyms=demonyms,
            _demonym_words=dict(self.demonym_words),
            _capitals=capitals,
            _metonyms=metonyms,
            _surnames={k: tuple(sorted(v, key=lambda e: e.label)) for k, v in surnames.items()},
        )

    def check_coverage(self) -> None:
        """Every QID-bearing entry has a source (a last guard for rows merged from files)."""
        for draft in self.drafts():
            if draft.qid is not None and not draft.source:
                self.problems.add(draft.where, f"{draft.label!r} has qid {draft.qid} but no source")


def _surname_keys(label: str, aliases: Iterable[str]) -> set[str]:
    words = [w for w in label.split() if fold(w) not in _NAME_SUFFIXES]
    keys = {fold(words[-1])} if words else set()
    keys |= {fold(a) for a in aliases if len(a.split()) == 1}
    return keys


def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """Parse the gazetteer files once; every malformed row is reported with file:line."""
    builder = _Builder(Path(directory) if directory is not None else gazetteer_dir())
    builder.read_countries()
    builder.read_country_aliases()
    builder.read_demonyms()
    builder.read_metonyms()
    builder.read_organisations()
    builder.read_persons()
    builder.read_places()
    builder.read_verified()
    builder.read_reconciled()
    return builder.build()

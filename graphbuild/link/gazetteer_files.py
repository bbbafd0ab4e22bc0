"""Reading the gazetteer's TSV files under ``data/gazetteer/`` into a ``Gazetteer``.

Every file is checked as it is read: a malformed row, a QID without its source, a name that
denotes two entries of one type are each reported with file and line, and any of them stops
loading (see ``data/gazetteer/README.md`` for what each file holds). Curated rows win over
decisions ``diplograph link`` wrote to ``reconciled.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.errors import ConfigError, DiplographError
from graphbuild.link.gazetteer import (
    EntryType,
    Gazetteer,
    GazetteerEntry,
    fold,
    is_acronym,
    strip_the,
)
from graphbuild.link.reconcile import links_from, read_decisions
from graphbuild.resources import gazetteer_dir

PLACE_KINDS = ("capital", "territory", "city", "region")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


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
                exact = strip_the(name)
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

"""The invented world the synthetic corpus and RDF are drawn from: real countries, invented people.

Countries, demonyms and capitals are read from the gazetteer at run time (so the extractor
can link them, as it would in real news); every person is invented, and each holds one office
for one country across the whole corpus, so the same actors recur from article to article as
they do in a real news stream (which is what makes cross-article queries and paths work).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphbuild.resources import gazetteer_dir

FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Anna", "she"),
    ("Tomas", "he"),
    ("Mira", "she"),
    ("Pavel", "he"),
    ("Elena", "she"),
    ("Jonas", "he"),
    ("Laila", "she"),
    ("Karim", "he"),
    ("Sofia", "she"),
    ("Daniel", "he"),
    ("Amara", "she"),
    ("Victor", "he"),
    ("Ines", "she"),
    ("Marek", "he"),
    ("Leila", "she"),
    ("Oskar", "he"),
    ("Nadia", "she"),
    ("Rafael", "he"),
    ("Helena", "she"),
    ("Samuel", "he"),
    ("Irina", "she"),
    ("Adrian", "he"),
    ("Maya", "she"),
    ("Lukas", "he"),
    ("Clara", "she"),
    ("Matteo", "he"),
    ("Yasmin", "she"),
    ("Felix", "he"),
    ("Alina", "she"),
    ("Omar", "he"),
    ("Teresa", "she"),
    ("Anton", "he"),
    ("Zara", "she"),
    ("Julian", "he"),
    ("Rosa", "she"),
    ("Emil", "he"),
    ("Lucia", "she"),
    ("Hugo", "he"),
    ("Vera", "she"),
    ("Nikolai", "he"),
    ("Farida", "she"),
    ("Stefan", "he"),
    ("Greta", "she"),
    ("Tariq", "he"),
    ("Marta", "she"),
    ("Andres", "he"),
    ("Selin", "she"),
    ("Bruno", "he"),
    ("Dana", "she"),
    ("Ilya", "he"),
)

SURNAMES: tuple[str, ...] = (
    "Kovalenko",
    "Marquez",
    "Lindqvist",
    "Haddad",
    "Okafor",
    "Petrescu",
    "Varga",
    "Nakamura",
    "Castellano",
    "Brennan",
    "Szabo",
    "Mendoza",
    "Rahimov",
    "Adeyemi",
    "Novak",
    "Holm",
    "Serrano",
    "Karimova",
    "Dumont",
    "Ferreira",
    "Baranov",
    "Osei",
    "Lindholm",
    "Quintero",
    "Aziz",
    "Moreau",
    "Halvorsen",
    "Tanaka",
    "Vasquez",
    "Kuznetsov",
    "Mbeki",
    "Rossetti",
    "Aliyeva",
    "Delgado",
    "Sorensen",
    "Yilmaz",
    "Petrov",
    "Camara",
    "Eriksen",
    "Navarro",
    "Hoffmann",
    "Sadikov",
    "Mensah",
    "Falk",
    "Ibarra",
    "Volkova",
    "Nasser",
    "Keller",
    "Tomescu",
    "Barros",
    "Lindgren",
    "Orlov",
    "Achebe",
    "Santoro",
    "Wagner",
    "Demir",
    "Castillo",
    "Jansen",
    "Malik",
    "Romero",
    "Bauer",
    "Sato",
    "Ivanova",
    "Duarte",
)

# Office titles as news writes them before a name; the same person keeps one office.
OFFICES: tuple[str, ...] = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Deputy Foreign Minister",
    "Trade Minister",
)

AGREEMENTS: tuple[str, ...] = (
    "Treaty on Friendship and Cooperation",
    "Declaration on Strategic Partnership",
    "Memorandum of Understanding on Energy Cooperation",
    "Agreement on Visa-Free Travel",
    "Joint Declaration on Allied Relations",
    "Accord on Border Demarcation",
    "Framework Agreement on Trade and Investment",
)

TOPICS: tuple[str, ...] = (
    "energy",
    "trade",
    "security",
    "transport",
    "climate",
    "education",
    "migration",
    "health",
    "agriculture",
    "investment",
    "tourism",
    "culture",
    "water management",
    "digital connectivity",
    "humanitarian aid",
    "border management",
)

ORGANISATION_EVENTS: tuple[str, ...] = (
    "United Nations General Assembly",
    "G20 summit",
    "Munich Security Conference",
    "World Economic Forum",
)


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    demonym: str
    capital: str
    qid: str | None


@dataclass(frozen=True)
class Person:
    first: str
    surname: str
    pronoun: str  # "he" or "she"
    office: str
    country: Country

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"

    @property
    def possessive(self) -> str:
        return "his" if self.pronoun == "he" else "her"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a gazetteer TSV (comment lines start with '#', the first other line is a header)."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def load_countries(directory: Path | None = None) -> list[Country]:
    """Independent countries with a capital and an unambiguous demonym, in ISO code order."""
    root = directory or gazetteer_dir()
    demonym_owners: dict[str, set[str]] = {}
    demonym_of: dict[str, str] = {}
    for row in _rows(root / "demonyms.tsv"):
        word, iso = row["demonym"].strip(), row["iso2"].strip()
        demonym_owners.setdefault(word, set()).add(iso)
        demonym_of.setdefault(iso, word)
    preferred: dict[str, str] = {}
    aliases = root / "country-aliases.tsv"
    if aliases.exists():
        for row in _rows(aliases):
            if (row.get("preferred") or "").strip() == "yes":
                preferred[row["iso2"].strip()] = row["name"].strip()
    out: list[Country] = []
    for row in _rows(root / "countries.tsv"):
        iso = row["iso2"].strip()
        demonym = demonym_of.get(iso)
        capital = (row.get("capital_name") or "").strip()
        if row.get("is_independent", "").strip() != "Yes" or not capital or demonym is None:
            continue
        if len(demonym_owners[demonym]) != 1:
            continue
        name = preferred.get(iso, row["name"].strip())
        out.append(Country(iso, name, demonym, capital, row.get("qid", "").strip() or None))
    out.sort(key=lambda c: c.iso2)
    return out


@dataclass(frozen=True)
class World:
    """Everything articles are drawn from; a function of the seed and the gazetteer."""

    seed: int
    countries: tuple[Country, ...]
    people: tuple[Person, ...]

    def cabinet(self, country: Country) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.country == country)


def make_world(seed: int = 7, directory: Path | None = None) -> World:
    """Invent one office holder per office and country; names are unique across the world."""
    countries = load_countries(directory)
    if len(countries) < 4:
        raise ValueError(f"the gazetteer in {directory or gazetteer_dir()} has too few countries")
    rng = random.Random(f"world-{seed}")
    names = [(f, g, s) for f, g in FIRST_NAMES for s in SURNAMES]
    rng.shuffle(names)
    people: list[Person] = []
    it = iter(names)
    for country in countries:
        for office in OFFICES:
            first, pronoun, surname = next(it)
            people.append(Person(first, surname, pronoun, office, country))
    return World(seed, tuple(countries), tuple(people))

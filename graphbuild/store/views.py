"""Precomputed answers to the questions that are slow in every SPARQL engine.

Country-pair meeting counts and multi-hop ``dg:metWith`` paths join each article's copy of the
same facts with every other's: 0.1 s to minutes at 10k articles, in pyoxigraph, Oxigraph's
server and the rest. Their answers only change when the data does, so they are computed once
per store version, from a few ``SELECT DISTINCT`` fact tables (deduplicated across articles),
in Python, and the final ordering and LIMIT are applied by pyoxigraph over ``VALUES`` rows, so
the answer is the engine's own, byte for byte in content and order where the query orders.

A view answers exactly one query text (shipped in ``data/views/`` or ``data/queries/``), up
to whitespace and comments, with at most one string literal left open (``"{name}"``): a
researcher who runs that question, for any name, gets the precomputed answer; any other
query goes to the engine. Answers are stored next to the store (``views.json``, written
atomically) with the store version they were computed for; a stale file is never used.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphbuild.resources import queries_dir, views_dir

DG = "https://w3id.org/diplograph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FILE_NAME = "views.json"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<long>"{3}|'{3})
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<word>[A-Za-z0-9_:?$.\-]+)
  | (?P<op>!=|<=|>=|&&|\|\||\^\^)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_PNAME = re.compile(r"([A-Za-z][\w.\-]*)?:([\w\-]+(?:[\w.\-]*[\w\-])?)?")
_NUMBER = re.compile(r"[0-9.\-]")


class _Unmatchable(Exception):
    """The query uses syntax the normaliser does not model: the engine answers it."""


def _unescape(literal: str) -> str:
    """A short string literal's value; ``\\u`` and unknown escapes are not modelled."""

    def one(m: re.Match[str]) -> str:
        if m[1] not in _ECHAR:
            raise _Unmatchable(m[0])
        return _ECHAR[m[1]]

    return _ESCAPE.sub(one, literal[1:-1])


CACHED_TEXT_CHARS = 8192
"""Queries up to this long keep their normal form (:func:`normal_form`)."""


def normal_form(query: str) -> tuple[str, ...] | None:
    """:func:`read_normal_form`, kept for the last few hundred query texts: the server
    looks up every query it is sent, and clients send the same ones again and again. The
    normal form depends on the text alone, so a kept one is exact."""
    if len(query) > CACHED_TEXT_CHARS:
        return read_normal_form(query)
    return _kept_normal_form(query)


@functools.lru_cache(maxsize=512)
def _kept_normal_form(query: str) -> tuple[str, ...] | None:
    return read_normal_form(query)


def read_normal_form(query: str) -> tuple[str, ...] | None:
    """The query's tokens as the engine reads them, or None for syntax left to the engine.

    Whitespace and comments are dropped, PREFIX declarations applied (prefixed names become
    full IRIs, so prefix names and unused declarations do not matter), keywords upper-cased
    (except ``a``, which is case-sensitive), ``$x`` read as ``?x`` and string literals
    spelled one way. What could be read two ways here (long strings, ``\\u`` escapes, BASE,
    blank node labels) makes the query unmatchable: a miss only costs an engine run.
    """
    try:
        return tuple(_normalise(query))
    except _Unmatchable:
        return None


def _normalise(query: str) -> list[str]:
    prefixes: dict[str, str] = {}
    out: list[str] = []
    pending: list[str] = []  # a PREFIX declaration being read
    for m in _TOKEN.finditer(query):
        kind, text = m.lastgroup, m.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "long":
            raise _Unmatchable(text)
        if pending:
            if len(pending) == 1 and kind == "word" and text.endswith(":"):
                pending.append(text)
                continue
            if len(pending) == 2 and kind == "iri":
                prefixes[pending[1][:-1]] = text[1:-1]
                pending.clear()
                continue
            raise _Unmatchable(text)  # a declaration we do not read: the engine will
        if kind == "string":
            out.append(json.dumps(_unescape(text), ensure_ascii=False))
        elif kind == "word":
            out.extend(_words(text, prefixes, pending))
        else:
            out.append(text)
    if pending:
        raise _Unmatchable("PREFIX")
    return out


def _words(text: str, prefixes: dict[str, str], pending: list[str]) -> list[str]:
    """A run of name characters: trailing dots end triples, prefixed names are expanded."""
    word = text.rstrip(".")
    ends = ["."] * (len(text) - len(word))
    if not word:
        return ends
    if word[0] in "?$":
        if any(c in word[1:] for c in "?$:.-"):
            raise _Unmatchable(word)
        return ["?" + word[1:], *ends]
    if ":" in word:
        pn = _PNAME.fullmatch(word)
        if pn is None or (pn[1] or "") not in prefixes:
            raise _Unmatchable(word)  # blank node labels, odd or undeclared names
        if pending:  # PREFIX dg:<iri> without a space is left to the engine
            raise _Unmatchable(word)
        return [f"<{prefixes[pn[1] or '']}{pn[2] or ''}>", *ends]
    if _NUMBER.match(word):
        return [word, *ends]
    upper = word.upper()
    if upper == "PREFIX" and not ends:
        pending.append(upper)
        return []
    if upper == "BASE":
        raise _Unmatchable(word)  # relative IRIs would then mean something else
    return [word if word == "a" else upper, *ends]


def is_slot(token: str) -> bool:
    """A template's parameter: a string literal written ``"{name}"``."""
    return len(token) > 4 and token.startswith('"{') and token.endswith('}"')


def tokens(query: str) -> tuple[str, ...]:
    """The normal form; empty for a query the normaliser leaves to the engine."""
    return normal_form(query) or ()


# ---- the facts the views are computed from --------------------------------------------------


@dataclass
class Facts:
    """Deduplicated tables read once from the store (the union of the article graphs)."""

    participants: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    scheduled: set[str] = field(default_factory=set)
    held: set[str] = field(default_factory=set)
    represents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    country_labels: dict[str, set[ox.Literal]] = field(default_factory=lambda: defaultdict(set))
    met_with: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, set[ox.Literal]] = field(default_factory=lambda: defaultdict(set))
    by_label: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Nodes by the lexical form of a plain (xsd:string) label, as ``rdfs:label "x"`` finds."""


def _rows(store: ox.Store, query: str) -> Iterable[ox.QuerySolution]:
    result = store.query(
        query, prefixes={"dg": DG, "rdfs": RDFS_LABEL[:-5]}, use_default_graph_as_union=True
    )
    assert isinstance(result, ox.QuerySolutions)
    return result


def read_facts(store: ox.Store) -> Facts:
    f = Facts()
    for r in _rows(store, "SELECT DISTINCT ?m WHERE { ?m a dg:Meeting }"):
        f.held.add(_key(r["m"]))
    for r in _rows(store, "SELECT DISTINCT ?m WHERE { ?m a dg:ScheduledMeeting }"):
        f.scheduled.add(_key(r["m"]))
    for r in _rows(store, "SELECT DISTINCT ?m ?p WHERE { ?m dg:participant ?p }"):
        f.participants[_key(r["m"])].add(_key(r["p"]))
    for r in _rows(store, "SELECT DISTINCT ?x ?c WHERE { ?x dg:represents ?c . ?c a dg:Country }"):
        f.represents[_key(r["x"])].add(_key(r["c"]))
    for r in _rows(store, "SELECT DISTINCT ?c ?l WHERE { ?c a dg:Country ; rdfs:label ?l }"):
        label = r["l"]
        if isinstance(label, ox.Literal):
            f.country_labels[_key(r["c"])].add(label)
    for r in _rows(store, "SELECT DISTINCT ?x ?y WHERE { ?x dg:metWith ?y }"):
        f.met_with[_key(r["x"])].add(_key(r["y"]))
    for r in _rows(store, "SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l }"):
        label = r["l"]
        node = _key(r["x"])
        f.labels[node].add(label)
        if isinstance(label, ox.Literal) and label.datatype.value == XSD_STRING:
            f.by_label[label.value].add(node)
    return f


def _key(term: Any) -> str:
    """Terms as their N-Triples text: hashable, and back to a term through ``VALUES``."""
    return str(term)


# ---- answering ------------------------------------------------------------------------------


def _values_answer(variables: Sequence[str], rows: Iterable[Sequence[str]], tail: str) -> bytes:
    """The rows as pyoxigraph orders, limits and serialises them (SPARQL JSON results)."""
    head = " ".join(f"?{v}" for v in variables)
    body = "\n".join("(" + " ".join(row) + ")" for row in rows)
    query = f"SELECT {head} WHERE {{ VALUES ({head}) {{ {body} }} }} {tail}"
    result = ox.Store().query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result.serialize(format=ox.QueryResultsFormat.JSON) or b""


def _integer(n: int) -> str:
    return f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>'


def _country_pairs(f: Facts, meetings: Iterable[str]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for m in meetings:
        countries: set[str] = set()
        for p in f.participants.get(m, ()):
            countries.update(f.represents.get(p, ()))
        labels = {label for c in countries for label in f.country_labels.get(c, ())}
        pairs = {
            (str(a), str(b)) for a in labels for b in labels if a.value < b.value
        }  # STR(?a) < STR(?b)
        for pair in pairs:
            counts[pair] += 1
    return counts


def _pairs_answer(
    f: Facts, names: tuple[str, str, str], meetings: Iterable[str], tail: str
) -> dict[str, bytes]:
    counts = _country_pairs(f, meetings)
    rows = [(a, b, _integer(n)) for (a, b), n in counts.items()]
    return {"": _values_answer(names, rows, tail)}


def country_pairs_top50(f: Facts) -> dict[str, bytes]:
    meetings = [m for m in f.participants if m in f.held]
    return _pairs_answer(
        f, ("a", "b", "meetings"), meetings, "ORDER BY DESC(?meetings) ?a ?b LIMIT 50"
    )


def meetings_per_country_pair(f: Facts) -> dict[str, bytes]:
    meetings = [m for m in f.participants if m in f.held and m not in f.scheduled]
    return _pairs_answer(
        f, ("countryA", "countryB", "meetings"), meetings, "ORDER BY DESC(?meetings)"
    )


def _names(f: Facts) -> Iterable[tuple[str, set[str]]]:
    """Every plain label of a node that met someone, with the nodes it labels."""
    for name, nodes in f.by_label.items():
        if any(n in f.met_with for n in nodes):
            yield name, nodes


def two_hop_contacts(f: Facts) -> dict[str, bytes]:
    out = {}
    for name, nodes in _names(f):
        others: set[str] = set()
        for x in nodes:
            for a in f.met_with.get(x, ()):
                for y in f.met_with.get(a, ()):
                    if y != x:
                        others.update(str(label) for label in f.labels.get(y, ()))
        out[name] = _values_answer(("other",), [(o,) for o in others], "ORDER BY ?other")
    return out


def three_hop_reach(f: Facts) -> dict[str, bytes]:
    out = {}
    for name, nodes in _names(f):
        reach: set[str] = set()
        for x in nodes:
            for a in f.met_with.get(x, ()):
                for b in f.met_with.get(a, ()):
                    reach.update(z for z in f.met_with.get(b, ()) if z != x)
        out[name] = _values_answer(("reach",), [(_integer(len(reach)),)], "")
    return out


@dataclass(frozen=True)
class View:
    name: str
    file: Path
    compute: Callable[[Facts], dict[str, bytes]]

    def template(self) -> tuple[str, ...]:
        return tokens(self.file.read_text(encoding="utf-8"))


def shipped_views() -> list[View]:
    views = views_dir()
    queries = queries_dir()
    return [
        View(
            "meetings-per-country-pair",
            queries / "07-meetings-per-country-pair.rq",
            meetings_per_country_pair,
        ),
        View("country-pairs-top50", views / "country-pairs-top50.rq", country_pairs_top50),
        View("two-hop-contacts", views / "two-hop-contacts.rq", two_hop_contacts),
        View("three-hop-reach", views / "three-hop-reach.rq", three_hop_reach),
    ]


@dataclass
class Answers:
    """Every view's answers for one store version, and the matcher for incoming queries."""

    version: str
    answers: dict[str, dict[str, bytes]]
    templates: dict[str, tuple[str, ...]]

    def lookup(self, query: str) -> bytes | None:
        """The stored SPARQL JSON answer when ``query`` is one of the views' questions."""
        got = normal_form(query)
        if not got:
            return None
        for name, template in self.templates.items():
            if len(got) != len(template):
                continue
            param = ""
            for mine, theirs in zip(template, got, strict=True):
                if mine == theirs:
                    continue
                if is_slot(mine) and theirs[:1] == '"':
                    param = json.loads(theirs)
                    continue
                break
            else:
                return self.answers.get(name, {}).get(param)
        return None

    def save(self, folder: Path) -> None:
        data = {
            "version": self.version,
            "answers": {
                n: {p: body.decode("utf-8") for p, body in by.items()}
                for n, by in self.answers.items()
            },
        }
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".views-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(tmp, folder / FILE_NAME)


def compute_answers(store: ox.Store, version: str, views: list[View] | None = None) -> Answers:
    views = shipped_views() if views is None else views
    facts = read_facts(store)
    return Answers(
        version,
        {v.name: v.compute(facts) for v in views},
        {v.name: v.template() for v in views},
    )


def load_answers(folder: Path, version: str, views: list[View] | None = None) -> Answers | None:
    """The saved answers when they were computed for ``version``; else None."""
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    views = shipped_views() if views is None else views
    return Answers(
        version,
        {n: {p: b.encode("utf-8") for p, b in by.items()} for n, by in data["answers"].items()},
        {v.name: v.template() for v in views},
    )


def forget_answers(folder: Path | None) -> None:
    """Drop the saved answers before the data changes outside a build (SPARQL Update).

    The store's version only follows build records, so an update leaves it as it was: the
    saved answers must go first, or a crash before they are recomputed would leave them
    looking current.
    """
    if folder is not None:
        (folder / FILE_NAME).unlink(missing_ok=True)

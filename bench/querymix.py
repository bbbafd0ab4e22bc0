"""The researcher query mix: the UI's example queries plus the kinds researchers ask all day.

The examples come from data/queries/*.rq as they ship (federated ones, which would measure
Wikidata rather than us, are left out); a person's name in them is replaced by one that the
benchmark data holds, picked deterministically from the data. The extra queries cover
aggregation, a date range, two- and three-hop paths, a text filter and DESCRIBE.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graphbuild.resources import queries_dir, resource_path

PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <https://schema.org/>
"""

# Questions that are slow in every engine (multi-hop paths, country-pair aggregation): the
# issue asks Diplograph to precompute what they need and beat Oxigraph's own server on them.
HARD_VIEWS = {
    "agg-country-pairs": "country-pairs-top50.rq",
    "path-2-hop": "two-hop-contacts.rq",
    "path-3-hop": "three-hop-reach.rq",
}
HARD = frozenset({"07-meetings-per-country-pair", *HARD_VIEWS})


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    kind: str  # "select" (SPARQL JSON results) or "graph" (N-Triples)
    origin: str  # "example" (data/queries) or "mix"


@dataclass(frozen=True)
class Probe:
    """Values the parameterised queries need, read from the data being served."""

    person_name: str
    person_iri: str
    year: int


def _select(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def probe(store: ox.Store) -> Probe:
    """The person with the most held meetings (ties by name), and the busiest year."""
    rows = _select(
        store,
        PREFIXES
        + """SELECT ?p ?name (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a dg:Meeting ; dg:participant ?p . ?p rdfs:label ?name .
} GROUP BY ?p ?name ORDER BY DESC(?n) ?name LIMIT 1""",
    )
    if not rows:
        raise ValueError("the benchmark data has no meetings")
    person = rows[0]
    years = _select(
        store,
        PREFIXES
        + """SELECT ?y (COUNT(*) AS ?n) WHERE {
  ?m a dg:Meeting ; dg:date ?d . BIND(YEAR(?d) AS ?y)
} GROUP BY ?y ORDER BY DESC(?n) ?y LIMIT 1""",
    )
    return Probe(
        person_name=person["name"].value,
        person_iri=person["p"].value,
        year=int(years[0]["y"].value),
    )


_NAME_FILTER = re.compile(r'(FILTER\s*\(\s*STR\(\s*\?name\s*\)\s*=\s*)"[^"]*"(\s*\))')


def _kind(text: str) -> str:
    body = re.sub(r"(?im)^\s*(PREFIX|BASE|#).*$", "", text)
    return "graph" if re.search(r"(?i)\b(CONSTRUCT|DESCRIBE)\b", body) else "select"


def _replacer(value: str) -> Callable[[re.Match[str]], str]:
    def replace(m: re.Match[str]) -> str:
        return f'{m.group(1)}"{value}"{m.group(2)}'

    return replace


def example_queries(p: Probe, folder: Path | None = None) -> list[Query]:
    out: list[Query] = []
    for path in sorted((folder or queries_dir()).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?i)\bSERVICE\b", text):
            continue  # federated: would time Wikidata, not the endpoint
        escaped = p.person_name.replace("\\", "\\\\").replace('"', '\\"')
        text = _NAME_FILTER.sub(_replacer(escaped), text)
        out.append(Query(path.stem, text, _kind(text), "example"))
    return out


def mix_queries(p: Probe) -> list[Query]:
    name = p.person_name.replace("\\", "\\\\").replace('"', '\\"')
    y = p.year
    q = {
        "agg-meetings-per-year": """SELECT ?year (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
  ?m a dg:Meeting ; dg:date ?d . BIND(YEAR(?d) AS ?year)
} GROUP BY ?year ORDER BY ?year""",
        "agg-top-people": """SELECT ?name (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
  ?m a dg:Meeting ; dg:participant ?p . ?p rdfs:label ?name .
} GROUP BY ?name ORDER BY DESC(?meetings) ?name LIMIT 20""",
        "date-range": f"""SELECT DISTINCT ?date ?name WHERE {{
  ?m a dg:Meeting ; dg:date ?date ; dg:participant/rdfs:label ?name .
  FILTER(?date >= "{y}-03-01"^^xsd:date && ?date < "{y}-07-01"^^xsd:date)
}} ORDER BY ?date ?name""",
        "text-filter": """SELECT ?article ?title WHERE {
  ?article a dg:Article ; schema:headline ?title ; schema:text ?text .
  FILTER(CONTAINS(LCASE(?text), "corridor") && REGEX(?title, "talks", "i"))
} ORDER BY ?article LIMIT 100""",
        "lookup-person": f"""SELECT DISTINCT ?title ?party WHERE {{
  ?p rdfs:label "{name}" .
  ?r dg:roleHolder ?p ; dg:roleTitle ?title ; dg:roleParty/rdfs:label ?party .
}}""",
    }
    out = [Query(k, PREFIXES + v, "select", "mix") for k, v in q.items()]
    # the hard questions as the researchers' registered views ship them (data/views)
    views = resource_path("data", "views")
    for key, file in HARD_VIEWS.items():
        text = (views / file).read_text(encoding="utf-8").replace('"{name}"', f'"{name}"')
        out.append(Query(key, text, "select", "mix"))
    out.append(Query("describe-person", f"DESCRIBE <{p.person_iri}>", "graph", "mix"))
    return out


def query_mix(store: ox.Store, folder: Path | None = None) -> tuple[Probe, list[Query]]:
    p = probe(store)
    return p, [*example_queries(p, folder), *mix_queries(p)]

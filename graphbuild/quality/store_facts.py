"""Reading an article's facts back out of the store, for ``diplograph evaluate``.

Evaluation runs on what researchers query (the stored graph), not on the extractor's
in-memory output, so mapping, linking and reasoning are scored too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Protocol

from graphbuild.quality.evaluate import Fact, Names, _fold, _pairs
from graphbuild.vocabulary import graph_iri

PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
"""


class Queryable(Protocol):
    def query(self, sparql: str) -> Any: ...


def _rows(store: Queryable, sparql: str) -> list[dict[str, str]]:
    results = store.query(PREFIXES + sparql)
    names = [v.value for v in results.variables]
    return [{n: (sol[n].value if sol[n] is not None else "") for n in names} for sol in results]


def facts_from_store(store: Queryable, article_id: str, base: str) -> list[Fact]:
    g = f"<{graph_iri(base, article_id)}>"
    names: dict[str, set[str]] = defaultdict(set)
    for row in _rows(
        store,
        f"SELECT ?e ?n WHERE {{ GRAPH {g} {{ "
        "{ ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n } } }",
    ):
        names[row["e"]].add(_fold(row["n"]))

    def n(iri: str) -> Names:
        return frozenset(names.get(iri, {iri}))

    facts: list[Fact] = []
    for row in _rows(
        store,
        f"SELECT DISTINCT ?h ?p WHERE {{ GRAPH {g} {{ "
        "?r a dg:Role ; dg:roleHolder ?h ; dg:roleParty ?p } }",
    ):
        facts.append(Fact("represents", (n(row["h"]), n(row["p"]))))
    meetings: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in _rows(
        store,
        f"""SELECT ?m ?d ?p (EXISTS {{ GRAPH {g} {{ ?m a dg:ScheduledMeeting }} }} AS ?s) WHERE {{
              GRAPH {g} {{ VALUES ?c {{ dg:Meeting dg:ScheduledMeeting }}
                ?m a ?c ; dg:participant ?p OPTIONAL {{ ?m dg:date ?d }} }}
            }}""",
    ):
        meetings[(row["m"], row["d"], row["s"])].append(row["p"])
    seen: set[frozenset[Names]] = set()
    for (_m, d, scheduled), people in sorted(meetings.items()):
        date = dt.date.fromisoformat(d) if d else None  # a meeting the text does not date
        rel = "scheduled" if scheduled == "true" else "meetings"
        parts = tuple(n(p) for p in sorted(set(people)))
        facts.append(Fact(rel, parts, (date,), unordered=True))
        if rel == "meetings":
            for a, b in _pairs(list(parts)):
                key = frozenset((a, b))
                if key not in seen:
                    seen.add(key)
                    facts.append(Fact("met_with", (a, b), unordered=True))
    for row in _rows(
        store,
        f"""SELECT DISTINCT ?d ?bd ?k WHERE {{ GRAPH {g} {{
              ?e dg:anniversaryOf ?b ; dg:anniversaryNumber ?k ; dg:date ?d .
              ?b dg:date ?bd }} }}""",
    ):
        facts.append(
            Fact(
                "anniversaries",
                (),
                (dt.date.fromisoformat(row["d"]), dt.date.fromisoformat(row["bd"])),
                number=int(row["k"]),
            )
        )
    for row in _rows(
        store,
        f"SELECT DISTINCT ?s ?t WHERE {{ GRAPH {g} {{ "
        "?q a dg:Quotation ; dg:speaker ?s ; schema:text ?t } }",
    ):
        facts.append(Fact("quotes", (n(row["s"]),), text=row["t"]))
    return facts

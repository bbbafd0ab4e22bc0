"""Grammar-aware fuzzing of the guard against the engine itself.

Queries and updates are generated from SPARQL's pieces that change how text is read (``\\u``
escapes in IRIs and strings, comments, ``#`` inside IRIs, PREFIX and BASE, glued keywords,
case, nesting) around a SERVICE or LOAD aimed at a loopback listener. The property: whatever
the guard lets through, pyoxigraph, run on it in this process, never contacts the listener.
A second test checks the generator is not vacuous: unguarded, its queries do reach the
listener (so the property above could fail).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loopback import Listener, listening

from server.guard import GuardError, check, check_update

ALLOWED = ("https://query.wikidata.org/sparql",)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with listening() as found:
        yield found


def escape_some(text: str, rng: random.Random) -> str:
    """Some characters as ``\\uXXXX`` or ``\\UXXXXXXXX``, as the engine allows in IRIs."""
    out = []
    for c in text:
        roll = rng.random()
        if roll < 0.2:
            out.append(f"\\u{ord(c):04X}")
        elif roll < 0.25:
            out.append(f"\\U{ord(c):08X}")
        else:
            out.append(c)
    return "".join(out)


def case_of(word: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


DECOYS = (
    "BIND(<http://x/\\u0041#> AS ?d1)",
    "BIND('\\u0027' AS ?d2)",
    'BIND("\\u0022" AS ?d3)',
    "# a comment } SERVICE <http://x/>\n",
    "BIND(<http://x/#> AS ?d4)",
    'BIND("""a " "" \\u0022""" AS ?d5)',
    "FILTER(?d1<?d2#>\n)",
    "OPTIONAL { ?s ?p ?o }",
    "FILTER NOT EXISTS { ?a ?b ?c }",
    "VALUES ?v { 1 2 }",
    "?s ?p true .",
)


def endpoint_and_prologue(base: str, rng: random.Random) -> tuple[str, str]:
    """A way of naming ``base``sparql: the endpoint's text and the prologue it needs."""
    how = rng.randrange(5)
    if how == 0:
        return f"<{escape_some(base + 'sparql', rng)}>", ""
    prefix = rng.choice(["p", "", "silent", "x1", "SERVICE"])
    if how == 1:
        return f"{prefix}:sparql", f"PREFIX {prefix}: <{escape_some(base, rng)}>\n"
    if how == 2:
        return "<sparql>", f"BASE <{escape_some(base, rng)}>\n"
    if how == 3:
        return f"{prefix}:sparql", (
            f"BASE <{escape_some(base, rng)}>\nPREFIX {prefix}: <{escape_some('./', rng)}>\n"
        )
    return f"<{base}sparql>", f"PREFIX q: <{escape_some('http://unused/', rng)}>\n"


def service_clause(endpoint: str, rng: random.Random) -> str:
    keyword = case_of("SERVICE", rng)
    silent = case_of("SILENT", rng) if rng.random() < 0.4 else ""
    glue = rng.random() < 0.4 and not endpoint.startswith("<")
    parts = [keyword, silent] if not glue else [keyword + silent]
    body = rng.choice(["{ }", "{ ?s ?p ?o }", "{}"])
    lead = rng.choice(["", "?s ?p true", "?s ?p 1e5", "?s ?p 1"]) if glue else ""
    sep = "" if glue else " "
    return f"{lead}{sep.join(p for p in parts if p)}{'' if glue else ' '}{endpoint} {body}"


def nest(inner: str, depth: int, rng: random.Random) -> str:
    for _ in range(depth):
        inner = rng.choice(["{{ {} }}", "OPTIONAL {{ {} }}", "FILTER EXISTS {{ {} }}"]).format(
            inner
        )
    return inner


def make_query(base: str, seed: int) -> str:
    rng = random.Random(seed)
    endpoint, prologue = endpoint_and_prologue(base, rng)
    clause = nest(service_clause(endpoint, rng), rng.randrange(3), rng)
    before = " ".join(rng.sample(DECOYS, rng.randrange(3)))
    after = " ".join(rng.sample(DECOYS, rng.randrange(2)))
    head = rng.choice(["SELECT * WHERE", "ASK", "select * where", "CONSTRUCT WHERE"])
    if head == "CONSTRUCT WHERE":
        before = after = ""
    return f"{prologue}{head} {{ {before} {clause} {after} }}"


def make_update(base: str, seed: int) -> str:
    rng = random.Random(seed)
    endpoint, prologue = endpoint_and_prologue(base, rng)
    load = case_of("LOAD", rng)
    silent = " " + case_of("SILENT", rng) if rng.random() < 0.3 else ""
    first = rng.choice(
        ["INSERT DATA { <http://x/\\u0041#> <http://p> 1 }", "CLEAR SILENT GRAPH <http://g>"]
    )
    glue = not endpoint.startswith("<") and not silent and rng.random() < 0.5
    operation = f"{load}{endpoint}" if glue else f"{load}{silent} {endpoint}"
    return f"{prologue}{first} ;\n{operation}"


def engine_contacts(listener: Listener, text: str, *, update: bool) -> int:
    before = listener.contacts
    store = ox.Store()
    try:
        if update:
            store.update(text)
        else:
            results = store.query(text)
            if isinstance(results, ox.QuerySolutions | ox.QueryTriples):
                list(results)
    except (OSError, SyntaxError, ValueError, RuntimeError):
        pass
    deadline = time.monotonic() + 0.5
    while listener.contacts == before and time.monotonic() < deadline:
        time.sleep(0.005)
    return listener.contacts - before


def guard_lets_through(text: str, *, update: bool) -> bool:
    try:
        if update:
            check_update(text, ALLOWED, 64)
        else:
            check(text, ALLOWED, 64)
    except GuardError:
        return False
    return True


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_what_the_guard_lets_through_never_reaches_the_listener(
    listener: Listener, seed: int
) -> None:
    query = make_query(listener.base, seed)
    if guard_lets_through(query, update=False):
        assert engine_contacts(listener, query, update=False) == 0, query


@FUZZ
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_what_the_guard_lets_through_never_loads_from_the_listener(
    listener: Listener, seed: int
) -> None:
    update = make_update(listener.base, seed)
    if guard_lets_through(update, update=True):
        assert engine_contacts(listener, update, update=True) == 0, update


def test_the_generated_queries_do_reach_the_listener_unguarded(listener: Listener) -> None:
    """Without the guard most generated requests call the listener: the fuzzing has teeth."""
    queries = [make_query(listener.base, seed) for seed in range(60)]
    updates = [make_update(listener.base, seed) for seed in range(30)]
    reached_q = sum(engine_contacts(listener, q, update=False) > 0 for q in queries)
    reached_u = sum(engine_contacts(listener, u, update=True) > 0 for u in updates)
    assert reached_q >= 30, f"only {reached_q} of 60 generated queries call the endpoint"
    assert reached_u >= 15, f"only {reached_u} of 30 generated updates load from it"
    assert not any(guard_lets_through(q, update=False) for q in queries)

"""Derived facts: what the slow questions join over many articles, kept as triples of their own.

"Meetings per country pair" joins every meeting's participants with what each of them
represents in any article, and that join costs the engine an index seek per row (at 10,000
articles: 21.8 s in pyoxigraph for the country-pair table). The embedded store keeps its
result as triples in the graph ``{base}graph/derived`` (and, like every named graph's, in the
merged default graph), so any query over it, however it is spelled, skips that join:

* ``?m dg:participantState ?c``: ``?c`` is a ``dg:Country`` that a participant of the meeting
  (held or scheduled: anything with ``dg:participant``) represents, by ``dg:represents`` in
  any article of the store.

They are exact and never stale: each write of an article graph (build, ``remove``, the
server's SPARQL Update) recomputes, in the same update request and so the same transaction,
the facts of every meeting whose participants, their states or those states' typing could have
changed with it; a bulk import and an older store are derived in full (:func:`full`).
``tests/test_derived.py`` checks the maintained facts against a full derivation after random
writes and removals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

DG = "https://w3id.org/diplograph/ontology#"
PARTICIPANT = f"<{DG}participant>"
REPRESENTS = f"<{DG}represents>"
COUNTRY = f"<{DG}Country>"
PARTICIPANT_STATE = f"<{DG}participantState>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'

_PARTICIPANT = ox.NamedNode(DG + "participant")
_REPRESENTS = ox.NamedNode(DG + "represents")
_COUNTRY = ox.NamedNode(DG + "Country")
_PARTICIPANT_STATE = ox.NamedNode(DG + "participantState")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DEFAULT = ox.DefaultGraph()
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

MARKER_FILE = "DIPLOGRAPH-DERIVED"
"""Beside RocksDB's files: which derived facts the store keeps (a store without it, or with
other ones, is derived in full when it is next opened writable)."""
VERSION = "participant-states 1\n"

_MEETING = f"<{DG}touchedMeeting>"
_PERSON = f"<{DG}touchedPerson>"
_STATE = f"<{DG}touchedState>"


def derived_graph_iri(base: str) -> str:
    return f"{base}graph/derived"


def _pending_iri(base: str) -> str:
    """Where one update notes what it touched; dropped before the update ends."""
    return f"{base}graph/derived-pending"


def before_write(base: str, g: str, builds: str) -> str:
    """Update operations to run before graph ``g`` is dropped or replaced: note its meetings,
    and the people and states whose ``dg:represents`` or ``dg:Country`` facts only it states
    (they leave the merged default graph with it)."""
    p = f"<{_pending_iri(base)}>"
    elsewhere = f"FILTER(?x != {g} && ?x != {builds})"
    return (
        f"INSERT {{ GRAPH {p} {{ ?m {_MEETING} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?m {PARTICIPANT} ?who }} }} ;\n"
        f"INSERT {{ GRAPH {p} {{ ?who {_PERSON} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?who {REPRESENTS} ?c }} "
        f"FILTER NOT EXISTS {{ GRAPH ?x {{ ?who {REPRESENTS} ?c }} {elsewhere} }} }} ;\n"
        f"INSERT {{ GRAPH {p} {{ ?c {_STATE} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?c {RDF_TYPE} {COUNTRY} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?x {{ ?c {RDF_TYPE} {COUNTRY} }} {elsewhere} }} }}"
    )


def before_merge(base: str, g: str) -> str:
    """Update operations to run once graph ``g``'s new triples are in, before they are merged
    into the default graph: note its meetings, and the people and states whose facts are new."""
    p = f"<{_pending_iri(base)}>"
    return (
        f"INSERT {{ GRAPH {p} {{ ?m {_MEETING} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?m {PARTICIPANT} ?who }} }} ;\n"
        f"INSERT {{ GRAPH {p} {{ ?who {_PERSON} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?who {REPRESENTS} ?c }} "
        f"FILTER NOT EXISTS {{ ?who {REPRESENTS} ?c }} }} ;\n"
        f"INSERT {{ GRAPH {p} {{ ?c {_STATE} {TRUE} }} }} "
        f"WHERE {{ GRAPH {g} {{ ?c {RDF_TYPE} {COUNTRY} }} "
        f"FILTER NOT EXISTS {{ ?c {RDF_TYPE} {COUNTRY} }} }}"
    )


def after_write(base: str) -> str:
    """Update operations to run last, on the merged default graph as it now is: the derived
    facts of every noted meeting (and every meeting of a noted person or state) again.

    The meetings to redo are noted first, so that each step starts from the few noted nodes
    (a join with a subquery would have the engine read every derived fact instead)."""
    p = f"<{_pending_iri(base)}>"
    d = f"<{derived_graph_iri(base)}>"
    redo = f"GRAPH {p} {{ ?m {_MEETING} {TRUE} }}"
    return (
        f"INSERT {{ {redo} }} "
        f"WHERE {{ GRAPH {p} {{ ?who {_PERSON} {TRUE} }} ?m {PARTICIPANT} ?who }} ;\n"
        f"INSERT {{ {redo} }} "
        f"WHERE {{ GRAPH {p} {{ ?c {_STATE} {TRUE} }} ?who {REPRESENTS} ?c . "
        f"?m {PARTICIPANT} ?who }} ;\n"
        f"DELETE {{ GRAPH {d} {{ ?m {PARTICIPANT_STATE} ?c }} ?m {PARTICIPANT_STATE} ?c }} "
        f"WHERE {{ {redo} GRAPH {d} {{ ?m {PARTICIPANT_STATE} ?c }} }} ;\n"
        f"INSERT {{ GRAPH {d} {{ ?m {PARTICIPANT_STATE} ?c }} ?m {PARTICIPANT_STATE} ?c }} "
        f"WHERE {{ {redo} ?m {PARTICIPANT} ?who . ?who {REPRESENTS} ?c . "
        f"?c {RDF_TYPE} {COUNTRY} }} ;\n"
        f"DROP SILENT GRAPH {p}"
    )


def full(base: str) -> str:
    """Update operations deriving every fact from the merged default graph (after a bulk
    import, a SPARQL Update, or in a store that did not keep them yet)."""
    d = f"<{derived_graph_iri(base)}>"
    return (
        f"DELETE {{ ?m {PARTICIPANT_STATE} ?c }} "
        f"WHERE {{ GRAPH {d} {{ ?m {PARTICIPANT_STATE} ?c }} }} ;\n"
        f"DROP SILENT GRAPH {d} ;\n"
        f"DROP SILENT GRAPH <{_pending_iri(base)}> ;\n"
        f"INSERT {{ GRAPH {d} {{ ?m {PARTICIPANT_STATE} ?c }} ?m {PARTICIPANT_STATE} ?c }} "
        f"WHERE {{ ?m {PARTICIPANT} ?who . ?who {REPRESENTS} ?c . ?c {RDF_TYPE} {COUNTRY} }}"
    )


def additions(store: ox.Store, triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The derived facts that hold once ``triples``, a graph the store does not have yet, is
    merged into its default graph, for every meeting that graph can change (its own, and
    every meeting of someone it gives a new state or whose state it newly types as one).

    A new graph only adds facts, so these are all additions: the facts already there stay
    right, and writing them again changes nothing. Read from the store before the write.
    """
    met: defaultdict[_Term, set[_Term]] = defaultdict(set)
    acts: defaultdict[_Term, set[_Term]] = defaultdict(set)
    states: set[_Term] = set()
    for t in triples:
        if t.predicate == _PARTICIPANT:
            met[t.subject].add(t.object)
        elif t.predicate == _REPRESENTS:
            acts[t.subject].add(t.object)
        elif t.predicate == _TYPE and t.object == _COUNTRY:
            states.add(t.subject)

    def stored(s: object, p: ox.NamedNode, o: object) -> Iterable[ox.Quad]:
        return store.quads_for_pattern(s, p, o, _DEFAULT)  # type: ignore[arg-type]

    def has(s: _Term, p: ox.NamedNode, o: _Term) -> bool:
        return next(iter(stored(s, p, o)), None) is not None

    new_states = {c for c in states if not has(c, _TYPE, _COUNTRY)}
    people = {p for p, cs in acts.items() if any(not has(p, _REPRESENTS, c) for c in cs)}
    for c in new_states:
        people |= {q.subject for q in stored(None, _REPRESENTS, c)}
        people |= {p for p, cs in acts.items() if c in cs}
    meetings = set(met)
    for p in people:
        meetings |= {q.subject for q in stored(None, _PARTICIPANT, p)}
        meetings |= {m for m, ps in met.items() if p in ps}

    def is_state(c: _Term) -> bool:
        return c in states or has(c, _TYPE, _COUNTRY)

    out: set[ox.Triple] = set()
    for m in meetings:
        if isinstance(m, ox.Literal):
            continue  # not a subject
        for p in met.get(m, set()) | {q.object for q in stored(m, _PARTICIPANT, None)}:
            for c in acts.get(p, set()) | {q.object for q in stored(p, _REPRESENTS, None)}:
                if is_state(c):
                    out.add(ox.Triple(m, _PARTICIPANT_STATE, c))
    return out

"""Reference data: what the sourced tables say about a linked person, apart from any article.

For every person an article graph links to Wikidata, the office-holder table's terms of office
of that person go into a named graph of the person's own,
``{base}graph/reference/office-terms/{key}`` (``key`` is the last segment of the person's IRI),
so a researcher can ask whether someone held an office on the day an article says they met
someone, without mixing what the table says into what the articles say. Each term is a
``dg:TermOfOffice`` (a ``dg:Role`` known from the table, not from a text: it has no
``dg:evidence``) with the office's category, the Wikidata position, the state or body, the
dates as precisely as the source gives them and the source row's repository file.

Pure functions: the same person, QID and terms give the same graph, triple for triple.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from graphbuild.link.gazetteer import Gazetteer, GazetteerEntry
from graphbuild.link.office_holders import OfficeHolders, Term
from graphbuild.rdf.mapping import article_graph, entity_iri, stable_hash, wikidata_iri
from graphbuild.vocabulary import DG, PROV, bind_prefixes, normalise_base

REFERENCE_GRAPHS = "graph/reference/office-terms/"
"""Path (under the instance base) of the named graphs of people's terms of office."""

_SOURCE = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40}):(?P<path>\S+)$")
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True)
class Party:
    """A state or international body as the reference graph names it."""

    iri: URIRef
    type: str  # "Country", "Organization", or "Place" for a territory
    label: str
    qid: str | None = None


PartyOf = Callable[[Term], Party]
"""How a term's state (ISO code) or body ("UN") becomes a node: the gazetteer's entry."""


def reference_graph_iri(base: str, person: URIRef) -> URIRef | None:
    """The named graph of a person's terms of office, or None for an IRI not minted here."""
    prefix = f"{normalise_base(base)}resource/person/"
    if not str(person).startswith(prefix) or "/" in str(person)[len(prefix) :]:
        return None
    return URIRef(f"{normalise_base(base)}{REFERENCE_GRAPHS}{str(person)[len(prefix) :]}")


def source_iri(source: str) -> URIRef | None:
    """A source key's ``owner/repo@commit:path`` as the GitHub address of that file."""
    match = _SOURCE.match(source)
    if match is None:
        return None
    repo, commit, path = match.group("repo", "commit", "path")
    return URIRef(f"https://github.com/{repo}/blob/{commit}/{path}")


def term_iri(base: str, person: URIRef, term: Term) -> URIRef:
    digest = stable_hash(
        str(person),
        term.qid,
        term.office,
        term.party,
        term.start,
        term.end,
        term.position_qid or "",
        term.position_label,
        term.source,
    )
    return URIRef(f"{normalise_base(base)}resource/term/{digest}")


def _partial_date(value: str) -> Literal:
    """A date as precise as the source gives it: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(value, datatype=_DATE_TYPES[len(value)])


def terms_graph(
    base: str,
    person: URIRef,
    label: str,
    qid: str,
    terms: Iterable[Term],
    party_of: PartyOf,
) -> Graph:
    """The named graph of one person's terms of office (deterministic, no blank nodes)."""
    graph_name = reference_graph_iri(base, person)
    g = bind_prefixes(article_graph(graph_name))
    g.add((person, RDF.type, DG.Person))
    g.add((person, RDFS.label, Literal(label)))
    g.add((person, OWL.sameAs, wikidata_iri(qid)))
    for term in terms:
        node = term_iri(base, person, term)
        party = party_of(term)
        g.add((node, RDF.type, DG.TermOfOffice))
        g.add((node, DG.roleHolder, person))
        g.add((node, DG.roleParty, party.iri))
        g.add((node, DG.roleTitle, Literal(term.position_label or term.office)))
        g.add((node, DG.officeCategory, Literal(term.office)))
        if term.position_qid:
            g.add((node, DG.position, wikidata_iri(term.position_qid)))
        if term.start:
            g.add((node, DG.startDate, _partial_date(term.start)))
        if term.end:
            g.add((node, DG.endDate, _partial_date(term.end)))
        else:
            g.add((node, DG.inOfficeOn, Literal(term.as_of, datatype=XSD.date)))
        source = source_iri(term.source)
        if source is not None:
            g.add((node, PROV.hadPrimarySource, source))
        g.add((party.iri, RDF.type, DG[party.type]))
        g.add((party.iri, RDFS.label, Literal(party.label)))
        if party.qid:
            g.add((party.iri, OWL.sameAs, wikidata_iri(party.qid)))
    return g


def linked_people(triples: Iterable[tuple[object, object, object]]) -> Mapping[URIRef, str]:
    """Person IRI -> QID of every person an article graph links to Wikidata (one QID each)."""
    persons: set[URIRef] = set()
    same: dict[URIRef, set[str]] = {}
    wd = str(wikidata_iri(""))
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            continue
        if p == RDF.type and o == DG.Person:
            persons.add(s)
        elif p == OWL.sameAs and isinstance(o, URIRef) and str(o).startswith(wd):
            same.setdefault(s, set()).add(str(o)[len(wd) :])
    return {p: next(iter(q)) for p, q in sorted(same.items()) if p in persons and len(q) == 1}


class OfficeTerms:
    """The reference graphs an article graph needs: its linked people's terms of office.

    Holds the office-holder index and the gazetteer (both loaded once per process by the
    caller) and remembers the graphs it made, since the same people recur in every article.
    """

    def __init__(self, base: str, index: OfficeHolders, gazetteer: Gazetteer) -> None:
        self.base = normalise_base(base)
        self.index = index
        self._states: dict[str, GazetteerEntry] = {}
        for entry in gazetteer.entries:
            territory = entry.type == "Place" and entry.kind == "territory"
            if entry.iso2 and (entry.type == "Country" or territory):
                self._states.setdefault(entry.iso2, entry)
        self._gazetteer = gazetteer
        self._made: dict[tuple[URIRef, str], Graph] = {}

    def graphs_for(self, triples: Iterable[tuple[object, object, object]]) -> dict[str, Graph]:
        """Reference graph IRI -> graph, for every linked person the table has terms of."""
        out: dict[str, Graph] = {}
        for person, qid in linked_people(triples).items():
            name = reference_graph_iri(self.base, person)
            known = self.index.person(qid)
            if name is None or known is None:
                continue
            key = (person, qid)
            if key not in self._made:
                terms = self.index.terms_of(qid)
                self._made[key] = terms_graph(
                    self.base, person, known.label, qid, terms, self.party_of
                )
            out[str(name)] = self._made[key]
        return out

    def party_of(self, term: Term) -> Party:
        """The node of a term's state (the gazetteer's) or body (the gazetteer's, if known)."""
        entry = self._states.get(term.iso2 or "")
        if entry is None and term.organisation:
            found = self._gazetteer.lookup(term.organisation)
            entry = found if found is not None and found.type == "Organization" else None
        if entry is None:
            name = term.organisation or term.iso2 or "unknown"
            kind = "Organization" if term.organisation else "Place"
            return Party(entity_iri(self.base, kind, name), kind, name)
        qid = entry.qid if entry.source else None
        return Party(
            entity_iri(self.base, entry.type, entry.label, qid), entry.type, entry.label, qid
        )

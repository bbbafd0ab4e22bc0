"""The SPARQL behind the network and timeline pages, with the page's filters written in.

The pages show these queries verbatim and run exactly what they show against ``/sparql``,
so a researcher can copy one into the query UI and adapt it. Filters come from the page's
URL (``from``, ``to``, ``country``) and are checked here before they reach a query: dates
must be ISO dates and a country must be a resource IRI of this instance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

PREFIX_LINES = (
    "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)


@dataclass(frozen=True)
class Filters:
    """What the researcher narrowed a picture to; all optional."""

    start: dt.date | None = None
    end: dt.date | None = None
    country: str | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as URL parameters (for links that keep them)."""
        out = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.country:
            out["country"] = self.country
        return out


def parse_filters(args: Mapping[str, str], base: str) -> Filters:
    """Filters from URL parameters; ``ValueError`` says which parameter is wrong and why."""

    def day(name: str) -> dt.date | None:
        text = (args.get(name) or "").strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{name}' must be a date as YYYY-MM-DD, got '{text}'") from None

    start, end = day("from"), day("to")
    if start and end and start > end:
        raise ValueError(f"'from' ({start}) is after 'to' ({end})")
    country = (args.get("country") or "").strip() or None
    if country is not None:
        space = f"{base}resource/"
        try:
            ox.NamedNode(country)
        except ValueError:
            raise ValueError(f"'country' must be an IRI, got '{country}'") from None
        if not country.startswith(space):
            raise ValueError(f"'country' must be a resource of this dataset (under {space})")
    return Filters(start, end, country)


def _filter_lines(filters: Filters, event: str) -> str:
    lines = []
    if filters.start:
        lines.append(f'  FILTER(?date >= "{filters.start.isoformat()}"^^xsd:date)')
    if filters.end:
        lines.append(f'  FILTER(?date <= "{filters.end.isoformat()}"^^xsd:date)')
    if filters.country:
        lines.append(
            f"  # only meetings where someone represents the chosen country\n"
            f"  FILTER EXISTS {{ ?{event} dg:participant/dg:represents <{filters.country}> }}"
        )
    return "".join(line + "\n" for line in lines)


def network_query(filters: Filters) -> str:
    """Held meetings as edges: one row per meeting and pair of participants."""
    dated = filters.start is not None or filters.end is not None
    return (
        "# Who met whom: meetings that took place (dg:Meeting; announced ones are\n"
        "# dg:ScheduledMeeting), one row per meeting and pair of participants\n"
        + PREFIX_LINES
        + "SELECT ?meeting ?date ?a ?aLabel ?b ?bLabel ?place WHERE {\n"
        "  ?meeting a dg:Meeting ; dg:participant ?a, ?b .\n"
        "  FILTER(STR(?a) < STR(?b))\n"
        + (
            "  ?meeting dg:date ?date .\n"
            if dated
            else "  OPTIONAL { ?meeting dg:date ?date }  # some articles do not give the day\n"
        )
        + _filter_lines(filters, "meeting")
        + "  ?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .\n"
        "  OPTIONAL { ?meeting dg:location/rdfs:label ?place }\n"
        "}\n"
        "ORDER BY ?date ?meeting\n"
    )


def affiliations_query() -> str:
    """Which country each person represents (the country nodes and the country filter)."""
    return (
        "# Countries people act for (dg:represents), for the country nodes\n"
        + PREFIX_LINES
        + "SELECT DISTINCT ?person ?country ?countryLabel WHERE {\n"
        "  ?person a dg:Person ; dg:represents ?country .\n"
        "  ?country a dg:Country ; rdfs:label ?countryLabel .\n"
        "}\n"
        "ORDER BY ?countryLabel\n"
    )


def timeline_query(filters: Filters) -> str:
    """Held and scheduled meetings in date order, with their participants and place."""
    return (
        "# Meetings in date order: held and scheduled, with participants and place\n"
        + PREFIX_LINES
        + "SELECT ?meeting ?date ?scheduled\n"
        '       (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?participants)\n'
        "       (SAMPLE(?placeLabel) AS ?place)\n"
        "WHERE {\n"
        "  VALUES (?kind ?scheduled) { (dg:Meeting false) (dg:ScheduledMeeting true) }\n"
        "  ?meeting a ?kind ; dg:date ?date ; dg:participant/rdfs:label ?name .\n"
        + _filter_lines(filters, "meeting")
        + "  OPTIONAL { ?meeting dg:location/rdfs:label ?placeLabel }\n"
        "}\n"
        "GROUP BY ?meeting ?date ?scheduled\n"
        "ORDER BY ?date ?meeting\n"
    )

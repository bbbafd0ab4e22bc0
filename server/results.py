"""Streaming writers for SPARQL SELECT results: JSON, XML, CSV and TSV.

pyoxigraph serialises a whole ``QuerySolutions`` iterator, but a capped answer is a list of
rows (``max_result_rows`` were taken from the iterator, the rest were cut), so the four W3C
formats are written here, chunk by chunk, from that list.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graphbuild.rdf.formats import ResultsFormat

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
ROWS_PER_CHUNK = 500


def write_solutions(
    fmt: ResultsFormat, variables: Sequence[str], rows: Sequence[Row]
) -> Iterator[bytes]:
    """The rows in ``fmt``, as UTF-8 chunks of a few hundred rows each."""
    writer = {
        ResultsFormat.JSON: _json,
        ResultsFormat.XML: _xml,
        ResultsFormat.CSV: _csv,
        ResultsFormat.TSV: _tsv,
    }[fmt]
    return writer(variables, rows)


def _chunks(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        yield rows[start : start + ROWS_PER_CHUNK]


# ---- JSON ------------------------------------------------------------------------------------


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(variables: Sequence[str], rows: Sequence[Row]) -> Iterator[bytes]:
    yield (
        json.dumps({"head": {"vars": list(variables)}})[:-1] + ', "results": {"bindings": ['
    ).encode()
    first = True
    for chunk in _chunks(rows):
        parts = []
        for row in chunk:
            binding = {
                v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None
            }
            parts.append(json.dumps(binding, ensure_ascii=False))
        text = ",\n".join(parts)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]}}\n"


# ---- XML -------------------------------------------------------------------------------------


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(variables: Sequence[str], rows: Sequence[Row]) -> Iterator[bytes]:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head><results>\n'
    ).encode()
    for chunk in _chunks(rows):
        out = []
        for row in chunk:
            bindings = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{bindings}</result>\n")
        yield "".join(out).encode()
    yield b"</results></sparql>\n"


# ---- CSV and TSV -----------------------------------------------------------------------------


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv(variables: Sequence[str], rows: Sequence[Row]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for chunk in _chunks(rows):
        writer.writerows([_csv_value(t) for t in row] for row in chunk)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _tsv(variables: Sequence[str], rows: Sequence[Row]) -> Iterator[bytes]:
    yield ("\t".join(f"?{v}" for v in variables) + "\n").encode()
    for chunk in _chunks(rows):
        lines = ["\t".join("" if t is None else str(t) for t in row) + "\n" for row in chunk]
        yield "".join(lines).encode()

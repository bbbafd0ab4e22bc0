"""Printing SPARQL results on a terminal: a table for people, JSON/CSV/TSV for programs."""

from __future__ import annotations

from typing import IO, Any

import pyoxigraph as ox

_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def print_results(results: Any, fmt: str, out: IO[str]) -> None:
    """ASK prints true/false; CONSTRUCT/DESCRIBE print N-Triples; SELECT prints rows."""
    if isinstance(results, ox.QueryBoolean):
        out.write("true\n" if bool(results) else "false\n")
        return
    if isinstance(results, ox.QueryTriples):
        data = ox.serialize(results, format=ox.RdfFormat.N_TRIPLES)
        out.write(data.decode("utf-8") if isinstance(data, bytes) else str(data))
        return
    if fmt in _FORMATS:
        data = results.serialize(format=_FORMATS[fmt])
        out.write(data.decode("utf-8"))
        if not data.endswith(b"\n"):
            out.write("\n")
        return
    names = [v.value for v in results.variables]
    rows = [[_cell(sol[name]) for name in names] for sol in results]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")

"""Query latency: the researcher mix against every engine on the same data, interleaved.

Per query, rounds run each engine once in turn (rotating the order), after one warm-up
request per engine, until every engine has ``min_runs`` samples and has spent its time
budget, or has ``max_runs``, or has spent ``cap_s`` (slow queries get fewer samples). A
warm-up slower than the budget counts as a sample. A request past the timeout is censored:
that engine gets no more runs of that query and its p50 is reported as at least the timeout.
Oxigraph's server and Diplograph's abandon a query at the timeout themselves; rdflib-endpoint
cannot, so it is restarted when it is still busy, lest it steal a core from the others.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.client import Answer, HttpRunner, Runner
from bench.config import Options
from bench.oxworker import WorkerRunner
from bench.querymix import HARD, Query, query_mix, variation_queries
from bench.report import SuiteResult, Table, Target
from bench.stats import Samples, fmt, geomean
from bench.suites.serving import DIPLOGRAPH, OXIGRAPH, PYOX, RDFLIB, VIRTUOSO, Serving

PYOX_MERGED = "pyoxigraph-merged"
"""Bare pyoxigraph on Diplograph's store, querying its merged default graph (no union)."""

VIRTUOSO_COLUMNS = ("ratio", "both_answered", "queries", "timeouts_counted", "censored")


@dataclass
class Cell:
    samples: Samples = field(default_factory=Samples)
    size: int | None = None
    done: bool = False
    timeout_s: float = math.nan

    @property
    def censored(self) -> bool:
        return self.samples.censored > 0 and not self.samples.values

    @property
    def failed(self) -> bool:
        return bool(self.samples.errors) and not self.samples.values

    @property
    def p50(self) -> float:
        """Median; a censored cell reports the timeout (a lower bound)."""
        if self.censored:
            return self.timeout_s
        return self.samples.p50 if self.samples.values else math.nan


@dataclass(frozen=True)
class Ratio:
    """a / b of two cells' medians; ``bound`` says when a timeout makes it a bound."""

    value: float
    bound: str  # "" exact, ">=" lower bound, "<=" upper bound

    def text(self) -> str:
        return self.bound + fmt(self.value)


def cell_ratio(a: Cell | None, b: Cell | None) -> Ratio:
    if a is None or b is None or a.failed or b.failed:
        return Ratio(math.nan, "")
    if a.censored and b.censored:
        return Ratio(math.nan, "")
    va, vb = a.p50, b.p50
    if not (math.isfinite(va) and math.isfinite(vb)) or vb <= 0:
        return Ratio(math.nan, "")
    return Ratio(va / vb, ">=" if a.censored else "<=" if b.censored else "")


def _measure(
    query: Query, runners: list[Runner], s: Serving, opts: Options, say: Callable[[str], None]
) -> dict[str, Cell]:
    scale = opts.scale
    cells = {r.name: Cell(timeout_s=scale.query_timeout_s) for r in runners}

    def record(r: Runner, a: Answer, warm: bool) -> None:
        cell = cells[r.name]
        # a server that gives up at its own timeout answers with an error at about that time
        gave_up = not a.ok and a.seconds >= 0.95 * scale.query_timeout_s
        if (a.status == 0 and a.error == "timeout") or gave_up:
            cell.samples.censored += 1
            cell.done = True
            endpoint = s.endpoints.get(r.name)
            if endpoint is not None and not endpoint.wait_idle(timeout_s=10.0):
                say(f"    {r.name} still busy after a timeout: restarting it")
                r.close()
                endpoint.restart()
            return
        if not a.ok:
            cell.samples.errors.append(f"{a.status}: {a.error}")
            cell.done = True
            return
        if cell.size is None:
            cell.size = a.size
        if not warm or a.seconds > scale.budget_s:
            cell.samples.add(a.seconds)

    def wants_more(c: Cell) -> bool:
        n, total = c.samples.n, c.samples.total
        if c.done or n >= scale.max_runs or total >= scale.cap_s:
            return False
        return n < scale.min_runs or total < scale.budget_s

    for r in runners:
        record(r, r.run(query), warm=True)
    round_no = 0
    while active := [r for r in runners if wants_more(cells[r.name])]:
        k = round_no % len(active)
        for r in active[k:] + active[:k]:
            record(r, r.run(query), warm=False)
        round_no += 1
    return cells


def run(
    s: Serving,
    opts: Options,
    say: Callable[[str], None],
    *,
    mix: bool = True,
    variations: bool = False,
) -> SuiteResult:
    """The mix (``mix``), and the slow questions' variations (``variations``) in a table of
    their own; issue 18's targets are read over everything measured."""
    result = SuiteResult("queries" if mix else "variations")
    probe, queries = query_mix(s.in_process)
    if not mix:
        queries = []
    varied = variation_queries(probe) if variations else []
    runners: list[Runner] = [
        HttpRunner(e, opts.scale.query_timeout_s + 5.0) for e in s.endpoints.values()
    ]
    if PYOX in opts.engines:
        runners.append(WorkerRunner(str(s.oxigraph_store), opts.scale.query_timeout_s, PYOX))
        if s.diplograph_store is not None:  # the engine on Diplograph's data, as it serves it
            runners.append(
                WorkerRunner(
                    str(s.diplograph_store), opts.scale.query_timeout_s, PYOX_MERGED, union=False
                )
            )
    names = [r.name for r in runners]
    say(f"queries: {len(queries)} queries x {', '.join(names)} on {s.quads} quads")
    table: dict[str, dict[str, Cell]] = {}
    # The per-request floor: an ASK about one IRI costs the engine next to nothing, so its
    # latency is what each server adds to any query (kept out of the mix's ratios).
    floor_query = Query(
        "floor-ask-one-iri", f"ASK {{ <{probe.person_iri}> ?p ?o }}", "select", "floor"
    )
    try:
        floor = _measure(floor_query, runners, s, opts, say)
        for q in [*queries, *varied]:
            table[q.name] = _measure(q, runners, s, opts, say)
            say(
                f"  {q.name}: "
                + ", ".join(
                    f"{n} {'>=' if table[q.name][n].censored else ''}"
                    f"{fmt(table[q.name][n].p50 * 1000)} ms"
                    for n in names
                )
            )
    finally:
        for r in runners:
            r.close()

    header = ["query"]
    for n in names:
        header += [f"{n} p50", "p99"]
    with_virtuoso = VIRTUOSO in names
    header += ["dg/ox", "rdflib/dg", "dg-pyox ms"]
    header += ["virt/dg", "virt rows"] if with_virtuoso else []
    header += ["rows"]
    tables: list[Table] = []
    all_ratios: list[float] = []
    all_rdf: list[float] = []
    worst: list[tuple[float, str]] = []
    per_query: dict[str, Any] = {}
    dg_ox: list[float] = []
    rdf_dg: list[float] = []
    hard: list[float] = []
    overhead: list[float] = []
    mismatches: list[str] = []
    # Virtuoso over HTTP against Diplograph's server and bare pyoxigraph (informational)
    virt_dg: list[Ratio] = []
    virt_pyox: list[Ratio] = []
    virt_notes: list[str] = []
    lists = [
        ("mix", queries, "* = precomputable hard question; r- = researcher questions"),
        ("variations", varied, "the slow questions in other spellings (never precomputed)"),
    ]
    for label, listed, legend in lists:
        if not listed:
            continue
        t = Table(
            f"Query latency in ms over HTTP, {label} ({s.articles} articles, {s.quads} quads); "
            + legend,
            header,
        )
        tables.append(t)
        for q in listed:
            row_cells = table[q.name]
            row = [q.name + (" *" if q.name in HARD else "")]
            for n in names:
                c = row_cells[n]
                if c.failed:
                    row += ["error", "-"]
                elif c.censored:
                    row += [">=" + fmt(c.p50 * 1000), "-"]
                else:
                    row += [fmt(c.p50 * 1000), fmt(c.samples.p99 * 1000)]
            r1 = cell_ratio(row_cells.get(DIPLOGRAPH), row_cells.get(OXIGRAPH))
            r2 = cell_ratio(row_cells.get(RDFLIB), row_cells.get(DIPLOGRAPH))
            dg, px = row_cells.get(DIPLOGRAPH), row_cells.get(PYOX_MERGED, row_cells.get(PYOX))
            ovh = math.nan
            if dg is not None and px is not None and not (dg.censored or px.censored):
                ovh = (dg.p50 - px.p50) * 1000
            if math.isfinite(r1.value):
                all_ratios.append(r1.value)
                worst.append((r1.value, q.name))
            if math.isfinite(r2.value):
                all_rdf.append(r2.value)
            if math.isfinite(r1.value) and label == "mix":
                dg_ox.append(r1.value)
                if q.name in HARD:
                    hard.append(r1.value)
            if math.isfinite(r2.value) and label == "mix":
                rdf_dg.append(r2.value)
            if math.isfinite(ovh):
                overhead.append(ovh)
            # Virtuoso's sizes are compared apart: its SPARQL dialect and DESCRIBE differ
            sizes = {
                n: c.size for n, c in row_cells.items() if c.size is not None and n != VIRTUOSO
            }
            distinct = sorted(set(sizes.values()))
            if len(distinct) > 1:
                mismatches.append(f"{q.name} {sizes}")
            row += [r1.text(), r2.text(), fmt(ovh, 1)]
            r3 = cell_ratio(row_cells.get(VIRTUOSO), row_cells.get(DIPLOGRAPH))
            r4 = cell_ratio(row_cells.get(VIRTUOSO), row_cells.get(PYOX))
            if with_virtuoso:
                vc = row_cells[VIRTUOSO]
                virt_dg += [r3] if math.isfinite(r3.value) else []
                virt_pyox += [r4] if math.isfinite(r4.value) else []
                same = vc.size is None or not distinct or vc.size in distinct
                if vc.failed:
                    virt_notes.append(f"{q.name}: error {vc.samples.errors[0][:160]!r}")
                elif not same:
                    virt_notes.append(
                        f"{q.name}: {vc.size} (others {'/'.join(map(str, distinct))})"
                    )
                row += [
                    r3.text(),
                    "-" if vc.size is None else str(vc.size) + ("" if same else " !"),
                ]
            row.append("/".join(str(v) for v in distinct))
            t.rows.append(row)
            per_query[q.name] = {
                "origin": q.origin,
                "hard": q.name in HARD,
                "engines": {
                    n: {**c.samples.as_dict(), "size": c.size, "censored": c.censored}
                    for n, c in row_cells.items()
                },
                "diplograph_over_oxigraph": _num(r1.value),
                "diplograph_over_oxigraph_bound": r1.bound,
                "rdflib_over_diplograph": _num(r2.value),
                "rdflib_over_diplograph_bound": r2.bound,
                "diplograph_overhead_ms": _num(ovh),
                "virtuoso_over_diplograph": _num(r3.value),
                "virtuoso_over_diplograph_bound": r3.bound,
                "virtuoso_over_pyoxigraph": _num(r4.value),
                "virtuoso_over_pyoxigraph_bound": r4.bound,
            }
    gm_rows: list[list[str]] = []
    for n in names:
        rs = [cell_ratio(table[q.name].get(n), table[q.name].get(OXIGRAPH)) for q in queries]
        finite = [r.value for r in rs if math.isfinite(r.value)]
        gm_rows.append([n, fmt(geomean(finite), 3), str(len(finite))])
    floor_table = Table(
        "Per-request floor: ASK about one IRI (ms); overhead = engine p50 - bare pyoxigraph p50 "
        f"({PYOX_MERGED} when it ran: the same store and default graph Diplograph serves)",
        ["engine", "p50", "p99", "runs", "overhead"],
    )
    floor_px = floor.get(PYOX_MERGED, floor.get(PYOX))
    floor_record: dict[str, Any] = {}
    for n in names:
        c = floor[n]
        over = (c.p50 - floor_px.p50) * 1000 if floor_px is not None else math.nan
        floor_table.rows.append(
            [n, fmt(c.p50 * 1000, 3), fmt(c.samples.p99 * 1000, 3), str(c.samples.n), fmt(over, 3)]
        )
        floor_record[n] = {**c.samples.as_dict(), "overhead_ms": _num(over)}
    result.tables += [
        floor_table,
        *tables,
        Table(
            "Geometric mean of p50 relative to oxigraph-server (queries where both answered)",
            ["engine", "ratio", "queries"],
            gm_rows,
        ),
    ]
    gm_dg_ox, gm_rdf_dg = geomean(dg_ox), geomean(rdf_dg)
    overhead.sort()
    med_overhead = overhead[len(overhead) // 2] if overhead else math.nan
    missing = "" if DIPLOGRAPH in names else "Diplograph's server did not run"
    measured = "mix and variations" if queries and varied else "mix" if queries else "variations"
    worst.sort(reverse=True)
    floor_dg = floor_record.get(DIPLOGRAPH, {}).get("overhead_ms")
    result.targets += [
        Target(
            f"issue 18: geomean p50 diplograph / oxigraph-server ({measured})",
            geomean(all_ratios),
            "<=",
            1.10,
            note=missing or f"{len(all_ratios)} queries",
        ),
        Target(
            f"issue 18: slowest query diplograph / oxigraph-server ({measured})",
            worst[0][0] if worst else math.nan,
            "<=",
            1.3,
            note=missing or (", ".join(f"{n} {fmt(v)}" for v, n in worst[:3]) if worst else ""),
        ),
        Target(
            f"issue 18: geomean p50 rdflib-endpoint / diplograph ({measured})",
            geomean(all_rdf),
            ">=",
            10.0,
            note=missing or f"{len(all_rdf)} queries; a timeout counts as the timeout",
        ),
        Target(
            "issue 18: per-request overhead over bare pyoxigraph, floor ASK p50 (ms)",
            floor_dg if floor_dg is not None else math.nan,
            "<=",
            1.0,
            ratio=False,
            note=f"{PYOX_MERGED} on Diplograph's store",
        ),
    ]
    if not queries:
        missing = "the mix did not run"
    result.targets += [
        Target(
            "queries: geomean p50 diplograph / oxigraph-server",
            gm_dg_ox,
            "<=",
            1.2,
            note=missing or f"{len(dg_ox)} queries",
        ),
        Target(
            "queries: geomean p50 rdflib-endpoint / diplograph",
            gm_rdf_dg,
            ">=",
            8.0,
            note=missing or f"{len(rdf_dg)} queries; a timeout counts as the timeout",
        ),
        Target(
            "queries: hard questions (*), geomean diplograph / oxigraph-server",
            geomean(hard),
            "<=",
            1.0,
            note=missing or "multi-hop paths and country pairs, meant to be precomputed",
        ),
    ]
    if mismatches:
        result.notes.append(
            "result sizes differ between engines (rows or triples): "
            + "; ".join(mismatches)
            + f". {DIPLOGRAPH} and {PYOX_MERGED} query the merged default graph (a triple "
            "several articles state is one triple); the others query pyoxigraph's or their own "
            "union of the named graphs, which can repeat it once per graph"
        )
    gm_virt_dg = geomean(r.value for r in virt_dg if not r.bound)
    gm_virt_pyox = geomean(r.value for r in virt_pyox if not r.bound)
    vrows: list[list[str]] = []
    if with_virtuoso:
        for label, rs in (("virtuoso / diplograph", virt_dg), ("virtuoso / pyoxigraph", virt_pyox)):
            exact = [r.value for r in rs if not r.bound]
            bounds = {r.bound for r in rs if r.bound}
            with_timeouts = (next(iter(bounds)) if len(bounds) == 1 else "~") + fmt(
                geomean(r.value for r in rs), 3
            )
            vrows.append(
                [
                    label,
                    fmt(geomean(exact), 3),
                    str(len(exact)),
                    with_timeouts if bounds else "-",
                    str(len(rs) - len(exact)),
                ]
            )
        result.tables.append(
            Table(
                "Virtuoso over HTTP against the embedded engines: geometric mean of p50 ratios "
                "(informational, no target)",
                ["ratio", "both answered", "queries", "timeouts counted", "censored"],
                vrows,
            )
        )
        result.notes.append(
            f"Virtuoso / embedded Diplograph geomean: {fmt(gm_virt_dg, 3)} over the "
            f"{vrows[0][2]} queries both answered ({vrows[0][3]} with the {vrows[0][4]} "
            f"timeouts counted as the timeout); Virtuoso / bare pyoxigraph: "
            f"{fmt(gm_virt_pyox, 3)}. Above 1 means Virtuoso is slower"
        )
        if virt_notes:
            result.notes.append(
                "Virtuoso answered differently (rows or triples, or an error; `!` in the "
                "table): " + "; ".join(virt_notes)
            )
    for name, why in s.unavailable.items():
        result.notes.append(f"{name} not measured: {why}")
    if math.isfinite(med_overhead):
        result.notes.append(
            f"per-request overhead of Diplograph over bare pyoxigraph: median {med_overhead:.2f}"
            " ms across the mix"
        )
    result.record = {
        "data": s.record,
        "probe": {"person": probe.person_name, "year": probe.year},
        "engines": names,
        "queries": per_query,
        "geomean_diplograph_over_oxigraph": _num(gm_dg_ox),
        "geomean_rdflib_over_diplograph": _num(gm_rdf_dg),
        "geomean_vs_oxigraph": {row[0]: row[1] for row in gm_rows},
        "median_overhead_ms_over_pyoxigraph": _num(med_overhead),
        "geomean_virtuoso_over_diplograph": _num(gm_virt_dg),
        "geomean_virtuoso_over_pyoxigraph": _num(gm_virt_pyox),
        "virtuoso_differences": virt_notes,
        "virtuoso_geomeans": [dict(zip(VIRTUOSO_COLUMNS, r, strict=True)) for r in vrows],
        "floor": floor_record,
        "restarts": {n: e.restarts for n, e in s.endpoints.items()},
    }
    return result


def _num(x: float) -> float | None:
    return round(x, 6) if math.isfinite(x) else None

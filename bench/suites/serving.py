"""The same data in every engine: one N-Quads file, loaded into each, all serving at once.

Running the endpoints side by side lets the query and HTTP suites interleave their requests
(engine A, B, C, then again), so a noisy neighbour on a shared machine slows all of them alike
instead of biasing whichever ran during the noise.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import data, virtuoso
from bench.config import Options
from bench.servers import (
    Endpoint,
    EngineUnavailable,
    oxigraph_load,
    start_diplograph,
    start_oxigraph,
    start_rdflib_endpoint,
)

DIPLOGRAPH = "diplograph"
OXIGRAPH = "oxigraph-server"
RDFLIB = "rdflib-endpoint"
PYOX = "pyoxigraph"
VIRTUOSO = virtuoso.NAME
ENGINES = (DIPLOGRAPH, OXIGRAPH, RDFLIB, PYOX, VIRTUOSO)
# Virtuoso is a system package rather than a pip extra: a default engine only where installed
DEFAULT_ENGINES = tuple(e for e in ENGINES if e != VIRTUOSO or virtuoso.available())


@dataclass
class Serving:
    nquads: Path
    quads: int
    articles: int
    oxigraph_store: Path
    diplograph_store: Path | None
    in_process: ox.Store
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)


def _start(name: str, serving: Serving, work: Path, opts: Options) -> Endpoint:
    timeout_s = opts.scale.query_timeout_s
    if name == OXIGRAPH:
        return start_oxigraph(serving.oxigraph_store, work, timeout_s)
    if name == RDFLIB:
        return start_rdflib_endpoint(serving.nquads, work)
    if name == DIPLOGRAPH:
        if serving.diplograph_store is None:
            raise EngineUnavailable(serving.unavailable.get(DIPLOGRAPH, "no Diplograph store"))
        env = {
            # The HTTP suite's clients all come from 127.0.0.1; as distinct users they would
            # each get their own allowance.
            "DIPLOGRAPH_MAX_CONCURRENT_PER_CLIENT": "256",
            # The peers send every row: so must Diplograph, for the same work per query.
            "DIPLOGRAPH_MAX_RESULT_ROWS": "1000000000",
            "DIPLOGRAPH_QUERY_TIMEOUT_S": str(timeout_s),
        }
        return start_diplograph(serving.diplograph_store, work, env)
    if name == VIRTUOSO:
        loaded = virtuoso.start_virtuoso(
            serving.nquads, work, serving.quads, load_timeout_s=max(600.0, serving.quads / 1000)
        )
        serving.record["virtuoso_load_s"] = round(loaded.load_s, 2)
        serving.record["virtuoso_quads"] = loaded.quads
        serving.record["virtuoso_version"] = loaded.version
        return loaded.endpoint
    raise ValueError(name)


@contextlib.contextmanager
def serving(opts: Options, say: Any) -> Iterator[Serving]:
    """Prepare the data, load it into every engine, start the endpoints; stop them after."""
    work = opts.work / "serving"
    work.mkdir(parents=True, exist_ok=True)
    n = opts.scale.query_articles
    say(f"preparing {n} synthetic articles as N-Quads")
    t0 = time.perf_counter()
    nquads = data.nquads_file(opts.data, n, opts.seed)
    quads = sum(1 for _ in nquads.open("rb"))
    record: dict[str, Any] = {
        "articles": n,
        "quads": quads,
        "nquads_mb": round(nquads.stat().st_size / 1e6, 1),
        "prepare_s": round(time.perf_counter() - t0, 1),
    }
    unavailable: dict[str, str] = {}
    dg_store: Path | None = None
    if DIPLOGRAPH in opts.engines:
        say(f"  {quads} quads; loading into a Diplograph store")
        try:
            loaded = data.load_diplograph(nquads, work / "diplograph-store", work / "dg-load.log")
            dg_store = loaded.store
            record["diplograph_load_s"] = round(loaded.seconds, 2)
            record["diplograph_load_method"] = loaded.method
        except Exception as exc:  # any failure of the product is a finding, not a crash
            unavailable[DIPLOGRAPH] = f"loading failed: {exc}"
    if dg_store is not None:
        # every engine gets the same data: the derived facts Diplograph keeps (graph/derived)
        # go to the others as one more named graph, so queries over them answer alike
        served = work / "served.nq"
        derived = data.derived_quads(dg_store, served, source=nquads)
        record["derived_quads"] = derived
        say(f"  + {derived} derived quads (graph/derived) for every engine")
        nquads, quads = served, quads + derived
        record["quads_served"] = quads
    say("  loading into Oxigraph (oxigraph load)")
    ox_store = work / "oxigraph-store"
    try:
        record["oxigraph_cli_load_s"] = round(
            oxigraph_load(nquads, ox_store, work / "ox-load.log"), 2
        )
    except EngineUnavailable as exc:  # no server then, but bare pyoxigraph still runs
        say(f"  {exc}; loading with pyoxigraph instead")
        t1 = time.perf_counter()
        ox.Store(str(ox_store)).bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        record["pyoxigraph_load_s"] = round(time.perf_counter() - t1, 2)
    store = ox.Store.read_only(str(ox_store))
    s = Serving(nquads, quads, n, ox_store, dg_store, store, unavailable=unavailable, record=record)
    try:
        for name in (OXIGRAPH, DIPLOGRAPH, RDFLIB, VIRTUOSO):
            if name not in opts.engines or name in s.unavailable:
                continue
            say(f"  starting {name}")
            try:
                e = _start(name, s, work, opts)
            except EngineUnavailable as exc:
                s.unavailable[name] = str(exc)
                say(f"  {name} unavailable: {exc}")
                continue
            s.endpoints[name] = e
            record[f"{name}_ready_s"] = round(e.started_s, 1)
            record[f"{name}_rss_mb_idle"] = round(e.rss() / 1e6, 1)
        yield s
    finally:
        for e in s.endpoints.values():
            e.stop()
        del store

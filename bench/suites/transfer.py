"""Export and import: Diplograph against pyoxigraph's own serialiser and bulk loader.

Export reads the same store directory both ways, so only the export code differs: Diplograph's
``GraphStore.export`` (Turtle of the default graph, which is the merge of the named graphs;
N-Quads of the named graphs) against pyoxigraph's ``Store.dump`` of the same default graph,
and of the whole dataset for N-Quads. Runs alternate and the median is kept. Import runs
``diplograph load FILE`` against pyoxigraph's ``bulk_load`` of the same file, each in a fresh
process and a fresh store; the time to start each process with nothing to load is measured
too and subtracted, so a small file does not turn interpreter start-up into a verdict.
``diplograph load`` also writes the merged default graph (a second copy of every distinct
triple, in three more indexes), so a second baseline bulk-loads the file and then its triples
into the default graph: the same store contents, pyoxigraph's own speed.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

import pyoxigraph as ox

from bench.config import Options
from bench.data import load_diplograph, nquads_file
from bench.report import SuiteResult, Table, Target
from bench.servers import tool
from bench.stats import fmt, median, ratio


class Sink:
    """A write-only byte counter: measures serialisation, not the disk."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        return None


def _timed(fn: Callable[[Sink], None]) -> tuple[float, int]:
    sink = Sink()
    t0 = time.perf_counter()
    fn(sink)
    return time.perf_counter() - t0, sink.bytes


def _export(
    store_dir: Path, runs: int, say: Callable[[str], None]
) -> tuple[Table, list[Target], dict[str, Any]]:
    from graphbuild.store.embedded import GraphStore

    ours = GraphStore.open(store_dir, read_only=True)
    theirs = ox.Store.read_only(str(store_dir))
    quads = len(theirs)

    def dg(fmt_name: str) -> Callable[[Sink], None]:
        return lambda sink: ours.export(fmt_name, None, cast(BinaryIO, sink))

    def ox_turtle(sink: Sink) -> None:
        theirs.dump(cast(BinaryIO, sink), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())

    def ox_nquads(sink: Sink) -> None:
        theirs.dump(cast(BinaryIO, sink), ox.RdfFormat.N_QUADS)

    cases = {
        "turtle": (dg("turtle"), ox_turtle),
        "nquads": (dg("nquads"), ox_nquads),
    }
    table = Table(
        f"Export of {quads} quads (median of {runs}; MB/s of output)",
        ["format", "diplograph s", "MB/s", "pyoxigraph s", "MB/s", "ratio"],
    )
    targets: list[Target] = []
    record: dict[str, Any] = {"quads": quads}
    try:
        for name, (mine, base) in cases.items():
            ts_dg: list[float] = []
            ts_ox: list[float] = []
            size_dg = size_ox = 0
            for i in range(runs):
                pair = [(mine, ts_dg), (base, ts_ox)]
                for fn, bucket in pair if i % 2 == 0 else pair[::-1]:
                    seconds, size = _timed(fn)
                    bucket.append(seconds)
                    if bucket is ts_dg:
                        size_dg = size
                    else:
                        size_ox = size
            a, b = median(ts_dg), median(ts_ox)
            r = ratio(a, b)
            say(f"  export {name}: diplograph {a:.2f} s, pyoxigraph {b:.2f} s")
            table.rows.append(
                [
                    name,
                    fmt(a, 3),
                    fmt(size_dg / 1e6 / a, 1),
                    fmt(b, 3),
                    fmt(size_ox / 1e6 / b, 1),
                    fmt(r),
                ]
            )
            record[name] = {
                "diplograph_s": a,
                "pyoxigraph_s": b,
                "diplograph_bytes": size_dg,
                "pyoxigraph_bytes": size_ox,
                "ratio": r,
            }
            targets.append(
                Target(f"export {name}: diplograph / pyoxigraph serialiser", r, "<=", 1.5)
            )
    finally:
        ours.close()
    return table, targets, record


def _run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


_OX_LOAD = (
    "import sys, pyoxigraph as ox\n"
    "s = ox.Store(sys.argv[1])\n"
    "if sys.argv[2]: s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)\n"
    "if sys.argv[3:]: s.bulk_load(\n"
    "    path=sys.argv[3], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())\n"
    "s.flush()\n"
)


def _triples_of(nquads: Path, out: Path) -> None:
    """The file's triples without their graphs: what a merged default graph holds."""
    with nquads.open("rb") as data, out.open("wb") as sink:
        quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        ox.serialize((q.triple for q in quads), sink, ox.RdfFormat.N_TRIPLES)


def _import(
    nquads: Path, work: Path, runs: int, say: Callable[[str], None]
) -> tuple[Table | None, list[Target], dict[str, Any], str | None]:
    exe = tool("diplograph")
    if exe is None or subprocess.run([exe, "load", "--help"], capture_output=True).returncode:
        return None, [], {}, "`diplograph load` does not exist yet: import not measured"
    target_dir = work / "import-store"
    empty = work / "empty.nq"
    empty.write_bytes(b"")
    triples = work / "triples.nt"
    _triples_of(nquads, triples)
    times: dict[str, list[float]] = {"dg": [], "ox": [], "oxm": [], "dg0": [], "ox0": []}
    cmds: dict[str, list[str]] = {
        "dg": [exe, "load", str(nquads), "--store", str(target_dir)],
        "dg0": [exe, "load", str(empty), "--store", str(target_dir)],
        "ox": [sys.executable, "-c", _OX_LOAD, str(target_dir), str(nquads)],
        "oxm": [sys.executable, "-c", _OX_LOAD, str(target_dir), str(nquads), str(triples)],
        "ox0": [sys.executable, "-c", _OX_LOAD, str(target_dir), ""],
    }
    for i in range(runs):
        order = ["dg", "ox", "oxm", "dg0", "ox0"]
        for key in order if i % 2 == 0 else order[::-1]:
            if target_dir.exists():
                shutil.rmtree(target_dir)
            times[key].append(_run(cmds[key]))
    shutil.rmtree(target_dir, ignore_errors=True)
    triples.unlink()
    m = {k: median(v) for k, v in times.items()}
    raw = ratio(m["dg"], m["ox"])
    net = ratio(m["dg"] - m["dg0"], m["ox"] - m["ox0"])
    same = ratio(m["dg"] - m["dg0"], m["oxm"] - m["ox0"])
    say(
        f"  load: diplograph {m['dg']:.2f} s, pyoxigraph bulk_load {m['ox']:.2f} s, "
        f"with the default-graph copy {m['oxm']:.2f} s"
    )
    table = Table(
        f"Import of {nquads.name} (median of {runs}, fresh store each time)",
        ["loader", "total s", "start-up s", "net s", "net ratio", "raw ratio"],
        [
            [
                "diplograph load",
                fmt(m["dg"], 3),
                fmt(m["dg0"], 3),
                fmt(m["dg"] - m["dg0"], 3),
                fmt(net),
                fmt(raw),
            ],
            [
                "pyoxigraph bulk_load",
                fmt(m["ox"], 3),
                fmt(m["ox0"], 3),
                fmt(m["ox"] - m["ox0"], 3),
                "1.00",
                "1.00",
            ],
            [
                "pyoxigraph bulk_load + default-graph copy",
                fmt(m["oxm"], 3),
                fmt(m["ox0"], 3),
                fmt(m["oxm"] - m["ox0"], 3),
                fmt(ratio(m["oxm"] - m["ox0"], m["ox"] - m["ox0"])),
                fmt(ratio(m["oxm"], m["ox"])),
            ],
        ],
    )
    record = {"seconds": m, "net_ratio": net, "raw_ratio": raw, "same_contents_ratio": same}
    target = Target(
        "load: diplograph load / pyoxigraph bulk loader (net of start-up)",
        net if math.isfinite(net) else raw,
        "<=",
        1.5,
        note=f"raw ratio with start-up {fmt(raw)}; against pyoxigraph writing the same "
        f"contents (the file plus its merged default graph) {fmt(same)}",
    )
    return table, [target], record, None


def run(opts: Options, say: Callable[[str], None]) -> SuiteResult:
    result = SuiteResult("export")
    work = opts.work / "transfer"
    work.mkdir(parents=True, exist_ok=True)
    n = opts.scale.query_articles
    nquads = nquads_file(opts.data, n, opts.seed)
    say(f"export/import: {n} articles ({nquads.stat().st_size / 1e6:.0f} MB of N-Quads)")
    try:
        loaded = load_diplograph(nquads, work / "diplograph-store", work / "load.log")
    except Exception as exc:  # the product failing to load is a finding, not a crash
        result.skipped = f"could not load the data into a Diplograph store: {exc}"
        return result
    result.notes.append(f"export store filled by: {loaded.method}")
    runs = opts.scale.transfer_runs
    table, targets, record = _export(loaded.store, runs, say)
    result.tables.append(table)
    result.targets += targets
    result.record["export"] = record
    itable, itargets, irecord, why = _import(nquads, work, runs, say)
    if itable is not None:
        result.tables.append(itable)
    result.targets += itargets
    result.record["import"] = irecord
    if why:
        result.notes.append(why)
        result.targets.append(
            Target("load: diplograph load / pyoxigraph bulk loader", None, "<=", 1.5, note=why)
        )
    if not opts.keep:
        shutil.rmtree(work / "diplograph-store", ignore_errors=True)
    return result

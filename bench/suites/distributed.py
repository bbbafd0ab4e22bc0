"""Distributed builds: how much a second Dask worker process speeds up the per-article work.

Each build is ``diplograph build DIR --store NEW --force --scheduler local:W`` run as a user
would, in a child process, for W = 1 and 2 worker processes on the same synthetic corpus.
Every build pays a fixed cost (starting the local cluster, loading the toolkit on each worker)
that a second worker cannot shorten, so a handful-article corpus is built too with the same
W, and the speed-up is read from what remains: (t(n) − t(tiny)) for each W. The runs are
interleaved (tiny and n, one worker and two, the order rotating per repeat) so that a noisy
neighbour on a shared machine slows both worker counts alike, and each time is the fastest of
its repeats: interference only ever adds time, and a subtraction of two noisy medians can
leave nothing of a small corpus's per-article part.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.config import Options
from bench.data import corpus_dir
from bench.report import SuiteResult, Table, Target
from bench.servers import tool
from bench.stats import fmt, median, ratio
from bench.suites.build import TINY, BuildRun, build_once

WORKERS = (1, 2)
TARGET_SPEEDUP = 1.6

# What `diplograph build --scheduler` prints per worker at the end (graphbuild.run.distributed)
_WORKER_LINE = re.compile(
    r"^\s*(?P<worker>\S+): (?P<articles>\d+) article\(s\), (?P<rate>[\d.]+)/s, "
    r"(?P<each>[\d.]+) s each\s*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class DaskRun:
    workers: int
    run: BuildRun
    per_worker: list[dict[str, Any]]  # the client's own figures, one entry per worker process
    load_before: float  # 1-minute load average when the build started

    @property
    def seconds_per_article_on_a_worker(self) -> float:
        """Busy time per article on a worker, averaged over the workers (from the client)."""
        done = sum(w["articles"] for w in self.per_worker)
        busy = sum(w["articles"] * w["seconds_each"] for w in self.per_worker)
        return busy / done if done else math.nan


def worker_lines(output: str) -> list[dict[str, Any]]:
    """The per-worker throughput lines of a distributed build's output."""
    return [
        {
            "worker": m["worker"],
            "articles": int(m["articles"]),
            "articles_per_s": float(m["rate"]),
            "seconds_each": float(m["each"]),
        }
        for m in _WORKER_LINE.finditer(output)
    ]


def _unavailable() -> str | None:
    if importlib.util.find_spec("distributed") is None:
        return "dask.distributed is not installed: pip install 'diplograph[distributed]'"
    if tool("diplograph") is None and importlib.util.find_spec("graphbuild.cli") is None:
        return "graphbuild's CLI is not importable"
    return None


def run(opts: Options, say: Callable[[str], None]) -> SuiteResult:
    result = SuiteResult("distributed")
    why = _unavailable()
    if why:
        result.skipped = why
        result.targets.append(
            Target(
                "distributed: Dask 2 workers / 1 worker speed-up (net of start-up)",
                None,
                ">=",
                TARGET_SPEEDUP,
                note=why,
            )
        )
        return result
    n = opts.scale.build_sizes[0]
    sizes = (TINY, n)
    repeats = opts.scale.dask_repeats
    work = opts.work / "distributed"
    work.mkdir(parents=True, exist_ok=True)
    say(f"distributed: corpora of {TINY} and {n} synthetic articles, local:1 and local:2")
    folders = {k: corpus_dir(opts.data, k, opts.seed) for k in sizes}

    runs: dict[tuple[int, int], list[DaskRun]] = {}
    plan = [(k, w) for k in sizes for w in WORKERS]
    for rep in range(repeats):
        shift = rep % len(plan)
        for k, w in plan[shift:] + plan[:shift]:
            say(f"  build of {k} articles on local:{w} (run {rep + 1}/{repeats})")
            load = os.getloadavg()[0]
            log = work / f"build-{k}-w{w}.log"
            r = build_once(
                folders[k], work / f"store-{k}-w{w}", 0, log, scheduler=f"local:{w}", quiet=False
            )
            output = log.read_text(encoding="utf-8", errors="replace")
            say(f"    {r.seconds:.1f} s, built {r.built}/{r.articles}, status {r.status}")
            runs.setdefault((k, w), []).append(DaskRun(w, r, worker_lines(output), load))
    if not opts.keep:
        for k, w in plan:
            shutil.rmtree(work / f"store-{k}-w{w}", ignore_errors=True)

    t = {key: min(d.run.seconds for d in ds) for key, ds in runs.items()}
    built = {key: max(d.run.built for d in ds) for key, ds in runs.items()}
    failed = [key for key, ds in runs.items() if all(d.run.built == 0 for d in ds)]
    for k, w in failed:
        result.notes.append(
            f"the build of {k} articles on local:{w} stored nothing; last output: "
            + runs[(k, w)][-1].run.tail
        )

    net = {w: t[(n, w)] - t[(TINY, w)] for w in WORKERS}
    rate = {
        w: ratio(built[(n, w)] - built[(TINY, w)], net[w]) if net[w] > 0 else math.nan
        for w in WORKERS
    }
    raw_speedup = ratio(t[(n, 1)], t[(n, 2)])
    per_article = {
        w: median([d.seconds_per_article_on_a_worker for d in runs[(n, w)]]) for w in WORKERS
    }
    # The workers' own busy time says how long the extra articles kept them busy; a net wall
    # time well under that means the fixed cost varied more than the work took (noise).
    busy_net = {w: (built[(n, w)] - built[(TINY, w)]) * per_article[w] / w for w in WORKERS}
    noisy = [w for w in WORKERS if not net[w] > 0 or net[w] < 0.5 * busy_net[w]]
    speedup = ratio(rate[2], rate[1]) if not noisy else math.nan
    busy_speedup = ratio(WORKERS[1] * per_article[1], per_article[2])
    table = Table(
        "diplograph build --scheduler local:W (fastest of the runs; net = minus the "
        f"{TINY}-article build with the same W)",
        ["workers", "articles", "built", "runs", "wall s", "net s", "articles/s", "speed-up"],
    )
    for w in WORKERS:
        for k in sizes:
            is_n = k == n
            table.rows.append(
                [
                    str(w),
                    str(k),
                    str(built[(k, w)]),
                    str(len(runs[(k, w)])),
                    fmt(t[(k, w)], 1),
                    fmt(net[w], 1) if is_n else "-",
                    fmt(rate[w], 2) if is_n else fmt(ratio(built[(k, w)], t[(k, w)]), 2),
                    (fmt(ratio(rate[w], rate[1]), 2) + (" ?" if noisy else "")) if is_n else "-",
                ]
            )
    result.tables.append(table)

    loads = [d.load_before for ds in runs.values() for d in ds]
    for w in noisy:
        result.notes.append(
            f"with {w} worker(s) the {n}-article build took {fmt(net[w], 1)} s longer than the "
            f"{TINY}-article one, while the workers report {fmt(busy_net[w], 1)} s of work for "
            "the extra articles: the fixed cost varied more than the work took, so the "
            "speed-up is not measured (run on a quieter machine or a larger scale)"
        )
    result.notes.append(
        f"articles/s of the {TINY}-article rows include start-up; those of the {n}-article rows "
        f"are net of it. Raw speed-up at {n} articles (start-up included): {fmt(raw_speedup)}"
    )
    if all(math.isfinite(v) for v in per_article.values()):
        result.notes.append(
            f"busy time per article on a worker, as the client reports it: "
            f"{per_article[1]:.2f} s with one worker, {per_article[2]:.2f} s with two "
            "(when it grows with the second worker, the two did not get a core each); the "
            f"speed-up these imply, 2 x {per_article[1]:.2f} / {per_article[2]:.2f}: "
            f"{fmt(busy_speedup)}"
        )
    result.notes.append(
        f"1-minute load average when the builds started: {min(loads):.1f} to {max(loads):.1f} "
        f"on {os.cpu_count()} cores"
    )
    result.targets.append(
        Target(
            "distributed: Dask 2 workers / 1 worker speed-up (net of start-up)",
            speedup,
            ">=",
            TARGET_SPEEDUP,
            note=f"{n} articles, minus the {TINY}-article build; raw {fmt(raw_speedup)}; "
            f"from the workers' busy time {fmt(busy_speedup)}",
        )
    )
    result.record = {
        "sizes": list(sizes),
        "repeats": repeats,
        "runs": {
            f"{k}@local:{w}": [
                {
                    "seconds": d.run.seconds,
                    "built": d.run.built,
                    "articles": d.run.articles,
                    "status": d.run.status,
                    "peak_tree_rss_mb": d.run.peak_tree_rss / 1e6,
                    "load_average_1m": d.load_before,
                    "per_worker": d.per_worker,
                }
                for d in ds
            ]
            for (k, w), ds in runs.items()
        },
        "net_seconds": {str(w): _num(net[w]) for w in WORKERS},
        "articles_per_s_net": {str(w): _num(rate[w]) for w in WORKERS},
        "seconds_per_article_on_a_worker": {str(w): _num(per_article[w]) for w in WORKERS},
        "speedup_net": _num(speedup),
        "speedup_from_worker_busy_time": _num(busy_speedup),
        "noisy_worker_counts": noisy,
        "speedup_raw": _num(raw_speedup),
    }
    return result


def _num(x: float) -> float | None:
    return round(x, 4) if math.isfinite(x) else None

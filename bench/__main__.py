"""``python -m bench``: run the suites, print medians and ratios, write a JSON record.

The exit status is 1 only when a ratio target of issues 5 and 6 is missed (what was measured is
printed either way); 2 for a usage error. Absolute rates are reported against their targets
but never fail the run: on a shared machine an absolute time is not a verdict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from bench.config import SCALES, SUITES, Options
from bench.report import SuiteResult, Table, Target
from bench.suites.serving import DEFAULT_ENGINES, ENGINES


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for dist in ("diplograph", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "spacy"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    from bench import virtuoso

    out["virtuoso"] = virtuoso.version()
    return out


def _parse(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Diplograph benchmarks: ratios against peers measured side by side.",
    )
    parser.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="small",
        help="small: builds of 200/2000 articles, queries on 2000 (a few minutes); "
        "10k: builds of 1k/10k, queries on 10k (the issue's figures); 100k: queries on 100k",
    )
    parser.add_argument(
        "--suites",
        default=",".join(SUITES),
        help=f"comma-separated subset of {','.join(SUITES)}",
    )
    parser.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated subset of {','.join(ENGINES)} "
        f"(default: {','.join(DEFAULT_ENGINES)}; virtuoso when virtuoso-t is installed)",
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--jobs", type=int, default=0, help="build processes (0 = all cores)")
    parser.add_argument("--out", type=Path, default=Path("var/bench"), help="data and records")
    parser.add_argument("--keep", action="store_true", help="keep stores and logs afterwards")
    args = parser.parse_args(argv)
    suites = tuple(s.strip() for s in args.suites.split(",") if s.strip())
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    for s in suites:
        if s not in SUITES:
            parser.error(f"unknown suite {s!r}; choose from {', '.join(SUITES)}")
    for e in engines:
        if e not in ENGINES:
            parser.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    return Options(SCALES[args.scale], suites, engines, args.seed, args.jobs, args.out, args.keep)


# What the suites import beyond Diplograph's own dependencies (the `bench` extra).
NEEDED = {
    "psutil": "psutil",
    "aiohttp": "aiohttp",
    "uvicorn": "uvicorn",
    "rdflib_endpoint": "rdflib-endpoint",
}


def _missing() -> list[str]:
    import importlib.util

    return [dist for module, dist in NEEDED.items() if importlib.util.find_spec(module) is None]


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds like Ctrl-C, so the servers this run started are stopped."""
    raise KeyboardInterrupt(f"signal {signum}")


def run_suites(opts: Options) -> list[SuiteResult]:
    results: list[SuiteResult] = []

    def guarded(name: str, fn: Any, *args: Any) -> None:
        t0 = time.perf_counter()
        try:
            r: SuiteResult = fn(*args, _say)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # one broken suite must not hide the others' numbers
            r = SuiteResult(name, skipped=f"crashed: {type(exc).__name__}: {exc}")
            r.record["traceback"] = traceback.format_exc()
            _say(traceback.format_exc())
        r.record["suite_seconds"] = round(time.perf_counter() - t0, 1)
        results.append(r)

    if "build" in opts.suites:
        from bench.suites import build

        guarded("build", build.run, opts)
    if "distributed" in opts.suites:
        from bench.suites import distributed

        guarded("distributed", distributed.run, opts)
    if {"queries", "variations", "http"} & set(opts.suites):
        from bench.suites import concurrency, queries
        from bench.suites.serving import serving

        try:
            with serving(opts, _say) as s:
                if "queries" in opts.suites or "variations" in opts.suites:
                    name = "queries" if "queries" in opts.suites else "variations"
                    guarded(
                        name,
                        functools.partial(
                            queries.run,
                            mix="queries" in opts.suites,
                            variations="variations" in opts.suites,
                        ),
                        s,
                        opts,
                    )
                if "http" in opts.suites:
                    guarded("http", concurrency.run, s, opts)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            _say(traceback.format_exc())
            for name in ("queries", "variations", "http"):
                if name in opts.suites and not any(r.name == name for r in results):
                    results.append(SuiteResult(name, skipped=f"setup failed: {exc}"))
    if "export" in opts.suites:
        from bench.suites import transfer

        guarded("export", transfer.run, opts)
    if "limits" in opts.suites:
        from bench.suites import limits

        guarded("limits", limits.run, opts)
    return results


def render(results: list[SuiteResult]) -> str:
    parts: list[str] = []
    targets: list[Target] = []
    for r in results:
        parts.append(f"== {r.name} ==")
        if r.skipped:
            parts.append(f"skipped: {r.skipped}")
        for t in r.tables:
            parts.append(t.render())
            parts.append("")
        for note in r.notes:
            parts.append(f"note: {note}")
        targets += r.targets
        parts.append("")
    summary = Table(
        "== targets (issues 5 and 6) ==",
        ["target", "measured", "bound", "verdict", "note"],
        [t.row() for t in targets],
    )
    parts.append(summary.render())
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    opts = _parse(argv)
    missing = _missing()
    if missing:
        _say(
            f"bench: missing {', '.join(missing)}; install the extra with "
            f"`{sys.executable} -m pip install -e '.[bench]'`"
        )
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    opts.root.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    _say(
        f"bench: scale {opts.scale.name}, suites {','.join(opts.suites)}, "
        f"{os.cpu_count()} cores; data in {opts.data}"
    )
    try:
        results = run_suites(opts)
    finally:
        if not opts.keep:
            shutil.rmtree(opts.work, ignore_errors=True)
    print(render(results))
    targets = [t for r in results for t in r.targets]
    missed = [t for t in targets if t.ratio and t.ok is False]
    record: dict[str, Any] = {
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "scale": opts.scale.name,
        "seed": opts.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "versions": _versions(),
        "suites": {r.name: r.as_dict() for r in results},
        "targets": [t.as_dict() for t in targets],
        "ratio_targets_missed": [t.name for t in missed],
    }
    out = opts.root / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nrecord: {out}")
    if missed:
        print(f"{len(missed)} ratio target(s) missed: " + "; ".join(t.name for t in missed))
        return 1
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        _say("interrupted")
        raise SystemExit(130) from None

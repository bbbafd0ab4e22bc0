"""Scales and repetition budgets: how big the data is and how long each measurement may run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scale:
    name: str
    build_sizes: tuple[int, int]  # cost exponent and memory are read from n to 10 n
    stage_sample: int  # articles timed stage by stage
    query_articles: int  # synthetic articles served for queries, HTTP and export
    min_runs: int  # per query and engine, at least
    max_runs: int
    budget_s: float  # per query and engine, runs stop past this once min_runs are in
    cap_s: float  # per query and engine, runs stop past this even before min_runs
    query_timeout_s: float  # one request; a timeout counts as a censored sample
    http_seconds: float  # per concurrency level and engine
    http_max_requests: int
    transfer_runs: int  # export and load repetitions
    dask_repeats: int  # distributed suite: builds per (corpus size, worker count)


SCALES: dict[str, Scale] = {
    # a check that the harness works end to end, not a measurement to quote
    "tiny": Scale(
        name="tiny",
        build_sizes=(20, 200),
        stage_sample=10,
        query_articles=200,
        min_runs=3,
        max_runs=10,
        budget_s=0.5,
        cap_s=10.0,
        query_timeout_s=10.0,
        http_seconds=2.0,
        http_max_requests=1000,
        transfer_runs=2,
        dask_repeats=2,
    ),
    "small": Scale(
        name="small",
        build_sizes=(200, 2000),
        stage_sample=40,
        query_articles=2000,
        min_runs=5,
        max_runs=25,
        budget_s=1.5,
        cap_s=15.0,
        query_timeout_s=10.0,
        http_seconds=5.0,
        http_max_requests=3000,
        transfer_runs=3,
        dask_repeats=2,
    ),
    "1k": Scale(
        name="1k",
        build_sizes=(100, 1000),
        stage_sample=40,
        query_articles=1000,
        min_runs=5,
        max_runs=25,
        budget_s=1.5,
        cap_s=20.0,
        query_timeout_s=15.0,
        http_seconds=5.0,
        http_max_requests=3000,
        transfer_runs=3,
        dask_repeats=2,
    ),
    "10k": Scale(
        name="10k",
        build_sizes=(1000, 10000),
        stage_sample=100,
        query_articles=10000,
        min_runs=5,
        max_runs=30,
        budget_s=3.0,
        cap_s=60.0,
        query_timeout_s=60.0,
        http_seconds=10.0,
        http_max_requests=10000,
        transfer_runs=3,
        dask_repeats=1,
    ),
    "100k": Scale(
        name="100k",
        build_sizes=(1000, 10000),
        stage_sample=100,
        query_articles=100000,
        min_runs=3,
        max_runs=15,
        budget_s=5.0,
        cap_s=120.0,
        query_timeout_s=120.0,
        http_seconds=10.0,
        http_max_requests=10000,
        transfer_runs=2,
        dask_repeats=1,
    ),
}

SUITES = ("build", "distributed", "queries", "variations", "http", "export", "limits")


@dataclass(frozen=True)
class Options:
    scale: Scale
    suites: tuple[str, ...]
    engines: tuple[str, ...]
    seed: int
    jobs: int
    root: Path  # var/bench
    keep: bool  # keep stores and logs after the run

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def work(self) -> Path:
        return self.root / "work"

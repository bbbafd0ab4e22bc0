"""HTTP throughput and tail latency at 1, 8 and 32 concurrent clients (asyncio + aiohttp).

Each level runs for a bounded time and request count against one engine at a time (a level
saturates the machine, so interleaving would measure the engines against each other); the
engines take turns per level, in rotating order, and each level is run ``rounds`` times with
the median kept. The query is what a resource page asks: every statement about one person's
IRI (cheap in every engine, so the numbers are about serving HTTP, not evaluating SPARQL).
Loopback only; issue 5 sets no target here, so the suite only reports.
"""

from __future__ import annotations

import asyncio
import math
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.client import SELECT_ACCEPT
from bench.config import Options
from bench.querymix import probe
from bench.report import SuiteResult, Table
from bench.servers import Endpoint
from bench.stats import fmt, median, percentile, ratio
from bench.suites.serving import DIPLOGRAPH, OXIGRAPH, RDFLIB, Serving

LEVELS = (1, 8, 32)
QUERY_NAME = "statements-about-a-person"


def lookup_query(person_iri: str) -> str:
    """What a resource page asks: every statement about one IRI."""
    return f"SELECT ?p ?o WHERE {{ <{person_iri}> ?p ?o }}"


@dataclass
class Level:
    clients: int
    completed: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else math.nan

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


async def _level(
    endpoint: Endpoint, query: str, clients: int, seconds: float, max_requests: int, timeout: float
) -> Level:
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": SELECT_ACCEPT}
    out = Level(clients)
    issued = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:

        async def worker() -> None:
            nonlocal issued
            while time.perf_counter() < deadline and issued < max_requests:
                issued += 1
                t0 = time.perf_counter()
                try:
                    async with session.post(endpoint.url, data=body, headers=headers) as resp:
                        await resp.read()
                        ok = resp.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                if ok:
                    out.completed += 1
                    out.latencies.append(time.perf_counter() - t0)
                else:
                    out.errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        out.seconds = time.perf_counter() - start
    return out


def run(s: Serving, opts: Options, say: Callable[[str], None], rounds: int = 3) -> SuiteResult:
    result = SuiteResult("http")
    engines = [e for name, e in s.endpoints.items() if name in (DIPLOGRAPH, OXIGRAPH, RDFLIB)]
    if not engines:
        result.skipped = "no HTTP endpoint is running"
        return result
    query = lookup_query(probe(s.in_process).person_iri)
    sc = opts.scale
    say(f"http: {QUERY_NAME} at {', '.join(map(str, LEVELS))} clients, {rounds} rounds")
    runs: dict[tuple[str, int], list[Level]] = {}
    for level in LEVELS:
        for r in range(rounds):
            order = engines[r % len(engines) :] + engines[: r % len(engines)]
            for e in order:
                got = asyncio.run(
                    _level(e, query, level, sc.http_seconds, sc.http_max_requests, 120.0)
                )
                runs.setdefault((e.name, level), []).append(got)
                if not e.wait_idle(timeout_s=30.0):
                    say(f"    {e.name} still busy after the level: restarting it")
                    e.restart()
        say(
            f"  {level} clients: "
            + ", ".join(
                f"{e.name} {fmt(median([x.throughput for x in runs[(e.name, level)]]), 1)} req/s"
                for e in engines
            )
        )
    t = Table(
        f"HTTP throughput (req/s) and latency (ms), median of {rounds} rounds of "
        f"<= {sc.http_seconds:g} s",
        ["engine", "clients", "req/s", "p50 ms", "p99 ms", "errors", "vs oxigraph req/s"],
    )
    record: dict[str, Any] = {"query": QUERY_NAME, "levels": {}}
    summary: dict[tuple[str, int], float] = {}
    for level in LEVELS:
        for e in engines:
            xs = runs[(e.name, level)]
            tput = median([x.throughput for x in xs])
            summary[(e.name, level)] = tput
            p50 = median([x.p50 for x in xs])
            p99 = median([x.p99 for x in xs])
            errors = sum(x.errors for x in xs)
            record["levels"].setdefault(str(level), {})[e.name] = {
                "req_per_s": tput,
                "p50_ms": p50 * 1000,
                "p99_ms": p99 * 1000,
                "errors": errors,
                "requests": sum(x.completed for x in xs),
            }
            vs = ratio(tput, summary.get((OXIGRAPH, level), math.nan))
            t.rows.append(
                [
                    e.name,
                    str(level),
                    fmt(tput, 1),
                    fmt(p50 * 1000),
                    fmt(p99 * 1000),
                    str(errors),
                    fmt(vs),
                ]
            )
    result.tables.append(t)
    result.record = record
    return result

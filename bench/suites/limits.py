"""Issue 17's limits under attack: short queries and /health while runaways run, and memory.

Clients are told apart by address, as the server's per-client limits tell them: each one
sends from its own loopback address (127.0.0.N), so no proxy setting is involved.

* **Runaways**: 4 clients send a short query (every statement about one person) as fast as
  they can, first alone, then while 2 other clients keep 8 runaway queries in flight (4 each,
  within ``max_concurrent_per_client``; each is sent again as soon as it is answered, after
  the ``Retry-After`` it was given), timed from 12 s after the runaways started. The ratio
  is short-query throughput with runaways over throughput without, both measured in this
  run on the same server, whose workers were warmed first (target ≥ 0.5). A prober
  asks ``/health`` every 50 ms throughout; its latency under runaways is reported against
  100 ms (an absolute figure, informational).
* **Memory**: a fresh server with ``max_query_memory_mb`` = L gets 4 concurrent queries that
  sort a cross product (memory grows until the limit stops them). The process tree's resident
  memory is sampled every 20 ms; the peak is compared with 4 × L + the idle tree (target:
  peak / bound ≤ 1), and the server has to answer a short query afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import math
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench import data
from bench.client import SELECT_ACCEPT
from bench.config import Options
from bench.report import SuiteResult, Table, Target
from bench.servers import Endpoint, EngineUnavailable, start_diplograph, tree_rss
from bench.stats import fmt, median, percentile

RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
)
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i ?a ?d ?g"
CHEAP_CLIENTS = [f"127.0.0.{10 + n}" for n in range(4)]
RUNAWAY_CLIENTS = ["127.0.0.2", "127.0.0.3"]
RUNAWAYS_PER_CLIENT = 4
HOG_CLIENTS = [f"127.0.0.{30 + n}" for n in range(4)]
MEMORY_LIMIT_MB = 512
HEALTH_EVERY_S = 0.05
SETTLE_S = 12.0
"""Runaways run this long before short queries are timed: the first burst starts 8 workers
at normal priority (and stopping the ones the slow lane cannot hold costs new workers); what
is measured is the state an attack keeps up, which the 60 s query timeout outlasts."""


@dataclass
class Phase:
    name: str
    completed: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    runaway_statuses: dict[int, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else math.nan


def _form(query: str) -> tuple[str, dict[str, str]]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": SELECT_ACCEPT}
    return urllib.parse.urlencode({"query": query}), headers


async def _cheap(url: str, query: str, address: str, until: float, out: Phase) -> None:
    body, headers = _form(query)
    connector = aiohttp.TCPConnector(limit=1, local_addr=(address, 0))
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        while time.perf_counter() < until:
            t0 = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    ok = resp.status == 200
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                out.completed += 1
                out.latencies.append(time.perf_counter() - t0)
            else:
                out.errors += 1


async def _runaway(url: str, address: str, stop: asyncio.Event, out: Phase) -> None:
    body, headers = _form(RUNAWAY)
    connector = aiohttp.TCPConnector(limit=1, local_addr=(address, 0))
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=300)
    ) as session:
        while not stop.is_set():
            wait = 0.0
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    out.runaway_statuses[resp.status] = out.runaway_statuses.get(resp.status, 0) + 1
                    wait = float(resp.headers.get("Retry-After", "0") or 0)
            except (aiohttp.ClientError, TimeoutError):
                wait = 1.0
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)


def _probe_health(base: str, stop: threading.Event, out: Phase) -> None:
    """/health every 50 ms from its own address, on a kept-alive connection."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    conn = http.client.HTTPConnection(
        host or "127.0.0.1", port, timeout=30, source_address=("127.0.0.20", 0)
    )
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            conn.request("GET", "/health")
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                out.health.append(time.perf_counter() - t0)
            else:
                out.health_failures += 1
        except (OSError, http.client.HTTPException):
            out.health_failures += 1
            conn.close()
            conn = http.client.HTTPConnection(
                host or "127.0.0.1", port, timeout=30, source_address=("127.0.0.20", 0)
            )
        stop.wait(HEALTH_EVERY_S)
    conn.close()


async def _phase(
    endpoint: Endpoint, query: str, seconds: float, runaways: bool, settle_s: float
) -> Phase:
    out = Phase("with runaways" if runaways else "alone")
    stop_runaways = asyncio.Event()
    background = []
    if runaways:
        background = [
            asyncio.create_task(_runaway(endpoint.url, address, stop_runaways, out))
            for address in RUNAWAY_CLIENTS
            for _ in range(RUNAWAYS_PER_CLIENT)
        ]
        await asyncio.sleep(settle_s)  # past slow_query_s: the runaways are where they stay
    base = endpoint.url.rsplit("/sparql", 1)[0]
    stop_health = threading.Event()
    prober = threading.Thread(target=_probe_health, args=(base, stop_health, out), daemon=True)
    prober.start()
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(
        *(_cheap(endpoint.url, query, address, until, out) for address in CHEAP_CLIENTS)
    )
    out.seconds = time.perf_counter() - start
    stop_health.set()
    prober.join(60)
    stop_runaways.set()
    for task in background:
        task.cancel()
    await asyncio.gather(*background, return_exceptions=True)
    return out


def _person(endpoint: Endpoint) -> str:
    import json

    host, port = endpoint.host_port
    conn = http.client.HTTPConnection(host, port, timeout=60)
    q = "SELECT ?p WHERE { ?p a <https://w3id.org/diplograph/ontology#Person> } LIMIT 1"
    body, headers = _form(q)
    conn.request("POST", endpoint.path, body=body, headers=headers)
    answer = json.loads(conn.getresponse().read())
    conn.close()
    return str(answer["results"]["bindings"][0]["p"]["value"])


def _ok(endpoint: Endpoint, query: str) -> int:
    host, port = endpoint.host_port
    conn = http.client.HTTPConnection(host, port, timeout=60)
    body, headers = _form(query)
    try:
        conn.request("POST", endpoint.path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def _memory(endpoint: Endpoint, cheap: str) -> dict[str, Any]:
    """Peak tree RSS under 4 concurrent sorts of a cross product, and the answer after."""
    assert endpoint.proc is not None
    proc = psutil.Process(endpoint.proc.pid)
    for _ in range(3):
        _ok(endpoint, cheap)
    time.sleep(1.0)
    idle = tree_rss(proc)
    statuses: list[int] = []
    peak = idle
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            with contextlib.suppress(psutil.Error):
                peak = max(peak, tree_rss(proc))
            time.sleep(0.02)

    def hog(address: str) -> None:
        host, port = endpoint.host_port
        conn = http.client.HTTPConnection(host, port, timeout=300, source_address=(address, 0))
        body, headers = _form(MEMORY_HOG)
        try:
            conn.request("POST", endpoint.path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            statuses.append(resp.status)
        except (OSError, http.client.HTTPException):
            statuses.append(0)
        finally:
            conn.close()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    hogs = [threading.Thread(target=hog, args=(a,)) for a in HOG_CLIENTS]
    t0 = time.perf_counter()
    for t in hogs:
        t.start()
    for t in hogs:
        t.join(600)
    seconds = time.perf_counter() - t0
    time.sleep(0.5)
    stop.set()
    sampler.join(10)
    after = _ok(endpoint, cheap)
    bound = MEMORY_LIMIT_MB * 2**20 * len(HOG_CLIENTS) + idle
    return {
        "limit_mb": MEMORY_LIMIT_MB,
        "idle_mb": idle / 2**20,
        "peak_mb": peak / 2**20,
        "bound_mb": bound / 2**20,
        "peak_over_bound": peak / bound,
        "hog_statuses": sorted(statuses),
        "hog_seconds": seconds,
        "status_after": after,
    }


def run(opts: Options, say: Callable[[str], None]) -> SuiteResult:
    result = SuiteResult("limits")
    work = opts.work / "limits"
    work.mkdir(parents=True, exist_ok=True)
    n = opts.scale.query_articles
    say(f"limits: {n} synthetic articles into a Diplograph store")
    nquads = data.nquads_file(opts.data, n, opts.seed)
    loaded = data.load_diplograph(nquads, work / "store", work / "load.log")
    seconds = max(8.0, 2 * opts.scale.http_seconds)
    env = {
        "DIPLOGRAPH_QUERY_TIMEOUT_S": "60",  # runaways run through the measurement
        "DIPLOGRAPH_MAX_QUERY_MEMORY_MB": str(MEMORY_LIMIT_MB),
        "DIPLOGRAPH_PRECOMPUTED_ANSWERS": "false",
    }
    record: dict[str, Any] = {"articles": n, "phase_seconds": seconds}
    try:
        endpoint = start_diplograph(loaded.store, work, env)
    except EngineUnavailable as exc:
        result.skipped = str(exc)
        return result
    try:
        cheap = f"SELECT ?p ?o WHERE {{ <{_person(endpoint)}> ?p ?o }}"
        say(f"  short queries from 4 clients, {seconds:g} s alone, then with 8 runaways")
        asyncio.run(_phase(endpoint, cheap, 3.0, False, 0.0))  # warm: workers spawned
        alone = asyncio.run(_phase(endpoint, cheap, seconds, False, 0.0))
        attacked = asyncio.run(_phase(endpoint, cheap, seconds, True, SETTLE_S))
    finally:
        endpoint.stop()
    say("  memory: 4 concurrent sorts of a cross product on a fresh server")
    endpoint = start_diplograph(loaded.store, work, env)
    try:
        memory = _memory(endpoint, cheap)
    finally:
        endpoint.stop()

    ratio = attacked.throughput / alone.throughput if alone.throughput > 0 else math.nan
    t = Table(
        "short queries (4 clients) and /health, alone and with 8 runaways from 2 clients",
        [
            "phase",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "health p50 ms",
            "health p99 ms",
            "health max ms",
            "health fails",
        ],
    )
    for phase in (alone, attacked):
        t.rows.append(
            [
                phase.name,
                fmt(phase.throughput, 1),
                fmt(percentile(phase.latencies, 50) * 1000),
                fmt(percentile(phase.latencies, 99) * 1000),
                str(phase.errors),
                fmt(median(phase.health) * 1000),
                fmt(percentile(phase.health, 99) * 1000),
                fmt(max(phase.health, default=math.nan) * 1000),
                str(phase.health_failures),
            ]
        )
    result.tables.append(t)
    m = Table(
        f"memory: 4 concurrent memory-hungry queries, max_query_memory_mb = {MEMORY_LIMIT_MB}",
        [
            "idle tree MB",
            "peak tree MB",
            "bound MB (4 x limit + idle)",
            "peak/bound",
            "answers",
            "short query after",
        ],
    )
    m.rows.append(
        [
            fmt(memory["idle_mb"], 0),
            fmt(memory["peak_mb"], 0),
            fmt(memory["bound_mb"], 0),
            fmt(memory["peak_over_bound"], 3),
            ",".join(map(str, memory["hog_statuses"])),
            str(memory["status_after"]),
        ]
    )
    result.tables.append(m)
    health_p99 = percentile(attacked.health, 99) * 1000
    result.targets += [
        Target("short-query throughput with runaways / alone", ratio, ">=", 0.5),
        Target(
            "/health p99 with runaways (ms)",
            health_p99 if not attacked.health_failures else math.inf,
            "<=",
            100.0,
            ratio=False,
        ),
        Target("peak tree memory / (4 x limit + idle)", memory["peak_over_bound"], "<=", 1.0),
        Target(
            "short query answered after the memory test (1 = yes)",
            1.0 if memory["status_after"] == 200 else 0.0,
            ">=",
            1.0,
        ),
    ]
    if attacked.runaway_statuses:
        result.notes.append(
            "runaway answers: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(attacked.runaway_statuses.items()))
        )
    record.update(
        alone={
            "req_per_s": alone.throughput,
            "errors": alone.errors,
            "health_ms": [x * 1000 for x in alone.health],
        },
        with_runaways={
            "req_per_s": attacked.throughput,
            "errors": attacked.errors,
            "health_ms": [x * 1000 for x in attacked.health],
            "health_failures": attacked.health_failures,
            "runaway_statuses": attacked.runaway_statuses,
        },
        throughput_ratio=ratio,
        memory=memory,
        store=str(Path(loaded.store).name),
    )
    result.record = record
    return result

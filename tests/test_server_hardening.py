"""Issue 17's server findings, each over real HTTP against a live server.

Clients are told apart as a reverse proxy would tell them: the server trusts 127.0.0.1 as a
proxy (``trusted_proxies``) and each test client sends its own ``X-Forwarded-For``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from loopback import Listener, listening
from server_samples import DG, LiveServer, fill_store, running_server
from test_server_limits import PEOPLE, RUNAWAY, wait_until

import server.sparql
from graphbuild.store.embedded import GraphStore
from server.executor import QueryFailed, QueryJob
from server.guard import Inspection, inspect

# The sample store's triples five times over, sorted: every row has to be held at once.
MEMORY_HOG = (
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
    "ORDER BY ?a ?d ?g ?j ?m ?c ?f ?i ?l ?o"
)
TOKEN = "correct-horse-battery"
EXPLOIT = (
    "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{base}sparql> {{ ?s ?p ?o }} }}"
)


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as found:
        yield found


def as_client(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def query(live: LiveServer, text: str, client: str = "", **kw: object) -> requests.Response:
    headers = as_client(client) if client else {}
    return requests.get(
        live.sparql, params={"query": text}, headers=headers, timeout=kw.pop("timeout", 60)
    )


def settle(listener: Listener) -> int:
    time.sleep(0.3)  # a connection being accepted right now is counted too
    return listener.contacts


# ---- 1. SSRF: the guard, and the sandbox behind it ----------------------------------------


@pytest.mark.parametrize("allowlist", ["", "https://query.wikidata.org/sparql"])
def test_escape_trick_never_reaches_a_local_port(
    serve_store: Callable[..., LiveServer], listener: Listener, allowlist: str
) -> None:
    live = serve_store(service_allowlist=allowlist)
    r = query(live, EXPLOIT.format(base=listener.base))
    assert r.status_code == 403
    assert r.json()["error"]["status"] == 403
    assert settle(listener) == 0


def test_load_trick_is_refused_for_a_token_holder(tmp_path: Path, listener: Listener) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    update = f"INSERT DATA {{ <http://x/\\u0041#> <http://p> 1 }} ; LOAD <{listener.base}x>"
    with running_server(path, writable=True, update_token=TOKEN) as live:
        r = requests.post(
            live.sparql,
            data=update.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=60,
        )
    assert r.status_code == 403, r.text
    assert "LOAD" in r.json()["error"]["detail"]
    assert settle(listener) == 0


@pytest.fixture
def no_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The query check lets everything through: only the sandbox stands in the way."""

    def lenient(text: str, allowlist: object, max_nesting: int = 0) -> Inspection:
        return inspect(text)

    monkeypatch.setattr(server.sparql, "check", lenient)
    monkeypatch.setattr(server.sparql, "check_update", lenient)


@pytest.mark.usefixtures("no_guard")
def test_a_query_past_the_guard_still_cannot_connect(
    serve_store: Callable[..., LiveServer], listener: Listener
) -> None:
    live = serve_store(service_allowlist="")
    r = query(live, f"SELECT * WHERE {{ SERVICE <{listener.base}sparql> {{ ?s ?p ?o }} }}")
    assert r.status_code == 403, r.text
    assert f"127.0.0.1:{listener.port}" in r.json()["error"]["detail"]
    assert settle(listener) == 0
    assert live.state.pool.stats()["sandboxed"] is True


@pytest.mark.usefixtures("no_guard")
def test_blocked_ports_all_fail_alike(
    serve_store: Callable[..., LiveServer], listener: Listener
) -> None:
    """Open or closed, a port outside the allow-list answers the same: no port scanning."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    live = serve_store(service_allowlist="")
    details = []
    for port in (listener.port, closed):
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        r = query(live, text)
        assert r.status_code == 403
        details.append(r.json()["error"]["detail"].replace(str(port), "PORT"))
    assert details[0] == details[1]
    assert settle(listener) == 0


@pytest.mark.usefixtures("no_guard")
def test_an_update_past_the_guard_still_cannot_load(tmp_path: Path, listener: Listener) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    with running_server(path, writable=True, update_token=TOKEN, service_allowlist="") as live:
        r = requests.post(
            live.sparql,
            data=f"LOAD <{listener.base}data.ttl>".encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=60,
        )
    assert r.status_code == 403, r.text
    assert settle(listener) == 0


def test_the_sandbox_lets_allow_listed_endpoints_through(
    serve_store: Callable[..., LiveServer], listener: Listener
) -> None:
    """The other side of the sandbox: an allow-listed endpoint is reached (so the tests above
    could see a connection if the sandbox let one through)."""
    live = serve_store(service_allowlist=f"{listener.base}sparql")
    allowed = QueryJob(
        f"SELECT * WHERE {{ SERVICE <{listener.base}sparql> {{ ?s ?p ?o }} }}", "json", None, 10
    )
    with pytest.raises(QueryFailed) as info:  # the listener hangs up: a failed call, not 403
        live.state.pool.run(allowed, 30)
    assert info.value.code == "failed"
    assert settle(listener) >= 1
    other = QueryJob(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "json", None, 10
    )
    with pytest.raises(QueryFailed) as blocked:
        live.state.pool.run(other, 30)
    assert blocked.value.code in ("refused", "failed")  # port 9 is refused by pyoxigraph too


# ---- 3. memory ------------------------------------------------------------------------------


def test_a_query_past_its_memory_is_stopped_with_503_and_the_server_goes_on(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(max_query_memory_mb=300, query_timeout_s=120, threads=2, slow_query_s=0)
    assert query(live, PEOPLE).status_code == 200
    r = query(live, MEMORY_HOG, timeout=180)
    assert r.status_code == 503, r.text[:300]
    assert r.json()["error"]["title"] == "Query Memory Limit"
    assert "max_query_memory_mb" in r.json()["error"]["detail"]
    assert live.state.pool.stats()["killed"] >= 1
    assert query(live, PEOPLE).status_code == 200


# ---- 4. nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "deep",
    [
        "SELECT * WHERE " + "{" * 2200 + "?s ?p ?o" + "}" * 2200,
        "SELECT * WHERE { " + "FILTER EXISTS { " * 1200 + "}" * 1200 + " }",
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "true" + ")" * 3000 + ") }",
    ],
)
def test_deep_nesting_is_a_400_and_no_worker_dies(live_server: LiveServer, deep: str) -> None:
    killed = live_server.state.pool.stats()["killed"]
    r = requests.post(live_server.sparql, data={"query": deep}, timeout=60)
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"]["title"] == "Query Too Deep"
    assert live_server.state.pool.stats()["killed"] == killed
    assert requests.get(live_server.sparql, params={"query": PEOPLE}, timeout=60).ok


# ---- 5. runaways cannot take every thread ---------------------------------------------------


def test_health_answers_while_runaways_hold_every_query_thread(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(threads=2, query_timeout_s=20, slow_query_s=0, trusted_proxies="127.0.0.1")
    started = []
    for n in range(2):
        thread, _ = _runaway(live, f"10.0.0.{n + 1}")
        started.append(thread)
    wait_until(lambda: sum(live.state.limiter.running(f"10.0.0.{n + 1}") for n in range(2)) == 2)
    health = requests.get(f"{live.url}/health", timeout=5)  # the runaways take 20 s
    assert health.status_code == 200
    for thread in started:
        thread.join(60)


def test_the_slow_lane_holds_only_so_many_long_queries(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(
        threads=4,
        query_timeout_s=15,
        slow_query_s=0.5,
        max_slow_queries=1,
        max_concurrent_per_client=4,
        trusted_proxies="127.0.0.1",
    )
    query(live, PEOPLE)
    first, first_out = _runaway(live, "10.0.0.1")
    wait_until(lambda: live.state.limiter.slow() == 1)
    pool_pids = live.state.pool.pids()
    assert any(os.getpriority(os.PRIO_PROCESS, pid) == 19 for pid in pool_pids)
    # a second long query, from another client: the lane is full, so it is stopped
    second = query(live, RUNAWAY, "10.0.0.2")
    assert second.status_code == 503
    assert second.json()["error"]["title"] == "Server Busy"
    assert int(second.headers["Retry-After"]) >= 1
    assert query(live, PEOPLE, "10.0.0.2").status_code == 429  # it waits a moment
    # a short query from a third client still runs, in a worker at normal priority
    assert query(live, PEOPLE, "10.0.0.3").status_code == 200
    first.join(60)
    assert isinstance(first_out["response"], requests.Response)
    assert first_out["response"].status_code == 503  # its timeout


def test_a_client_over_its_share_of_the_lane_waits_for_its_long_query(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(
        threads=4,
        query_timeout_s=15,
        slow_query_s=0.5,
        max_slow_per_client=1,
        trusted_proxies="127.0.0.1",
    )
    query(live, PEOPLE)
    first, _ = _runaway(live, "10.0.0.1")
    wait_until(lambda: live.state.limiter.slow() == 1)
    over = query(live, RUNAWAY, "10.0.0.1")
    assert over.status_code == 503 and over.json()["error"]["title"] == "Server Busy"
    refused = query(live, PEOPLE, "10.0.0.1")
    assert refused.status_code == 429 and "long-running" in refused.json()["error"]["detail"]
    assert query(live, PEOPLE, "10.0.0.2").status_code == 200
    first.join(60)
    assert query(live, PEOPLE, "10.0.0.1").status_code == 200  # its long query has ended


def test_a_client_with_its_long_query_running_gets_the_idle_priority_for_the_next(
    serve_store: Callable[..., LiveServer],
) -> None:
    """Its next query, were it long too, would be stopped at slow_query_s; until then it runs
    only on CPU that nobody else wants (SCHED_IDLE), and its worker is replaced after it."""
    live = serve_store(
        threads=4,
        query_timeout_s=15,
        slow_query_s=0.5,
        max_slow_per_client=1,
        max_concurrent_per_client=4,
        trusted_proxies="127.0.0.1",
    )
    query(live, PEOPLE)
    first, _ = _runaway(live, "10.0.0.1")
    wait_until(lambda: live.state.limiter.slow() == 1)
    second, _ = _runaway(live, "10.0.0.1")
    wait_until(lambda: live.state.limiter.running("10.0.0.1") == 2)

    def idle_workers() -> int:
        count = 0
        for pid in live.state.pool.pids():
            with contextlib.suppress(OSError):
                count += os.sched_getscheduler(pid) == os.SCHED_IDLE
        return count

    wait_until(lambda: idle_workers() == 2)  # the slow lane's, and the second from the start
    assert query(live, PEOPLE, "10.0.0.2").status_code == 200  # others: normal priority
    second.join(60)
    first.join(60)


def _runaway(live: LiveServer, client: str) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def call() -> None:
        outcome["response"] = query(live, RUNAWAY, client, timeout=120)

    thread = threading.Thread(target=call)
    thread.start()
    return thread, outcome


# ---- 6. behind a reverse proxy --------------------------------------------------------------


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(
        max_concurrent_per_client=1,
        query_timeout_s=3,
        slow_query_s=0,
        trusted_proxies="127.0.0.0/8",
    )
    thread, _ = _runaway(live, "203.0.113.7")
    wait_until(lambda: live.state.limiter.running("203.0.113.7") == 1)
    assert query(live, PEOPLE, "203.0.113.7").status_code == 429
    assert query(live, PEOPLE, "198.51.100.2").status_code == 200
    # the client's own claims left of the proxy's entry do not count
    spoofed = {"X-Forwarded-For": "198.51.100.9, 203.0.113.7"}
    r = requests.get(live.sparql, params={"query": PEOPLE}, headers=spoofed, timeout=60)
    assert r.status_code == 429
    thread.join(60)


def test_without_trusted_proxies_forwarded_for_is_ignored(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store(max_concurrent_per_client=1, query_timeout_s=3, slow_query_s=0)
    thread, _ = _runaway(live, "203.0.113.7")
    wait_until(lambda: live.state.limiter.running("127.0.0.1") == 1)
    assert query(live, PEOPLE, "198.51.100.2").status_code == 429
    thread.join(60)


# ---- 7. answers are capped by bytes too -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+xml"),
        ("SELECT * WHERE { ?s ?p ?o }", "text/tab-separated-values"),
        ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
    ],
)
def test_answers_are_cut_at_max_result_bytes_and_say_so(
    serve_store: Callable[..., LiveServer], text: str, accept: str
) -> None:
    live = serve_store(max_result_bytes=1500)
    r = requests.get(live.sparql, params={"query": text}, headers={"Accept": accept}, timeout=60)
    assert r.status_code == 200
    assert r.headers["Diplograph-Results-Truncated"] == "true"
    assert r.headers["Diplograph-Results-Truncated-By"] == "bytes"
    assert len(r.content) <= 1500 + 100  # the format's closing
    rows = int(r.headers["Diplograph-Result-Rows"])
    assert rows > 0
    if accept.endswith("json"):
        assert len(r.json()["results"]["bindings"]) == rows
    elif accept == "application/n-triples":
        assert len([x for x in r.text.splitlines() if x.strip()]) == rows
    whole = serve_store(max_result_bytes=0)
    full = requests.get(
        whole.sparql, params={"query": text}, headers={"Accept": accept}, timeout=60
    )
    assert full.headers["Diplograph-Results-Truncated"] == "false"
    assert "Diplograph-Results-Truncated-By" not in full.headers
    assert len(full.content) > 1500


def test_one_huge_row_is_not_sent(serve_store: Callable[..., LiveServer]) -> None:
    big = (
        "SELECT ?x WHERE { VALUES ?n { 1 } BIND(CONCAT("
        + ", ".join(['"' + "x" * 1000 + '"'] * 20)
        + ") AS ?x) }"
    )
    live = serve_store(max_result_bytes=10_000)
    r = query(live, big)
    assert r.status_code == 200
    assert r.headers["Diplograph-Results-Truncated-By"] == "bytes"
    assert len(r.content) < 10_000
    assert r.json()["results"]["bindings"] == []


# ---- 10. a read-only store ------------------------------------------------------------------

SERVE = textwrap.dedent(
    """
    import sys
    from graphbuild.errors import StoreError
    from graphbuild.settings import Settings
    from server.wsgi import serve
    try:
        serve(Settings().replace(store=sys.argv[1], port=int(sys.argv[2]), threads=2,
                                 update_token=sys.argv[3]))
    except StoreError as exc:
        print("STORE ERROR:", exc.message, file=sys.stderr)
        sys.exit(3)
    """
)


def _read_only_mount() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp"],
        capture_output=True,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(
    not _read_only_mount(), reason="needs root and unshare to mount a read-only file system"
)


def _serve_read_only(path: Path, port: int, token: str) -> subprocess.Popen[str]:
    script = (
        f"mount --bind {path} {path} && mount -o remount,bind,ro {path} && "
        f'exec "{sys.executable}" -c "$0" "$1" "$2" "$3"'
    )
    return subprocess.Popen(
        ["unshare", "-m", "sh", "-c", script, SERVE, str(path), str(port), token],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@needs_mount
def test_serve_reads_a_store_on_a_read_only_file_system(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = _serve_read_only(path, port, "")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.2)
        q = f"SELECT DISTINCT ?p WHERE {{ ?p a <{DG.Person}> }}"
        r = requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": q}, timeout=30)
        assert len(r.json()["results"]["bindings"]) == 3
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@needs_mount
def test_serve_with_an_update_token_on_a_read_only_store_says_why(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    proc = _serve_read_only(path, 1, TOKEN)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3, stderr
    assert "in use" not in stderr
    assert "cannot be written" in stderr


# ---- 11. wrong update tokens ----------------------------------------------------------------


def test_wrong_update_tokens_are_logged_and_locked_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="diplograph.server")
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    insert = "INSERT DATA { GRAPH <http://g> { <http://a> <http://b> 1 } }"
    with running_server(
        path, writable=True, update_token=TOKEN, update_token_tries=3, trusted_proxies="127.0.0.1"
    ) as live:

        def post(token: str, client: str) -> requests.Response:
            return requests.post(
                live.sparql,
                data=insert.encode(),
                headers={
                    "Content-Type": "application/sparql-update",
                    "Authorization": f"Bearer {token}",
                    **as_client(client),
                },
                timeout=60,
            )

        statuses = [post(f"guess-{n}", "198.51.100.5").status_code for n in range(5)]
        assert statuses == [403, 403, 403, 429, 429]
        locked = post(TOKEN, "198.51.100.5")  # even the right token waits out the lockout
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
        assert post(TOKEN, "198.51.100.6").status_code == 204
    wrong = [r for r in caplog.records if "wrong token from" in r.getMessage()]
    assert len(wrong) == 3 and all("198.51.100.5" in r.getMessage() for r in wrong)
    assert any("locked out" in r.getMessage() for r in caplog.records)


# ---- 12. every error in the JSON body -------------------------------------------------------


def test_a_malformed_default_graph_uri_is_a_400(live_server: LiveServer) -> None:
    r = requests.get(
        live_server.sparql,
        params={"query": PEOPLE, "default-graph-uri": "not an iri"},
        timeout=60,
    )
    assert r.status_code == 400
    assert r.json()["error"]["status"] == 400 and "not an iri" in r.json()["error"]["detail"]


def test_waitress_own_errors_carry_the_json_body(live_server: LiveServer) -> None:
    r = requests.get(f"{live_server.url}/health", headers={"X-Big": "x" * 300_000}, timeout=60)
    assert r.status_code == 431
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["error"]["status"] == 431

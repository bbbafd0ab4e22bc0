"""The SPARQL endpoints under test, each started as a child process on a loopback port.

Each engine serves the same N-Quads file with the union of named graphs as default graph:
Diplograph (``diplograph serve`` over its own store), rdflib-endpoint (the nearest Python
peer, rdflib in memory behind FastAPI/uvicorn) and Oxigraph's Rust server
(``oxigraph serve-read-only --union-default-graph``). Only processes started here are
stopped here, by their own process group.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HOST = "127.0.0.1"


class EngineUnavailable(RuntimeError):
    """An engine cannot run here (missing package or command); the message says why."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def tool(name: str) -> str | None:
    """A console script of this interpreter's environment, else one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def tree_rss(proc: psutil.Process) -> int:
    """Resident memory of a process and its children, in bytes."""
    total = 0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def tree_cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
    return total


@dataclass
class Endpoint:
    """A running SPARQL endpoint: where to send queries and how to stop it."""

    name: str
    url: str  # full URL of the SPARQL query endpoint
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    started_s: float = 0.0
    cmd: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    restarts: int = 0

    @property
    def host_port(self) -> tuple[str, int]:
        u = urllib.parse.urlsplit(self.url)
        return u.hostname or HOST, u.port or 80

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path or "/"

    def rss(self) -> int:
        if self.proc is None:
            return 0
        return tree_rss(psutil.Process(self.proc.pid))

    def wait_idle(self, cpu_fraction: float = 0.05, timeout_s: float = 300.0) -> bool:
        """Wait until the server stops burning CPU (an abandoned query may still run)."""
        if self.proc is None:
            return True
        proc = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + timeout_s
        last = tree_cpu_seconds(proc)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = tree_cpu_seconds(proc)
            if now - last < 0.5 * cpu_fraction:
                return True
            last = now
        return False

    def restart(self) -> None:
        """Stop and start again with the same command (to abandon a runaway query)."""
        self.stop()
        fresh = start(
            self.name,
            self.cmd,
            self.url,
            self.log or Path(f"{self.name}.log"),
            env=self.env,
            cwd=self.cwd,
        )
        self.proc, self.started_s = fresh.proc, fresh.started_s
        self.restarts += 1

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)


def _ask(url: str, timeout_s: float) -> bool:
    u = urllib.parse.urlsplit(url)
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    conn = http.client.HTTPConnection(u.hostname or HOST, u.port or 80, timeout=timeout_s)
    try:
        conn.request(
            "POST",
            u.path or "/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def start(
    name: str,
    cmd: Sequence[str],
    url: str,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    ready_timeout_s: float = 900.0,
) -> Endpoint:
    """Start ``cmd`` in its own process group and wait until it answers an ASK query."""
    log.parent.mkdir(parents=True, exist_ok=True)
    fh = log.open("ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        list(cmd),
        stdout=fh,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        start_new_session=True,
    )
    fh.close()
    endpoint = Endpoint(name, url, proc, log, cmd=tuple(cmd), env=dict(env or {}), cwd=cwd)
    deadline = t0 + ready_timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-800:]
            raise EngineUnavailable(f"{name} exited with status {proc.returncode}: {tail}")
        if _ask(url, 5.0):
            endpoint.started_s = time.monotonic() - t0
            return endpoint
        time.sleep(0.25)
    endpoint.stop()
    raise EngineUnavailable(f"{name} did not answer within {ready_timeout_s:.0f} s (log: {log})")


# ---- the engines ------------------------------------------------------------------------


def oxigraph_load(nquads: Path, location: Path, log: Path) -> float:
    """Bulk-load the file into an Oxigraph store with the ``oxigraph`` CLI; returns seconds."""
    exe = tool("oxigraph")
    if exe is None:
        raise EngineUnavailable(
            "the `oxigraph` command is missing: pip install 'diplograph[bench]'"
        )
    if location.exists():
        shutil.rmtree(location)
    t0 = time.perf_counter()
    with log.open("wb") as fh:
        subprocess.run(
            [exe, "load", "--location", str(location), "--file", str(nquads)],
            check=True,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    return time.perf_counter() - t0


def start_oxigraph(location: Path, workdir: Path, timeout_s: float) -> Endpoint:
    exe = tool("oxigraph")
    if exe is None:
        raise EngineUnavailable(
            "the `oxigraph` command is missing: pip install 'diplograph[bench]'"
        )
    port = free_port()
    cmd = [
        exe,
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"{HOST}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(1, round(timeout_s))),
    ]
    return start("oxigraph-server", cmd, f"http://{HOST}:{port}/query", workdir / "oxigraph.log")


def start_rdflib_endpoint(nquads: Path, workdir: Path) -> Endpoint:
    try:
        import rdflib_endpoint  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(
            f"rdflib-endpoint is not installed ({exc}): pip install 'diplograph[bench]'"
        ) from exc
    port = free_port()
    cmd = [sys.executable, "-m", "bench.rdflib_server", str(nquads), "--port", str(port)]
    return start("rdflib-endpoint", cmd, f"http://{HOST}:{port}/", workdir / "rdflib.log")


def start_diplograph(store: Path, workdir: Path, env: dict[str, str]) -> Endpoint:
    try:
        import server.wsgi  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(f"Diplograph's server is not importable yet ({exc})") from exc
    exe = tool("diplograph")
    base = [exe] if exe else [sys.executable, "-c", "from graphbuild.cli import main; main()"]
    port = free_port()
    cmd = [*base, "serve", "--store", str(store), "--host", HOST, "--port", str(port)]
    return start(
        "diplograph", cmd, f"http://{HOST}:{port}/sparql", workdir / "diplograph.log", env=env
    )


@contextlib.contextmanager
def running(endpoints: list[Endpoint]) -> Iterator[list[Endpoint]]:
    try:
        yield endpoints
    finally:
        for e in endpoints:
            e.stop()

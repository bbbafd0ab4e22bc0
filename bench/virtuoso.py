"""Virtuoso Open Source as a peer engine: its own database on loopback, bulk-loaded, read-only use.

The Debian package ``virtuoso-opensource`` provides ``virtuoso-t`` and ``isql-vt``. The
server runs in the foreground as a child process with an ini written here: free loopback
ports for SQL and HTTP, a buffer pool sized to the data, ``DefaultIsolation = 2`` as
docs/scaling-out.md asks of production servers, no result-row cap and no "anytime" partial
answers (the peers send every row; a slow query must time out, not come back short). The
N-Quads go in through Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``, one named
graph per article as in the file), then a checkpoint, so a restart after a runaway query
finds the data on disk. Without a ``FROM``, Virtuoso's SPARQL endpoint queries all graphs,
which is the union default graph the other engines serve.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import HOST, Endpoint, EngineUnavailable, free_port, start

BINARY = "virtuoso-t"
ISQL = "isql-vt"
NAME = "virtuoso"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {db}, {data}
CaseMode = 2
DefaultIsolation = 2
CheckpointInterval = 0
MaxSortedTopRows = 10000000

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {db}
ServerThreads = 40
MaxClientConnections = 40
MaxKeepAlives = 40
KeepAliveTimeout = 60

[SPARQL]
ResultSetMaxRows = 0
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def available() -> bool:
    return shutil.which(BINARY) is not None and shutil.which(ISQL) is not None


def version() -> str:
    """``Version 7.2.5...`` as the binary prints it, or why not."""
    exe = shutil.which(BINARY)
    if exe is None:
        return "not installed"
    done = subprocess.run([exe, "-?"], capture_output=True, text=True, check=False, timeout=30)
    for line in (done.stdout + done.stderr).splitlines():
        if line.startswith("Version "):
            return line.removeprefix("Version ").strip()
    return "unknown"


def buffers_for(quads: int) -> int:
    """8 KiB pages: enough to hold the loaded data in memory (about 1 page per 10 quads)."""
    return max(20_000, min(400_000, quads // 10))


def isql(port: int, statement: str, timeout_s: float) -> str:
    """Run one SQL statement as ``dba``; the output, or an error that says which."""
    try:
        done = subprocess.run(
            [ISQL, str(port), "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineUnavailable(f"virtuoso: isql {statement!r} failed: {exc}") from exc
    out = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in out:
        raise EngineUnavailable(f"virtuoso: isql {statement!r} failed: {out.strip()[-500:]}")
    return out


@dataclass(frozen=True)
class Loaded:
    endpoint: Endpoint
    load_s: float  # ld_dir + rdf_loader_run + checkpoint
    quads: int  # as Virtuoso counts them afterwards
    version: str


def start_virtuoso(nquads: Path, workdir: Path, quads: int, load_timeout_s: float) -> Loaded:
    """A fresh Virtuoso database in ``workdir/virtuoso`` holding ``nquads``, serving /sparql."""
    if not available():
        raise EngineUnavailable(
            f"`{BINARY}`/`{ISQL}` not found: apt-get install virtuoso-opensource"
        )
    db = (workdir / "virtuoso").resolve()
    if db.exists():
        shutil.rmtree(db)
    db.mkdir(parents=True)
    data = nquads.resolve().parent
    sql_port, http_port = free_port(), free_port()
    buffers = buffers_for(quads)
    ini = db / "virtuoso.ini"
    ini.write_text(
        INI.format(
            db=db,
            data=data,
            host=HOST,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
        ),
        encoding="utf-8",
    )
    cmd = [shutil.which(BINARY) or BINARY, "+foreground", "+configfile", str(ini)]
    endpoint = start(
        NAME,
        cmd,
        f"http://{HOST}:{http_port}/sparql",
        workdir / "virtuoso.log",
        cwd=db,
        ready_timeout_s=180.0,
    )
    try:
        t0 = time.perf_counter()
        isql(sql_port, f"ld_dir('{data}', '{nquads.name}', 'urn:bench:default');", 60)
        isql(sql_port, "rdf_loader_run();", load_timeout_s)
        isql(sql_port, "checkpoint;", load_timeout_s)
        load_s = time.perf_counter() - t0
        errors = isql(
            sql_port,
            "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;",
            60,
        )
        if "0 Rows." not in errors:
            raise EngineUnavailable(f"virtuoso: the bulk loader reported errors: {errors[-800:]}")
        counted = isql(
            sql_port,
            "SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER(?g != <http://www.openlinksw.com/schemas/virtrdf#>) };",
            600,
        )
        loaded = _first_int(counted)
    except BaseException:
        endpoint.stop()
        raise
    return Loaded(endpoint, load_s, loaded, version())


def _first_int(isql_output: str) -> int:
    """The single number of a one-cell isql result (-1 when there is none)."""
    for line in isql_output.splitlines():
        text = line.strip()
        if text.isdigit():
            return int(text)
    return -1

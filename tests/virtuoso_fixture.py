"""Start a real Virtuoso Open Source server on loopback for tests (Debian ``virtuoso-opensource``).

A fresh database in a temporary folder, free ports, run in the foreground as a child process
and stopped afterwards. ``DefaultIsolation = 2`` (read committed) is set as docs/scaling-out.md
asks of production servers, so readers never see half-applied updates. The ``dba`` user
(password ``dba`` on a fresh database, reachable from loopback only) is granted
``SPARQL_UPDATE`` explicitly, which is what a non-administrator writer would need too.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

BINARY = "virtuoso-t"
ISQL = "isql-vt"

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
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {db}
CaseMode = 2
DefaultIsolation = 2
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    http: str
    """``http://127.0.0.1:PORT`` of the HTTP server."""
    sql_port: int
    user: str = "dba"
    password: str = "dba"
    folder: Path = Path()

    @property
    def sparql(self) -> str:
        return f"{self.http}/sparql"

    @property
    def store_url(self) -> str:
        """The ``store`` setting that selects this server."""
        return "sparql+" + self.sparql


def available() -> bool:
    return shutil.which(BINARY) is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {proc.returncode}: {log.read_text()}")
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(
                url,
                params={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=2,
            )
            if answer.status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"virtuoso-t did not answer within {limit_s:g} s: {log.read_text()}")


def _isql(port: int, statement: str) -> None:
    done = subprocess.run(
        [ISQL, str(port), "dba", "dba", f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql {statement!r} failed: {done.stdout}{done.stderr}")


@contextlib.contextmanager
def running_virtuoso(folder: Path, *, ready_limit_s: float = 180.0) -> Iterator[Virtuoso]:
    """A Virtuoso server with an empty database in ``folder``, stopped on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "console.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [BINARY, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, folder=folder)
        _wait_ready(server.sparql, proc, log, ready_limit_s)
        _isql(sql_port, 'GRANT SPARQL_UPDATE TO "dba";')
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

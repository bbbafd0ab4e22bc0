"""What the command line says when something is off: one line, a hint, a non-zero status.

Every case runs the real ``diplograph`` in a subprocess and reads what a researcher would
read: no traceback without ``--debug``, results and summaries on stdout, warnings and errors
on stderr.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from server_samples import fill_store

from graphbuild.store.embedded import GraphStore

CLI = [sys.executable, "-m", "graphbuild.cli"]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The error message, checked to be a line (and its hint), never a traceback."""
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: ")
    assert all(line.startswith("  hint: ") for line in lines[1:]), lines
    return done.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    with GraphStore.open(path) as gs:
        fill_store(gs)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_a_busy_port_says_so_in_one_line(store: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = cli("serve", "--store", str(store), "--port", str(port))
    text = one_error_line(done)
    assert f"cannot listen on 127.0.0.1:{port}" in text
    assert "--port" in text
    assert done.returncode == 2


def test_serve_logs_where_the_query_ui_and_the_endpoint_are(store: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "SPARQL endpoint" in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
    log = "".join(seen)
    assert f"query UI:        http://127.0.0.1:{port}/\n" in log
    assert f"SPARQL endpoint: http://127.0.0.1:{port}/sparql" in log


def test_a_failing_federated_query_is_one_line(store: Path) -> None:
    closed = free_port()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{closed}/sparql> {{ ?s ?p ?o }} }}"
    done = cli("query", "--store", str(store), query)
    text = one_error_line(done)
    assert "the query failed while it ran" in text
    assert "SERVICE" in text
    debug = cli("--debug", "query", "--store", str(store), query)
    assert "Traceback" in debug.stderr  # --debug shows what went wrong inside


def test_a_misspelt_metadata_key_is_rejected_with_the_key_it_resembles(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Ana met Ben in Oslo on Monday.\n", encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"publshed": "2023-01-01"}), encoding="utf-8")
    done = cli("build", str(folder), "--store", str(tmp_path / "store"))
    assert done.returncode == 1
    assert "unknown metadata key 'publshed'" in done.stderr
    assert "did you mean 'published'?" in done.stderr


def test_a_misspelt_setting_gets_the_setting_it_resembles(store: Path) -> None:
    done = cli("query", "--store", str(store), "ASK {}", env={"DIPLOGRAPH_QUERY_TIMOUT_S": "3"})
    text = one_error_line(done)
    assert "unknown setting 'query_timout_s'" in text and "did you mean 'query_timeout_s'" in text


def test_a_file_that_is_not_an_article_is_named_and_nothing_built_fails(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    done = cli("build", str(notes), "--store", str(tmp_path / "store"))
    assert done.returncode == 1
    assert f"warning: {notes}: not an article" in done.stderr
    assert "error: " in done.stderr and "no articles to build" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_jsonl_line_names_one_line(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "ok", "text": "Fine."}\n{"id": \n', encoding="utf-8")
    done = cli("build", str(batch), "--store", str(tmp_path / "store"))
    assert done.returncode == 1
    rejected = [line for line in done.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 1
    assert f"{batch}:2: not valid JSON at column " in rejected[0]
    assert "line 1" not in rejected[0]


def test_the_build_summary_is_on_stdout_with_each_article(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "undated.txt").write_text(
        "Norwegian Foreign Minister Ana Eide met Chilean Foreign Minister Pablo Soto in Oslo "
        "on Monday.\n",
        encoding="utf-8",
    )
    done = cli("build", str(folder), "--store", str(tmp_path / "store"), "-j", "1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "built 1, unchanged 0, rejected 0" in out
    assert out.splitlines()[0].startswith("undated: ")
    # no date anywhere for "Monday": the build says what happened to the meeting, and why
    assert "kept without a date" in out or "dropped" in out
    assert "--reference-date" in out
    dated = cli(
        "build",
        str(folder),
        "--store",
        str(tmp_path / "store"),
        "-j",
        "1",
        "--reference-date",
        "2023-02-28",
    )
    assert dated.returncode == 0, dated.stderr
    assert "built 1, unchanged 0" in dated.stdout  # a new reference date rebuilds the article
    assert "1 held meeting" in dated.stdout


def test_a_malformed_reference_date_is_one_line(tmp_path: Path) -> None:
    done = cli("build", str(tmp_path), "--store", str(tmp_path / "s"), "--reference-date", "28/2")
    text = one_error_line(done)
    assert "YYYY-MM-DD" in text

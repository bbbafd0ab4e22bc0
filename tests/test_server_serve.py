"""``server.wsgi.serve`` as a process: waitress answers, holds the store, stops on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests
from server_samples import DG, fill_store

from graphbuild.errors import StoreError
from graphbuild.store.embedded import GraphStore, compaction_pending

SERVE = textwrap.dedent(
    """
    import sys
    from graphbuild.settings import Settings
    from server.wsgi import serve
    serve(Settings().replace(store=sys.argv[1], port=int(sys.argv[2]), threads=2))
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_answers_locks_the_store_and_stops_on_sigterm(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
        store.compact_later()  # as a bulk import leaves it
    assert compaction_pending(path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [sys.executable, "-c", SERVE, str(path), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/health", timeout=5).status_code == 200:
                        break
                except requests.RequestException:  # refused, or too slow to answer yet
                    pass
                assert proc.poll() is None, "the server exited early"
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.1)
            q = f"SELECT DISTINCT ?p WHERE {{ ?p a <{DG.Person}> }}"
            r = requests.get(f"{url}/sparql", params={"query": q}, timeout=30)
            assert len(r.json()["results"]["bindings"]) == 3
            assert r.headers["Server"] == "diplograph"
            with pytest.raises(StoreError) as info:  # a build cannot write under the server
                GraphStore.open(path)
            assert "in use" in info.value.message
            proc.send_signal(signal.SIGTERM)
            _, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0
    assert "query status=200" in stderr
    assert "compacting the store" in stderr
    assert not compaction_pending(path)  # once: the next start serves at once
    with GraphStore.open(path) as store:  # the lock is released
        assert store.article_ids() == ["first", "second"]


@pytest.mark.parametrize("token", ["", "some-token"])
def test_serve_without_a_store_says_build_first(tmp_path: Path, token: str) -> None:
    from graphbuild.settings import Settings
    from server.wsgi import serve

    with pytest.raises(StoreError) as info:
        serve(Settings().replace(store=str(tmp_path / "missing"), update_token=token))
    assert "diplograph build" in (info.value.hint or "")
    assert not (tmp_path / "missing").exists()

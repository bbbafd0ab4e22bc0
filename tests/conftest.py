"""Shared fixtures: a small hand-made store, and the app served by waitress on a real port.

``live_server`` is one server for the session (default limits); ``serve_store`` starts
another one with different settings (short timeout, small row cap, …) for a single test.
The store's graphs are written by hand (tests/server_samples.py); ``extractor`` is the one
extractor every extraction test module reads with (tests/extract_samples.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from extract_samples import make_extractor
from server_samples import LiveServer, fill_store, running_server

from graphbuild.extract import Extractor
from graphbuild.store.embedded import GraphStore

# The office-holder index merges the user's update from Wikidata (setting gazetteer_update_dir);
# tests see the shipped table alone unless they name an update themselves, whatever this
# machine's user has downloaded. Subprocesses inherit the variable.
_NO_UPDATE = tempfile.mkdtemp(prefix="diplograph-tests-no-update-")
os.environ["DIPLOGRAPH_GAZETTEER_UPDATE_DIR"] = _NO_UPDATE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_NO_UPDATE, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding :func:`sample_graphs`, built once per session."""
    path = tmp_path_factory.mktemp("live") / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    return path


@pytest.fixture(scope="session")
def live_server(sample_store_path: Path) -> Iterator[LiveServer]:
    with running_server(sample_store_path, threads=4) as live:
        yield live


@pytest.fixture
def serve_store(sample_store_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start extra servers with other settings: ``live = serve_store(max_result_rows=2)``."""
    with contextlib.ExitStack() as stack:

        def start(**overrides: Any) -> LiveServer:
            return stack.enter_context(running_server(sample_store_path, **overrides))

        yield start


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return make_extractor()

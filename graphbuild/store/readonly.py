"""Opening a store read-only, with nothing but pyoxigraph: what a query worker process imports.

Kept apart from :mod:`graphbuild.store.embedded` (which needs rdflib for writing) so that a
query worker starts in milliseconds rather than loading the writing side's libraries.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

READ_ONLY_ATTEMPTS = 5


def open_read_only(path: Path) -> ox.Store:
    """``Store.read_only``, retried while a writer's compaction removes the files it lists.

    RocksDB's read-only open reads the file list, then the files; a writer that opened the
    store a moment earlier may compact them away in between (pyoxigraph reports it as a
    ``RuntimeError: Corruption … No such file``). The next attempt reads the new list.
    """
    for attempt in range(READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as exc:
            if "No such file" not in str(exc):
                raise OSError(str(exc)) from exc
            if attempt == READ_ONLY_ATTEMPTS - 1:
                raise OSError(f"the store's files kept changing while opening it: {exc}") from exc
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")

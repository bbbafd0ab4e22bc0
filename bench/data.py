"""Benchmark data on disk: synthetic corpora and N-Quads, cached by what made them.

Files live under ``var/bench/data`` and are named by size, seed and a digest of the generator
code, gazetteer and ontology, so a changed generator never reuses stale data and an unchanged
one never regenerates (100k articles take minutes to write).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench import corpus, rdf, world
from bench.servers import tool
from graphbuild.resources import gazetteer_dir, ontology_file


def generator_digest() -> str:
    h = hashlib.sha256()
    for module in (corpus, rdf, world):
        if module.__file__:
            h.update(Path(module.__file__).read_bytes())
    for path in sorted(gazetteer_dir().glob("*.tsv")):
        h.update(path.read_bytes())
    h.update(ontology_file().read_bytes())
    return h.hexdigest()[:10]


def corpus_dir(root: Path, count: int, seed: int) -> Path:
    """A folder of ``count`` synthetic articles (written once, then reused)."""
    folder = root / f"corpus-s{seed}-n{count}-{generator_digest()}"
    stamp = folder / ".complete"
    if not stamp.exists():
        corpus.write_corpus(folder, count, seed)
        stamp.write_text(str(count), encoding="utf-8")
    return folder


def nquads_file(root: Path, count: int, seed: int) -> Path:
    """The synthetic dataset of ``count`` articles as one N-Quads file (written once)."""
    path = root / f"synthetic-s{seed}-n{count}-{generator_digest()}.nq"
    if not path.exists():
        rdf.write_nquads(path, count, seed)
    return path


@dataclass(frozen=True)
class Loaded:
    store: Path
    seconds: float
    method: str  # how the data got in, for the record


def load_diplograph(nquads: Path, store: Path, log: Path) -> Loaded:
    """Load the file into a fresh Diplograph store with ``diplograph load`` when it exists.

    Until the CLI has ``load``, the file goes in with pyoxigraph's bulk loader through
    ``GraphStore`` (same data and layout; no precomputation) and the method says so.
    """
    if store.exists():
        shutil.rmtree(store)
    exe = tool("diplograph")
    if exe is not None and _has_command(exe, "load"):
        t0 = time.perf_counter()
        with log.open("wb") as fh:
            subprocess.run(
                [exe, "load", str(nquads), "--store", str(store)],
                check=True,
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        return Loaded(store, time.perf_counter() - t0, "diplograph load")
    import pyoxigraph as ox

    from graphbuild.store.embedded import GraphStore

    t0 = time.perf_counter()
    with GraphStore.open(store) as gs:
        gs.raw.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return Loaded(store, time.perf_counter() - t0, "fallback: pyoxigraph bulk_load into GraphStore")


def derived_quads(store: Path, out: Path, source: Path | None = None) -> int:
    """Write ``source`` (the served N-Quads, if given) then the Diplograph store's derived graph
    (``graph/derived``) to ``out``; the number of derived quads."""
    import pyoxigraph as ox

    from graphbuild.store.derived import derived_graph_iri
    from graphbuild.vocabulary import DEFAULT_BASE

    raw = ox.Store.read_only(str(store))
    graph = ox.NamedNode(derived_graph_iri(DEFAULT_BASE))
    quads = list(raw.quads_for_pattern(None, None, None, graph))
    with out.open("wb") as fh:
        if source is not None:
            with source.open("rb") as src:
                shutil.copyfileobj(src, fh)
        ox.serialize(quads, fh, ox.RdfFormat.N_QUADS)
    return len(quads)


def _has_command(exe: str, name: str) -> bool:
    done = subprocess.run([exe, name, "--help"], capture_output=True, check=False)
    return done.returncode == 0

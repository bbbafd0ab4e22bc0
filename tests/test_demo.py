"""The demo corpus (`make demo`): generated articles that say in their metadata what they are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.demo import DEMO_STATES, SYNTHETIC_SOURCE, demo_world, write_demo
from graphbuild.errors import ArticleError
from graphbuild.ingest import read_articles
from server.pages import SYNTHETIC_OUTLET

ROOT = Path(__file__).resolve().parent.parent


def test_every_demo_article_is_marked_synthetic_and_reads_cleanly(tmp_path: Path) -> None:
    paths = write_demo(tmp_path, 12)
    assert len(paths) == 12
    read = list(read_articles([tmp_path]))
    assert not [r for r in read if isinstance(r, ArticleError)]
    for article in read:
        assert not isinstance(article, ArticleError)
        assert article.info.title is not None and article.info.title.startswith("[Synthetic] ")
        assert article.info.source == SYNTHETIC_SOURCE
        assert (article.info.source or "").startswith(SYNTHETIC_OUTLET)  # what pages look for
    # written again: the same bytes, so a second build finds every article unchanged
    before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    write_demo(tmp_path, 12)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_the_demo_world_is_a_dozen_real_states_with_invented_people() -> None:
    world = demo_world()
    assert {c.iso2 for c in world.countries} <= set(DEMO_STATES)
    assert len(world.countries) >= 12
    assert all(p.country in world.countries for p in world.people)
    assert len({p.name for p in world.people}) == len(world.people)


def test_make_demo_writes_builds_and_serves_the_demo() -> None:
    """The target exists and runs the three steps (a full run builds for minutes)."""
    done = subprocess.run(
        ["make", "-n", "demo", "DEMO_COUNT=5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    steps = done.stdout
    assert "-m bench.demo var/demo-articles 5" in steps
    assert "diplograph build var/demo-articles --store var/demo-store" in steps
    assert "diplograph serve --store var/demo-store" in steps
    run = subprocess.run(
        [sys.executable, "-m", "bench.demo", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0

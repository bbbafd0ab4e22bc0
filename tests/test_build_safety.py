"""One article never takes a build down, and a build leaves nothing running when it dies.

Issue 17: an article past the NLP model's length limit stopped the whole build (0 of 8 good
articles stored); build workers outlived a ``kill -9`` of the build; a full disk was reported
without the article being written.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from graphbuild.annotations import ArticleInfo
from graphbuild.errors import StoreError
from graphbuild.ingest import SourcedArticle
from graphbuild.run import local
from graphbuild.run.build import build_corpus
from graphbuild.run.pipeline import ArticleResult, Toolkit, process_batch
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore

CLI = [sys.executable, "-m", "graphbuild.cli"]
ROOT = Path(__file__).resolve().parent.parent
LINUX = Path("/proc/self/stat").exists()

PEOPLE = [
    ("Mari Kask", "Estonian", "Pablo Soto", "Chilean", "Tallinn"),
    ("Eleni Rossi", "Greek", "Conor Walsh", "Irish", "Athens"),
    ("Jonas Berg", "Norwegian", "Ana Ruiz", "Spanish", "Oslo"),
    ("Petra Novak", "Czech", "Liam Hughes", "Welsh", "Prague"),
    ("Sofia Lind", "Swedish", "Marco Bianchi", "Italian", "Stockholm"),
    ("Anna Kowal", "Polish", "Tomas Varga", "Hungarian", "Warsaw"),
    ("Ilse Maes", "Belgian", "Omar Haddad", "Jordanian", "Brussels"),
    ("Karin Vos", "Dutch", "Pedro Alves", "Portuguese", "The Hague"),
]


def good_text(i: int) -> str:
    host, host_nat, guest, guest_nat, city = PEOPLE[i % len(PEOPLE)]
    return (
        f"{host_nat} Foreign Minister {host} met {guest_nat} Foreign Minister {guest} in {city} "
        f'on Monday. "We agreed on a lot," {host.split()[-1]} said.\n'
    )


def long_text(chars: int) -> str:
    """An article of ``chars`` characters made of ordinary sentences."""
    sentence = "The delegations continued their talks on trade and energy in the capital. "
    return (sentence * (chars // len(sentence) + 1))[:chars]


def article(aid: str, text: str) -> SourcedArticle:
    return SourcedArticle(ArticleInfo(id=aid, text=text, published=dt.date(2025, 3, 12)), aid)


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def kit() -> Toolkit:
    return Toolkit.load(Settings())


# ---- finding 2: an article past the model's length limit ------------------------------------


def test_an_article_past_the_models_limit_is_rejected_by_name_and_its_batch_lands(
    kit: Toolkit,
) -> None:
    assert kit.extractor is not None
    limit = kit.extractor.nlp.max_length
    batch = [article("long", long_text(limit + 100_000))] + [
        article(f"good-{i}", good_text(i)) for i in range(3)
    ]
    results = process_batch(batch, kit)
    assert [r.article_id for r in results] == ["long", "good-0", "good-1", "good-2"]
    long, *good = results
    assert long.graph is None and long.error is not None
    assert f"{limit + 100_000:,} characters" in long.error
    assert f"{limit:,}" in long.error
    assert [(r.error, r.graph is not None) for r in good] == [(None, True)] * 3


def test_an_unexpected_failure_in_one_article_spares_the_rest_of_its_batch(
    kit: Toolkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert kit.extractor is not None
    extractor = kit.extractor
    real = extractor.extract_parsed

    def fragile(info: ArticleInfo, doc: object) -> object:
        if info.id == "odd":
            raise RuntimeError("a rule met something it did not expect")
        return real(info, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(extractor, "extract_parsed", fragile)
    batch = [article("odd", good_text(0)), article("fine", good_text(1))]
    odd, fine = process_batch(batch, kit)
    assert odd.error is not None and odd.graph is None
    assert "RuntimeError" in odd.error and "did not expect" in odd.error
    assert fine.error is None and fine.graph is not None


def test_a_worker_process_that_dies_costs_only_its_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed mid-article (out of memory, a crash in C code) breaks the process pool;
    the articles it was holding are built again, and only the one that kills again is lost."""
    real: Callable[[Sequence[SourcedArticle], Toolkit], list[ArticleResult]] = local.process_batch

    def deadly(articles: Sequence[SourcedArticle], kit: Toolkit) -> list[ArticleResult]:
        if any(a.info.id == "deadly" for a in articles):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(articles, kit)

    monkeypatch.setattr(local, "process_batch", deadly)  # forked workers inherit it
    ids = [f"a{i}" for i in range(5)] + ["deadly"] + [f"b{i}" for i in range(5)]
    texts = {aid: good_text(i) for i, aid in enumerate(ids)}
    results = list(local.run_articles([article(a, texts[a]) for a in ids], Settings(), 2))
    assert [r.article_id for r in results] == ids  # every one, in input order
    by_id = {r.article_id: r for r in results}
    assert by_id["deadly"].error is not None and "died" in by_id["deadly"].error
    assert all(by_id[a].error is None and by_id[a].triples for a in ids if a != "deadly")


def test_a_pool_found_broken_when_more_work_is_handed_out_loses_no_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker may die between two answers: the next hand-out then finds the pool broken
    (``submit`` raises, not the future). That batch is built again like those in flight."""
    calls = {"n": 0}
    real_submit = local.ProcessPoolExecutor.submit

    def breaking_submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise BrokenProcessPool("a worker died since the last answer")
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(local.ProcessPoolExecutor, "submit", breaking_submit)
    ids = [f"a{i}" for i in range(6)]
    results = list(
        local.run_articles([article(a, good_text(i)) for i, a in enumerate(ids)], Settings(), 2)
    )
    assert calls["n"] > 3  # the lost batch was handed out again
    assert [r.article_id for r in results] == ids
    assert all(r.error is None and r.triples for r in results)


def test_a_build_with_a_too_long_article_first_stores_every_good_one(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "aaa-long.txt").write_text(long_text(1_100_000), encoding="utf-8")
    for i in range(8):
        (folder / f"good-{i}.txt").write_text(good_text(i), encoding="utf-8")
    store = tmp_path / "store"
    done = cli("--quiet", "build", str(folder), "--store", str(store), "-j", "2")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(folder / "aaa-long.txt") in done.stderr
    assert "1,100,000 characters" in done.stderr
    with GraphStore.open(store, read_only=True) as gs:
        assert gs.article_ids() == [f"good-{i}" for i in range(8)]


# ---- finding 8: workers end with the build ---------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.fixture
def reaped() -> Iterator[list[int]]:
    """Pids the test started, killed at the end whatever happened (nothing is left behind)."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not LINUX, reason="reads processes from /proc")
def test_build_workers_exit_when_the_build_is_killed(tmp_path: Path, reaped: list[int]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(200):
        (folder / f"a{i:03d}.txt").write_text(good_text(i) * 20, encoding="utf-8")
    build = subprocess.Popen(
        [*CLI, "--quiet", "build", str(folder), "--store", str(tmp_path / "store"), "-j", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reaped.append(build.pid)
    workers: list[int] = []

    def loaded() -> bool:
        workers[:] = _children(build.pid)
        reaped.extend(w for w in workers if w not in reaped)
        return len(workers) >= 2 and all(_rss_kib(w) > 100_000 for w in workers)

    assert _wait_until(loaded, 180), "the build did not start two workers with the model loaded"
    build.kill()  # SIGKILL: no handler, no cleanup runs in the build process
    build.wait(timeout=30)
    assert _wait_until(lambda: not any(_running(w) for w in workers), 30), [
        w for w in workers if _running(w)
    ]


WATCHED = """
import os, sys, time
from graphbuild.run.local import exit_with_parent
exit_with_parent(os.getppid(), use_prctl={use_prctl}, watchdog={watchdog}, interval_s=0.2)
print("ready", flush=True)
time.sleep(300)
"""

PARENT = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, text=True)
assert child.stdout is not None
child.stdout.readline()
print(child.pid, flush=True)
import time; time.sleep(300)
"""


@pytest.mark.skipif(not LINUX, reason="reads processes from /proc")
@pytest.mark.parametrize("use_prctl", [True, False], ids=["prctl", "watchdog"])
def test_a_worker_exits_when_its_parent_dies(use_prctl: bool, reaped: list[int]) -> None:
    """Both ways a worker notices: the Linux parent-death signal, and the portable watchdog
    thread that notices the parent process is gone (used where prctl is not available)."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WATCHED.format(use_prctl=use_prctl, watchdog=not use_prctl)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    reaped.append(parent.pid)
    assert parent.stdout is not None
    with parent.stdout:
        child = int(parent.stdout.readline())
    reaped.append(child)
    assert _running(child)
    parent.kill()
    parent.wait(timeout=30)
    assert _wait_until(lambda: not _running(child), 30)


# ---- finding 9: a failed store write names the article ---------------------------------------


def test_a_full_disk_names_the_article_being_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, stem in enumerate(("a-first", "b-second", "c-third")):
        (folder / f"{stem}.txt").write_text(good_text(i), encoding="utf-8")
    real = GraphStore.replace_article

    def full_disk(self: GraphStore, article_id: str, *args: object, **kw: object) -> None:
        if article_id == "b-second":
            raise StoreError(
                "cannot use the store: IO error: No space left on device (os error 28)",
                where=str(self.path),
            )
        real(self, article_id, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(GraphStore, "replace_article", full_disk)
    settings = Settings().replace(store=str(tmp_path / "store"), jobs=1)
    with pytest.raises(StoreError) as raised:
        build_corpus([folder], settings, quiet=True)
    message = str(raised.value)
    assert str(folder / "b-second.txt") in message
    assert "No space left on device" in message
    assert "1 article" in message  # what was stored before it is kept
    with GraphStore.open(tmp_path / "store", read_only=True) as gs:
        assert gs.article_ids() == ["a-first"]

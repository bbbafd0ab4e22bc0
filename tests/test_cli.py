"""The command line as a researcher uses it: real processes, a real on-disk store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

CLI = [sys.executable, "-m", "graphbuild.cli"]
ROOT = Path(__file__).resolve().parent.parent

GOOD = (
    "Estonian Foreign Minister Mari Kask met Chilean Foreign Minister Pablo Soto in Tallinn "
    'on Monday. "We agreed on a lot," Kask said.\n'
)
OTHER = (
    "Greek Prime Minister Eleni Rossi received Irish President Conor Walsh in Athens on Friday.\n"
)


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def write_article(folder: Path, stem: str, text: str | bytes, meta: dict | None = None) -> None:  # type: ignore[type-arg]
    path = folder / f"{stem}.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    if meta is not None:
        (folder / f"{stem}.json").write_text(json.dumps(meta), encoding="utf-8")


def ask(store: Path, query: str) -> bool:
    done = cli("query", "--store", str(store), query)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "true"


MEETING_OF = (
    "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'ASK {{ ?m a dg:Meeting ; dg:participant ?p . ?p rdfs:label "{name}" }}'
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "good", GOOD, {"published": "2025-03-12", "title": "Kask meets Soto"})
    write_article(folder, "other", OTHER, {"published": "2025-03-12"})
    return folder


def test_rejected_articles_are_reported_and_the_good_ones_land(
    corpus: Path, tmp_path: Path
) -> None:
    write_article(corpus, "empty", "   \n")
    write_article(corpus, "binary", b"\x00\x01\x02binary\xff")
    write_article(corpus, "badmeta", OTHER, None)
    (corpus / "badmeta.json").write_text('{"published": "2025-13-45"', encoding="utf-8")
    write_article(corpus, "unknownkey", OTHER, {"publisher": "x"})
    (corpus / "notes.md").write_text("# not an article", encoding="utf-8")
    store = tmp_path / "store"
    done = cli("--quiet", "build", str(corpus), "--store", str(store))
    assert done.returncode == 1
    for name in ("empty", "binary", "badmeta", "unknownkey"):
        assert name in done.stderr
    # a file that is not an article is skipped with a warning, never rejected
    rejected = [line for line in done.stderr.splitlines() if line.startswith("rejected ")]
    assert rejected and not any("notes.md" in line for line in rejected)
    assert any(
        line.startswith("warning:") and "notes.md" in line and "not an article" in line
        for line in done.stderr.splitlines()
    )
    assert "Traceback" not in done.stderr
    assert ask(store, MEETING_OF.format(name="Mari Kask"))
    assert ask(store, MEETING_OF.format(name="Conor Walsh"))


def test_build_replaces_one_article_and_leaves_others_alone(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("--quiet", "build", str(corpus), "--store", str(store)).returncode == 0
    changed = GOOD.replace("Pablo Soto", "Ana Ruiz")
    (corpus / "good.txt").write_text(changed, encoding="utf-8")
    done = cli("build", str(corpus / "good.txt"), "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert ask(store, MEETING_OF.format(name="Ana Ruiz"))
    assert not ask(store, MEETING_OF.format(name="Pablo Soto"))
    assert ask(store, MEETING_OF.format(name="Conor Walsh"))
    again = cli("build", str(corpus), "--store", str(store))
    assert "unchanged 2" in again.stdout  # the summary is a result: stdout


def test_export_formats_parse_back(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("--quiet", "build", str(corpus), "--store", str(store)).returncode == 0
    trig = tmp_path / "all.trig"
    assert cli("export", "--store", str(store), "--format", "trig", "-o", str(trig)).returncode == 0
    ds = Dataset()
    ds.parse(trig, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert "https://w3id.org/diplograph/graph/article/good" in graphs
    assert "https://w3id.org/diplograph/graph/article/other" in graphs
    one = cli("export", "--store", str(store), "--format", "turtle", "--article", "good")
    assert one.returncode == 0
    g = Graph()
    g.parse(data=one.stdout, format="turtle")
    text = " ".join(str(o) for o in g.objects())
    assert "Mari Kask" in text and "Conor Walsh" not in text


def test_validate_and_evaluate(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("--quiet", "build", str(corpus), "--store", str(store)).returncode == 0
    done = cli("validate", "--store", str(store))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 of 2 article graph(s) conform" in done.stdout
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "good.gold.json").write_text(
        json.dumps(
            {
                "published": "2025-03-12",
                "entities": {
                    "e1": {"type": "Person", "label": "Mari Kask", "aliases": ["Kask"]},
                    "e2": {"type": "Person", "label": "Pablo Soto", "aliases": []},
                    "e3": {"type": "Country", "label": "Estonia", "aliases": []},
                    "e4": {"type": "Country", "label": "Chile", "aliases": []},
                },
                "represents": [
                    {"person": "e1", "party": "e3", "title": "Foreign Minister"},
                    {"person": "e2", "party": "e4", "title": "Foreign Minister"},
                ],
                "meetings": [{"participants": ["e1", "e2"], "date": "2025-03-10", "place": None}],
                "scheduled": [],
                "anniversaries": [],
                "quotes": [{"speaker": "e1", "contains": "We agreed on a lot"}],
            }
        ),
        encoding="utf-8",
    )
    scored = cli("evaluate", str(gold), "--store", str(store), "--json")
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["relations"]["meetings"]["tp"] == 1
    assert card["relations"]["represents"]["tp"] == 2
    assert card["relations"]["quotes"]["f1"] == 1.0
    failing = cli("evaluate", str(gold), "--store", str(store), "--min-macro-f1", "1.01")
    assert failing.returncode == 1


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = cli("query", "--store", str(tmp_path / "nothing"), "ASK {}")
    assert missing.returncode != 0
    assert "diplograph build" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "settings.toml"
    bad.write_text("query_timeout = 3\n", encoding="utf-8")
    done = cli("--settings", str(bad), "settings")
    assert done.returncode == 2
    assert "query_timeout_s" in done.stderr  # the hint names the close match


def test_version_and_help() -> None:
    version = cli("--version")
    assert version.returncode == 0 and "diplograph" in version.stdout
    helped = cli("--help")
    for command in ("build", "serve", "query", "export", "validate", "evaluate", "explain"):
        assert command in helped.stdout


def test_a_killed_build_leaves_the_old_store_answering(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("--quiet", "build", str(corpus), "--store", str(store)).returncode == 0
    big = tmp_path / "big"
    big.mkdir()
    for i in range(40):
        text = OTHER.replace("Friday", f"{1 + i % 28} February 2025")
        write_article(big, f"a{i:03d}", text)
    proc = subprocess.Popen(
        [*CLI, "--quiet", "build", str(big), "--store", str(store), "-j", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(4)  # model loaded, articles being written
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert ask(store, MEETING_OF.format(name="Mari Kask"))
    assert ask(store, MEETING_OF.format(name="Conor Walsh"))
    # every article graph that landed is complete: its meeting and its build record are there
    done = cli(
        "query",
        "--store",
        str(store),
        "--format",
        "json",
        "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
        "SELECT ?g (COUNT(?m) AS ?meetings) WHERE { GRAPH ?g { ?a a dg:Article . "
        "OPTIONAL { ?m a dg:Meeting } } } GROUP BY ?g",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert len(rows) >= 2
    assert all(int(r["meetings"]["value"]) >= 1 for r in rows)

"""A researcher's corrections: explain -> edit the Annotations JSON -> rebuild."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "graphbuild.cli"]
ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Austrian Foreign Minister Lena Hofer met Uruguayan Foreign Minister Diego Paz in Vienna "
    'on Monday.\n"Trade was the main topic," Hofer said.\n'
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_explain_shows_each_fact_with_rule_and_evidence(tmp_path: Path) -> None:
    article = tmp_path / "note.txt"
    article.write_text(TEXT, encoding="utf-8")
    (tmp_path / "note.json").write_text(json.dumps({"published": "2025-03-12"}))
    done = cli("explain", str(article))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Lena Hofer -> Austria (Foreign Minister)" in out
    assert "Meeting 2025-03-10: Lena Hofer, Diego Paz in Vienna" in out
    assert "rule event.held.meet" in out
    assert "[[" in out  # the evidence span is marked in its sentence


def test_curated_annotations_override_extraction_and_are_marked(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "note.txt"
    article.write_text(TEXT, encoding="utf-8")
    (folder / "note.json").write_text(json.dumps({"published": "2025-03-12"}))
    exported = cli("explain", "--json", str(article))
    assert exported.returncode == 0, exported.stderr
    annotations = json.loads(exported.stdout)
    # the researcher decides the meeting was on Sunday, not Monday
    for event in annotations["events"]:
        if event["kind"] == "Meeting":
            event["date"] = "2025-03-09"
    (folder / "note.annotations.json").write_text(json.dumps(annotations), encoding="utf-8")
    store = tmp_path / "store"
    built = cli("--quiet", "build", str(folder), "--store", str(store))
    assert built.returncode == 0, built.stderr
    answer = cli(
        "query",
        "--store",
        str(store),
        "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        'ASK { ?m a dg:Meeting ; dg:date "2025-03-09"^^xsd:date . '
        "?a a dg:Article ; dg:curated true . "
        'FILTER NOT EXISTS { ?x dg:date "2025-03-10"^^xsd:date } }',
    )
    assert answer.stdout.strip() == "true", answer.stderr


def test_broken_curated_file_rejects_the_article_with_its_location(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.txt").write_text(TEXT, encoding="utf-8")
    (folder / "note.annotations.json").write_text('{"article": {"id": "note"}', encoding="utf-8")
    built = cli("--quiet", "build", str(folder), "--store", str(tmp_path / "store"))
    assert built.returncode == 1
    assert "note.annotations.json" in built.stderr and "line" in built.stderr


def test_dropped_facts_are_validated_and_explained() -> None:
    """A dropped fact's evidence must match the text, and explain lists it with its reason."""
    import pydantic
    import pytest

    from graphbuild.annotations import Annotations
    from graphbuild.quality.explain import explain

    text = "Two envoys met at some point."
    base = {
        "article": {"id": "d1", "text": text},
        "extractor": "test",
        "dropped": [
            {
                "kind": "Meeting",
                "reason": "no-date",
                "detail": "nothing in the text dates it",
                "evidence": [{"start": 0, "end": 15, "exact": "Two envoys met "}],
            }
        ],
    }
    ann = Annotations.model_validate(base)
    shown = explain(ann)
    assert "Meeting: no-date (nothing in the text dates it)" in shown
    base["dropped"][0]["evidence"][0]["exact"] = "Three envoys"  # type: ignore[index]
    with pytest.raises(pydantic.ValidationError):
        Annotations.model_validate(base)

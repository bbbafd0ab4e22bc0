"""One-word persons that name no one (a platform, a sentence-initial common noun, a people)
are kept out of the entities; a one-word person who takes part in a fact never is.

Every sentence is written for these tests and every person is invented.
"""

from __future__ import annotations

import datetime as dt

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor
from graphbuild.extract.stray_persons import without_stray_persons
from graphbuild.link.gazetteer_files import load_gazetteer


def run(extractor: Extractor, text: str) -> Annotations:
    return extractor.extract(ArticleInfo(id="t", text=text, published=dt.date(2025, 3, 12)))


def persons(ann: Annotations) -> set[str]:
    return {e.label for e in ann.entities if e.type == "Person"}


def test_a_platform_is_no_person(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Foreign Minister Talvo Brennik of Estonia posted the news on Twitter on Tuesday. "
        "Twitter users shared it widely.",
    )
    assert "Twitter" not in persons(ann)
    assert "Talvo Brennik" in persons(ann)


def test_the_filter_drops_only_fact_less_one_word_persons(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Estonian Foreign Minister Talvo Brennik met Latvian Foreign Minister Aiga Rudzite "
        "in Riga on Monday.",
    )
    assert {"Talvo Brennik", "Aiga Rudzite"} <= persons(ann)
    people = [e for e in ann.entities if e.type == "Person"]
    in_fact = next(e for e in people if any(e.id in ev.participants for ev in ann.events))
    # the same person renamed to a platform's word: a participant is never dropped
    renamed = ann.model_copy(
        update={
            "entities": [
                e.model_copy(update={"label": "Twitter", "aliases": []}) if e is in_fact else e
                for e in ann.entities
            ]
        }
    )
    kept = without_stray_persons(renamed, load_gazetteer())
    assert in_fact.id in {e.id for e in kept.entities}


def test_a_common_noun_the_article_also_writes_in_lower_case_is_no_person(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik met Latvian Foreign Minister Aiga Rudzite "
        "in Riga on Monday. Process matters, Brennik said; the process would take a year."
    )
    ann = run(extractor, text)
    stray = ann.model_copy(
        update={
            "entities": [
                *ann.entities,
                ann.entities[0].model_copy(
                    update={"id": "px", "type": "Person", "label": "Process", "aliases": []}
                ),
            ]
        }
    )
    kept = without_stray_persons(stray, load_gazetteer())
    assert "Process" not in persons(kept)
    people = stray.model_copy(
        update={
            "entities": [
                *ann.entities,
                ann.entities[0].model_copy(
                    update={"id": "px", "type": "Person", "label": "Latvians", "aliases": []}
                ),
            ]
        }
    )
    assert "Latvians" not in persons(without_stray_persons(people, load_gazetteer()))
    mononym = stray.model_copy(
        update={
            "entities": [
                *ann.entities,
                ann.entities[0].model_copy(
                    update={"id": "px", "type": "Person", "label": "Brennikov", "aliases": []}
                ),
            ]
        }
    )
    assert "Brennikov" in persons(without_stray_persons(mononym, load_gazetteer()))


def test_a_hyphenated_title_is_no_person_even_in_a_fact(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Estonia's First Vice Foreign Minister, Jaan Tamm, is due to hold talks in Riga on "
        "Thursday with his Latvian counterpart, Vice-Minister for Foreign Affairs Ilze Kalna.",
    )
    assert "Vice-Minister" not in persons(ann)
    assert {"Jaan Tamm", "Ilze Kalna"} <= persons(ann)

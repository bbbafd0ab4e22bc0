"""The compiled attribute table gives every token what spaCy's attribute ruler gives it."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from graphbuild.extract import load_pipeline
from graphbuild.extract.attribute_table import (
    AttributeTable,
    UnsupportedPattern,
    compile_attribute_ruler,
)

# Words chosen to hit the ruler's exceptions (contractions, pronoun subjects, "but" as an
# adverb, spaces) besides ordinary news prose.
WORDS = [
    "I", "you", "it", "we", "they", "ai", "n't", "gon", "na", "got", "ta", "let", "'s", "but",
    "can", "not", "the", "minister", "met", "said", "will", "visit", "on", "Monday", ",", ".",
    "\"", "her", "his", "talks", "were", "held", "is", "ca", "wo", "'ll", "'re", "be", "been",
    "that", "which", "ok", "\n", "  ", "Paris", "President", "2024", "%", "$", "-", "(", ")",
]  # fmt: skip

SENTENCES = [
    "I ain't gonna let 's wait, but you can't stop it.",
    "The minister said they'd meet in the capital on Monday; it is not settled.",
    '"We are ready," she said.\n\nTalks were held behind closed doors  and ended late.',
    "But the envoy, who'd arrived on 3 March, won't comment on the 2% tariff.",
    "It's the first visit since the treaty was signed; we'll see what they do next.",
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    """The shipped pipeline (compiled table) and one with spaCy's own ruler put back."""
    compiled = load_pipeline()
    assert isinstance(compiled.get_pipe("attribute_ruler"), AttributeTable)
    import spacy

    reference = spacy.load(compiled.meta["lang"] + "_" + compiled.meta["name"])
    reference.add_pipe("diplograph_paragraph_boundaries", before="parser")
    return compiled, reference


def token_view(doc: Doc) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


def same_tokens(pipes: tuple[Language, Language], texts: Iterable[str]) -> None:
    compiled, reference = pipes
    texts = list(texts)
    for ours, theirs in zip(compiled.pipe(texts), reference.pipe(texts), strict=True):
        assert [t.tag_ for t in ours] == [t.tag_ for t in theirs]  # same tagger input
        assert token_view(ours) == token_view(theirs)


def test_reference_pipeline_has_spacy_ruler(pipelines: tuple[Language, Language]) -> None:
    assert isinstance(pipelines[1].get_pipe("attribute_ruler"), AttributeRuler)


def test_same_pos_morph_lemma_on_prose(pipelines: tuple[Language, Language]) -> None:
    same_tokens(pipelines, SENTENCES)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_same_pos_morph_lemma_on_any_word_sequence(
    pipelines: tuple[Language, Language], words: list[str]
) -> None:
    same_tokens(pipelines, [" ".join(words)])


def test_table_refuses_patterns_it_cannot_decide() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"SHAPE": "Xxxx"}]], {"POS": "PROPN"})
    with pytest.raises(UnsupportedPattern, match="SHAPE"):
        AttributeTable.from_ruler(ruler)
    assert compile_attribute_ruler(nlp) is False
    assert nlp.get_pipe("attribute_ruler") is ruler


def test_multi_token_pattern_targets_the_indexed_token() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "new"}, {"LOWER": "york"}]], {"LEMMA": "NYC"}, index=-1)
    ruler.add([[{"LOWER": {"IN": ["old", "new"]}}]], {"LEMMA": "age"})
    text = "new york and old york and new"
    by_ruler = [t.lemma_ for t in nlp(text)]
    assert compile_attribute_ruler(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    by_table = [t.lemma_ for t in nlp(text)]
    assert by_table == by_ruler == ["age", "NYC", "", "age", "", "", "age"]

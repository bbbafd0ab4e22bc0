"""Persons the parser made of a single word that is no one's name, kept out of the graph.

The statistical tagger calls a capitalised word a person now and then: a platform ("on his
Twitter account"), a sentence-initial common noun ("Process", "Greeting"), a people
("Croats"). Such an entity takes part in no fact, but as a ``dg:Person`` it would still be a
node a researcher counts and browses. Only fact-less single-word persons are dropped, so no
fact ever loses a participant.
"""

from __future__ import annotations

import re

from graphbuild.annotations import Annotations
from graphbuild.extract import lexicon
from graphbuild.extract.mentions import GazetteerLike


def _in_facts(ann: Annotations) -> set[str]:
    used = {r.holder for r in ann.roles}
    used |= {p for e in ann.events for p in (*e.participants, *e.signatories)}
    used |= {q.speaker for q in ann.quotations}
    return used


def _not_a_name(word: str, text: str, gaz: GazetteerLike) -> bool:
    if word.casefold() in lexicon.NOT_PERSON_WORDS:
        return True
    entry = gaz.lookup(word)
    if entry is not None and entry.type != "Person":
        return True  # a state, organisation or place the gazetteer knows
    if gaz.demonym(word) is not None or (word.endswith("s") and gaz.demonym(word[:-1])):
        return True  # a people: "Croats", "Kenyans"
    # a common noun capitalised at a sentence's start: the article also writes it in lower case
    return word[:1].isupper() and re.search(rf"\b{re.escape(word.lower())}\b", text) is not None


def without_stray_persons(ann: Annotations, gaz: GazetteerLike) -> Annotations:
    """``ann`` without fact-less one-word persons whose word is no one's name."""
    used = _in_facts(ann)
    stray = {
        e.id
        for e in ann.entities
        if e.type == "Person"
        and e.id not in used
        and len(e.label.split()) == 1
        and not any(" " in a for a in e.aliases)
        and _not_a_name(e.label, ann.article.text, gaz)
    }
    if not stray:
        return ann
    return ann.model_copy(update={"entities": [e for e in ann.entities if e.id not in stray]})

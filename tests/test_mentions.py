"""Every mention of a person, state, organisation or place is recorded, and no name inside a
longer proper name is taken for the state or place it contains. Sentences of our own."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import RDF, Literal, URIRef

from graphbuild.annotations import Annotations, ArticleInfo, Entity
from graphbuild.extract import Extractor, load_pipeline
from graphbuild.link.gazetteer import Gazetteer
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.offline import link
from graphbuild.link.people import People
from graphbuild.rdf.mapping import entity_iri, evidence_iri, to_rdf
from graphbuild.vocabulary import DEFAULT_BASE, DG


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def extractor(gaz: Gazetteer) -> Extractor:
    return Extractor(load_pipeline(), gaz)


@pytest.fixture(scope="module")
def people(gaz: Gazetteer) -> People:
    return People.build(gaz)


def run(extractor: Extractor, text: str) -> Annotations:
    return extractor.extract(ArticleInfo(id="m1", text=text, published=dt.date(2024, 3, 5)))


def named(ann: Annotations, etype: str) -> dict[str, Entity]:
    return {e.label: e for e in ann.entities if e.type == etype}


def spans(entity: Entity) -> list[str]:
    return [m.exact for m in entity.mentions]


# ---- every mention -----------------------------------------------------------------------------


def test_names_short_forms_demonyms_metonyms_and_repeats_are_all_mentions(
    extractor: Extractor,
) -> None:
    text = (
        "Israeli troops entered the town. The United States said it was worried, and "
        "America's envoy flew in. Officials in the UK agreed. Israel denied it; the "
        "Kremlin said Moscow would wait. Moscow is cold."
    )
    countries = named(run(extractor, text), "Country")
    assert spans(countries["Israel"]) == ["Israeli", "Israel"]
    assert spans(countries["United States"]) == ["United States", "America"]
    assert spans(countries["United Kingdom"]) == ["UK"]
    assert "Kremlin" in spans(countries["Russia"])
    moscow = named(run(extractor, text), "Place")["Moscow"]
    assert spans(moscow) == ["Moscow", "Moscow"]
    assert moscow.qid is not None  # a capital with a sourced QID, linked though no venue


def test_every_mention_is_evidence_of_its_entity_in_the_graph(
    extractor: Extractor, gaz: Gazetteer, people: People
) -> None:
    text = (
        "Azerbaijani Foreign Minister Jeyhun Bayramov met Armenian officials. "
        "Bayramov said Baku was ready."
    )
    ann = link(run(extractor, text), gaz, people)
    graph = to_rdf(ann)
    for entity in ann.entities:
        node = entity_iri(DEFAULT_BASE, entity.type, entity.label, entity.qid, entity.slug)
        assert (URIRef(f"{DEFAULT_BASE}resource/article/m1"), DG.mentions, node) in graph
        for mention in entity.mentions:
            ev = evidence_iri(DEFAULT_BASE, "m1", mention.start, mention.end)
            assert (node, DG.evidence, ev) in graph
            assert (ev, RDF.type, DG.Evidence) in graph
            assert (ev, DG.exact, Literal(text[mention.start : mention.end])) in graph
    bayramov = next(e for e in ann.entities if e.type == "Person")
    assert spans(bayramov) == ["Jeyhun Bayramov", "Bayramov"]
    assert bayramov.qid is not None


# ---- no substring links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "not_linked"),
    [
        ("Marin Ireland starred in the new film, which opened on Friday.", "Ireland"),
        ("Oil from the rig spilled into the Gulf of Mexico last year.", "Mexico"),
        ("Georgia House Minority Leader Carolyn Hugley said the bill would fail.", "Georgia"),
        ("New Mexico Governor Michelle Lujan Grisham visited the site.", "Mexico"),
        ("The Bank of England raised rates again.", "United Kingdom"),
        ("China Daily reported the decision on Monday.", "China"),
        ("The Kenya Airways crew landed safely.", "Kenya"),
        ("Samoa beat Tonga 24-10 in the rugby match on Saturday.", "Samoa"),
        ("Samoa beat Tonga 24-10 in the rugby match on Saturday.", "Tonga"),
        ("Paris Hilton posed for photographers.", "Paris"),
    ],
)
def test_a_name_inside_a_longer_proper_name_is_not_that_entity(
    extractor: Extractor, text: str, not_linked: str
) -> None:
    ann = run(extractor, text)
    assert not_linked not in {e.label for e in ann.entities if e.type in ("Country", "Place")}


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Ireland and Mexico signed an agreement in Dublin.", "Mexico"),
        ("The President of Mexico met reporters.", "Mexico"),
        ("The Embassy of Japan issued a statement.", "Japan"),
        ("President Ilham Aliyev of Azerbaijan spoke.", "Azerbaijan"),
        ("US China talks resumed on Monday.", "China"),
        ("Russian Foreign Minister Sergey Lavrov arrived.", "Russia"),
        ("The Georgian president met Mexican officials in Mexico City.", "Georgia"),
        ("Samoa hosted the Pacific leaders on Saturday.", "Samoa"),
    ],
)
def test_the_state_itself_is_still_found(extractor: Extractor, text: str, linked: str) -> None:
    ann = run(extractor, text)
    assert linked in {e.label for e in ann.entities if e.type == "Country"}


@pytest.mark.parametrize(
    ("text", "not_a_person"),
    [
        ("Adidas signed a new kit deal with Manchester United on Monday.", "Manchester United"),
        ("Grimsby won 2-1 against Port Vale on Saturday.", "Grimsby"),
    ],
)
def test_clubs_and_towns_are_not_persons(
    extractor: Extractor, gaz: Gazetteer, people: People, text: str, not_a_person: str
) -> None:
    ann = link(run(extractor, text), gaz, people)
    assert not_a_person not in named(ann, "Person")


def test_a_person_named_like_a_country_is_never_linked_as_it(
    extractor: Extractor, gaz: Gazetteer, people: People
) -> None:
    ann = link(run(extractor, "Jordan Henderson scored as the crowd cheered."), gaz, people)
    assert "Jordan" not in {e.label for e in ann.entities if e.type != "Person"}
    assert {e.qid for e in ann.entities if e.type == "Person"} == {None}

"""Linking people with the office-holder table: the article's evidence decides, or nothing does.

Texts are sentences of our own; expected QIDs are read from the shipped table with a plain
reader of its own (``qid_of``), never written here.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, SKOS, Literal, URIRef

from graphbuild.annotations import Annotations, ArticleInfo, Entity, Evidence, Role
from graphbuild.link.gazetteer import Gazetteer
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.offline import link
from graphbuild.link.people import UNLINKED_SUFFIX, People, offices_of_title
from graphbuild.rdf.mapping import to_rdf, wikidata_iri
from graphbuild.resources import gazetteer_dir
from graphbuild.vocabulary import DEFAULT_BASE

TABLE = gazetteer_dir() / "office-holders.tsv"
PERSON = f"{DEFAULT_BASE}resource/person/"


@cache
def rows(path: Path = TABLE) -> tuple[dict[str, str], ...]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    header = lines[0].split("\t")
    return tuple(dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line)


def qid_of(label: str, **columns: str) -> str:
    found = {
        r["qid"]
        for r in rows()
        if r["label"] == label and all(r[c] == v for c, v in columns.items())
    }
    assert len(found) == 1, (label, columns, found)
    return found.pop()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def people(gaz: Gazetteer) -> People:
    return People.build(gaz)


def article(
    text: str,
    entities: list[Entity],
    roles: list[Role] | None = None,
    on: dt.date | None = dt.date(2023, 2, 27),
    article_id: str = "a1",
) -> Annotations:
    return Annotations(
        article=ArticleInfo(id=article_id, text=text, published=on),
        extractor="test",
        reference_date=on,
        entities=entities,
        roles=roles or [],
    )


def person(text: str, name: str, eid: str = "p1", aliases: list[str] | None = None) -> Entity:
    spans = []
    start = text.find(name)
    while start >= 0:
        spans.append(Evidence(start=start, end=start + len(name), exact=name))
        start = text.find(name, start + 1)
    return Entity(id=eid, type="Person", label=name, aliases=aliases or [], mentions=spans)


def country(label: str, eid: str = "c1") -> Entity:
    return Entity(id=eid, type="Country", label=label)


def role(title: str, holder: str = "p1", party: str = "c1") -> Role:
    return Role(holder=holder, party=party, title=title)


def only_person(ann: Annotations) -> Entity:
    (found,) = [e for e in ann.entities if e.type == "Person"]
    return found


# ---- deciding ------------------------------------------------------------------------------------


def test_a_transliteration_with_state_and_title_is_linked_to_the_canonical_label(
    gaz: Gazetteer, people: People
) -> None:
    text = "Russian Foreign Minister Sergei Lavrov arrived in the capital."
    ann = article(
        text, [person(text, "Sergei Lavrov"), country("Russia")], [role("Foreign Minister")]
    )
    linked = only_person(link(ann, gaz, people))
    assert linked.qid == qid_of("Sergey Lavrov", iso2="RU")
    assert linked.label == "Sergey Lavrov"
    assert "Sergei Lavrov" in linked.aliases
    assert linked.slug == "sergey-lavrov"
    assert linked.link_source is not None and linked.link_source.startswith("office-holders.tsv")


def test_namesakes_stay_unlinked_unless_the_state_decides(gaz: Gazetteer, people: People) -> None:
    text = "Abdoulaye Diop spoke to reporters after the talks."
    on = dt.date(2022, 1, 10)  # both namesakes in office then
    alone = article(text, [person(text, "Abdoulaye Diop")], on=on)
    assert only_person(link(alone, gaz, people)).qid is None
    text = "Malian Foreign Minister Abdoulaye Diop spoke to reporters after the talks."
    mali = article(
        text, [person(text, "Abdoulaye Diop"), country("Mali")], [role("Foreign Minister")], on=on
    )
    assert only_person(link(mali, gaz, people)).qid == qid_of("Abdoulaye Diop", iso2="ML")


def test_a_state_the_person_never_served_leaves_the_person_unlinked(
    gaz: Gazetteer, people: People
) -> None:
    text = "French envoy Jeyhun Bayramov arrived on Monday."
    ann = article(text, [person(text, "Jeyhun Bayramov"), country("France")], [role("envoy")])
    assert only_person(link(ann, gaz, people)).qid is None


def test_a_term_that_ended_before_the_date_does_not_decide_by_itself(
    gaz: Gazetteer, people: People
) -> None:
    terms = [r for r in rows() if r["label"] == "David Cameron"]
    assert terms and all("" < r["end"] < "2030" for r in terms)  # every term over by then
    later = dt.date(2030, 1, 1)
    text = "David Cameron, who once led Britain, opened a bakery."
    alone = article(text, [person(text, "David Cameron"), country("United Kingdom")], on=later)
    assert only_person(link(alone, gaz, people)).qid is None
    text = "Former British Prime Minister David Cameron opened a bakery."
    stated = article(
        text,
        [person(text, "David Cameron"), country("United Kingdom")],
        [role("Prime Minister")],
        on=later,
    )
    assert only_person(link(stated, gaz, people)).qid == qid_of(
        "David Cameron", office="head of government"
    )


def test_an_official_of_a_body_the_table_lacks_is_linked_by_the_whole_name_alone(
    gaz: Gazetteer, people: People
) -> None:
    """International posts go to former national office holders the table knows by name."""
    later = dt.date(2030, 1, 1)  # after every term of his the table lists
    body = Entity(id="o1", type="Organization", label="Council of Moons")
    text = "Council of Moons envoy David Cameron opened the session."
    official = article(
        text, [person(text, "David Cameron"), body], [role("envoy", party="o1")], on=later
    )
    assert only_person(link(official, gaz, people)).qid == qid_of(
        "David Cameron", office="head of government"
    )
    text = "Council of Moons envoy David Cameronov opened the session."
    unknown = article(
        text, [person(text, "David Cameronov"), body], [role("envoy", party="o1")], on=later
    )
    assert only_person(link(unknown, gaz, people)).qid is None
    text = "David Cameron of the Council of Moons opened the session."
    untitled = article(text, [person(text, "David Cameron"), body], on=later)
    assert only_person(link(untitled, gaz, people)).qid is None


def test_a_past_office_the_article_names_links_a_former_holder(
    gaz: Gazetteer, people: People
) -> None:
    """Extraction keeps "former" offices out of the roles; they still say who the person is."""
    later = dt.date(2030, 1, 1)  # after every term of his the table lists
    expected = qid_of("David Cameron", office="head of government")
    for lead in ("Former British Prime Minister", "The late prime minister", "Ex-Premier"):
        text = f"{lead} David Cameron was remembered in the United Kingdom."
        ann = article(text, [person(text, "David Cameron"), country("United Kingdom")], on=later)
        assert only_person(link(ann, gaz, people)).qid == expected, lead
    text = "Former footballer David Cameron was remembered in the United Kingdom."
    ann = article(text, [person(text, "David Cameron"), country("United Kingdom")], on=later)
    assert only_person(link(ann, gaz, people)).qid is None
    text = "Former Prime Minister David Cameron was remembered in Azerbaijan."
    ann = article(text, [person(text, "David Cameron"), country("Azerbaijan")], on=later)
    assert only_person(link(ann, gaz, people)).qid is None


def test_the_date_alone_links_only_when_the_article_names_the_state(
    gaz: Gazetteer, people: People
) -> None:
    text = "Jeyhun Bayramov scored twice in the second half."
    unrelated = article(text, [person(text, "Jeyhun Bayramov")])
    assert only_person(link(unrelated, gaz, people)).qid is None
    text = "Jeyhun Bayramov said Azerbaijan wanted peace."
    named = article(text, [person(text, "Jeyhun Bayramov"), country("Azerbaijan")])
    assert only_person(link(named, gaz, people)).qid == qid_of("Jeyhun Bayramov")


def test_a_surname_alone_needs_the_state_and_a_term_on_the_date(
    gaz: Gazetteer, people: People
) -> None:
    text = "Bayramov said Azerbaijan wanted peace."
    named = article(text, [person(text, "Bayramov"), country("Azerbaijan")])
    assert only_person(link(named, gaz, people)).qid == qid_of("Jeyhun Bayramov")
    text = "Bayramov scored twice in the second half."
    assert only_person(link(article(text, [person(text, "Bayramov")]), gaz, people)).qid is None


def test_a_shorter_name_inside_the_label_does_not_decide(gaz: Gazetteer, people: People) -> None:
    """Extraction may fold a father's name into his son's; the fullest name must decide."""
    father = "Jeyhun Bayramov"
    son = f"Elchin bin {father}"
    text = f"{son} met officials; {father} was not there. Azerbaijan hosted."
    entity = person(text, son, aliases=[father])
    ann = article(text, [entity, country("Azerbaijan")])
    assert only_person(link(ann, gaz, people)).qid is None


def test_two_spellings_in_one_article_become_one_linked_person(
    gaz: Gazetteer, people: People
) -> None:
    text = "Sergei Lavrov of Russia spoke. Later Sergey Lavrov left."
    ann = article(
        text,
        [person(text, "Sergei Lavrov"), person(text, "Sergey Lavrov", "p2"), country("Russia")],
        [role("Foreign Minister"), role("Foreign Minister", holder="p2")],
    )
    (merged,) = [e for e in link(ann, gaz, people).entities if e.type == "Person"]
    assert merged.qid == qid_of("Sergey Lavrov", iso2="RU")
    assert [m.exact for m in merged.mentions] == ["Sergei Lavrov", "Sergey Lavrov"]


def test_titles_name_office_categories() -> None:
    assert offices_of_title("Foreign Minister") == ("foreign minister",)
    assert offices_of_title("Minister of Foreign Affairs") == ("foreign minister",)
    assert offices_of_title("Prime Minister") == ("head of government",)
    assert offices_of_title("President") == ("head of state", "head of government")
    assert offices_of_title("Minister of Finance") == ("other minister",)
    assert offices_of_title("Secretary-General") == ("international organisation head",)
    assert offices_of_title("spokesperson") == ()


# ---- IRIs --------------------------------------------------------------------------------------


def test_every_spelling_gives_one_node_with_the_canonical_label(
    gaz: Gazetteer, people: People
) -> None:
    graphs = []
    for i, spelling in enumerate(("Sergei Lavrov", "Sergey Lavrov", "Serguei Lavrov")):
        text = f"Russian Foreign Minister {spelling} spoke."
        ann = article(
            text,
            [person(text, spelling), country("Russia")],
            [role("Foreign Minister")],
            article_id=f"a{i}",
        )
        graphs.append(to_rdf(link(ann, gaz, people)))
    node = URIRef(PERSON + "sergey-lavrov")
    qid = qid_of("Sergey Lavrov", iso2="RU")
    for g in graphs:
        assert (node, OWL.sameAs, wikidata_iri(qid)) in g
        assert set(g.objects(node, RDFS.label)) == {Literal("Sergey Lavrov")}
    assert Literal("Sergei Lavrov") in set(graphs[0].objects(node, SKOS.altLabel))


def test_linked_namesakes_get_their_qid_in_the_iri(gaz: Gazetteer, people: People) -> None:
    mali = qid_of("Abdoulaye Diop", iso2="ML")
    assert people.keys.key("Abdoulaye Diop", mali) == f"abdoulaye-diop-{mali.lower()}"
    lavrov = qid_of("Sergey Lavrov", iso2="RU")
    assert people.keys.key("Sergey Lavrov", lavrov) == "sergey-lavrov"


def test_an_unlinked_person_never_shares_a_linked_persons_node(
    gaz: Gazetteer, people: People
) -> None:
    text = "Jeyhun Bayramov scored twice in the second half."
    unlinked = only_person(link(article(text, [person(text, "Jeyhun Bayramov")]), gaz, people))
    assert unlinked.qid is None
    assert unlinked.slug == f"jeyhun-bayramov-{UNLINKED_SUFFIX}"
    text = "Ana Nobody scored twice."
    nobody = only_person(link(article(text, [person(text, "Ana Nobody")]), gaz, people))
    assert nobody.slug == "ana-nobody"


def test_curated_people_keep_their_label_and_get_the_canonical_node(
    gaz: Gazetteer, people: People
) -> None:
    text = "Foreign Minister S. Lavrov spoke."
    qid = qid_of("Sergey Lavrov", iso2="RU")
    entity = person(text, "S. Lavrov").model_copy(update={"qid": qid, "link_source": "curator"})
    ann = article(text, [entity]).model_copy(update={"curated": True})
    linked = only_person(link(ann, gaz, people))
    assert (linked.label, linked.qid, linked.link_source) == ("S. Lavrov", qid, "curator")
    assert linked.slug == "sergey-lavrov"


def test_an_unlinked_persons_transliterations_are_one_node(people: People) -> None:
    assert people.keys.key("Andrei Nobody", None) == people.keys.key("Andrey Nobody", None)
    assert people.keys.key("Andrei Nobody", None) != people.keys.key("Andrea Nobody", None)


def test_a_second_surname_the_table_leaves_out_needs_the_state(
    gaz: Gazetteer, people: People
) -> None:
    full = "Jeyhun Bayramov Aliyevich"  # a third name the table does not have
    text = f"Azerbaijani Foreign Minister {full} spoke."
    stated = article(text, [person(text, full), country("Azerbaijan")], [role("Foreign Minister")])
    assert only_person(link(stated, gaz, people)).qid == qid_of("Jeyhun Bayramov")
    text = f"{full} spoke about Azerbaijan."
    alone = article(text, [person(text, full), country("Azerbaijan")])
    assert only_person(link(alone, gaz, people)).qid is None


def test_a_monarch_known_by_one_name_is_not_the_head_of_government_of_that_surname(
    gaz: Gazetteer, people: People
) -> None:
    # the table holds a Malaysian head of government surnamed Ibrahim; a king called Ibrahim
    # shares the word, not the office
    pm = qid_of("Anwar Ibrahim", office="head of government")
    on = dt.date(2025, 2, 12)
    text = "Malaysian King Ibrahim received the delegation."
    king = article(text, [person(text, "Ibrahim"), country("Malaysia")], [role("King")], on=on)
    assert only_person(link(king, gaz, people)).qid is None
    text = "Malaysian Prime Minister Ibrahim received the delegation."
    head = article(
        text, [person(text, "Ibrahim"), country("Malaysia")], [role("Prime Minister")], on=on
    )
    assert only_person(link(head, gaz, people)).qid == pm


def test_a_monarch_named_by_one_name_is_the_regnal_name_not_a_prince_after_his_father(
    gaz: Gazetteer, people: People
) -> None:
    # the table names the king by his regnal name and also has a head-of-state row for a
    # prince whose name ends in the king's ("bin Salman")
    text = "Saudi King Salman received the envoy."
    on = dt.date(2024, 6, 3)
    ann = article(text, [person(text, "Salman"), country("Saudi Arabia")], [role("King")], on=on)
    linked = only_person(link(ann, gaz, people))
    assert linked.qid == qid_of("Salman of Saudi Arabia", office="head of state")
    assert linked.link_source is not None and "regnal name" in linked.link_source


def test_a_one_word_name_borne_with_sheikh_is_linked_by_the_whole_form(
    gaz: Gazetteer, people: People
) -> None:
    text = "Bangladeshi Prime Minister Sheikh Hasina received the envoy."
    on = dt.date(2020, 8, 18)
    hasina = person(text, "Hasina", aliases=["Sheikh Hasina"])
    ann = article(text, [hasina, country("Bangladesh")], [role("Prime Minister")], on=on)
    linked = only_person(link(ann, gaz, people))
    assert linked.qid == qid_of("Sheikh Hasina", iso2="BD")
    alone = article(
        text, [person(text, "Hasina"), country("Bangladesh")], [role("Prime Minister")], on=on
    )
    assert only_person(link(alone, gaz, people)).qid is None  # one written word: no name


def test_the_article_s_own_spelling_stays_an_alias_when_the_gazetteer_renames(
    gaz: Gazetteer, people: People
) -> None:
    text = "Iranian Foreign Minister Hossein Amir Abdollahian arrived in the capital."
    on = dt.date(2023, 4, 13)
    ann = article(
        text,
        [person(text, "Hossein Amir Abdollahian"), country("Iran")],
        [role("Foreign Minister")],
        on=on,
    )
    linked = only_person(link(ann, gaz, people))
    assert linked.qid is not None
    assert linked.label != "Hossein Amir Abdollahian"
    assert "Hossein Amir Abdollahian" in linked.aliases

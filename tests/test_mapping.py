"""The mapper, from hand-built Annotations (no NLP): IRIs, triples, evidence, provenance."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mapping_samples import TEXT, sample_annotations, span
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graphbuild.annotations import (
    Annotations,
    ArticleInfo,
    Entity,
    Event,
    Evidence,
    Provenance,
    Role,
)
from graphbuild.rdf.mapping import (
    entity_iri,
    map_annotations,
    meeting_iri,
    slug,
    stable_hash,
    to_rdf,
)
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.validate import load_ontology
from graphbuild.vocabulary import DEFAULT_BASE, DG, ONTOLOGY_GRAPH, PROV, SCHEMA, SEM, graph_iri

BASE = DEFAULT_BASE
ANA = URIRef(f"{BASE}resource/person/ana-example")
BEN = URIRef(f"{BASE}resource/person/ben-sample")
CARLA = URIRef(f"{BASE}resource/person/carla-demo")


def roundtrip(graph: Graph) -> Graph:
    """Serialise and parse back, so assertions see what a store would see."""
    return Graph().parse(data=graph.serialize(format="turtle"), format="turtle")


def one(graph: Graph, cls: URIRef) -> URIRef:
    nodes = [n for n in graph.subjects(RDF.type, cls) if isinstance(n, URIRef)]
    assert len(nodes) == 1, f"expected one {cls}, got {nodes}"
    return nodes[0]


def held_meeting(graph: Graph) -> URIRef:
    meetings = set(graph.subjects(RDF.type, DG.Meeting)) - set(
        graph.subjects(RDF.type, DG.ScheduledMeeting)
    )
    assert len(meetings) == 1
    node = meetings.pop()
    assert isinstance(node, URIRef)
    return node


def minimal(events: list[Event], entities: list[Entity] | None = None) -> Annotations:
    text = "Ana Example met Ben Sample. Carla Demo was there."
    return Annotations(
        article=ArticleInfo(id="mini", text=text),
        extractor="test.v0",
        entities=entities
        or [
            Entity(id="a", type="Person", label="Ana Example"),
            Entity(id="b", type="Person", label="Ben Sample"),
            Entity(id="c", type="Person", label="Carla Demo"),
            Entity(id="n", type="Country", label="Norway", qid="Q20"),
            Entity(id="o", type="Place", label="Oslo"),
        ],
        events=events,
    )


# ---- IRIs -------------------------------------------------------------------------------


def test_graph_and_ontology_iris_follow_the_architecture() -> None:
    assert graph_iri(BASE, "dev-01") == URIRef("https://w3id.org/diplograph/graph/article/dev-01")
    assert URIRef("https://w3id.org/diplograph/graph/ontology") == ONTOLOGY_GRAPH
    assert graph_iri("http://example.org/kg", "a") == URIRef(
        "http://example.org/kg/graph/article/a"
    )


def test_entity_iri_uses_qid_when_linked_and_slug_otherwise() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    norway = URIRef(f"{BASE}resource/country/Q20")
    assert (norway, RDF.type, DG.Country) in g
    assert (norway, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q20")) in g
    assert (ANA, RDF.type, DG.Person) in g
    assert g.value(ANA, OWL.sameAs) is None


def test_same_input_gives_the_same_graph_and_iris() -> None:
    first, second = to_rdf(sample_annotations()), to_rdf(sample_annotations())
    assert isomorphic(first, second)
    # no blank nodes anywhere, so the triples are identical, not just isomorphic
    assert not any(isinstance(term, BNode) for triple in first for term in triple)
    assert set(first) == set(second)


def test_iris_do_not_depend_on_the_python_hash_seed() -> None:
    """Python's hash() is salted per process; minted IRIs must not be."""
    code = (
        "import sys; sys.path.insert(0, 'tests');"
        "from mapping_samples import sample_annotations;"
        "from graphbuild.rdf.mapping import to_rdf;"
        "print('\\n'.join(sorted({str(s) for s in to_rdf(sample_annotations()).subjects()})))"
    )
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert "resource/meeting/2024-03-04-" in outputs[0]


def test_minted_iris_are_pinned() -> None:
    """Changing the hash or its input silently would split every node shared across a store."""
    assert stable_hash("Meeting", "2024-03-04") == "ac7f7cd3342d"
    assert stable_hash("ab", "c") != stable_hash("a", "bc")
    assert meeting_iri(BASE, "Meeting", dt.date(2024, 3, 4), [BEN, ANA]) == URIRef(
        f"{BASE}resource/meeting/2024-03-04-9c8479f0f98f"
    )


def test_same_meeting_in_two_articles_is_one_node_with_evidence_from_both() -> None:
    first = to_rdf(sample_annotations("article-a"))
    second = to_rdf(sample_annotations("article-b", text="By our correspondent.\n\n" + TEXT))
    m1, m2 = held_meeting(first), held_meeting(second)
    assert m1 == m2
    union = roundtrip(first + second)
    sources = {union.value(ev, DG.source) for ev in union.objects(m1, DG.evidence)}
    assert sources == {
        URIRef(f"{BASE}resource/article/article-a"),
        URIRef(f"{BASE}resource/article/article-b"),
    }
    assert len(set(union.objects(m1, DG.date))) == 1


def test_different_dates_give_different_meeting_iris() -> None:
    a = held_meeting(to_rdf(sample_annotations(meeting_date=dt.date(2024, 3, 4))))
    b = held_meeting(to_rdf(sample_annotations(meeting_date=dt.date(2024, 3, 5))))
    assert a != b
    assert "2024-03-04" in a and "2024-03-05" in b


def test_held_and_scheduled_meetings_of_the_same_people_differ() -> None:
    day = dt.date(2024, 5, 1)
    people = [ANA, BEN]
    assert meeting_iri(BASE, "Meeting", day, people) != meeting_iri(
        BASE, "ScheduledMeeting", day, people
    )
    assert meeting_iri(BASE, "Meeting", day, people) == meeting_iri(
        BASE, "Meeting", day, list(reversed(people))
    )


def test_custom_base_is_used_for_every_minted_iri() -> None:
    base = "http://kg.example.org/dg"
    g = to_rdf(sample_annotations(), base)
    assert g.identifier == URIRef("http://kg.example.org/dg/graph/article/sample-1")
    minted = {s for s in g.subjects() if isinstance(s, URIRef)}
    assert minted and all(s.startswith("http://kg.example.org/dg/resource/") for s in minted)


# ---- triples ----------------------------------------------------------------------------


def test_article_node_carries_text_metadata_and_extractor() -> None:
    g = roundtrip(to_rdf(sample_annotations(curated=True)))
    art = one(g, DG.Article)
    assert str(g.value(art, SCHEMA.text)) == TEXT
    published = g.value(art, SCHEMA.datePublished)
    assert isinstance(published, Literal) and published.datatype == XSD.date
    assert published.toPython() == dt.date(2024, 3, 5)
    assert str(g.value(art, DG.extractor)) == "test.extractor.v0"
    curated = g.value(art, DG.curated)
    assert isinstance(curated, Literal) and curated.toPython() is True
    mentioned = set(g.objects(art, DG.mentions))
    assert {ANA, BEN, CARLA, URIRef(f"{BASE}resource/agreement/lisbon-accord")} <= mentioned
    assert len(mentioned) == 9


def test_labels_are_plain_strings_so_equality_filters_match() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    label = g.value(ANA, RDFS.label)
    assert isinstance(label, Literal) and label.language is None
    rows = list(
        g.query(
            'SELECT ?p WHERE { ?p rdfs:label ?l FILTER(?l = "Ana Example") }', initNs={"rdfs": RDFS}
        )
    )
    assert [r[0] for r in rows] == [ANA]  # type: ignore[index]
    assert (ANA, SKOS.altLabel, Literal("Example")) in g


def test_role_gives_role_node_and_represents_shortcut() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    norway = URIRef(f"{BASE}resource/country/Q20")
    assert (ANA, DG.represents, norway) in g
    roles = list(g.subjects(DG.roleHolder, ANA))
    assert len(roles) == 1
    role = roles[0]
    assert (role, RDF.type, DG.Role) in g
    assert g.value(role, DG.roleParty) == norway
    assert str(g.value(role, DG.roleTitle)) == "Foreign Minister"


def test_every_pair_of_a_three_person_meeting_met() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    people = [ANA, BEN, CARLA]
    pairs = {(s, o) for s, o in g.subject_objects(DG.metWith)}
    assert pairs == {(a, b) for a in people for b in people if a != b}
    meeting = held_meeting(g)
    assert set(g.objects(meeting, DG.participant)) == set(people)
    assert g.value(meeting, DG.location) == URIRef(f"{BASE}resource/place/Q597")
    date = g.value(meeting, DG.date)
    assert isinstance(date, Literal) and date.datatype == XSD.date


def test_scheduled_meeting_gives_no_met_with() -> None:
    ann = minimal(
        [
            Event(
                id="s",
                kind="ScheduledMeeting",
                date=dt.date(2024, 6, 1),
                participants=["a", "b", "c"],
            )
        ]
    )
    g = roundtrip(to_rdf(ann))
    assert not list(g.subject_objects(DG.metWith))
    node = one(g, DG.ScheduledMeeting)
    # an announcement is not a meeting that took place, not even after reasoning
    assert not list(g.subjects(RDF.type, DG.Meeting))
    closed = materialise(g, load_ontology())
    assert (node, RDF.type, DG.Event) in closed
    assert not list(closed.subjects(RDF.type, DG.Meeting))
    assert {s for s in g.subjects(DG.scheduledMeeting, node)} == {ANA, BEN, CARLA}


def test_signing_and_anniversary() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    signing = one(g, DG.Signing)
    assert g.value(signing, DG.agreement) == URIRef(f"{BASE}resource/agreement/lisbon-accord")
    assert set(g.objects(signing, DG.signatory)) == {
        URIRef(f"{BASE}resource/country/Q20"),
        URIRef(f"{BASE}resource/country/Q45"),
    }
    meeting = held_meeting(g)
    assert g.value(meeting, DG.anniversaryOf) == signing
    number = g.value(meeting, DG.anniversaryNumber)
    assert isinstance(number, Literal) and number.datatype == XSD.integer
    assert number.toPython() == 1


def test_quotation_with_speaker_text_and_context() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    quote = one(g, DG.Quotation)
    assert g.value(quote, DG.speaker) == ANA
    assert str(g.value(quote, SCHEMA.text)).startswith("We are on a long road")
    assert g.value(quote, DG.context) == held_meeting(g)


def test_evidence_offsets_round_trip_to_the_article_text() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    text = str(g.value(one(g, DG.Article), SCHEMA.text))
    evidence = list(g.subjects(RDF.type, DG.Evidence))
    assert len(evidence) >= 6
    for ev in evidence:
        start, end = g.value(ev, DG.start), g.value(ev, DG.end)
        assert isinstance(start, Literal) and start.datatype == XSD.integer
        assert isinstance(end, Literal) and end.datatype == XSD.integer
        assert text[start.toPython() : end.toPython()] == str(g.value(ev, DG.exact))


def test_every_fact_node_has_evidence_and_provenance() -> None:
    g = roundtrip(to_rdf(sample_annotations()))
    article = one(g, DG.Article)
    for cls in (DG.Meeting, DG.Signing, DG.Quotation):
        for node in g.subjects(RDF.type, cls):
            assert list(g.objects(node, DG.evidence)), node
            assert g.value(node, DG.rule) is not None
            conf = g.value(node, DG.confidence)
            assert isinstance(conf, Literal) and conf.datatype == XSD.decimal
            assert Decimal(0) <= conf.toPython() <= Decimal(1)
            assert (node, PROV.wasDerivedFrom, article) in g
    quote = one(g, DG.Quotation)
    assert g.value(quote, DG.confidence).toPython() == Decimal("0.95")  # type: ignore[union-attr]


# ---- what is left out -------------------------------------------------------------------


def test_meeting_without_date_is_kept_without_dg_date() -> None:
    """GUIDELINES: a meeting the text does not date is a meeting; its date is null."""
    mapped = map_annotations(sample_annotations(meeting_date=None))
    g = mapped.graph
    assert list(g.subject_objects(DG.metWith))
    held = set(g.subjects(RDF.type, DG.Meeting)) - set(g.subjects(RDF.type, DG.ScheduledMeeting))
    (node,) = held
    assert g.value(node, DG.date) is None
    assert "/meeting/undated-" in str(node)
    # an undated event cannot mark an anniversary: that is left out and reported
    assert not list(g.subjects(DG.anniversaryOf, None))
    assert any(note.startswith("anniversaries[0]") for note in mapped.omitted)


def test_undated_meetings_of_two_articles_are_two_nodes() -> None:
    a = sample_annotations(meeting_date=None)
    b = sample_annotations(meeting_date=None)
    b.article.id = "other"
    held_a = set(to_rdf(a).subjects(DG.participant, None))
    held_b = set(to_rdf(b).subjects(DG.participant, None))
    undated = {n for n in held_a | held_b if "/meeting/undated-" in str(n)}
    assert len(undated) == 2


def test_signing_without_date_is_left_out_and_reported() -> None:
    ann = sample_annotations()
    for ev in ann.events:
        if ev.kind == "Signing":
            ev.date = None
    mapped = map_annotations(ann)
    assert not list(mapped.graph.subjects(RDF.type, DG.Signing))
    assert any("no resolved date" in note for note in mapped.omitted)


def test_evidence_spans_are_trimmed_of_surrounding_whitespace() -> None:
    text = "Ana Example met Ben Sample. Carla Demo was there."
    padded = Evidence(start=0, end=28, exact=text[0:28])  # the sentence and the space after it
    ann = minimal(
        [
            Event(
                id="m",
                kind="Meeting",
                date=dt.date(2024, 1, 2),
                participants=["a", "b"],
                evidence=[padded],
            )
        ]
    )
    assert ann.article.text == text
    g = to_rdf(ann)
    spans = {
        (g.value(e, DG.start), g.value(e, DG.end), g.value(e, DG.exact))
        for e in g.objects(None, DG.evidence)
    }
    assert spans == {(Literal(0), Literal(27), Literal("Ana Example met Ben Sample."))}


def test_meeting_with_one_named_person_is_left_out() -> None:
    mapped = map_annotations(
        minimal([Event(id="m", kind="Meeting", date=dt.date(2024, 1, 2), participants=["a", "n"])])
    )
    assert not list(mapped.graph.subjects(RDF.type, DG.Meeting))
    assert any("at least two" in note for note in mapped.omitted)


def test_party_among_meeting_participants_is_an_actor_not_a_participant() -> None:
    g = to_rdf(
        minimal(
            [
                Event(
                    id="m",
                    kind="Meeting",
                    date=dt.date(2024, 1, 2),
                    participants=["a", "b", "n"],
                    place="o",
                )
            ]
        )
    )
    m = held_meeting(g)
    norway = URIRef(f"{BASE}resource/country/Q20")
    assert set(g.objects(m, DG.participant)) == {ANA, BEN}
    assert (m, SEM.hasActor, norway) in g


def test_role_with_wrongly_typed_party_is_left_out() -> None:
    ann = minimal([])
    ann.roles.append(Role(holder="a", party="o", title="Mayor", provenance=Provenance()))
    mapped = map_annotations(ann)
    assert not list(mapped.graph.subjects(RDF.type, DG.Role))
    assert not list(mapped.graph.subject_objects(DG.represents))
    assert mapped.omitted and "roles[0]" in mapped.omitted[0]


def test_signing_without_agreement_becomes_a_generic_event() -> None:
    mapped = map_annotations(
        minimal(
            [
                Event(
                    id="g",
                    kind="Signing",
                    date=dt.date(2020, 1, 1),
                    signatories=["n"],
                    label="Signing of a memorandum",
                )
            ]
        )
    )
    g = mapped.graph
    assert not list(g.subjects(RDF.type, DG.Signing))
    event = one(g, DG.Event)
    assert (event, SEM.hasActor, URIRef(f"{BASE}resource/country/Q20")) in g
    assert any("generic" in note for note in mapped.omitted)


def test_evidence_span_must_match_the_text() -> None:
    """The IR refuses spans that do not match, so the mapper never emits a wrong dg:exact."""
    with pytest.raises(ValueError):
        sample = sample_annotations()
        data = sample.model_dump()
        data["events"][0]["evidence"] = [{"start": 0, "end": 5, "exact": "wrong"}]
        Annotations.model_validate(data)
    assert span(TEXT, "Ana Example").exact == "Ana Example"


# ---- slugs and IRIs for arbitrary labels -----------------------------------------------


@given(st.text(min_size=1, max_size=60))
def test_slug_is_iri_safe_and_stable(label: str) -> None:
    s = slug(label)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s), s
    assert slug(label) == s
    assert slug(unicodedata.normalize("NFD", label)) == slug(unicodedata.normalize("NFC", label))


@given(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["Person", "Country", "Organization", "Place", "Agreement"]),
)
def test_entity_iris_survive_an_n_triples_round_trip(label: str, etype: str) -> None:
    iri = entity_iri(BASE, etype, label)
    assert iri == entity_iri(BASE, etype, label)
    assert iri.startswith(f"{BASE}resource/{etype.lower()}/")
    g = Graph()
    g.add((iri, RDFS.label, Literal(label)))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back.subjects()) == {iri}


def test_slug_examples() -> None:
    assert slug("São Tomé and Príncipe") == "sao-tome-and-principe"
    assert slug("  Ana   Example ") == "ana-example"
    assert slug("王毅").startswith("x-")
    assert slug("王毅") != slug("李强")


def test_article_ids_with_reserved_characters_give_valid_iris() -> None:
    g = to_rdf(sample_annotations("Press release #3 (draft)"))
    assert g.identifier == URIRef(f"{BASE}graph/article/Press%20release%20%233%20%28draft%29")
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back) == set(g)
    evidence = {str(s) for s in back.subjects(RDF.type, DG.Evidence)}
    assert evidence and all(
        "/evidence/Press%20release%20%233%20%28draft%29/" in e for e in evidence
    )

"""The compiled conformance check says what pySHACL says, on good, broken and mutated graphs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mapping_samples import sample_annotations
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node
from test_shapes import CASES, evidence

from graphbuild.errors import ValidationFailed
from graphbuild.mapping import DG, to_rdf
from graphbuild.reason import materialise
from graphbuild.shape_check import CompiledShapes, UnsupportedShape, compile_shapes
from graphbuild.validate import (
    SH,
    compiled_shapes,
    load_ontology,
    load_shapes,
    validate,
    validation_report,
)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def compiled(shapes: Graph) -> CompiledShapes:
    return compile_shapes(shapes)


@pytest.fixture(scope="module")
def good() -> Graph:
    """An article graph as the pipeline validates it: mapped, then materialised."""
    return materialise(to_rdf(sample_annotations()), load_ontology())


def copy(graph: Graph) -> Graph:
    out = Graph()
    for t in graph:
        out.add(t)
    return out


def pyshacl_conforms(graph: Graph, shapes: Graph) -> bool:
    return validation_report(graph, shapes)[0]


def test_the_shipped_shapes_compile(shapes: Graph) -> None:
    assert compiled_shapes(shapes) is not None


def test_good_graph_conforms_in_both(good: Graph, shapes: Graph, compiled: CompiledShapes) -> None:
    assert compiled.conforms(good)
    assert pyshacl_conforms(good, shapes)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_crafted_defect_is_refused_by_both(
    case: str, good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    mutate, _path, shape, _component = CASES[case]
    g = copy(good)
    focus = mutate(g)
    assert not pyshacl_conforms(g, shapes)
    assert not compiled.conforms(g)
    assert (shape, focus) in set(compiled.failures(g))


def test_sparql_constraint_evidence_text_must_match(
    good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = copy(good)
    ev = evidence(g)
    g.set((ev, DG.exact, Literal("words the article does not have there")))
    assert not pyshacl_conforms(g, shapes)
    assert not compiled.conforms(g)


def test_a_warning_alone_does_not_break_conformance(
    good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = copy(good)
    for fact in list(g.subjects(DG.evidence, None)):
        g.remove((fact, DG.evidence, None))
    assert pyshacl_conforms(g, shapes)
    assert compiled.conforms(g)


# ---- random damage ---------------------------------------------------------------------------

LITERALS = [
    Literal(0),
    Literal(-3),
    Literal(2),
    Literal("x"),
    Literal(""),
    Literal("2024-02-30", datatype=XSD.date),
    Literal("abc", datatype=XSD.integer),
    Literal("0.5", datatype=XSD.decimal),
    Literal("7", datatype=XSD.decimal),
    Literal("text", lang="en"),
]


@st.composite
def damaged(draw: st.DrawFn, good: Graph) -> Graph:
    """The good graph after a few random removals, duplications, retypings and retargetings."""
    g = copy(good)
    triples = sorted(g, key=lambda t: tuple(str(x) for x in t))
    nodes: list[Node] = sorted({t[0] for t in triples}, key=str)
    classes = sorted({o for _, p, o in triples if p == RDF.type}, key=str)
    for _ in range(draw(st.integers(1, 3))):
        s, p, o = draw(st.sampled_from(triples))
        op = draw(st.sampled_from(["drop", "add-literal", "add-node", "retype", "replace"]))
        if op == "drop":
            g.remove((s, p, o))
        elif op == "add-literal":
            g.add((s, p, draw(st.sampled_from(LITERALS))))
        elif op == "add-node":
            g.add((s, p, draw(st.sampled_from(nodes))))
        elif op == "retype":
            g.remove((s, RDF.type, None))
            g.add((s, RDF.type, draw(st.sampled_from(classes))))
        else:
            g.remove((s, p, o))
            g.add((s, p, draw(st.sampled_from(LITERALS + nodes))))
    return g


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_compiled_check_agrees_with_pyshacl_on_random_damage(
    data: st.DataObject, good: Graph, shapes: Graph, compiled: CompiledShapes
) -> None:
    g = data.draw(damaged(good))
    assert compiled.conforms(g) == pyshacl_conforms(g, shapes)


# ---- what the compiler does not cover ----------------------------------------------------------


def test_unsupported_constraint_is_named_and_validate_falls_back_to_pyshacl(
    good: Graph, shapes: Graph
) -> None:
    edited = copy(shapes)
    for prefix, ns in shapes.namespaces():
        edited.bind(prefix, ns)
    shape = URIRef("https://w3id.org/diplograph/shapes#RoleShape")
    edited.add((shape, SH.closed, Literal(False)))  # harmless, but not compiled
    with pytest.raises(UnsupportedShape, match="RoleShape") as err:
        compile_shapes(edited)
    assert "closed" in err.value.feature
    assert compiled_shapes(edited) is None
    validate(good, edited)  # the good graph still passes, through pySHACL
    g = copy(good)
    mutate = CASES["role without holder"][0]
    mutate(g)
    with pytest.raises(ValidationFailed, match="violation"):
        validate(g, edited)


def test_validate_reports_through_pyshacl_when_the_fast_check_refuses(
    good: Graph, shapes: Graph
) -> None:
    g = copy(good)
    CASES["meeting with one participant"][0](g)
    with pytest.raises(ValidationFailed) as err:
        validate(g, shapes)
    assert "MeetingShape" in err.value.report

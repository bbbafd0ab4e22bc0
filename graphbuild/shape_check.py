"""A compiled conformance check for the SHACL Core subset Diplograph's shapes use.

pySHACL re-reads the shapes graph and walks it through rdflib for every data graph: 60-100 ms
per article, as much as the rest of our stages together. The shapes never change during a
build, so ``compile_shapes`` turns them once into Python closures over rdflib's indexes, and
``CompiledShapes.conforms`` answers "would pySHACL say this conforms?" in about a millisecond.
Only conformance is decided here: when a graph does not conform, the caller runs pySHACL for
the report a researcher reads. A shapes file using anything outside the subset is refused at
compile time (``UnsupportedShape``), and the caller then uses pySHACL for every graph, so an
edited shapes file is never checked less than it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")

ValueTest = Callable[[Graph, Node], bool]
"""True when one value node meets one constraint."""


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature the compiled check does not implement."""

    def __init__(self, shape: Node, feature: str) -> None:
        self.shape = shape
        self.feature = feature
        super().__init__(f"shape {shape.n3() if hasattr(shape, 'n3') else shape}: {feature}")


# Predicates of a shape that are not constraints (they name, order, describe or point).
_NOT_CONSTRAINTS = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
}
_NUMERIC_RANGES = {
    SH.minInclusive: lambda v, b: v >= b,
    SH.maxInclusive: lambda v, b: v <= b,
    SH.minExclusive: lambda v, b: v > b,
    SH.maxExclusive: lambda v, b: v < b,
}


def _instances(graph: Graph, cls: Node) -> set[Node]:
    """SHACL instances: rdf:type, or rdf:type of a transitive rdfs:subClassOf, of ``cls``."""
    classes = {cls, *graph.transitive_subjects(RDFS.subClassOf, cls)}
    out: set[Node] = set()
    for c in classes:
        out.update(graph.subjects(RDF.type, c))
    return out


def _is_instance(graph: Graph, node: Node, cls: Node) -> bool:
    if isinstance(node, Literal):
        return False
    for t in graph.objects(node, RDF.type):
        if t == cls or cls in graph.transitive_objects(t, RDFS.subClassOf):
            return True
    return False


def _comparable(node: Node) -> Any:
    """A Python value SHACL may order, or None (incomparable is a violation)."""
    if not isinstance(node, Literal) or node.ill_typed:
        return None
    value = node.toPython()
    if isinstance(value, bool) or value is None or isinstance(value, Literal):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
    return value


def _ordered(op: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        return bool(op(left, right))
    except TypeError:
        return False


def _datatype_of(node: Literal) -> URIRef:
    if node.language:
        return RDF.langString
    return node.datatype if node.datatype is not None else XSD.string


@dataclass
class _Property:
    path: URIRef
    inverse: bool
    min_count: int = 0
    max_count: int | None = None
    tests: list[ValueTest] = field(default_factory=list)
    less_than_or_equals: list[URIRef] = field(default_factory=list)

    def values(self, graph: Graph, focus: Node) -> set[Node]:
        if self.inverse:
            return set(graph.subjects(self.path, focus))
        if isinstance(focus, Literal):
            return set()
        return set(graph.objects(focus, self.path))

    def holds(self, graph: Graph, focus: Node) -> bool:
        values = self.values(graph, focus)
        if len(values) < self.min_count:
            return False
        if self.max_count is not None and len(values) > self.max_count:
            return False
        for value in values:
            if not all(test(graph, value) for test in self.tests):
                return False
        for other in self.less_than_or_equals:
            bounds = [_comparable(o) for o in graph.objects(focus, other)]
            for value in values:
                mine = _comparable(value)
                if not all(_ordered(lambda a, b: a <= b, mine, b) for b in bounds):
                    return False
        return True


@dataclass
class _SparqlConstraint:
    select: str

    def holds(self, data: ox.Store, focus: Node) -> bool:
        from graphbuild.store import _ox_term

        term = _ox_term(focus)
        if isinstance(term, ox.Literal):
            return True
        rows = data.query(self.select, substitutions={ox.Variable("this"): term})
        return not any(True for _ in rows)  # type: ignore[union-attr]


@dataclass
class _NodeShape:
    name: Node
    targets: list[Callable[[Graph], Iterable[Node]]] = field(default_factory=list)
    tests: list[ValueTest] = field(default_factory=list)
    properties: list[_Property] = field(default_factory=list)
    sparql: list[_SparqlConstraint] = field(default_factory=list)

    def focus_nodes(self, graph: Graph) -> set[Node]:
        out: set[Node] = set()
        for target in self.targets:
            out.update(target(graph))
        return out


@dataclass
class CompiledShapes:
    """The Violation-severity constraints of a shapes graph, ready to run."""

    shapes: list[_NodeShape]

    def failures(self, graph: Graph) -> Iterator[tuple[Node, Node]]:
        """(shape, focus node) for each focus node with at least one Violation."""
        data: ox.Store | None = None
        for shape in self.shapes:
            for focus in shape.focus_nodes(graph):
                ok = all(test(graph, focus) for test in shape.tests) and all(
                    p.holds(graph, focus) for p in shape.properties
                )
                if ok and shape.sparql:
                    if data is None:
                        data = _as_store(graph)
                    ok = all(c.holds(data, focus) for c in shape.sparql)
                if not ok:
                    yield shape.name, focus

    def conforms(self, graph: Graph) -> bool:
        return next(self.failures(graph), None) is None


def _as_store(graph: Graph) -> ox.Store:
    """The graph in an in-memory pyoxigraph store, for SPARQL-based constraints."""
    from graphbuild.store import _ox_term

    terms: dict[Node, Any] = {}

    def term(node: Node) -> Any:
        found = terms.get(node)
        if found is None:
            found = terms[node] = _ox_term(node)
        return found

    store = ox.Store()
    store.extend([ox.Quad(term(s), term(p), term(o)) for s, p, o in graph])
    return store


# ---- compiling ------------------------------------------------------------------------------


def _class_target(cls: Node) -> Callable[[Graph], Iterable[Node]]:
    return lambda graph: _instances(graph, cls)


def _node_target(node: Node) -> Callable[[Graph], Iterable[Node]]:
    return lambda graph: [node]


def _subjects_target(p: Node) -> Callable[[Graph], Iterable[Node]]:
    return lambda graph: set(graph.subjects(p, None))


def _objects_target(p: Node) -> Callable[[Graph], Iterable[Node]]:
    return lambda graph: set(graph.objects(None, p))


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes

    def one(self, shape: Node, p: URIRef) -> Node | None:
        values = list(self.g.objects(shape, p))
        if len(values) > 1:
            raise UnsupportedShape(shape, f"several values of {p.n3(self.g.namespace_manager)}")
        return values[0] if values else None

    def severity_is_violation(self, shape: Node) -> bool:
        return self.one(shape, SH.severity) in (None, SH.Violation)

    def deactivated(self, shape: Node) -> bool:
        value = self.one(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def node_shapes(self) -> list[Node]:
        found: set[Node] = set(self.g.subjects(RDF.type, SH.NodeShape))
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            found.update(self.g.subjects(p, None))
        if any(True for _ in self.g.subjects(RDF.type, RDFS.Class)) and any(
            (c, RDF.type, SH.NodeShape) in self.g for c in self.g.subjects(RDF.type, RDFS.Class)
        ):
            raise UnsupportedShape(SH.NodeShape, "implicit class targets")
        return sorted(found, key=str)

    def compile(self) -> CompiledShapes:
        out: list[_NodeShape] = []
        for shape in self.node_shapes():
            if self.deactivated(shape):
                continue
            compiled = _NodeShape(shape, targets=self.targets(shape))
            node_level = self.severity_is_violation(shape)
            for p, o in self.g.predicate_objects(shape):
                if p == SH.property:
                    prop = self.property(o)
                    if prop is not None:
                        compiled.properties.append(prop)
                elif p == SH.sparql:
                    constraint = self.sparql(shape, o)
                    if node_level and constraint is not None:
                        compiled.sparql.append(constraint)
                elif str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS:
                    test = self.value_test(shape, p, o)
                    if node_level:
                        compiled.tests.append(test)
            if compiled.tests or compiled.properties or compiled.sparql:
                out.append(compiled)
        return CompiledShapes(out)

    def targets(self, shape: Node) -> list[Callable[[Graph], Iterable[Node]]]:
        out: list[Callable[[Graph], Iterable[Node]]] = []
        out += [_class_target(c) for c in self.g.objects(shape, SH.targetClass)]
        out += [_node_target(n) for n in self.g.objects(shape, SH.targetNode)]
        out += [_subjects_target(p) for p in self.g.objects(shape, SH.targetSubjectsOf)]
        out += [_objects_target(p) for p in self.g.objects(shape, SH.targetObjectsOf)]
        return out

    def property(self, shape: Node) -> _Property | None:
        path = self.one(shape, SH.path)
        inverse = False
        if isinstance(path, BNode):
            inner = self.one(path, SH.inversePath)
            if inner is None or len(list(self.g.predicate_objects(path))) != 1:
                raise UnsupportedShape(shape, "a path other than an IRI or sh:inversePath")
            path, inverse = inner, True
        if not isinstance(path, URIRef):
            raise UnsupportedShape(shape, "a property shape without an IRI sh:path")
        if self.deactivated(shape):
            return None
        prop = _Property(path, inverse)
        for p, o in self.g.predicate_objects(shape):
            if not str(p).startswith(str(SH)) or p in _NOT_CONSTRAINTS:
                continue
            if p == SH.minCount:
                prop.min_count = int(self.integer(shape, o))
            elif p == SH.maxCount:
                prop.max_count = int(self.integer(shape, o))
            elif p == SH.lessThanOrEquals and isinstance(o, URIRef):
                prop.less_than_or_equals.append(o)
            else:
                prop.tests.append(self.value_test(shape, p, o))
        if not self.severity_is_violation(shape):
            # checked for support above, but a warning never decides conformance
            return None
        return prop

    def integer(self, shape: Node, value: Node) -> int:
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise UnsupportedShape(shape, f"a count that is not an integer: {value!r}")
        return int(value.toPython())

    def value_test(self, shape: Node, p: Node, o: Node) -> ValueTest:
        if p == SH["class"]:
            return lambda graph, v: _is_instance(graph, v, o)
        if p == SH.datatype:
            return lambda graph, v: (
                isinstance(v, Literal) and _datatype_of(v) == o and not v.ill_typed
            )
        if p == SH.nodeKind:
            return self.node_kind(shape, o)
        if p == SH.minLength:
            n = self.integer(shape, o)
            return lambda graph, v: not isinstance(v, BNode) and len(str(v)) >= n
        if p == SH.maxLength:
            n = self.integer(shape, o)
            return lambda graph, v: not isinstance(v, BNode) and len(str(v)) <= n
        if p == SH.pattern:
            flags = self.one(shape, SH.flags)
            rx = re.compile(str(o), re.IGNORECASE if flags and "i" in str(flags) else 0)
            return lambda graph, v: not isinstance(v, BNode) and rx.search(str(v)) is not None
        if p == SH.flags:
            return lambda graph, v: True  # read with sh:pattern
        if isinstance(p, URIRef) and p in _NUMERIC_RANGES:
            op, bound = _NUMERIC_RANGES[p], _comparable(o)
            return lambda graph, v: _ordered(op, _comparable(v), bound)
        if p == SH["in"]:
            allowed = set(Collection(self.g, o))
            return lambda graph, v: v in allowed
        if p == SH.hasValue:
            raise UnsupportedShape(shape, "sh:hasValue")
        if p == SH["or"]:
            members = [self.member(shape, m) for m in Collection(self.g, o)]
            return lambda graph, v: any(all(t(graph, v) for t in m) for m in members)
        name = p.n3(self.g.namespace_manager) if isinstance(p, URIRef) else str(p)
        raise UnsupportedShape(shape, f"the constraint {name}")

    def member(self, shape: Node, member: Node) -> list[ValueTest]:
        """An sh:or member: a shape whose value-level constraints the value must meet."""
        tests: list[ValueTest] = []
        for p, o in self.g.predicate_objects(member):
            if p == RDF.type or p in (SH.message, SH.name, SH.description):
                continue
            if p in (SH.property, SH.sparql, SH.minCount, SH.maxCount) or p == SH.path:
                raise UnsupportedShape(shape, "an sh:or member with properties or counts")
            tests.append(self.value_test(shape, p, o))
        return tests

    def node_kind(self, shape: Node, kind: Node) -> ValueTest:
        kinds: dict[Node, tuple[type, ...]] = {
            SH.IRI: (URIRef,),
            SH.Literal: (Literal,),
            SH.BlankNode: (BNode,),
            SH.BlankNodeOrIRI: (BNode, URIRef),
            SH.BlankNodeOrLiteral: (BNode, Literal),
            SH.IRIOrLiteral: (URIRef, Literal),
        }
        if kind not in kinds:
            raise UnsupportedShape(shape, f"sh:nodeKind {kind!r}")
        allowed = kinds[kind]
        return lambda graph, v: isinstance(v, allowed)

    def sparql(self, shape: Node, constraint: Node) -> _SparqlConstraint | None:
        if self.deactivated(constraint):
            return None
        select = self.one(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(shape, "an sh:sparql constraint without sh:select")
        for p, _o in self.g.predicate_objects(constraint):
            if p not in (RDF.type, SH.select, SH.prefixes, SH.message, SH.deactivated):
                raise UnsupportedShape(shape, f"sh:sparql with {p}")
        prologue = []
        for source in self.g.objects(constraint, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix, namespace = self.one(decl, SH.prefix), self.one(decl, SH.namespace)
                prologue.append(f"PREFIX {prefix}: <{namespace}>")
        text = "\n".join([*prologue, str(select)])
        try:
            ox.Store().query(text, substitutions={ox.Variable("this"): ox.NamedNode("urn:x")})
        except SyntaxError as exc:
            raise UnsupportedShape(shape, f"sh:select does not parse: {exc}") from exc
        return _SparqlConstraint(text)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile once per shapes graph; ``UnsupportedShape`` names what is not covered."""
    return _Compiler(shapes).compile()

"""A compiled conformance check for the SHACL Core subset Diplograph's shapes use.

pySHACL re-reads the shapes graph and walks it through rdflib for every data graph: about
100 ms per article, more than the rest of our own stages together. The shapes never change
during a build, so ``compile_shapes`` turns them once into Python closures over rdflib's
indexes (one ``subject_objects`` per predicate; no SPARQL engine, no graph copy), and
``CompiledShapes.conforms`` answers "would pySHACL say this conforms?" in 2-3 ms (~35x).

Only conformance is decided here; when a graph does not conform the caller runs pySHACL for
the report a researcher reads. A shapes graph that uses anything outside the subset is
refused at compile time with ``UnsupportedShape`` (a ``ConfigError`` naming the shape), and
the caller then validates every graph with pySHACL, so an edited shapes file is never
checked less than it says. Severity follows pySHACL's ``allow_warnings``: only constraints
of a shape whose severity is neither sh:Warning nor sh:Info can break conformance.

The one SPARQL-based constraint form compiled is a SELECT whose pattern is a basic graph
pattern with FILTERs: the pattern is joined over rdflib's indexes with ``$this`` bound. A
FILTER runs as Python while its values are well-typed xsd:integers and plain strings (the
offsets and texts of evidence spans); any other value goes to rdflib's own SPARQL
expression code, the code pySHACL's query runs, so errors and type promotion agree. A
"cannot tell" is reported as non-conformance, which sends the graph to pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.evalutils import _ebv
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.plugins.sparql.sparql import FrozenBindings, QueryContext
from rdflib.term import Node

from graphbuild.errors import ConfigError

SH = Namespace("http://www.w3.org/ns/shacl#")


class UnsupportedShape(ConfigError):
    """The shapes use a SHACL feature the compiled check does not implement."""

    def __init__(self, shape: Node, feature: str, name: str | None = None) -> None:
        self.shape = shape
        self.feature = feature
        self.shape_name = name or (shape.n3() if isinstance(shape, URIRef) else str(shape))
        super().__init__(
            f"shape {self.shape_name} uses {feature}, which the compiled SHACL check "
            "does not cover",
            where=self.shape_name,
            hint="every article is validated by pySHACL instead (same verdicts, ~50x slower); "
            "teach graphbuild/rdf/shape_check.py the construct to get the fast check back",
        )


# ---- the data graph under check ----------------------------------------------------------


class _Data:
    """One data graph being checked, read through rdflib's indexes once per predicate.

    A shapes file asks for few predicates but for many focus nodes: one
    ``subject_objects(p)`` per predicate (rdflib's predicate index) is cheaper than a
    ``graph.objects(focus, p)`` per focus node, and class lookups are memoised likewise.
    Nothing outlives the check.
    """

    __slots__ = ("_forward", "_instances", "_inverse", "_supers", "graph")

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._forward: dict[Node, dict[Node, list[Node]]] = {}
        self._inverse: dict[Node, dict[Node, list[Node]]] = {}
        self._supers: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, frozenset[Node]] = {}

    def forward(self, p: Node) -> dict[Node, list[Node]]:
        """subject -> objects of ``p``."""
        table = self._forward.get(p)
        if table is None:
            table = self._forward[p] = {}
            for subject, obj in self.graph.subject_objects(p):
                table.setdefault(subject, []).append(obj)
        return table

    def inverse(self, p: Node) -> dict[Node, list[Node]]:
        """object -> subjects of ``p``."""
        table = self._inverse.get(p)
        if table is None:
            table = self._inverse[p] = {}
            for subject, obj in self.forward(p).items():
                for o in obj:
                    table.setdefault(o, []).append(subject)
        return table

    def objects(self, node: Node, p: Node) -> Sequence[Node]:
        return self.forward(p).get(node, ())

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and its transitive rdfs:subClassOf superclasses in the data graph."""
        found = self._supers.get(cls)
        if found is None:
            supers = self.graph.transitive_objects(cls, RDFS.subClassOf)
            found = self._supers[cls] = frozenset(c for c in supers if c is not None)
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """SHACL instance: a type of ``node`` is ``cls`` or a transitive subclass of it."""
        if isinstance(node, Literal):
            return False
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF.type))

    def instances(self, cls: Node) -> frozenset[Node]:
        found = self._instances.get(cls)
        if found is None:
            out: set[Node] = set()
            by_type = self.inverse(RDF.type)
            for c in self.graph.transitive_subjects(RDFS.subClassOf, cls):
                if c is not None:
                    out.update(by_type.get(c, ()))
            found = self._instances[cls] = frozenset(out)
        return found


ValueTest = Callable[[_Data, Node], bool]
"""True when one value node meets one constraint."""
Target = Callable[[_Data], Iterable[Node]]


# ---- value-level semantics ---------------------------------------------------------------


def _comparable(node: Node) -> Any:
    """A Python value SHACL may order, or None (an incomparable value is a violation)."""
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
    except (TypeError, ArithmeticError):
        return False


_NUMERIC_RANGES: dict[Node, Callable[[Any, Any], bool]] = {
    SH.minInclusive: lambda v, b: v >= b,
    SH.maxInclusive: lambda v, b: v <= b,
    SH.minExclusive: lambda v, b: v > b,
    SH.maxExclusive: lambda v, b: v < b,
}


def _datatype_of(node: Literal) -> URIRef:
    if node.language:
        return RDF.langString
    return node.datatype if node.datatype is not None else XSD.string


def _has_datatype(datatype: Node) -> ValueTest:
    def test(data: _Data, v: Node) -> bool:
        return isinstance(v, Literal) and _datatype_of(v) == datatype and not v.ill_typed

    return test


def _has_class(cls: Node) -> ValueTest:
    return lambda data, v: data.is_instance(v, cls)


_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.Literal: (Literal,),
    SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


# ---- compiled shapes ---------------------------------------------------------------------


@dataclass
class _Property:
    path: URIRef
    inverse: bool
    min_count: int = 0
    max_count: int | None = None
    tests: list[ValueTest] = field(default_factory=list)
    less_than_or_equals: list[URIRef] = field(default_factory=list)

    def holds(self, data: _Data, focus: Node) -> bool:
        table = data.inverse(self.path) if self.inverse else data.forward(self.path)
        values = table.get(focus, ())  # a list without repeats: the graph is a set of triples
        if len(values) < self.min_count:
            return False
        if self.max_count is not None and len(values) > self.max_count:
            return False
        for test in self.tests:
            if not all(test(data, value) for value in values):
                return False
        for other in self.less_than_or_equals:
            bounds = [_comparable(o) for o in data.objects(focus, other)]
            for value in values:
                mine = _comparable(value)
                if not all(_ordered(lambda a, b: a <= b, mine, b) for b in bounds):
                    return False
        return True


Pattern = tuple[Node, Node, Node]


Row = dict[Variable, Node]


class _Unsure(Exception):
    """A FILTER value outside what the fast evaluator decides: rdflib evaluates the row."""


Fast = Callable[[Row], Any]
"""A compiled FILTER expression: a Node, or a Python int/str/bool it computed."""


@dataclass
class _Filter:
    """One FILTER: compiled to Python for well-typed integers and plain strings, with
    rdflib's own evaluator (pySHACL's) for any other value and any other expression."""

    expr: Expr
    fast: Fast | None

    def passes(self, row: Row, ctx: QueryContext) -> bool:
        if self.fast is not None:
            try:
                value = self.fast(row)
            except _Unsure:
                pass
            else:
                if isinstance(value, bool):
                    return value
        return _ebv(self.expr, FrozenBindings(ctx, row))


@dataclass
class _Select:
    """A SPARQL SELECT constraint: a basic graph pattern joined with ``$this`` bound, then
    FILTERs; the focus node fails when any solution is left (each binds ?value/?path/...)."""

    patterns: Sequence[Pattern]
    filters: Sequence[_Filter]

    def holds(self, data: _Data, focus: Node) -> bool:
        ctx = QueryContext(data.graph)
        for row in self._join(data, {THIS: focus}, 0):
            try:
                if all(f.passes(row, ctx) for f in self.filters):
                    return False
            except Exception:  # rdflib's evaluator failing outright: let pySHACL decide
                return False
        return True

    def _join(self, data: _Data, row: Row, i: int) -> Iterator[Row]:
        if i == len(self.patterns):
            yield row
            return
        pattern = self.patterns[i]
        s, p, o = (row.get(t) if isinstance(t, Variable) else t for t in pattern)
        triples: Iterable[tuple[Node, Node, Node]]
        if p is not None and s is not None:
            triples = ((s, p, x) for x in data.objects(s, p) if o is None or x == o)
        elif p is not None and o is not None:
            triples = ((x, p, o) for x in data.inverse(p).get(o, ()))
        else:
            triples = data.graph.triples((s, p, o))
        for triple in triples:
            more = dict(row)
            if all(
                more.setdefault(t, value) == value
                for t, value in zip(pattern, triple, strict=True)
                if isinstance(t, Variable)
            ):
                yield from self._join(data, more, i + 1)


def _as_int(value: Any) -> int:
    if isinstance(value, Literal):
        if value.datatype != XSD.integer or value.ill_typed or value.language:
            raise _Unsure
        value = value.toPython()
    if type(value) is not int:
        raise _Unsure
    return value


def _as_str(value: Any) -> str:
    if isinstance(value, Literal):
        if value.datatype not in (None, XSD.string) or value.language:
            raise _Unsure
        return str(value)
    if type(value) is not str:
        raise _Unsure
    return value


def _fast_filter(expr: Any) -> Fast | None:
    """``expr`` as Python, or None when it uses anything beyond +, -, SUBSTR, STR and
    comparisons (then the whole FILTER is left to rdflib)."""
    if isinstance(expr, Variable):
        return lambda row: row[expr]
    if isinstance(expr, Literal):
        return lambda row: expr
    if not isinstance(expr, CompValue):
        return None
    if expr.name in ("AdditiveExpression", "RelationalExpression") and expr.other is None:
        return _fast_filter(expr.expr)
    if expr.name == "AdditiveExpression":
        first = _fast_filter(expr.expr)
        rest = [_fast_filter(o) for o in expr.other]
        if first is None or None in rest or set(expr.op) - {"+", "-"}:
            return None
        steps = [(op == "+", f) for op, f in zip(expr.op, rest, strict=True) if f is not None]

        def additive(row: Row) -> int:
            total = _as_int(first(row))
            for plus, f in steps:
                total = total + _as_int(f(row)) if plus else total - _as_int(f(row))
            return total

        return additive
    if expr.name == "Builtin_SUBSTR":
        arg, start = _fast_filter(expr.arg), _fast_filter(expr.start)
        length = _fast_filter(expr.length) if expr.length is not None else None
        if arg is None or start is None or (expr.length is not None and length is None):
            return None

        def substr(row: Row) -> str:
            text, begin = _as_str(arg(row)), _as_int(start(row))
            if begin < 1:  # rdflib slices from the end here: leave it to rdflib
                raise _Unsure
            if length is None:
                return text[begin - 1 :]
            n = _as_int(length(row))
            if n < 0:
                raise _Unsure
            return text[begin - 1 : begin - 1 + n]

        return substr
    if expr.name == "Builtin_STR":
        inner = _fast_filter(expr.arg)
        if inner is None:
            return None

        def to_str(row: Row) -> str:
            value = inner(row)
            if isinstance(value, Literal | URIRef):
                return str(value)
            if type(value) is not str:
                raise _Unsure
            return value

        return to_str
    if expr.name == "RelationalExpression" and expr.op in _COMPARISONS:
        left, right, op = _fast_filter(expr.expr), _fast_filter(expr.other), expr.op
        if left is None or right is None:
            return None
        compare = _COMPARISONS[op]

        def relational(row: Row) -> bool:
            a, b = left(row), right(row)
            if op in ("=", "!="):
                try:
                    return compare(_as_str(a), _as_str(b))
                except _Unsure:
                    pass
            return compare(_as_int(a), _as_int(b))

        return relational
    return None


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


THIS = Variable("this")


@dataclass
class _NodeShape:
    name: Node
    targets: list[Target] = field(default_factory=list)
    tests: list[ValueTest] = field(default_factory=list)
    properties: list[_Property] = field(default_factory=list)
    selects: list[_Select] = field(default_factory=list)

    def focus_nodes(self, data: _Data) -> set[Node]:
        out: set[Node] = set()
        for target in self.targets:
            out.update(target(data))
        return out

    def holds(self, data: _Data, focus: Node) -> bool:
        return (
            all(test(data, focus) for test in self.tests)
            and all(p.holds(data, focus) for p in self.properties)
            and all(s.holds(data, focus) for s in self.selects)
        )


@dataclass
class CompiledShapes:
    """The constraints of a shapes graph that can break conformance, ready to run."""

    shapes: list[_NodeShape]

    def failures(self, graph: Graph) -> Iterator[tuple[Node, Node]]:
        """(node shape, focus node) for each focus node that breaks conformance."""
        data = _Data(graph)
        for shape in self.shapes:
            for focus in shape.focus_nodes(data):
                if not shape.holds(data, focus):
                    yield shape.name, focus

    def conforms(self, graph: Graph) -> bool:
        """What pySHACL (``allow_warnings=True``) would say about ``graph``'s conformance."""
        return next(self.failures(graph), None) is None


# ---- compiling ---------------------------------------------------------------------------

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
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_ALLOWED_SEVERITIES = (SH.Warning, SH.Info)  # pySHACL's allow_warnings
_RESULT_VARIABLES = {Variable(v) for v in ("failure", "path", "value", "this")}
_PRE_BOUND = {Variable(v) for v in ("PATH", "currentShape", "shapesGraph")}
_FILTER_PARTS = {
    "ConditionalOrExpression",
    "ConditionalAndExpression",
    "RelationalExpression",
    "AdditiveExpression",
    "MultiplicativeExpression",
    "UnaryNot",
    "UnaryMinus",
    "UnaryPlus",
    "Builtin_STR",
    "Builtin_STRLEN",
    "Builtin_SUBSTR",
    "Builtin_LCASE",
    "Builtin_UCASE",
    "Builtin_CONTAINS",
    "Builtin_STRSTARTS",
    "Builtin_STRENDS",
    "Builtin_REGEX",
    "Builtin_LANG",
    "Builtin_DATATYPE",
    "Builtin_BOUND",
    "Builtin_sameTerm",
    "Builtin_isIRI",
    "Builtin_isBLANK",
    "Builtin_isLITERAL",
    "Builtin_isNUMERIC",
}


def _class_target(cls: Node) -> Target:
    return lambda data: data.instances(cls)


def _node_target(node: Node) -> Target:
    return lambda data: (node,)


def _subjects_target(p: Node) -> Target:
    return lambda data: set(data.graph.subjects(p, None))


def _objects_target(p: Node) -> Target:
    return lambda data: set(data.graph.objects(None, p))


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes

    def unsupported(self, shape: Node, feature: str) -> UnsupportedShape:
        name = self.g.namespace_manager.normalizeUri(shape) if isinstance(shape, URIRef) else None
        return UnsupportedShape(shape, feature, name)

    def n3(self, node: Node) -> str:
        return node.n3(self.g.namespace_manager) if isinstance(node, URIRef) else repr(node)

    def one(self, shape: Node, p: URIRef) -> Node | None:
        values = list(self.g.objects(shape, p))
        if len(values) > 1:
            raise self.unsupported(shape, f"several values of {self.n3(p)}")
        return values[0] if values else None

    def breaks_conformance(self, shape: Node) -> bool:
        """pySHACL with ``allow_warnings``: Warning and Info results leave a graph conforming."""
        return self.one(shape, SH.severity) not in _ALLOWED_SEVERITIES

    def deactivated(self, shape: Node) -> bool:
        value = self.one(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    def node_shapes(self) -> list[Node]:
        found: set[Node] = set(self.g.subjects(RDF.type, SH.NodeShape))
        for p in _TARGETS:
            found.update(self.g.subjects(p, None))
        for shape in found:
            if any((shape, RDF.type, c) in self.g for c in (RDFS.Class, OWL.Class)):
                raise self.unsupported(shape, "an implicit class target (shape is a class)")
            if (shape, SH.path, None) in self.g:
                raise self.unsupported(shape, "targets on a property shape")
        for shape in self.g.subjects(RDF.type, SH.PropertyShape):
            if (None, SH.property, shape) not in self.g:
                raise self.unsupported(shape, "a property shape no node shape points to")
        return sorted(found, key=str)

    def compile(self) -> CompiledShapes:
        out: list[_NodeShape] = []
        for shape in self.node_shapes():
            compiled = self.node_shape(shape)
            if compiled is not None and (compiled.tests or compiled.properties or compiled.selects):
                out.append(compiled)
        return CompiledShapes(out)

    def node_shape(self, shape: Node) -> _NodeShape | None:
        """Compiled in full (so anything unsupported is refused), kept only if it can fail."""
        compiled = _NodeShape(shape, targets=self.targets(shape))
        for p, o in self.g.predicate_objects(shape):
            if p == SH.property:
                prop = self.property(o)
                if prop is not None:
                    compiled.properties.append(prop)
            elif p == SH.sparql:
                select = self.sparql(shape, o)
                if select is not None:
                    compiled.selects.append(select)
            elif str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS:
                compiled.tests.append(self.value_test(shape, p, o))
        # pySHACL lets a Warning/Info node shape conform whatever its property shapes find.
        if self.deactivated(shape) or not self.breaks_conformance(shape):
            return None
        return compiled

    def targets(self, shape: Node) -> list[Target]:
        out: list[Target] = []
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
                raise self.unsupported(shape, "a path other than an IRI or sh:inversePath")
            path, inverse = inner, True
        if not isinstance(path, URIRef):
            raise self.unsupported(shape, "a property shape without an IRI sh:path")
        prop = _Property(path, inverse)
        for p, o in self.g.predicate_objects(shape):
            if not str(p).startswith(str(SH)) or p in _NOT_CONSTRAINTS:
                continue
            if p == SH.minCount:
                prop.min_count = self.integer(shape, o)
            elif p == SH.maxCount:
                prop.max_count = self.integer(shape, o)
            elif p == SH.lessThanOrEquals and isinstance(o, URIRef) and not inverse:
                prop.less_than_or_equals.append(o)
            else:
                prop.tests.append(self.value_test(shape, p, o))
        if self.deactivated(shape) or not self.breaks_conformance(shape):
            return None  # checked for support above, but it never decides conformance
        return prop

    def integer(self, shape: Node, value: Node) -> int:
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise self.unsupported(shape, f"a count that is not an integer: {value!r}")
        return int(value.toPython())

    def value_test(self, shape: Node, p: Node, o: Node) -> ValueTest:
        if p == SH["class"]:
            return _has_class(o)
        if p == SH.datatype:
            return _has_datatype(o)
        if p == SH.nodeKind:
            if o not in _NODE_KINDS:
                raise self.unsupported(shape, f"sh:nodeKind {self.n3(o)}")
            kinds = _NODE_KINDS[o]
            return lambda data, v: isinstance(v, kinds)
        if p in (SH.minLength, SH.maxLength):
            n = self.integer(shape, o)
            if p == SH.minLength:
                return lambda data, v: not isinstance(v, BNode) and len(str(v)) >= n
            return lambda data, v: not isinstance(v, BNode) and len(str(v)) <= n
        if p == SH.pattern:
            return self.pattern(shape, o)
        if p == SH.flags:
            return lambda data, v: True  # read with sh:pattern
        if p in _NUMERIC_RANGES:
            op, bound = _NUMERIC_RANGES[p], _comparable(o)
            return lambda data, v: _ordered(op, _comparable(v), bound)
        if p == SH["in"]:
            allowed = frozenset(Collection(self.g, o))
            return lambda data, v: v in allowed
        if p == SH["or"]:
            members = [self.member(shape, m) for m in Collection(self.g, o)]
            return lambda data, v: any(all(t(data, v) for t in m) for m in members)
        raise self.unsupported(shape, f"the constraint {self.n3(p)}")

    def pattern(self, shape: Node, regex: Node) -> ValueTest:
        flags = str(self.one(shape, SH.flags) or "")
        if set(flags) - {"i"}:
            raise self.unsupported(shape, f"sh:flags {flags!r} (only 'i' is compiled)")
        rx = re.compile(str(regex), re.IGNORECASE if flags else 0)
        return lambda data, v: not isinstance(v, BNode) and rx.search(str(v)) is not None

    def member(self, shape: Node, member: Node) -> list[ValueTest]:
        """An sh:or member: a shape whose value-level constraints the value must meet."""
        tests: list[ValueTest] = []
        for p, o in self.g.predicate_objects(member):
            if (p == RDF.type and o == SH.NodeShape) or p in (SH.message, SH.name, SH.description):
                continue
            if p in (SH.property, SH.sparql, SH.minCount, SH.maxCount, SH.path, SH.severity):
                raise self.unsupported(shape, f"an sh:or member with {self.n3(p)}")
            tests.append(self.value_test(shape, p, o))
        return tests

    # ---- SPARQL-based constraints --------------------------------------------------------

    def sparql(self, shape: Node, constraint: Node) -> _Select | None:
        select = self.one(constraint, SH.select)
        if select is None:
            raise self.unsupported(shape, "an sh:sparql constraint without sh:select")
        for p, o in self.g.predicate_objects(constraint):
            if p == RDF.type and o == SH.SPARQLConstraint:
                continue
            if p not in (SH.select, SH.prefixes, SH.message, SH.deactivated):
                raise self.unsupported(shape, f"sh:sparql with {self.n3(p)}")
        prologue = []
        for source in self.g.objects(constraint, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix, namespace = self.one(decl, SH.prefix), self.one(decl, SH.namespace)
                prologue.append(f"PREFIX {prefix}: <{namespace}>")
        compiled = self.select(shape, "\n".join([*prologue, str(select)]))
        return None if self.deactivated(constraint) else compiled

    def select(self, shape: Node, text: str) -> _Select:
        """A SELECT of one basic graph pattern and FILTERs, or ``UnsupportedShape``."""
        try:
            query = prepareQuery(text)
        except Exception as exc:  # pyparsing and rdflib raise several kinds
            raise self.unsupported(shape, f"an sh:select that does not parse: {exc}") from exc
        root = query.algebra
        if root.name != "SelectQuery" or root.datasetClause or root.p.name != "Project":
            raise self.unsupported(shape, "an sh:select with modifiers or a dataset")
        part, filters = root.p.p, []
        while part.name == "Filter":
            filters.append(part.expr)
            part = part.p
        if part.name != "BGP":
            raise self.unsupported(shape, f"an sh:select with {part.name} (only BGP + FILTER)")
        patterns: list[Pattern] = list(part.triples)
        for pattern in patterns:
            if any(not isinstance(t, Variable | URIRef | Literal) for t in pattern):
                raise self.unsupported(shape, "an sh:select with blank nodes or property paths")
        variables = {t for pattern in patterns for t in pattern if isinstance(t, Variable)}
        if variables & _PRE_BOUND or THIS not in variables:
            raise self.unsupported(
                shape, "an sh:select without $this, or with $PATH/$currentShape/$shapesGraph"
            )
        for expr in filters:
            self.check_filter(shape, expr, variables)
        if not set(root.PV) & _RESULT_VARIABLES & variables:
            raise self.unsupported(shape, "an sh:select that projects no ?value/?path/?failure")
        return _Select(_join_order(patterns), [_Filter(f, _fast_filter(f)) for f in filters])

    def check_filter(self, shape: Node, expr: Any, variables: set[Variable]) -> None:
        if isinstance(expr, Variable):
            if expr not in variables:
                raise self.unsupported(shape, f"a FILTER on ?{expr}, which the pattern never binds")
        elif isinstance(expr, CompValue):
            if expr.name not in _FILTER_PARTS:
                raise self.unsupported(shape, f"a FILTER using {expr.name}")
            for key, value in expr.items():
                if key != "_vars":
                    for item in value if isinstance(value, list) else [value]:
                        self.check_filter(shape, item, variables)
        elif not isinstance(expr, URIRef | Literal | str | type(None)):
            raise self.unsupported(shape, f"a FILTER term {expr!r}")


def _join_order(patterns: Sequence[Pattern]) -> list[Pattern]:
    """Most-bound pattern first (``$this`` is bound), so every step is an index lookup."""
    todo, bound, out = list(patterns), {THIS}, []
    while todo:
        best = max(
            todo,
            key=lambda pat: sum(not isinstance(t, Variable) or t in bound for t in pat),
        )
        todo.remove(best)
        out.append(best)
        bound.update(t for t in best if isinstance(t, Variable))
    return out


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Read the shapes once; ``UnsupportedShape`` names the first construct not covered."""
    return _Compiler(shapes).compile()

"""SHACL validation of one article graph, with a report a researcher can act on.

``validate`` raises ``ValidationFailed`` listing, per violation, the focus node, the path,
the offending value and the shape's message; ``validation_report`` returns the same as data.
``load_ontology`` and ``load_shapes`` parse the shipped Turtle once per process (the
caller keeps the graphs) and name file and line when a researcher's edit broke the syntax.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from graphbuild.errors import ConfigError, ValidationFailed
from graphbuild.rdf.shape_check import CompiledShapes, UnsupportedShape, compile_shapes
from graphbuild.resources import ontology_file, shapes_file
from graphbuild.vocabulary import bind_prefixes

SH = Namespace("http://www.w3.org/ns/shacl#")
_log = logging.getLogger(__name__)


def _load_turtle(path: Path, what: str) -> Graph:
    graph = bind_prefixes(Graph(bind_namespaces="core"))
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{what} file not found",
            where=str(path),
            hint="reinstall diplograph, or run from a checkout that has it",
        ) from exc
    except BadSyntax as exc:
        raise ConfigError(
            f"{what} is not valid Turtle: {exc._why}",
            where=f"{path}:{exc.lines + 1}",
            hint="fix the Turtle syntax at that line (a missing ' .' or ';' is the usual cause)",
        ) from exc
    except (SyntaxError, ValueError) as exc:
        raise ConfigError(f"{what} is not valid Turtle: {exc}", where=str(path)) from exc
    return graph


def load_ontology(path: Path | None = None) -> Graph:
    """The Diplograph ontology (shipped ``ontology/diplograph.ttl`` unless a path is given)."""
    return _load_turtle(path or ontology_file(), "ontology")


def load_shapes(path: Path | None = None) -> Graph:
    """The SHACL shapes (shipped ``shapes/diplograph-shapes.ttl`` unless a path is given)."""
    return _load_turtle(path or shapes_file(), "shapes")


@dataclass(frozen=True)
class Violation:
    """One validation result, resolved to names a researcher recognises."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str

    def describe(self) -> str:
        lines = [f"- {self.severity}: {self.message}", f"    focus node: {self.focus}"]
        if self.path:
            lines.append(f"    path:       {self.path}")
        if self.value:
            lines.append(f"    value:      {self.value}")
        lines.append(f"    shape:      {self.shape}")
        return "\n".join(lines)


def _name(graph: Graph, node: Node | None) -> str:
    """A readable form of a node: a prefixed name when one is bound, else the IRI."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except (ValueError, KeyError):  # pragma: no cover - rdflib raises on odd IRIs
            return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node)
        return repr(text[:80] + ("..." if len(text) > 80 else ""))
    return "[blank node]"


def _node_shape(shapes: Graph, shape: Node | None) -> Node | None:
    """The named node shape a (blank) property shape belongs to."""
    if shape is None or isinstance(shape, URIRef):
        return shape
    owner = shapes.value(predicate=SH.property, object=shape)
    return owner if owner is not None else shape


def violations(report: Graph, shapes: Graph, names: Graph) -> list[Violation]:
    """The results of a pySHACL report graph, sorted for a stable report."""
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        source = report.value(result, SH.sourceShape)
        out.append(
            Violation(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=_name(names, report.value(result, SH.focusNode)),
                path=_name(names, report.value(result, SH.resultPath)),
                value=_name(names, report.value(result, SH.value)),
                message=str(report.value(result, SH.resultMessage) or ""),
                shape=_name(shapes, _node_shape(shapes, source)),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda v: (order.get(v.severity, 3), v.focus, v.path, v.message))


def validation_report(
    graph: Graph, shapes: Graph, ontology: Graph | None = None
) -> tuple[bool, Graph, str]:
    """``(conforms, report graph, readable text)``; warnings do not break conformance."""
    if not graph.store.context_aware:  # pySHACL wraps the data graph in a Dataset
        copy = Graph(identifier=graph.identifier)
        for triple in graph:
            copy.add(triple)
        graph = copy
    conforms, report, _text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        advanced=False,
    )
    names = bind_prefixes(Graph(bind_namespaces="core"))
    for prefix, ns in shapes.namespaces():
        names.bind(prefix, ns, override=False)
    found = violations(report, shapes, names)
    if not found:
        return bool(conforms), report, "conforms"
    counts = {s: sum(v.severity == s for v in found) for s in ("Violation", "Warning", "Info")}
    head = ", ".join(f"{n} {s.lower()}(s)" for s, n in counts.items() if n)
    text = "\n".join([f"{head}:", *(v.describe() for v in found)])
    return bool(conforms), report, text


@dataclass(frozen=True, eq=False)
class _ShapesKey:
    """A shapes graph by identity and size: rdflib graphs hash and compare by their name."""

    graph: Graph
    size: int

    def __hash__(self) -> int:
        return hash((id(self.graph), self.size))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _ShapesKey) and other.graph is self.graph and other.size == self.size
        )


@functools.lru_cache(maxsize=8)
def _compile_once(key: _ShapesKey) -> CompiledShapes | None:
    """The cache behind ``compiled_shapes``: one compile per shapes graph object.

    It holds the last 8 shapes graphs (a build has one). The key includes the graph's size,
    so adding or removing shapes triples recompiles; an in-place edit that keeps the size
    does not, so edit a copy (or call ``_compile_once.cache_clear()``).
    """
    try:
        return compile_shapes(key.graph)
    except UnsupportedShape as exc:
        _log.warning("%s; validating with pySHACL only", exc)
        return None


def compiled_shapes(shapes: Graph) -> CompiledShapes | None:
    """The compiled check for ``shapes``, or None when they use what it does not cover."""
    return _compile_once(_ShapesKey(shapes, len(shapes)))


def validate(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> None:
    """Raise ``ValidationFailed`` (naming the article graph) unless the graph conforms.

    The compiled check (``graphbuild.rdf.shape_check``) decides conformance, ~30x faster;
    pySHACL runs only to write the report of a graph that does not conform, and for every
    graph when the shapes use what the check does not cover or an ontology is passed
    (pySHACL merges it into the data graph, which the check does not do).
    """
    compiled = compiled_shapes(shapes) if ontology is None else None
    if compiled is not None and compiled.conforms(graph):
        return
    conforms, report, text = validation_report(graph, shapes, ontology)
    if conforms:
        return
    n = sum(1 for r in report.subjects(SH.resultSeverity, SH.Violation))
    where = str(graph.identifier) if isinstance(graph.identifier, URIRef) else None
    raise ValidationFailed(
        f"{n} SHACL violation(s); the article was not stored", report=text, where=where
    )

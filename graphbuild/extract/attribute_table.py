"""A table-driven stand-in for spaCy's ``attribute_ruler`` with the same output.

The English pipelines' attribute ruler maps tagger tags to coarse POS and morphology (and
fixes a few lemmas) through spaCy's general ``Matcher``; on ~400-word articles that costs
about as much as the parser. Its patterns only look at four token attributes, so every
single-token pattern's verdict is a function of ``(tag, lower, dep, is_space)``: we decide
each distinct key once, cache the result, and apply the ruler's own normalised attributes
with spaCy's own ``set_token_attrs`` in the ruler's order (later rules win), so a document
comes out byte-identical. Patterns using anything else are refused at compile time, and the
pipeline then keeps the original ruler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "diplograph_attribute_table"
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")

Key = tuple[str, str, str, bool]
TokenTest = Callable[[Key], bool]


class UnsupportedPattern(ValueError):
    """A ruler pattern the table cannot decide from its key; keep the original ruler."""


def _value_test(slot: int, spec: Any) -> TokenTest:
    if not isinstance(spec, dict):
        return lambda key: key[slot] == spec
    if len(spec) != 1:
        raise UnsupportedPattern(f"predicate with several operators: {spec!r}")
    ((op, arg),) = spec.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda key: key[slot] in allowed
    if op == "NOT_IN":
        refused = frozenset(arg)
        return lambda key: key[slot] not in refused
    if op == "REGEX" and slot != 3:
        rx = re.compile(arg)
        return lambda key: rx.search(str(key[slot])) is not None
    raise UnsupportedPattern(f"operator {op} is not supported")


def _token_test(spec: Mapping[str, Any]) -> TokenTest:
    tests: list[TokenTest] = []
    for attr, value in spec.items():
        if attr not in KEY_ATTRS:
            raise UnsupportedPattern(f"attribute {attr} is not supported")
        tests.append(_value_test(KEY_ATTRS.index(attr), value))
    return lambda key: all(test(key) for test in tests)


@dataclass
class AttributeTable:
    """Decides, per token key, which ruler rules apply; applies them like the ruler does."""

    attrs: list[dict[int, Any]] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)
    single: list[tuple[int, TokenTest]] = field(default_factory=list)
    multi: list[tuple[int, Sequence[TokenTest]]] = field(default_factory=list)
    _decided: dict[Key, tuple[int, ...]] = field(default_factory=dict)
    _starts: dict[Key, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_ruler(cls, ruler: AttributeRuler) -> AttributeTable:
        table = cls(attrs=list(ruler.attrs), indices=list(ruler.indices))
        for rule_id, entry in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                tests = [_token_test(tok) for tok in pattern]
                if any("OP" in tok for tok in pattern):
                    raise UnsupportedPattern("quantifiers are not supported")
                if len(tests) == 1:
                    table.single.append((rule_id, tests[0]))
                else:
                    table.multi.append((rule_id, tests))
        return table

    def _rules_for(self, key: Key) -> tuple[int, ...]:
        found = self._decided.get(key)
        if found is None:
            found = tuple(sorted({rid for rid, test in self.single if test(key)}))
            self._decided[key] = found
        return found

    def _multi_starting(self, key: Key) -> tuple[int, ...]:
        found = self._starts.get(key)
        if found is None:
            found = tuple(i for i, (_, tests) in enumerate(self.multi) if tests[0](key))
            self._starts[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        keys: list[Key] = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        hits: list[tuple[int, int]] = []  # (rule id, token index), applied in rule order
        for i, key in enumerate(keys):
            hits.extend((rid, i) for rid in self._rules_for(key))
            for m in self._multi_starting(key):
                rid, tests = self.multi[m]
                end = i + len(tests)
                if end <= len(keys) and all(
                    test(keys[j]) for test, j in zip(tests[1:], range(i + 1, end), strict=True)
                ):
                    index = self.indices[rid]
                    target = (i if index >= 0 else end) + index
                    if i <= target < end:
                        hits.append((rid, target))
        hits.sort()
        for rid, i in hits:
            token: Token = doc[i]
            set_token_attrs(token, self.attrs[rid])
        return doc


@Language.factory(FACTORY)
def make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    """Empty until :func:`compile_attribute_ruler` fills it from the model's own ruler."""
    return AttributeTable()


def compile_attribute_ruler(nlp: Language) -> bool:
    """Swap the pipeline's ``attribute_ruler`` for the table; False when kept as it is."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        table = AttributeTable.from_ruler(ruler)
    except UnsupportedPattern:
        return False
    placed = nlp.replace_pipe("attribute_ruler", FACTORY)
    if not isinstance(placed, AttributeTable):  # pragma: no cover - spaCy returns the component
        return False
    placed.attrs, placed.indices = table.attrs, table.indices
    placed.single, placed.multi = table.single, table.multi
    return True

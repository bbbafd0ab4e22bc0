"""What a query may do on a public endpoint: read, and call allow-listed SERVICE endpoints.

pyoxigraph has no hook to refuse an update form or a federated call, so the query text is
tokenised here (IRIs, strings and comments are skipped as units, prefixed names expanded)
and checked before it reaches the engine. The check fails closed: a SERVICE whose endpoint
cannot be resolved to an allow-listed IRI is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_KEYWORDS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

_PN = (  # PN_CHARS_BASE of the SPARQL grammar
    r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
    r"\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
)
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][0-9_{_PN}\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[{_PN}][\w.\-\u00B7{_PN}]*)?:(?:[\w.\-:%\u00B7{_PN}]|\\[^\s])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Refused(Exception):
    """The query asks for something this endpoint does not allow (answered with 403)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(query: str) -> Iterator[Token]:
    """Significant tokens (no whitespace or comments) of a SPARQL query or update."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group())


@dataclass(frozen=True)
class Inspection:
    form: str
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, INSERT, …"""
    services: tuple[str, ...]
    datasets: tuple[str, ...]
    """IRIs named by FROM (NAMED) and USING (NAMED)."""
    operations: tuple[str, ...] = ()
    """Update keywords in the text (INSERT, DELETE, LOAD, …), in order."""

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def inspect(query: str) -> Inspection:
    """The form of a request, the update operations in it and the IRIs it would reach."""
    toks = list(tokens(query))
    prefixes: dict[str, str] = {}
    base = ""
    form = ""
    operations: list[str] = []
    services: list[str] = []
    datasets: list[str] = []
    j = 0
    while j < len(toks):
        tok = toks[j]
        keyword = tok.text.upper() if tok.kind == "word" else ""
        if keyword == "BASE" and j + 1 < len(toks) and toks[j + 1].kind == "iri":
            base = urljoin(base, toks[j + 1].text[1:-1])
            j += 2
            continue
        if (
            keyword == "PREFIX"
            and j + 2 < len(toks)
            and toks[j + 1].kind == "pname"
            and toks[j + 2].kind == "iri"
        ):
            prefixes[toks[j + 1].text] = urljoin(base, toks[j + 2].text[1:-1])
            j += 3
            continue
        if keyword and not form:
            form = keyword
        if keyword in UPDATE_KEYWORDS:
            operations.append(keyword)
        if keyword == "SERVICE":
            k = _skip(toks, j + 1, "SILENT")
            services.append(_resolve(toks, k, base, prefixes, "SERVICE"))
        elif keyword in ("FROM", "USING"):
            k = _skip(toks, j + 1, "NAMED")
            datasets.append(_resolve(toks, k, base, prefixes, keyword))
        j += 1
    return Inspection(form, tuple(services), tuple(datasets), tuple(operations))


def _skip(toks: Sequence[Token], k: int, word: str) -> int:
    """Past an optional keyword such as SILENT or NAMED."""
    if k < len(toks) and toks[k].kind == "word" and toks[k].text.upper() == word:
        return k + 1
    return k


def _resolve(toks: Sequence[Token], k: int, base: str, prefixes: dict[str, str], what: str) -> str:
    if k >= len(toks):
        raise Refused(f"{what} without an IRI")
    tok = toks[k]
    if tok.kind == "iri":
        iri = urljoin(base, tok.text[1:-1])
    elif tok.kind == "pname":
        prefix, _, local = tok.text.rstrip(".").partition(":")
        if prefix + ":" not in prefixes:
            raise Refused(f"{what} uses the undeclared prefix '{prefix}:'")
        iri = prefixes[prefix + ":"] + local
    elif tok.kind == "var":
        raise Refused(f"{what} with a variable endpoint ({tok.text}) is not allowed")
    else:
        raise Refused(f"{what} must name an IRI")
    return iri


def check(query: str, service_allowlist: Sequence[str]) -> Inspection:
    """For the query operation: refuse updates, then anything that reaches too far."""
    found = inspect(query)
    if found.is_update:
        raise Refused(f"SPARQL Update ({found.form}) is not allowed on this read-only endpoint")
    _check_reach(found, service_allowlist)
    return found


def check_update(update: str, service_allowlist: Sequence[str]) -> Inspection:
    """For an authorised update: no LOAD (it reads files and URLs), and the query checks."""
    found = inspect(update)
    if not found.is_update:
        raise Refused(f"expected a SPARQL Update, got {found.form or 'nothing'}")
    if "LOAD" in found.operations:
        raise Refused("LOAD is not allowed: it would read local files or fetch URLs")
    _check_reach(found, service_allowlist)
    return found


def _check_reach(found: Inspection, service_allowlist: Sequence[str]) -> None:
    allowed = {_normal(url) for url in service_allowlist}
    for iri in found.services:
        if _normal(iri) not in allowed:
            if not allowed:
                raise Refused("federated queries (SERVICE) are disabled on this endpoint")
            listed = ", ".join(sorted(service_allowlist))
            raise Refused(f"SERVICE <{iri}> is not allowed; allowed endpoints: {listed}")
    for iri in found.datasets:
        if urlsplit(iri).scheme.lower() not in ("http", "https", "urn"):
            raise Refused(f"<{iri}>: only http(s) and urn graph names are allowed")


def _normal(url: str) -> str:
    return url.strip().rstrip("/")

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
    """IRIs named by FROM and FROM NAMED."""

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def inspect(query: str) -> Inspection:
    """The form of a request and the IRIs it would reach out to."""
    toks = list(tokens(query))
    prefixes: dict[str, str] = {}
    base = ""
    i = 0
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("BASE", "PREFIX"):
        if toks[i].text.upper() == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
            i += 2
        elif i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text] = urljoin(base, toks[i + 2].text[1:-1])
            i += 3
        else:
            break
    form = toks[i].text.upper() if i < len(toks) and toks[i].kind == "word" else ""
    services: list[str] = []
    datasets: list[str] = []
    for j, tok in enumerate(toks):
        keyword = tok.text.upper() if tok.kind == "word" else ""
        if keyword == "SERVICE":
            k = j + 1
            if k < len(toks) and toks[k].kind == "word" and toks[k].text.upper() == "SILENT":
                k += 1
            services.append(_resolve(toks, k, base, prefixes, "SERVICE"))
        elif keyword == "FROM":
            k = j + 1
            if k < len(toks) and toks[k].kind == "word" and toks[k].text.upper() == "NAMED":
                k += 1
            datasets.append(_resolve(toks, k, base, prefixes, "FROM"))
    return Inspection(form, tuple(services), tuple(datasets))


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
    """Refuse updates, non-allow-listed SERVICE endpoints and local (``file:``) datasets."""
    found = inspect(query)
    if found.is_update:
        raise Refused(f"SPARQL Update ({found.form}) is not allowed on this read-only endpoint")
    allowed = {_normal(url) for url in service_allowlist}
    for iri in found.services:
        if _normal(iri) not in allowed:
            if not allowed:
                raise Refused("federated queries (SERVICE) are disabled on this endpoint")
            listed = ", ".join(sorted(service_allowlist))
            raise Refused(f"SERVICE <{iri}> is not allowed; allowed endpoints: {listed}")
    for iri in found.datasets:
        if urlsplit(iri).scheme.lower() not in ("http", "https", "urn"):
            raise Refused(f"FROM <{iri}>: only http(s) and urn graph names are allowed")
    return found


def _normal(url: str) -> str:
    return url.strip().rstrip("/")

"""What a query may do on a public endpoint: read, and call allow-listed SERVICE endpoints.

pyoxigraph has no hook to refuse an update form or a federated call and does not expose its
parsed query, so the text is read here, the way pyoxigraph 0.5's parser reads it (each rule
below was checked against the engine; ``tests/test_server_guard.py`` keeps checking):

* ``\\uXXXX``/``\\UXXXXXXXX`` escapes are decoded inside IRIs and strings only (the engine has
  no whole-text pre-pass: ``\\u0053ELECT`` is a syntax error, and ``"a\\u0022"`` is one
  string). Reading the text with SPARQL 1.1's pre-pass instead would let a string hide code.
* IRIs, strings and ``#`` comments are the only units whose contents are not code.
* Keywords need no word boundary: the engine reads ``SERVICEx:e {…}`` as ``SERVICE x:e {…}``
  and ``?s ?p trueSERVICE<…>{…}`` as ``true`` then ``SERVICE``. So any bare word or prefix
  name that *contains* SERVICE (or LOAD, for updates) counts as one, and the endpoint is what
  the engine would read after it.

The check fails closed: a SERVICE whose endpoint cannot be resolved to an allow-listed IRI is
refused. It is not the only line: the worker processes cannot connect anywhere else either
(``server.sandbox``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Generator, Iterator, Sequence
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
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][0-9_{_PN}\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?
              |[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<pname>(?:[{_PN}][\w.\-\u00B7{_PN}]*)?:(?:[\w.\-:%\u00B7{_PN}]|\\[^\s])*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(_UCHAR)
_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")


class GuardError(Exception):
    """The query is not run: the subclass says why, and so which HTTP status answers it."""


class Refused(GuardError):
    """The query asks for something this endpoint does not allow (answered with 403)."""


class TooDeep(GuardError):
    """The query nests deeper than ``max_query_nesting`` (answered with 400, never evaluated:
    the engine's parser recurses per level and overflows its stack at a few thousand)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str

    @property
    def value(self) -> str:
        """An IRI's text between the brackets with its escapes decoded, as the engine reads it."""
        if self.kind != "iri":
            return self.text
        return _ESCAPE.sub(lambda m: _decode(m.group()), self.text[1:-1])


def _decode(escape: str) -> str:
    try:
        return chr(int(escape[2:], 16))
    except (ValueError, OverflowError):  # past U+10FFFF: the engine rejects the query
        return "\ufffd"


def tokens(query: str) -> Iterator[Token]:
    """Significant tokens (no whitespace or comments) of a SPARQL query or update."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group())


Pattern = tuple[str | None, str | None, str | None]
"""A triple pattern's subject, predicate and object IRIs; ``None`` for a variable, a literal
or anything else that is not one IRI (a wildcard when the pattern is looked up)."""


@dataclass(frozen=True)
class Inspection:
    form: str
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, INSERT, …"""
    services: tuple[str, ...]
    datasets: tuple[str, ...]
    """IRIs named by FROM (NAMED) and USING (NAMED)."""
    operations: tuple[str, ...] = ()
    """Update keywords in the text (INSERT, DELETE, LOAD, …), in order."""
    depth: int = 0
    """Deepest nesting of brackets (``{ ( [ <<``) and runs of ``!``."""
    one_scan: bool = False
    """The query is one index scan that streams (:func:`one_scan`)."""
    required: tuple[Pattern, ...] = ()
    """Triple patterns every solution must match (:func:`required_patterns`)."""

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def nesting(toks: Sequence[Token]) -> int:
    """How deep the query nests: what the engine's recursive descent will recurse through."""
    depth = deepest = run = 0
    previous = ""
    for tok in toks:
        text = tok.text if tok.kind == "other" else ""
        if text in _OPENERS or (text == "<" and previous == "<"):
            depth += 1
        elif text in _CLOSERS or (text == ">" and previous == ">"):
            depth = max(0, depth - 1)
        run = run + 1 if text == "!" else 0
        deepest = max(deepest, depth + run)
        previous = "" if previous == text and text in "<>" else text
    return deepest


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
    body = 0  # where the prologue (BASE, PREFIX) ends
    while j < len(toks):
        tok = toks[j]
        keyword = tok.text.upper() if tok.kind == "word" else ""
        if keyword == "BASE" and j + 1 < len(toks) and toks[j + 1].kind == "iri":
            base = urljoin(base, toks[j + 1].value)
            j += 2
            continue
        if (
            keyword == "PREFIX"
            and j + 2 < len(toks)
            and toks[j + 1].kind == "pname"
            and toks[j + 2].kind == "iri"
        ):
            prefixes[toks[j + 1].text] = urljoin(base, toks[j + 2].value)
            j += 3
            continue
        if keyword and not form:
            form = keyword
            body = j
        if keyword in UPDATE_KEYWORDS:
            operations.append(keyword)
        elif _keyword_in(tok, "LOAD") is not None:  # LOADx:y: the engine reads LOAD x:y
            operations.append("LOAD")
        after = _keyword_in(tok, "SERVICE")
        if after is not None:
            services += _endpoints(tok.text[after:], toks, j + 1, base, prefixes)
        elif keyword in ("FROM", "USING"):
            k = _skip(toks, j + 1, "NAMED")
            datasets.append(_resolve(toks, k, base, prefixes, keyword))
        j += 1
    return Inspection(
        form,
        tuple(services),
        tuple(datasets),
        tuple(operations),
        nesting(toks),
        one_scan(toks[body:]) if form else False,
        required_patterns(toks[body:], base, prefixes) if form and not services else (),
    )


_SUBJECTS = frozenset({"var", "iri", "pname"})
_OBJECTS = frozenset({"var", "iri", "pname", "string", "number"})


def one_scan(toks: Sequence[Token]) -> bool:
    """Whether the query (after its prologue) is ``DESCRIBE`` of one IRI, or ``ASK`` or
    ``SELECT`` (``*`` or variables, optional ``LIMIT``) of one triple pattern whose subject
    or object is given: nothing but one index scan of one node's triples, which the engine
    streams (no sort, grouping, path, filter or dataset), so reading its first rows costs
    about as much as the rows. The server answers these in the request thread, up to a few
    rows (``server.sparql``)."""

    def at(k: int, text: str) -> bool:
        return (
            k < len(toks)
            and toks[k].text.upper() == text
            and toks[k].kind
            in (
                "word",
                "other",
            )
        )

    if not toks:
        return False
    head = toks[0].text.upper() if toks[0].kind == "word" else ""
    if head == "DESCRIBE":
        return len(toks) == 2 and toks[1].kind in ("iri", "pname")
    k = 1
    if head == "SELECT":
        if at(k, "*"):
            k += 1
        elif k < len(toks) and toks[k].kind == "var":
            while k < len(toks) and toks[k].kind == "var":
                k += 1
        else:
            return False
    elif head != "ASK":
        return False
    if at(k, "WHERE"):
        k += 1
    if not at(k, "{") or k + 4 >= len(toks):
        return False
    s, p, o = toks[k + 1 : k + 4]
    if s.kind not in _SUBJECTS or o.kind not in _OBJECTS:
        return False
    if p.kind not in _SUBJECTS and not (p.kind == "word" and p.text == "a"):
        return False
    if s.kind == "var" and o.kind == "var":
        return False  # a whole predicate's triples: not one node's
    k += 4
    if at(k, "."):
        k += 1
    if not at(k, "}"):
        return False
    k += 1
    if head == "SELECT" and at(k, "LIMIT") and k + 1 < len(toks) and toks[k + 1].kind == "number":
        k += 2
    return k == len(toks)


_GROUP_KEYWORDS = frozenset({"OPTIONAL", "MINUS", "UNION"})
_PATH_TOKENS = frozenset("^/|()*+?!")
_GIVE_UP = frozenset({"VALUES", "SERVICE", "SELECT"})
"""Not read for required patterns: inline data and subqueries can make rows out of nothing,
which an empty answer would have to reproduce, and a SERVICE is evaluated remotely."""


class _Unread(Exception):
    """The text holds something :func:`required_patterns` does not read: no patterns."""


def required_patterns(
    toks: Sequence[Token], base: str, prefixes: dict[str, str]
) -> tuple[Pattern, ...]:
    """The plain triple patterns of a ``SELECT``, ``ASK`` or ``CONSTRUCT`` query's outermost
    group (not under ``OPTIONAL``, ``MINUS``, ``UNION``, ``GRAPH``, ``FILTER`` or a nested
    group): every solution matches each of them, so when one matches no triple of the store
    in any graph, the query has no solution (SPARQL 1.1, 18.2: a group is the join of its
    parts). The server then answers from an empty store instead of running the query
    (``server.executor.InThread``): an engine that plans without statistics may scan for
    seconds before it reaches the pattern that matches nothing. Anything this reader does
    not know gives no patterns, never a wrong one."""
    if not toks or toks[0].kind != "word":
        return ()
    form = toks[0].text.upper()
    if form not in ("SELECT", "ASK", "CONSTRUCT"):
        return ()
    if any(tok.kind == "word" and tok.text.upper() in _GIVE_UP for tok in toks[1:]):
        return ()
    toks = list(_split_trailing_dots(toks))
    try:
        start = _where_group(toks, form)
        return tuple(dict.fromkeys(_group_patterns(toks, start, base, prefixes)))
    except (_Unread, IndexError, Refused):
        return ()


def _split_trailing_dots(toks: Sequence[Token]) -> Iterator[Token]:
    """``dg:Meeting.`` is ``dg:Meeting`` and ``.``: a local name cannot end with a dot."""
    for tok in toks:
        if tok.kind == "pname" and tok.text.endswith(".") and not tok.text.endswith("\\."):
            name = tok.text.rstrip(".")
            yield Token("pname", name)
            for _ in range(len(tok.text) - len(name)):
                yield Token("other", ".")
        else:
            yield tok


def _where_group(toks: Sequence[Token], form: str) -> int:
    """Where the query's pattern group opens (the index of its ``{``)."""
    k = 1
    if form == "CONSTRUCT":
        if _is(toks[k], "{"):  # the template; WHERE must follow
            k = _past_balanced(toks, k)
        elif not _is(toks[k], "WHERE"):
            raise _Unread
    depth = 0
    while not (depth == 0 and _is(toks[k], "{")):
        if _is(toks[k], "("):
            depth += 1
        elif _is(toks[k], ")"):
            depth -= 1
        elif _is(toks[k], "{") or _is(toks[k], "}"):
            raise _Unread
        k += 1
    return k


def _group_patterns(
    toks: Sequence[Token], start: int, base: str, prefixes: dict[str, str]
) -> Iterator[Pattern]:
    k = start + 1
    while not _is(toks[k], "}"):
        tok = toks[k]
        word = tok.text.upper() if tok.kind == "word" else ""
        if _is(tok, "{"):
            k = _past_balanced(toks, k)
        elif word in _GROUP_KEYWORDS:
            k = _past_balanced(toks, k + 1) if _is(toks[k + 1], "{") else k + 1
        elif word == "GRAPH":
            k = _past_balanced(toks, k + 2)
        elif word == "BIND":
            k = _past_balanced(toks, k + 1)
        elif word == "FILTER":
            k = _past_filter(toks, k + 1)
        elif _is(tok, "."):
            k += 1
        elif tok.kind in ("var", "iri", "pname"):
            k = yield from _triples(toks, k, base, prefixes)
        else:
            raise _Unread
    return


def _triples(
    toks: Sequence[Token], k: int, base: str, prefixes: dict[str, str]
) -> Generator[Pattern, None, int]:
    """The patterns of one subject's predicate-object list; returns where it ends."""
    subject = _iri(toks[k], base, prefixes)
    k += 1
    while True:
        pred = toks[k]
        simple = pred.kind in ("var", "iri", "pname") or (pred.kind == "word" and pred.text == "a")
        if simple and not (toks[k + 1].kind == "other" and toks[k + 1].text in _PATH_TOKENS):
            predicate = RDF_TYPE if pred.kind == "word" else _iri(pred, base, prefixes)
            k += 1
        else:  # a property path: read past it, no pattern
            simple = False
            predicate = None
            while (
                toks[k].kind in ("iri", "pname")
                or (toks[k].kind == "other" and toks[k].text in _PATH_TOKENS)
                or (toks[k].kind == "word" and toks[k].text == "a")
            ):
                k += 1
        while True:
            obj, k = _object(toks, k, base, prefixes)
            if simple:
                yield (subject, predicate, obj)
            if _is(toks[k], ","):
                k += 1
                continue
            break
        if _is(toks[k], ";"):
            while _is(toks[k], ";"):
                k += 1
            if _is(toks[k], ".") or _is(toks[k], "}"):
                return k
            continue
        return k


def _object(
    toks: Sequence[Token], k: int, base: str, prefixes: dict[str, str]
) -> tuple[str | None, int]:
    tok = toks[k]
    if tok.kind in ("var", "iri", "pname"):
        return _iri(tok, base, prefixes), k + 1
    if tok.kind == "number" or (tok.kind == "word" and tok.text in ("true", "false")):
        return None, k + 1
    if tok.kind == "string":
        k += 1
        if _is(toks[k], "@"):
            k += 2
            while _is(toks[k], "-"):
                k += 2
        elif _is(toks[k], "^") and _is(toks[k + 1], "^"):
            k += 3
        return None, k
    raise _Unread  # blank nodes, collections, quoted triples


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _iri(tok: Token, base: str, prefixes: dict[str, str]) -> str | None:
    if tok.kind == "var":
        return None
    return _resolve([tok], 0, base, prefixes, "a pattern")


def _past_filter(toks: Sequence[Token], k: int) -> int:
    """Past a FILTER's constraint: a bracketed expression, a call, or [NOT] EXISTS {…}."""
    if _is(toks[k], "("):
        return _past_balanced(toks, k)
    if _is(toks[k], "NOT"):
        k += 1
    if _is(toks[k], "EXISTS"):
        return _past_balanced(toks, k + 1)
    if toks[k].kind in ("word", "pname", "iri") and _is(toks[k + 1], "("):
        return _past_balanced(toks, k + 1)
    raise _Unread


def _past_balanced(toks: Sequence[Token], k: int) -> int:
    """Past the bracket that opens at ``k`` and everything up to the one that closes it."""
    if not (toks[k].kind == "other" and toks[k].text in _OPENERS):
        raise _Unread
    depth = 0
    while True:
        tok = toks[k]
        if tok.kind == "other" and tok.text in _OPENERS:
            depth += 1
        elif tok.kind == "other" and tok.text in _CLOSERS:
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1


def _is(tok: Token, text: str) -> bool:
    """A punctuation mark or keyword (keywords in any case)."""
    if tok.kind == "other":
        return tok.text == text
    return tok.kind == "word" and tok.text.upper() == text


def _keyword_in(tok: Token, keyword: str) -> int | None:
    """Where the text after ``keyword`` starts, if the engine may read that keyword in
    ``tok``: anywhere in a bare word, or in a prefix name's prefix (``SERVICEx:`` is
    ``SERVICE x:``); never in a variable's name, a local name, an IRI or a string."""
    if tok.kind == "word":
        where = tok.text
    elif tok.kind == "pname":
        where = tok.text.partition(":")[0]
    else:
        return None
    found = re.search(keyword, where, re.IGNORECASE)
    return None if found is None else found.end()


def _endpoints(
    rest: str, toks: Sequence[Token], k: int, base: str, prefixes: dict[str, str]
) -> list[str]:
    """The endpoints the engine may call for a SERVICE keyword that ended with ``rest`` of its
    token: with an optional SILENT, which may be glued too (``SERVICE silent:e`` is read as
    ``SERVICE SILENT :e`` when ``:`` is declared, else as ``SERVICE silent:e``); every
    reading is returned, so each has to be allowed."""
    if rest:  # glued: what is left of the token must be [SILENT] and a prefixed name
        if rest.upper().startswith("SILENT"):
            rest = rest[len("SILENT") :]
            if not rest:
                return [_resolve(toks, k, base, prefixes, "SERVICE")]
        if ":" not in rest:
            raise Refused("SERVICE must name an IRI")
        return [_resolve([Token("pname", rest)], 0, base, prefixes, "SERVICE")]
    if k < len(toks) and toks[k].kind == "word" and toks[k].text.upper() == "SILENT":
        return [_resolve(toks, k + 1, base, prefixes, "SERVICE")]
    if k < len(toks) and toks[k].kind == "pname" and toks[k].text.upper().startswith("SILENT"):
        readings = [_resolve(toks, k, base, prefixes, "SERVICE")]
        if ":" in toks[k].text[len("SILENT") :]:
            pname = Token("pname", toks[k].text[len("SILENT") :])
            readings.append(_resolve([pname], 0, base, prefixes, "SERVICE"))
        return readings
    return [_resolve(toks, k, base, prefixes, "SERVICE")]


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
        iri = urljoin(base, tok.value)
    elif tok.kind == "pname":
        prefix, _, local = tok.text.rstrip(".").partition(":")
        if prefix + ":" not in prefixes:
            raise Refused(f"{what} uses the undeclared prefix '{prefix}:'")
        iri = prefixes[prefix + ":"] + re.sub(r"\\(.)", r"\1", local)
    elif tok.kind == "var":
        raise Refused(f"{what} with a variable endpoint ({tok.text}) is not allowed")
    else:
        raise Refused(f"{what} must name an IRI")
    return iri


CACHED_TEXT_CHARS = 8192
"""Queries up to this long keep their inspection (:func:`inspected`)."""


@functools.lru_cache(maxsize=512)
def _inspected(query: str) -> Inspection:
    return inspect(query)


def inspected(query: str) -> Inspection:
    """:func:`inspect`, kept for the last few hundred query texts: reading a text costs
    0.05-0.2 ms of Python per request, and clients send the same queries again and again (a
    page's, an example's, a researcher's while refining the next). The inspection depends
    on the text alone, so a kept one is exact."""
    if len(query) > CACHED_TEXT_CHARS:
        return inspect(query)
    return _inspected(query)


def check(query: str, service_allowlist: Sequence[str], max_nesting: int = 0) -> Inspection:
    """For the query operation: refuse updates, then anything that nests or reaches too far."""
    found = inspected(query)
    _check_depth(found, max_nesting)
    if found.is_update:
        raise Refused(f"SPARQL Update ({found.form}) is not allowed on this read-only endpoint")
    _check_reach(found, service_allowlist)
    return found


def check_update(update: str, service_allowlist: Sequence[str], max_nesting: int = 0) -> Inspection:
    """For an authorised update: no LOAD (it reads files and URLs), and the query checks."""
    found = inspect(update)
    _check_depth(found, max_nesting)
    if not found.is_update:
        raise Refused(f"expected a SPARQL Update, got {found.form or 'nothing'}")
    if "LOAD" in found.operations:
        raise Refused("LOAD is not allowed: it would read local files or fetch URLs")
    _check_reach(found, service_allowlist)
    return found


def _check_depth(found: Inspection, max_nesting: int) -> None:
    if max_nesting > 0 and found.depth > max_nesting:
        raise TooDeep(
            f"the query nests {found.depth} levels deep (brackets, groups, '!'); "
            f"this endpoint allows {max_nesting} (max_query_nesting)"
        )


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

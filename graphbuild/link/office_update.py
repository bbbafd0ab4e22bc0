"""Office holders kept current from Wikidata itself (``diplograph gazetteer update``).

The shipped ``data/gazetteer/office-holders.tsv`` stops where its sources stopped. This module
asks the Wikidata Query Service (WDQS, CC0 data) for terms of office (position held, P39, with
its start P580 and end P582 qualifiers, and the head of state / government statements P35 and
P6 of each state) and writes them in the shipped table's own format to a file of their own,
which ``graphbuild.link.office_holders`` merges with the shipped table (newer terms win where
the two overlap). The shipped file is never written, except when ``--full`` regenerates it.

How it asks:

* one batch per state (its QID from the gazetteer's countries.tsv, states and territories the
  shipped table has rows for), one for heads of international organisations (organisations.tsv
  items with a QID); each batch is one query, read in pages with LIMIT/OFFSET so no answer is
  large;
* politely: one request at a time, a User-Agent naming the project, retries with exponential
  backoff on 429, 5xx, timeouts and cut-off answers, honouring ``Retry-After``;
* resumably: each batch's rows are saved (atomically) in a folder beside the output as soon as
  they are complete, so an interrupted run asks only the batches it lacks when run again; the
  output is written (atomically) only when every batch is there, then the folder is removed.

Every row names its source: a key declared in the header with the date the service answered and
``ENDPOINT#BATCH@sha256:HASH``, the hash of the exact query text, whose template the header
quotes. The output depends only on the answers, their dates, the endpoint and the gazetteer, so
the same answers give the same file byte for byte.

Identifiers in the queries, each as found in a stored public query (no QID is from memory):

* P35, P6 (head of state / government statements on a state), P1906, P1313 (the offices held
  by them), P39, P580, P582: cfmessias/geografia@2e1e3b9cf6bff86186ae26376a2deafdbd9c67e3
  scripts/fetch_leaders.py (the query behind source [B] of the shipped table); P1906, P1313,
  P39, P580, P582, P31 and Q5 (human) also in every-politician-scrapers/world-leaders-2021
  @48023e8ead848caba77286d693576d27ed82e420 bin/scraper/wikidata.rb (source [A2]).
* Q7330070 with ``wdt:P279*`` and ``wdt:P1001`` (foreign-minister offices of a jurisdiction)
  and the deprecated-rank filter: every-politician-scrapers/world
  @4a759fe5f59351e000412c505299d70943e2dbd7 sources/foreign/wikidata.js (source [A3]).
* Q83307 with ``wdt:P279*`` and ``wdt:P1001`` (ministerial offices of a jurisdiction):
  every-politician-scrapers/united-kingdom-cabinet@0ca6903407e593e10036fb1a1e00c4c2659714e0
  wikidata/queries/all-ministers.js.
* ``wdt:P31 [ wdt:P31 wd:Q29918328 ; wdt:P17 ?state ]`` (a state's ambassador offices):
  every-politician-scrapers/world@8cd9225a8b8dbe5bc63df4a014b49bafbba3297e
  sources/ambassadors-to-estonia/wikidata.js.
* P2388 (the office held by the head of an organisation): every-politician-scrapers/venezuela
  @0efa63ed39e5d076224016ef90f609e1316dd514 wikidata/queries/ministries.js.
* The positions the shipped table lists for a state (its ``position_qid`` column, each with a
  source) are asked too, so every office the table covers stays covered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import http.client
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from graphbuild import __version__
from graphbuild.errors import ConfigError, DiplographError
from graphbuild.link.gazetteer import is_acronym
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.office_holders import COLUMNS, OFFICES, TABLE
from graphbuild.resources import gazetteer_dir

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
PROJECT_URL = "https://w3id.org/diplograph/"
SINCE_YEAR = 2015  # the shipped table's span: terms ending in 2015 or later, or still open
PAGE_ROWS = 5000
ENTITY = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^Q[1-9][0-9]*$")
_STATE_BATCH = "state-"
ORGANISATIONS_BATCH = "organisations"
BATCH_FORMAT = 1


class WikidataUpdateError(DiplographError):
    """The Query Service could not be asked, refused, or answered something unusable."""


class WikidataUnreachable(WikidataUpdateError):
    """No connection to the Query Service at all (offline, DNS, refused)."""


# ---- the queries ---------------------------------------------------------------------------------

_TERM_PATTERNS = """\
  ?person wdt:P31 wd:Q5 .
  FILTER NOT EXISTS { ?statement wikibase:rank wikibase:DeprecatedRank }
  OPTIONAL { ?statement pqv:P580 ?startNode .
             ?startNode wikibase:timeValue ?start ; wikibase:timePrecision ?startPrecision . }
  OPTIONAL { ?statement pq:P582 ?endValue . }
  OPTIONAL { ?statement pqv:P582 ?endNode .
             ?endNode wikibase:timeValue ?end ; wikibase:timePrecision ?endPrecision . }
  FILTER(!BOUND(?end) || YEAR(?end) >= $since)
  OPTIONAL { ?person rdfs:label ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?person rdfs:label ?mul . FILTER(LANG(?mul) = "mul") }
  OPTIONAL { ?position rdfs:label ?positionEn . FILTER(LANG(?positionEn) = "en") }
  OPTIONAL { ?position rdfs:label ?positionMul . FILTER(LANG(?positionMul) = "mul") }
}
ORDER BY ?statement ?kind ?position ?start ?end ?startPrecision ?endPrecision ?en ?mul"""

_SELECT = """\
SELECT ?statement ?kind ?party ?person ?en ?mul ?position ?positionEn ?positionMul
       ?start ?startPrecision ?endValue ?end ?endPrecision"""

STATE_TEMPLATE = Template(
    f"""\
# Diplograph office-holder update, batch $batch: terms of office of one state
{_SELECT}
WHERE {{
  VALUES ?state {{ wd:$state }}
  BIND("$party" AS ?party)
  {{ ?state p:P35 ?statement . ?statement ps:P35 ?person . BIND("P35" AS ?kind) }}
  UNION {{ ?state p:P6 ?statement . ?statement ps:P6 ?person . BIND("P6" AS ?kind) }}
  UNION {{ ?state wdt:P1906 ?position . ?person p:P39 ?statement .
          ?statement ps:P39 ?position . BIND("P1906" AS ?kind) }}
  UNION {{ ?state wdt:P1313 ?position . ?person p:P39 ?statement .
          ?statement ps:P39 ?position . BIND("P1313" AS ?kind) }}
  UNION {{ ?position wdt:P279* wd:Q7330070 ; wdt:P1001 ?state . ?person p:P39 ?statement .
          ?statement ps:P39 ?position . BIND("foreign minister" AS ?kind) }}
  UNION {{ ?position wdt:P279* wd:Q83307 ; wdt:P1001 ?state . ?person p:P39 ?statement .
          ?statement ps:P39 ?position . BIND("minister" AS ?kind) }}
  UNION {{ ?position wdt:P31 [ wdt:P31 wd:Q29918328 ; wdt:P17 ?state ] .
          ?person p:P39 ?statement . ?statement ps:P39 ?position . BIND("ambassador" AS ?kind) }}
$listed
{_TERM_PATTERNS}"""
)
LISTED_TEMPLATE = Template(
    """\
  UNION { VALUES ?position { $positions }
          ?person p:P39 ?statement . ?statement ps:P39 ?position . BIND("listed" AS ?kind) }"""
)
ORGANISATIONS_TEMPLATE = Template(
    f"""\
# Diplograph office-holder update, batch $batch: heads of international organisations
{_SELECT}
WHERE {{
  VALUES (?body ?party) {{ $bodies }}
  ?body wdt:P2388 ?position .
  ?person p:P39 ?statement . ?statement ps:P39 ?position . BIND("P2388" AS ?kind)
{_TERM_PATTERNS}"""
)

# What the ?kind of a binding makes of a term ("listed": the shipped table's category).
_KIND_OFFICE = {
    "P35": "head of state",
    "P1906": "head of state",
    "P6": "head of government",
    "P1313": "head of government",
    "foreign minister": "foreign minister",
    "minister": "other minister",
    "ambassador": "other",
    "P2388": "international organisation head",
}
# When one statement is found several ways: the shipped table's category first (so terms
# compare with its rows), then the most specific.
_KIND_ORDER = (
    "listed", "P1906", "P1313", "P35", "P6", "foreign minister", "P2388", "minister",
    "ambassador",
)  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """One query: the terms of one state, or the heads of the listed organisations."""

    id: str
    text: str
    """The query without LIMIT/OFFSET; its sha256 names it in the sources."""
    listed: Mapping[str, str] = field(default_factory=dict)
    """Position QID -> office category, for the shipped table's positions of a state."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def page(self, limit: int, offset: int) -> str:
        return f"{self.text}\nLIMIT {limit} OFFSET {offset}\n"


@dataclass(frozen=True)
class ShippedTable:
    """What the update needs from the shipped table: its positions and its terms."""

    sha256: str
    positions: Mapping[str, Mapping[str, str]]
    """Party (ISO code or organisation) -> position QID -> office category."""
    terms: frozenset[tuple[str, ...]]
    """(qid, office, iso2, organisation, start, end, position_qid) of every row."""


def read_shipped(path: Path) -> ShippedTable:
    """The shipped table's positions per state and its terms, read plainly (no index)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the office-holder table: {exc}", where=str(path)) from exc
    positions: dict[str, dict[str, str]] = defaultdict(dict)
    terms: set[tuple[str, ...]] = set()
    header: list[str] | None = None
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(header) != COLUMNS:
                raise ConfigError(f"columns {header}, expected {COLUMNS}", where=f"{path}:{number}")
            continue
        if len(cells) != len(COLUMNS):
            raise ConfigError(
                f"{len(cells)} cells, expected {len(COLUMNS)}", where=f"{path}:{number}"
            )
        row = dict(zip(COLUMNS, cells, strict=True))
        party = row["iso2"] or row["organisation"]
        if row["position_qid"]:
            positions[party].setdefault(row["position_qid"], row["office"])
        terms.add(_term_key(row))
    return ShippedTable(hashlib.sha256(data).hexdigest(), positions, frozenset(terms))


def _term_key(row: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(
        row[c] for c in ("qid", "office", "iso2", "organisation", "start", "end", "position_qid")
    )


def short_name(label: str, aliases: Iterable[str]) -> str:
    """An organisation's name in the table's ``organisation`` column: its acronym if it has one
    ("UN", "WTO", "ICJ", as the shipped rows have them), else its label."""
    if is_acronym(label):
        return label
    return next((a for a in aliases if is_acronym(a) and "." not in a), label)


def plan_batches(shipped: ShippedTable, directory: Path | None = None) -> list[Batch]:
    """The batches of a full update, in a fixed order: states by ISO code, then organisations.

    States are the gazetteer's countries with a QID, and territories the shipped table has
    rows for; organisations are those of organisations.tsv with a QID.
    """
    gazetteer = load_gazetteer(directory)
    states: dict[str, str] = {}
    bodies: dict[str, str] = {}
    shipped_parties = {t[2] for t in shipped.terms} | set(shipped.positions)
    for entry in gazetteer.entries:
        if entry.qid is None or not _QID.match(entry.qid):
            continue
        if entry.type == "Country" and entry.iso2:
            states[entry.iso2] = entry.qid
        elif entry.type == "Place" and entry.kind == "territory" and entry.iso2:
            if entry.iso2 in shipped_parties:
                states[entry.iso2] = entry.qid
        elif entry.type == "Organization":
            bodies.setdefault(entry.qid, short_name(entry.label, entry.aliases))
    batches = []
    for iso2 in sorted(states):
        listed = dict(sorted(shipped.positions.get(iso2, {}).items(), key=lambda i: _number(i[0])))
        listed_text = (
            LISTED_TEMPLATE.substitute(positions=" ".join(f"wd:{q}" for q in listed))
            if listed
            else ""
        )
        batch_id = f"{_STATE_BATCH}{iso2}"
        text = STATE_TEMPLATE.substitute(
            batch=batch_id, state=states[iso2], party=iso2, listed=listed_text, since=SINCE_YEAR
        )
        batches.append(Batch(batch_id, text, listed))
    if bodies:
        values = " ".join(
            f"(wd:{qid} {json.dumps(name, ensure_ascii=False)})"
            for qid, name in sorted(bodies.items(), key=lambda i: _number(i[0]))
        )
        text = ORGANISATIONS_TEMPLATE.substitute(
            batch=ORGANISATIONS_BATCH, bodies=values, since=SINCE_YEAR
        )
        batches.append(Batch(ORGANISATIONS_BATCH, text))
    return batches


def _number(qid: str) -> int:
    return int(qid[1:])


# ---- the Query Service client --------------------------------------------------------------------


def default_user_agent() -> str:
    """Names the project and where to reach it, as the Wikimedia User-Agent policy asks."""
    return f"diplograph/{__version__} ({PROJECT_URL}; office-holder update) Python-urllib"


Binding = Mapping[str, Mapping[str, str]]


class _Retry(Exception):
    """A failure worth asking again about, with the pause the service asked for (if any)."""

    def __init__(self, reason: str, wait_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_s = wait_s


@dataclass
class QueryService:
    """SPARQL SELECT against the Query Service, one request at a time, retried politely."""

    endpoint: str = DEFAULT_ENDPOINT
    timeout_s: float = 90.0
    user_agent: str = field(default_factory=default_user_agent)
    attempts: int = 5
    backoff_s: float = 2.0
    max_wait_s: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0

    def __post_init__(self) -> None:
        if urllib.parse.urlsplit(self.endpoint).scheme not in ("http", "https"):
            raise ConfigError(
                f"the SPARQL endpoint must be an http(s) URL, got {self.endpoint!r}",
                hint=f"the Wikidata Query Service is {DEFAULT_ENDPOINT}",
            )
        if self.timeout_s <= 0 or self.attempts < 1:
            raise ConfigError("timeout_s must be positive and attempts at least 1")

    def select(self, query: str) -> list[Binding]:
        """The bindings of a SELECT; retries 429, 5xx, timeouts and cut-off answers."""
        last = ""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._select_once(query)
            except _Retry as retry:
                last = retry.reason
                if attempt == self.attempts:
                    break
                wait = retry.wait_s
                if wait is None:
                    wait = self.backoff_s * 2 ** (attempt - 1)
                if wait > self.max_wait_s:
                    raise WikidataUpdateError(
                        f"the Wikidata Query Service asks to wait {wait:.0f} s ({last}); "
                        "run the update again later, it resumes where it stopped"
                    ) from None
                self.sleep(wait)
        raise WikidataUpdateError(
            f"the Wikidata Query Service failed {self.attempts} times ({last}); "
            "run the update again later, it resumes where it stopped",
            where=self.endpoint,
        )

    def _select_once(self, query: str) -> list[Binding]:
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={
                "User-Agent": self.user_agent,
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            try:
                detail = _first_line(exc.read(2000))
            except (OSError, http.client.HTTPException):
                detail = ""
            finally:
                exc.close()
            if exc.code == 429 or exc.code >= 500:
                wait = _retry_after(exc.headers.get("Retry-After"))
                raise _Retry(f"HTTP {exc.code} {exc.reason}{detail}", wait) from None
            raise WikidataUpdateError(
                f"the Wikidata Query Service refused the query: HTTP {exc.code} "
                f"{exc.reason}{detail}",
                where=self.endpoint,
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Retry(f"no answer within {self.timeout_s:g} s") from None
            raise WikidataUnreachable(
                f"cannot reach the Wikidata Query Service at {self.endpoint} "
                f"({_reason(exc.reason)})"
            ) from None
        except TimeoutError:
            raise _Retry(f"no answer within {self.timeout_s:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Retry(f"the connection broke ({_reason(exc)})") from None
        return _bindings(raw)


def _bindings(raw: bytes) -> list[Binding]:
    """The ``results.bindings`` of SPARQL JSON results; a cut-off or other answer is retried
    (the Query Service streams answers and cuts them when a query runs out of time)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Retry("the answer is not SPARQL JSON results (cut off or malformed)") from None
    results = data.get("results") if isinstance(data, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list) or not all(
        isinstance(b, dict)
        and all(isinstance(v, dict) and isinstance(v.get("value"), str) for v in b.values())
        for b in bindings
    ):
        raise _Retry("the answer has no SPARQL JSON results.bindings list")
    return bindings


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().splitlines()
    return f": {text[0][:200]}" if text else ""


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


# ---- answers -> rows -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class UpdateRow:
    """One term of office as the update writes it (the table's columns but aliases, source)."""

    qid: str
    label: str
    other_label: str
    office: str
    iso2: str
    organisation: str
    start: str
    end: str
    position_qid: str
    position_label: str

    def key(self) -> tuple[str, ...]:
        return (
            self.qid, self.office, self.iso2, self.organisation, self.start, self.end,
            self.position_qid,
        )  # fmt: skip


@dataclass
class BatchResult:
    """A batch's rows and what was left out, as saved for resuming."""

    batch: str
    endpoint: str
    query_sha256: str
    answered: str
    rows: list[UpdateRow]
    left_out: dict[str, int]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": BATCH_FORMAT,
                "batch": self.batch,
                "endpoint": self.endpoint,
                "query_sha256": self.query_sha256,
                "answered": self.answered,
                "rows": [list(_astuple(r)) for r in self.rows],
                "left_out": self.left_out,
            },
            ensure_ascii=False,
            indent=0,
        )

    @classmethod
    def from_json(cls, text: str) -> BatchResult:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != BATCH_FORMAT:
            raise ValueError("not a saved batch of this format")
        rows = [UpdateRow(*(str(c) for c in r)) for r in data["rows"]]
        for row in rows:
            _check_row(row)
        dt.date.fromisoformat(str(data["answered"]))
        return cls(
            str(data["batch"]),
            str(data["endpoint"]),
            str(data["query_sha256"]),
            str(data["answered"]),
            rows,
            {str(k): int(v) for k, v in dict(data["left_out"]).items()},
        )


def _astuple(row: UpdateRow) -> tuple[str, ...]:
    return (
        row.qid, row.label, row.other_label, row.office, row.iso2, row.organisation, row.start,
        row.end, row.position_qid, row.position_label,
    )  # fmt: skip


def _check_row(row: UpdateRow) -> None:
    if not _QID.match(row.qid) or (row.position_qid and not _QID.match(row.position_qid)):
        raise ValueError(f"bad QID in {row}")
    if row.office not in OFFICES or bool(row.iso2) == bool(row.organisation):
        raise ValueError(f"bad office or party in {row}")


def _entity(value: Mapping[str, str] | None, what: str, batch: str) -> str | None:
    """The QID of an entity IRI; None for unknown values (blank nodes, genids)."""
    if value is None:
        return None
    text = value["value"]
    if value.get("type") == "uri" and text.startswith(ENTITY) and _QID.match(text[len(ENTITY) :]):
        return text[len(ENTITY) :]
    if value.get("type") == "bnode" or "/.well-known/genid/" in text:
        return None
    raise WikidataUpdateError(
        f"unexpected answer for batch {batch}: {what} {text!r} is not a Wikidata item"
    )


_PRECISION_CHARS = {9: 4, 10: 7, 11: 10}


def _date(time_value: Mapping[str, str] | None, precision: Mapping[str, str] | None) -> str | None:
    """A Wikidata time as a partial ISO date of its precision; None if coarser than a year."""
    if time_value is None:
        return ""
    text = time_value["value"]
    match = re.match(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T", text)
    try:
        digits = min(int(precision["value"]), 11) if precision is not None else 11
    except ValueError:
        digits = 0
    if match is None or digits not in _PRECISION_CHARS:
        return None
    return match[1][: _PRECISION_CHARS[digits]]


def _label(binding: Binding, *names: str) -> str:
    for name in names:
        value = binding.get(name)
        if value is not None and value["value"].strip():
            return " ".join(value["value"].split()).replace("|", "/")
    return ""


def rows_of(batch: Batch, bindings: Iterable[Binding]) -> tuple[list[UpdateRow], dict[str, int]]:
    """The rows of a batch's answers, one per statement, and counts of what was left out."""
    left_out: Counter[str] = Counter()
    by_statement: dict[str, list[tuple[str, UpdateRow]]] = defaultdict(list)
    for b in bindings:
        kind = b.get("kind", {}).get("value", "")
        if kind != "listed" and kind not in _KIND_OFFICE:
            raise WikidataUpdateError(f"unexpected answer for batch {batch.id}: kind {kind!r}")
        statement = b.get("statement", {}).get("value", "")
        party = b.get("party", {}).get("value", "")
        if not statement or not party:
            raise WikidataUpdateError(
                f"unexpected answer for batch {batch.id}: a row without statement or party"
            )
        person = _entity(b.get("person"), "person", batch.id)
        position = _entity(b.get("position"), "position", batch.id)
        if person is None:
            left_out["unknown person"] += 1
            continue
        label = _label(b, "en", "mul")
        if not label:
            left_out["no English or multilingual label"] += 1
            continue
        start = _date(b.get("start"), b.get("startPrecision"))
        end = _date(b.get("end"), b.get("endPrecision"))
        if start is None or end is None:
            left_out["date coarser than a year or not of 4 digits"] += 1
            continue
        if not end and b.get("endValue") is not None:
            left_out["end of unknown date"] += 1
            continue
        if kind == "listed":
            office = batch.listed.get(position or "", "")
            if not office:
                raise WikidataUpdateError(
                    f"unexpected answer for batch {batch.id}: {position} is not a listed position"
                )
        else:
            office = _KIND_OFFICE[kind]
        state = batch.id.startswith(_STATE_BATCH)
        other = _label(b, "mul")
        row = UpdateRow(
            qid=person,
            label=label,
            other_label=other if other != label else "",
            office=office,
            iso2=party if state else "",
            organisation="" if state else party,
            start=start,
            end=end,
            position_qid=position or "",
            position_label=_label(b, "positionEn", "positionMul") if position else "",
        )
        by_statement[statement].append((kind, row))
    rows: set[UpdateRow] = set()
    for found in by_statement.values():
        best = min(_KIND_ORDER.index(k) for k, _ in found)
        chosen = [r for k, r in found if _KIND_ORDER.index(k) == best]
        # Several start or end qualifiers: the earliest start, the latest end.
        starts = sorted(r.start for r in chosen if r.start)
        ends = sorted(r.end for r in chosen if r.end)
        first = min(chosen)
        rows.add(
            dataclasses.replace(
                first, start=starts[0] if starts else "", end=ends[-1] if ends else ""
            )
        )
    # A head of state/government statement on the state repeats the office's P39 term.
    with_position = {(r.qid, r.office, r.iso2, r.start, r.end) for r in rows if r.position_qid}
    kept = sorted(
        r
        for r in rows
        if r.position_qid or (r.qid, r.office, r.iso2, r.start, r.end) not in with_position
    )
    return kept, dict(sorted(left_out.items()))


# ---- writing the table ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def source_of(endpoint: str, result: BatchResult) -> str:
    """The row source: service, batch and the sha256 of the exact query text (16 digits)."""
    return f"{endpoint}#{result.batch}@sha256:{result.query_sha256[:16]}"


def render_table(
    results: Sequence[BatchResult],
    *,
    endpoint: str,
    shipped: ShippedTable,
    full: bool,
) -> tuple[str, int, int, int]:
    """The update file's text, its number of terms and people, and terms left out as shipped."""
    sourced: list[tuple[UpdateRow, str, str]] = []
    for result in results:
        source = source_of(endpoint, result)
        for row in result.rows:
            sourced.append((row, source, result.answered))
    as_shipped = 0
    if not full:
        before = len(sourced)
        sourced = [s for s in sourced if s[0].key() not in shipped.terms]
        as_shipped = before - len(sourced)
    sources = sorted({(s, answered) for _, s, answered in sourced})
    width = max(3, len(str(len(sources))))
    keys = {s: f"s{n:0{width}d}" for n, (s, _) in enumerate(sources, start=1)}
    labels = _canonical_labels(sourced)

    lines: list[tuple[tuple[object, ...], str]] = []
    for row, source, _ in sourced:
        label, aliases = labels[row.qid]
        cells = (
            label, "|".join(aliases), row.qid, row.office, row.iso2, row.organisation, row.start,
            row.end, row.position_qid, row.position_label, keys[source],
        )  # fmt: skip
        lines.append(((_fold(label), label, _number(row.qid), *cells[3:]), "\t".join(cells)))
    lines.sort(key=lambda item: item[0])
    body = list(dict.fromkeys(line for _, line in lines))
    left_out: Counter[str] = Counter()
    for result in results:
        left_out.update(result.left_out)
    header = [
        "# office-holders.tsv -- terms of office read from the Wikidata Query Service by",
        "# `diplograph gazetteer update` (graphbuild/link/office_update.py), in the format of the",
        "# shipped data/gazetteer/office-holders.tsv. GENERATED, do not edit: run it again.",
        "# Licence: the rows are Wikidata statements (CC0 1.0); cite Wikidata as the origin.",
        *(
            ["# Full table: every term found, also those the shipped table has (regenerates it)."]
            if full
            else [
                "# Update: builds merge it with the shipped table; where two terms of one person,"
                " office and state",
                "#   overlap, the one with the newer source date wins (data/gazetteer/README.md)."
                " Terms the shipped",
                f"#   table has unchanged are left out ({as_shipped}).",
            ]
        ),
        f"# Shipped table read for its positions and terms: sha256 {shipped.sha256}.",
        f"# {len(body)} terms of office, {len(labels)} people; terms ending before {SINCE_YEAR}"
        " were not asked for; left out of the answers:",
        "#   " + (", ".join(f"{n} ({why})" for why, n in sorted(left_out.items())) or "nothing"),
        "# Columns: as the shipped table; label is the English (else multilingual) Wikidata label"
        " of the newest answer,",
        "#   aliases the other labels seen; start, end at the precision Wikidata gives (YYYY,"
        " YYYY-MM or YYYY-MM-DD;",
        "#   an empty end means in office on the source's date).",
        "# Sources: key, as_of (the date the service answered), endpoint#batch@sha256 of the exact"
        " query text",
        "#   (the batch's template below, filled in; pages add LIMIT/OFFSET).",
        *(f"#   {keys[s]} {answered} {s}" for s, answered in sources),
        "# Query templates ($state: the state's QID in countries.tsv; $party: its ISO code;"
        " $listed: the shipped",
        "#   table's position_qid values of that state, in QID order; $bodies: organisations.tsv"
        " items with a QID and",
        f"#   their acronym; $since: {SINCE_YEAR}):",
        *(f"# | {line}" for line in STATE_TEMPLATE.template.splitlines()),
        *(f"# | {line}" for line in LISTED_TEMPLATE.template.splitlines()),
        *(f"# | {line}" for line in ORGANISATIONS_TEMPLATE.template.splitlines()),
        "\t".join(COLUMNS),
    ]
    return "\n".join([*header, *body]) + "\n", len(body), len(labels), as_shipped


def _canonical_labels(
    sourced: Sequence[tuple[UpdateRow, str, str]],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """QID -> (label, other labels): the label of the newest answer, then of most rows, then
    the alphabetically first; the rest (and multilingual labels) become aliases."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    newest: dict[tuple[str, str], str] = {}
    others: dict[str, set[str]] = defaultdict(set)
    for row, _, answered in sourced:
        votes[row.qid][row.label] += 1
        key = (row.qid, row.label)
        newest[key] = max(newest.get(key, ""), answered)
        if row.other_label:
            others[row.qid].add(row.other_label)
    out = {}
    for qid, counter in votes.items():

        def rank(item: tuple[str, int], qid: str = qid) -> tuple[object, ...]:
            label, count = item
            later_first = tuple(-int(p) for p in newest[(qid, label)].split("-"))
            return (later_first, -count, _fold(label), label)

        ranked = sorted(counter.items(), key=rank)
        label = ranked[0][0]
        aliases = ({name for name, _ in ranked} | others[qid]) - {label}
        out[qid] = (label, tuple(sorted(aliases, key=lambda s: (_fold(s), s))))
    return out


def write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one.

    ``durable=False`` skips the fsync, for files whose reader checks them and asks again when
    they are damaged (the saved batches): a power cut may then lose them, never mislead.
    """
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="\n",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(text)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise WikidataUpdateError(
            f"cannot write: {exc.strerror or exc}",
            where=str(path),
            hint="the previous file is unchanged; check the folder's permissions and space "
            "(setting gazetteer_update_dir)",
        ) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


# ---- the update ----------------------------------------------------------------------------------


def partial_dir(output: Path) -> Path:
    """The folder beside the output where finished batches wait for the rest."""
    return output.parent / f".{output.name}.partial"


@dataclass(frozen=True)
class UpdateSummary:
    path: Path
    terms: int
    people: int
    batches: int
    asked: int
    resumed: int
    as_shipped: int
    requests: int


ProgressHook = Callable[[int, int, str], None]


def update_office_holders(
    output: Path,
    service: QueryService,
    *,
    full: bool = False,
    restart: bool = False,
    page_rows: int = PAGE_ROWS,
    today: Callable[[], dt.date] = dt.date.today,
    gazetteer: Path | None = None,
    on_batch: ProgressHook | None = None,
) -> UpdateSummary:
    """Ask every batch (or resume), then write the table to ``output`` atomically.

    ``full`` keeps terms the shipped table already has (to regenerate it); otherwise they are
    left out, which keeps the update small and quick to load. Nothing is written to ``output``
    unless every batch was answered; finished batches are kept beside it for the next run.
    """
    if page_rows < 1:
        raise ConfigError(f"page_rows must be at least 1, got {page_rows}")
    folder = Path(gazetteer) if gazetteer is not None else gazetteer_dir()
    shipped_path = folder / TABLE
    output = Path(output)
    if not full and output.resolve() == shipped_path.resolve():
        raise ConfigError(
            "an update would replace the shipped office-holder table with its changes only",
            where=str(output),
            hint="write the update elsewhere (default: setting gazetteer_update_dir), or add "
            "--full to regenerate the whole table",
        )
    shipped = read_shipped(shipped_path)
    batches = plan_batches(shipped, folder)
    saved = partial_dir(output)
    if restart and saved.exists():
        shutil.rmtree(saved)
    results: list[BatchResult] = []
    asked = resumed = 0
    for done, batch in enumerate(batches):
        if on_batch is not None:
            on_batch(done, len(batches), batch.id)
        result = _load_saved(saved, batch, service.endpoint)
        if result is None:
            try:
                result = _ask(batch, service, page_rows, today)
            except WikidataUpdateError as exc:
                raise _unfinished(exc, output, len(results), len(batches)) from exc
            write_atomically(saved / f"{batch.id}.json", result.to_json(), durable=False)
            asked += 1
        else:
            resumed += 1
        results.append(result)
    if on_batch is not None:
        on_batch(len(batches), len(batches), "writing")
    text, terms, people, as_shipped = render_table(
        results, endpoint=service.endpoint, shipped=shipped, full=full
    )
    write_atomically(output, text)
    shutil.rmtree(saved, ignore_errors=True)
    return UpdateSummary(
        output, terms, people, len(batches), asked, resumed, as_shipped, service.requests
    )


def _unfinished(
    exc: WikidataUpdateError, output: Path, kept: int, total: int
) -> WikidataUpdateError:
    """The same error, saying in the same line that nothing was changed."""
    if kept:
        state = f"{output.name} unchanged, {kept} of {total} batches kept to resume from"
    else:
        state = f"nothing changed ({output.name} is as it was)"
    return type(exc)(f"{exc.message}; {state}", where=exc.where, hint=exc.hint)


def _load_saved(folder: Path, batch: Batch, endpoint: str) -> BatchResult | None:
    """A batch saved by an interrupted run of the same query at the same endpoint, if any."""
    path = folder / f"{batch.id}.json"
    try:
        result = BatchResult.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (result.batch, result.endpoint, result.query_sha256) != (batch.id, endpoint, batch.sha256):
        return None
    return result


def _ask(
    batch: Batch, service: QueryService, page_rows: int, today: Callable[[], dt.date]
) -> BatchResult:
    bindings: list[Binding] = []
    offset = 0
    while True:
        page = service.select(batch.page(page_rows, offset))
        bindings += page
        if len(page) < page_rows:
            break
        offset += page_rows
    answered = today().isoformat()
    rows, left_out = rows_of(batch, bindings)
    return BatchResult(batch.id, service.endpoint, batch.sha256, answered, rows, left_out)

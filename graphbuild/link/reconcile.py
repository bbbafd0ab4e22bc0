"""Online reconciliation against Wikidata, recorded in a reviewable file that builds read offline.

``diplograph link`` asks Wikidata's public API about entities the offline gazetteer left
unlinked: ``wbsearchentities`` finds candidates by name, ``wbgetentities`` reads their
"instance of" (P31) classes, and the classes' English labels decide the type check, so no
class QID is ever written into this code. Each decision (accepted, ambiguous, no-match or
rejected-type) goes into ``data/gazetteer/reconciled.tsv`` with its source, date and score;
later builds read that file and never touch the network. Rows a researcher marked ``curated``
are never overwritten, and entities the curated gazetteer already links are not asked about.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from graphbuild import __version__
from graphbuild.errors import DiplographError

SOURCE = "Wikidata API wbsearchentities+wbgetentities"
DEFAULT_API_URL = "https://www.wikidata.org/w/api.php"
COLUMNS = ("label", "type", "qid", "decision", "score", "candidates", "source", "retrieved")
MAX_IDS_PER_REQUEST = 50  # wbgetentities refuses more ids per call for anonymous clients
MAX_SEARCH_LIMIT = 50

DecisionKind = Literal["accepted", "ambiguous", "no-match", "rejected-type", "curated"]
DECISIONS: tuple[DecisionKind, ...] = (
    "accepted",
    "ambiguous",
    "no-match",
    "rejected-type",
    "curated",
)
_QID = re.compile(r"^Q[1-9][0-9]*$")

_NETWORK_HINT = (
    "`diplograph link` needs network access to the Wikidata API; check the connection or "
    "proxy and retry later. Builds keep working offline with the decisions already recorded "
    "in data/gazetteer/reconciled.tsv."
)


class ReconciliationError(DiplographError):
    """The Wikidata API could not be asked or answered nonsense, or the decisions file is bad."""


# --- type checks by class label ------------------------------------------------------------


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


_ORGANIZATION = _words("organization", "organisation", "alliance", "union")
_PLACE = _words("city", "capital", "municipality", "town", "human settlement", "metropolis")

# Which English class labels (of an item's P31 values) make it an entity of each type.
# Person and Country compare whole labels; Organization and Place look for words.
TYPE_RULES: Mapping[str, Callable[[str], bool]] = {
    "Person": lambda label: label == "human",
    "Country": lambda label: label in ("sovereign state", "country"),
    "Organization": lambda label: _ORGANIZATION.search(label) is not None,
    "Place": lambda label: _PLACE.search(label) is not None,
}


def normalize_label(text: str) -> str:
    """Case-, diacritics- and spacing-insensitive form used to compare names and keys."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


# --- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One reviewable reconciliation outcome: a row of ``reconciled.tsv``."""

    label: str
    type: str
    qid: str
    decision: DecisionKind
    score: float
    candidates: tuple[str, ...] = ()
    source: str = SOURCE
    retrieved: dt.date | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Rows for the same entity share this key (normalised label, type)."""
        return (normalize_label(self.label), self.type)

    @property
    def links(self) -> bool:
        """Whether builds may link the entity to ``qid`` from this row."""
        return self.decision in ("accepted", "curated") and bool(self.qid)

    @property
    def from_reconciliation(self) -> bool:
        """Rows this module wrote itself, which a later run may replace."""
        return self.decision != "curated" and self.source == SOURCE


# --- the Wikidata client -------------------------------------------------------------------


def _default_user_agent() -> str:
    return f"diplograph/{__version__} (research tool)"


@dataclass(frozen=True)
class WikidataClient:
    """The two read-only Wikidata API calls reconciliation needs, with the standard library."""

    api_url: str = DEFAULT_API_URL
    timeout_s: float = 10.0
    user_agent: str = field(default_factory=_default_user_agent)

    def __post_init__(self) -> None:
        scheme = urllib.parse.urlsplit(self.api_url).scheme
        if scheme not in ("http", "https"):
            raise ReconciliationError(
                f"the Wikidata API URL must be http(s), got {self.api_url!r}",
                hint=f"the public API is {DEFAULT_API_URL}",
            )
        if self.timeout_s <= 0:
            raise ReconciliationError(f"timeout_s must be positive, got {self.timeout_s}")

    def search(self, label: str, limit: int = 5) -> list[dict[str, Any]]:
        """Candidate items for ``label`` in English (``wbsearchentities``), best first."""
        if not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise ReconciliationError(f"search limit must be 1..{MAX_SEARCH_LIMIT}, got {limit}")
        data = self._get(
            {
                "action": "wbsearchentities",
                "search": label,
                "language": "en",
                "uselang": "en",
                "type": "item",
                "limit": str(limit),
                "format": "json",
            }
        )
        hits = data.get("search")
        if not isinstance(hits, list) or not all(
            isinstance(h, dict) and isinstance(h.get("id"), str) for h in hits
        ):
            raise self._malformed("wbsearchentities", "no 'search' list of items with ids")
        return hits

    def entities(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Labels, descriptions and claims of items by id (``wbgetentities``, ≤ 50 per call)."""
        wanted = list(dict.fromkeys(ids))
        for qid in wanted:
            if not _QID.match(qid):
                raise ReconciliationError(f"not a Wikidata item id: {qid!r}")
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), MAX_IDS_PER_REQUEST):
            batch = wanted[start : start + MAX_IDS_PER_REQUEST]
            data = self._get(
                {
                    "action": "wbgetentities",
                    "ids": "|".join(batch),
                    "props": "labels|claims|descriptions",
                    "languages": "en",
                    "format": "json",
                }
            )
            items = data.get("entities")
            if not isinstance(items, dict) or not all(isinstance(v, dict) for v in items.values()):
                raise self._malformed("wbgetentities", "no 'entities' object")
            for qid, item in items.items():
                if "missing" not in item:
                    found[str(qid)] = item
        return found

    def _get(self, params: Mapping[str, str]) -> dict[str, Any]:
        """One GET; every failure becomes a ReconciliationError saying what failed."""
        url = f"{self.api_url}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept": "application/json"}
        )
        action = params.get("action", "request")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            raise ReconciliationError(
                f"{action} failed: the Wikidata API answered HTTP {exc.code} {exc.reason}",
                where=self.api_url,
                hint=_NETWORK_HINT,
            ) from exc
        except urllib.error.URLError as exc:
            raise ReconciliationError(
                f"{action} failed: cannot reach the Wikidata API ({_reason(exc.reason)})",
                where=self.api_url,
                hint=_NETWORK_HINT,
            ) from exc
        except TimeoutError as exc:
            raise ReconciliationError(
                f"{action} failed: no answer from the Wikidata API within {self.timeout_s:g} s",
                where=self.api_url,
                hint=_NETWORK_HINT,
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise ReconciliationError(
                f"{action} failed: connection to the Wikidata API broke ({_reason(exc)})",
                where=self.api_url,
                hint=_NETWORK_HINT,
            ) from exc
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self._malformed(action, "the answer is not JSON") from exc
        if not isinstance(data, dict):
            raise self._malformed(action, "the answer is not a JSON object")
        error = data.get("error")
        if error is not None:
            detail = error if not isinstance(error, dict) else error.get("info", error.get("code"))
            raise ReconciliationError(
                f"{action} failed: the Wikidata API refused the request: {detail}",
                where=self.api_url,
                hint=_NETWORK_HINT,
            )
        return data

    def _malformed(self, action: str, what: str) -> ReconciliationError:
        return ReconciliationError(
            f"{action} failed: unexpected answer from the Wikidata API ({what})",
            where=self.api_url,
            hint=_NETWORK_HINT,
        )


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


# --- reading items -------------------------------------------------------------------------


def _en_label(item: Mapping[str, Any]) -> str:
    labels = item.get("labels")
    if isinstance(labels, dict):
        en = labels.get("en")
        if isinstance(en, dict) and isinstance(en.get("value"), str):
            return str(en["value"])
    return ""


def _instance_of(item: Mapping[str, Any]) -> list[str]:
    """Item ids of the P31 statements that are not deprecated."""
    claims = item.get("claims")
    statements = claims.get("P31") if isinstance(claims, dict) else None
    out: list[str] = []
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict) or statement.get("rank") == "deprecated":
            continue
        snak = statement.get("mainsnak")
        datavalue = snak.get("datavalue") if isinstance(snak, dict) else None
        value = datavalue.get("value") if isinstance(datavalue, dict) else None
        qid = value.get("id") if isinstance(value, dict) else None
        if isinstance(qid, str) and _QID.match(qid):
            out.append(qid)
    return out


def _names(hit: Mapping[str, Any]) -> list[str]:
    """The names a search hit is known by: its label, the matched text and listed aliases."""
    names: list[str] = []
    if isinstance(hit.get("label"), str):
        names.append(hit["label"])
    match = hit.get("match")
    if (
        isinstance(match, dict)
        and match.get("type") in ("label", "alias")
        and isinstance(match.get("text"), str)
    ):
        names.append(match["text"])
    aliases = hit.get("aliases")
    if isinstance(aliases, list):
        names += [a for a in aliases if isinstance(a, str)]
    return names


def match_score(rank: int, by_label: bool) -> float:
    """Higher for the search's first hits and for a label (rather than alias) match."""
    base = 1.0 if by_label else 0.85
    return round(base * max(0.5, 1.0 - 0.1 * rank), 2)


@dataclass(frozen=True)
class _Candidate:
    qid: str
    rank: int
    by_label: bool

    @property
    def score(self) -> float:
        return match_score(self.rank, self.by_label)


# --- reconciliation ------------------------------------------------------------------------


def reconcile(
    entities: Iterable[tuple[str, str]],
    client: WikidataClient,
    *,
    known: Callable[[str, str], bool],
    today: dt.date,
    limit: int = 5,
) -> list[Decision]:
    """Decide a Wikidata link for each ``(label, type)`` the curated gazetteer does not know.

    Entities ``known`` reports as linked are skipped (a curated link is never second-guessed),
    as are types without a class-label rule (they cannot be type-checked). Duplicates by
    normalised label and type are asked once.
    """
    class_labels: dict[str, str] = {}  # per run: P31 class id -> English label
    seen: set[tuple[str, str]] = set()
    decisions: list[Decision] = []
    for label, etype in entities:
        label = " ".join(label.split())
        key = (normalize_label(label), etype)
        if not key[0] or key in seen or etype not in TYPE_RULES:
            continue
        seen.add(key)
        if known(label, etype):
            continue
        decisions.append(_decide(label, etype, client, class_labels, today, limit))
    return decisions


def _decide(
    label: str,
    etype: str,
    client: WikidataClient,
    class_labels: dict[str, str],
    today: dt.date,
    limit: int,
) -> Decision:
    wanted = normalize_label(label)
    hits = client.search(label, limit)
    named: list[_Candidate] = []
    for rank, hit in enumerate(hits):
        qid = str(hit["id"])
        if not _QID.match(qid) or any(c.qid == qid for c in named):
            continue
        if wanted in {normalize_label(n) for n in _names(hit)}:
            by_label = normalize_label(str(hit.get("label") or "")) == wanted
            named.append(_Candidate(qid, rank, by_label))

    def decision(kind: DecisionKind, qid: str, score: float, cands: Iterable[str]) -> Decision:
        return Decision(label, etype, qid, kind, score, tuple(cands), SOURCE, today)

    if not named:
        return decision("no-match", "", 0.0, (str(h["id"]) for h in hits))

    items = client.entities([c.qid for c in named])
    classes = {c.qid: _instance_of(items.get(c.qid, {})) for c in named}
    unknown = sorted({k for ks in classes.values() for k in ks} - class_labels.keys())
    if unknown:
        fetched = client.entities(unknown)
        for k in unknown:
            class_labels[k] = normalize_label(_en_label(fetched.get(k, {})))
    rule = TYPE_RULES[etype]
    passing = [c for c in named if any(rule(class_labels[k]) for k in classes[c.qid])]
    considered = [c.qid for c in named]
    if len(passing) == 1:
        best = passing[0]
        return decision("accepted", best.qid, best.score, considered)
    if passing:
        return decision("ambiguous", "", max(c.score for c in passing), (c.qid for c in passing))
    return decision("rejected-type", "", 0.0, considered)


# --- the decisions file --------------------------------------------------------------------


def header_lines(last_run: dt.date | None) -> list[str]:
    """The comment block that says what the file is and where its rows come from."""
    when = f"latest run: {last_run.isoformat()}" if last_run else "no run yet"
    return [
        "# Wikidata links decided by `diplograph link` (graphbuild/reconcile.py) for entities the",
        "# curated gazetteer left unlinked; builds read this file offline, never the network.",
        f"# Rows with source '{SOURCE}' come from the",
        f"# Wikidata API on the date in their 'retrieved' column ({when}).",
        "# decision: accepted (linked) | ambiguous, no-match, rejected-type (not linked) | curated",
        "#   (a researcher's row: never overwritten; with an empty qid it means 'do not link').",
        "# score: 0..1 from search rank and label-vs-alias match; candidates: '|'-separated QIDs.",
        "# To pin a row, set decision to curated (and fix qid); comments are regenerated.",
    ]


def read_decisions(path: Path) -> list[Decision]:
    """Rows of a decisions file (none if it does not exist), for builds and for merging."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ReconciliationError(f"cannot read: {exc.strerror}", where=str(path)) from exc
    out: list[Decision] = []
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != COLUMNS:
                raise ReconciliationError(
                    "the first row must be the column header",
                    where=f"{path}:{lineno}",
                    hint="columns: " + "\t".join(COLUMNS),
                )
            header_seen = True
            continue
        out.append(_parse_row(cells, f"{path}:{lineno}"))
    return out


def _parse_row(cells: list[str], where: str) -> Decision:
    hint = "columns: " + ", ".join(COLUMNS) + "; fix the row or delete it to ask again"
    cells = [c.strip() for c in cells]
    if len(cells) < len(COLUMNS):
        cells += [""] * (len(COLUMNS) - len(cells))
    if len(cells) != len(COLUMNS):
        raise ReconciliationError(
            f"expected {len(COLUMNS)} tab-separated columns, got {len(cells)}",
            where=where,
            hint=hint,
        )
    label, etype, qid, kind, score_text, cands, source, retrieved = cells
    if not label or not etype:
        raise ReconciliationError("label and type must not be empty", where=where, hint=hint)
    if qid and not _QID.match(qid):
        raise ReconciliationError(f"not a Wikidata item id: {qid!r}", where=where, hint=hint)
    if kind not in DECISIONS:
        raise ReconciliationError(
            f"unknown decision {kind!r}", where=where, hint="one of: " + ", ".join(DECISIONS)
        )
    if kind == "accepted" and not qid:
        raise ReconciliationError("an accepted row needs a qid", where=where, hint=hint)
    try:
        score = float(score_text) if score_text else 0.0
        day = dt.date.fromisoformat(retrieved) if retrieved else None
    except ValueError as exc:
        raise ReconciliationError(f"bad score or date: {exc}", where=where, hint=hint) from exc
    if not 0.0 <= score <= 1.0:
        raise ReconciliationError(f"score {score} is outside 0..1", where=where, hint=hint)
    candidates = tuple(c for c in cands.split("|") if c)
    for c in candidates:
        if not _QID.match(c):
            raise ReconciliationError(f"not a Wikidata item id: {c!r}", where=where, hint=hint)
    return Decision(label, etype, qid, kind, score, candidates, source, day)


def merge_decisions(existing: Sequence[Decision], new: Iterable[Decision]) -> list[Decision]:
    """Existing rows in order with reconciled ones replaced by ``new``; then the rest of ``new``.

    A row is replaced only if reconciliation wrote it; curated rows and rows from any other
    source are kept as they are, and the new decision for that entity is dropped.
    """
    rows = list(existing)
    index = {row.key: i for i, row in enumerate(rows)}
    for decision in new:
        i = index.get(decision.key)
        if i is None:
            index[decision.key] = len(rows)
            rows.append(decision)
        elif rows[i].from_reconciliation:
            rows[i] = decision
    return rows


def _cell(text: str) -> str:
    return " ".join(text.split())


def _format_row(d: Decision) -> str:
    cells = (
        _cell(d.label),
        _cell(d.type),
        d.qid,
        d.decision,
        f"{d.score:.2f}",
        "|".join(d.candidates),
        _cell(d.source),
        d.retrieved.isoformat() if d.retrieved else "",
    )
    return "\t".join(cells)


def write_decisions(path: Path, decisions: Iterable[Decision]) -> list[Decision]:
    """Merge ``decisions`` into the file at ``path`` atomically; return the rows written."""
    path = Path(path)
    rows = merge_decisions(read_decisions(path), decisions)
    dates = [r.retrieved for r in rows if r.retrieved and r.from_reconciliation]
    lines = [*header_lines(max(dates) if dates else None), "\t".join(COLUMNS)]
    lines += [_format_row(r) for r in rows]
    text = "\n".join(lines) + "\n"
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ReconciliationError(
            f"cannot write the decisions file: {exc.strerror or exc}",
            where=str(path),
            hint="the previous file is unchanged; check the directory's permissions and space",
        ) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
    return rows


def links_from(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """Rows builds may link with, by ``Decision.key``; a curated row wins over an accepted one."""
    out: dict[tuple[str, str], Decision] = {}
    for d in decisions:
        held = out.get(d.key)
        if d.decision == "curated" or held is None or held.decision != "curated":
            out[d.key] = d
    return {k: d for k, d in out.items() if d.links}

"""A local stand-in for the Wikidata Query Service that replays recorded SPARQL JSON results.

TEST FIXTURES ONLY: the people, offices and QIDs below (Q999999xxx) are invented and marked as
such; they are not Wikidata data and never go into data/. The answers have the shape the Query
Service gives (``application/sparql-results+json``, entity IRIs, ``xsd:dateTime`` times with
their ``wikibase:timePrecision``), one recorded answer per batch of
``graphbuild.link.office_update``; the server pages it by the query's LIMIT/OFFSET, answers
every other batch with no rows, and can be told to fail: 429 or 503 with or without
Retry-After, a cut-off (malformed) answer, or silence until the client gives up.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ENTITY = "http://www.wikidata.org/entity/"
XSD = "http://www.w3.org/2001/XMLSchema#"
VARS = [
    "statement", "kind", "party", "person", "en", "mul", "position", "positionEn",
    "positionMul", "start", "startPrecision", "endValue", "end", "endPrecision",
]  # fmt: skip

# Invented test fixtures (not Wikidata items).
NEW_FOREIGN_MINISTER = "Q999999001"  # appointed 2024-03-11, after the shipped table's end
NEW_HEAD_OF_GOVERNMENT = "Q999999002"
MUL_LABELLED_MINISTER = "Q999999003"
UNKNOWN_END = "Q999999004"
NO_LABEL = "Q999999005"
ORGANISATION_HEAD = "Q999999006"
FOREIGN_MINISTRY_POST = "Q999999101"
OTHER_MINISTRY_POST = "Q999999102"
ORGANISATION_POST = "Q999999103"
STATE = "AD"  # a real ISO code of countries.tsv: the batch the fixtures answer for


def uri(qid: str) -> dict[str, str]:
    return {"type": "uri", "value": ENTITY + qid}


def text(value: str, lang: str) -> dict[str, str]:
    return {"type": "literal", "xml:lang": lang, "value": value}


def plain(value: str) -> dict[str, str]:
    return {"type": "literal", "value": value}


def time_value(day: str) -> dict[str, str]:
    return {"type": "literal", "datatype": XSD + "dateTime", "value": f"{day}T00:00:00Z"}


def precision(value: int) -> dict[str, str]:
    return {"type": "literal", "datatype": XSD + "integer", "value": str(value)}


def binding(
    statement: str,
    kind: str,
    party: str,
    person: str,
    *,
    en: str | None = None,
    mul: str | None = None,
    position: str | None = None,
    position_en: str | None = None,
    start: str | None = None,
    start_precision: int = 11,
    end: str | None = None,
    end_precision: int = 11,
    unknown_end: bool = False,
) -> dict[str, dict[str, str]]:
    """One row of an answer, as the Query Service writes it."""
    row = {
        "statement": {"type": "uri", "value": f"{ENTITY}statement/{statement}"},
        "kind": plain(kind),
        "party": plain(party),
        "person": uri(person),
    }
    if en is not None:
        row["en"] = text(en, "en")
    if mul is not None:
        row["mul"] = text(mul, "mul")
    if position is not None:
        row["position"] = uri(position)
    if position_en is not None:
        row["positionEn"] = text(position_en, "en")
    if start is not None:
        row["start"] = time_value(start)
        row["startPrecision"] = precision(start_precision)
    if end is not None:
        row["endValue"] = time_value(end)
        row["end"] = time_value(end)
        row["endPrecision"] = precision(end_precision)
    if unknown_end:
        row["endValue"] = {"type": "bnode", "value": "t1"}
    return row


def state_answer(extra: list[dict[str, dict[str, str]]] | None = None) -> list[dict[str, Any]]:
    """The recorded answer of the fixture state's batch (invented people, see the module doc)."""
    return [
        binding(
            "Q999999001-fm", "foreign minister", STATE, NEW_FOREIGN_MINISTER,
            en="Mirela Testova", position=FOREIGN_MINISTRY_POST,
            position_en="Minister of Foreign Affairs (test fixture)", start="2024-03-11",
        ),
        # The same statement found a second way (also a minister): one row, the specific office.
        binding(
            "Q999999001-fm", "minister", STATE, NEW_FOREIGN_MINISTER,
            en="Mirela Testova", position=FOREIGN_MINISTRY_POST,
            position_en="Minister of Foreign Affairs (test fixture)", start="2024-03-11",
        ),
        binding(
            "Q999999002-hog", "P6", STATE, NEW_HEAD_OF_GOVERNMENT,
            en="Teodor Probst", start="2025-06-02",
        ),
        binding(
            "Q999999003-min", "minister", STATE, MUL_LABELLED_MINISTER,
            mul="Ilse Fixtura", position=OTHER_MINISTRY_POST,
            position_en="Minister of Testing (test fixture)",
            start="2024-05-01", start_precision=10, end="2025-01-01", end_precision=9,
        ),
        binding(
            "Q999999004-min", "minister", STATE, UNKNOWN_END,
            en="Anton Unbekannt", position=OTHER_MINISTRY_POST,
            start="2023-01-09", unknown_end=True,
        ),
        binding(
            "Q999999005-min", "minister", STATE, NO_LABEL, position=OTHER_MINISTRY_POST,
            start="2023-01-09",
        ),
        *(extra or []),
    ]  # fmt: skip


def organisations_answer() -> list[dict[str, Any]]:
    return [
        binding(
            "Q999999006-un", "P2388", "UN", ORGANISATION_HEAD,
            en="Vesna Exempla", position=ORGANISATION_POST,
            position_en="Secretary-General (test fixture)", start="2027-01-01",
        ),
    ]  # fmt: skip


# ---- the server ------------------------------------------------------------------------------

_BATCH = re.compile(r"^# Diplograph office-holder update, batch (\S+):", re.M)
_PAGE = re.compile(r"LIMIT ([0-9]+) OFFSET ([0-9]+)\s*$")


@dataclass
class Request:
    batch: str
    limit: int
    offset: int
    query: str
    headers: Mapping[str, str]


@dataclass
class Replay:
    """What the server answers: recorded rows per batch, and failures to play first."""

    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, list[str | tuple[str, ...]]] = field(default_factory=dict)
    """Batch -> actions used up one per request: "429", ("429", "7"), "503", "malformed",
    "silent" (no answer for longer than the client waits); then it answers normally."""
    requests: list[Request] = field(default_factory=list)
    silence_s: float = 2.0

    def batches_asked(self) -> list[str]:
        return list(dict.fromkeys(r.batch for r in self.requests))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        query = form.get("query", [""])[0]
        batch_match, page = _BATCH.search(query), _PAGE.search(query)
        if batch_match is None or page is None:
            self._send(400, b"not a query of the office-holder update")
            return
        replay = self.server.replay
        batch = batch_match[1]
        limit, offset = int(page[1]), int(page[2])
        replay.requests.append(Request(batch, limit, offset, query, dict(self.headers)))
        pending = replay.failures.get(batch)
        if pending:
            action = pending.pop(0)
            name, *args = (action,) if isinstance(action, str) else action
            if name in ("429", "503"):
                headers = {"Retry-After": args[0]} if args else {}
                self._send(int(name), b"Too Many Requests or Service Unavailable", headers)
                return
            if name == "malformed":
                self._send(200, b'{"head": {"vars": ["person"]}, "results": {"bindings": [{"per')
                return
            if name == "silent":
                time.sleep(replay.silence_s)
                with contextlib.suppress(OSError):
                    self._send(200, json.dumps(_results([])).encode())
                return
            raise AssertionError(f"unknown replay action {action!r}")
        rows = replay.answers.get(batch, [])
        body = json.dumps(_results(rows[offset : offset + limit])).encode("utf-8")
        self._send(200, body, {"Content-Type": "application/sparql-results+json"})

    def _send(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _results(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"head": {"vars": VARS}, "results": {"bindings": rows}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, replay: Replay) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replay = replay


@contextlib.contextmanager
def replay_server(replay: Replay) -> Iterator[str]:
    """Serve ``replay`` on a free local port; yields the endpoint URL."""
    server = _Server(replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

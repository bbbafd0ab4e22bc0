"""Online reconciliation against a local server that replays Wikidata's response format.

Every QID below is invented for the test (Q9000xx); nothing here is a real Wikidata link and
nothing here contacts the internet: the client only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from graphbuild.errors import DiplographError
from graphbuild.link.reconcile import (
    COLUMNS,
    SOURCE,
    Decision,
    ReconciliationError,
    WikidataClient,
    links_from,
    read_decisions,
    reconcile,
    write_decisions,
)
from graphbuild.resources import gazetteer_dir

TODAY = dt.date(2031, 3, 14)

# --- fixtures in Wikidata's response format (invented ids and names) -------------------------

HUMAN, SOVEREIGN, COUNTRY, SHIP, FEDERATED, CAPITAL, IGO = (
    "Q900001",
    "Q900002",
    "Q900003",
    "Q900004",
    "Q900005",
    "Q900006",
    "Q900007",
)
CLASSES = {
    HUMAN: "human",
    SOVEREIGN: "sovereign state",
    COUNTRY: "country",
    SHIP: "ship",
    FEDERATED: "federated state",
    CAPITAL: "capital city",
    IGO: "intergovernmental organization",
}


def hit(qid: str, label: str, *, alias: str | None = None, description: str = "") -> dict[str, Any]:
    """One ``wbsearchentities`` result, matched on its label or on ``alias``."""
    out: dict[str, Any] = {
        "id": qid,
        "title": qid,
        "pageid": int(qid[1:]),
        "concepturi": f"http://www.wikidata.org/entity/{qid}",
        "repository": "wikidata",
        "url": f"//www.wikidata.org/wiki/{qid}",
        "display": {
            "label": {"value": label, "language": "en"},
            "description": {"value": description, "language": "en"},
        },
        "label": label,
        "description": description,
        "match": {"type": "alias" if alias else "label", "language": "en", "text": alias or label},
    }
    if alias:
        out["aliases"] = [alias]
    return out


def item(
    qid: str, label: str, instance_of: Sequence[str] = (), deprecated: Sequence[str] = ()
) -> dict[str, Any]:
    """One ``wbgetentities`` entity with English label and P31 statements."""

    def statement(cls: str, rank: str) -> dict[str, Any]:
        return {
            "mainsnak": {
                "snaktype": "value",
                "property": "P31",
                "hash": "0" * 40,
                "datavalue": {
                    "value": {"entity-type": "item", "numeric-id": int(cls[1:]), "id": cls},
                    "type": "wikibase-entityid",
                },
                "datatype": "wikibase-item",
            },
            "type": "statement",
            "id": f"{qid}$0000-{cls}",
            "rank": rank,
        }

    claims = [statement(c, "normal") for c in instance_of]
    claims += [statement(c, "deprecated") for c in deprecated]
    return {
        "type": "item",
        "id": qid,
        "labels": {"en": {"language": "en", "value": label}},
        "descriptions": {},
        "claims": {"P31": claims} if claims else {},
    }


ITEMS: dict[str, dict[str, Any]] = {
    **{q: item(q, label) for q, label in CLASSES.items()},
    "Q900101": item("Q900101", "Mirela Vostrikova", [HUMAN]),
    "Q900102": item("Q900102", "Halvard Brennick", [SHIP]),
    "Q900103": item("Q900103", "Ottilie Varga", [HUMAN]),
    "Q900104": item("Q900104", "Ottilie Varga", [SHIP]),
    "Q900105": item("Q900105", "Tomas Reyne", [HUMAN]),
    "Q900106": item("Q900106", "Tomas Reyne", [HUMAN]),
    "Q900110": item("Q900110", "Velmora", [FEDERATED]),
    "Q900111": item("Q900111", "Velmora", [SOVEREIGN, COUNTRY]),
    "Q900112": item("Q900112", "Castria", [FEDERATED], deprecated=[SOVEREIGN]),
    "Q900113": item("Q900113", "Port Selwyn", [CAPITAL]),
    "Q900114": item("Q900114", "Coastal States Forum", [IGO]),
}

SEARCH: dict[str, list[dict[str, Any]]] = {
    "Mirela Vostrikova": [hit("Q900101", "Mirela Vostrikova", description="diplomat")],
    "Mirela Vostríková": [hit("Q900101", "Mirela Vostrikova")],
    "Mira Vostrikova": [hit("Q900101", "Mirela Vostrikova", alias="Mira Vostrikova")],
    "Halvard Brennick": [hit("Q900102", "Halvard Brennick", description="ferry")],
    "Ottilie Varga": [hit("Q900104", "Ottilie Varga"), hit("Q900103", "Ottilie Varga")],
    "Tomas Reyne": [hit("Q900105", "Tomas Reyne"), hit("Q900106", "Tomas Reyne")],
    "Velmora": [hit("Q900110", "Velmora"), hit("Q900111", "Velmora")],
    "Castria": [hit("Q900112", "Castria")],
    "Port Selwyn": [hit("Q900113", "Port Selwyn")],
    "Coastal States Forum": [hit("Q900114", "Coastal States Forum")],
    "Anselm Quay": [hit("Q900101", "Mirela Vostrikova")],
}


# --- the replay server -----------------------------------------------------------------------


class ReplayServer(ThreadingHTTPServer):
    """Answers like Wikidata's api.php from the fixtures; records every request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReplayHandler)
        self.requests: list[tuple[dict[str, str], str]] = []
        self.override: tuple[int, bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/w/api.php"

    def answer(self, params: Mapping[str, str]) -> dict[str, Any]:
        if params.get("action") == "wbsearchentities":
            hits = SEARCH.get(params["search"], [])[: int(params["limit"])]
            return {"searchinfo": {"search": params["search"]}, "search": hits, "success": 1}
        if params.get("action") == "wbgetentities":
            ids = params["ids"].split("|")
            found = {q: ITEMS.get(q, {"id": q, "missing": ""}) for q in ids}
            return {"entities": found, "success": 1}
        return {"error": {"code": "badvalue", "info": "Unrecognized value for parameter action"}}

    def searches(self) -> list[str]:
        return [p["search"] for p, _ in self.requests if p["action"] == "wbsearchentities"]


class ReplayHandler(BaseHTTPRequestHandler):
    server: ReplayServer

    def do_GET(self) -> None:
        params = dict(parse_qsl(urlsplit(self.path).query))
        self.server.requests.append((params, self.headers.get("User-Agent", "")))
        if self.server.override is not None:
            status, body = self.server.override
        else:
            status, body = 200, json.dumps(self.server.answer(params)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    server = ReplayServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def client(replay: ReplayServer) -> WikidataClient:
    return WikidataClient(api_url=replay.url, timeout_s=5.0)


def nothing_known(label: str, etype: str) -> bool:
    return False


def decide(
    client: WikidataClient, label: str, etype: str, known: Callable[[str, str], bool] | None = None
) -> Decision:
    [decision] = reconcile([(label, etype)], client, known=known or nothing_known, today=TODAY)
    return decision


# --- the client ------------------------------------------------------------------------------


def test_requests_use_the_documented_parameters(
    client: WikidataClient, replay: ReplayServer
) -> None:
    client.search("Mirela Vostrikova", limit=3)
    client.entities(["Q900101", "Q900001"])
    (search, agent1), (get, agent2) = replay.requests
    assert search == {
        "action": "wbsearchentities",
        "search": "Mirela Vostrikova",
        "language": "en",
        "uselang": "en",
        "type": "item",
        "limit": "3",
        "format": "json",
    }
    assert get == {
        "action": "wbgetentities",
        "ids": "Q900101|Q900001",
        "props": "labels|claims|descriptions",
        "languages": "en",
        "format": "json",
    }
    assert agent1 == agent2
    assert agent1.startswith("diplograph/") and "research tool" in agent1


def test_entities_are_fetched_in_batches_of_at_most_50(
    client: WikidataClient, replay: ReplayServer
) -> None:
    ids = [f"Q{900200 + i}" for i in range(120)] + ["Q900101"]
    found = client.entities(ids)
    batches = [p["ids"].split("|") for p, _ in replay.requests]
    assert [len(b) for b in batches] == [50, 50, 21]
    assert sorted(q for b in batches for q in b) == sorted(ids)
    assert list(found) == ["Q900101"]  # the invented others are 'missing' and left out


def test_client_refuses_non_http_urls() -> None:
    with pytest.raises(ReconciliationError, match="http"):
        WikidataClient(api_url="file:///etc/passwd")


# --- decisions -------------------------------------------------------------------------------


def test_person_that_is_human_is_accepted(client: WikidataClient) -> None:
    d = decide(client, "Mirela Vostrikova", "Person")
    assert (d.qid, d.decision, d.score) == ("Q900101", "accepted", 1.0)
    assert d.candidates == ("Q900101",)
    assert d.source == SOURCE and d.retrieved == TODAY


def test_diacritics_and_case_do_not_matter(client: WikidataClient) -> None:
    d = decide(client, "Mirela Vostríková", "Person")
    assert (d.qid, d.decision) == ("Q900101", "accepted")


def test_alias_match_is_accepted_with_a_lower_score(client: WikidataClient) -> None:
    d = decide(client, "Mira Vostrikova", "Person")
    assert (d.qid, d.decision) == ("Q900101", "accepted")
    assert 0.0 < d.score < 1.0


def test_namesake_that_is_not_human_is_rejected(client: WikidataClient) -> None:
    d = decide(client, "Halvard Brennick", "Person")
    assert (d.qid, d.decision, d.score) == ("", "rejected-type", 0.0)
    assert d.candidates == ("Q900102",)
    assert not d.links


def test_human_is_picked_over_a_higher_ranked_namesake(client: WikidataClient) -> None:
    d = decide(client, "Ottilie Varga", "Person")
    assert (d.qid, d.decision) == ("Q900103", "accepted")
    assert d.score < 1.0  # second in the search ranking
    assert set(d.candidates) == {"Q900103", "Q900104"}


def test_two_humans_with_the_same_name_are_ambiguous(client: WikidataClient) -> None:
    d = decide(client, "Tomas Reyne", "Person")
    assert (d.qid, d.decision) == ("", "ambiguous")
    assert d.candidates == ("Q900105", "Q900106")
    assert not d.links


def test_country_must_be_a_sovereign_state(client: WikidataClient) -> None:
    d = decide(client, "Velmora", "Country")
    assert (d.qid, d.decision) == ("Q900111", "accepted")


def test_deprecated_instance_of_does_not_make_a_country(client: WikidataClient) -> None:
    d = decide(client, "Castria", "Country")
    assert d.decision == "rejected-type"


def test_places_and_organisations_are_checked_by_class_words(client: WikidataClient) -> None:
    assert decide(client, "Port Selwyn", "Place").qid == "Q900113"
    assert decide(client, "Coastal States Forum", "Organization").qid == "Q900114"
    assert decide(client, "Port Selwyn", "Person").decision == "rejected-type"


def test_no_exact_name_match_is_no_match(client: WikidataClient) -> None:
    other = decide(client, "Anselm Quay", "Person")
    assert (other.qid, other.decision, other.candidates) == ("", "no-match", ("Q900101",))
    nothing = decide(client, "Nobody Atall", "Person")
    assert (nothing.decision, nothing.candidates) == ("no-match", ())


def test_curated_entities_are_not_asked(client: WikidataClient, replay: ReplayServer) -> None:
    asked: list[tuple[str, str]] = []

    def known(label: str, etype: str) -> bool:
        asked.append((label, etype))
        return label == "Velmora"

    out = reconcile(
        [("Velmora", "Country"), ("Mirela Vostrikova", "Person")],
        client,
        known=known,
        today=TODAY,
    )
    assert [d.label for d in out] == ["Mirela Vostrikova"]
    assert ("Velmora", "Country") in asked
    assert "Velmora" not in replay.searches()


def test_duplicates_and_uncheckable_types_are_not_asked(
    client: WikidataClient, replay: ReplayServer
) -> None:
    out = reconcile(
        [
            ("Mirela Vostrikova", "Person"),
            ("mirela  vostrikova", "Person"),
            ("Coastal Accord", "Agreement"),
        ],
        client,
        known=nothing_known,
        today=TODAY,
    )
    assert [(d.label, d.type) for d in out] == [("Mirela Vostrikova", "Person")]
    assert replay.searches() == ["Mirela Vostrikova"]


def test_class_labels_are_fetched_once_per_run(
    client: WikidataClient, replay: ReplayServer
) -> None:
    reconcile(
        [("Mirela Vostrikova", "Person"), ("Ottilie Varga", "Person")],
        client,
        known=nothing_known,
        today=TODAY,
    )
    gets = [p["ids"].split("|") for p, _ in replay.requests if p["action"] == "wbgetentities"]
    class_requests = [ids for ids in gets if set(ids) <= set(CLASSES)]
    assert class_requests == [[HUMAN], [SHIP]]  # 'human' is not asked again for Ottilie Varga


# --- failures --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_actionable(err: ReconciliationError) -> None:
    text = str(err)
    assert isinstance(err, DiplographError)
    assert "Wikidata API" in text
    assert "network access" in text and "offline" in text
    assert "Traceback" not in text


def test_closed_port_fails_cleanly() -> None:
    client = WikidataClient(api_url=f"http://127.0.0.1:{free_port()}/w/api.php", timeout_s=5.0)
    with pytest.raises(ReconciliationError) as info:
        reconcile([("Mirela Vostrikova", "Person")], client, known=nothing_known, today=TODAY)
    assert "cannot reach" in info.value.message
    assert_actionable(info.value)


def test_silent_server_times_out_cleanly() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts connections into the backlog but never answers
        port = listener.getsockname()[1]
        client = WikidataClient(api_url=f"http://127.0.0.1:{port}/w/api.php", timeout_s=0.2)
        with pytest.raises(ReconciliationError) as info:
            client.search("Mirela Vostrikova")
    assert_actionable(info.value)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b"<html>upstream proxy error</html>", "not JSON"),
        (200, b'{"search": "not a list"}', "unexpected answer"),
        (200, b"[1, 2]", "not a JSON object"),
        (200, b'{"error": {"code": "maxlag", "info": "Waiting for a database"}}', "refused"),
        (503, b"Service Unavailable", "HTTP 503"),
    ],
)
def test_bad_answers_fail_cleanly(
    client: WikidataClient, replay: ReplayServer, status: int, body: bytes, expected: str
) -> None:
    replay.override = (status, body)
    with pytest.raises(ReconciliationError) as info:
        client.search("Mirela Vostrikova")
    assert expected in info.value.message
    assert_actionable(info.value)


# --- the decisions file ----------------------------------------------------------------------


def accepted(label: str, etype: str, qid: str, day: dt.date = TODAY) -> Decision:
    return Decision(label, etype, qid, "accepted", 1.0, (qid,), SOURCE, day)


def test_decisions_round_trip_through_the_file(tmp_path: Path, client: WikidataClient) -> None:
    decisions = reconcile(
        [(label, "Person") for label in ("Mirela Vostrikova", "Tomas Reyne", "Halvard Brennick")],
        client,
        known=nothing_known,
        today=TODAY,
    )
    path = tmp_path / "gazetteer" / "reconciled.tsv"
    write_decisions(path, decisions)
    assert read_decisions(path) == decisions
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert any(SOURCE in c for c in comments)
    assert any(TODAY.isoformat() in c for c in comments)
    assert lines[len(comments)].split("\t") == list(COLUMNS)
    links = links_from(read_decisions(path))
    assert {k: d.qid for k, d in links.items()} == {("mirela vostrikova", "Person"): "Q900101"}


def test_merge_keeps_curated_rows_and_replaces_reconciled_ones(tmp_path: Path) -> None:
    path = tmp_path / "reconciled.tsv"
    curated = Decision("Mirela Vostríková", "Person", "Q900999", "curated", 1.0, (), "by hand")
    not_linked = Decision("Velmora", "Country", "", "curated", 0.0, (), "by hand")
    old = Decision("Tomas Reyne", "Person", "", "ambiguous", 1.0, ("Q900105", "Q900106"),
                   SOURCE, dt.date(2030, 1, 1))  # fmt: skip
    other = Decision("Port Selwyn", "Place", "Q900113", "accepted", 1.0, (), "another tool")
    write_decisions(path, [curated, not_linked, old, other])

    new = [
        accepted("Mirela Vostrikova", "Person", "Q900101"),
        accepted("Velmora", "Country", "Q900111"),
        accepted("Tomas Reyne", "Person", "Q900105"),
        accepted("Port Selwyn", "Place", "Q900222"),
        accepted("Coastal States Forum", "Organization", "Q900114"),
    ]
    rows = write_decisions(path, new)
    assert read_decisions(path) == rows
    assert rows == [curated, not_linked, new[2], other, new[4]]
    links = {k: d.qid for k, d in links_from(rows).items()}
    assert links == {
        ("mirela vostrikova", "Person"): "Q900999",
        ("tomas reyne", "Person"): "Q900105",
        ("port selwyn", "Place"): "Q900113",
        ("coastal states forum", "Organization"): "Q900114",
    }


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "reconciled.tsv"
    write_decisions(path, [accepted("Mirela Vostrikova", "Person", "Q900101")])
    before = path.read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ReconciliationError, match="unchanged"):
        write_decisions(path, [accepted("Tomas Reyne", "Person", "Q900105")])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["reconciled.tsv"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("Mirela Vostrikova\tPerson\t7747\taccepted\t1.00\t\tx\t2031-03-14", "item id"),
        ("Mirela Vostrikova\tPerson\tQ900101\tmaybe\t1.00\t\tx\t2031-03-14", "unknown decision"),
        ("Mirela Vostrikova\tPerson\t\taccepted\t1.00\t\tx\t2031-03-14", "needs a qid"),
        ("Mirela Vostrikova\tPerson\tQ900101\taccepted\t1.50\t\tx\t2031-03-14", "outside"),
        ("Mirela Vostrikova\tPerson\tQ900101\taccepted\t1.00\t\tx\t14/03/2031", "date"),
    ],
)
def test_bad_rows_name_the_line(tmp_path: Path, row: str, problem: str) -> None:
    path = tmp_path / "reconciled.tsv"
    path.write_text("# comment\n" + "\t".join(COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ReconciliationError, match=problem) as info:
        read_decisions(path)
    assert info.value.where == f"{path}:3"


def test_missing_file_has_no_decisions(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "absent.tsv") == []


def test_shipped_file_is_a_readable_header() -> None:
    path = gazetteer_dir() / "reconciled.tsv"
    assert read_decisions(path) == []
    assert path.read_text(encoding="utf-8").startswith("# ")

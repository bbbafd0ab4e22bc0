"""``diplograph gazetteer update``: office holders from the Query Service, replayed locally.

No test touches the network: ``wdqs_samples`` serves recorded SPARQL JSON answers (invented
people with invented QIDs Q999999xxx, clearly test fixtures) on a local port. A row that must
equal a shipped row is built from the shipped table itself, never from memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from wdqs_samples import (
    FOREIGN_MINISTRY_POST,
    MUL_LABELLED_MINISTER,
    NEW_FOREIGN_MINISTER,
    NEW_HEAD_OF_GOVERNMENT,
    NO_LABEL,
    ORGANISATION_HEAD,
    STATE,
    UNKNOWN_END,
    Replay,
    Request,
    binding,
    organisations_answer,
    replay_server,
    state_answer,
)

from graphbuild.cli import main
from graphbuild.errors import ConfigError, DiplographError
from graphbuild.link.office_holders import load_office_holders
from graphbuild.link.office_update import (
    QueryService,
    WikidataUnreachable,
    WikidataUpdateError,
    partial_dir,
    plan_batches,
    read_shipped,
    update_office_holders,
)
from graphbuild.resources import gazetteer_dir

SHIPPED = gazetteer_dir() / "office-holders.tsv"
TODAY = dt.date(2026, 5, 4)
AFTER_THE_TABLE = dt.date(2025, 11, 20)  # later than every snapshot of the shipped table
FIRST_BATCH = f"state-{STATE}"
LATER_BATCH = "state-GB"  # asked after the fixture state's batch
SOURCE_LINE = re.compile(r"^#\s+(s[0-9]{3,})\s+([0-9]{4}-[0-9]{2}-[0-9]{2})\s+(\S+)\s*$")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]


def shipped_row_of_the_state() -> dict[str, str]:
    """A shipped row of the fixture state with a position and a full-day start."""
    return next(
        r
        for r in data_rows(SHIPPED)
        if r["iso2"] == STATE and r["position_qid"] and len(r["start"]) == 10 and not r["end"]
    )


def as_answered(row: dict[str, str]) -> dict[str, dict[str, str]]:
    """The binding the Query Service would give for a shipped row of a listed position."""
    return binding(
        f"{row['qid']}-shipped",
        "listed",
        STATE,
        row["qid"],
        en=row["label"],
        position=row["position_qid"],
        position_en=row["position_label"],
        start=row["start"],
    )


def recorded() -> Replay:
    return Replay(
        answers={
            FIRST_BATCH: state_answer([as_answered(shipped_row_of_the_state())]),
            "organisations": organisations_answer(),
        }
    )


@pytest.fixture
def replay() -> Replay:
    return recorded()


@pytest.fixture
def endpoint(replay: Replay) -> Iterator[str]:
    with replay_server(replay) as url:
        yield url


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def service(endpoint: str, sleeps: Sleeps | None = None, **kwargs: Any) -> QueryService:
    return QueryService(endpoint, sleep=sleeps if sleeps is not None else Sleeps(), **kwargs)


def run(output: Path, endpoint: str, svc: QueryService | None = None, **kwargs: Any) -> Path:
    update_office_holders(output, svc or service(endpoint), today=lambda: TODAY, **kwargs)
    return output


@dataclass(frozen=True)
class Standard:
    """One uninterrupted update against the recorded answers, shared by the module's tests."""

    output: Path
    endpoint: str
    requests: list[Request]
    shipped_before: str


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standard]:
    replay = recorded()
    shipped_before = digest(SHIPPED)
    with replay_server(replay) as url:
        output = run(tmp_path_factory.mktemp("standard") / "office-holders.tsv", url)
        yield Standard(output, url, list(replay.requests), shipped_before)


# ---- what it must show -------------------------------------------------------------------------


def test_a_person_appointed_after_the_shipped_table_is_linked_with_their_state(
    standard: Standard,
) -> None:
    before = load_office_holders()
    assert before.resolve("Mirela Testova", on=AFTER_THE_TABLE) is None

    index = load_office_holders(update=standard.output)
    link = index.resolve("Mirela Testova", on=AFTER_THE_TABLE)
    assert link is not None and link.qid == NEW_FOREIGN_MINISTER
    # The office gives the state: the term says whose foreign minister she is.
    assert {(t.iso2, t.office, t.position_qid) for t in link.terms} == {
        (STATE, "foreign minister", FOREIGN_MINISTRY_POST)
    }
    # (Her predecessor's shipped term is open, so it is taken to go on: the real update brings
    # its end; tests/test_office_holders.py shows an update term replacing an open one.)
    assert NEW_FOREIGN_MINISTER in {
        t.qid for t in index.holders(STATE, "foreign minister", on=AFTER_THE_TABLE)
    }
    assert index.resolve_surname("Testova", on=AFTER_THE_TABLE, iso2=STATE) is not None
    hog = index.resolve("Teodor Probst", on=AFTER_THE_TABLE, office="head of government")
    assert hog is not None and hog.qid == NEW_HEAD_OF_GOVERNMENT and hog.terms[0].iso2 == STATE
    head = index.resolve("Vesna Exempla", on=dt.date(2027, 3, 1))
    assert head is not None and head.qid == ORGANISATION_HEAD
    assert head.terms[0].organisation == "UN" and head.terms[0].iso2 is None


def test_the_shipped_rows_are_unchanged_byte_for_byte(standard: Standard) -> None:
    assert digest(SHIPPED) == standard.shipped_before
    with pytest.raises(ConfigError, match="shipped office-holder table"):
        run(SHIPPED, standard.endpoint)
    assert digest(SHIPPED) == standard.shipped_before


def test_the_update_file_is_reproducible_from_the_same_responses_read_in_pages(
    tmp_path: Path, standard: Standard
) -> None:
    replay = recorded()
    with replay_server(replay) as url:
        assert url != standard.endpoint  # another port: the service names differ, and only they
        paged = run(tmp_path / "office-holders.tsv", url, page_rows=2)
    pages = [(r.limit, r.offset) for r in replay.requests if r.batch == FIRST_BATCH]
    size = len(replay.answers[FIRST_BATCH])
    assert pages == [(2, offset) for offset in range(0, size + 1, 2)]
    text = paged.read_text(encoding="utf-8").replace(url, standard.endpoint)
    assert text == standard.output.read_text(encoding="utf-8")
    assert not partial_dir(paged).exists() and not partial_dir(standard.output).exists()


def test_every_row_names_the_query_the_service_and_the_date(standard: Standard) -> None:
    text = standard.output.read_text(encoding="utf-8")
    declared = {}
    for line in text.splitlines():
        match = SOURCE_LINE.match(line)
        if match:
            declared[match[1]] = (match[2], match[3])
    assert declared
    for when, source in declared.values():
        assert when == TODAY.isoformat()
        assert re.fullmatch(re.escape(standard.endpoint) + r"#[\w-]+@sha256:[0-9a-f]{16}", source)
    rows = data_rows(standard.output)
    assert {r["source"] for r in rows} <= set(declared)
    assert {r["qid"] for r in rows} == {
        NEW_FOREIGN_MINISTER, NEW_HEAD_OF_GOVERNMENT, MUL_LABELLED_MINISTER, ORGANISATION_HEAD
    }  # fmt: skip
    assert "CC0" in text and "# | SELECT" in text  # licence, and the query templates quoted


def test_answers_become_rows_as_the_table_states_them(standard: Standard) -> None:
    rows = {r["qid"]: r for r in data_rows(standard.output)}
    assert rows[NEW_FOREIGN_MINISTER]["office"] == "foreign minister"  # not "other minister"
    assert rows[NEW_HEAD_OF_GOVERNMENT]["office"] == "head of government"
    assert rows[NEW_HEAD_OF_GOVERNMENT]["position_qid"] == ""
    minister = rows[MUL_LABELLED_MINISTER]
    assert minister["label"] == "Ilse Fixtura"  # the multilingual label when English has none
    assert (minister["start"], minister["end"]) == ("2024-05", "2025")  # at their precision
    assert UNKNOWN_END not in rows  # ended at an unknown date: cannot be placed
    assert NO_LABEL not in rows  # cannot be matched by name


def test_terms_the_shipped_table_has_are_left_out_unless_full(
    tmp_path: Path, standard: Standard
) -> None:
    shipped = shipped_row_of_the_state()
    assert shipped["qid"] not in {r["qid"] for r in data_rows(standard.output)}
    full_path = run(tmp_path / "full.tsv", standard.endpoint, full=True)
    (again,) = [r for r in data_rows(full_path) if r["qid"] == shipped["qid"]]
    columns = ("office", "iso2", "start", "end", "position_qid")
    assert [again[c] for c in columns] == [shipped[c] for c in columns]
    # A full table loads as the shipped one does.
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    (folder / "office-holders.tsv").write_bytes(full_path.read_bytes())
    (folder / "name-variants.tsv").write_bytes((gazetteer_dir() / "name-variants.tsv").read_bytes())
    assert load_office_holders(folder).person(NEW_FOREIGN_MINISTER) is not None


def test_requests_name_the_project_and_go_one_batch_at_a_time(standard: Standard) -> None:
    agents = {r.headers.get("User-Agent", "") for r in standard.requests}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("diplograph/") and "https://w3id.org/diplograph/" in agent
    batches = list(dict.fromkeys(r.batch for r in standard.requests))
    assert batches[0] == FIRST_BATCH and batches[-1] == "organisations"
    assert len(batches) == len(standard.requests)  # one page each at the default page size
    assert all(
        r.headers.get("Accept") == "application/sparql-results+json" for r in standard.requests
    )


# ---- politeness: the client against the replay ----------------------------------------------


def one_query() -> str:
    shipped = read_shipped(SHIPPED)
    (batch,) = [b for b in plan_batches(shipped) if b.id == FIRST_BATCH]
    return batch.page(100, 0)


def test_429_with_retry_after_is_waited_out(endpoint: str, replay: Replay) -> None:
    replay.failures[FIRST_BATCH] = [("429", "7")]
    sleeps = Sleeps()
    answer = service(endpoint, sleeps).select(one_query())
    assert sleeps == [7.0]
    assert len(replay.requests) == 2
    assert len(answer) == len(replay.answers[FIRST_BATCH])


def test_503_without_retry_after_backs_off_exponentially(endpoint: str, replay: Replay) -> None:
    replay.failures[FIRST_BATCH] = ["503", "503", "503"]
    sleeps = Sleeps()
    service(endpoint, sleeps, backoff_s=1.5).select(one_query())
    assert sleeps == [1.5, 3.0, 6.0]


def test_a_cut_off_answer_is_asked_again(endpoint: str, replay: Replay) -> None:
    replay.failures[FIRST_BATCH] = ["malformed"]
    assert len(service(endpoint).select(one_query())) == len(replay.answers[FIRST_BATCH])
    assert len(replay.requests) == 2


def test_retries_end_with_an_error_that_names_the_last_failure(
    endpoint: str, replay: Replay
) -> None:
    replay.failures[FIRST_BATCH] = ["503"] * 3
    with pytest.raises(WikidataUpdateError, match=r"failed 3 times \(HTTP 503"):
        service(endpoint, attempts=3).select(one_query())
    assert len(replay.requests) == 3


def test_a_wait_longer_than_allowed_is_not_waited(endpoint: str, replay: Replay) -> None:
    replay.failures[FIRST_BATCH] = [("429", "3600")]
    sleeps = Sleeps()
    with pytest.raises(WikidataUpdateError, match="asks to wait 3600 s"):
        service(endpoint, sleeps, max_wait_s=60).select(one_query())
    assert sleeps == []


def test_a_silent_service_times_out(endpoint: str, replay: Replay) -> None:
    replay.silence_s = 1.0
    replay.failures[FIRST_BATCH] = ["silent", "silent"]
    with pytest.raises(WikidataUpdateError, match=r"no answer within 0\.2 s"):
        service(endpoint, timeout_s=0.2, attempts=2).select(one_query())


def test_an_unreachable_service_is_told_apart(tmp_path: Path) -> None:
    output = tmp_path / "office-holders.tsv"
    with pytest.raises(WikidataUnreachable, match="cannot reach") as info:
        run(output, "http://127.0.0.1:9/sparql")
    assert "nothing changed" in info.value.message
    assert list(tmp_path.iterdir()) == []


# ---- failures leave nothing half-written, and the next run resumes ---------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def test_a_malformed_answer_writes_nothing_and_the_next_run_resumes(
    tmp_path: Path, endpoint: str, replay: Replay, standard: Standard
) -> None:
    output = tmp_path / "office-holders.tsv"
    output.write_text("the previous update\n", encoding="utf-8")
    replay.failures[LATER_BATCH] = ["malformed"] * 2
    with pytest.raises(WikidataUpdateError, match="not SPARQL JSON results") as info:
        run(output, endpoint, service(endpoint, attempts=2))
    assert isinstance(info.value, DiplographError)
    assert "batches kept to resume from" in info.value.message
    assert output.read_text(encoding="utf-8") == "the previous update\n"
    assert leftovers(tmp_path) == []
    kept = sorted(p.stem for p in partial_dir(output).glob("*.json"))
    assert kept[0] == FIRST_BATCH and kept[-1] < LATER_BATCH

    replay.requests.clear()
    run(output, endpoint)
    resumed = replay.batches_asked()
    assert resumed[0] == LATER_BATCH and not set(kept) & set(resumed)
    text = output.read_text(encoding="utf-8").replace(endpoint, standard.endpoint)
    assert text == standard.output.read_text(encoding="utf-8")  # as if never interrupted
    assert not partial_dir(output).exists()


def test_a_timeout_fails_cleanly_and_keeps_the_previous_file(
    tmp_path: Path, endpoint: str, replay: Replay
) -> None:
    output = tmp_path / "office-holders.tsv"
    output.write_text("the previous update\n", encoding="utf-8")
    replay.silence_s = 1.0
    replay.failures[LATER_BATCH] = ["silent", "silent"]
    with pytest.raises(WikidataUpdateError, match=r"no answer within 0\.2 s"):
        run(output, endpoint, service(endpoint, timeout_s=0.2, attempts=2))
    assert output.read_text(encoding="utf-8") == "the previous update\n"
    assert leftovers(tmp_path) == []

    # A saved batch of another query (here: a changed hash) is asked again, not resumed.
    saved = partial_dir(output) / f"{FIRST_BATCH}.json"
    text = saved.read_text(encoding="utf-8")
    saved.write_text(text.replace('"query_sha256": "', '"query_sha256": "0'), encoding="utf-8")
    replay.requests.clear()
    run(output, endpoint)
    asked = replay.batches_asked()
    assert asked[0] == FIRST_BATCH and asked[1] == LATER_BATCH


def test_restart_asks_every_batch_again(tmp_path: Path, endpoint: str, replay: Replay) -> None:
    output = tmp_path / "office-holders.tsv"
    replay.failures[LATER_BATCH] = ["malformed"]
    with pytest.raises(WikidataUpdateError):
        run(output, endpoint, service(endpoint, attempts=1))
    replay.requests.clear()
    run(output, endpoint, restart=True)
    assert replay.batches_asked()[0] == FIRST_BATCH


# ---- the command -------------------------------------------------------------------------------


def test_the_command_writes_into_the_update_folder_setting(tmp_path: Path, endpoint: str) -> None:
    folder = tmp_path / "updates"
    shipped_before = digest(SHIPPED)
    result = CliRunner().invoke(
        main,
        ["--quiet", "gazetteer", "update", "--endpoint", endpoint],
        env={"DIPLOGRAPH_GAZETTEER_UPDATE_DIR": str(folder)},
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""  # --quiet: no progress, no summary
    assert NEW_FOREIGN_MINISTER in {r["qid"] for r in data_rows(folder / "office-holders.tsv")}
    assert digest(SHIPPED) == shipped_before


def test_offline_the_command_says_so_in_one_line_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "updates"
    result = CliRunner().invoke(
        main,
        ["gazetteer", "update", "--endpoint", "http://127.0.0.1:9/sparql"],
        env={"DIPLOGRAPH_GAZETTEER_UPDATE_DIR": str(folder)},
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Wikidata Query")
    assert "Traceback" not in result.output
    assert not folder.exists()


# ---- a build reads the update ------------------------------------------------------------------

ROLE_QUERY = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?person ?party ?rule WHERE {
  ?role dg:roleHolder ?holder ; dg:roleParty ?state ; dg:rule ?rule .
  ?holder rdfs:label ?person . ?state rdfs:label ?party .
}"""


def roles_built(articles: Path, store: Path) -> set[tuple[str, str, str]]:
    from graphbuild.run.build import build_corpus
    from graphbuild.settings import Settings
    from graphbuild.store.embedded import GraphStore

    report = build_corpus([articles], Settings({"store": str(store), "jobs": 1}), quiet=True)
    assert report.built == ["fm"] and not report.rejected, report.rejected
    with GraphStore.open(store, read_only=True) as gs:
        found = gs.query(ROLE_QUERY)
        return {(s["person"].value, s["party"].value, s["rule"].value) for s in found}


@pytest.mark.slow
def test_a_build_gives_the_new_minister_her_state_once_the_update_is_there(
    tmp_path: Path, standard: Standard, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphbuild.link.office_holders import shipped_office_holders

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "fm.txt").write_text(
        "Foreign Minister Mirela Testova met reporters in Oslo on Friday.\n", encoding="utf-8"
    )
    (articles / "fm.json").write_text('{"published": "2025-05-02"}', encoding="utf-8")
    shipped_office_holders.cache_clear()
    try:
        assert roles_built(articles, tmp_path / "before") == set()  # no state: role dropped

        monkeypatch.setenv("DIPLOGRAPH_GAZETTEER_UPDATE_DIR", str(standard.output.parent))
        shipped_office_holders.cache_clear()
        ((person, party, rule),) = roles_built(articles, tmp_path / "after")
    finally:
        monkeypatch.undo()
        shipped_office_holders.cache_clear()
    assert (person, party) == ("Mirela Testova", "Andorra")
    assert rule.startswith(f"role.office-holder-table:{NEW_FOREIGN_MINISTER}/{STATE}/")

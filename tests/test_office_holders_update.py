"""How the office-holder index merges the update from Wikidata with the shipped table.

The tables here are small and invented (QIDs Q999999xxx are TEST FIXTURES, not Wikidata items):
a "shipped" one whose source is a 2022 snapshot and an "update" answered in 2026.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from graphbuild.errors import ConfigError
from graphbuild.link.office_holders import (
    COLUMNS,
    OfficeHolders,
    Term,
    load_office_holders,
    office_holders_for,
    shipped_office_holders,
    terms_overlap,
    update_dir,
    update_file,
    user_data_dir,
)
from graphbuild.resources import gazetteer_dir
from graphbuild.settings import load_settings

OLD_MINISTER = "Q999999011"
NEW_MINISTER = "Q999999012"
AMBASSADOR = "Q999999013"
POST = "Q999999111"
EMBASSY_ONE, EMBASSY_TWO = "Q999999112", "Q999999113"


def table(source: str, as_of: str, rows: list[tuple[str, ...]]) -> str:
    header = [
        "# test fixture: invented office holders",
        f"#   s001 {as_of} {source}",
        "\t".join(COLUMNS),
    ]
    return "\n".join([*header, *("\t".join((*r, "s001")) for r in rows)]) + "\n"


def row(
    label: str, qid: str, office: str, start: str, end: str, position: str = "", aliases: str = ""
) -> tuple[str, ...]:
    return (label, aliases, qid, office, "AD", "", start, end, position, "")


SHIPPED_ROWS = [
    row("Olga Alt", OLD_MINISTER, "foreign minister", "2017-07-17", "", POST),
    row("Bruno Bote", AMBASSADOR, "other", "2019", "", EMBASSY_ONE),
    row("Bruno Bote", AMBASSADOR, "other", "2012", "2019", EMBASSY_TWO),
]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "shipped"
    folder.mkdir()
    source = "example/shipped@0000000000000000000000000000000000000000:t.csv"
    text = table(source, "2022-07-24", SHIPPED_ROWS)
    (folder / "office-holders.tsv").write_text(text, encoding="utf-8")
    shutil.copy(gazetteer_dir() / "name-variants.tsv", folder / "name-variants.tsv")
    return folder


def update(tmp_path: Path, rows: list[tuple[str, ...]], as_of: str = "2026-01-05") -> Path:
    path = tmp_path / "update" / "office-holders.tsv"
    path.parent.mkdir(exist_ok=True)
    source = "http://127.0.0.1:1/sparql#state-AD@sha256:0123456789abcdef"
    path.write_text(table(source, as_of, rows), encoding="utf-8")
    return path


ON = date(2025, 5, 2)


def test_an_update_term_replaces_the_open_shipped_term_it_overlaps(
    tmp_path: Path, shipped: Path
) -> None:
    without = load_office_holders(shipped)
    assert [t.qid for t in without.holders("AD", "foreign minister", on=ON)] == [OLD_MINISTER]

    path = update(
        tmp_path,
        [
            row("Olga Alt", OLD_MINISTER, "foreign minister", "2017-07-17", "2024-03-10", POST),
            row("Nina Neu", NEW_MINISTER, "foreign minister", "2024-03-11", "", POST),
        ],
    )
    index = load_office_holders(shipped, update=path)
    assert [t.qid for t in index.holders("AD", "foreign minister", on=ON)] == [NEW_MINISTER]
    (old,) = index.terms_of(OLD_MINISTER)
    assert (old.end, old.as_of) == ("2024-03-10", date(2026, 1, 5))
    link = index.resolve("Nina Neu", on=ON)
    assert link is not None and link.qid == NEW_MINISTER and link.terms[0].iso2 == "AD"
    # The old minister is still found for her own years, now ended.
    past = index.resolve("Olga Alt", on=date(2020, 1, 1))
    assert past is not None and past.qid == OLD_MINISTER
    assert index.resolve("Olga Alt", on=ON) is None


def test_an_older_update_gives_way_to_a_newer_shipped_term(tmp_path: Path, shipped: Path) -> None:
    path = update(
        tmp_path,
        [row("Olga Alt", OLD_MINISTER, "foreign minister", "2017-07-17", "2018-01-01", POST)],
        as_of="2020-01-01",
    )
    (term,) = load_office_holders(shipped, update=path).terms_of(OLD_MINISTER)
    assert (term.end, term.as_of) == ("", date(2022, 7, 24))


def test_terms_of_other_posts_or_other_years_are_all_kept(tmp_path: Path, shipped: Path) -> None:
    path = update(
        tmp_path,
        [
            row("Bruno Bote", AMBASSADOR, "other", "2019-03", "2024-08-31", EMBASSY_ONE),
            row("Bruno Bote", AMBASSADOR, "other", "2024-09-01", "", "Q999999114"),
        ],
    )
    terms = load_office_holders(shipped, update=path).terms_of(AMBASSADOR)
    assert [(t.start, t.end, t.position_qid) for t in terms] == [
        ("2012", "2019", EMBASSY_TWO),  # another post: kept
        ("2019-03", "2024-08-31", EMBASSY_ONE),  # replaced the open "2019 -" term
        ("2024-09-01", "", "Q999999114"),  # new
    ]


def test_a_person_in_both_keeps_one_label_and_every_spelling(tmp_path: Path, shipped: Path) -> None:
    path = update(
        tmp_path,
        [row("Olga Alt-Neumann", OLD_MINISTER, "foreign minister", "2017-07-17", "", POST)],
    )
    index = load_office_holders(shipped, update=path)
    person = index.person(OLD_MINISTER)
    assert person is not None and person.label == "Olga Alt-Neumann"
    assert "Olga Alt" in person.aliases
    assert {t.label for t in index.terms_of(OLD_MINISTER)} == {"Olga Alt-Neumann"}
    for name in ("Olga Alt", "Olga Alt-Neumann"):
        link = index.resolve(name, on=ON)
        assert link is not None and link.qid == OLD_MINISTER


def test_a_missing_update_changes_nothing(tmp_path: Path, shipped: Path) -> None:
    plain = load_office_holders(shipped)
    merged = load_office_holders(shipped, update=tmp_path / "nowhere" / "office-holders.tsv")
    assert repr(merged) == repr(plain)
    assert merged.terms_of(OLD_MINISTER) == plain.terms_of(OLD_MINISTER)


def test_a_malformed_update_row_is_named_by_file_and_line(tmp_path: Path, shipped: Path) -> None:
    path = update(tmp_path, [row("Nina Neu", "P12", "foreign minister", "2024-03-11", "", POST)])
    with pytest.raises(ConfigError, match=r"update[/\\]office-holders\.tsv:4: qid 'P12'"):
        load_office_holders(shipped, update=path)


def term(start: str, end: str, position: str | None = None, office: str = "other") -> Term:
    return Term(
        "Q999999001", "x", office, "AD", None, start, end, "", position,  # type: ignore[arg-type]
        date(2022, 1, 1), "s",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (term("2019", "2019"), term("2019-12-31", ""), True),  # a year holds its last day
        (term("2018", "2019"), term("2020-01-01", ""), False),
        (term("2019-05", "2019-05"), term("2019-05-31", "2019-06"), True),
        (term("", "2016"), term("2010", "2011"), True),  # an unknown start reaches back
        (term("2019", "", "Q999999111"), term("2020", "", "Q999999112"), False),  # other posts
        (term("2019", "", "Q999999111"), term("2020", ""), True),  # one names no post
        (term("2019", ""), term("2020", "", office="other minister"), False),
    ],
)
def test_when_two_terms_overlap(a: Term, b: Term, overlap: bool) -> None:
    assert terms_overlap(a, b) is overlap
    assert terms_overlap(b, a) is overlap


# ---- where the update lives --------------------------------------------------------------------


def test_the_update_folder_is_the_setting_or_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = load_settings(environ={"DIPLOGRAPH_GAZETTEER_UPDATE_DIR": str(tmp_path)})
    assert update_file(configured) == tmp_path / "office-holders.tsv"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if user_data_dir().is_relative_to(tmp_path):  # Linux and other Unix
        expected = tmp_path / "xdg" / "diplograph" / "gazetteer"
        assert update_dir(load_settings(environ={})) == expected
    monkeypatch.setenv("DIPLOGRAPH_GAZETTEER_UPDATE_DIR", str(tmp_path / "env"))
    monkeypatch.delenv("DIPLOGRAPH_SETTINGS", raising=False)
    assert update_dir() == tmp_path / "env"  # no settings given: read as the command line does


def test_the_shipped_index_merges_the_update_of_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "updates"
    folder.mkdir()
    (folder / "office-holders.tsv").write_text(
        table(
            "http://127.0.0.1:1/sparql#state-AD@sha256:0123456789abcdef",
            "2026-01-05",
            [row("Nina Neu", NEW_MINISTER, "foreign minister", "2024-03-11", "", POST)],
        ),
        encoding="utf-8",
    )
    settings = load_settings(environ={"DIPLOGRAPH_GAZETTEER_UPDATE_DIR": str(folder)})
    index = office_holders_for(settings)
    assert index.person(NEW_MINISTER) is not None
    assert len(index.people) == len(shipped_index().people) + 1

    monkeypatch.setenv("DIPLOGRAPH_GAZETTEER_UPDATE_DIR", str(folder))
    shipped_office_holders.cache_clear()
    try:
        assert shipped_office_holders().person(NEW_MINISTER) is not None
    finally:
        monkeypatch.undo()
        shipped_office_holders.cache_clear()
    assert shipped_office_holders().person(NEW_MINISTER) is None


def shipped_index() -> OfficeHolders:
    return load_office_holders()


def test_workers_with_another_update_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    from graphbuild.run.distributed import installation_fingerprint

    monkeypatch.setenv("DIPLOGRAPH_GAZETTEER_UPDATE_DIR", str(tmp_path))
    without = installation_fingerprint()
    (tmp_path / "office-holders.tsv").write_text("an update\n", encoding="utf-8")
    assert installation_fingerprint() != without

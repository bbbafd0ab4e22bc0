"""The office-holder index: sourced rows, name keys, and links only where one person fits.

Expected QIDs are never written here: each test finds them in the shipped table with a reader
of its own (``rows`` below), so the assertions are about real rows, and the index has to agree
with a plain reading of the file.
"""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphbuild.errors import ConfigError
from graphbuild.link.office_holders import (
    OFFICES,
    OfficeHolders,
    load_office_holders,
    name_key,
    shipped_office_holders,
)
from graphbuild.resources import gazetteer_dir

REPO = Path(__file__).resolve().parents[1]
TABLE = gazetteer_dir() / "office-holders.tsv"
SHARED_TABLE = REPO.parent / "shared" / "data" / "wikidata" / "office-holders.tsv"
SOURCE_DECLARATION = re.compile(r"^#\s+(s[0-9]{3,})\s+([0-9]{4}-[0-9]{2}-[0-9]{2})\s+(\S+)\s*$")


@pytest.fixture(scope="module")
def oh() -> OfficeHolders:
    return shipped_office_holders()


def rows(path: Path = TABLE) -> list[dict[str, str]]:
    """The data rows of a commented TSV file, read without the code under test."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]


def qid_of(label: str, **columns: str) -> str:
    """The one QID of the shipped rows with this label (and these column values)."""
    found = {
        r["qid"]
        for r in rows()
        if r["label"] == label and all(r[c] == v for c, v in columns.items())
    }
    assert len(found) == 1, (label, columns, found)
    return found.pop()


def qids_labelled(label: str) -> set[str]:
    return {r["qid"] for r in rows() if r["label"] == label}


# ---- the shipped file ----------------------------------------------------------------------------


def test_every_row_names_a_declared_source_with_repository_commit_and_path() -> None:
    declared = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = SOURCE_DECLARATION.match(line)
        if match:
            declared[match[1]] = match[3]
    assert declared
    for source in declared.values():
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}:\S+", source), source
    data = rows()
    assert len(data) > 20_000
    for row in data:
        assert re.fullmatch(r"Q[1-9][0-9]*", row["qid"]), row
        assert row["source"] in declared, row
        assert row["label"], row


def test_each_qid_has_one_label_and_one_alias_list(oh: OfficeHolders) -> None:
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows():
        names[row["qid"]].add((row["label"], row["aliases"]))
    assert all(len(n) == 1 for n in names.values())
    assert len(oh.people) == len(names)


def test_the_header_states_licence_origin_and_how_to_regenerate() -> None:
    header = "\n".join(
        line for line in TABLE.read_text(encoding="utf-8").splitlines() if line[:1] == "#"
    )
    assert "CC0" in header
    assert "tools/derive_office_holders.py" in header
    assert "sha256" in header


@pytest.mark.skipif(
    not SHARED_TABLE.exists(), reason=f"the shared table {SHARED_TABLE} is not present"
)
def test_derivation_reproduces_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "office-holders.tsv"
    script = REPO / "tools" / "derive_office_holders.py"
    subprocess.run([sys.executable, str(script), str(SHARED_TABLE), str(out)], check=True)
    assert out.read_bytes() == TABLE.read_bytes()


@pytest.mark.skipif(
    not SHARED_TABLE.exists(), reason=f"the shared table {SHARED_TABLE} is not present"
)
def test_labels_of_the_portuguese_preferred_source_give_way_to_other_sources() -> None:
    by_source: dict[str, dict[bool, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows(SHARED_TABLE):
        portuguese = row["source"].startswith("cfmessias/geografia@")
        by_source[row["qid"]][portuguese].add(row["label"])
    shipped = {r["qid"]: (r["label"], set(r["aliases"].split("|")) - {""}) for r in rows()}
    mixed = [q for q, labels in by_source.items() if labels[True] - labels[False] and labels[False]]
    assert mixed  # the table has such items, e.g. a Portuguese "Maomé"
    for qid in mixed:
        label, aliases = shipped[qid]
        assert label in by_source[qid][False], qid
        assert by_source[qid][True] - {label} <= aliases, qid


# ---- name keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "written"),
    [
        ("CRISTINA FERNÁNDEZ DE KIRCHNER", "Cristina Fernandez de Kirchner"),
        ("Mevlut Cavusoglu", "Mevlüt Çavuşoğlu"),
        ("Beata Szydlo", "Beata Szydło"),
        ("H.E. Mr. Jeyhun Bayramov", "Jeyhun Bayramov"),
        ("His Excellency Dr. Jeyhun Bayramov", "Jeyhun Bayramov"),
        ("Shri Narendra Modi", "Narendra Modi"),
        ("Prof. Sir Keir Starmer", "Keir Starmer"),
        ("Mohammed bin-Salman", "Mohammed bin Salman"),
        ("Ra'ad Smith", "Raad Smith"),
        ("Joseph R. Biden Jr.", "Joseph Biden"),
    ],
)
def test_spellings_of_one_name_have_one_key(spelling: str, written: str) -> None:
    assert name_key(spelling) == name_key(written)


def test_keys_keep_different_names_apart() -> None:
    assert name_key("Abdoulaye Diop") != name_key("Abdoulaye Diouf")
    assert name_key("Sergey Lavrov") != name_key("Sergei Lavrov")  # only the variant table joins
    assert name_key("Sheikh") == "sheikh"  # a form of address alone stays a word


@given(st.text())
def test_name_key_is_idempotent_and_never_raises(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key


@given(st.text())
def test_the_index_key_with_spelling_variants_is_idempotent(text: str) -> None:
    index = shipped_office_holders()
    key = index.key(text)
    assert index.key(key) == key
    assert isinstance(index.matches(text), dict)


# ---- resolving names -----------------------------------------------------------------------------


def test_a_name_two_people_hold_on_the_same_day_stays_unlinked(oh: OfficeHolders) -> None:
    # Two items share this name, state, office and start date in the table.
    twins = qids_labelled("Carlos Eduardo Reina")
    assert len(twins) == 2
    on = date(2022, 6, 1)
    assert set(oh.matches("Carlos Eduardo Reina")) == twins
    assert oh.resolve("Carlos Eduardo Reina", on=on) is None
    assert oh.resolve("Carlos Eduardo Reina", on=on, iso2="HN", office="foreign minister") is None


def test_the_state_decides_between_namesakes(oh: OfficeHolders) -> None:
    mali = qid_of("Abdoulaye Diop", iso2="ML")
    senegal = qid_of("Abdoulaye Diop", iso2="SN")
    on = date(2022, 1, 10)  # both in office then
    assert oh.resolve("Abdoulaye Diop", on=on) is None
    found = oh.resolve("Abdoulaye Diop", on=on, iso2="ML")
    assert found is not None and found.qid == mali
    assert all(t.iso2 == "ML" and t.covers(on) for t in found.terms)
    other = oh.resolve("Abdoulaye Diop", on=on, iso2="sn")
    assert other is not None and other.qid == senegal


def test_the_office_decides_between_namesakes_of_one_state(oh: OfficeHolders) -> None:
    premier = qid_of("Magdalena Andersson", office="head of government")
    on = date(2016, 6, 1)  # both in office in Sweden then
    assert oh.resolve("Magdalena Andersson", on=on, iso2="SE") is None
    found = oh.resolve("Magdalena Andersson", on=on, office="other minister")
    assert found is not None and found.qid == premier
    assert {t.office for t in found.terms} == {"other minister"}


def test_a_term_that_ended_before_the_date_does_not_decide_alone(oh: OfficeHolders) -> None:
    chancellor = qid_of("Olaf Scholz")
    (term,) = [r for r in rows() if r["qid"] == chancellor and r["office"] == "head of government"]
    later = date(int(term["end"][:4]) + 1, 1, 1)
    assert oh.resolve("Olaf Scholz", on=later) is None
    found = oh.resolve("Olaf Scholz", on=later, iso2=term["iso2"])
    assert found is not None and found.qid == chancellor
    assert "not in office" in found.reason
    during = oh.resolve("Olaf Scholz", on=date.fromisoformat(term["start"]))
    assert during is not None and during.qid == chancellor


def test_the_date_decides_between_namesakes_whose_terms_do_not_overlap(
    oh: OfficeHolders,
) -> None:
    irish = qid_of("Michael Noonan", iso2="IE")
    assert oh.resolve("Michael Noonan", on=date(2016, 1, 1)).qid == irish  # type: ignore[union-attr]
    assert oh.resolve("Michael Noonan", on=date(2023, 1, 1)) is None  # both terms over
    former = oh.resolve("Michael Noonan", on=date(2023, 1, 1), iso2="IE")
    assert former is not None and former.qid == irish


def test_without_a_date_the_state_or_office_must_agree(oh: OfficeHolders) -> None:
    lavrov = qid_of("Sergey Lavrov")
    assert oh.resolve("Sergey Lavrov", on=None) is None
    assert oh.resolve("Sergey Lavrov", on=None, iso2="RU").qid == lavrov  # type: ignore[union-attr]
    by_office = oh.resolve("Sergey Lavrov", on=None, office="foreign minister")
    assert by_office is not None and by_office.qid == lavrov
    assert oh.resolve("Sergey Lavrov", on=None, iso2="FR") is None


def test_an_open_term_fits_dates_after_the_snapshot(oh: OfficeHolders) -> None:
    (term,) = oh.holders("RU", "foreign minister", on=date(2022, 1, 1))
    assert term.end == "" and term.as_of < date(2025, 1, 1)
    found = oh.resolve("Sergey Lavrov", on=date(2025, 1, 1))
    assert found is not None and found.terms == (term,)


def test_transliteration_variants_link_to_the_canonical_label(oh: OfficeHolders) -> None:
    on = date(2021, 3, 1)
    for spelling in ("Sergei Lavrov", "Serguei Lavrov", "SERGEJ LAVROV"):
        found = oh.resolve(spelling, on=on)
        assert found is not None and found.label == "Sergey Lavrov", spelling
    kuleba = oh.resolve("Dmitry Kuleba", on=on)
    assert kuleba is not None and kuleba.qid == qid_of("Dmytro Kuleba")


def test_initials_link_only_when_one_given_name_fits(oh: OfficeHolders) -> None:
    jaishankar = qid_of("Subrahmanyam Jaishankar")
    on = date(2023, 2, 27)
    for written in ("S Jaishankar", "S. Jaishankar", "H.E. Dr. S. Jaishankar"):
        found = oh.resolve(written, on=on)
        assert found is not None and found.qid == jaishankar, written
        assert found.label == "Subrahmanyam Jaishankar"
    assert oh.resolve("K. Jaishankar", on=on) is None  # the initial must agree
    singhs = {q for q in oh.matches("A. Singh")}
    assert len(singhs) > 1  # several holders named A... Singh
    assert oh.resolve("A. Singh", on=None, iso2="IN") is None


def test_a_label_with_more_names_than_the_article(oh: OfficeHolders) -> None:
    found = oh.resolve("Xavier Espot", on=date(2023, 2, 1))
    assert found is not None and found.qid == qid_of("Xavier Espot Zamora")
    kirchner = oh.resolve("Cristina Kirchner", on=None, iso2="AR")
    assert kirchner is not None and kirchner.label == "Cristina Fernández de Kirchner"
    assert oh.resolve("Espot Zamora", on=date(2023, 2, 1)) is None  # the first name must agree


def test_a_two_word_name_written_family_name_first(oh: OfficeHolders) -> None:
    lavrov = qid_of("Sergey Lavrov")
    found = oh.resolve("Lavrov Sergey", on=None, iso2="RU")
    assert found is not None and found.qid == lavrov
    assert oh.matches("Lavrov Sergey") == {lavrov: "name in the other order"}
    assert oh.matches("Lavrov Sergeyev") == {}  # the words must be the label's own


def test_a_surname_alone_is_only_an_explicit_lookup(oh: OfficeHolders) -> None:
    jaishankar = qid_of("Subrahmanyam Jaishankar")
    assert oh.matches("Jaishankar") == {}
    assert oh.resolve("Jaishankar", on=date(2023, 2, 27), iso2="IN") is None
    assert jaishankar in {p.qid for p in oh.by_surname("Jaishankar")}
    assert oh.resolve_surname("Jaishankar", on=date(2023, 2, 27)) is None  # needs state/office
    found = oh.resolve_surname("Jaishankar", on=date(2023, 2, 27), iso2="IN")
    assert found is not None and found.qid == jaishankar


def test_unknown_office_categories_are_refused(oh: OfficeHolders) -> None:
    with pytest.raises(ValueError, match="foreign minister"):
        oh.resolve("Sergey Lavrov", on=None, office="foreign secretary")  # type: ignore[arg-type]


# ---- office queries ------------------------------------------------------------------------------


def test_holders_of_an_office_on_a_date_agree_with_the_rows(oh: OfficeHolders) -> None:
    on = date(2021, 1, 1)
    day = on.isoformat()
    expected = {
        (r["qid"], r["start"], r["source"])
        for r in rows()
        if r["iso2"] == "IN"
        and r["office"] == "foreign minister"
        and len(r["start"]) == 10
        and r["start"] <= day
        and (not r["end"] or day <= r["end"])
    }
    assert expected
    found = oh.holders("IN", "foreign minister", on=on)
    sources = _declared_sources()
    assert {(t.qid, t.start, t.source) for t in found} == {
        (q, s, sources[k]) for q, s, k in expected
    }
    assert all(t.label == "Subrahmanyam Jaishankar" for t in found)


def test_terms_of_lists_every_row_of_a_person(oh: OfficeHolders) -> None:
    qid = qid_of("Subrahmanyam Jaishankar")
    expected = sorted((r["office"], r["start"]) for r in rows() if r["qid"] == qid)
    terms = oh.terms_of(qid)
    assert sorted((t.office, t.start) for t in terms) == expected
    assert [t.start for t in terms] == sorted(t.start for t in terms)
    assert oh.terms_of("Q0") == ()


def test_office_titles_come_from_the_position_labels(oh: OfficeHolders) -> None:
    titles = oh.office_titles()
    for row in rows():
        if row["position_label"] == "Minister of External Affairs":
            party = row["iso2"] or row["organisation"]
            assert (party, row["office"]) in oh.offices_titled("minister of external affairs")
    assert ("IN", "foreign minister") in titles["minister of external affairs"]
    assert {office for pairs in titles.values() for _, office in pairs} <= set(OFFICES)
    assert oh.offices_titled("Grand Vizier of Nowhere") == frozenset()


def test_a_partial_date_covers_its_whole_year() -> None:
    row = next(r for r in rows() if len(r["start"]) == 4 and len(r["end"]) == 4)
    index = shipped_office_holders()
    term = next(
        t for t in index.terms_of(row["qid"]) if (t.start, t.end) == (row["start"], row["end"])
    )
    assert term.covers(date(int(row["start"]), 1, 1))
    assert term.covers(date(int(row["end"]), 12, 31))
    assert not term.covers(date(int(row["end"]) + 1, 1, 1))
    assert term.ended_before(date(int(row["end"]) + 1, 1, 1))


# ---- malformed data ------------------------------------------------------------------------------


def _declared_sources() -> dict[str, str]:
    out = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = SOURCE_DECLARATION.match(line)
        if match:
            out[match[1]] = match[3]
    return out


def _copy_gazetteer(tmp_path: Path) -> Path:
    for name in ("office-holders.tsv", "name-variants.tsv"):
        shutil.copy(gazetteer_dir() / name, tmp_path / name)
    return tmp_path


def test_a_malformed_row_is_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = _copy_gazetteer(tmp_path)
    path = folder / "office-holders.tsv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line[:1] != "#") + 2  # first data row
    cells = lines[number - 1].split("\t")
    cells[2] = "X" + cells[2]
    lines[number - 1] = "\t".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"office-holders\.tsv:{number}: qid"):
        load_office_holders(folder)
    assert gc.isenabled()  # the collector paused during loading runs again after a failure


def test_a_row_citing_an_undeclared_source_is_refused(tmp_path: Path) -> None:
    folder = _copy_gazetteer(tmp_path)
    path = folder / "office-holders.tsv"
    text = path.read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    path.write_text(text + last.rsplit("\t", 1)[0] + "\ts999\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="s999"):
        load_office_holders(folder)


def test_a_word_in_two_variant_groups_is_refused(tmp_path: Path) -> None:
    folder = _copy_gazetteer(tmp_path)
    with (folder / "name-variants.tsv").open("a", encoding="utf-8") as handle:
        handle.write("Sergei|Sergius\n")
    with pytest.raises(
        ConfigError, match=r"name-variants\.tsv:\d+: 'sergei' is already in another group"
    ):
        load_office_holders(folder)

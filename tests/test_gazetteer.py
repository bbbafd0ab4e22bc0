"""The gazetteer: shipped data is sourced and consistent; lookups behave as documented."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from pathlib import Path

import pytest
import spacy

from graphbuild.errors import ConfigError
from graphbuild.link.gazetteer import Gazetteer, fold
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.resources import gazetteer_dir

SHIPPED = gazetteer_dir()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikidata"
QID = re.compile(r"^Q[0-9]+$")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def tsv_rows(path: Path) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:] if line]


# ---- shipped data ------------------------------------------------------------------------------


def test_every_shipped_qid_has_a_source_and_the_qid_form(gaz: Gazetteer) -> None:
    linked = [e for e in gaz.entries if e.qid is not None]
    assert len(linked) > 300  # countries, capitals, organisations
    for entry in linked:
        assert entry.qid is not None and QID.match(entry.qid), entry
        assert entry.source, entry


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.tsv")), ids=lambda p: p.name)
def test_every_qid_cell_in_the_files_has_a_source(path: Path) -> None:
    for row in tsv_rows(path):
        for column, value in row.items():
            if column.endswith("qid") and value:
                assert QID.match(value), (path.name, row)
                if path.name != "countries.tsv":  # countries.tsv names its source in its header
                    assert row.get("source"), (path.name, row)


def test_no_name_denotes_two_entries_of_one_type(gaz: Gazetteer) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in gaz.entries:
        if entry.type == "Place" and gaz.lookup(entry.label) is not entry:
            continue  # ambiguous or shadowed names are not looked up
        for name in entry.names:
            owners[(entry.type, fold(name))].add(entry.ident)
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and k[1]}
    assert clashes == {}


def test_every_sovereign_state_has_a_demonym() -> None:
    countries = tsv_rows(SHIPPED / "countries.tsv")
    independent = {r["iso2"] for r in countries if r["is_independent"] == "Yes"}
    with_demonym = {r["iso2"] for r in tsv_rows(SHIPPED / "demonyms.tsv")}
    assert len(independent) > 190
    assert independent - with_demonym == set()


def test_capital_qids_belong_to_the_capital_of_that_country() -> None:
    """Each capital row names the same city as countries.tsv and the source's country key."""
    countries = {r["iso2"]: r for r in tsv_rows(SHIPPED / "countries.tsv")}
    overrides = {r["iso2"]: r for r in tsv_rows(SHIPPED / "country-overrides.tsv")}
    checked = 0
    for row in tsv_rows(SHIPPED / "places.tsv"):
        if row["kind"] != "capital" or not row["qid"]:
            continue
        country = countries[row["iso2"]]
        names = {fold(n) for n in [row["label"], *row["aliases"].split("|")] if n}
        assert fold(country["capital_name"]) in names, row
        key = re.search(r"key (Q[0-9]+)", row["source"])
        assert key is not None, row
        expected = country["qid"] or overrides[row["iso2"]]["qid"]
        assert key.group(1) == expected, row
        assert f"capital {row['qid']}" in row["source"], row
        checked += 1
    assert checked > 150


@pytest.mark.skipif(not SHARED.exists(), reason="shared data folder not present")
@pytest.mark.parametrize("name", ["countries.tsv", "verified.tsv"])
def test_copies_keep_the_shared_files_verbatim(name: str) -> None:
    assert (SHIPPED / name).read_bytes() == (SHARED / name).read_bytes()


# ---- lookups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label", "iso2"),
    [
        ("Russia", "Russia", "RU"),
        ("the Russian Federation", "Russia", "RU"),
        ("The Russian Federation", "Russia", "RU"),
        ("Republic of Azerbaijan", "Azerbaijan", "AZ"),
        ("Türkiye", "Turkey", "TR"),
        ("Turkiye", "Turkey", "TR"),
        ("Turkey", "Turkey", "TR"),
        ("UK", "United Kingdom", "GB"),
        ("Britain", "United Kingdom", "GB"),
        ("USA", "United States", "US"),
        ("United States of America", "United States", "US"),
        ("Republic of Korea", "South Korea", "KR"),
        ("DPRK", "North Korea", "KP"),
        ("Ivory Coast", "Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "Côte d’Ivoire", "CI"),
        ("Czech Republic", "Czechia", "CZ"),
        ("the Holy See", "Vatican City", "VA"),
        ("Islamic Republic of Iran", "Iran", "IR"),
        ("People's Republic of China", "China", "CN"),
        ("People’s Republic of China", "China", "CN"),
        ("GUINEA-BISSAU", "Guinea-Bissau", "GW"),
        ("guinea bissau", "Guinea-Bissau", "GW"),
    ],
)
def test_country_names_and_aliases(gaz: Gazetteer, name: str, label: str, iso2: str) -> None:
    entry = gaz.lookup(name)
    assert entry is not None, name
    assert (entry.type, entry.label, entry.iso2) == ("Country", label, iso2)


def test_countries_carry_the_qid_of_countries_tsv(gaz: Gazetteer) -> None:
    russia = gaz.lookup("Russian Federation")
    assert russia is not None and russia.qid == "Q159"
    assert russia.source is not None and "country-codes" in russia.source


def test_acronyms_match_only_as_written(gaz: Gazetteer) -> None:
    us, who = gaz.lookup("US"), gaz.lookup("WHO")
    assert us is not None and us.label == "United States"
    assert who is not None and who.type == "Organization"
    assert gaz.lookup("us") is None
    assert gaz.lookup("Who") is None
    un = gaz.lookup("the UN")
    assert un is not None and un.label == "United Nations"


def test_organisations(gaz: Gazetteer) -> None:
    for name in ("EU", "European Union", "NATO", "Nato", "OSCE", "SCO", "EAEU", "GCC", "G20"):
        entry = gaz.lookup(name)
        assert entry is not None and entry.type == "Organization", name
    nato = gaz.lookup("North Atlantic Treaty Organization")
    assert nato is not None and nato.label == "NATO" and nato.qid == "Q7184"
    g7 = gaz.lookup("Group of Seven")
    assert g7 is not None and g7.qid is None  # no sourced QID, so none


@pytest.mark.parametrize(
    ("word", "iso2"),
    [("Russian", "RU"), ("Azerbaijani", "AZ"), ("Azeri", "AZ"), ("British", "GB"),
     ("Emirati", "AE"), ("emirati", "AE"), ("Burkinabè", "BF"), ("Burkinabe", "BF"),
     ("South Korean", "KR"), ("Palestinian", "PS")],
)  # fmt: skip
def test_demonyms(gaz: Gazetteer, word: str, iso2: str) -> None:
    entry = gaz.demonym(word)
    assert entry is not None and entry.iso2 == iso2 and entry.type == "Country"


def test_ambiguous_and_unknown_demonyms_resolve_to_nothing(gaz: Gazetteer) -> None:
    assert gaz.demonym("Congolese") is None  # two Congos
    assert gaz.demonym("Dominican") is None  # two Dominicas
    assert gaz.demonym("Martian") is None
    assert gaz.lookup("Russian") is None  # a demonym is not a name


def test_capitals_and_metonyms(gaz: Gazetteer) -> None:
    moscow = gaz.lookup("Moscow")
    assert moscow is not None and (moscow.type, moscow.qid) == ("Place", "Q649")
    for name, label in [
        ("Moscow", "Russia"), ("the Kremlin", "Russia"), ("Kremlin", "Russia"),
        ("Downing Street", "United Kingdom"), ("the White House", "United States"),
        ("Élysée", "France"), ("Elysee", "France"), ("Kiev", "Ukraine"), ("Astana", "Kazakhstan"),
    ]:  # fmt: skip
        entry = gaz.metonym(name)
        assert entry is not None and entry.label == label, name
    kyiv = gaz.lookup("Kiev")
    assert kyiv is not None and kyiv.label == "Kyiv"
    capital = gaz.country_for_capital("Baku")
    assert capital is not None and capital.label == "Azerbaijan"


def test_capitals_that_are_common_words_are_not_bare_names(gaz: Gazetteer) -> None:
    assert gaz.lookup("Victoria") is None
    assert gaz.metonym("Victoria") is None
    seychelles = gaz.country_for_capital("Victoria")
    assert seychelles is not None and seychelles.label == "Seychelles"


def test_country_name_wins_over_capital_of_the_same_name(gaz: Gazetteer) -> None:
    entry = gaz.lookup("Luxembourg")
    assert entry is not None and entry.type == "Country"
    assert gaz.lookup("Guatemala City") is not None
    assert gaz.lookup("Guatemala City").type == "Place"  # type: ignore[union-attr]


def test_persons(gaz: Gazetteer) -> None:
    putin = gaz.lookup("Putin")
    assert putin is not None
    assert (putin.type, putin.label, putin.qid) == ("Person", "Vladimir Putin", "Q7747")
    lavrov = gaz.lookup("Sergei Lavrov")
    assert lavrov is not None and lavrov.label == "Sergey Lavrov" and lavrov.qid is None
    erdogan = gaz.lookup("erdogan")
    assert erdogan is not None and erdogan.label == "Recep Tayyip Erdoğan"
    assert [p.label for p in gaz.person_by_surname("Lavrov")] == ["Sergey Lavrov"]
    assert [p.label for p in gaz.person_by_surname("Marcos")] == ["Ferdinand Marcos Jr."]
    assert gaz.person_by_surname("Nobodyson") == []


def test_entity_ruler_patterns_tag_text(gaz: Gazetteer) -> None:
    patterns = gaz.entity_ruler_patterns()
    assert {"label": "NORP", "pattern": "Russian", "id": "Q159"} in patterns
    assert {"label": "ORG", "pattern": "NATO", "id": "Q7184"} in patterns
    assert not any(p["pattern"] == "Victoria" for p in patterns)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    doc = nlp("Russian officials in Moscow met NATO envoys and the Azerbaijani minister.")
    found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Russian", "NORP", "Q159") in found
    assert ("Moscow", "GPE", "Q649") in found
    assert ("NATO", "ORG", "Q7184") in found
    assert ("Azerbaijani", "NORP", "Q227") in found


def test_gazetteer_is_immutable(gaz: Gazetteer) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        gaz.entries = ()  # type: ignore[misc]
    entry = gaz.lookup("France")
    assert entry is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.qid = "Q1"  # type: ignore[misc]


# ---- loading small, hand-made gazetteers -------------------------------------------------------

COUNTRIES = (
    "# Source: a test table\n"
    "# capital_qid: test capitals\n"
    "iso2\tiso3\tname\tqid\tcapital_name\tcapital_qid\tis_independent\n"
    "AA\tAAA\tAlphaland\tQ1001\tAlpha City\tQ2001\tYes\n"
    "BB\tBBB\tBetania\tQ1002\tBetaville\t\tYes\n"
    "CC\tCCC\tGamma Isles\tQ1003\t\t\tTerritory of AA\n"
)


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in {"countries.tsv": COUNTRIES, **files}.items():
        (folder / name.replace("_", "-").replace("-tsv", ".tsv")).write_text(text, "utf-8")
    return folder


def test_small_gazetteer_loads(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "g",
        demonyms_tsv="demonym\tiso2\nAlphan\tAA\n",
        country_aliases_tsv="name\tiso2\tpreferred\nRepublic of Alphaland\tAA\t\nAlpha\tAA\tyes\n",
        persons_tsv="label\taliases\tiso2\tqid\tsource\nAnna Test\tTest\tAA\t\t\n",
        verified_tsv="label\tqid\ttype\tsource\nAnna Test\tQ3001\tPerson\ta fixture\n",
    )
    gaz = load_gazetteer(folder)
    alpha = gaz.lookup("the Republic of Alphaland")
    assert alpha is not None and (alpha.label, alpha.qid, alpha.source) == (
        "Alpha",
        "Q1001",
        "countries.tsv, Source: a test table",
    )
    assert "Alphaland" in alpha.aliases
    assert gaz.demonym("Alphan") == alpha
    city = gaz.lookup("Alpha City")
    assert city is not None and (city.type, city.qid) == ("Place", "Q2001")
    assert gaz.metonym("Alpha City") == alpha
    isles = gaz.lookup("Gamma Isles")
    assert isles is not None and isles.type == "Place" and isles.kind == "territory"
    anna = gaz.lookup("Test")
    assert anna is not None and anna.qid == "Q3001" and anna.source == "verified.tsv: a fixture"


def test_malformed_rows_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "g",
        organisations_tsv=(
            "# comment\n"
            "label\taliases\tqid\tsource\n"
            "Good Org\tGO\tQ5\tsomewhere\n"
            "No Source Org\t\tQ6\t\n"
            "Bad Qid Org\t\tX7\tsomewhere\n"
            "Wide Org\t\t\t\textra\n"
        ),
        demonyms_tsv="demonym\tiso2\nZeta\tZZ\n",
    )
    with pytest.raises(ConfigError) as info:
        load_gazetteer(folder)
    text = str(info.value)
    orgs = folder / "organisations.tsv"
    assert f"{orgs}:4: qid Q6 has no source" in text
    assert f"{orgs}:5: qid 'X7' is not of the form Q<digits>" in text
    assert f"{orgs}:6: 5 columns, the header has 4" in text
    assert f"{folder / 'demonyms.tsv'}:2: iso2 'ZZ' is not a row of countries.tsv" in text
    assert "4 malformed gazetteer row(s)" in text


def test_two_entries_of_one_type_may_not_share_a_name(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "g",
        organisations_tsv="label\taliases\tqid\tsource\nFirst Body\tFB\t\t\nFine Bureau\tFB\t\t\n",
    )
    with pytest.raises(ConfigError, match="'FB' names both 'First Body'"):
        load_gazetteer(folder)


def test_missing_countries_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no countries\.tsv"):
        load_gazetteer(tmp_path)


def test_contradicting_qids_are_rejected(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "g",
        places_tsv=(
            "label\taliases\tiso2\tkind\tqid\tsource\tflags\n"
            "Alpha City\t\tAA\tcapital\tQ2999\telsewhere\t\n"
        ),
    )
    with pytest.raises(ConfigError, match="qid Q2999 contradicts Q2001"):
        load_gazetteer(folder)


def test_reconciled_links_fill_only_unlinked_entries(tmp_path: Path) -> None:
    """Accepted reconciliation rows link new names; they never replace a sourced QID."""
    import datetime as dt
    import shutil

    from graphbuild.link.reconcile import Decision, write_decisions

    folder = tmp_path / "gazetteer"
    shutil.copytree(gazetteer_dir(), folder)
    day = dt.date(2026, 1, 2)
    write_decisions(
        folder / "reconciled.tsv",
        [
            Decision(
                "Imaginary Treaty Body",
                "Organization",
                "Q900001",
                "accepted",
                0.9,
                (),
                retrieved=day,
            ),
            Decision("Russia", "Country", "Q900002", "accepted", 0.9, (), retrieved=day),
            Decision(
                "Nobody Known", "Person", "Q900003", "ambiguous", 0.5, ("Q1", "Q2"), retrieved=day
            ),
        ],
    )
    gaz = load_gazetteer(folder)
    new = gaz.lookup("Imaginary Treaty Body")
    assert new is not None and new.qid == "Q900001"
    assert new.source is not None and "2026-01-02" in new.source
    russia = gaz.lookup("Russia")
    assert russia is not None and russia.qid != "Q900002"
    assert gaz.lookup("Nobody Known") is None

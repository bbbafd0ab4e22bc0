"""Derive the shipped ``data/gazetteer/office-holders.tsv`` from the shared office-holder table.

The product must not read the shared table at run time, so this script turns it into a smaller
file that ships in the wheel: one row per term of office, the long source strings replaced by
short keys declared in the header (each key still names its repository, commit and file), one
canonical English label per Wikidata item with the table's other spellings as aliases. The
output depends only on the input file, so running it again reproduces the shipped file byte for
byte (``tests/test_office_holders.py`` checks that).

    python tools/derive_office_holders.py ../shared/data/wikidata/office-holders.tsv \\
        data/gazetteer/office-holders.tsv
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INPUT_COLUMNS = (
    "label", "qid", "office", "country_iso2", "start", "end", "source",
    "position_qid", "position_label", "as_of",
)  # fmt: skip
OUTPUT_COLUMNS = (
    "label", "aliases", "qid", "office", "iso2", "organisation", "start", "end",
    "position_qid", "position_label", "source",
)  # fmt: skip
COUNTRIES = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "countries.tsv"
OFFICES = frozenset(
    {
        "head of state",
        "head of government",
        "foreign minister",
        "other minister",
        "international organisation head",
        "other",
    }
)
# The source whose labels are Portuguese-preferred (the shared table's header calls it [B]).
PORTUGUESE_PREFERRED = "cfmessias/geografia@"
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
DATE_RE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


class InputError(Exception):
    """The shared table does not have the shape this script was written for."""


@dataclass(frozen=True)
class Row:
    """One term of office as the shared table gives it."""

    label: str
    qid: str
    office: str
    iso2: str
    start: str
    end: str
    source: str
    position_qid: str
    position_label: str
    as_of: str


def read_table(path: Path) -> tuple[list[str], list[Row]]:
    """The header comment lines and the rows of the shared table, checked cell by cell."""
    comments: list[str] = []
    rows: list[Row] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        if line.startswith("#"):
            comments.append(line)
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(header) != INPUT_COLUMNS:
                raise InputError(f"{where}: columns {header}, expected {list(INPUT_COLUMNS)}")
            continue
        if len(cells) != len(INPUT_COLUMNS):
            raise InputError(f"{where}: {len(cells)} cells, expected {len(INPUT_COLUMNS)}")
        row = Row(*(c.strip() for c in cells))
        _check(row, where)
        rows.append(row)
    return comments, rows


def _check(row: Row, where: str) -> None:
    problems = []
    if not QID_RE.match(row.qid):
        problems.append(f"qid {row.qid!r}")
    if row.position_qid and not QID_RE.match(row.position_qid):
        problems.append(f"position_qid {row.position_qid!r}")
    if row.office not in OFFICES:
        problems.append(f"office {row.office!r}")
    if not row.iso2 or "|" in row.iso2:
        problems.append(f"country_iso2 {row.iso2!r}")
    for name, value in (("start", row.start), ("end", row.end)):
        if value and not DATE_RE.match(value):
            problems.append(f"{name} {value!r}")
    if not DATE_RE.match(row.as_of) or len(row.as_of) != 10:
        problems.append(f"as_of {row.as_of!r}")
    if not row.source or any(c.isspace() for c in row.source):
        problems.append(f"source {row.source!r}")
    if any("|" in text for text in (row.label, row.position_label)):
        problems.append("'|' in a label (it separates aliases)")
    if problems:
        raise InputError(f"{where}: unexpected {', '.join(problems)}")


def country_codes(path: Path) -> frozenset[str]:
    """The iso2 column of the gazetteer's countries.tsv: what counts as a country here."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    column = lines[0].split("\t").index("iso2")
    return frozenset(line.split("\t")[column] for line in lines[1:] if line.strip())


def has_name(row: Row) -> bool:
    """Rows whose label is empty or only the QID cannot be matched by name, so they are left out."""
    return bool(row.label) and not QID_RE.match(row.label)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def canonical_labels(rows: Sequence[Row]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """QID -> (canonical label, other labels), decided the same way on every run.

    Labels of the Portuguese-preferred source lose to any other source's label of the same item
    (the others are English Wikidata labels); then the label on most rows wins, then the one
    from the most recent snapshot, then the alphabetically first.
    """
    votes: dict[str, Counter[tuple[bool, str]]] = defaultdict(Counter)
    latest: dict[tuple[str, str], str] = {}
    for row in rows:
        votes[row.qid][(row.source.startswith(PORTUGUESE_PREFERRED), row.label)] += 1
        key = (row.qid, row.label)
        latest[key] = max(latest.get(key, ""), row.as_of)
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for qid, counter in votes.items():

        def rank(item: tuple[tuple[bool, str], int], qid: str = qid) -> tuple[object, ...]:
            (portuguese, label), count = item
            return (portuguese, -count, _negate(latest[(qid, label)]), _fold(label), label)

        ranked = sorted(counter.items(), key=rank)
        canonical = ranked[0][0][1]
        others = sorted(
            {label for (_, label) in counter} - {canonical}, key=lambda s: (_fold(s), s)
        )
        out[qid] = (canonical, tuple(others))
    return out


def _negate(iso_date: str) -> tuple[int, ...]:
    """A sort key that puts later ISO dates first."""
    return tuple(-int(part) for part in iso_date.split("-"))


def source_keys(rows: Sequence[Row]) -> dict[str, str]:
    """Full source string -> short key ``s001`` ..., numbered in the sources' sorted order."""
    sources = sorted({row.source for row in rows})
    width = max(3, len(str(len(sources))))
    return {source: f"s{number:0{width}d}" for number, source in enumerate(sources, start=1)}


def _qid_number(qid: str) -> int:
    return int(qid[1:])


def derive(source_path: Path, countries_path: Path = COUNTRIES) -> str:
    """The text of the shipped file derived from the shared table at ``source_path``.

    The shared table's country column also holds organisations ("UN", "ICJ", "OSCE"): a value
    that is not an ISO code of ``countries_path`` goes to the ``organisation`` column instead.
    """
    upstream_comments, all_rows = read_table(source_path)
    countries = country_codes(countries_path)
    rows = [row for row in all_rows if has_name(row)]
    dropped = len(all_rows) - len(rows)
    labels = canonical_labels(rows)
    keys = source_keys(rows)
    as_of: dict[str, str] = {}
    for row in rows:
        if as_of.setdefault(row.source, row.as_of) != row.as_of:
            raise InputError(f"source {row.source} has two snapshot dates; keys assume one")
    relabelled = len(
        {
            row.qid
            for row in rows
            if row.source.startswith(PORTUGUESE_PREFERRED) and labels[row.qid][0] != row.label
        }
    )

    lines_out: list[tuple[tuple[object, ...], str]] = []
    for row in rows:
        label, aliases = labels[row.qid]
        iso2, organisation = (row.iso2, "") if row.iso2 in countries else ("", row.iso2)
        cells = (
            label, "|".join(aliases), row.qid, row.office, iso2, organisation, row.start, row.end,
            row.position_qid, row.position_label, keys[row.source],
        )  # fmt: skip
        sort_key = (_fold(label), label, _qid_number(row.qid), *cells[3:])
        lines_out.append((sort_key, "\t".join(cells)))
    lines_out.sort(key=lambda item: item[0])

    digest = hashlib.sha256(source_path.read_bytes()).hexdigest()
    header = [
        "# office-holders.tsv -- terms of political office 2015-2026 with Wikidata QIDs, for",
        "# linking the people articles name offline (read by graphbuild's office-holder index).",
        "# GENERATED, do not edit: python tools/derive_office_holders.py"
        " ../shared/data/wikidata/office-holders.tsv data/gazetteer/office-holders.tsv",
        f"# from the project's shared table {source_path.name} (sha256 {digest});"
        " its own header is quoted below.",
        "# Licence: the rows are Wikidata statements (CC0 1.0); cite Wikidata as the origin.",
        f"# {len(rows)} terms of office, {len(labels)} people; {dropped} row(s) of the shared"
        " table without a name label left out;",
        f"#   {relabelled} people's labels from the Portuguese-preferred source [B] replaced by"
        " another source's English label.",
        "# Columns: label (one canonical English label per qid: a label of a source other than"
        " [B] wins, then the",
        "#   label on most rows, the latest snapshot, alphabetical order), aliases (the table's"
        " other labels of that qid,",
        "#   '|'-separated), qid, office, iso2 (country the office belongs to, from the table's"
        " country_iso2) or organisation",
        "#   (that column's value where it is not a country code: UN, ICJ, OSCE, ...), start, end"
        " (YYYY, YYYY-MM or",
        "#   YYYY-MM-DD; an empty end means in office on the source's as_of date), position_qid,"
        " position_label, source (a key below).",
        "# Sources: key, as_of (snapshot date of that source), repository@commit:path"
        " the row was copied from.",
        *(f"#   {keys[s]} {as_of[s]} {s}" for s in sorted(keys, key=keys.__getitem__)),
        "# Header of the shared table:",
        *(f"# | {line.lstrip('#').strip()}" for line in upstream_comments),
        "\t".join(OUTPUT_COLUMNS),
    ]
    return "\n".join([*header, *(line for _, line in lines_out)]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: SOURCE_TSV OUT_TSV."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the shared office-holders.tsv")
    parser.add_argument("out", type=Path, help="where to write the derived table")
    parser.add_argument(
        "--countries", type=Path, default=COUNTRIES, help="countries.tsv naming the ISO codes"
    )
    args = parser.parse_args(argv)
    try:
        text = derive(args.source, args.countries)
    except (OSError, UnicodeDecodeError, InputError) as exc:
        print(f"derive_office_holders: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The format table and Accept negotiation shared by /sparql, /export and the CLI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphbuild.rdf.formats import (
    GraphFormat,
    ResultsFormat,
    negotiate,
    negotiate_format,
    parse_accept,
    quality,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("turtle", GraphFormat.TURTLE),
        ("TTL", GraphFormat.TURTLE),
        (".nq", GraphFormat.N_QUADS),
        ("application/ld+json; charset=utf-8", GraphFormat.JSON_LD),
        ("application/rdf+xml", GraphFormat.RDF_XML),
        ("trig", GraphFormat.TRIG),
    ],
)
def test_graph_format_lookup(text: str, expected: GraphFormat) -> None:
    assert GraphFormat.lookup(text) is expected


def test_results_format_lookup_and_error_lists_choices() -> None:
    assert ResultsFormat.lookup("text/tab-separated-values") is ResultsFormat.TSV
    with pytest.raises(ValueError) as info:
        ResultsFormat.lookup("yaml")
    assert all(f.key in str(info.value) for f in ResultsFormat)


def test_every_format_maps_to_pyoxigraph_with_its_media_type() -> None:
    for fmt in GraphFormat:
        assert fmt.ox.media_type in fmt.media_types or fmt is GraphFormat.JSON_LD
    for results in ResultsFormat:
        assert results.ox.media_type.split(";")[0] == results.media_type


def test_only_dataset_formats_claim_named_graphs() -> None:
    assert {f for f in GraphFormat if f.datasets} == {
        GraphFormat.TRIG,
        GraphFormat.N_QUADS,
        GraphFormat.JSON_LD,
    }


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "a/x"),
        ("", "a/x"),
        ("*/*", "a/x"),
        ("b/y", "b/y"),
        ("a/x;q=0.5, b/y", "b/y"),
        ("b/*;q=0.9, a/x;q=0.8", "b/y"),
        ("*/*;q=0.1, a/x;q=0", "b/y"),
        ("c/z", None),
        ("a/x;q=0", None),
        ("garbage", "a/x"),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, ["a/x", "b/y"]) == expected


def test_more_specific_range_wins_over_wildcards() -> None:
    assert negotiate("text/*;q=0.9, text/csv;q=0.1", ["text/csv", "text/plain"]) == "text/plain"


def test_browser_accept_gets_xml_results() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate_format(ResultsFormat, browser, ResultsFormat.JSON) is ResultsFormat.XML


MEDIA = st.sampled_from(
    [m for f in (*GraphFormat, *ResultsFormat) for m in f.media_types]
    + ["*/*", "text/*", "image/png"]
)


@given(st.lists(st.tuples(MEDIA, st.integers(min_value=0, max_value=1000)), max_size=6))
def test_negotiation_picks_a_best_acceptable_offer(entries: list[tuple[str, int]]) -> None:
    accept = ", ".join(f"{m};q={q / 1000:.3f}" for m, q in entries)
    offers = [m for f in GraphFormat for m in f.media_types]
    chosen = negotiate(accept, offers)
    ranges = parse_accept(accept)
    scores = {m: quality(ranges, m) for m in offers}
    if not ranges:
        assert chosen == offers[0]
    elif chosen is None:
        assert max(scores.values()) == 0
    else:
        assert scores[chosen] > 0
        assert scores[chosen] == max(scores.values())


@given(st.text(max_size=80))
def test_arbitrary_accept_headers_never_crash(header: str) -> None:
    result = negotiate(header, ["text/turtle", "application/n-triples"])
    assert result in (None, "text/turtle", "application/n-triples")

"""Text as it comes from the web (issue 14), normalised at ingest before anything parses it.

The article text stored in the graph and every evidence offset refer to the normalised text,
so normalisation must be deterministic and idempotent, must never raise, and must leave
legitimate text (abbreviations, initials, numbers, URLs, curly quotes) as it was written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal

from graphbuild.annotations import Annotations
from graphbuild.errors import ArticleError
from graphbuild.ingest import SourcedArticle, read_articles
from graphbuild.rdf.mapping import to_rdf
from graphbuild.text.normalise import MAX_GROWTH, NORMALISER, normalise_text
from graphbuild.vocabulary import DG


def read_one(path: Path) -> SourcedArticle:
    (item,) = list(read_articles([path]))
    assert not isinstance(item, ArticleError), str(item)
    return item


# ---- what gets repaired ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # mojibake: UTF-8 read as Windows-1252 somewhere upstream
        ("Seoul\u00e2\u20ac\u2122s envoy", "Seoul\u2019s envoy"),
        (
            "\u00e2\u20ac\u0153We agreed,\u00e2\u20ac\u009d he said",
            "\u201cWe agreed,\u201d he said",
        ),
        ("S\u00c3\u00a3o Paulo and Z\u00c3\u00bcrich", "S\u00e3o Paulo and Z\u00fcrich"),
        # a full stop, question or exclamation mark with no space before the next sentence
        ("talks in Seoul.According to the ministry", "talks in Seoul. According to the ministry"),
        ("Was it agreed?The minister", "Was it agreed? The minister"),
        ("signed in 2024.The accord", "signed in 2024. The accord"),
        # two apostrophes (or backticks) standing for a double quote
        ("\"We agreed,'' Kask said.", '"We agreed," Kask said.'),
        ("``We agreed,'' Kask said.", '"We agreed," Kask said.'),
        # spaces that are not plain spaces
        ("President\u00a0Macron met\u202fthe\u2009press", "President Macron met the press"),
        # invisible characters inside words
        ("Zelen\u200bsky and Ram\u00adaphosa\u2060 met", "Zelensky and Ramaphosa met"),
        ("\ufeffFirst line", "First line"),
        ("Paris\u200e (AFP)", "Paris (AFP)"),
        # Windows and old-Mac line endings, Unicode line separators
        ("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour"),
        # HTML entities left in text, also escaped twice
        ("AT&amp;T and &quot;Yes&quot;", 'AT&T and "Yes"'),
        ("the minister&#8217;s aide", "the minister\u2019s aide"),
        ("R&amp;amp;D and caf&eacute;", "R&D and caf\u00e9"),
        ("ten&nbsp;days", "ten days"),
        # entities whose ampersand a CMS stripped
        (
            "Kask said: ldquo;We agreed,rdquo; after the welcomenbsp;ceremony, quot;fullyquot;.",
            'Kask said: \u201cWe agreed,\u201d after the welcome ceremony, "fully".',
        ),
        # decomposed accents composed (NFC), ligatures from PDFs spelled out
        ("Caf\u0065\u0301 o\ufb03cials", "Caf\u00e9 officials"),
    ],
)
def test_web_text_is_repaired(raw: str, clean: str) -> None:
    assert normalise_text(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "Officials from the U.S. and the U.K. met.",
        "Several partners, e.g. Japan, i.e. the largest, joined. It is 9 a.m. now.",
        "He ranked No.1 in the region; growth was 3.5 per cent, up from 2.75.",
        "See gov.uk or www.gov.uk/News.Release and https://example.org/Path.Html?q=A.B",
        "Write to press.Office@mfa.example.org for details.",
        "External Affairs Minister S.Jaishankar met B.Battsetseg and Mr.Smith.",
        "U.S.-China talks, Ph.D. holders and A.B.C. Ltd.",
        "Wait... The talks resumed. \u201cQuoted\u201d \u2013 dash \u2014 and \u2018single\u2019.",
        "  Indented first line,\ttabbed.\nSecond  \n\n",
        "R&D spending, AT&T, M&A and &unknown; stay as written.",
        "A summer camp; a postage stamp; the quota; a sandwich and a squad;",
        "It's the ministers' view and 'single quotes' too.",
        "\u4e60\u8fd1\u5e73, \u0627\u0644\u0633\u064a\u0633\u064a, \U0001f469\u200d\U0001f4bb",
        "Version 2.0.Beta, www.Example.Com and file.name.Txt stay as written.",
    ],
)
def test_legitimate_text_is_left_as_written(text: str) -> None:
    assert normalise_text(text) == text


# ---- properties -----------------------------------------------------------------------------

WEBBY = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *"aAbZz019 .,;:!?'\"`&#;\n\r\t-/@",
                *("&amp;", "&quot;", "&#8217;", "&#38;", "&num;", "&nbsp;", "amp;", "''", "``"),
                *("\u00e2\u20ac\u2122", "\u00c3\u00a9", "\u00a0", "\u200b", "\u200d", "\ufeff"),
                *("\u00ad", "\u2028", "\ufb03", "\u0301", "e\u0301", "\u0958", "\uff21", "www."),
                *("Seoul.According", "U.S.", "e.g.", "http://x.org/A.B", "S.J", "\x00", "\x1b[0m"),
            ]
        ),
        st.characters(),
    ),
    max_size=40,
).map("".join)
"""Strings made of the pieces web text goes wrong with, and any other characters."""


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(WEBBY)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(WEBBY, st.text()))
def test_normalising_never_raises_and_grows_text_by_a_bounded_factor(text: str) -> None:
    out = normalise_text(text)
    assert isinstance(out, str)
    assert len(out) <= MAX_GROWTH * len(text)
    assert "\r" not in out and "\u00a0" not in out and "\u200b" not in out


# ---- at ingest: the text the graph stores, and its provenance --------------------------------


def test_ingest_normalises_text_files_html_and_jsonl(tmp_path: Path) -> None:
    raw = "Talks in Seoul.According to the ministry, Seoul\u00e2\u20ac\u2122s envoy\u00a0spoke.\r\n"
    clean = "Talks in Seoul. According to the ministry, Seoul\u2019s envoy spoke.\n"
    (tmp_path / "t.txt").write_text(raw, encoding="utf-8")
    (tmp_path / "h.html").write_text(f"<p>{raw}</p>", encoding="utf-8")
    (tmp_path / "j.jsonl").write_text(json.dumps({"id": "j", "text": raw}), encoding="utf-8")
    for name, expected in (("t.txt", clean), ("h.html", clean.strip()), ("j.jsonl", clean)):
        article = read_one(tmp_path / name)
        assert article.info.text == expected, name
        assert article.info.normaliser == NORMALISER


def test_the_graph_records_that_its_text_was_normalised(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kask met Soto.The talks went well.", encoding="utf-8")
    info = read_one(tmp_path / "a.txt").info
    graph = to_rdf(Annotations(article=info, extractor="test"), "https://w3id.org/diplograph/")
    (article,) = graph.subjects(DG.textNormaliser, Literal(NORMALISER))
    assert graph.value(article, DG.textNormaliser) == Literal(NORMALISER)
    texts = [str(o) for o in graph.objects(article, None) if "talks went" in str(o)]
    assert texts == ["Kask met Soto. The talks went well."]

"""What the extraction tests share: one extractor for the session and a way to run it.

The spaCy pipeline and the gazetteer take seconds to load, and the extractor keeps no state
between articles, so every test module reads with the same one.
"""

from __future__ import annotations

import datetime as dt

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor, load_pipeline
from graphbuild.link.gazetteer_files import load_gazetteer

TODAY = dt.date(2026, 1, 1)


def make_extractor() -> Extractor:
    return Extractor(load_pipeline(), load_gazetteer(), today=TODAY)


def run(extractor: Extractor, text: str, published: str | None = "2025-03-12") -> Annotations:
    info = ArticleInfo(
        id="t", text=text, published=dt.date.fromisoformat(published) if published else None
    )
    return extractor.extract(info)

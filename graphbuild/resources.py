"""Where the ontology, shapes and default data live, in a wheel and in a source checkout.

A wheel carries them under ``graphbuild/_resources``; a source checkout (editable install, tests)
reads them from the repository's top level, so there is exactly one copy of each file in git.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource such as ``resource_path("ontology", "diplograph.ttl")``."""
    for root in (_PACKAGED, _CHECKOUT):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return _CHECKOUT.joinpath(*parts)


def ontology_file() -> Path:
    return resource_path("ontology", "diplograph.ttl")


def shapes_file() -> Path:
    return resource_path("shapes", "diplograph-shapes.ttl")


def gazetteer_dir() -> Path:
    return resource_path("data", "gazetteer")


def default_articles_dir() -> Path:
    return resource_path("data", "articles")


def queries_dir() -> Path:
    return resource_path("data", "queries")


def views_dir() -> Path:
    """The precomputed-answer views (``graphbuild.store.views``): one SPARQL SELECT per file."""
    return resource_path("data", "views")

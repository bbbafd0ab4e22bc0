"""``/health`` and ``/version``: what a load balancer and a bug report need."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from flask import Blueprint, Response, jsonify

from graphbuild import __version__
from server.state import get_state

bp = Blueprint("meta", __name__)


def _version_of(package: str) -> str | None:
    try:
        return package_version(package)
    except PackageNotFoundError:
        return None


@bp.get("/health")
def health() -> Response:
    """200 while the store answers; a broken store is a 503 through the error handler."""
    state = get_state()
    return jsonify(
        status="ok",
        articles=state.article_count(),
        query_workers=state.pool.stats(),
    )


@bp.get("/version")
def version() -> Response:
    return jsonify(
        name="diplograph",
        version=__version__,
        python=platform.python_version(),
        pyoxigraph=_version_of("pyoxigraph"),
        rdflib=_version_of("rdflib"),
        flask=_version_of("flask"),
    )

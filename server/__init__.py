"""Diplograph's SPARQL 1.1 service: a Flask app factory with blueprints.

``create_app`` is imported on first use, so the query worker processes (which import
``server.executor``) start without loading Flask and the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from server.app import create_app

        return create_app
    raise AttributeError(f"module 'server' has no attribute '{name}'")

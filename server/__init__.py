"""Diplograph's SPARQL 1.1 service: a Flask app factory with blueprints."""

from server.app import create_app

__all__ = ["create_app"]

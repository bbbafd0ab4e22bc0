"""Diplograph's own exceptions: each says what went wrong, where, and what to do.

The CLI prints them without a traceback (unless ``--debug``) and exits non-zero; the server
maps them onto its single JSON error body.
"""

from __future__ import annotations


class DiplographError(Exception):
    """Base class: anything a researcher can act on."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(DiplographError):
    """A setting, settings file or CLI flag is wrong."""

    exit_code = 2


class ArticleError(DiplographError):
    """An article cannot be read: unreadable, empty, binary, or bad metadata."""


class RdfSyntaxError(DiplographError):
    """An RDF file to import is malformed (the message names line and column)."""


class AnnotationsError(DiplographError):
    """A curated annotations file does not follow the Annotations format."""


class ValidationFailed(DiplographError):
    """An article's graph violates the SHACL shapes; ``report`` is the readable report."""

    def __init__(self, message: str, *, report: str = "", where: str | None = None):
        self.report = report
        super().__init__(message, where=where)


class StoreError(DiplographError):
    """The store cannot be opened, read or written."""


class QueryError(DiplographError):
    """A SPARQL query is malformed or refused."""

    exit_code = 2

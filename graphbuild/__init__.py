"""Diplograph: diplomatic news articles -> validated, Wikidata-linked RDF -> SPARQL 1.1."""

__version__ = "0.1.0"

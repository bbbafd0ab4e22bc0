"""Extraction: article text -> ``Annotations`` (entities, roles, events, quotes, evidence).

spaCy's parser and NER plus general rules over the dependency parse and an offline
gazetteer; nothing here knows any particular article. This is the front door: the rules
run in :mod:`graphbuild.extract.extractor`, one module per kind of fact beside it.
"""

from graphbuild.extract.document import load_pipeline
from graphbuild.extract.event_facts import EventFact
from graphbuild.extract.extractor import EXTRACTOR, Extractor, extract_from_doc

__all__ = ["EXTRACTOR", "EventFact", "Extractor", "extract_from_doc", "load_pipeline"]

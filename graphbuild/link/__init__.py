"""Linking: entities to Wikidata QIDs.

``gazetteer`` reads the sourced TSV files under ``data/gazetteer/`` and looks names up,
``offline`` links an article's ``Annotations`` with it (every build, no network), and
``reconcile`` asks Wikidata's API about what is still unlinked (``diplograph link``) and
writes its decisions where the gazetteer reads them.
"""

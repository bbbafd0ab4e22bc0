"""The RDF stages and formats: ``Annotations`` -> a validated per-article graph.

``mapping`` mints the article graph, ``reason`` adds the OWL 2 RL entailments queries need,
``validate`` checks it against the SHACL shapes (``shape_check`` is the compiled fast path),
and ``formats`` (with ``query_output`` for the terminal) names the serialisations every room
reads and writes. Nothing here touches a store; import the module you need (this file
imports none, so ``formats`` stays cheap for the server).
"""

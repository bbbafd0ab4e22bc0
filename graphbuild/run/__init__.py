"""Running the stages over a corpus: per article, in local processes or on Dask.

``pipeline`` is the chain for one article (extract or curated annotations -> link -> RDF
-> reason -> validate) and the corpus build, ``distributed`` runs it on a Dask cluster.
The stages never import this room.
"""

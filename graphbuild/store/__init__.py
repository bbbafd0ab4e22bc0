"""Where graphs are kept: the embedded store, an external SPARQL 1.1 store, and what hangs off them.

``embedded`` is the pyoxigraph store on disk; ``external`` keeps the same layout in an
external store, reached through ``sparql_client`` (SPARQL 1.1 Protocol and Graph Store
Protocol over HTTP); ``records`` are the build records and graph data both write;
``bulk_load`` is the ``diplograph load`` importer and ``views`` the precomputed answers.
Import the module you need.
"""

"""Where graphs are kept: the embedded store, an external SPARQL 1.1 store, and what hangs off them.

``embedded`` is the pyoxigraph store on disk, ``external`` an external store reached over
the SPARQL 1.1 Protocol and Graph Store Protocol, ``bulk_load`` the ``diplograph load``
importer and ``views`` the precomputed answers. Import the module you need.
"""

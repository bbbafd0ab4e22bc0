"""Benchmarks for Diplograph: ratios against peers and engines, measured side by side.

``python -m bench`` (``make bench``) runs the suites; ``bench.corpus`` and ``bench.rdf`` make
the synthetic articles and RDF they run on. See bench/README.md.
"""

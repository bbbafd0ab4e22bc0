"""Tools for people who check the extractor: scores against gold files and explanations.

``evaluate`` scores facts against ``*.gold.json``, ``store_facts`` reads the facts back out
of a store for it, and ``explain`` prints what was extracted from one article and why.
"""

"""The benchmark suites: build, queries, http, export (each returns a ``SuiteResult``)."""

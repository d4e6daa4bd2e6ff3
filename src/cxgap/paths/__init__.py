"""Paths as lived: variants, directly-follows graphs, drop-off, conformance (issue 14).

Pure analytics over ordered activity sequences (``cxgap.events.model``): no database, no web.
"""

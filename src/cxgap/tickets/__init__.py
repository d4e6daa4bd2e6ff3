"""Existing tickets read into the SLA engine's cases, to measure SLA compliance on the past.

``fields`` names the columns of each layout (the Zendesk view export, a mapped CSV, an events
CSV), ``values`` reads their cells, ``rows`` and ``events`` turn rows into cases,
``zendesk_json`` reads Zendesk's JSON export and ticket metric events, ``importing`` picks
the reader and ``writing`` writes the contract's CASES.json (``docs/sla.md``).
"""

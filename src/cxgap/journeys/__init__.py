"""Personas and customer journey maps: pure values, the JSON document, criticality, the SVG map.

Nothing here touches the database or a front end (docs/architecture.md); ``services.journeys``
stores and loads these values.
"""

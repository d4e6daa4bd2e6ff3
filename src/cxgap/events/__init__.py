"""Touchpoint events: what customers did, in order, across channels (issue 14).

``model`` holds the one record every reader produces and every analysis reads; the readers
(CSV, XLSX, JSON Lines, XES), the storage and the path analytics live in their own modules.
"""

"""Feedback import: files in, validated feedback records and an import report out.

Pure functions, no database: readers stream rows from CSV, XLSX, JSON and JSON Lines files;
a mapping spec (a preset, a mapping file, or both) turns each row into a
:class:`FeedbackRecord` or into the problems that refuse it; the :class:`ImportReport`
counts everything and says whether the caller may store the result. See
docs/import-formats.md.

>>> import io
>>> data = b"source_type,collected_at,text,nps\\nreview,2024-03-05,Livraison rapide,9\\n"
>>> records, report = collect_feedback(io.BytesIO(data), PRESETS["generic"], name="a.csv")
>>> records[0].nps, records[0].collected_at.isoformat(), report.ok
(9, '2024-03-05T00:00:00+00:00', True)
"""

from cxgap.ingest.dates import parse_datetime
from cxgap.ingest.delimited import sniff_delimiter
from cxgap.ingest.encoding import decode_text, detect_encoding
from cxgap.ingest.mapping import Response, apply_mapping, content_id, map_response, map_row
from cxgap.ingest.mappingfile import load_mapping, parse_mapping
from cxgap.ingest.pipeline import collect_feedback, detected_spec, read_feedback, survey_spec
from cxgap.ingest.presets import PRESETS, get_preset
from cxgap.ingest.privacy import drop_contacts, looks_like_contact, pseudonymise
from cxgap.ingest.records import MAX_TEXT_CHARS, SCORE_RANGES, SOURCE_TYPES, FeedbackRecord
from cxgap.ingest.report import MODES, DuplicateFilter, ImportReport, Mode
from cxgap.ingest.resolve import ResolvedMapping, resolve_mapping
from cxgap.ingest.spec import RECORD_FIELDS, FieldMap, MappingSpec, column, constant
from cxgap.ingest.tables import Progress, ReadOptions, RowValues, Table, open_table

__all__ = [
    "MAX_TEXT_CHARS",
    "MODES",
    "PRESETS",
    "RECORD_FIELDS",
    "SCORE_RANGES",
    "SOURCE_TYPES",
    "DuplicateFilter",
    "FeedbackRecord",
    "FieldMap",
    "ImportReport",
    "MappingSpec",
    "Mode",
    "Progress",
    "ReadOptions",
    "ResolvedMapping",
    "Response",
    "RowValues",
    "Table",
    "apply_mapping",
    "collect_feedback",
    "column",
    "constant",
    "content_id",
    "decode_text",
    "detect_encoding",
    "detected_spec",
    "drop_contacts",
    "get_preset",
    "load_mapping",
    "looks_like_contact",
    "map_response",
    "map_row",
    "open_table",
    "parse_datetime",
    "parse_mapping",
    "pseudonymise",
    "read_feedback",
    "resolve_mapping",
    "sniff_delimiter",
    "survey_spec",
]

"""Mapping presets for the exports CX teams actually have (see docs/import-formats.md).

Survey tools name their question columns after the user's own questions, so their presets
find them by structure where the export has one (Qualtrics's ``ImportId`` row, SurveyMonkey's
"Open-Ended Response" label, the ``_NPS_GROUP`` column next to a Qualtrics NPS question) and
otherwise by a documented pattern on the question text. ``resolve_mapping(...).describe()``
shows what was chosen; a mapping file overrides any field.
"""

from __future__ import annotations

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.spec import RECORD_FIELDS, FieldMap, MappingSpec, column, constant
from cxgap.ingest.tables import ReadOptions

# A question asking for a Net Promoter Score, in English or French.
NPS_QUESTION = r"recommend|recommand"
# A question inviting free text, in English or French. ("comment" alone would also match
# the French "Comment avez-vous…", "How did you…".)
TEXT_QUESTION = (
    r"\bwhy\b|\breasons?\b|pourquoi|raisons?\b|commentaire|\bcomments\b|any comments?\b"
    r"|^comments?$|feedback|votre avis|your opinion|suggestion|improve|amélior|tell us"
    r"|dites-nous|expliquez|explain|anything else|autre chose|précisez"
)
# Hidden fields and custom variables that usually carry the company's customer id.
CUSTOMER_ID = r"^(customer|client|user)[ _-]?(id|ref|reference)$|^id[ _-]?client$"

# What a survey preset lets the file's values decide (see cxgap.ingest.survey).
OPEN_ANSWERS = FieldMap(detect=True, optional=True, each=True)
SCORES = {name: FieldMap(detect=True, optional=True) for name in ("nps", "csat", "ces", "stars")}


def _dated(*names: str, order: str | None = None) -> FieldMap:
    """A date column (the first of ``names`` the file has) whose format the values show."""
    return FieldMap(columns=names, optional=len(names) > 1, detect=True, date_order=order)


QUALTRICS = MappingSpec(
    name="qualtrics",
    description="Qualtrics survey responses, CSV/TSV/XLSX export with three header rows",
    read=ReadOptions(header_rows=3, header_style="qualtrics"),
    fields={
        "source_type": constant("survey"),
        "source_id": column("ResponseId"),
        "collected_at": _dated("RecordedDate"),
        "channel": column("DistributionChannel", optional=True),
        "language": column("UserLanguage", optional=True),
        "customer_ref": column("ExternalReference", "ExternalDataReference", optional=True),
        **SCORES,
        "nps": FieldMap(companion="_NPS_GROUP", detect=True, optional=True),
        # Text entry, "other" boxes, matrix and side-by-side parts: QID2_TEXT, QID5_4_TEXT,
        # QID7#1_2_TEXT; not the Text iQ columns (QID2_TEXT_…Topics).
        "text": FieldMap(tag_pattern=r"^QID[\d_#]+_TEXT$", detect=True, optional=True, each=True),
    },
    keep=("Finished", "Progress", "Status"),
    lenient_keep=True,
)

QUALTRICS_LEGACY = MappingSpec(
    name="qualtrics_legacy",
    description="Qualtrics legacy export: two header rows, V1…V10 then the questions",
    read=ReadOptions(header_rows=2, header_style="qualtrics_legacy"),
    fields={
        "source_type": constant("survey"),
        "source_id": column("ResponseID"),
        "collected_at": _dated("EndDate", "StartDate"),
        "customer_ref": column("ExternalDataReference", optional=True),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
    keep=("Finished", "Status", "ResponseSet"),
    lenient_keep=True,
)

SURVEYMONKEY = MappingSpec(
    name="surveymonkey",
    description="SurveyMonkey responses, CSV/XLSX export with two header rows",
    read=ReadOptions(header_rows=2, header_style="surveymonkey"),
    fields={
        "source_type": constant("survey"),
        "source_id": column("Respondent ID"),
        # US accounts write 10/23/2023 11:06:43 AM; others day first: the values decide.
        "collected_at": _dated("End Date", "Start Date", order="mdy"),
        "channel": constant("surveymonkey"),
        "customer_ref": column("Custom Data 1", optional=True),
        **SCORES,
        "text": FieldMap(
            tag_pattern=r"^Open-Ended Response$", detect=True, optional=True, each=True
        ),
    },
    keep=("Collector ID",),
    lenient_keep=True,
)

SURVEYMONKEY_CONDENSED = MappingSpec(
    name="surveymonkey_condensed",
    description="SurveyMonkey responses, condensed CSV/XLSX export with one header row",
    fields={**SURVEYMONKEY.fields, "text": OPEN_ANSWERS},
    keep=SURVEYMONKEY.keep,
    lenient_keep=True,
)

TYPEFORM = MappingSpec(
    name="typeform",
    description="Typeform responses, CSV/XLSX download (2018 and later layouts)",
    fields={
        "source_type": constant("survey"),
        "source_id": column("#", "Token", optional=True),
        "collected_at": _dated("Submit Date (UTC)", "Submitted At", "Start Date (UTC)"),
        "channel": constant("typeform"),
        "customer_ref": FieldMap(pattern=CUSTOMER_ID, optional=True),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
    keep=("Response Type", "Tags"),
    lenient_keep=True,
)

GOOGLE_FORMS = MappingSpec(
    name="google_forms",
    description="Google Forms responses, CSV from Download responses (no response id)",
    fields={
        "source_type": constant("survey"),
        "collected_at": _dated("Timestamp", "Horodateur", "Horodatage"),
        "channel": constant("google_forms"),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
)

ALCHEMER = MappingSpec(
    name="alchemer",
    description="Alchemer (formerly SurveyGizmo) responses, CSV/XLSX export",
    fields={
        "source_type": constant("survey"),
        "source_id": column("Response ID"),
        "collected_at": _dated("Date Submitted", "Time Started"),
        "channel": constant("alchemer"),
        "language": column("Language", optional=True),
        "customer_ref": column("Contact ID", optional=True),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
    # "Comments" and "Legacy Comments" are the survey team's notes, not the respondent's.
    keep=("Status", "Country", "City", "Legacy Comments", "Comments", "Referer", "SessionID"),
    # Alchemer writes its dates in US Eastern time (EST/EDT), without an offset.
    timezone="America/New_York",
    lenient_keep=True,
)

MICROSOFT_FORMS = MappingSpec(
    name="microsoft_forms",
    description="Microsoft Forms responses, the Excel download (or it saved as CSV)",
    fields={
        "source_type": constant("survey"),
        "source_id": column("ID"),
        "collected_at": _dated("Completion time", "Start time"),
        "channel": constant("microsoft_forms"),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
)

LIMESURVEY = MappingSpec(
    name="limesurvey",
    description="LimeSurvey responses, CSV export with question codes or full headings",
    fields={
        "source_type": constant("survey"),
        "source_id": column("id", "Response ID", optional=True),
        "collected_at": _dated(
            "submitdate", "Date submitted", "datestamp", "Date last action", "startdate"
        ),
        "channel": constant("limesurvey"),
        "language": column("startlanguage", "Start language", optional=True),
        **SCORES,
        "text": OPEN_ANSWERS,
    },
    keep=("lastpage", "Last page"),
    lenient_keep=True,
)

TRUSTPILOT = MappingSpec(
    name="trustpilot",
    description="Trustpilot service reviews, CSV/XLSX export from Trustpilot Business",
    fields={
        "source_type": constant("review"),
        "source_id": column("Review Id"),
        "collected_at": column("Review Created (UTC)"),
        "channel": constant("trustpilot"),
        "stars": column("Review Stars"),
        "text": column("Review Title", "Review Content"),
        "language": column("Review Language", optional=True),
        "customer_ref": column("Reference Id", optional=True),
    },
    keep=("Location Name", "Source Of Review", "Tags"),
    lenient_keep=True,
)

ZENDESK = MappingSpec(
    name="zendesk",
    description="Zendesk tickets: the CSV data export, or the JSON / JSON Lines ticket export",
    fields={
        "source_type": constant("ticket"),
        "source_id": column("Id"),
        "collected_at": column("Created at", "created_at", optional=True),
        "channel": column("Via", "via.channel", optional=True),
        "text": column("Subject", "Description", optional=True),
        "csat": column(
            "Satisfaction Score",
            "satisfaction_rating.score",
            optional=True,
            values={"good": "5", "bad": "1", "offered": None, "unoffered": None},
        ),
        "customer_ref": column("Requester id", "requester_id", optional=True),
    },
    keep=("Status", "Priority", "Ticket type", "Group", "Tags", "Organization", "type"),
    lenient_keep=True,
)

FORMBRICKS = MappingSpec(
    name="formbricks",
    description="Formbricks responses, CSV/XLSX download",
    fields={
        "source_type": constant("survey"),
        "source_id": column("Response ID"),
        "collected_at": column("Timestamp"),
        "channel": constant("formbricks"),
        "customer_ref": column("User ID", optional=True),
        "nps": FieldMap(pattern=NPS_QUESTION, optional=True),
        # Choice questions add a "<question> - Option ID" column of choice ids: not text.
        "text": FieldMap(pattern=rf"^(?!.* - Option ID$).*(?:{TEXT_QUESTION})", optional=True),
    },
    keep=("Finished", "Tags", "country"),
    lenient_keep=True,
)

# cxgap's own export (``cxgap export feedback``, docs/export.md): every record field under
# its own name, so that the file re-imports as it is. Its enrichment columns (language,
# sentiment, sentiment_score, topics) are ignored: the importing workspace enriches the texts
# with its own models and taxonomy. ``question`` is kept as the attribute of that name.
CXGAP = MappingSpec(
    name="cxgap",
    description="A cxgap feedback export (cxgap export feedback), CSV/XLSX/JSON",
    # Only ``language_hint`` is required: the record field names alone would make detection
    # take any file in the generic layout for an export.
    fields={
        **{name: column(name, optional=True) for name in RECORD_FIELDS if name != "language"},
        "language": column("language_hint"),
    },
    lenient_keep=True,
)

GENERIC = MappingSpec(
    name="generic",
    description="Columns named after the record fields (source_type, collected_at, text, nps…)",
    fields={
        **{name: column(name, optional=True) for name in RECORD_FIELDS},
        "collected_at": FieldMap(columns=("collected_at",), optional=True, detect=True),
    },
    lenient_keep=True,
)

PRESETS: dict[str, MappingSpec] = {
    spec.name: spec
    for spec in (
        QUALTRICS,
        QUALTRICS_LEGACY,
        SURVEYMONKEY,
        SURVEYMONKEY_CONDENSED,
        TYPEFORM,
        GOOGLE_FORMS,
        ALCHEMER,
        MICROSOFT_FORMS,
        LIMESURVEY,
        TRUSTPILOT,
        ZENDESK,
        FORMBRICKS,
        CXGAP,
        GENERIC,
    )
}


def get_preset(name: str) -> MappingSpec:
    """The preset of that name; an unknown name is refused with the list of presets."""
    if name in PRESETS:
        return PRESETS[name]
    problem = FieldProblem("preset", f"must be one of {', '.join(PRESETS)}", name, code="choice")
    raise ValidationError([problem], summary="Unknown preset")

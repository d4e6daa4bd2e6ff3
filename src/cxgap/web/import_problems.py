"""The problems of a feedback import as a person reads them: row, column, value, reason,
the reason in the reader's language where cxgap knows the problem, as a page or a CSV."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from cxgap.i18n import catalog, plural_form, translate
from cxgap.ingest.csvwrite import csv_writer, delimiter_for

PAGE_SIZE = 50
# The ingest package's English reasons, recognised to say them in the reader's language;
# any other reason is shown as the ingest package wrote it.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^must be a whole number from (?P<low>-?\d+) to (?P<high>-?\d+)$", "range"),
        (r"^must be between (?P<low>-?\d+) and (?P<high>-?\d+)$", "range"),
        (r"^is required$", "required"),
        (r"^is not mapped: name its column or give a constant$", "not_mapped"),
        (r"^nothing to import: map the text or at least one score$", "nothing_to_import"),
        (r"^the (?:row|record) has no text and no score$", "no_text_no_score"),
        (r"^does not match the date format (?P<formats>.+)$", "date_format"),
        (r"^is ambiguous \(day/month or month/day\?\)", "ambiguous_date"),
        (r"^is not an ISO 8601 date", "not_iso_date"),
        (r"^holds dates that read both ways", "dates_both_ways"),
        (r"^mixes day-first and month-first dates", "dates_mixed"),
        (r"^must be one of (?P<allowed>.+)$", "choice"),
        (r"^is longer than (?P<limit>[\d,]+) characters$", "too_long"),
        (r"^repeats the id of row (?P<row>\d+) with different content$", "duplicate_id"),
        (r"^has no data rows$", "no_rows"),
        (r"^is empty$", "empty_file"),
        (r"^column '(?P<column>.+?)' is not in the file(?:$|;)", "missing_column"),
        (r"^column to keep is not in the file$", "missing_kept_column"),
        (r"^several columns could hold it \((?P<columns>.+)\);", "ambiguous_column"),
        (r"^is not valid (?P<encoding>\S+) text at line (?P<line>\d+) ", "bad_bytes"),
        (r"^is UTF-16 text or not a text file at all", "not_text"),
        (r"^cannot tell the file format from its name", "bad_extension"),
        (r"^is not a language code", "language"),
        (r"^has more cells than the header", "ragged"),
    )
)


def keyed_reason(params: object, locale: str) -> str | None:
    """The reason a problem names by its message key (``params["reason"]``, set by the
    ingest package), said in ``locale`` with the problem's figures; None without one. A
    reason about a ``count`` of rows agrees with it (``key_one`` / ``key_other``)."""
    if not isinstance(params, Mapping):
        return None
    key = f"imports_week.reason.{params.get('reason')}"
    count = params.get("count")
    if isinstance(count, int) and f"{key}_one" in catalog(locale):
        key = f"{key}_{plural_form(count, locale)}"
    if key not in catalog(locale):
        return None
    return translate(key, locale, **{k: v for k, v in params.items() if k != "reason"})


def reason(problem: Mapping[str, object], locale: str) -> str:
    """Why the value was refused, in ``locale``: by its message key, else recognised from
    its English text (reports stored before the keys), else as the ingest package wrote it."""
    keyed = keyed_reason(problem.get("params"), locale)
    if keyed is not None:
        return keyed
    message = str(problem.get("message") or "")
    for pattern, key in _REASONS:
        match = pattern.search(message)
        if match:
            return translate(f"feedback_import.reason.{key}", locale, **match.groupdict())
    return message


def problem_rows(report: Mapping[str, object], locale: str) -> list[dict[str, str]]:
    """The stored problems of an import, one dict per problem, ready to show."""
    problems = report.get("problems")
    if not isinstance(problems, list):
        return []
    return [_row(p, locale) for p in problems if isinstance(p, dict)]


def _row(problem: Mapping[str, object], locale: str) -> dict[str, str]:
    row = problem.get("row")
    field = str(problem.get("field") or "")
    if field == "(file)":
        field = translate("feedback_import.whole_file", locale)
    elif field == "(row)":
        field = translate("imports_week.whole_row", locale)
    value = problem.get("value")
    return {
        "row": "" if row is None else str(row),
        "column": field,
        "value": "" if value is None else str(value),
        "reason": reason(problem, locale),
    }


def problems_csv(report: Mapping[str, object], locale: str) -> str:
    """The problems as CSV (row, column, value, reason) in the reader's language, written as
    every cxgap CSV is (:mod:`cxgap.ingest.csvwrite`): byte order mark, ``;`` in French,
    values that look like formulas kept inert."""
    buffer = io.StringIO(newline="")
    writer = csv_writer(buffer, delimiter=delimiter_for(locale))
    writer.writerow([translate(f"feedback_import.problems.{h}", locale) for h in _HEADINGS])
    for item in problem_rows(report, locale):
        writer.writerow([item[h] for h in _HEADINGS])
    return buffer.getvalue()


_HEADINGS = ("row", "column", "value", "reason")

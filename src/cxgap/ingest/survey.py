"""A preset's ``detect`` fields made concrete for one file, from the values of its columns.

Survey tools name their question columns after the user's own questions. For the fields a
preset marks ``detect`` (see :class:`~cxgap.ingest.spec.FieldMap`), :func:`complete_spec`
reads the file's :class:`~cxgap.ingest.profile.Profile` and chooses:

- ``text``: every open-ended answer column, each one a verbatim of its own. Where the export
  says which columns are open answers (Qualtrics's ``ImportId`` ``…_TEXT``) only those;
  elsewhere the tagged ones (SurveyMonkey's "Open-Ended Response") and the columns whose
  values read as free text: not numbers, not dates, not one choice label repeated, mostly
  different from one answer to the next, or a question that asks for a comment;
- ``nps``, ``csat``, ``ces``, ``stars``: the first column whose question's wording names the
  score (in English or French) and whose values, labels read (``10 - Extremely likely``,
  ``Très satisfait``), all fit the score's scale;
- ``collected_at``: the date format inferred from every date (``cxgap.ingest.dateorder``).

The result is an ordinary spec, with columns named: what the browser shows for the person to
correct, and what the mapping file it downloads says.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from cxgap.errors import DateOrderError, FieldProblem
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.privacy import looks_like_contact
from cxgap.ingest.profile import ColumnProfile, Profile
from cxgap.ingest.records import SCORE_RANGES
from cxgap.ingest.resolve import suggest_columns
from cxgap.ingest.spec import FieldMap, MappingSpec
from cxgap.ingest.values import labelled_number

# A question inviting free text, in English or French. ("comment" alone would also match
# the French "Comment avez-vous…", "How did you…".)
OPEN_QUESTION = (
    r"\bwhy\b|\breasons?\b|pourquoi|raisons?\b|commentaires?|\bcomments\b|any comments?\b"
    r"|^comments?\W*$|additional comments?|feedback|votre avis"
    r"|your opinion|suggestions?|improve|amélior|tell us|dites-nous|expliquez|explain"
    r"|anything else|autre chose|précisez|please specify|\bwhat\b.*\b(like|dislike)\b"
    r"|qu'avez-vous|describe|décrivez|\bnotes?\b$|free text|texte libre"
)
# A question offering choices, in English or French: its answers are not verbatims.
CLOSED_QUESTION = (
    r"^\W*(which|quel|quelle|quels|quelles|lequel|laquelle|select|choose|choisissez"
    r"|sélectionnez|do you|did you|are you|have you|avez-vous|êtes-vous)\b"
    r"|\bhow (many|much|often|old|did you|do you)\b|^\W*comment (avez|êtes)-vous|combien|\bage\b"
)
# The wording of each score's question, in English and French.
SCORE_QUESTIONS = {
    "nps": r"recommend|recommand|\bnps\b",
    "csat": r"satisf|\bcsat\b",
    "ces": r"\beffort|\beasy\b|\bfacile|\bease\b|\bces\b",
    "stars": r"\bstars?\b|étoiles?|etoiles?|\brating\b",
}
# Columns that describe the response, never an answer: ids, contact, device, place, time.
METADATA = re.compile(
    r"\b(ip|e-?mail|first name|last name|full name|user agent|referr?er|network id|token"
    r"|tags?|url|country|city|region|postal|zip|latitude|longitude|session ?id|contact id"
    r"|status|language|device|browser|platform|duration|progress|finished|date|time"
    r"|timestamp|horodateur|id|ids|response type|collector|custom data|seed|last page"
    r"|lastpage|startlanguage|submitdate|datestamp|startdate|ipaddr|refurl)\b",
    re.IGNORECASE,
)
# A column holding the respondent's own name: personal data, never an answer.
PERSON_NAME = re.compile(
    r"^(name|full name|your name|nom|prénom|prenom|nom complet|votre nom)$", re.IGNORECASE
)
# Five-point scale labels (satisfaction, quality), English and French, accents ignored below.
SCALE_LABELS = {
    "very dissatisfied": 1, "extremely dissatisfied": 1, "tres insatisfait": 1,
    "tres insatisfaite": 1, "pas du tout satisfait": 1, "pas du tout satisfaite": 1,
    "dissatisfied": 2, "somewhat dissatisfied": 2, "insatisfait": 2, "insatisfaite": 2,
    "plutot insatisfait": 2, "plutot insatisfaite": 2, "peu satisfait": 2, "peu satisfaite": 2,
    "neutral": 3, "neither satisfied nor dissatisfied": 3, "neutre": 3,
    "ni satisfait ni insatisfait": 3, "ni satisfaite ni insatisfaite": 3,
    "satisfied": 4, "somewhat satisfied": 4, "satisfait": 4, "satisfaite": 4,
    "plutot satisfait": 4, "plutot satisfaite": 4,
    "very satisfied": 5, "extremely satisfied": 5, "tres satisfait": 5, "tres satisfaite": 5,
}  # fmt: skip
_FRACTION = re.compile(r"\d+(?:[.,]\d+)?\s*/\s*\d+")
_ACCENTS = str.maketrans("àâäéèêëîïôöùûüç", "aaaeeeeiioouuuc")


def complete_spec(
    spec: MappingSpec,
    header: Sequence[str],
    profile: Profile,
    *,
    tags: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    date_order: str | None = None,
    source: str | None = None,
) -> tuple[MappingSpec, list[FieldProblem]]:
    """The spec with its ``detect`` fields chosen for this file, and the problems found (a
    date column that reads both ways and no ``date_order``)."""
    tags, labels = tags or {}, labels or {}
    fixed = {n: f for n, f in spec.fields.items() if not f.detect}
    named, keep = suggest_columns(dataclasses.replace(spec, fields=fixed), header, tags=tags)
    claimed = {c for columns in named.values() for c in columns} | set(keep)
    fields = dict(spec.fields)
    problems: list[FieldProblem] = []
    for name, fmap in spec.fields.items():
        if not fmap.detect or name == "collected_at":
            continue
        chosen = _detect(name, fmap, spec, header, profile, tags, labels, claimed)
        if chosen is None:
            fields.pop(name)
        else:
            fields[name] = chosen
            claimed.update(chosen.columns)
    dated = fields.get("collected_at")
    if dated is not None and dated.detect:
        fields["collected_at"] = _dates(dated, header, profile, date_order, source, problems)
    return dataclasses.replace(spec, fields=fields), problems


def _detect(
    name: str,
    fmap: FieldMap,
    spec: MappingSpec,
    header: Sequence[str],
    profile: Profile,
    tags: Mapping[str, str],
    labels: Mapping[str, str],
    claimed: set[str],
) -> FieldMap | None:
    free = [c for c in header if c not in claimed]
    if name == "text":
        structural = spec.read.header_style == "qualtrics" and bool(tags)
        columns = [
            c
            for c in free
            if _tagged(fmap, tags.get(c, ""))
            or (not structural and open_answer(c, labels.get(c, c), profile.of(c)))
        ]
        return FieldMap(columns=tuple(columns), each=True) if columns else None
    chosen = _named_score(fmap, free, profile, name)
    if chosen is None:
        question = SCORE_QUESTIONS[name]
        wording = [c for c in free if re.search(question, labels.get(c, c), re.IGNORECASE)]
        chosen = next((c for c in wording if _fits(name, profile.of(c))), None)
    if chosen is None:
        return None
    return FieldMap(columns=(chosen,), values=_label_values(profile.of(chosen)))


def _tagged(fmap: FieldMap, tag: str) -> bool:
    return bool(fmap.tag_pattern and tag and re.search(fmap.tag_pattern, tag))


def _named_score(fmap: FieldMap, free: list[str], profile: Profile, name: str) -> str | None:
    """A score column the preset finds by structure (Qualtrics's ``_NPS_GROUP`` companion)."""
    lowered = {c.lower() for c in free}
    for column in free:
        if fmap.companion and f"{column}{fmap.companion}".lower() in lowered:
            return column  # the export says it: a value off the scale is refused on its row
    return None


def open_answer(column: str, question: str, values: ColumnProfile) -> bool:
    """Do this column's values read as answers to an open-ended question?

    >>> from cxgap.ingest.profile import profile_rows
    >>> p = profile_rows(["Why?", "Plan"], [{"Why?": "Fast", "Plan": "Pro"},
    ...     {"Why?": "Late again", "Plan": "Pro"}, {"Why?": "Ok", "Plan": "Free"}])
    >>> open_answer("Why?", "Why?", p.of("Why?")), open_answer("Plan", "Plan", p.of("Plan"))
    (True, False)
    """
    if values.filled == 0 or values.numeric or values.dated:
        return False
    if PERSON_NAME.match(column) or (
        METADATA.search(column) and not re.search(OPEN_QUESTION, question, re.IGNORECASE)
    ):
        return False
    shown = list(values.distinct)
    if len(shown) == 1 and shown[0].strip().lower() in {column.lower(), question.lower()}:
        return False  # one column per choice: the cell repeats the choice's name
    if any(looks_like_contact(v) for v in shown[:5]):
        return False
    if all(_FRACTION.fullmatch(v) for v in shown):  # a quiz's "7 / 10"
        return False
    if _choice_like(values):  # an agreement scale under a question that says "feedback"
        return False
    if re.search(OPEN_QUESTION, question, re.IGNORECASE):
        return True
    if re.search(CLOSED_QUESTION, question, re.IGNORECASE):
        return False
    share, words = values.distinct_share, values.mean_words
    if values.filled < 3:  # too few answers to compare: a sentence is an answer
        return words >= 2
    return share >= 0.8 or (share >= 0.5 and words >= 3)


def _choice_like(values: ColumnProfile) -> bool:
    """Many answers, few of them different, none longer than four words: picked, not written."""
    return values.filled >= 5 and values.distinct_share < 0.5 and values.max_words <= 4


def _fits(name: str, values: ColumnProfile) -> bool:
    """The values are points of the score's scale, read as numbers or scale labels: every
    number within it, and most values numbers (a stray word is then refused on its row)."""
    low, high = SCORE_RANGES[name]
    points = _points(values)
    numbers = [n for n in points.values() if n is not None]
    if not numbers or len(numbers) * 2 < len(points):
        return False
    return all(low <= n <= high for n in numbers)


def _points(values: ColumnProfile) -> dict[str, int | None]:
    points: dict[str, int | None] = {}
    for text in values.distinct:
        plain = " ".join(text.lower().translate(_ACCENTS).split())
        try:
            number = float(text.replace(",", "."))
            points[text] = int(number) if number.is_integer() else None
        except ValueError:
            points[text] = SCALE_LABELS.get(plain, labelled_number(text))
    return points


def _label_values(values: ColumnProfile) -> dict[str, str | None]:
    """Translations of the column's scale labels into their numbers."""
    return {
        text: str(number)
        for text, number in _points(values).items()
        if number is not None and not text.strip().lstrip("-").isdigit()
    }


def _dates(
    fmap: FieldMap,
    header: Sequence[str],
    profile: Profile,
    chosen: str | None,
    source: str | None,
    problems: list[FieldProblem],
) -> FieldMap:
    """The date columns the file has, in the preset's order of preference (Typeform's
    submit date, else its start date for a partial response), with the formats all their
    values show."""
    columns = tuple(c for c in fmap.columns if c in header)
    if not columns or fmap.date_format:
        return fmap
    evidence = DateEvidence()
    for column in columns:
        evidence.merge(profile.of(column).dates)
    try:
        formats = evidence.formats(chosen, fmap.date_order)
    except DateOrderError as exc:
        problems.append(FieldProblem(columns[0], str(exc), None, source=source, code=exc.code))
        return fmap
    return dataclasses.replace(
        fmap, columns=columns, date_format=formats, detect=False, optional=False
    )

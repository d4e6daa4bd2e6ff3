"""A mapping spec fixed against one file's header: which columns feed which field.

Resolving happens once, before the first row: a column the mapping names but the file lacks,
a pattern matching two candidate NPS columns, a record with no date are refused here, for the
whole file, rather than on every row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.dates import zone
from cxgap.ingest.encoding import REFUSED_SUMMARY
from cxgap.ingest.headers import clean_name
from cxgap.ingest.privacy import pseudonymise
from cxgap.ingest.spec import KEEP_ALL, REQUIRED_FIELDS, SCORE_FIELDS, FieldMap, MappingSpec

# Fields whose columns are chosen first, so that a broad pattern for a score cannot claim a
# column already taken by the text (a question "why would you recommend us?").
_ORDER = ("source_type", "source_id", "collected_at", "text")
_CONTENT = ("text", *SCORE_FIELDS)


@dataclass(frozen=True)
class ResolvedField:
    name: str
    columns: tuple[str, ...]
    map: FieldMap


# Customer ids whose pseudonym a mapping remembers (a few MB at most).
PSEUDONYMS_KEPT = 100_000


@dataclass(frozen=True)
class ResolvedMapping:
    """What ``map_row`` needs: the concrete columns of each field and of the attributes."""

    spec: MappingSpec
    fields: dict[str, ResolvedField]
    keep: tuple[str, ...] = ()
    keep_contacts: frozenset[str] = frozenset()
    zone: tzinfo | None = None
    source: str | None = None
    pseudonym_key: str | bytes | None = field(default=None, repr=False)
    # Column → the question it asks, for verbatims taken one per column.
    questions: Mapping[str, str] = field(default_factory=dict)
    # Customer id → its pseudonym, for the file this mapping reads (``pseudonym``).
    pseudonyms: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # The reader's text cannot hold a lone surrogate (``Table.surrogate_free``): the fast
    # row mapper need not look for one.
    surrogate_free: bool = False

    def question(self, column: str) -> str:
        return self.questions.get(column) or column

    def pseudonym(self, value: str) -> str:
        """``privacy.pseudonymise`` with this mapping's key, remembered for the first
        ``PSEUDONYMS_KEPT`` customer ids: a file names its customers again and again, and an
        HMAC per record was 7 % of a large import's Python. The memory lives and dies with
        the import's mapping (no module-wide cache keeps customer ids after it)."""
        known = self.pseudonyms.get(value)
        if known is None:
            if self.pseudonym_key is None:
                raise ValueError("no pseudonym key: the import does not pseudonymise")
            known = pseudonymise(value, self.pseudonym_key)
            if len(self.pseudonyms) < PSEUDONYMS_KEPT:
                self.pseudonyms[value] = known
        return known

    def describe(self) -> dict[str, str]:
        """Field → where its value comes from, for the user to check before importing."""
        shown: dict[str, str] = {}
        for name, resolved in self.fields.items():
            parts = [repr(c) for c in resolved.columns]
            if resolved.map.default is not None:
                parts.append(f"constant {resolved.map.default!r}" if not parts else "default")
            shown[name] = " + ".join(parts) if name == "text" else " or ".join(parts)
        if self.keep:
            shown["attributes"] = ", ".join(repr(c) for c in self.keep)
        return shown


class _Resolver:
    def __init__(
        self,
        spec: MappingSpec,
        header: Sequence[str],
        tags: Mapping[str, str],
        complete: bool,
        source: str | None,
    ) -> None:
        self.spec = spec
        self.header = list(header)
        self.tags = tags
        self.complete = complete
        self.source = source
        self.by_lower: dict[str, list[str]] = {}
        for name in self.header:
            self.by_lower.setdefault(_key(name), []).append(name)
        self.claimed: set[str] = set()
        self.problems: list[FieldProblem] = []

    def problem(self, name: str, message: str, value: object = None, code: str = "format") -> None:
        self.problems.append(FieldProblem(name, message, value, source=self.source, code=code))

    def lookup(self, column: str) -> str | None:
        """The header's column of that name: exactly, else ignoring case if unambiguous."""
        matches = self.by_lower.get(_key(column), [])
        if column in matches:
            return column
        return matches[0] if len(matches) == 1 else None

    def named(self, name: str, fmap: FieldMap) -> list[str]:
        found: list[str] = []
        for wanted in fmap.columns:
            column = self.lookup(wanted)
            if column is not None:
                found.append(column)
            elif self.complete and not fmap.optional:
                self.problem(name, self.missing(wanted), None, "missing_column")
        return found

    def missing(self, wanted: str) -> str:
        """Why a named column was not found, with the file's nearest names to help."""
        close = difflib.get_close_matches(wanted, self.header, n=3, cutoff=0.6)
        message = f"column {wanted!r} is not in the file"
        if close:
            message += f"; its columns include {', '.join(repr(c) for c in close)}"
        return message

    def matched(self, fmap: FieldMap) -> list[str]:
        free = [c for c in self.header if c not in self.claimed]
        found: list[str] = []
        if fmap.pattern:
            found += [c for c in free if re.search(fmap.pattern, c, re.IGNORECASE)]
        if fmap.tag_pattern:
            found += [c for c in free if re.search(fmap.tag_pattern, self.tags.get(c, ""))]
        if fmap.companion:
            found += [c for c in free if self.lookup(f"{c}{fmap.companion}") is not None]
        return list(dict.fromkeys(found))

    def resolve_field(self, name: str, fmap: FieldMap) -> ResolvedField | None:
        columns = list(dict.fromkeys(self.named(name, fmap)))
        matched = self.matched(fmap)
        if len(matched) > 1 and name != "text":
            shown = ", ".join(repr(c) for c in matched)
            self.problem(
                name,
                f"several columns could hold it ({shown}); name the right one in a mapping file",
                matched,
                "ambiguous_column",
            )
            matched = []
        columns += [c for c in matched if c not in columns]
        self.claimed.update(columns)
        if not columns and fmap.default is None:
            return None
        return ResolvedField(name, tuple(columns), fmap)

    def kept(self) -> tuple[str, ...]:
        if KEEP_ALL in self.spec.keep:
            return tuple(c for c in self.header if c not in self.claimed)
        kept: list[str] = []
        for wanted in self.spec.keep:
            column = self.lookup(wanted)
            if column is not None and column not in self.claimed:
                kept.append(column)
            elif column is None and self.complete and not self.spec.lenient_keep:
                self.problem(wanted, "column to keep is not in the file", wanted, "missing_column")
        return tuple(dict.fromkeys(kept))


def _key(name: str) -> str:
    """How names are compared: without invisible characters, extra spaces or case."""
    return clean_name(name).casefold()


def resolve_mapping(
    spec: MappingSpec,
    header: Sequence[str],
    *,
    tags: Mapping[str, str] | None = None,
    header_complete: bool = True,
    timezone_hint: str | None = None,
    source: str | None = None,
    pseudonym_key: str | bytes | None = None,
    labels: Mapping[str, str] | None = None,
    surrogate_free: bool = False,
) -> ResolvedMapping:
    """Fix the spec's columns against a header; refuses the file with every problem found.
    ``labels`` gives the question a column asks where it is not the column's name;
    ``surrogate_free`` says the rows' text cannot hold a lone surrogate."""
    resolver = _Resolver(spec, header, tags or {}, header_complete, source)
    order = [*_ORDER, *(n for n in spec.fields if n not in _ORDER)]
    fields: dict[str, ResolvedField] = {}
    for name in order:
        if name in spec.fields:
            resolved = resolver.resolve_field(name, spec.fields[name])
            if resolved is not None:
                fields[name] = resolved
    _check_coverage(resolver, fields)
    keep = resolver.kept()
    contacts = frozenset(c for c in map(resolver.lookup, spec.keep_contacts) if c is not None)
    tz = _zone(resolver, spec.timezone or timezone_hint)
    if resolver.problems:
        raise ValidationError(resolver.problems, summary=REFUSED_SUMMARY)
    return ResolvedMapping(
        spec,
        fields,
        keep,
        contacts,
        tz,
        source,
        pseudonym_key,
        dict(labels or {}),
        surrogate_free=surrogate_free,
    )


def _check_coverage(resolver: _Resolver, fields: Mapping[str, ResolvedField]) -> None:
    for name in REQUIRED_FIELDS:
        if name not in fields:
            resolver.problem(
                name, "is not mapped: name its column or give a constant", code="required"
            )
    # A field the file's values will choose (a survey preset before detection) may fill it.
    detected = any(f.detect for n, f in resolver.spec.fields.items() if n in _CONTENT)
    if not detected and "text" not in fields and not any(n in fields for n in SCORE_FIELDS):
        resolver.problem(
            "text", "nothing to import: map the text or at least one score", code="required"
        )


def _zone(resolver: _Resolver, name: str | None) -> tzinfo | None:
    try:
        return zone(name)
    except ValueError as exc:
        resolver.problem("timezone", str(exc), name, "choice")
        return None


def suggest_columns(
    spec: MappingSpec, header: Sequence[str], *, tags: Mapping[str, str] | None = None
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Where the spec would take each field from in this header, and which columns it would
    keep as attributes, problems left aside: the starting point of a mapping a person edits.
    A pattern matching several columns suggests none of them."""
    resolver = _Resolver(spec, header, tags or {}, True, None)
    fields: dict[str, tuple[str, ...]] = {}
    for name in [*_ORDER, *(n for n in spec.fields if n not in _ORDER)]:
        if name in spec.fields:
            resolved = resolver.resolve_field(name, spec.fields[name])
            if resolved is not None and resolved.columns:
                fields[name] = resolved.columns
    return fields, resolver.kept()

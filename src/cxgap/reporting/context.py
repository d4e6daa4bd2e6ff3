"""What every section builder needs: the results object, the locale, translated and shortened
pillar names, and the figure (chart + numbers table) value the templates render."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from markupsafe import Markup

from cxgap.analytics.results_json import PillarJson, ResultsJson
from cxgap.i18n import plural_form, translate
from cxgap.reporting.formatting import format_count, is_missing
from cxgap.reporting.svg import ChartText

Json = Mapping[str, Any]
T = TypeVar("T")

_STOPWORD_TEXT = (
    "to of the and with they their for in on or a an "
    "de du des la le les l' à au aux et ou dans avec qu'ils auprès pour sur par en"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_ARTICLES = frozenset({"the", "le", "la", "les"})
SHORT_NAME_LIMIT = 24


@dataclass(frozen=True)
class Figure:
    """A chart and the exact figures behind it, shown one click away."""

    caption: str
    svg: Markup
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def short_name(name: str, limit: int = SHORT_NAME_LIMIT) -> str:
    """A pillar name cut for a chart label: before the first comma, no parentheses, at most
    ``limit`` characters on a word boundary, without a dangling small word.

    >>> short_name("Friction, or its absence, along the journey")
    'Friction'
    >>> short_name("Customer service they receive")
    'Customer service'
    >>> short_name("Le service client qu'ils reçoivent")
    'Service client'
    """
    core = re.sub(r"\s*\([^)]*\)", "", name).split(",")[0].strip() or name.strip()
    first, _, rest = core.partition(" ")
    if first.lower() in _ARTICLES and rest:
        core = rest[0].upper() + rest[1:]
    if len(core) <= limit:
        return core
    words: list[str] = []
    for word in core.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in _STOPWORDS:
        words.pop()
    if not words:
        return core[: limit - 1] + "…"
    return " ".join(words)


class Context:
    """The results object seen from one locale."""

    def __init__(
        self,
        results: ResultsJson,
        *,
        locale: str,
        segment_names: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.results = results
        self.locale = locale
        # The service adds the names to the results object; an explicit mapping wins.
        self.segment_names = {**mapping(results.get("segment_names")), **(segment_names or {})}

    def tr(self, key: str, /, **params: object) -> str:
        return translate(key, self.locale, **params)

    def tn(self, key: str, count: object, /, **params: object) -> str:
        """``key_one`` or ``key_other`` by the plural form of ``count`` (a missing count
        reads as plural)."""
        number = int(count) if isinstance(count, int | float) else 2
        return translate(f"{key}_{plural_form(number, self.locale)}", self.locale, **params)

    def section(self, name: str) -> Json:
        """A sub-object of the results (``{}`` when absent or null)."""
        return mapping(self.results.get(name))

    def count(self, value: object) -> str:
        return format_count(value, self.locale)

    @cached_property
    def pillars(self) -> list[PillarJson]:
        raw = self.results.get("pillars") or []
        return [p for p in raw if isinstance(p, Mapping)]

    @cached_property
    def _by_key(self) -> dict[str, PillarJson]:
        return {str(p.get("key")): p for p in self.pillars}

    def name(self, pillar: PillarJson) -> str:
        """The pillar's name in the locale, marked when the pillar is retired."""
        first, second = ("name_fr", "name_en") if self.locale == "fr" else ("name_en", "name_fr")
        name = pillar.get(first) or pillar.get(second) or pillar.get("key") or "?"
        if pillar.get("retired"):
            return self.tr("results.pillar.retired", name=name)
        return str(name)

    def name_of(self, key: object) -> str:
        pillar = self._by_key.get(str(key))
        return self.name(pillar) if pillar is not None else str(key)

    def short_of(self, key: object) -> str:
        pillar = self._by_key.get(str(key))
        return self.short(pillar) if pillar is not None else str(key)

    def short(self, pillar: PillarJson) -> str:
        """A chart label; numbered by workspace position when two would read the same."""
        return self._short_labels.get(str(pillar.get("key")), short_name(self.name(pillar)))

    @cached_property
    def _short_labels(self) -> dict[str, str]:
        labels = [short_name(self.name(p)) for p in self.pillars]
        repeated = {label for label in labels if labels.count(label) > 1}
        return {
            str(p.get("key")): f"#{index} {label}" if label in repeated else label
            for index, (p, label) in enumerate(zip(self.pillars, labels, strict=True), start=1)
        }

    @cached_property
    def customer_n(self) -> int:
        for source in (self.section("validity"), self.section("nps")):
            if not is_missing(source.get("n")):
                return int(source["n"])
        return max((int(p.get("customer_n") or 0) for p in self.pillars), default=0)

    @cached_property
    def internal_n(self) -> int:
        n = numbers(self.section("internal").get("n"))
        if n is not None:
            return int(n)
        return max((int(p.get("internal_n") or 0) for p in self.pillars), default=0)

    @property
    def has_customers(self) -> bool:
        return self.customer_n > 0

    @property
    def has_internal(self) -> bool:
        return self.internal_n > 0

    @property
    def alpha(self) -> float:
        confidence = numbers(self.results.get("confidence"))
        return 1 - confidence if confidence is not None else 0.05


def mapping(value: object) -> Json:
    """``value`` when it is an object, else an empty one (absent and null sections)."""
    return value if isinstance(value, Mapping) else {}


def numbers(value: object) -> float | None:
    """``value`` as a float, or None when it is missing."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def known(value: T | None, what: str) -> T:
    """A figure the caller has already filtered as present (``is_missing``); None here is a bug.

    >>> known(4.2, "customer_importance_mean")
    4.2
    """
    if value is None:
        raise ValueError(f"{what} is missing: got {value!r} after filtering for it")
    return value


def interval(value: object) -> tuple[float | None, float | None]:
    """The bounds of a ``[low, high]`` list, None where absent."""
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return numbers(value[0]), numbers(value[1])
    return None, None


def figure(
    chart: ChartText, svg: str, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> Figure:
    """Wrap a chart made by :mod:`charts` or :mod:`plots`, whose text is already escaped."""
    return Figure(chart.title, Markup(svg), tuple(headers), tuple(tuple(row) for row in rows))

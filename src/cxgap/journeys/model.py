"""Personas, journeys, stages and touchpoints as plain values (seed 004: a persona built from
customers' words, a journey as a timeline before / during / after purchase, moments of truth
with a criticality level)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    """Where a stage sits on the timeline."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"

    def label(self, locale: str = "en") -> str:
        return _PHASE_LABELS[self][locale == "fr"]


class Criticality(StrEnum):
    """How much a moment of truth weighs for the customer (seed 004)."""

    CRITICAL = "critical"  # très sensible: strong engagement, strong emotion
    SENSITIVE = "sensitive"  # sensible: moderate engagement and emotion
    LOW_NEUTRAL = "low_neutral"  # bas / neutre: no engagement, weak emotion

    def label(self, locale: str = "en") -> str:
        return _CRITICALITY_LABELS[self][locale == "fr"]


class Version(StrEnum):
    """The journey customers live today, or the one the team designs (seed 004)."""

    CURRENT = "current"
    TARGET = "target"


class Change(StrEnum):
    """What a target-version touchpoint changes compared with the current journey."""

    IRRITANT_REMOVED = "irritant_removed"
    ESSENTIAL_SECURED = "essential_secured"
    WOW = "wow"
    CHANNEL_CHANGE = "channel_change"
    NEW = "new"

    def label(self, locale: str = "en") -> str:
        return _CHANGE_LABELS[self][locale == "fr"]


# Channels a customer meets the brand through; "digital" is a separate flag because an
# advisor can be met in a showroom or on a video call.
CHANNELS: dict[str, tuple[str, str]] = {
    "ad": ("Advertising", "Publicité"),
    "social": ("Social media", "Réseaux sociaux"),
    "website": ("Website", "Site web"),
    "app": ("App", "Application"),
    "email": ("E-mail", "E-mail"),
    "sms": ("SMS", "SMS"),
    "chat": ("Chat", "Chat"),
    "phone": ("Phone", "Téléphone"),
    "shop": ("Shop / showroom", "Magasin / showroom"),
    "advisor": ("Advisor", "Conseiller"),
    "catalogue": ("Catalogue", "Catalogue"),
    "delivery": ("Delivery crew", "Livreurs"),
    "mail": ("Post", "Courrier"),
    "review": ("Review site", "Site d'avis"),
    "other": ("Other", "Autre"),
}

_PHASE_LABELS = {
    Phase.BEFORE: ("Before purchase", "Avant l'achat"),
    Phase.DURING: ("Purchase", "Pendant l'achat"),
    Phase.AFTER: ("After purchase", "Après l'achat"),
}
_CRITICALITY_LABELS = {
    Criticality.CRITICAL: ("Critical", "Très sensible"),
    Criticality.SENSITIVE: ("Sensitive", "Sensible"),
    Criticality.LOW_NEUTRAL: ("Low / neutral", "Bas / neutre"),
}
_CHANGE_LABELS = {
    Change.IRRITANT_REMOVED: ("Irritant removed", "Irritant supprimé"),
    Change.ESSENTIAL_SECURED: ("Essential secured", "Essentiel sécurisé"),
    Change.WOW: ("WOW effect", "Effet WAOUH"),
    Change.CHANNEL_CHANGE: ("Channel change", "Changement de canal"),
    Change.NEW: ("New touchpoint", "Nouveau point de contact"),
}


def channel_label(channel: str, locale: str = "en") -> str:
    return CHANNELS.get(channel, (channel, channel))[locale == "fr"]


@dataclass(frozen=True)
class Text:
    """A name in both languages; one of them may be missing (empty) until someone writes it."""

    en: str
    fr: str

    def get(self, locale: str = "en") -> str:
        """The name in ``locale``, or in the other language when it is missing there."""
        return (self.fr or self.en) if locale == "fr" else (self.en or self.fr)

    def is_missing(self, locale: str) -> bool:
        """True when the name exists only in the other language.

        >>> Text("", "Livraison").is_missing("en"), Text("", "Livraison").get("en")
        (True, 'Livraison')
        """
        mine, theirs = (self.fr, self.en) if locale == "fr" else (self.en, self.fr)
        return not mine and bool(theirs)


@dataclass(frozen=True)
class Persona:
    """A fictional customer inspired by real ones, standing for a data segment."""

    key: str
    name: str
    quote: str = ""  # in the customer's own words and language
    # The texts a reader reads, in English (``needs``…) and French (``needs_fr``…); a list
    # left empty in one language while the other has lines is *missing* there.
    needs: tuple[str, ...] = ()
    usages: tuple[str, ...] = ()
    behaviours: tuple[str, ...] = ()
    preferred_channels: tuple[str, ...] = ()
    generation: str | None = None
    segment: str | None = None  # key of the workspace segment the persona stands for
    needs_fr: tuple[str, ...] = ()
    usages_fr: tuple[str, ...] = ()
    behaviours_fr: tuple[str, ...] = ()
    # How replies address these customers and how long they like them (docs/replies.md).
    address: str = "vous"  # vous (formal) | tu (casual)
    reply_length: str = "standard"  # short | standard | detailed

    def lines(self, field: str, locale: str = "en") -> tuple[str, ...]:
        """The lines of ``field`` in ``locale``, or in the other language when missing there.

        >>> Persona("c", "C", needs_fr=("Des délais fiables",)).lines("needs", "en")
        ('Des délais fiables',)
        """
        en, fr = self._pair(field)
        return (fr or en) if locale == "fr" else (en or fr)

    def lines_missing(self, field: str, locale: str) -> bool:
        """True when ``field`` has lines only in the other language."""
        en, fr = self._pair(field)
        mine, theirs = (fr, en) if locale == "fr" else (en, fr)
        return not mine and bool(theirs)

    def missing(self) -> list[str]:
        """Which texts lack a language, as ``<field>_<lang>``.

        >>> Persona("c", "C", needs=("Speed",), usages_fr=("Lit la newsletter",)).missing()
        ['needs_fr', 'usages_en']
        """
        return [
            f"{field}_{lang}"
            for field in PERSONA_TEXTS
            for lang in ("en", "fr")
            if self.lines_missing(field, lang)
        ]

    def _pair(self, field: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if field not in PERSONA_TEXTS:
            raise KeyError(f"{field!r} is not a persona text (one of {', '.join(PERSONA_TEXTS)})")
        return getattr(self, field), getattr(self, f"{field}_fr")


# The address forms and reply lengths a persona may have (those of cxgap.tone.model).
PERSONA_ADDRESSES = ("vous", "tu")
PERSONA_REPLY_LENGTHS = ("short", "standard", "detailed")

# The persona texts stored in both languages (the quote stays in the customer's own words).
PERSONA_TEXTS = ("needs", "usages", "behaviours")


@dataclass(frozen=True)
class Irritant:
    """A negative topic customers raise at a touchpoint, with a few of their words."""

    topic: str
    name: Text
    count: int  # feedback items on the touchpoint with a negative finding on this topic
    verbatims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measured:
    """What feedback says about a touchpoint (journeys.overlay computes it)."""

    feedback_count: int = 0
    sentiment_mean: float | None = None
    nps: float | None = None
    measured_criticality: Criticality | None = None
    top_irritants: tuple[Irritant, ...] = ()
    csat: float | None = None  # mean CSAT (1-5) of the feedback items that carry one
    enriched_count: int = 0  # items whose text has been analysed (sentiment known)


@dataclass(frozen=True)
class Touchpoint:
    key: str
    name: Text
    channel: str
    digital: bool
    interlocutor: str = ""
    description: str = ""
    goal: str = ""
    emotion: int = 0  # the customer's feeling at this step, -2 (very bad) … +2 (delighted)
    moment_of_truth: bool = False
    declared_criticality: Criticality | None = None
    change: Change | None = None
    measured: Measured = field(default_factory=Measured)


@dataclass(frozen=True)
class Stage:
    key: str
    name: Text
    phase: Phase
    touchpoints: tuple[Touchpoint, ...] = ()


@dataclass(frozen=True)
class Journey:
    key: str
    name: Text
    version: Version = Version.CURRENT
    persona: Persona | None = None
    based_on: str | None = None  # for a target version: the key of the current journey
    stages: tuple[Stage, ...] = ()

    @property
    def touchpoints(self) -> list[Touchpoint]:
        return [tp for stage in self.stages for tp in stage.touchpoints]

    def names_missing(self, locale: str) -> int:
        """How many of the journey's, stages' and touchpoints' names lack ``locale``."""
        names = [self.name, *(s.name for s in self.stages), *(tp.name for tp in self.touchpoints)]
        return sum(name.is_missing(locale) for name in names)

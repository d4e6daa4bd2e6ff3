"""Demo personas and journeys for Maison Lumen, the fictional furniture brand.

Four personas (``demo.personas``), one per demo segment (``generator.SEGMENTS``), each with
the journey customers live today and a target version (seed 004: irritants removed,
essentials secured, WOW effects).
Pure data: ``services.demo`` stores it.
"""

from __future__ import annotations

from dataclasses import replace

from cxgap.demo.personas import demo_personas
from cxgap.journeys.model import (
    Change,
    Criticality,
    Journey,
    Persona,
    Phase,
    Stage,
    Text,
    Touchpoint,
    Version,
)

C, S, L = Criticality.CRITICAL, Criticality.SENSITIVE, Criticality.LOW_NEUTRAL

# key, English name, French name, channel, digital, emotion, criticality if a moment of truth,
# interlocutor, customer's goal
_Spec = tuple[str, str, str, str, bool, int, Criticality | None, str, str]

_STAGES: tuple[tuple[str, str, str, Phase, tuple[_Spec, ...]], ...] = (
    (
        "discover",
        "Discover",
        "Découvrir",
        Phase.BEFORE,
        (
            (
                "ad",
                "Sees a social ad",
                "Voit une publicité sur les réseaux",
                "social",
                True,
                1,
                None,
                "",
                "Find ideas",
            ),
            (
                "catalogue",
                "Leafs through the catalogue",
                "Feuillette le catalogue",
                "catalogue",
                False,
                1,
                None,
                "",
                "Get inspired",
            ),
        ),
    ),
    (
        "explore",
        "Explore online",
        "Explorer en ligne",
        Phase.BEFORE,
        (
            (
                "website",
                "Browses the website",
                "Parcourt le site web",
                "website",
                True,
                0,
                L,
                "",
                "Compare models and prices",
            ),
            (
                "configurator",
                "Designs the sofa in the 3D configurator",
                "Compose son canapé dans le configurateur 3D",
                "website",
                True,
                1,
                S,
                "",
                "See the sofa in the right fabric",
            ),
        ),
    ),
    (
        "showroom",
        "Try in the showroom",
        "Essayer en showroom",
        Phase.BEFORE,
        (
            (
                "advisor",
                "Advice from a showroom advisor",
                "Conseil d'un vendeur en showroom",
                "advisor",
                False,
                2,
                C,
                "Showroom advisor",
                "Be sure of the choice",
            ),
        ),
    ),
    (
        "buy",
        "Order and pay",
        "Commander et payer",
        Phase.DURING,
        (
            (
                "order",
                "Places the order",
                "Passe commande",
                "website",
                True,
                0,
                S,
                "",
                "Order quickly",
            ),
            (
                "payment",
                "Pays, possibly in instalments",
                "Paie, éventuellement en plusieurs fois",
                "website",
                True,
                -1,
                S,
                "",
                "Pay safely",
            ),
            (
                "confirmation",
                "Receives the order confirmation",
                "Reçoit la confirmation de commande",
                "email",
                True,
                0,
                None,
                "",
                "Know it is done",
            ),
        ),
    ),
    (
        "delivery",
        "Delivery and assembly",
        "Livraison et montage",
        Phase.AFTER,
        (
            (
                "slot-sms",
                "Chooses a delivery slot by SMS",
                "Choisit un créneau de livraison par SMS",
                "sms",
                True,
                -1,
                S,
                "Logistics partner",
                "Be home at the right time",
            ),
            (
                "delivery",
                "Delivery at home",
                "Livraison à domicile",
                "delivery",
                False,
                -2,
                C,
                "Delivery crew",
                "Receive it undamaged, on time",
            ),
            (
                "assembly",
                "Assembly of the furniture",
                "Montage du meuble",
                "delivery",
                False,
                -1,
                S,
                "Fitter",
                "Have it ready to use",
            ),
        ),
    ),
    (
        "after",
        "Live with it",
        "Vivre avec",
        Phase.AFTER,
        (
            (
                "after-sales",
                "Contacts after-sales about a defect",
                "Contacte le SAV pour un défaut",
                "phone",
                False,
                -2,
                C,
                "Customer service",
                "Get it fixed without a fight",
            ),
            (
                "review",
                "Writes a review",
                "Rédige un avis",
                "review",
                True,
                0,
                L,
                "",
                "Share the experience",
            ),
        ),
    ),
)

# Per persona: emotion shifts on given touchpoints (their own pains and delights).
_EMOTIONS: dict[str, dict[str, int]] = {
    "claire": {"slot-sms": -2, "advisor": 1},
    "hugo": {"ad": 2, "configurator": 2, "delivery": -1},
    "nadia": {"website": -1, "order": -1, "delivery": -2, "review": -1},
    "marc": {"catalogue": 2, "payment": -2, "order": -1},
}

# The target journey: what changes on each touchpoint, its new emotion and, for a channel
# change, the new channel.
_TARGET: dict[str, tuple[Change, int, str | None]] = {
    "payment": (Change.IRRITANT_REMOVED, 1, None),
    "slot-sms": (Change.IRRITANT_REMOVED, 1, "app"),
    "delivery": (Change.ESSENTIAL_SECURED, 1, None),
    "after-sales": (Change.CHANNEL_CHANGE, 1, "chat"),
    "advisor": (Change.WOW, 2, None),
    "order": (Change.ESSENTIAL_SECURED, 1, None),
}
_WOW_TOUCHPOINT = Touchpoint(
    key="follow-up-call",
    name=Text(
        "Follow-up call from the advisor a week later",
        "Appel de suivi du vendeur une semaine après",
    ),
    channel="phone",
    digital=False,
    interlocutor="Showroom advisor",
    goal="Feel looked after",
    emotion=2,
    moment_of_truth=True,
    declared_criticality=Criticality.SENSITIVE,
    change=Change.WOW,
)


# Interlocutors and goals in French (a touchpoint stores them in one language).
_FRENCH = {
    "Find ideas": "Trouver des idées",
    "Get inspired": "S'inspirer",
    "Compare models and prices": "Comparer modèles et prix",
    "See the sofa in the right fabric": "Voir le canapé dans le bon tissu",
    "Be sure of the choice": "Être sûr de son choix",
    "Order quickly": "Commander vite",
    "Pay safely": "Payer en confiance",
    "Know it is done": "Savoir que c'est fait",
    "Be home at the right time": "Être chez soi au bon moment",
    "Receive it undamaged, on time": "Le recevoir intact, à l'heure",
    "Have it ready to use": "Pouvoir s'en servir tout de suite",
    "Get it fixed without a fight": "Obtenir la réparation sans se battre",
    "Share the experience": "Partager son expérience",
    "Feel looked after": "Se sentir suivi",
    "Showroom advisor": "Conseiller du showroom",
    "Logistics partner": "Partenaire logistique",
    "Delivery crew": "Livreurs",
    "Fitter": "Monteur",
    "Customer service": "Service client",
}


def _said(text: str, locale: str) -> str:
    return _FRENCH.get(text, text) if locale == "fr" else text


def _touchpoint(spec: _Spec, emotions: dict[str, int], locale: str) -> Touchpoint:
    key, en, fr, channel, digital, emotion, level, interlocutor, goal = spec
    return Touchpoint(
        key=key,
        name=Text(en, fr),
        channel=channel,
        digital=digital,
        interlocutor=_said(interlocutor, locale),
        goal=_said(goal, locale),
        emotion=emotions.get(key, emotion),
        moment_of_truth=level is not None,
        declared_criticality=level,
    )


def current_journey(persona: Persona, locale: str = "en") -> Journey:
    emotions = _EMOTIONS.get(persona.key, {})
    stages = tuple(
        Stage(key, Text(en, fr), phase, tuple(_touchpoint(s, emotions, locale) for s in specs))
        for key, en, fr, phase, specs in _STAGES
    )
    first = persona.name.split()[0]
    return Journey(
        key=f"{persona.key}-current",
        name=Text(f"{first} furnishes the living room", f"{first} meuble son salon"),
        version=Version.CURRENT,
        persona=persona,
        stages=stages,
    )


def target_journey(current: Journey, locale: str = "en") -> Journey:
    def redesign(tp: Touchpoint) -> Touchpoint:
        if tp.key not in _TARGET:
            return tp
        change, emotion, channel = _TARGET[tp.key]
        digital = tp.digital if channel is None else channel not in {"phone", "shop"}
        return replace(
            tp, change=change, emotion=emotion, channel=channel or tp.channel, digital=digital
        )

    stages = tuple(
        replace(stage, touchpoints=tuple(redesign(tp) for tp in stage.touchpoints))
        for stage in current.stages
    )
    last = stages[-1]
    wow = replace(
        _WOW_TOUCHPOINT,
        interlocutor=_said(_WOW_TOUCHPOINT.interlocutor, locale),
        goal=_said(_WOW_TOUCHPOINT.goal, locale),
    )
    stages = (*stages[:-1], replace(last, touchpoints=(wow, *last.touchpoints)))
    return replace(
        current,
        key=current.key.replace("-current", "-target"),
        name=Text(current.name.en + " (target)", current.name.fr + " (cible)"),
        version=Version.TARGET,
        based_on=current.key,
        stages=stages,
    )


def demo_journeys(locale: str = "en") -> list[Journey]:
    """Current then target journey for each demo persona; names and the personas' texts in
    both languages, interlocutors and goals in ``locale``."""
    out: list[Journey] = []
    for persona in demo_personas():
        current = current_journey(persona, locale)
        out.extend((current, target_journey(current, locale)))
    return out

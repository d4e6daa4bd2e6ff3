"""Demo personas and journeys for Maison Lumen, the fictional furniture brand.

Four personas, one per demo segment (``generator.SEGMENTS``), each with the journey customers
live today and a target version (seed 004: irritants removed, essentials secured, WOW effects).
Pure data: ``services.demo`` stores it.
"""

from __future__ import annotations

from dataclasses import replace

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

PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="claire",
        name="Claire Martin",
        quote="Je veux un canapé qui survive aux enfants, livré un samedi, sans y passer mes "
        "soirées.",
        needs=("Sturdy, washable furniture", "A delivery slot that fits a working week"),
        usages=("Browses on her phone in the evening", "Visits the showroom once, with kids"),
        behaviours=("Compares 3 brands", "Trusts reviews from other parents"),
        preferred_channels=("app", "sms", "shop"),
        generation="Gen Y",
        segment="busy_family",
    ),
    Persona(
        key="hugo",
        name="Hugo Lefèvre",
        quote="I want the exact shade of oak I saw on Instagram, and someone who knows what "
        "they are talking about.",
        needs=("Inspiration and expert advice", "Finishes true to the photos"),
        usages=("Saves ideas on social media", "Spends an hour with a showroom advisor"),
        behaviours=("Pays more for design", "Posts his room once it is done"),
        preferred_channels=("social", "advisor", "website"),
        generation="Gen Y",
        segment="design_lover",
    ),
    Persona(
        key="nadia",
        name="Nadia Benali",
        quote="Mes chantiers ont des dates : si la livraison glisse d'une semaine, c'est mon "
        "client qui me le reproche.",
        needs=("Reliable lead times", "One contact for large orders", "Invoices for the trade"),
        usages=("Orders by phone and e-mail with her account manager",),
        behaviours=("Orders 10 to 40 items at a time", "Leaves if a date slips twice"),
        preferred_channels=("phone", "email", "advisor"),
        generation="Gen X",
        segment="pro_buyer",
    ),
    Persona(
        key="marc",
        name="Marc Dubois",
        quote="Je guette les soldes, mais je ne veux pas de mauvaise surprise sur les frais de "
        "livraison.",
        needs=("Clear total price", "Free or cheap delivery"),
        usages=("Reads the newsletter", "Buys during sales on the website"),
        behaviours=("Abandons the basket when fees appear late", "Writes detailed reviews"),
        preferred_channels=("email", "website", "catalogue"),
        generation="Baby boomer",
        segment="bargain_hunter",
    ),
)

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


def _touchpoint(spec: _Spec, emotions: dict[str, int]) -> Touchpoint:
    key, en, fr, channel, digital, emotion, level, interlocutor, goal = spec
    return Touchpoint(
        key=key,
        name=Text(en, fr),
        channel=channel,
        digital=digital,
        interlocutor=interlocutor,
        goal=goal,
        emotion=emotions.get(key, emotion),
        moment_of_truth=level is not None,
        declared_criticality=level,
    )


def current_journey(persona: Persona) -> Journey:
    emotions = _EMOTIONS.get(persona.key, {})
    stages = tuple(
        Stage(key, Text(en, fr), phase, tuple(_touchpoint(s, emotions) for s in specs))
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


def target_journey(current: Journey) -> Journey:
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
    stages = (*stages[:-1], replace(last, touchpoints=(_WOW_TOUCHPOINT, *last.touchpoints)))
    return replace(
        current,
        key=current.key.replace("-current", "-target"),
        name=Text(current.name.en + " (target)", current.name.fr + " (cible)"),
        version=Version.TARGET,
        based_on=current.key,
        stages=stages,
    )


def demo_journeys() -> list[Journey]:
    """Current then target journey for each demo persona."""
    out: list[Journey] = []
    for persona in PERSONAS:
        current = current_journey(persona)
        out.extend((current, target_journey(current)))
    return out

"""The demo's four personas, one per demo segment (``generator.SEGMENTS``): their needs,
usages and behaviours in English and French, both stored whatever language the demo is
created in. Pure data: ``services.demo`` stores it."""

from __future__ import annotations

from dataclasses import replace

from cxgap.journeys.model import Persona

# Lists a persona holds (needs, usages, behaviours) as (English, French) pairs.
_Lines = tuple[tuple[str, str], ...]


def _persona(
    key: str,
    name: str,
    quote: str,
    lines: tuple[_Lines, _Lines, _Lines],
    channels: tuple[str, ...],
    generation: str,
    segment: str,
) -> Persona:
    needs, usages, behaviours = (tuple(en for en, _ in ls) for ls in lines)
    needs_fr, usages_fr, behaviours_fr = (tuple(fr for _, fr in ls) for ls in lines)
    return Persona(
        key=key,
        name=name,
        quote=quote,
        needs=needs,
        usages=usages,
        behaviours=behaviours,
        preferred_channels=channels,
        generation=generation,
        segment=segment,
        needs_fr=needs_fr,
        usages_fr=usages_fr,
        behaviours_fr=behaviours_fr,
    )


_PERSONAS = (
    _persona(
        "claire",
        "Claire Martin",
        "Je veux un canapé qui survive aux enfants, livré un samedi, sans y passer mes soirées.",
        (
            (
                ("Sturdy, washable furniture", "Des meubles solides et lavables"),
                (
                    "A delivery slot that fits a working week",
                    "Un créneau de livraison compatible avec une semaine de travail",
                ),
            ),
            (
                ("Browses on her phone in the evening", "Navigue sur son téléphone le soir"),
                (
                    "Visits the showroom once, with kids",
                    "Passe une fois au showroom, avec les enfants",
                ),
            ),
            (
                ("Compares 3 brands", "Compare 3 marques"),
                ("Trusts reviews from other parents", "Se fie aux avis d'autres parents"),
            ),
        ),
        ("app", "sms", "shop"),
        "Gen Y",
        "busy_family",
    ),
    _persona(
        "hugo",
        "Hugo Lefèvre",
        "I want the exact shade of oak I saw on Instagram, and someone who knows what they are "
        "talking about.",
        (
            (
                ("Inspiration and expert advice", "De l'inspiration et des conseils d'expert"),
                ("Finishes true to the photos", "Des finitions fidèles aux photos"),
            ),
            (
                ("Saves ideas on social media", "Enregistre des idées sur les réseaux sociaux"),
                (
                    "Spends an hour with a showroom advisor",
                    "Passe une heure avec un conseiller en showroom",
                ),
            ),
            (
                ("Pays more for design", "Paie plus cher pour le design"),
                ("Posts his room once it is done", "Publie sa pièce une fois terminée"),
            ),
        ),
        ("social", "advisor", "website"),
        "Gen Y",
        "design_lover",
    ),
    _persona(
        "nadia",
        "Nadia Benali",
        "Mes chantiers ont des dates : si la livraison glisse d'une semaine, c'est mon client qui "
        "me le reproche.",
        (
            (
                ("Reliable lead times", "Des délais fiables"),
                (
                    "One contact for large orders",
                    "Un seul interlocuteur pour les grosses commandes",
                ),
                ("Invoices for the trade", "Des factures pour les professionnels"),
            ),
            (
                (
                    "Orders by phone and e-mail with her account manager",
                    "Commande par téléphone et par e-mail auprès de sa chargée de clientèle",
                ),
            ),
            (
                ("Orders 10 to 40 items at a time", "Commande 10 à 40 articles à la fois"),
                ("Leaves if a date slips twice", "Part si une date glisse deux fois"),
            ),
        ),
        ("phone", "email", "advisor"),
        "Gen X",
        "pro_buyer",
    ),
    _persona(
        "marc",
        "Marc Dubois",
        "Je guette les soldes, mais je ne veux pas de mauvaise surprise sur les frais de "
        "livraison.",
        (
            (
                ("Clear total price", "Un prix total clair"),
                ("Free or cheap delivery", "Une livraison gratuite ou bon marché"),
            ),
            (
                ("Reads the newsletter", "Lit la newsletter"),
                ("Buys during sales on the website", "Achète pendant les soldes sur le site"),
            ),
            (
                (
                    "Abandons the basket when fees appear late",
                    "Abandonne son panier quand les frais apparaissent tard",
                ),
                ("Writes detailed reviews", "Rédige des avis détaillés"),
            ),
        ),
        ("email", "website", "catalogue"),
        "Baby boomer",
        "bargain_hunter",
    ),
)


# How replies to each persona's customers sound (docs/replies.md): Hugo, who lives on social
# media, is addressed as "tu" and likes short replies; Claire has no time either; Marc, who
# wants no bad surprise on the price, wants the details; Nadia keeps the defaults.
_TONES = {
    "claire": ("vous", "short"),
    "hugo": ("tu", "short"),
    "marc": ("vous", "detailed"),
}
_TONED: tuple[Persona, ...] = tuple(
    replace(p, address=_TONES[p.key][0], reply_length=_TONES[p.key][1]) if p.key in _TONES else p
    for p in _PERSONAS
)


def demo_personas() -> tuple[Persona, ...]:
    """The four personas, their needs, usages and behaviours in English and French, and the
    tone of replies to them; their quotes stay in each customer's own words and language."""
    return _TONED


PERSONAS: tuple[Persona, ...] = _TONED

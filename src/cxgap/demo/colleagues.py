"""The colleagues' self-assessment of the demo: proud of the wrong things, and not in agreement.

Half of them are *believers* who give themselves full marks on at least three pillars (the
"80 % believe they deliver a superior experience" of seed 000, softened); the rest are more
measured. Each department ranks its own work first, so their rankings disagree (seed 000:
"you will not all agree").
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cxgap.demo import profiles as p
from cxgap.demo.sampling import random_day, random_moment, shuffled_quota, to_scale
from cxgap.pillars import SCALE_MAX, SCALE_MIN
from cxgap.schema import InternalAnswer, InternalPillarAnswer

BELIEVER_SHARE = 0.5
COMMENT_SHARE = 0.75
RANK_NOISE = 1.5  # spread of personal opinion around the department's view
OFFICE_DAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.03, 0.01)
OFFICE_HOURS = (0,) * 8 + (3, 5, 6, 5, 2, 4, 5, 5, 4, 3, 1) + (0,) * 5


@dataclass(frozen=True)
class Colleague:
    name: str
    department: str
    language: str


ROSTER: tuple[Colleague, ...] = (
    Colleague("Camille", p.MARKETING, "fr"),
    Colleague("James", p.MARKETING, "en"),
    Colleague("Nadia", p.CUSTOMER_SERVICE, "fr"),
    Colleague("Julien", p.CUSTOMER_SERVICE, "fr"),
    Colleague("Olivia", p.CUSTOMER_SERVICE, "en"),
    Colleague("Mathieu", p.SALES, "fr"),
    Colleague("Priya", p.SALES, "en"),
    Colleague("Léa", p.ECOMMERCE, "fr"),
    Colleague("Daniel", p.ECOMMERCE, "en"),
    Colleague("Sophie", p.STORES, "fr"),
    Colleague("Karim", p.STORES, "fr"),
    Colleague("Hélène", p.MANAGEMENT, "fr"),
)

# Beyond the roster, more colleagues cycle through departments with these first names.
EXTRA_NAMES: tuple[tuple[str, str], ...] = (
    ("Antoine", "fr"),
    ("Grace", "en"),
    ("Chloé", "fr"),
    ("Ryan", "en"),
    ("Inès", "fr"),
    ("Hugo", "fr"),
    ("Manon", "fr"),
    ("Noah", "en"),
    ("Yasmine", "fr"),
    ("Lucas", "fr"),
    ("Sarah", "en"),
    ("Zoé", "fr"),
)

COMMENTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    p.MARKETING: {
        "fr": (
            "Nos campagnes marchent bien et la marque est forte. Le point faible, c'est le "
            "contenu du site : fiches produit incomplètes, pas assez d'inspiration.",
            "Les clients viennent chez Maison Lumen d'abord pour l'image et le catalogue.",
        ),
        "en": (
            "Our campaigns land well and awareness keeps growing. Content is the weak spot: "
            "product pages need work.",
            "People come to us for the look and the brand; advertising is what brings them in.",
        ),
    },
    p.CUSTOMER_SERVICE: {
        "fr": (
            "On traite la majorité des demandes en 48 h, je trouve qu'on est bons. Les pics "
            "du lundi restent compliqués.",
            "L'équipe est très impliquée, les clients nous remercient souvent au téléphone. "
            "Les retards de livraison ne dépendent pas de nous.",
        ),
        "en": (
            "Most tickets are closed within two days and customers often thank us. Delivery "
            "delays are out of our hands.",
            "We could answer the same day if we had one tool instead of three.",
        ),
    },
    p.SALES: {
        "fr": (
            "Nos vendeurs connaissent très bien les produits, la qualité du chêne se vend "
            "toute seule.",
            "On perd des ventes quand on ne peut pas donner de date de livraison fiable.",
        ),
        "en": (
            "Product quality is our strongest argument, customers trust us on that.",
            "Trade customers love us, they keep coming back.",
        ),
    },
    p.ECOMMERCE: {
        "fr": (
            "La nouvelle appli est bien notée sur les stores et le tunnel de paiement est "
            "fluide. Il reste du travail sur les fiches produit.",
            "Le site convertit mieux que l'an dernier, les clients trouvent vite ce qu'ils "
            "cherchent.",
        ),
        "en": (
            "The new app is rated well and checkout conversion is up. Product page content "
            "could be better.",
            "Our digital journey is one of the best in the sector.",
        ),
    },
    p.STORES: {
        "fr": (
            "En magasin l'accueil est bon, mais on manque de visibilité sur les stocks et les "
            "délais de livraison.",
            "Les clients adorent le showroom, c'est notre vraie force.",
        ),
        "en": (
            "Shop teams do a great job but we can't see stock or delivery dates.",
            "The showroom is what makes people buy.",
        ),
    },
    p.MANAGEMENT: {
        "fr": (
            "Maison Lumen a une excellente réputation et nos clients nous font confiance. "
            "L'objectif : devenir la référence du service dans l'ameublement.",
            "Je pense sincèrement qu'on offre une expérience supérieure ; l'enquête devrait le "
            "confirmer.",
        ),
        "en": (
            "We deliver a superior experience; the customer survey should confirm it.",
            "Our reputation is our biggest asset.",
        ),
    },
}


def build_internal_answers(
    rng: random.Random,
    *,
    n: int,
    pillar_keys: Sequence[str],
    campaign_start: date,
    campaign_days: int,
) -> list[InternalAnswer]:
    """``n`` colleagues' self-assessments submitted during the internal campaign."""
    colleagues = roster(n)
    believers = shuffled_quota(rng, n, {True: BELIEVER_SHARE, False: 1 - BELIEVER_SHARE})
    commenting = shuffled_quota(rng, n, {True: COMMENT_SHARE, False: 1 - COMMENT_SHARE})
    seen: Counter[tuple[str, str]] = Counter()
    answers = []
    for index, colleague in enumerate(colleagues):
        voice = (colleague.department, colleague.language)
        seen[voice] += 1
        current = _current_scores(rng, colleague.department, pillar_keys, believers[index])
        ranks = _ranks(rng, colleague.department, pillar_keys)
        day = random_day(rng, first=campaign_start, days=campaign_days, weekday_weights=OFFICE_DAYS)
        answers.append(
            InternalAnswer(
                pillars={
                    key: InternalPillarAnswer(
                        current=current[key], desired=_desired(rng, current[key]), rank=ranks[key]
                    )
                    for key in pillar_keys
                },
                department=colleague.department,
                respondent=colleague.name,
                comment=_comment(colleague, seen[voice] - 1) if commenting[index] else "",
                submitted_at=random_moment(rng, day, OFFICE_HOURS),
            )
        )
    return sorted(answers, key=lambda answer: answer.submitted_at or campaign_start)


def roster(n: int) -> list[Colleague]:
    """The fixed dozen first, then more names spread over the departments."""
    colleagues = list(ROSTER[:n])
    departments = list(dict.fromkeys(c.department for c in ROSTER))
    for extra in range(max(0, n - len(ROSTER))):
        name, language = EXTRA_NAMES[extra % len(EXTRA_NAMES)]
        if extra >= len(EXTRA_NAMES):  # keep respondents distinguishable in large demos
            name = f"{name} {chr(ord('A') + (extra // len(EXTRA_NAMES) - 1) % 26)}."
        colleagues.append(Colleague(name, departments[extra % len(departments)], language))
    return colleagues


def _current_scores(
    rng: random.Random, department: str, pillar_keys: Sequence[str], believer: bool
) -> dict[str, int]:
    optimism = 0.3 if believer else -0.25
    shift = p.DEPARTMENT_CURRENT_SHIFT.get(department, {})
    scores = {
        key: to_scale(
            p.STAFF_CURRENT.get(key, 3.5) + shift.get(key, 0.0) + optimism + rng.gauss(0, 0.5),
            SCALE_MIN,
            SCALE_MAX,
        )
        for key in pillar_keys
    }
    return _with_full_marks(scores, believer)


def _with_full_marks(scores: dict[str, int], believer: bool) -> dict[str, int]:
    """Believers give full marks on at least three pillars, the others on at most two."""
    fives = [key for key, score in scores.items() if score == SCALE_MAX]
    if believer:
        # The pillars they are proudest of first, then whatever they already rate highest.
        candidates = sorted(
            (key for key in scores if scores[key] < SCALE_MAX),
            key=lambda key: (key not in p.PROUD_PILLARS, -scores[key]),
        )
        for key in candidates[: max(0, 3 - len(fives))]:
            scores[key] = SCALE_MAX
    else:
        for key in fives[2:]:
            scores[key] = SCALE_MAX - 1
    return scores


def _desired(rng: random.Random, current: int) -> int:
    """Where the colleague wants the pillar to be: mostly one step up, rarely lower."""
    if rng.random() < 0.03:
        return max(SCALE_MIN, current - 1)
    step = rng.choices((0, 1, 2), weights=(0.25, 0.5, 0.25))[0]
    if current <= 3 and rng.random() < 0.4:
        step += 1  # the weaker a pillar feels, the bigger the ambition
    return min(SCALE_MAX, current + step)


def _ranks(rng: random.Random, department: str, pillar_keys: Sequence[str]) -> dict[str, int]:
    """A permutation of 1..k: 1 = what this colleague thinks customers value most."""
    shift = p.DEPARTMENT_PRIORITY_SHIFT.get(department, {})
    belief = {
        key: p.STAFF_PRIORITY.get(key, 1.0) + shift.get(key, 0.0) + rng.gauss(0, RANK_NOISE)
        for key in pillar_keys
    }
    ordered = sorted(pillar_keys, key=lambda key: belief[key], reverse=True)
    return {key: position for position, key in enumerate(ordered, start=1)}


def _comment(colleague: Colleague, nth: int) -> str:
    """The ``nth`` comment of the colleague's department and language, so that two people
    from the same team do not write the same words."""
    texts = COMMENTS.get(colleague.department, {}).get(colleague.language, ())
    return texts[nth % len(texts)] if texts else ""

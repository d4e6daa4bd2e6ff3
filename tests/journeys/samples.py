"""Small journeys for tests: n touchpoints spread over stages of every phase."""

from __future__ import annotations

from cxgap.journeys.model import (
    Criticality,
    Journey,
    Persona,
    Phase,
    Stage,
    Text,
    Touchpoint,
    Version,
)


def sample_journey(n_touchpoints: int = 3, *, name: str = "Sample journey") -> Journey:
    """``n_touchpoints`` with long names, over up to 7 stages (before, during, after)."""
    n_stages = min(7, n_touchpoints)
    phases = [Phase.BEFORE, Phase.BEFORE, Phase.DURING, Phase.DURING, Phase.AFTER, Phase.AFTER]
    levels = list(Criticality)
    stages = []
    for s in range(n_stages):
        count = n_touchpoints // n_stages + (1 if s < n_touchpoints % n_stages else 0)
        tps = tuple(
            Touchpoint(
                key=f"tp-{s}-{t}",
                name=Text(
                    f"Touchpoint {s}.{t} with a rather long descriptive name to wrap",
                    f"Point de contact {s}.{t} au nom assez long pour passer à la ligne",
                ),
                channel=["website", "shop", "sms", "advisor", "delivery"][(s + t) % 5],
                digital=(s + t) % 2 == 0,
                emotion=((s * 3 + t) % 5) - 2,
                moment_of_truth=t % 2 == 0,
                declared_criticality=levels[(s + t) % 3] if t % 2 == 0 else None,
            )
            for t in range(count)
        )
        phase = phases[min(s * len(phases) // n_stages, len(phases) - 1)]
        stages.append(
            Stage(f"stage-{s}", Text(f"Stage {s} of the journey", f"Étape {s}"), phase, tps)
        )
    return Journey(
        key="sample",
        name=Text(name, name + " (fr)"),
        version=Version.CURRENT,
        persona=Persona(key="ana", name="Ana", quote="Fast, please.", segment="pro"),
        stages=tuple(stages),
    )


def measured_journey(n_touchpoints: int = 3) -> Journey:
    """``sample_journey`` with a measured overlay on every touchpoint, disagreeing on some."""
    from dataclasses import replace

    from cxgap.journeys.model import Irritant, Measured
    from cxgap.journeys.overlay import lay_over

    journey = sample_journey(n_touchpoints)
    levels = list(Criticality)
    measured = {
        tp.key: Measured(
            feedback_count=1000 + 37 * i,
            sentiment_mean=round(-0.9 + (i % 10) * 0.2, 2),
            nps=-87.0 + 13 * (i % 14),
            measured_criticality=levels[(i + 1) % 3],
            top_irritants=(
                Irritant(
                    "late",
                    Text("Late delivery", "Livraison en retard"),
                    12,
                    ("Trois semaines de retard, aucune nouvelle.", "Still waiting."),
                ),
            ),
            csat=3.4,
            enriched_count=900,
        )
        for i, tp in enumerate(journey.touchpoints)
    }
    return replace(lay_over(journey, measured), name=Text("Measured journey", "Parcours mesuré"))

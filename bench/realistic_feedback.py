"""A feedback CSV closer to real exports than ``bench.pg_scale.feedback_csv``: the file of
the third round of import profiling (docs/scale.md, "Imports at speed").

French and English text with accents, quotes, guillemets, emoji and commas; a line break in
2 % of the texts, a phone number in 1 % and an e-mail address in 1 % (masked on import);
three source types, four channels, ISO timestamps with an offset, and two columns kept as
attributes (``shop``, ``status``: a few values repeated). About 210 bytes a row.

``python -m bench.realistic_feedback PATH [ROWS]`` writes it; :func:`realistic_csv` for the
benchmarks, with :data:`KEEP` the columns to keep (``dataclasses.replace(get_preset(
"generic"), keep=KEEP)``).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HEADER = ["source_id", "source_type", "channel", "collected_at", "text", "nps", "csat",
          "customer_ref", "touchpoint", "language", "shop", "status"]  # fmt: skip
KEEP = ("shop", "status")
FRENCH = (
    "livraison", "très", "rapide", "vendeur", "sympathique", "attente", "trop", "longue",
    "produit", "abîmé", "remboursé", "à", "l'accueil", "qualité", "prix", "élevé", "déçu",
    "ravi", "magasin", "propre", "caisse", "fermée", "service", "après-vente", "réponse",
    "«", "»", "commande", "reçue", "en", "retard", "mais", "bien", "emballée",
)  # fmt: skip
ENGLISH = (
    "delivery", "was", "fast", "staff", "friendly", "waited", "too", "long", "item",
    "damaged", "refund", "took", "weeks", "great", "price", "store", "clean", "checkout",
    "closed", "support", "never", "answered", "my", "order", "arrived", "late", "but",
    "well", "packed", '"really"', "good,", "thanks",
)  # fmt: skip
EXTRAS = ("👍", "😡", "🙂", "!", "?", "…", "—", "café", "naïve", "Noël")
SHOPS = ("Lyon Part-Dieu", "Paris Bercy", "Lille", "Saint-Étienne", "Nantes", "Bordeaux")
STATUSES = ("gold", "silver", "", "new")


def _text(rng: random.Random) -> str:
    words = FRENCH if rng.random() < 0.6 else ENGLISH
    parts = [rng.choice(words) for _ in range(rng.randint(6, 28))]
    if rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts)), rng.choice(EXTRAS))
    text = " ".join(parts).capitalize() + rng.choice((".", "!", " ?", ", merci."))
    roll = rng.random()
    if roll < 0.02:
        text += "\n" + " ".join(rng.choice(words) for _ in range(5))
    elif roll < 0.03:
        text += f" Rappelez-moi au 06 {rng.randint(10, 99)} {rng.randint(10, 99)} 45 67"
    elif roll < 0.04:
        text += f" écrivez à client{rng.randint(1, 9999)}@example.com"
    return text


def realistic_csv(path: Path, rows: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(HEADER)
        for i in range(rows):
            offset = rng.choice(("+01:00", "+02:00", "Z", "-05:00"))
            when = (
                f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
                f"{offset}"
            )
            out.writerow([
                f"FB-{i:07d}", rng.choice(("survey", "review", "ticket")),
                rng.choice(("web", "store", "phone", "app")), when, _text(rng),
                rng.choice(("", str(rng.randint(0, 10)))),
                rng.choice(("", "", str(rng.randint(1, 5)))),
                f"C-{rng.randint(1, 80_000)}", rng.choice(("delivery", "checkout", "returns", "")),
                rng.choice(("fr", "en", "")), rng.choice(SHOPS), rng.choice(STATUSES),
            ])  # fmt: skip
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    realistic_csv(target, int(sys.argv[2]) if len(sys.argv) > 2 else 200_000)
    print(f"{target}: {target.stat().st_size / 1e6:,.1f} MB")

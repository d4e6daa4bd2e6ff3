"""The integrity rules measured on generated survey data with planted cases of each kind:
precision and recall per flag (docs/integrity.md).

    .venv/bin/python -m bench.integrity_planted [--seeds 5] [--size 3000] [--no-sentiment]

Clean comments are real French and English reviews with their star rating (``dev_sentiment/``
from ``../shared/data`` or ``CXGAP_SHARED_DATA``), mapped to an NPS band; without those files,
comments are assembled from fragments written here. Every response has a respondent id, a
time over 90 days, a duration (log-normal, median 150 s), a shop of 12 and a grid of 6 items
that follow its score with per-pillar offsets and noise. Then, per seed (seeded, so the
figures repeat): 40 speeders, 40 straight-liners, 40 duplicates (20 same respondent within
hours, 20 near-identical texts within 7 days), 40 gibberish comments, 40 bots (15 honeypots,
13 impossible durations, a burst of 12), 40 score–text mismatches, and one gamed shop (top
scores inflated, 12 comments reporting score begging), one shop surveying few of its contacts
and 4 stray begging comments in other shops. Results also go to
``bench/out/integrity_planted.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from cxgap.integrity import Contacts, Response, Sentiment, check_integrity

SHARED = Path(
    os.environ.get("CXGAP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
OUT = Path(__file__).with_name("out") / "integrity_planted.json"
REVIEWS = (
    ("fr_trustpilot_multisector_2021.csv", "content_review", "stars"),
    ("fr_insurance_reviews_avis1.csv", "avis", "note"),
    ("fr_trustpilot_showroomprive_a.csv", "text", "rating"),
    ("fr_trustpilot_keytrade_bank.csv", "text", "rating"),
    ("en_trustpilot_keytrade_bank.csv", "text", "rating"),
)
NPS_OF_STARS = {1: (0, 1, 2), 2: (3, 4), 3: (5, 6), 4: (7, 8), 5: (9, 10)}
SHOPS = [f"Boutique {i:02d}" for i in range(1, 13)]
GAMED, SELECTIVE = SHOPS[6], SHOPS[10]
OFFSETS = (0.0, -0.6, -1.0, 0.3, -0.3, -0.8)  # pillars customers rate differently
T0 = datetime(2026, 1, 5)
BEGGING = (
    "Le vendeur m'a demandé de mettre 10.", "Mettez-moi 10 svp, m'a-t-il dit.",
    "On m'a expliqué que seul un 10 compte pour eux.", "The clerk asked me to give him a 10.",
    "He said only a 10 counts, so here it is.", "Il m'a gentiment demandé de lui mettre un 10",
    "En dessous de 9 c'est un échec pour eux, m'a dit la conseillère.",
    "Give us a 10 please, she said at the till.",
)  # fmt: skip
FRAGMENTS = (
    ("Accueil", "Livraison", "Conseiller", "Service client", "Remboursement", "Magasin"),
    ("rapide", "très lent", "aimable", "désagréable", "efficace", "compliqué", "parfait"),
    ("mais le prix est élevé", "et le suivi est clair", "malgré l'attente au téléphone",
     "avec une bonne explication", "sans aucune réponse à mes mails", "comme d'habitude"),
    ("pour ma commande de mars", "lors de mon passage samedi", "après deux relances",
     "dès le premier appel", "pour le dossier de mon fils", "en fin de journée"),
)  # fmt: skip
KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn")


def real_reviews() -> list[tuple[int, str]]:
    """(stars, text) of the real reviews, each text once; empty when the files are absent."""
    found: dict[str, int] = {}
    for name, text_column, stars_column in REVIEWS:
        path = SHARED / "dev_sentiment" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text, stars = row[text_column].strip(), row[stars_column].strip()
                if text and stars.isdigit() and len(text) < 400:
                    found.setdefault(text, int(stars))
    return [(stars, text) for text, stars in found.items()]


def written_review(rng: random.Random) -> tuple[int, str]:
    stars = rng.choices((1, 2, 3, 4, 5), weights=(15, 8, 10, 25, 42))[0]
    parts = [rng.choice(options) for options in FRAGMENTS]
    return stars, " ".join(parts[: rng.randint(2, 4)]) + "."


def mash(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:  # a slide along a keyboard row
        row = rng.choice(KEYS)
        start = rng.randrange(len(row) - 4)
        return row[start : start + rng.randint(4, len(row) - start)] * rng.randint(1, 2)
    if kind == 1:  # consonants at random
        return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 10)))
    if kind == 2:  # one key held down
        return rng.choice("aeksdjmlx") * rng.randint(4, 12)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(6, 12)))


class Planted:
    """The responses, the contact counts and, per flag, the ids planted."""

    def __init__(self, rng: random.Random, pool: Sequence[tuple[int, str]], size: int) -> None:
        self.rng = rng
        self.pool = pool
        self.truth: dict[str, set[str]] = {}
        self.deck: list[tuple[int, str]] = []
        self.responses = [self.clean(i) for i in range(size)]
        self.by_stars = {s: [t for st, t in pool if st == s] for s in range(1, 6)} if pool else {}

    def review(self) -> tuple[int, str]:
        """The next review of a shuffled deck: each is used once before any comes again."""
        if not self.pool:
            return written_review(self.rng)
        if not self.deck:
            self.deck = list(self.pool)
            self.rng.shuffle(self.deck)
        return self.deck.pop()

    def clean(self, i: int) -> Response:
        rng = self.rng
        shop = rng.choice(SHOPS)
        stars, text = self.review()
        if shop == GAMED and rng.random() < 0.6:  # the gamed shop's extra top scores
            for _ in range(50):
                if stars == 5:
                    break
                stars, text = self.review()
        items = tuple(
            min(5, max(1, round(stars + offset + rng.gauss(0, 0.8)))) for offset in OFFSETS
        )
        return Response(
            response_id=f"r{i}",
            submitted_at=T0 + timedelta(seconds=rng.uniform(0, 90 * 86400)),
            duration_seconds=round(rng.lognormvariate(5.01, 0.45), 1),  # median ≈ 150 s
            agent=shop,
            nps=rng.choice(NPS_OF_STARS[stars]),
            text=text if rng.random() < 0.7 else "",
            items=items,
            respondent=f"c{i}",
        )

    def plant(self, flag: str, ids: Sequence[int], change: object) -> None:
        for i in ids:
            self.responses[i] = change(self.responses[i])  # type: ignore[operator]
            self.truth.setdefault(flag, set()).add(self.responses[i].response_id)


def plant_all(rng: random.Random, pool: Sequence[tuple[int, str]], size: int) -> Planted:
    data = Planted(rng, pool, size)
    chosen = iter(rng.sample(range(size), 300))
    take = [next(chosen) for _ in range(300)]
    groups = [take[i * 40 : (i + 1) * 40] for i in range(7)]
    data.plant("speeder", groups[0], lambda r: replace(r, duration_seconds=rng.uniform(8, 45)))
    data.plant("straight_lining", groups[1], lambda r: replace(r, items=(rng.randint(1, 5),) * 6))
    data.plant("gibberish", groups[2], lambda r: replace(r, text=mash(rng)))
    _plant_duplicates(data, groups[3])
    _plant_bots(data, groups[4])
    _plant_mismatches(data, groups[5])
    gamed = [i for i, r in enumerate(data.responses) if r.agent == GAMED and i not in take][:12]
    strays = [i for i in groups[6] if data.responses[i].agent not in (GAMED,)]
    strays = list({data.responses[i].agent: i for i in strays}.values())[:4]
    data.plant("score_begging", gamed + strays, lambda r: _begging(r, rng))
    return data


def _begging(response: Response, rng: random.Random) -> Response:
    return replace(response, text=(response.text + " " + rng.choice(BEGGING)).strip())


def _plant_duplicates(data: Planted, ids: Sequence[int]) -> None:
    rng = data.rng
    originals = [i for i in range(len(data.responses)) if len(data.responses[i].text) > 40]
    for n, i in enumerate(ids):
        source = data.responses[rng.choice(originals)]
        when = source.submitted_at + timedelta(hours=rng.uniform(1, 20))  # type: ignore[operator]
        if n % 2:
            copy = replace(data.responses[i], respondent=source.respondent, submitted_at=when)
        else:
            text = source.text.upper() if rng.random() < 0.5 else source.text + " !"
            copy = replace(data.responses[i], text=text, submitted_at=when)
        data.responses[i] = copy
        data.truth.setdefault("duplicate", set()).add(copy.response_id)


def _plant_bots(data: Planted, ids: Sequence[int]) -> None:
    rng = data.rng
    data.plant("bot", ids[:15], lambda r: replace(r, honeypot="http://cheap-pills.example"))
    fast = list(ids[15:28])
    data.plant("bot", fast, lambda r: replace(r, duration_seconds=round(rng.uniform(0.4, 2.8), 1)))
    data.truth.setdefault("speeder", set()).update(data.responses[i].response_id for i in fast)
    start = T0 + timedelta(days=rng.uniform(5, 80))
    for n, i in enumerate(ids[28:40]):
        moment = start + timedelta(seconds=3.3 * n)
        data.plant("bot", [i], lambda r, moment=moment: replace(r, submitted_at=moment))


def _plant_mismatches(data: Planted, ids: Sequence[int]) -> None:
    rng = data.rng
    for n, i in enumerate(ids):
        angry = n % 2 == 0
        texts = (
            data.by_stars.get(1 if angry else 5)
            or [
                "Service déplorable, je suis furieux, plus jamais.",
                "Parfait, équipe au top, merci beaucoup !",
            ][0 if angry else 1 :][:1]
        )
        text = rng.choice(texts)
        nps = rng.choice((9, 10)) if angry else rng.choice((0, 1, 2))
        data.plant("score_text_mismatch", [i], lambda r, t=text, s=nps: replace(r, text=t, nps=s))


def contacts_of(data: Planted) -> dict[str, Contacts]:
    counts = {shop: sum(r.agent == shop for r in data.responses) for shop in SHOPS}
    share = {shop: 0.12 if shop == SELECTIVE else 0.35 for shop in SHOPS}
    return {shop: Contacts(round(counts[shop] / 0.3), round(counts[shop] / 0.3 * share[shop]))
            for shop in SHOPS}  # fmt: skip


def analyzer_sentiment() -> Sentiment | None:
    from cxgap.text.dependencies import missing_text_distributions

    if missing_text_distributions():
        return None
    from cxgap.text.analyzer import build_analyzer

    analyzer = build_analyzer()
    return lambda texts: [a.sentiment_score for a in analyzer.analyze(texts)]


def measure(seeds: int, size: int, sentiment: Sentiment | None) -> dict[str, dict[str, float]]:
    pool = real_reviews()
    totals: dict[str, list[int]] = {}
    for seed in range(seeds):
        data = plant_all(random.Random(seed), pool, size)
        report = check_integrity(data.responses, sentiment=sentiment, contacts=contacts_of(data))
        flagged: dict[str, set[str]] = {}
        for verdict in report.responses:
            for name in verdict.names:
                flagged.setdefault(name, set()).add(verdict.response_id)
        for agent in report.agents:
            for flag in agent.flags:
                flagged.setdefault(f"agent:{flag.name}", set()).add(agent.agent)
        truth = dict(data.truth)
        truth["agent:top_score_share"] = {GAMED}
        truth["agent:score_begging"] = {GAMED}
        truth["agent:selective_surveying"] = {SELECTIVE}
        for name, planted in truth.items():
            if name == "score_text_mismatch" and sentiment is None:
                continue
            found = flagged.get(name, set())
            counts = totals.setdefault(name, [0, 0, 0])
            counts[0] += len(planted)
            counts[1] += len(found)
            counts[2] += len(found & planted)
    return {
        name: {"planted": p, "flagged": f, "true": t,
               "precision": round(t / f, 3) if f else 1.0, "recall": round(t / p, 3)}
        for name, (p, f, t) in totals.items()
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--no-sentiment", action="store_true")
    args = parser.parse_args()
    sentiment = None if args.no_sentiment else analyzer_sentiment()
    figures = measure(args.seeds, args.size, sentiment)
    source = "real reviews" if real_reviews() else "written fragments"
    print(f"{args.seeds} seeds × {args.size} responses, comments from {source}")
    print(f"{'flag':32} {'planted':>8} {'flagged':>8} {'precision':>10} {'recall':>8}")
    for name, row in figures.items():
        print(f"{name:32} {row['planted']:>8} {row['flagged']:>8} "
              f"{row['precision']:>10.3f} {row['recall']:>8.3f}")  # fmt: skip
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"seeds": args.seeds, "size": args.size, "source": source,
                               "flags": figures}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()

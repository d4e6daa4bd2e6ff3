"""Builders for the Listening screens: topics, feedback, and the enrichment rows the text
models would write (language, sentiment, clause findings with topics).

The clauses are real-looking French and English customer sentences about a furniture brand
(the demo's), each with the sentiment and topic a careful annotator would give it. Offsets
are computed from the text, so highlighted findings land on the right words.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Topic, Workspace

# key, English, French, pillars, touchpoints (the demo journeys' keys)
TOPICS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("delivery", "Delivery", "Livraison", ("friction", "products"), ("delivery", "slot-sms")),
    ("waiting_time", "Waiting time", "Temps d'attente", ("friction", "service"), ("after-sales",)),
    ("staff", "Staff attitude", "Accueil du personnel", ("representatives",), ("advisor",)),
    ("price", "Price", "Prix", ("products",), ("website",)),
    ("quality", "Product quality", "Qualité du produit", ("products",), ("assembly",)),
    ("billing", "Billing", "Facturation", ("communication",), ("payment",)),
    ("website", "Website and app", "Site et application", ("digital",), ("website", "order")),
    ("returns", "Returns and refunds", "Retours et remboursements", ("service",), ()),
)

# (text, language, sentiment, score, intensity, topic)
Clause = tuple[str, str, str, float, float, str | None]
CLAUSES: tuple[Clause, ...] = (
    ("The delivery took three weeks", "en", "negative", -0.7, 0.6, "delivery"),
    ("the sofa arrived two days early", "en", "positive", 0.7, 0.5, "delivery"),
    ("nobody told me the delivery slot", "en", "negative", -0.6, 0.5, "delivery"),
    ("staff at the showroom were lovely", "en", "positive", 0.8, 0.6, "staff"),
    ("the advisor was rude and rushed me", "en", "negative", -0.8, 0.8, "staff"),
    ("I waited 45 minutes on the phone", "en", "negative", -0.7, 0.7, "waiting_time"),
    ("the price is fair for the quality", "en", "positive", 0.5, 0.3, "price"),
    ("far too expensive for what it is", "en", "negative", -0.6, 0.5, "price"),
    ("the fabric is already pilling", "en", "negative", -0.7, 0.6, "quality"),
    ("the cushions are really comfortable", "en", "positive", 0.8, 0.6, "quality"),
    ("I was charged twice for the same order", "en", "negative", -0.9, 0.9, "billing"),
    ("the configurator is easy to use", "en", "positive", 0.6, 0.4, "website"),
    ("the app crashed at checkout", "en", "negative", -0.7, 0.6, "website"),
    ("still waiting for my refund", "en", "negative", -0.8, 0.7, "returns"),
    ("what are your opening hours on Sunday?", "en", "neutral", 0.0, 0.1, None),
    ("La livraison a pris trois semaines", "fr", "negative", -0.7, 0.6, "delivery"),
    ("le canapé est arrivé en avance", "fr", "positive", 0.7, 0.5, "delivery"),
    ("le vendeur était très aimable", "fr", "positive", 0.8, 0.6, "staff"),
    ("j'ai attendu une heure au téléphone", "fr", "negative", -0.7, 0.7, "waiting_time"),
    ("le délai d'attente au SAV est interminable", "fr", "negative", -0.8, 0.8, "waiting_time"),
    ("beaucoup trop cher pour la qualité", "fr", "negative", -0.6, 0.5, "price"),
    ("le tissu s'abîme déjà", "fr", "negative", -0.7, 0.6, "quality"),
    ("les coussins sont très confortables", "fr", "positive", 0.8, 0.6, "quality"),
    ("on m'a facturé deux fois", "fr", "negative", -0.9, 0.9, "billing"),
    ("le site est clair et rapide", "fr", "positive", 0.6, 0.4, "website"),
    ("toujours pas remboursé après un mois", "fr", "negative", -0.8, 0.7, "returns"),
    ("quels sont vos horaires le dimanche ?", "fr", "neutral", 0.0, 0.1, None),
)
JOINERS = {"en": (" but ", ". ", " and "), "fr": (" mais ", ". ", " et ")}
SOURCES = (("review", "trustpilot"), ("survey", "email"), ("ticket", "zendesk"), ("chat", "web"))
SEGMENTS = ("busy_family", "design_lover", "pro_buyer", "bargain_hunter")


@dataclass(frozen=True)
class Verbatim:
    text: str
    language: str
    findings: list[tuple[int, int, str, float, float, str | None]]


def make_topics(session: Session, workspace: Workspace) -> None:
    for position, (key, name_en, name_fr, pillars, touchpoints) in enumerate(TOPICS):
        session.add(
            Topic(
                workspace_id=workspace.id,
                key=key,
                name_en=name_en,
                name_fr=name_fr,
                pillar_keys=list(pillars),
                touchpoint_keys=list(touchpoints),
                position=position,
            )
        )
    session.flush()


def compose(clauses: list[Clause], joiner: str) -> Verbatim:
    """Clauses joined into one verbatim, with each clause's offsets as a finding."""
    text, findings = "", []
    for index, (clause, _language, sentiment, score, intensity, topic) in enumerate(clauses):
        sentence_start = index == 0 or joiner == ". "
        piece = clause[0].upper() + clause[1:] if sentence_start else clause
        start = len(text)
        text += piece
        findings.append((start, len(text), sentiment, score, intensity, topic))
        if index < len(clauses) - 1:
            text += joiner
    return Verbatim(text + ("" if text.endswith("?") else "."), clauses[0][1], findings)


def enrich(
    session: Session, workspace: Workspace, verbatim: Verbatim, *, counts: bool = True
) -> TextEnrichment:
    """The enrichment row of a text (once per distinct text, like the enrichment job);
    ``counts=False`` leaves the Listening counts to the caller (one rebuild after many)."""
    digest = hashlib.sha256(verbatim.text.encode()).hexdigest()
    existing = session.scalar(
        select(TextEnrichment).where(
            TextEnrichment.workspace_id == workspace.id, TextEnrichment.text_hash == digest
        )
    )
    if existing is not None:
        return existing
    scores = [f[3] for f in verbatim.findings]
    mean = sum(scores) / len(scores)
    # The Listening counts follow, as the enrichment job keeps them.
    if counts:
        listening_counts.retract(session, workspace.id, Feedback.text_hash == digest)
    row = TextEnrichment(
        workspace_id=workspace.id,
        text_hash=digest,
        language=verbatim.language,
        sentiment=_label(mean),
        sentiment_score=mean,
        intensity=max(f[4] for f in verbatim.findings),
        topic_keys=sorted({f[5] for f in verbatim.findings if f[5]}),
        model="test-factory",
    )
    session.add(row)
    session.flush()
    for position, (start, end, sentiment, score, intensity, topic) in enumerate(verbatim.findings):
        session.add(
            TextFinding(
                enrichment_id=row.id,
                workspace_id=workspace.id,
                position=position,
                start=start,
                end=end,
                sentiment=sentiment,
                sentiment_score=score,
                intensity=intensity,
                topic_key=topic,
            )
        )
    session.flush()
    if counts:
        listening_counts.add(session, workspace.id, Feedback.text_hash == digest)
    return row


def _label(score: float) -> str:
    return "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"


def add_feedback(
    session: Session,
    workspace: Workspace,
    text: str,
    *,
    collected_at: datetime,
    source_type: str = "review",
    channel: str | None = "trustpilot",
    source_id: str | None = None,
    segment: str | None = None,
    counts: bool = True,
    **scores: int | str | None,
) -> Feedback:
    row = Feedback(
        workspace_id=workspace.id,
        source_type=source_type,
        source_id=source_id or hashlib.sha256(f"{text}{collected_at}".encode()).hexdigest()[:16],
        channel=channel,
        collected_at=collected_at,
        text=text,
        attributes={"segment": segment} if segment else {},
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
        **scores,
    )
    session.add(row)
    session.flush()
    if counts:
        listening_counts.add(session, workspace.id, Feedback.id == row.id)
    return row


def nps_for(score: float, rng: random.Random) -> int:
    """A plausible 0–10 answer for a verbatim of that sentiment score."""
    return max(0, min(10, round(7.5 + 3.5 * score + rng.gauss(0, 1.2))))


def random_verbatim(rng: random.Random) -> Verbatim:
    language = rng.choice(("en", "fr"))
    pool = [c for c in CLAUSES if c[1] == language]
    picked = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
    return compose(picked, rng.choice(JOINERS[language]))


def make_listening_sample(
    session: Session,
    workspace: Workspace,
    *,
    n: int = 120,
    seed: int = 3,
    start: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    days: int = 150,
    enrich_share: float = 1.0,
) -> list[Feedback]:
    """``n`` verbatims over ``days`` with scores that follow their sentiment, enriched. The
    Listening counts are rebuilt once at the end (per-item upkeep has its own tests: here
    it was most of the time of every Listening page test's setup)."""
    rng = random.Random(seed)
    rows = []
    for index in range(n):
        verbatim = random_verbatim(rng)
        source_type, channel = rng.choice(SOURCES)
        mean = sum(f[3] for f in verbatim.findings) / len(verbatim.findings)
        rows.append(
            add_feedback(
                session,
                workspace,
                verbatim.text,
                collected_at=start + timedelta(days=rng.uniform(0, days)),
                source_type=source_type,
                channel=channel,
                source_id=f"s{seed}-{index}",
                segment=rng.choice(SEGMENTS),
                nps=nps_for(mean, rng),
                csat=max(1, min(5, round(3.6 + 1.6 * mean + rng.gauss(0, 0.6)))),
                ces=max(1, min(7, round(4.5 + 2 * mean + rng.gauss(0, 1)))),
                counts=False,
            )
        )
        if rng.random() < enrich_share:
            enrich(session, workspace, verbatim, counts=False)
    listening_counts.rebuild(session, workspace.id)
    return rows


def bulk_listening(
    session: Session, workspace: Workspace, *, n: int, seed: int = 11, days: int = 365
) -> None:
    """``n`` enriched verbatims inserted in bulk (for timings and a filled dev server)."""
    rng = random.Random(seed)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    texts: dict[str, Verbatim] = {}
    batch: list[dict[str, object]] = []
    for index in range(n):
        verbatim = random_verbatim(rng)
        digest = hashlib.sha256(verbatim.text.encode()).hexdigest()
        texts.setdefault(digest, verbatim)
        source_type, channel = rng.choice(SOURCES)
        mean = sum(f[3] for f in verbatim.findings) / len(verbatim.findings)
        batch.append(
            {
                "workspace_id": workspace.id,
                "source_type": source_type,
                "source_id": f"bulk-{seed}-{index}",
                "channel": channel,
                "collected_at": start + timedelta(days=rng.uniform(0, days)),
                "text": verbatim.text,
                "nps": nps_for(mean, rng) if source_type == "survey" else None,
                "csat": max(1, min(5, round(3.6 + 1.6 * mean + rng.gauss(0, 0.6))))
                if source_type in ("survey", "chat")
                else None,
                "ces": max(1, min(7, round(4.5 + 2 * mean + rng.gauss(0, 1))))
                if source_type == "ticket"
                else None,
                "stars": max(1, min(5, round(3.5 + 2 * mean))) if source_type == "review" else None,
                "attributes": {"segment": rng.choice(SEGMENTS)},
                "text_hash": digest,
                "touchpoint": None,
            }
        )
        if len(batch) == 5000:
            session.execute(insert(Feedback), batch)
            batch = []
    if batch:
        session.execute(insert(Feedback), batch)
    for verbatim in texts.values():
        enrich(session, workspace, verbatim)
    listening_counts.rebuild(session, workspace.id)  # the bulk insert bypassed them

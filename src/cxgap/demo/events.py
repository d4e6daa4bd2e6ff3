"""The demo's event log: what Maison Lumen's surveyed customers did, touchpoint by touchpoint,
over the two years before the demo's "today" (issue 14).

Every customer of the demo survey (``demo.customers``, by their ``customer_ref``) buys one or
more times; each purchase is an episode along the current journey of the persona of their
segment (``demo.journeys``): discovery, the website, the showroom, the order (the purchase:
the only event with an amount), payment, delivery, after-sales, a review. Events carry the
journey's touchpoint keys and channels, some steps are skipped, some are steps the journey map
does not have (``touchpoint`` None), and the story follows the survey answer:

- customers whose NPS is 0–6 or whose CSAT is 1–2 (the unhappy) hit failed payments and
  rescheduled deliveries more often, contact after-sales more, again within days, switching
  channel as they go (phone, then e-mail, chat or the shop), and leave after fewer purchases;
- promoters (NPS 9–10) rarely need after-sales and stay longest.

Purchases follow the "buy till you die" story the CLV models assume (a purchase rate per
customer, a chance of leaving after each purchase, a spend level per customer), so cohorts,
churn and lifetime value are filled and the models converge. Pure and deterministic: each
customer has their own random stream, drawn from the seed and their reference.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from cxgap.demo.generator import DEMO_TODAY
from cxgap.demo.journeys import current_journey
from cxgap.demo.personas import demo_personas
from cxgap.demo.sampling import random_moment
from cxgap.events.model import Event
from cxgap.schema import CustomerAnswer

HISTORY_DAYS = 730  # two years of purchases before "today"
HOURS = (0, 0, 0, 0, 0, 0, 0.5, 1, 2, 3, 4, 4, 5, 4, 3, 3, 3, 4, 5, 6, 6, 4, 2, 1)
# The activity names a shop's systems write for each touchpoint of the demo journey.
ACTIVITIES = {
    "ad": "Ad clicked",
    "catalogue": "Catalogue requested",
    "website": "Website visit",
    "configurator": "Configurator session",
    "advisor": "Showroom appointment",
    "order": "Order placed",
    "payment": "Payment",
    "confirmation": "Confirmation e-mail sent",
    "slot-sms": "Delivery slot chosen",
    "delivery": "Delivered",
    "assembly": "Assembled",
    "after-sales": "After-sales contact",
    "review": "Review posted",
}
# Steps the journey map does not have: activity, channel.
RESCHEDULE = ("Delivery rescheduled", "phone")
LIVE_CHAT = ("Live chat", "chat")
RETURN = ("Return requested", "website")
CONTACT_CHANNELS = ("phone", "email", "chat", "shop")

# segment -> (mean days between purchases, mean spend per order, share ordering by phone)
SEGMENT_HABITS = {
    "busy_family": (150.0, 620.0, 0.05),
    "design_lover": (120.0, 950.0, 0.05),
    "pro_buyer": (60.0, 1800.0, 0.6),
    "bargain_hunter": (170.0, 260.0, 0.1),
}
# persona -> chance of each discovery and exploration step on a first purchase
FIRST_STEPS = {
    "claire": {"ad": 0.4, "catalogue": 0.3, "website": 0.95, "configurator": 0.2, "advisor": 0.4},
    "hugo": {"ad": 0.85, "catalogue": 0.2, "website": 0.9, "configurator": 0.7, "advisor": 0.75},
    "nadia": {"ad": 0.1, "catalogue": 0.4, "website": 0.5, "configurator": 0.1, "advisor": 0.5},
    "marc": {"ad": 0.3, "catalogue": 0.75, "website": 0.9, "configurator": 0.15, "advisor": 0.2},
}
REPEAT_STEPS = {"website": 0.8, "configurator": 0.1, "advisor": 0.15}


@dataclass(frozen=True)
class Mood:
    """How a customer's experience goes, from their survey answer."""

    name: str  # "unhappy", "passive" or "promoter"
    leave: float  # the chance of leaving after each purchase
    failed_payment: float
    reschedule: float
    after_sales: float  # the chance of contacting after-sales after a delivery
    contacts: tuple[int, int]  # how many contacts when they do (range)
    switch: float  # the chance that a further contact uses another channel
    review: float


MOODS = {
    "unhappy": Mood("unhappy", 0.45, 0.35, 0.5, 0.8, (2, 4), 0.7, 0.35),
    "passive": Mood("passive", 0.25, 0.1, 0.15, 0.3, (1, 2), 0.3, 0.15),
    "promoter": Mood("promoter", 0.1, 0.05, 0.08, 0.12, (1, 2), 0.2, 0.4),
}


def mood_of(answer: CustomerAnswer) -> Mood:
    """Unhappy: NPS 0–6 or CSAT 1–2; promoter: NPS 9–10; passive otherwise (no NPS: 7)."""
    nps = 7 if answer.nps is None else answer.nps
    if nps <= 6 or (answer.csat is not None and answer.csat <= 2):
        return MOODS["unhappy"]
    return MOODS["promoter"] if nps >= 9 else MOODS["passive"]


def demo_events(
    customers: Sequence[CustomerAnswer], *, seed: int = 2026, today: date | None = None
) -> list[Event]:
    """The event log of the demo's ``customers`` (those with a ``customer_ref``), in time
    order, each event's ``position`` its place in the log."""
    today = today or DEMO_TODAY
    personas = {persona.segment: persona for persona in demo_personas()}
    journeys = {segment: current_journey(p) for segment, p in personas.items()}
    end = datetime.combine(today, time.max, UTC)
    drafts: list[Event] = []
    for answer in customers:
        segment = answer.segment_key or ""
        if answer.customer_ref is None or segment not in personas:
            continue
        rng = random.Random(f"cxgap-demo:{seed}:events:{answer.customer_ref}")
        channels = {tp.key: tp.channel for tp in journeys[segment].touchpoints}
        life = _Life(rng, answer, personas[segment].key, segment, channels)
        drafts.extend(e for e in life.events(today) if e.timestamp <= end)
    drafts.sort(key=lambda e: (e.timestamp, e.case, e.position))
    return [replace(event, position=i) for i, event in enumerate(drafts)]


class _Life:
    """One customer's purchases and the episodes around them."""

    def __init__(
        self,
        rng: random.Random,
        answer: CustomerAnswer,
        persona: str,
        segment: str,
        channels: dict[str, str],
    ) -> None:
        self.rng = rng
        self.case = answer.customer_ref or ""
        self.answer = answer
        self.mood = mood_of(answer)
        self.persona = persona
        self.channels = channels
        gap, spend, self.by_phone = SEGMENT_HABITS[segment]
        self.rate = rng.gammavariate(3.0, 1.0 / (3.0 * gap))  # purchases per day
        self.spend_scale = rng.gammavariate(4.0, spend / 4.0) / 6.0  # mean order: 6 × this
        self.out: list[Event] = []

    def events(self, today: date) -> list[Event]:
        answered = (self.answer.submitted_at or datetime.combine(today, time(), UTC)).date()
        latest = min(answered - timedelta(days=7), today - timedelta(days=30))
        first = today - timedelta(days=HISTORY_DAYS)
        day = first + timedelta(days=self.rng.randrange(max(1, (latest - first).days)))
        number = 0
        while day <= today:
            self._episode(random_moment(self.rng, day, HOURS), first=number == 0)
            number += 1
            if self.rng.random() < self.mood.leave:
                break
            day += timedelta(days=1 + int(self.rng.expovariate(self.rate)))
        return self.out

    # -- one purchase ----------------------------------------------------------------------

    def _episode(self, ordered: datetime, *, first: bool) -> None:
        self._before(ordered, FIRST_STEPS[self.persona] if first else REPEAT_STEPS)
        channel = "phone" if self.rng.random() < self.by_phone else self.channels["order"]
        amount = round(max(5.0, self.rng.gammavariate(6.0, self.spend_scale)), 2)
        self._add("order", ordered, channel=channel, amount=amount)
        paid = ordered + self._minutes(1, 10)
        if self.rng.random() < self.mood.failed_payment:  # a loop: paid twice
            self._add("payment", paid, outcome="failed")
            paid += self._minutes(5, 60)
        self._add("payment", paid, outcome="accepted")
        if self.rng.random() < 0.95:
            self._add("confirmation", paid + self._minutes(1, 5))
        delivered = self._delivery(ordered)
        self._after(delivered)

    def _before(self, ordered: datetime, chances: dict[str, float]) -> None:
        steps = [key for key, chance in chances.items() if self.rng.random() < chance]
        moment = ordered
        for key in reversed(steps):
            moment -= timedelta(hours=self.rng.uniform(0.2, 96.0))
            self._add(key, moment)

    def _delivery(self, ordered: datetime) -> datetime:
        slot = ordered + timedelta(days=self.rng.uniform(1, 4))
        if self.rng.random() < 0.9:
            self._add("slot-sms", slot)
        if self.rng.random() < self.mood.reschedule:
            self._undesigned(RESCHEDULE, slot + timedelta(days=self.rng.uniform(0.2, 3)))
        delivered = slot + timedelta(days=self.rng.uniform(3, 18))
        late = self.mood.name == "unhappy" and self.rng.random() < 0.5
        self._add("delivery", delivered, outcome="late" if late else "on time")
        if self.rng.random() < 0.5:
            self._add("assembly", delivered + timedelta(hours=self.rng.uniform(1, 30)))
        return delivered

    def _after(self, delivered: datetime) -> None:
        mood, rng = self.mood, self.rng
        moment = delivered + timedelta(days=rng.uniform(2, 30))
        if rng.random() < mood.after_sales:
            channel = self.channels["after-sales"]
            contacts = rng.randint(*mood.contacts)
            for number in range(contacts):
                if number and rng.random() < mood.switch:
                    channel = rng.choice([c for c in CONTACT_CHANNELS if c != channel])
                done = number == contacts - 1 and mood.name != "unhappy"
                outcome = "resolved" if done else "unresolved"
                self._add("after-sales", moment, channel=channel, outcome=outcome)
                if mood.name == "unhappy" and rng.random() < 0.3:
                    self._undesigned(LIVE_CHAT, moment + timedelta(hours=rng.uniform(1, 20)))
                moment += timedelta(days=rng.uniform(0.5, 6))
            if mood.name == "unhappy" and rng.random() < 0.25:
                self._undesigned(RETURN, moment)
        if rng.random() < mood.review:
            self._add("review", moment + timedelta(days=rng.uniform(1, 20)))

    # -- events ----------------------------------------------------------------------------

    def _add(
        self,
        key: str,
        moment: datetime,
        *,
        channel: str | None = None,
        outcome: str | None = None,
        amount: float | None = None,
    ) -> None:
        event = Event(
            case=self.case,
            timestamp=moment.replace(microsecond=0),
            activity=ACTIVITIES[key],
            position=len(self.out),
            channel=channel or self.channels[key],
            outcome=outcome,
            touchpoint=key,
            amount=amount,
        )
        self.out.append(event)

    def _undesigned(self, step: tuple[str, str], moment: datetime) -> None:
        activity, channel = step
        self.out.append(
            Event(self.case, moment.replace(microsecond=0), activity, len(self.out), channel)
        )

    def _minutes(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low, high))

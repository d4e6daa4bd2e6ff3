"""Flags per agent (or shop, or period): a share of top scores far above peers, score begging
in its verbatims, and a share of surveyed contacts far below peers (docs/integrity.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxgap.integrity.funnel import (
    fit_beta_prior,
    funnel_sizes,
    lower_p_value,
    shrunk_share,
    upper_limit,
    upper_p_value,
)
from cxgap.integrity.model import AgentVerdict, Contacts, Flag, Funnel, Response, Rules

TOP_SCORES = (9, 10)


@dataclass(frozen=True)
class _Counts:
    n: int = 0
    scored: int = 0
    top: int = 0
    begging: int = 0


def agent_verdicts(
    responses: Sequence[Response],
    begging_ids: set[str],
    contacts: Mapping[str, Contacts],
    rules: Rules,
) -> tuple[list[AgentVerdict], Funnel | None, tuple[float, float] | None]:
    """Every agent's verdict (by name), the funnel drawn and the shrinkage prior."""
    counts = _counts(responses, begging_ids)
    scored = {agent: c for agent, c in counts.items() if c.scored > 0}
    funnel = _funnel(scored, rules)
    prior = None
    if len(scored) >= 2:
        prior = fit_beta_prior(
            [c.top for c in scored.values()], [c.scored for c in scored.values()]
        )
    shrunk = {a: shrunk_share(c.top, c.scored, prior) for a, c in scored.items()} if prior else {}
    ranks = {agent: i + 1 for i, agent in enumerate(sorted(shrunk, key=lambda a: -shrunk[a]))}
    surveyed = _surveyed(counts, contacts, rules)
    verdicts = []
    for agent, c in sorted(counts.items()):
        p_value = limit = None
        flags: list[Flag] = []
        if funnel and agent in scored:
            p_value = upper_p_value(c.top, c.scored, funnel.centre)
            limit = upper_limit(c.scored, funnel.centre, funnel.alpha_per_unit)
            if p_value <= funnel.alpha_per_unit:
                flags.append(_top_flag(c, funnel, shrunk.get(agent)))
        if c.begging >= rules.begging_min:
            flags.append(Flag("score_begging", {"count": c.begging}))
        share, surveyed_p, surveyed_flag = surveyed.get(agent, (None, None, None))
        if surveyed_flag:
            flags.append(surveyed_flag)
        verdicts.append(
            AgentVerdict(
                agent=agent,
                n=c.n,
                scored=c.scored,
                top=c.top,
                top_share=c.top / c.scored if c.scored else None,
                shrunk_share=shrunk.get(agent),
                rank=ranks.get(agent),
                upper_limit=limit,
                p_value=p_value,
                begging=c.begging,
                surveyed_share=share,
                surveyed_p_value=surveyed_p,
                flags=tuple(flags),
            )
        )
    return verdicts, funnel, prior


def _counts(responses: Sequence[Response], begging_ids: set[str]) -> dict[str, _Counts]:
    counts: dict[str, _Counts] = {}
    for r in responses:
        if not r.agent:
            continue
        c = counts.get(r.agent, _Counts())
        counts[r.agent] = _Counts(
            n=c.n + 1,
            scored=c.scored + (r.nps is not None),
            top=c.top + (r.nps in TOP_SCORES),
            begging=c.begging + (r.response_id in begging_ids),
        )
    return counts


def _funnel(scored: Mapping[str, _Counts], rules: Rules) -> Funnel | None:
    if len(scored) < 2:
        return None
    centre = sum(c.top for c in scored.values()) / sum(c.scored for c in scored.values())
    alpha = rules.funnel_alpha / len(scored)
    largest = max(c.scored for c in scored.values())
    limits = tuple((n, upper_limit(n, centre, alpha)) for n in funnel_sizes(largest))
    return Funnel(centre=centre, alpha_per_unit=alpha, units=len(scored), limits=limits)


def _top_flag(c: _Counts, funnel: Funnel, shrunk: float | None) -> Flag:
    return Flag(
        "top_score_share",
        {
            "top": c.top,
            "n": c.scored,
            "share": round(c.top / c.scored, 3),
            "peers": round(funnel.centre, 3),
            "shrunk": None if shrunk is None else round(shrunk, 3),
            "units": funnel.units,
        },
    )


def _surveyed(
    counts: Mapping[str, _Counts], contacts: Mapping[str, Contacts], rules: Rules
) -> dict[str, tuple[float, float | None, Flag | None]]:
    """Per agent with contact counts: the surveyed share, its lower-tail p-value against the
    pooled share (Bonferroni over the agents with counts) and the flag when significant."""
    surveyed = {
        agent: (given.surveyed if given.surveyed is not None else counts.get(agent, _Counts()).n)
        for agent, given in contacts.items()
        if given.contacts > 0
    }
    if len(surveyed) < 2:
        return {a: (s / contacts[a].contacts, None, None) for a, s in surveyed.items()}
    pooled = sum(surveyed.values()) / sum(contacts[a].contacts for a in surveyed)
    alpha = rules.funnel_alpha / len(surveyed)
    found: dict[str, tuple[float, float | None, Flag | None]] = {}
    for agent, count in surveyed.items():
        total = contacts[agent].contacts
        p_value = lower_p_value(count, total, pooled)
        flag = None
        if p_value <= alpha:
            params = {"surveyed": count, "contacts": total, "share": round(count / total, 3)}
            flag = Flag("selective_surveying", {**params, "peers": round(pooled, 3)})
        found[agent] = (count / total, p_value, flag)
    return found

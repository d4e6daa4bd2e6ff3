"""The ``cxgap`` command's groups, each module imported when its command is looked up.

``cxgap export ...`` imports the export commands and the services they call, not the thirty
other groups and theirs: every command starts faster (docs/performance.md, "Test suite cost").
``cxgap --help`` and shell completion look every command up, so they import them all, and the
help they print is the same as with every group registered at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import typer
import typer.main
from typer.core import TyperGroup

if TYPE_CHECKING:  # Typer 0.29 vendors click: the type of a TyperGroup's commands
    from typer._click import Command


def _db(app: typer.Typer) -> None:
    from cxgap.cli import db

    app.add_typer(db.app, name="db")


def _user(app: typer.Typer) -> None:
    from cxgap.cli import users

    app.add_typer(users.app, name="user")


def _assess(app: typer.Typer) -> None:
    from cxgap.cli import assess

    app.add_typer(assess.app, name="assess")


def _workspace(app: typer.Typer) -> None:
    from cxgap.cli import workspaces

    app.add_typer(workspaces.workspace_app, name="workspace")


def _survey(app: typer.Typer) -> None:
    from cxgap.cli import survey_links, workspaces

    workspaces.survey_app.command("links")(survey_links.links)
    app.add_typer(workspaces.survey_app, name="survey")


def _campaign(app: typer.Typer) -> None:
    from cxgap.cli import workspaces

    app.add_typer(workspaces.campaign_app, name="campaign")


def _journey(app: typer.Typer) -> None:
    from cxgap.cli import journeys

    app.add_typer(journeys.app, name="journey")


def _import(app: typer.Typer) -> None:
    from cxgap.cli import feedback

    app.add_typer(feedback.app, name="import")


def _export(app: typer.Typer) -> None:
    from cxgap.cli import export

    app.add_typer(export.app, name="export")


def _text(app: typer.Typer) -> None:
    from cxgap.cli import text

    app.add_typer(text.app, name="text")


def _enrich(app: typer.Typer) -> None:
    from cxgap.cli import enrich

    app.command("enrich")(enrich.enrich)


def _worker(app: typer.Typer) -> None:
    from cxgap.cli import enrich

    app.command("worker")(enrich.worker)


def _topics(app: typer.Typer) -> None:
    from cxgap.cli import topics

    app.add_typer(topics.app, name="topics")


def _audit(app: typer.Typer) -> None:
    from cxgap.cli import audit

    app.add_typer(audit.app, name="audit")


def _sso(app: typer.Typer) -> None:
    from cxgap.cli import sso

    app.add_typer(sso.app, name="sso")


def _jobs(app: typer.Typer) -> None:
    from cxgap.cli import jobs

    app.add_typer(jobs.app, name="jobs")


def _listening(app: typer.Typer) -> None:
    from cxgap.cli import listening

    app.add_typer(listening.app, name="listening")


def _sla(app: typer.Typer) -> None:
    from cxgap.cli import service_levels, sla, sla_history

    sla_history.register(sla.sla_app)
    sla.sla_app.add_typer(service_levels.policy_app, name="policy")
    app.add_typer(sla.sla_app, name="sla")


def _credits(app: typer.Typer) -> None:
    from cxgap.cli import service_levels, sla

    sla.credits_app.command("accounts")(service_levels.accounts)
    sla.credits_app.command("incidents")(service_levels.incidents)
    sla.credits_app.command("statement")(service_levels.statement)
    sla.credits_app.command("compliance")(service_levels.compliance)
    app.add_typer(sla.credits_app, name="credits")


def _replies(app: typer.Typer) -> None:
    from cxgap.cli import replies

    app.add_typer(replies.app, name="replies")


def _cases(app: typer.Typer) -> None:
    from cxgap.cli import case_rules, cases

    cases.app.add_typer(case_rules.rules_app, name="rules")
    cases.app.add_typer(case_rules.teams_app, name="teams")
    cases.app.command("apply-rules")(case_rules.apply_rules)
    app.add_typer(cases.app, name="cases")


def _actions(app: typer.Typer) -> None:
    from cxgap.cli import action_plans, actions

    action_plans.register(actions.app)
    app.add_typer(actions.app, name="actions")


def _report(app: typer.Typer) -> None:
    from cxgap.cli import report

    app.add_typer(report.app, name="report")


def _integrity(app: typer.Typer) -> None:
    from cxgap.cli import integrity

    app.add_typer(integrity.app, name="integrity")


def _clv(app: typer.Typer) -> None:
    from cxgap.cli import clv

    app.add_typer(clv.app, name="clv")


def _events(app: typer.Typer) -> None:
    from cxgap.cli import events

    app.add_typer(events.app, name="events")


def _ideas(app: typer.Typer) -> None:
    from cxgap.cli import idea_links, ideas

    ideas.app.command("link")(idea_links.link)
    app.add_typer(ideas.app, name="ideas")


def _notify(app: typer.Typer) -> None:
    from cxgap.cli import notify

    app.add_typer(notify.app, name="notify")


def _owners(app: typer.Typer) -> None:
    from cxgap.cli import owners

    app.add_typer(owners.app, name="owners")


# Each name's registration, in the order ``cxgap --help`` lists them (commands first, as Typer
# lists a group's own commands before its sub-groups). ``demo`` and ``serve`` are defined in
# ``cli/main.py`` itself.
ON_DEMAND: dict[str, Callable[[typer.Typer], None] | None] = {
    "enrich": _enrich,
    "worker": _worker,
    "demo": None,
    "serve": None,
    "db": _db,
    "user": _user,
    "assess": _assess,
    "workspace": _workspace,
    "survey": _survey,
    "campaign": _campaign,
    "journey": _journey,
    "import": _import,
    "export": _export,
    "text": _text,
    "topics": _topics,
    "audit": _audit,
    "sso": _sso,
    "jobs": _jobs,
    "listening": _listening,
    "sla": _sla,
    "credits": _credits,
    "replies": _replies,
    "cases": _cases,
    "actions": _actions,
    "report": _report,
    "integrity": _integrity,
    "clv": _clv,
    "events": _events,
    "owners": _owners,
    "ideas": _ideas,
    "notify": _notify,
}


def _no_options() -> None:
    """Makes a holder a group, so that its one command keeps its own name and settings."""


@cache
def _holder(name: str) -> typer.Typer:
    """A Typer holding ``name`` alone: its modules imported and wired once per process."""
    register = ON_DEMAND[name]
    if register is None:
        raise KeyError(name)
    holder = typer.Typer(add_completion=False)
    holder.callback()(_no_options)
    register(holder)
    return holder


def _built(name: str) -> Command:
    group = cast(TyperGroup, typer.main.get_command(_holder(name)))
    return group.commands[name]


class OnDemandCommands(MutableMapping[str, "Command"]):
    """A group's commands by name: every name known, a command built when it is read."""

    def __init__(self, ready: MutableMapping[str, Command]) -> None:
        self._ready = dict(ready)
        self._names = [n for n in ON_DEMAND if n in ready or ON_DEMAND[n] is not None]
        self._names += [n for n in ready if n not in self._names]

    def __getitem__(self, name: str) -> Command:
        if name not in self._ready:
            if name not in self._names:
                raise KeyError(name)
            self._ready[name] = _built(name)
        return self._ready[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._ready[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(name)
        self._names.remove(name)
        self._ready.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class OnDemandGroup(TyperGroup):
    """``cxgap``'s top-level group: a command's module is imported when it is looked up."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = OnDemandCommands(self.commands)

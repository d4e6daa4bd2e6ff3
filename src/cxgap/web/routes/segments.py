"""Segments: the one definition of who a persona stands for, shared by every screen.

Viewers read the table (names, rule, members now, personas); analysts and admins add a
segment, rename it and write its rule, in place (htmx) or by plain forms. A "check" button
previews the counts a rule would give before anything is saved; a rule that cannot be read
is shown back with a caret under the position the parser names, and nothing is stored.

Saving a rule queues it (the ``segment_rule`` job, ``jobs.segment_rules``) and returns at
once: until the job is done the row shows the previous rule's figures with a notice of the
update (the row reloads itself while it waits or runs), and its edit form the rule saved.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import jobs
from cxgap.db.tables import Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.services import segments
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/segments")

Name = Annotated[str, Form(max_length=400)]
RuleText = Annotated[str, Form(max_length=4000)]
Action = Annotated[str, Form(max_length=16)]
# The rule's preview: ``count`` is the exact count asked for after an estimate.
CHECKS = ("check", "count")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _can_edit(role: Role) -> bool:
    return role.level >= Role.ANALYST.level


@router.get("", response_class=HTMLResponse)
def segments_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(request, "segments.html", _page_context(session, workspace, role, user))


@router.post("", response_class=HTMLResponse)
def add_segment(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    segment_key: Annotated[str, Form(max_length=100)] = "",
    name_en: Name = "",
    name_fr: Name = "",
    rule: RuleText = "",
    action: Action = "add",
) -> Response:
    """Add a segment, or (``action=check``) preview the counts its rule would give."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    values = {"segment_key": segment_key, "name_en": name_en, "name_fr": name_fr, "rule": rule}
    if action in CHECKS:
        check = _check(session, workspace, segment_key or None, rule, request, action)
        if _is_htmx(request):
            return page(request, "segments_check.html", {"check": check})
        context = _page_context(session, workspace, role, user)
        return page(request, "segments.html", {**context, "add": _form(values, check=check)})
    try:
        row = segments.create_segment(
            session,
            workspace=workspace,
            key=segment_key,
            name_en=name_en,
            name_fr=name_fr,
            rule=rule,
        )
    except ValidationError as error:
        context = _page_context(session, workspace, role, user)
        form = _form(values, problems=error.problems, locale=locale_of(request))
        return page(request, "segments.html", {**context, "add": form}, status_code=422)
    return RedirectResponse(f"/w/{key}/segments#segment-{row.key}", status_code=303)


@router.get("/{segment_key}", response_class=HTMLResponse)
def segment_row(
    request: Request,
    key: str,
    segment_key: str,
    session: SessionDep,
    user: UserDep,
    edit: bool = False,
) -> Response:
    """One segment: its table row (htmx; ``edit=1`` for its edit form), or the page with
    that row open for editing (without JavaScript)."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    summary = _summary(session, workspace, segment_key)
    edit = edit and _can_edit(role)
    if _is_htmx(request):
        context = _row_context(session, workspace, role, summary, editing=edit)
        return page(request, "segments_row.html", context)
    context = _page_context(session, workspace, role, user)
    editing = _form(_values_of(summary, context["changes"])) if _can_edit(role) else None
    return page(request, "segments.html", {**context, "editing": segment_key, "form": editing})


@router.post("/{segment_key}", response_class=HTMLResponse)
def save_segment(
    request: Request,
    key: str,
    segment_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name_en: Name = "",
    name_fr: Name = "",
    rule: RuleText = "",
    action: Action = "save",
) -> Response:
    """Rename the segment and set its rule, or (``action=check``) preview the rule's counts."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    summary = _summary(session, workspace, segment_key)
    values = {"segment_key": segment_key, "name_en": name_en, "name_fr": name_fr, "rule": rule}
    if action in CHECKS:
        check = _check(session, workspace, segment_key, rule, request, action)
        if _is_htmx(request):
            return page(request, "segments_check.html", {"check": check})
        return _edit_again(request, session, workspace, role, user, _form(values, check=check))
    try:
        jobs.save_segment(
            session,
            workspace=workspace,
            key=segment_key,
            name_en=name_en,
            name_fr=name_fr,
            rule=rule,
            requested_by_id=user.user_id,
        )
    except ValidationError as error:
        form = _form(values, problems=error.problems, locale=locale_of(request))
        if _is_htmx(request):
            # 200 so that htmx swaps the row in with the problems shown.
            context = _row_context(session, workspace, role, summary, editing=True, form=form)
            return page(request, "segments_row.html", context)
        return _edit_again(request, session, workspace, role, user, form, status_code=422)
    if _is_htmx(request):
        summary = _summary(session, workspace, segment_key)
        context = _row_context(session, workspace, role, summary, editing=False, saved=True)
        return page(request, "segments_row.html", context)
    return RedirectResponse(f"/w/{key}/segments#segment-{segment_key}", status_code=303)


# ---------- helpers ----------


def _page_context(
    session: SessionDep, workspace: Workspace, role: Role, user: Principal
) -> dict[str, Any]:
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_edit": _can_edit(role),
        "rows": segments.segment_summaries(session, workspace),
        "changes": _changes(session, workspace),
        "editing": None,
        "form": None,
        "add": _form({"segment_key": "", "name_en": "", "name_fr": "", "rule": ""}),
    }


def _edit_again(
    request: Request,
    session: SessionDep,
    workspace: Workspace,
    role: Role,
    user: Principal,
    form: dict[str, Any],
    status_code: int = 200,
) -> Response:
    context = _page_context(session, workspace, role, user)
    editing = form["values"]["segment_key"]
    return page(
        request,
        "segments.html",
        {**context, "editing": editing, "form": form},
        status_code=status_code,
    )


def _row_context(
    session: SessionDep,
    workspace: Workspace,
    role: Role,
    summary: segments.SegmentSummary,
    *,
    editing: bool,
    form: dict[str, Any] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    changes = _changes(session, workspace)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": _can_edit(role),
        "row": summary,
        "changes": changes,
        "editing": summary.segment.key if editing else None,
        "form": form or _form(_values_of(summary, changes)),
        "saved": saved,
    }


def _changes(session: SessionDep, workspace: Workspace) -> dict[str, jobs.RuleChange]:
    """The rule changes not applied yet, by segment key (the rows' notices)."""
    stale = jobs.QueueSettings.from_env().stale_seconds
    return jobs.rule_changes(session, workspace, stale_seconds=stale)


def _summary(session: SessionDep, workspace: Workspace, key: str) -> segments.SegmentSummary:
    return segments.segment_summaries(session, workspace, only=key)[0]


def _values_of(
    summary: segments.SegmentSummary, changes: dict[str, jobs.RuleChange]
) -> dict[str, str]:
    """The edit form's values: the rule saved last, applied or still queued (saving the
    form again must not undo a change still on its way)."""
    row = summary.segment
    change = changes.get(row.key)
    rule = change.rule if change is not None and change.progress.active else row.rule
    return {
        "segment_key": row.key,
        "name_en": row.name_en,
        "name_fr": row.name_fr,
        "rule": rule or "",
    }


def _form(
    values: dict[str, str],
    *,
    problems: list[FieldProblem] | None = None,
    check: dict[str, Any] | None = None,
    locale: str = "en",
) -> dict[str, Any]:
    """What a segment form shows: its values, problems by field, the rule's caret, a preview."""
    by_field: dict[str, list[FieldProblem]] = {}
    for problem in problems or []:
        by_field.setdefault(problem.field, []).append(problem)
    rule_problems = by_field.pop("rule", [])
    rule_error = None
    if rule_problems:
        error = ValidationError(rule_problems)
        rule_error = _rule_error(values["rule"], error, locale)
    return {"values": values, "problems": by_field, "rule_error": rule_error, "check": check}


def _check(
    session: SessionDep,
    workspace: Workspace,
    key: str | None,
    rule: str,
    request: Request,
    action: str,
) -> dict[str, Any]:
    """The preview of a rule: the counts it gives now (``action=count``: exactly, however
    long it takes), or why it cannot be read."""
    try:
        parsed, counts = segments.preview_rule(
            session, workspace=workspace, key=key, rule=rule, exact=action == "count"
        )
    except ValidationError as error:
        return {"error": _rule_error(rule, error, locale_of(request)), "problems": error.problems}
    default = not rule.strip()
    return {"rule": parsed.text, "counts": counts, "default": default, "url": request.url.path}


def _rule_error(text: str, error: ValidationError, locale: str) -> dict[str, Any]:
    """The refused rule's line with a caret under the position the parser names, and the
    parser's message in the reader's language."""
    position, message = segments.rule_location(error)
    said = [rule_message(p, locale) for p in error.problems if "rule_error" in p.params]
    message = said[0] if said else message
    if position is None:
        return {"message": message, "line": None, "caret": None}
    line, column = caret_at(text, position)
    return {"message": message, "line": line, "caret": column, "position": position}


def caret_at(text: str, position: int) -> tuple[str, int]:
    """The line of ``text`` holding 1-based ``position`` and the 0-based column in it.

    >>> caret_at('nps >= "x" and', 8)
    ('nps >= "x" and', 7)
    >>> caret_at("a = 1\\nand b >", 13)
    ('and b >', 6)
    """
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if position - 1 <= end:
            return line, max(0, position - 1 - start)
        start = end + 1
    return text.split("\n")[-1], max(0, len(text.split("\n")[-1]))


def rule_message(problem: FieldProblem, locale: str) -> str:
    """What the parser refused, in ``locale`` (its position goes in the heading and caret).

    >>> from cxgap.analytics.segment_rules import parse_rule
    >>> from cxgap.errors import SegmentRuleError
    >>> try:
    ...     parse_rule("nps >=")
    ... except SegmentRuleError as error:
    ...     rule_message(error.problems[0], "fr")
    'valeur attendue après « >= », trouvé : la fin de la règle'
    """
    params = dict(problem.params)
    kind = str(params.pop("rule_error"))
    found = params.get("found", "")
    if "found" in params:
        params["found"] = (
            translate("segments.parse.end", locale)
            if found is None
            else translate("segments.parse.quoted", locale, text=found)
        )
    for name in ("after", "name", "op", "text", "expected"):
        if name in params:
            params[name] = translate("segments.parse.quoted", locale, text=params[name])
    if "known_en" in params:
        params["known"] = params["known_fr"] if locale == "fr" else params["known_en"]
    return translate(f"segments.parse.{kind}", locale, **params)

"""Cases written as the contract's CASES.json (``docs/sla.md``), read back by
``cxgap sla evaluate`` and ``cxgap sla compliance``."""

from __future__ import annotations

from collections.abc import Sequence

from cxgap.sla.cases import Case, Event

Json = dict[str, object]


def event_json(event: Event) -> Json:
    shown: Json = {"at": event.at.isoformat(), "type": event.type}
    if event.type == "status":
        shown["status"] = event.status
    elif event.type == "update":
        shown["fields"] = dict(event.fields)
    else:
        shown |= {"by": event.by, "public": event.public}
        if event.auto:
            shown["auto"] = True
    return shown


def case_json(case: Case) -> Json:
    return {
        "id": case.id,
        **({} if case.account is None else {"account": case.account}),
        "created_at": case.created_at.isoformat(),
        **{k: v for k, v in case.attributes.items() if k != "account"},
        "events": [event_json(e) for e in case.events],
    }


def cases_document(cases: Sequence[Case], report: Json) -> Json:
    """``{"cases": […], "import": {…}}``: the cases, and what the import counted."""
    return {"cases": [case_json(c) for c in cases], "import": report}

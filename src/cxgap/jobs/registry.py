"""Every kind of job the workers know, by name (one list, so nothing registers itself by
being imported)."""

from __future__ import annotations

from functools import cache

from cxgap.jobs.kinds import JobKind


@cache
def job_kinds() -> dict[str, JobKind]:
    from cxgap.jobs import (
        action_reminders,
        badges,
        case_mail,
        case_recovery,
        enrich,
        event_imports,
        exact_figures,
        executive,
        executive_schedule,
        follow_ups,
        idea_evidence,
        imports,
        mail,
        maintenance,
        notifications,
        ownership,
        report,
        search,
        segment_rules,
        warming,
    )

    kinds = (
        enrich.KIND,
        imports.KIND,
        event_imports.KIND,
        follow_ups.EMERGING_KIND,
        follow_ups.OVERLAY_KIND,
        mail.KIND,
        report.KIND,
        executive.KIND,
        executive_schedule.KIND,
        maintenance.WEBHOOKS_KIND,
        maintenance.PURGE_KIND,
        maintenance.CASE_BREACHES_KIND,
        case_mail.KIND,
        case_recovery.KIND,
        action_reminders.KIND,
        ownership.ALERTS_KIND,
        ownership.DIGEST_KIND,
        warming.KIND,
        search.KIND,
        exact_figures.KIND,
        segment_rules.KIND,
        notifications.KIND,
        badges.KIND,
        idea_evidence.KIND,
    )
    return {kind.name: kind for kind in kinds}

"""Background work: one job model for every kind of work, with an embedded default and Redis.

The ``jobs`` table is the source of truth. A job has a kind (``registry.job_kinds``: the
enrichment of a workspace, an import, a report, a notification, a scheduled task…), a payload,
progress, a result and an error; it is queued, claimed atomically by one worker, worked step
by step (each step's transaction also records the job's progress and heartbeat), and finished,
failed (retried while attempts remain), cancelled, or resumed after its worker died. Two ways
to run workers:

- embedded (default, nothing to install): a thread of the web app, or ``cxgap enrich`` in the
  foreground, polls the table;
- Redis (``CXGAP_QUEUE=redis``): job ids are also pushed to a Redis list that ``cxgap worker``
  processes block on, so any number of worker processes on any machine pick jobs up at once.

This package sits between ``services`` (which it calls) and the front ends (which call it).
The front ends use what this module exports, not its submodules.
"""

from cxgap.config import QueueSettings
from cxgap.jobs.badges import queue_badges
from cxgap.jobs.case_mail import notify_assignee
from cxgap.jobs.case_recovery import send_recovery
from cxgap.jobs.event_imports import EVENT_IMPORT, event_import_payload
from cxgap.jobs.exact_figures import (
    EXACT_FIGURES,
    ExactJobState,
    exact_job_by_id,
    exact_job_state,
    request_exact_figures,
)
from cxgap.jobs.executive import EXECUTIVE_REPORT, executive_payload
from cxgap.jobs.follow_ups import EMERGING, OVERLAY, queue_emerging, queue_overlay
from cxgap.jobs.imports import IMPORT, import_payload
from cxgap.jobs.listing import SHOWN_STATUSES, JobRow, job_row, job_rows, parse_filters
from cxgap.jobs.mail import MAIL, mail_payload
from cxgap.jobs.mail import exclusive_key as mail_exclusive_key
from cxgap.jobs.progress import (
    JobProgress,
    count_by_status,
    job_progress,
    list_jobs,
    progress_of,
)
from cxgap.jobs.registry import job_kinds
from cxgap.jobs.report import REPORT, report_file, report_payload
from cxgap.jobs.search import INDEX_SEARCH, queue_index_search
from cxgap.jobs.segment_rules import (
    SEGMENT_RULE,
    RuleChange,
    change_segment_rule,
    persona_segment,
    rule_change_of,
    rule_changes,
    save_segment,
)
from cxgap.jobs.store import cancel, get_job, retry
from cxgap.jobs.warming import WARM_PAGES, queue_warm_pages
from cxgap.jobs.worker import (
    BackgroundWorker,
    enqueue_enrichment,
    start_embedded_worker,
    submit,
)

__all__ = [
    "EMERGING",
    "EVENT_IMPORT",
    "EXACT_FIGURES",
    "EXECUTIVE_REPORT",
    "IMPORT",
    "INDEX_SEARCH",
    "MAIL",
    "OVERLAY",
    "REPORT",
    "SEGMENT_RULE",
    "SHOWN_STATUSES",
    "WARM_PAGES",
    "BackgroundWorker",
    "ExactJobState",
    "JobProgress",
    "JobRow",
    "QueueSettings",
    "RuleChange",
    "cancel",
    "change_segment_rule",
    "count_by_status",
    "enqueue_enrichment",
    "event_import_payload",
    "exact_job_by_id",
    "exact_job_state",
    "executive_payload",
    "get_job",
    "import_payload",
    "job_kinds",
    "job_progress",
    "job_row",
    "job_rows",
    "list_jobs",
    "mail_exclusive_key",
    "mail_payload",
    "notify_assignee",
    "parse_filters",
    "persona_segment",
    "progress_of",
    "queue_badges",
    "queue_emerging",
    "queue_index_search",
    "queue_overlay",
    "queue_warm_pages",
    "report_file",
    "report_payload",
    "request_exact_figures",
    "retry",
    "rule_change_of",
    "rule_changes",
    "save_segment",
    "send_recovery",
    "start_embedded_worker",
    "submit",
]

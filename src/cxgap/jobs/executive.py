"""The ``executive_report`` job: the executive report of a workspace for a period rendered
to a file under the data dir (PDF, HTML or JSON), offered for download on the report's page
once done. One step: a resumed job renders again (the file is replaced)."""

from __future__ import annotations

import os

from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.files import private_dir
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.report import REPORTS_DIR
from cxgap.services.executive_output import executive_file

EXECUTIVE_REPORT = "executive_report"


def executive_payload(
    *, period: str, locale: str, fmt: str, paper: str | None
) -> dict[str, object]:
    return {"period": period, "locale": locale, "format": fmt, "paper": paper}


def run_executive_report(run: JobRun) -> dict[str, object]:
    payload = run.payload
    locale, fmt = str(payload.get("locale", "en")), str(payload.get("format", "pdf"))
    paper = payload.get("paper")
    run.progress(0, 1, stage="rendering")
    with run.context.sessions() as session, session.begin():
        workspace = session.get(Workspace, run.workspace_id) if run.workspace_id else None
        if workspace is None:
            raise NotFoundError(f"No workspace with id {run.workspace_id}")
        rendered = executive_file(
            session,
            workspace,
            period=str(payload.get("period") or "") or None,
            fmt=fmt,
            locale=locale,
            paper=None if paper is None else str(paper),
        )
    folder = private_dir(run.context.data_dir / REPORTS_DIR / str(run.workspace_id))
    path = folder / f"{run.job_id}-executive.{fmt}"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(rendered.content)  # readable by cxgap only, like every report file
    run.progress(1, 1, stage="rendering")
    return {
        "path": str(path.relative_to(run.context.data_dir)),
        "size": path.stat().st_size,
        "locale": locale,
        "format": fmt,
        "media_type": rendered.media_type,
        "file_name": rendered.file_name,
    }


KIND = JobKind(EXECUTIVE_REPORT, run_executive_report)

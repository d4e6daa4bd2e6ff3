"""The ``report`` job: the executive report rendered to a file under the data dir, for a
workspace whose results take long to compute; the results page offers it for download once
the job is done (the path, relative to the data dir, its size and locale are the result).

Rendering is one step: a resumed job simply renders again (the file is replaced).
"""

from __future__ import annotations

from pathlib import Path

from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.files import private_dir, write_private_text
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.services.reports import render_report
from cxgap.services.results import results_for

REPORT = "report"
REPORTS_DIR = "reports"


def report_payload(
    *, locale: str, min_group_size: int, confidence: float, statistics_doc_url: str
) -> dict[str, object]:
    return {
        "locale": locale,
        "min_group_size": min_group_size,
        "confidence": confidence,
        "statistics_doc_url": statistics_doc_url,
    }


def report_file(data_dir: Path, result: dict[str, object]) -> Path:
    """The file a done report job wrote (refused if its path leaves the reports folder)."""
    root = (data_dir / REPORTS_DIR).resolve()
    path = (data_dir / str(result.get("path", ""))).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFoundError("The report file is gone: prepare it again")
    return path


def run_report(run: JobRun) -> dict[str, object]:
    payload = run.payload
    locale = str(payload.get("locale", "en"))
    run.progress(0, 2, stage="computing")
    with run.context.sessions() as session:
        workspace = session.get(Workspace, run.workspace_id) if run.workspace_id else None
        if workspace is None:
            raise NotFoundError(f"No workspace with id {run.workspace_id}")
        results = results_for(
            session,
            workspace,
            min_group_size=int(str(payload.get("min_group_size", 30))),
            confidence=float(str(payload.get("confidence", 0.95))),
        )
        name, key = workspace.name, workspace.key
    run.check()
    run.progress(1, 2, stage="rendering")
    html = render_report(
        results,
        locale=locale,
        workspace_name=name,
        statistics_doc_url=str(payload.get("statistics_doc_url") or "") or None,
    )
    folder = private_dir(run.context.data_dir / REPORTS_DIR / str(run.workspace_id))
    path = folder / f"{run.job_id}-{locale}.html"
    write_private_text(path, html)
    run.progress(2, 2, stage="rendering")
    return {
        "path": str(path.relative_to(run.context.data_dir)),
        "size": path.stat().st_size,
        "locale": locale,
        "file_name": f"cxgap-{key}-report-{locale}.html",
    }


KIND = JobKind(REPORT, run_report)

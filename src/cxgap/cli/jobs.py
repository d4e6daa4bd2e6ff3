"""``cxgap jobs``: list, retry and cancel background jobs (whoever runs the CLI sees them all)."""

from __future__ import annotations

from typing import Annotated

import typer

from cxgap import jobs
from cxgap.cli.common import DatabaseUrl, opened
from cxgap.services.workspaces import get_workspace

app = typer.Typer(help="Background jobs: enrichment, e-mails, reports, scheduled tasks.",
                  no_args_is_help=True)  # fmt: skip

Workspace = Annotated[str, typer.Option("--workspace", "-w", help="Only this workspace (key).")]
Status = Annotated[list[str], typer.Option(help="Only jobs in this status (repeatable).")]
Kind = Annotated[list[str], typer.Option(help="Only jobs of this kind (repeatable).")]
JobId = Annotated[int, typer.Argument(min=1, help="The job's id (first column of `list`).")]


@app.command("list")
def list_(
    workspace: Workspace = "",
    status: Status = [],  # noqa: B006 (Typer copies defaults)
    kind: Kind = [],  # noqa: B006
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest jobs shown.")] = 50,
    database_url: DatabaseUrl = None,
) -> None:
    """The newest jobs, one a line: id, kind, workspace, status, done/total, attempts, error."""
    with opened(database_url) as app_, app_.reading() as session:
        statuses, kinds = jobs.parse_filters(status, kind, sorted(jobs.job_kinds()))
        rows = jobs.job_rows(
            session,
            workspace_id=get_workspace(session, workspace).id if workspace else None,
            all_workspaces=not workspace,
            statuses=statuses,
            kinds=kinds,
            limit=limit,
            stale_seconds=jobs.QueueSettings.from_env().stale_seconds,
        )
        for row in rows:
            job = row.progress
            typer.echo(
                "\t".join(
                    (
                        str(job.id),
                        job.kind,
                        row.workspace_key or "-",
                        job.status,
                        f"{job.done}/{job.total}",
                        f"{job.attempts}/{job.max_attempts}",
                        job.created_at.isoformat(timespec="seconds"),
                        job.error or "-",
                    )
                )
            )
    typer.echo(f"{len(rows)} job(s).", err=True)


@app.command("retry")
def retry(job_id: JobId, database_url: DatabaseUrl = None) -> None:
    """Queue a failed or cancelled job again (it resumes where it stopped)."""
    with opened(database_url) as app_, app_.transaction() as session:
        job = jobs.retry(session, job_id)
        typer.echo(f"Job {job_id} ({job.kind}) queued again.")


@app.command("cancel")
def cancel(job_id: JobId, database_url: DatabaseUrl = None) -> None:
    """Cancel a waiting job, or ask a running one to stop after its current step."""
    with opened(database_url) as app_, app_.transaction() as session:
        job = jobs.cancel(session, job_id)
        said = "cancelled" if job.status == "cancelled" else "asked to stop"
        typer.echo(f"Job {job_id} ({job.kind}) {said}.")

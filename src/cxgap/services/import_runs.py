"""The life of one feedback import as its history row shows it.

The import's records are staged, then written in one short transaction
(``feedback_stage``): they appear together when it commits, or not at all. The history row
is written first, in a transaction of its own, with the status ``running``, the file's
SHA-256 and the process that runs it. The write phase turns it to
``done`` (or ``refused``); a failure turns it to ``failed``. A process killed midway leaves
``running`` behind and nothing else: the next import of the workspace finds that process
gone and marks the row ``interrupted``, so the history says what happened. The file can
simply be imported again (a re-import updates what it holds; nothing was stored).
"""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import FeedbackImport, Workspace
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace

RUNNING = "running"
INTERRUPTED = "interrupted"
FAILED = "failed"
DIGEST_CHUNK = 1024 * 1024


def file_digest(source: Path | BinaryIO) -> str:
    """SHA-256 of the file, in hex; a stream is put back where it was."""
    digest = hashlib.sha256()
    if isinstance(source, Path):
        with source.open("rb") as stream:
            while chunk := stream.read(DIGEST_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()
    start = source.tell()
    while chunk := source.read(DIGEST_CHUNK):
        digest.update(chunk)
    source.seek(start)
    return digest.hexdigest()


def runner_id() -> str:
    """This process, as ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def start_import(
    cx: Cxgap,
    *,
    workspace_key: str,
    source: Path | BinaryIO,
    name: str,
    preset: str,
    mode: str,
) -> tuple[int, tuple[int, ...]]:
    """The new import's history row, committed (``running``), and the earlier imports of
    the workspace now found interrupted."""
    digest = file_digest(source)
    with cx.transaction() as session:
        workspace = get_workspace(session, workspace_key)
        interrupted = tuple(mark_interrupted(session, workspace))
        row = open_import(
            session, workspace=workspace, name=name, preset=preset, mode=mode, digest=digest
        )
        return row.id, interrupted


def open_import(
    session: Session, *, workspace: Workspace, name: str, preset: str, mode: str, digest: str
) -> FeedbackImport:
    """The history row of an import about to run (commit it at once, on its own)."""
    row = FeedbackImport(
        workspace_id=workspace.id,
        file_name=name,
        preset=preset,
        mode=mode,
        status=RUNNING,
        report={"file_sha256": digest, "runner": runner_id()},
    )
    session.add(row)
    session.flush()
    return row


def mark_interrupted(session: Session, workspace: Workspace) -> list[int]:
    """Mark ``interrupted`` the running imports of the workspace whose process, on this
    host, is gone; their ids. (Another host's imports are left as they are.)"""
    query = select(FeedbackImport).where(
        FeedbackImport.workspace_id == workspace.id, FeedbackImport.status == RUNNING
    )
    marked = []
    for row in session.scalars(query):
        runner = str(row.report.get("runner", ""))
        if _gone(runner):
            row.status = INTERRUPTED
            row.report = {**row.report, "interrupted": True}
            marked.append(row.id)
    return marked


def mark_failed(session: Session, import_id: int, reason: str) -> None:
    """An import that stopped on an unexpected error: its row says so; nothing was stored."""
    row = session.get(FeedbackImport, import_id)
    if row is not None and row.status == RUNNING:
        row.status = FAILED
        row.report = {**row.report, "error": reason}


def _gone(runner: str) -> bool:
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: a thread of it may be running the import
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False

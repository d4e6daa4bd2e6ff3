"""Event files uploaded in the browser, kept on disk until their import job has run.

A file lives in ``<data dir>/uploads/events/<token><suffix>`` (0600), written by the web
process that received it and read by whichever worker takes the import job (the data dir is
shared by every process, as for feedback uploads). The job deletes it once imported or
refused; files left over for a day (a job that never ran) are pruned when a new one arrives.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from cxgap.config import Settings
from cxgap.errors import NotFoundError
from cxgap.files import open_private, private_dir

MAX_AGE_SECONDS = 24 * 3600
_NAME = re.compile(r"[A-Za-z0-9_-]{16,64}(\.[a-z0-9]{1,8}){0,2}")
_CHUNK = 1 << 20


def staging_root(settings: Settings) -> Path:
    return settings.data_dir / "uploads" / "events"


def stage_event_file(settings: Settings, stream: BinaryIO, file_name: str) -> str:
    """Copy the uploaded ``stream`` to a private file; its stored name (for the job)."""
    root = private_dir(staging_root(settings))
    prune(root)
    suffixes = "".join(Path(file_name.replace("\\", "/")).suffixes[-2:]).lower()
    stored = secrets.token_urlsafe(18) + (suffixes if _NAME.fullmatch("x" * 16 + suffixes) else "")
    with open_private(root / stored) as target:
        shutil.copyfileobj(stream, target, _CHUNK)
    return stored


def staged_path(settings: Settings, stored: str) -> Path:
    """The staged file of that stored name; gone (imported, pruned): NotFoundError."""
    path = staging_root(settings) / stored
    if not _NAME.fullmatch(stored) or not path.is_file():
        raise NotFoundError("The uploaded event file is no longer there; upload it again")
    return path


def prune(root: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    limit = time.time() - max_age
    for path in root.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)

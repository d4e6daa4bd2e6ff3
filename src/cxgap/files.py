"""Files and folders that hold personal data, readable by their owner only.

The data dir (0700) holds the SQLite database, the secret key, the uploads waiting to be
imported and the models; the database (and SQLite's ``-wal`` and ``-shm`` files, which
SQLite creates with the database's mode), uploads and exports are created 0600, whatever
the process's umask.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, TextIO, cast

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """``path`` created if missing (its missing parents too) and made 0700; a parent that
    already existed keeps its mode."""
    _make_parents(path.parent)
    path.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def open_private(path: Path) -> BinaryIO:
    """``path`` opened for writing bytes (truncated), created 0600; an existing file is
    made 0600."""
    return cast(BinaryIO, os.fdopen(_private_descriptor(path), "wb"))


def open_private_text(path: Path, *, newline: str | None = None) -> TextIO:
    """``path`` opened for writing UTF-8 text (truncated), created 0600."""
    return cast(
        TextIO, os.fdopen(_private_descriptor(path), "w", encoding="utf-8", newline=newline)
    )


def write_private_text(path: Path, text: str) -> None:
    with open_private_text(path) as handle:
        handle.write(text)


def _private_descriptor(path: Path) -> int:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def private_sqlite_file(database: str) -> None:
    """Create the SQLite database file 0600 before SQLite opens it (its folder 0700 when
    cxgap creates it), and make an existing one, with its side files, 0600."""
    path = Path(database)
    _make_parents(path.parent)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
    for suffix in _SQLITE_SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists() and side.stat().st_uid == os.getuid():
            side.chmod(PRIVATE_FILE)


def _make_parents(path: Path) -> None:
    """The missing folders of ``path`` created 0700 (umask or not); existing ones kept."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)

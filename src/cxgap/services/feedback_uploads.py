"""Feedback files uploaded in the browser, kept on disk between the steps of the import.

An upload lives in ``<data dir>/uploads/feedback/<token>/``: the file itself (``data`` plus
its extension) and ``upload.json`` describing it (workspace, who sent it, name, preset, the
mapping file given with it, and once run, the import it became). The file is deleted when
its import has run; the description stays so that the upload's page can point to the
import. Uploads older than a day are pruned when a new one arrives.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxgap.config import Settings
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.files import PRIVATE_DIR, private_dir, write_private_text
from cxgap.ingest import PRESETS, MappingSpec, get_preset, parse_mapping
from cxgap.ingest.choices import (
    ColumnChoices,
    choices_from_spec,
    guess_choices,
    mapping_document,
)
from cxgap.ingest.encoding import file_problem, refuse
from cxgap.ingest.mapping import Outcome
from cxgap.ingest.pipeline import survey_spec
from cxgap.ingest.preview import FilePreview, check_samples, detect_preset, preview_file
from cxgap.ingest.shape import check_shape
from cxgap.ingest.source_guess import propose_source_type
from cxgap.ingest.tables import ReadOptions, format_of

DETECT = "detect"
MAX_AGE_SECONDS = 24 * 3600
MAX_MAPPING_BYTES = 256 * 1024
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_META = "upload.json"


@dataclass
class StagedUpload:
    """One uploaded file waiting for (or done with) its import."""

    token: str
    directory: Path
    workspace_key: str
    user_id: int
    file_name: str
    suffix: str
    preset: str = "generic"
    detected: bool = False
    size: int = 0
    # A mapping file uploaded for this file (its JSON), which then replaces the preset.
    mapping: dict[str, object] | None = None
    import_id: int | None = None
    # Set while an import of it runs, so that every web process can tell.
    running_since: float | None = None
    # The import job queued for it (``cxgap.jobs``): its row says how far the import got.
    job_id: int | None = None
    created: float = field(default_factory=time.time)

    @property
    def path(self) -> Path:
        return self.directory / f"data{self.suffix}"

    def save(self) -> None:
        data = {k: v for k, v in asdict(self).items() if k != "directory"}
        # Written aside then renamed: a page reading it meanwhile sees the old or the new.
        partial = self.directory / f"{_META}.{threading.get_ident()}"
        write_private_text(partial, json.dumps(data))
        os.replace(partial, self.directory / _META)

    def base_spec(self) -> MappingSpec:
        """The uploaded mapping file if there is one, else the preset."""
        if self.mapping is not None:
            return parse_mapping(self.mapping, source="mapping")
        return get_preset(self.preset)

    def discard_file(self) -> None:
        self.path.unlink(missing_ok=True)


def staging_root(settings: Settings) -> Path:
    return settings.data_dir / "uploads" / "feedback"


def new_upload(
    settings: Settings, *, workspace_key: str, user_id: int, file_name: str
) -> StagedUpload:
    """A fresh, empty upload for a file of that name; a name whose extension is not one of
    the readable formats is refused before anything is written."""
    name = Path(file_name.replace("\\", "/")).name or "upload"
    format_of(name, ReadOptions())  # refuses .xls, .pdf…
    prune(settings)
    token = secrets.token_urlsafe(18)
    directory = private_dir(staging_root(settings)) / token
    directory.mkdir(mode=PRIVATE_DIR)
    suffix = Path(name).suffix.lower()
    return StagedUpload(token, directory, workspace_key, user_id, name, suffix)


def load_upload(settings: Settings, token: str, *, workspace_key: str) -> StagedUpload:
    """The upload of that token in that workspace (another workspace's is not found)."""
    directory = staging_root(settings) / token
    meta = directory / _META
    if not _TOKEN.fullmatch(token) or not meta.is_file():
        raise NotFoundError("This upload does not exist any more; upload the file again")
    upload = StagedUpload(directory=directory, **json.loads(meta.read_text(encoding="utf-8")))
    if upload.workspace_key != workspace_key:
        raise NotFoundError("This upload does not exist any more; upload the file again")
    return upload


def remove_upload(upload: StagedUpload) -> None:
    shutil.rmtree(upload.directory, ignore_errors=True)


def prune(settings: Settings, max_age: float = MAX_AGE_SECONDS) -> None:
    root = staging_root(settings)
    if not root.is_dir():
        return
    limit = time.time() - max_age
    for directory in root.iterdir():
        if directory.is_dir() and directory.stat().st_mtime < limit:
            shutil.rmtree(directory, ignore_errors=True)


def accept_upload(upload: StagedUpload, preset: str) -> FilePreview:
    """Check a freshly written file: readable, with a header, the preset known or detected.
    A refused file, or one that cannot be read at all, is deleted with its upload."""
    try:
        if preset != DETECT and preset not in PRESETS:
            get_preset(preset)  # raises the list of presets
        if upload.size == 0:
            raise refuse(file_problem("is empty", source=upload.file_name, code="empty_file"))
        upload.detected = preset == DETECT
        if upload.detected:
            preset = detect_preset(upload.path, name=upload.file_name)
        upload.preset = preset
        preview = preview_file(upload.path, get_preset(upload.preset).read, name=upload.file_name)
    except BaseException:  # refused, or a fault: no partial upload stays behind
        remove_upload(upload)
        raise
    upload.save()
    return preview


def attach_mapping(upload: StagedUpload, data: bytes, *, name: str) -> None:
    """Use an uploaded mapping file for this upload; a file that is not a valid mapping is
    refused with every problem named, and the previous mapping stays."""
    if len(data) > MAX_MAPPING_BYTES:
        raise refuse(file_problem("is too large for a mapping file", source=name, code="format"))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"is not a JSON mapping file ({exc})"
        raise refuse(file_problem(message, source=name, code="format")) from None
    except RecursionError:  # a hostile file nested thousands of levels deep
        message = "nests objects or lists too deeply to be a mapping file"
        raise refuse(file_problem(message, source=name, reason="mapping_too_deep")) from None
    parse_mapping(document, source=name)  # refuses an invalid mapping
    upload.mapping = document
    if isinstance(document, dict) and isinstance(document.get("preset"), str):
        upload.preset = document["preset"]
    upload.save()


@dataclass(frozen=True)
class MappingStep:
    """Everything the mapping step shows: the file, the choices, and what they give."""

    preview: FilePreview
    choices: ColumnChoices
    document: dict[str, object]
    spec: MappingSpec | None
    outcomes: list[tuple[int, Outcome]]
    problems: list[FieldProblem]
    # Found on the whole file before it is imported (rows that do not fit the header, a
    # separator not recognised): shown with their fix; they do not stop the import.
    warnings: list[FieldProblem] = field(default_factory=list)


def read_options(
    upload: StagedUpload, encoding: str | None = None, delimiter: str | None = None
) -> ReadOptions:
    """How to read the file: as its mapping says, with the person's encoding and separator."""
    base = upload.base_spec().read
    return dataclasses.replace(
        base, encoding=encoding or base.encoding, delimiter=delimiter or base.delimiter
    )


def preview_upload(
    upload: StagedUpload, encoding: str | None = None, delimiter: str | None = None
) -> tuple[FilePreview, list[FieldProblem]]:
    """The file read as its mapping says, in ``encoding`` and with ``delimiter`` if given;
    when the file cannot be read that way it is read as before and the problems are
    returned."""
    base = upload.base_spec()
    try:
        read = read_options(upload, encoding, delimiter)
        return preview_file(upload.path, read, name=upload.file_name), []
    except ValidationError as exc:
        return preview_file(upload.path, base.read, name=upload.file_name), list(exc.problems)


def mapping_step(
    upload: StagedUpload,
    preview: FilePreview,
    choices: ColumnChoices | None = None,
    *,
    unreadable: list[FieldProblem] | None = None,
    pseudonym_key: str | None = None,
    read: tuple[str, str] = ("", ""),
) -> MappingStep:
    """The choices (the base spec's at first), the mapping file they make and what the
    first rows become; ``read`` is the (encoding, separator) the person chose, kept when the
    choices start again. Problems of the mapping itself (no date, nothing to import, a bad
    date format) are returned, not raised; ``spec`` is None while there are any."""
    base, detected = _detected(upload, choices)
    if choices is None:
        choices = choices_from_spec(base, preview.header, tags=preview.tags)
        if upload.mapping is None and upload.preset == "generic":  # no tool's layout: guess
            samples = {column: preview.values_of(column) for column in preview.header}
            choices = guess_choices(choices, samples)
        choices = propose_source_type(choices, file_name=upload.file_name)
        encoding, delimiter = read  # the person's, kept when the choices start again
        choices = dataclasses.replace(
            choices,
            encoding=encoding or choices.encoding,
            delimiter=delimiter or choices.delimiter,
        )
    options = read_options(upload, choices.encoding or None, choices.delimiter or None)
    warnings = check_shape(upload.path, options, name=upload.file_name)
    preset = upload.preset if upload.mapping is None else _preset_of(upload.mapping)
    document = mapping_document(base, choices, preset=preset)
    problems = list(unreadable or []) + detected
    try:
        spec = parse_mapping(document, source=upload.file_name)
        outcomes = check_samples(spec, preview, pseudonym_key=pseudonym_key)
    except ValidationError as exc:
        problems += exc.problems
        return MappingStep(preview, choices, document, None, [], problems, warnings)
    chosen = None if problems else spec
    return MappingStep(preview, choices, document, chosen, outcomes, problems, warnings)


def _detected(
    upload: StagedUpload, choices: ColumnChoices | None
) -> tuple[MappingSpec, list[FieldProblem]]:
    """The base spec with what the whole file's values show (open answers, scores, date
    format), and the problems that needs the person for (a date order)."""
    base = upload.base_spec()
    order = (choices.date_order or None) if choices is not None else None
    try:
        spec, problems = survey_spec(upload.path, base, name=upload.file_name, date_order=order)
    except ValidationError:  # unreadable past the first rows: the import will say where
        return base, []
    if choices is not None and choices.date_format:  # the person's format settles the dates
        problems = []
    return spec, problems


def _preset_of(document: dict[str, object]) -> str | None:
    preset = document.get("preset")
    return preset if isinstance(preset, str) else None

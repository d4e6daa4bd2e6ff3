"""Which mapping an import of feedback uses: the preset or mapping file asked for (or the
mapping file on top of the preset), or with neither the preset detected from the file's
layout, as the browser does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest import MappingSpec, get_preset, load_mapping, parse_mapping
from cxgap.ingest.preview import detect_preset

__all__ = ["choose_spec", "mapping_spec"]


def choose_spec(
    preset: str | None, mapping: Path | None, *, source: Path | BinaryIO, name: str
) -> MappingSpec:
    """The preset or mapping file asked for; with neither, the preset whose layout the
    file fits (``generic`` when none does), detected as in the browser."""
    if preset is None and mapping is None:
        preset = detect_preset(source, name=name)
    return mapping_spec(preset, mapping)


def mapping_spec(preset: str | None, mapping: Path | None) -> MappingSpec:
    """The preset, the mapping file, or the mapping file applied on top of the preset."""
    if mapping is None:
        return get_preset(preset or "generic")
    spec = load_mapping(mapping)  # refuses files that are not valid mappings
    if preset is None:
        return spec
    data = json.loads(mapping.read_text(encoding="utf-8-sig"))
    if data.get("preset") not in (None, preset):
        message = f"names preset {data['preset']!r} but --preset is {preset!r}"
        problem = FieldProblem("preset", message, preset, source=mapping.name, code="choice")
        raise ValidationError([problem], summary="Mapping file refused")
    return parse_mapping({**data, "preset": preset}, source=mapping.name)

"""The default topics' French descriptions, now stored for every workspace (kept importable
from here for the demo's older callers)."""

from __future__ import annotations

from cxgap.text.taxonomy_fr import FRENCH_DESCRIPTIONS

__all__ = ["FRENCH_DESCRIPTIONS"]

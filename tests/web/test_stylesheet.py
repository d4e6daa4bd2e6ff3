"""The stylesheet parses as blocks: every rule and media query closed, none closed twice (a
merge that cut a block in two once left the phone layout of every later block unapplied)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "src" / "cxgap" / "web" / "static" / "cxgap.css"


def test_every_block_of_the_stylesheet_is_closed() -> None:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"cxgap.css line {number}: a block closed twice"
        assert depth <= 2, f"cxgap.css line {number}: blocks nested deeper than a media query"
    assert depth == 0, "cxgap.css: a block is never closed"

"""An article's body as blocks to show: paragraphs separated by a blank line, and lists whose
lines start with ``- `` or ``* ``. Plain text in, plain text out: the templates escape it, so
an article can hold no markup (and no script).

>>> blocks("Two ways:\\n\\n- online\\n- by phone\\n\\nThat is all.")
[Block(kind='p', lines=('Two ways:',)), Block(kind='ul', lines=('online', 'by phone')), \
Block(kind='p', lines=('That is all.',))]
"""

from __future__ import annotations

from dataclasses import dataclass

_BULLETS = ("- ", "* ")


@dataclass(frozen=True)
class Block:
    """A paragraph (``p``: its lines, shown with line breaks) or a list (``ul``: its items)."""

    kind: str
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """The body's paragraphs and lists, in order; blank lines and spaces around trimmed."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith(_BULLETS):
                if paragraph:
                    found.append(Block("p", tuple(paragraph)))
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    found.append(Block("ul", tuple(items)))
                    items = []
                paragraph.append(line)
        if paragraph:
            found.append(Block("p", tuple(paragraph)))
        if items:
            found.append(Block("ul", tuple(items)))
    return found


def excerpt(text: str, limit: int = 160) -> str:
    """The body's start on one line, cut at a word, for a list of results."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"

"""A person's badge card: the 1200×630 PNG that social networks show for a shared badge page
(Open Graph ``og:image``). Values in, PNG bytes out; drawn with Pillow (already installed with
fpdf2) and the DejaVu font the journey exports ship (``journeys/fonts``: French accents;
Pillow's own bundled font has none), so it looks the same on every machine."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

# The fonts the journey exports ship (``journeys/fonts``), shared rather than copied.
FONT_DIR = Path(__file__).resolve().parent.parent / "journeys" / "fonts"

WIDTH, HEIGHT = 1200, 630
PALETTE = ("#2a5bd7", "#1f8a5b", "#b0402b", "#8a5cd0", "#d08a1c", "#3b7f9e")
_INK, _MUTED, _PAPER = "#1d2330", "#5b6475", "#f6f7fb"


def badge_card(*, brand: str, name: str, level: str, badges: Sequence[str]) -> bytes:
    """The card of ``name`` on ``brand``'s community: their level and up to six badges.

    >>> png = badge_card(brand="Acme", name="Ana", level="Expert", badges=["Idée réalisée"])
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)

    def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
        return ImageFont.truetype(str(FONT_DIR / name), size)

    draw.rectangle((0, 0, WIDTH, 16), fill=PALETTE[0])
    draw.text((70, 60), brand[:60], font=font(34), fill=_MUTED)
    draw.text((70, 120), (name or "—")[:40], font=font(72, bold=True), fill=_INK)
    draw.text((70, 215), level[:60], font=font(40), fill=PALETTE[1])
    for index, badge in enumerate(badges[:6]):
        column, row = index % 2, index // 2
        x, y = 70 + column * 540, 310 + row * 95
        draw.ellipse((x, y, x + 64, y + 64), fill=PALETTE[index % len(PALETTE)])
        draw.text((x + 84, y + 14), badge[:30], font=font(32), fill=_INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

"""Images for badges (``docs/community.md``, "The badges editor"): one of the bundled icons,
or an image the team uploads. An upload is accepted only as PNG, JPEG or WebP, recognised by
its first bytes (not by its name or the browser's word), at most ``MAX_BYTES`` and
``MAX_SIDE`` pixels a side; it is decoded and drawn again as a PNG of at most ``SIDE``
pixels, so what is stored and served is an image Pillow wrote, with nothing of the file
kept (metadata, trailing bytes, a polyglot's script). SVG is refused: an uploaded SVG can
carry script.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from cxgap.errors import FieldProblem, ValidationError

# The icons shipped in web/static/badges/ (tests/community/test_badge_images.py checks them).
BUNDLED: tuple[str, ...] = (
    "first_answer.svg",
    "ten_accepted.svg",
    "helped_50.svg",
    "first_idea_built.svg",
    "popular_idea.svg",
    "one_year.svg",
)
MAX_BYTES = 512 * 1024
MAX_SIDE = 4096
SIDE = 256
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


@dataclass(frozen=True)
class BadgePicture:
    """An uploaded image as it is stored: a PNG and its size."""

    png: bytes
    width: int
    height: int


def _refused(message: str, code: str, value: object = None, **params: object) -> ValidationError:
    problem = FieldProblem("image", message, value, code=code, params=dict(params))
    return ValidationError([problem], summary="Invalid badge image")


def sniff(data: bytes) -> str | None:
    """The format the bytes start with: ``PNG``, ``JPEG``, ``WEBP`` or None.

    >>> sniff(b"RIFF\\x00\\x00\\x00\\x00WEBPVP8 "), sniff(b"<svg xmlns=..."), sniff(b"")
    ('WEBP', None, None)
    """
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    return None


def check_picture(data: bytes) -> BadgePicture:
    """The upload as a PNG of at most ``SIDE`` pixels a side, or a ``ValidationError``
    naming what is wrong (empty, too large, not PNG/JPEG/WebP, unreadable, too many pixels)."""
    if not data:
        raise _refused("is empty", "image_empty")
    if len(data) > MAX_BYTES:
        raise _refused(
            f"is larger than {MAX_BYTES // 1024} KB",
            "image_too_large",
            f"{len(data) // 1024} KB",
            limit=MAX_BYTES // 1024,
        )
    kind = sniff(data)
    if kind is None:
        raise _refused("must be a PNG, JPEG or WebP image", "image_type")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as opened:
            width, height = opened.size
            if max(width, height) > MAX_SIDE:
                raise _refused(
                    f"is larger than {MAX_SIDE} pixels a side",
                    "image_side",
                    f"{width}×{height}",
                    limit=MAX_SIDE,
                )
            opened.load()
            picture = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refused("cannot be read as an image", "image_unreadable") from None
    picture.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return BadgePicture(out.getvalue(), picture.width, picture.height)

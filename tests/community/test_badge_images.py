"""Badge images: the bundled icons exist; an upload is kept only as a PNG cxgap drew again
(PNG, JPEG, WebP in; SVG, other bytes, too large or too many pixels refused by name)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from cxgap.community.badge_images import BUNDLED, MAX_BYTES, SIDE, check_picture, sniff
from cxgap.errors import ValidationError

STATIC = Path(__file__).resolve().parents[2] / "src" / "cxgap" / "web" / "static" / "badges"


def _image(fmt: str, size: tuple[int, int] = (600, 300), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt, **options)
    return out.getvalue()


def _code(data: bytes) -> str | None:
    with pytest.raises(ValidationError) as caught:
        check_picture(data)
    (problem,) = caught.value.problems
    assert problem.field == "image"
    return problem.code


def test_every_bundled_icon_is_shipped() -> None:
    assert sorted(BUNDLED) == sorted(p.name for p in STATIC.glob("*.svg"))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_an_upload_becomes_a_png_of_at_most_256_pixels(fmt: str) -> None:
    picture = check_picture(_image(fmt))
    assert picture.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (picture.width, picture.height) == (SIDE, SIDE // 2)  # the ratio kept
    with Image.open(io.BytesIO(picture.png)) as back:
        assert back.size == (256, 128) and back.format == "PNG"


def test_bytes_after_the_image_are_not_kept() -> None:
    """A polyglot (an image with a script after it) is drawn again: the script is gone."""
    data = _image("PNG", (40, 40)) + b"<script>alert(1)</script>"
    picture = check_picture(data)
    assert b"<script>" not in picture.png and picture.width == 40


def test_refusals_name_what_is_wrong() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert _code(svg) == "image_type"
    assert _code(b"") == "image_empty"
    assert _code(b"GIF89a" + b"\x00" * 40) == "image_type"
    assert _code(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10) == "image_unreadable"
    assert _code(b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 1)) == "image_too_large"
    assert _code(_image("PNG", (5000, 10))) == "image_side"
    assert sniff(_image("WEBP", (8, 8))) == "WEBP"

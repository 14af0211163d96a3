"""Checks and cleaning for uploaded images, in one place so every upload path uses the same rules.

``check_image`` refuses a file that is too many bytes, not an allowed format, or too many pixels,
reading only the file's header: Pillow's ``Image.open`` is lazy, so a 13,000 x 13,000 PNG of a
few kilobytes is refused before anything is decoded (decoding it would take gigabytes).
``clean_photo`` then decodes it (small enough by now), turns it upright and writes a brand-new
JPEG from the pixels alone, so no EXIF, GPS, XMP, ICC profile or comment survives.
"""

from __future__ import annotations

import io
import math
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
_UNREADABLE = gettext_lazy("We could not read that file as a photo. Choose a JPEG, PNG or WebP photo.")


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def check_image(upload, *, field: str = "photo", formats=PHOTO_FORMATS) -> tuple[str, tuple[int, int]]:
    """Refuse an upload that is too big in bytes or pixels, or not an allowed format, without decoding it.

    Returns the format and the (width, height) from the header.
    """
    max_bytes = settings.PHOTO_MAX_BYTES
    if upload.size > max_bytes:
        raise _error(field, _("That photo is too big. Choose one under %(size)d MB.") % {"size": max_bytes // 2**20})
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Pillow warns above its own, higher limit; ours is checked below with a plain message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                image_format, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _error(field, _UNREADABLE) from None
    if image_format not in formats:
        raise _error(field, _("Choose a JPEG, PNG or WebP photo."))
    max_pixels = settings.UPLOAD_MAX_PIXELS
    width, height = size
    if width * height > max_pixels:
        raise _error(
            field,
            _(
                "That photo is %(width)s by %(height)s pixels, which is too large for us to handle. "
                "Choose one of at most %(megapixels)s megapixels "
                "(for example %(side)s by %(side)s), or make it smaller first."
            )
            % {
                "width": f"{width:,}",
                "height": f"{height:,}",
                "megapixels": f"{max_pixels / 1_000_000:g}",
                "side": f"{math.isqrt(max_pixels):,}",
            },
        )
    return image_format, size


def clean_photo(upload, *, field: str = "photo", max_side: int = 1024, quality: int = 85) -> bytes:
    """Check the upload, then return a fresh JPEG of at most ``max_side`` pixels a side with no metadata."""
    check_image(upload, field=field)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale when it can
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise _error(field, _UNREADABLE) from None
    rgb.thumbnail((max_side, max_side))
    fresh = Image.new("RGB", rgb.size)  # no .info at all: nothing from the upload is copied but pixels
    fresh.paste(rgb)
    buffer = io.BytesIO()
    fresh.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def webp_thumbnails(jpeg: bytes, *, small: int, large: int, quality: int = 78) -> dict[str, tuple[bytes, int, int]]:
    """Two WebP sizes of an already cleaned photo (``clean_photo``'s output), made once at upload.

    ``small``: a square, centre-cropped a little above the middle (where faces usually are), for cards.
    ``large``: the whole photo within ``large`` pixels a side, for the profile page.
    Returns {"small": (bytes, width, height), "large": (...)}. Pillow writes no metadata into WebP
    unless asked (no exif, icc_profile or xmp are passed), so nothing but pixels leaves here either.
    """
    with Image.open(io.BytesIO(jpeg)) as image:
        rgb = image.convert("RGB")
    out: dict[str, tuple[bytes, int, int]] = {}
    square = ImageOps.fit(rgb, (small, small), method=Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    out["small"] = (_webp(square, quality), small, small)
    whole = rgb.copy()
    whole.thumbnail((large, large), Image.Resampling.LANCZOS)
    out["large"] = (_webp(whole, quality), whole.width, whole.height)
    return out


def _webp(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=quality, method=4)
    return buffer.getvalue()

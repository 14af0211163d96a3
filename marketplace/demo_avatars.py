"""Drawn demo avatars for the demo register (``seed_demo``): flat illustrations made here, never photos.

Each avatar is a few flat shapes (a coloured background, shoulders, a round head, a hair shape, dot eyes
and a curved smile) in colours chosen from fixed palettes, drawn with Pillow at 640 px and saved as WebP
in the two sizes every profile photo has. A small pool is drawn once and shared by many demo listings
(their ``ProfilePhoto.demo`` rows never delete the files), so seeding stays fast at any size.
Skin colours are deliberately varied and flat; nothing aims to look like a real person.
"""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

POOL = 24
SIDE = 640
SMALL = 160
BACKGROUNDS = ["#cfe3f7", "#f7e0c8", "#d9f0d3", "#efd5ee", "#fbeeb8", "#d5e8e8", "#e6dcf5", "#f6d3d3"]
SKIN = ["#f2c9a0", "#e0a676", "#c68652", "#9c6436", "#70462a", "#f5d6b8", "#b7794a", "#8a5a35"]
HAIR = ["#2b1d14", "#5a3920", "#8c5a2b", "#d9a441", "#a0a0a0", "#1f1f1f", "#b4432d", "#6b4f9e"]
CLOTHES = ["#1d4f91", "#0b6b2c", "#a4120c", "#6b2c91", "#00707a", "#c2571a", "#374151", "#b0306a"]
HAIR_STYLES = ("short", "long", "bun", "curly", "none", "wrap")


def _draw(number: int) -> Image.Image:
    rng = random.Random(number * 7919)
    image = Image.new("RGB", (SIDE, SIDE), rng.choice(BACKGROUNDS))
    d = ImageDraw.Draw(image)
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    style = HAIR_STYLES[number % len(HAIR_STYLES)]
    cx, cy, r = SIDE // 2, 270, 120
    d.rounded_rectangle((110, 450, 530, 760), radius=160, fill=clothes)  # shoulders
    d.rectangle((cx - 45, 360, cx + 45, 470), fill=skin)  # neck
    if style == "long":
        d.rounded_rectangle((cx - r - 20, cy - r - 10, cx + r + 20, cy + r + 110), radius=110, fill=hair)
    if style == "wrap":
        d.ellipse((cx - r - 30, cy - r - 40, cx + r + 30, cy + r + 20), fill=hair)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=skin)  # head
    if style in ("short", "long"):
        d.chord((cx - r - 5, cy - r - 15, cx + r + 5, cy + r - 40), 180, 360, fill=hair)
    elif style == "bun":
        d.ellipse((cx - 55, cy - r - 85, cx + 55, cy - r + 25), fill=hair)
        d.chord((cx - r - 5, cy - r - 10, cx + r + 5, cy + r - 60), 180, 360, fill=hair)
    elif style == "curly":
        for i in range(9):
            x = cx - r + i * (2 * r) // 8
            d.ellipse((x - 38, cy - r - 40, x + 38, cy - r + 36), fill=hair)
    elif style == "wrap":
        d.chord((cx - r - 10, cy - r - 30, cx + r + 10, cy + r - 50), 180, 360, fill=hair)
    eye_y, eye_dx = cy + 5, 42
    for side in (-1, 1):
        d.ellipse((cx + side * eye_dx - 11, eye_y - 11, cx + side * eye_dx + 11, eye_y + 11), fill="#1b1b1b")
    d.arc((cx - 45, cy + 15, cx + 45, cy + 75), 20, 160, fill="#1b1b1b", width=8)  # smile
    if rng.random() < 0.3:  # round glasses
        for side in (-1, 1):
            x = cx + side * eye_dx
            d.ellipse((x - 30, eye_y - 30, x + 30, eye_y + 30), outline="#1b1b1b", width=6)
        d.line((cx - 12, eye_y, cx + 12, eye_y), fill="#1b1b1b", width=6)
    return image


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=80, method=4)
    return buffer.getvalue()


def avatar_files(count: int = POOL) -> list[dict]:
    """The pool's file names and sizes (drawing and saving any that are missing), for ProfilePhoto rows."""
    pool = []
    for number in range(count):
        names = {size: f"demo-avatars/avatar-{number:02d}-{size}.webp" for size in ("small", "large")}
        if not all(default_storage.exists(name) for name in names.values()):
            large = _draw(number)
            small = large.resize((SMALL, SMALL), Image.Resampling.LANCZOS)
            for size, picture in (("small", small), ("large", large)):
                if default_storage.exists(names[size]):
                    default_storage.delete(names[size])
                default_storage.save(names[size], ContentFile(_webp(picture)))
        pool.append({"small": names["small"], "large": names["large"]})
    return pool

"""Simple bar charts drawn on the server as SVG. Every chart is shown with a table of the same figures."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 28, 10, 220, 600


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float
    text_x: float
    text_y: int


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bars(items: list[tuple[str, int]]) -> Chart:
    top = max([value for _, value in items] + [1])
    room = WIDTH - LABEL_WIDTH - 60
    out = []
    for i, (label, value) in enumerate(items):
        y = i * (BAR_HEIGHT + GAP)
        width = round(room * value / top, 1)
        out.append(Bar(label, value, y, width, LABEL_WIDTH + width + 6, y + BAR_HEIGHT // 2 + 5))
    return Chart(out, WIDTH, len(items) * (BAR_HEIGHT + GAP), LABEL_WIDTH, BAR_HEIGHT)

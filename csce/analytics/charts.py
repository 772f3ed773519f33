"""Chart geometry for server-side SVG, drawn without script.

The admin runs under a strict Content-Security-Policy, so the charts are SVG written by
our templates: no script, no chart library, no inline style; these functions only place
points, bars and ticks in a fixed coordinate system (the SVG's viewBox), and the
templates draw them with classes of the app's own stylesheet. Labels arrive formatted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

WIDTH = 800
# Line chart: room on the left for the values, below for the dates, above for the legend.
LINE_HEIGHT = 320
LINE_MARGIN = {"left": 72, "right": 24, "top": 48, "bottom": 44}
X_TICKS = 7
Y_TICKS = 4
# Bar charts: the label column, then the bar, then its value.
BAR_LABEL_WIDTH = 300
BAR_VALUE_WIDTH = 90
BAR_HEIGHT = 22
BAR_GAP = 12
BAR_LABEL_CHARS = 38
SHARE_LABEL_MIN_WIDTH = 110


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 2.5, 5 times a power of ten, integer, at least ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= value and float(step).is_integer():
            return int(step)
    return int(10 * power)


def _r(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def line_chart(
    *,
    days: Sequence,
    series: dict[str, Sequence[int]],
    day_label: Callable,
    number_label: Callable[[int], str],
) -> dict:
    """Points of each series (one per day), the y ticks and up to ``X_TICKS`` dated ticks."""
    left, top = LINE_MARGIN["left"], LINE_MARGIN["top"]
    right = WIDTH - LINE_MARGIN["right"]
    bottom = LINE_HEIGHT - LINE_MARGIN["bottom"]
    highest = max((max(values, default=0) for values in series.values()), default=0)
    step = nice_step(highest / Y_TICKS)
    ceiling = step * Y_TICKS
    count = len(days)

    def x(index: int) -> float:
        if count == 1:
            return (left + right) / 2
        return left + index * (right - left) / (count - 1)

    def y(value: int) -> float:
        return bottom - value * (bottom - top) / ceiling

    indexes = sorted({round(k * (count - 1) / (X_TICKS - 1)) for k in range(X_TICKS)})
    if count == 1:
        indexes = [0]
    return {
        "width": WIDTH,
        "height": LINE_HEIGHT,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "y_ticks": [
            {"y": _r(y(step * k)), "label": number_label(step * k)} for k in range(Y_TICKS + 1)
        ],
        "x_ticks": [
            {"x": _r(x(i)), "label": day_label(days[i]), "anchor": _anchor(i, count)}
            for i in indexes
        ],
        "lines": {
            name: " ".join(f"{_r(x(i))},{_r(y(v))}" for i, v in enumerate(values))
            for name, values in series.items()
        },
        # One day draws no line: its dots show the values.
        "dots": (
            {
                name: {
                    "x": _r(x(0)),
                    "y": _r(y(values[0])),
                    "corner_x": _r(x(0) - 5),
                    "corner_y": _r(y(values[0]) - 5),
                }
                for name, values in series.items()
            }
            if count == 1
            else {}
        ),
    }


def _anchor(index: int, count: int) -> str:
    if count > 1 and index == 0:
        return "start"
    if count > 1 and index == count - 1:
        return "end"
    return "middle"


def bar_chart(*, rows: Sequence[dict]) -> dict:
    """Horizontal bars, longest first; each row has ``label`` and ``value`` (a number) and
    ``value_label`` (its text)."""
    highest = max((row["value"] for row in rows), default=0) or 1
    room = WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    bars = []
    for index, row in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = max(row["value"] * room / highest, 1 if row["value"] else 0)
        label = row["label"]
        if len(label) > BAR_LABEL_CHARS:
            label = label[: BAR_LABEL_CHARS - 1] + "…"
        bars.append(
            {
                "label": label,
                "value_label": row["value_label"],
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "width": _r(width),
                "value_x": _r(BAR_LABEL_WIDTH + width + 8),
            }
        )
    return {
        "width": WIDTH,
        "height": BAR_GAP + len(rows) * (BAR_HEIGHT + BAR_GAP),
        "label_x": BAR_LABEL_WIDTH - 10,
        "bar_x": BAR_LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def share_chart(*, parts: Sequence[dict]) -> dict:
    """A 100 % bar cut into ``parts`` (each with ``value``, ``short``, ``text``, ``css``), and one
    legend line per part under it, so no part is told by its colour alone."""
    total = sum(part["value"] for part in parts)
    bar_top, bar_height, left, room = 8, 36, 0, WIDTH
    segments, x = [], float(left)
    for index, part in enumerate(parts):
        width = part["value"] * room / total if total else 0
        legend_y = bar_top + bar_height + 28 + index * 28
        segments.append(
            {
                **part,
                "x": _r(x),
                "width": _r(width),
                # The short label fits inside a part at least this wide.
                "wide": width >= SHARE_LABEL_MIN_WIDTH,
                "label_x": _r(x + 10),
                "legend_y": legend_y,
                "swatch_y": legend_y - 14,
            }
        )
        x += width
    return {
        "width": WIDTH,
        "height": bar_top + bar_height + 16 + len(parts) * 28,
        "bar_top": bar_top,
        "bar_height": bar_height,
        "segments": segments,
    }

"""Horizontal bar charts as plain geometry for the SVG template (reports/_bar_chart.html).

Server-rendered, no script: each chart is an <svg role="img"> with a <title> and <desc>, and the
page shows the same numbers in a table beside it.
"""

from dataclasses import dataclass

WIDTH = 700
LABEL_WIDTH = 290
VALUE_WIDTH = 60
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(key: str, title: str, pairs: list[tuple[str, float]], unit: str) -> Chart:
    """Bars scaled to the largest value; an empty chart when every value is 0."""
    values = [float(v or 0) for _, v in pairs]
    top = max(values, default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, ((label, _), value) in enumerate(zip(pairs, values, strict=True)):
        y = index * ROW_HEIGHT + 4
        width = round(room * value / top, 1)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 4,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    description = "; ".join(
        f"{label}: {_number(v)} {unit}" for (label, _), v in zip(pairs, values, strict=True)
    )
    return Chart(
        key=key,
        title=title,
        description=description or "No data",
        bars=bars,
        width=WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
    )

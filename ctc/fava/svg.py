"""Charts as inline SVG, drawn on the server from exact figures.

Every mark (a bar segment, a point, a flow) carries a `data-value` attribute
with its exact amount in dot-decimal kronor and a `<title>` a screen reader
and a mouse can read. Drawing on the server keeps the charts free of
JavaScript, identical to the report figures, and readable without a network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from ctc.numbers import csv_amount, format_number, format_sek

WIDTH = 760
HEIGHT = 320
MARGIN_LEFT = 70
MARGIN_RIGHT = 16
MARGIN_TOP = 28
MARGIN_BOTTOM = 40

PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
"""Okabe-Ito colours: distinguishable with the common colour-vision deficiencies."""


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one value per category."""

    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Flow:
    """An amount moving from one node to another (a växling line)."""

    source: str
    target: str
    amount: Decimal


NumberFormat = Callable[[Decimal], str]
"""How a chart writes its numbers (axis, totals, titles)."""


def money(unit: str = "tkr") -> NumberFormat:
    """Amounts in `unit`, the Swedish way: `1 234`."""
    return lambda value: format_sek(value, unit)


TKR = money("tkr")


def fte(value: Decimal) -> str:
    """A number of full-time equivalents: `4,75`."""
    return format_number(value, 2)


def colour(index: int) -> str:
    """The palette colour for the series at `index`."""
    return PALETTE[index % len(PALETTE)]


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(label: str, body: list[str], height: int = HEIGHT) -> str:
    return (
        f'<svg class="ctc-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{_attr(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _nice_step(span: Decimal) -> Decimal:
    """A round tick step giving about five ticks over `span`."""
    raw = span / 5 if span > 0 else Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, 5, 10):
        if raw <= magnitude * factor:
            return magnitude * factor
    return magnitude * 10


class _Scale:
    """Maps amounts onto the plot's vertical axis."""

    def __init__(self, low: Decimal, high: Decimal, height: int = HEIGHT) -> None:
        # The axis always includes zero, so the step follows the whole span to zero.
        step = _nice_step(max(high, Decimal(0)) - min(low, Decimal(0)))
        self.low = min(Decimal(0), (low / step).to_integral_value(rounding="ROUND_FLOOR") * step)
        self.high = max(step, (high / step).to_integral_value(rounding="ROUND_CEILING") * step)
        self.step = step
        self.top = MARGIN_TOP
        self.bottom = height - MARGIN_BOTTOM

    def y(self, value: Decimal) -> float:
        share = (value - self.low) / (self.high - self.low)
        return float(self.bottom - share * (self.bottom - self.top))

    def ticks(self, tick_text: Callable[[Decimal], str]) -> list[str]:
        """Grid lines with their labels, from the axis' low end to its high end."""
        marks = []
        value = self.low
        while value <= self.high:
            y = self.y(value)
            marks.append(
                f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="#ddd" stroke-width="1"/>'
                f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                f"{escape(tick_text(value))}</text>"
            )
            value += self.step
        return marks


@dataclass(frozen=True, slots=True)
class _Box:
    """Where a bar segment is drawn: its top left corner, width and height."""

    x: float
    y: float
    width: float
    height: float


def _bar(
    box: _Box,
    index: int,
    value: Decimal,
    series: str,
    category: str,
    number: NumberFormat,
    suffix: str,
) -> str:
    """One bar segment with its exact value and a readable title."""
    return (
        f'<rect class="ctc-mark" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
        f'height="{max(box.height, 0.5):.1f}" fill="{colour(index)}" '
        f'data-value="{csv_amount(value)}" data-series="{_attr(series)}" '
        f'data-category="{_attr(category)}"><title>{escape(series)} {escape(category)}: '
        f"{escape(number(value))} {suffix}</title></rect>"
    )


def _band(categories: Sequence[str]) -> tuple[float, float]:
    """Width of one category's band and of a bar inside it."""
    band = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(categories), 1)
    return band, band * 0.62


def _category_labels(categories: Sequence[str], band: float, height: int = HEIGHT) -> list[str]:
    return [
        f'<text x="{MARGIN_LEFT + band * (i + 0.5):.1f}" y="{height - MARGIN_BOTTOM + 16}" '
        f'text-anchor="middle" font-size="12">{escape(name)}</text>'
        for i, name in enumerate(categories)
    ]


def _legend(names: Sequence[str], height: int = HEIGHT) -> list[str]:
    marks = []
    x = MARGIN_LEFT
    for index, name in enumerate(names):
        marks.append(
            f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{colour(index)}"/>'
            f'<text x="{x + 14}" y="{height - 7}" font-size="11">{escape(name)}</text>'
        )
        x += 22 + 7 * len(name)
    return marks


def stacked_bars(
    label: str,
    categories: Sequence[str],
    series: Sequence[Series],
    number: NumberFormat = TKR,
    suffix: str = "tkr",
) -> str:
    """Bars per category, stacked by series, with each bar's total on top."""
    columns = range(len(categories))
    totals = [sum((s.values[i] for s in series), Decimal(0)) for i in columns]
    highs = [sum((max(s.values[i], Decimal(0)) for s in series), Decimal(0)) for i in columns]
    lows = [sum((min(s.values[i], Decimal(0)) for s in series), Decimal(0)) for i in columns]
    scale = _Scale(min(lows, default=Decimal(0)), max(highs, default=Decimal(0)))
    band, width = _band(categories)
    body = scale.ticks(number)
    for i, category in enumerate(categories):
        x = MARGIN_LEFT + band * i + (band - width) / 2
        up = down = Decimal(0)
        for index, one in enumerate(series):
            value = one.values[i]
            if value == 0:
                continue
            start = up if value > 0 else down
            end = start + value
            up, down = (end, down) if value > 0 else (up, end)
            y1, y2 = scale.y(max(start, end)), scale.y(min(start, end))
            box = _Box(x, y1, width, y2 - y1)
            body.append(_bar(box, index, value, one.name, category, number, suffix))
        body.append(
            f'<text class="ctc-total" x="{x + width / 2:.1f}" y="{scale.y(highs[i]) - 5:.1f}" '
            f'text-anchor="middle" font-size="11" font-weight="bold" '
            f'data-value="{csv_amount(totals[i])}" data-category="{_attr(category)}">'
            f"{escape(number(totals[i]))}</text>"
        )
    body += _category_labels(categories, band) + _legend([s.name for s in series])
    return _svg(label, body)


def grouped_bars(
    label: str,
    categories: Sequence[str],
    series: Sequence[Series],
    number: NumberFormat = TKR,
    suffix: str = "tkr",
) -> str:
    """Bars side by side per category, one per series."""
    values = [v for s in series for v in s.values]
    scale = _Scale(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    band, width = _band(categories)
    slot = width / max(len(series), 1)
    body = scale.ticks(number)
    zero = scale.y(Decimal(0))
    for i, category in enumerate(categories):
        for index, one in enumerate(series):
            value = one.values[i]
            x = MARGIN_LEFT + band * i + (band - width) / 2 + slot * index
            y = scale.y(value)
            top, height = min(y, zero), abs(zero - y)
            box = _Box(x, top, slot * 0.9, height)
            body.append(_bar(box, index, value, one.name, category, number, suffix))
    body += _category_labels(categories, band) + _legend([s.name for s in series])
    return _svg(label, body)


@dataclass(frozen=True, slots=True)
class Span:
    """A span of categories to shade on a line chart, with its total written in it."""

    first: int
    last: int
    text: str
    value: Decimal


def _span_marks(span: Span, scale: _Scale, band: float) -> list[str]:
    return [
        f'<rect class="ctc-span" x="{MARGIN_LEFT + band * span.first:.1f}" y="{MARGIN_TOP}" '
        f'width="{band * (span.last - span.first + 1):.1f}" height="{scale.bottom - MARGIN_TOP}" '
        'fill="#fff3c4"/>',
        f'<text class="ctc-span-total" x="{MARGIN_LEFT + band * span.first + 6:.1f}" '
        f'y="{MARGIN_TOP + 16}" font-size="13" font-weight="bold" '
        f'data-value="{csv_amount(span.value)}">{escape(span.text)}</text>',
    ]


def lines(
    label: str,
    categories: Sequence[str],
    series: Sequence[Series],
    number: NumberFormat = TKR,
    suffix: str = "tkr",
    span: Span | None = None,
) -> str:
    """Lines through each series' values; `span` shades a stretch and writes its total."""
    values = [v for s in series for v in s.values]
    scale = _Scale(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    band, _ = _band(categories)
    body = scale.ticks(number)
    if span is not None:
        body += _span_marks(span, scale, band)
    for index, one in enumerate(series):
        points = [(MARGIN_LEFT + band * (i + 0.5), scale.y(v)) for i, v in enumerate(one.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour(index)}" stroke-width="2"/>'
        )
        for (x, y), value, category in zip(points, one.values, categories, strict=True):
            body.append(
                f'<circle class="ctc-mark" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour(index)}" '
                f'data-value="{csv_amount(value)}" data-series="{_attr(one.name)}" '
                f'data-category="{_attr(category)}"><title>{escape(one.name)} {escape(category)}: '
                f"{escape(number(value))} {suffix}</title></circle>"
            )
    body += _category_labels(categories, band) + _legend([s.name for s in series])
    return _svg(label, body)


def flows(
    label: str, items: Sequence[Flow], number: NumberFormat = TKR, suffix: str = "tkr"
) -> str:
    """A Sankey-style diagram: givers on the left, receivers on the right, a band per flow."""
    givers = _node_totals(items, lambda f: f.source)
    receivers = _node_totals(items, lambda f: f.target)
    total = sum(givers.values(), Decimal(0)) or Decimal(1)
    usable = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 8 * max(len(givers), len(receivers))
    per_krona = Decimal(max(usable, 40)) / total
    left_x, right_x, node_w = MARGIN_LEFT + 40, WIDTH - MARGIN_RIGHT - 140, 14
    left = _node_positions(givers, per_krona)
    right = _node_positions(receivers, per_krona)
    body = [
        f'<text x="{MARGIN_LEFT}" y="16" font-size="13" font-weight="bold">{escape(label)} ({suffix})</text>'
    ]
    for names, positions, x, anchor, dx in (
        (givers, left, left_x, "end", -6),
        (receivers, right, right_x, "start", node_w + 6),
    ):
        for index, name in enumerate(names):
            top, size = positions[name]
            body.append(
                f'<rect x="{x}" y="{top:.1f}" width="{node_w}" height="{max(size, 1):.1f}" '
                f'fill="{colour(index)}" data-value="{csv_amount(names[name])}" '
                f'data-node="{_attr(name)}"/>'
                f'<text x="{x + dx}" y="{top + size / 2 + 4:.1f}" text-anchor="{anchor}" font-size="12">'
                f"{escape(name)} {escape(number(names[name]))}</text>"
            )
    offsets = {name: left[name][0] for name in left}
    in_offsets = {name: right[name][0] for name in right}
    order = list(givers)
    for flow in sorted(
        items, key=lambda f: (order.index(f.source), list(receivers).index(f.target))
    ):
        size = float(flow.amount * per_krona)
        y1 = offsets[flow.source] + size / 2
        y2 = in_offsets[flow.target] + size / 2
        offsets[flow.source] += size
        in_offsets[flow.target] += size
        x1, x2 = left_x + node_w, right_x
        middle = (x1 + x2) / 2
        body.append(
            f'<path class="ctc-mark" d="M{x1},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2},{y2:.1f}" '
            f'fill="none" stroke="{colour(order.index(flow.source))}" stroke-opacity="0.45" '
            f'stroke-width="{max(size, 1):.1f}" data-value="{csv_amount(flow.amount)}" '
            f'data-source="{_attr(flow.source)}" data-target="{_attr(flow.target)}">'
            f"<title>{escape(flow.source)} → {escape(flow.target)}: "
            f"{escape(number(flow.amount))} {suffix}</title></path>"
        )
    return _svg(label, body)


def _node_totals(items: Sequence[Flow], key: Callable[[Flow], str]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[key(item)] = totals.get(key(item), Decimal(0)) + item.amount
    return totals


def _node_positions(
    nodes: dict[str, Decimal], per_krona: Decimal
) -> dict[str, tuple[float, float]]:
    positions = {}
    top = float(MARGIN_TOP)
    for name, amount in nodes.items():
        size = float(amount * per_krona)
        positions[name] = (top, size)
        top += size + 8
    return positions

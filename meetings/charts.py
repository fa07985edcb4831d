"""Chart geometry for server-rendered SVG: plain numbers in, coordinates out.

The templates in ``templates/includes/chart_*.html`` draw what these functions lay out.
Nothing here queries the database, and no chart needs JavaScript: it prints as it shows,
and a strict Content-Security-Policy has nothing to forbid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    """One stacked series: a colour that holds 3:1 against white, and a pattern for grey print."""

    key: str
    label: str
    colour: str
    pattern: str  # solid, diagonal, dots, cross, horizontal, vertical
    plural: str = ""  # "calls"; the label in lower case when empty

    def counted(self, value: int) -> str:
        """ "1 call", "3 calls": a series' count in words."""
        return f"{value} {self.label.lower() if value == 1 else self.plural or self.label.lower()}"

    def fill(self, chart_id: str) -> str:
        """The colour, or the pattern the chart ``chart_id`` defines for this series."""
        return self.colour if self.pattern == "solid" else f"url(#{chart_id}-{self.key})"


@dataclass(frozen=True)
class Column:
    key: object
    label: str  # short, under the bar: "Mar"
    sublabel: str  # second line, e.g. the year under January
    full_label: str  # "March 2026"
    url: str = ""


@dataclass
class Segment:
    series: Series
    value: int
    y: float
    height: float
    fill: str = ""


@dataclass
class Bar:
    column: Column
    total: int
    x: float
    width: float
    segments: list[Segment]
    top: float  # where the bar ends; the total sits just above
    slot_x: float = 0  # the bar's whole column, the area that takes a click
    slot_width: float = 0

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def total_y(self) -> float:
        return round(self.top - 5, 1)

    @property
    def description(self) -> str:
        """What a screen reader hears for this bar: the total, then each series."""
        noun = "meeting" if self.total == 1 else "meetings"
        parts = ", ".join(s.series.counted(s.value) for s in self.segments)
        return f"{self.column.full_label}: {self.total} {noun}" + (f" ({parts})" if parts else "")


@dataclass
class Tick:
    value: int
    y: float

    @property
    def label_y(self) -> float:
        return round(self.y + 4, 1)


@dataclass
class StackedBars:
    width: int
    height: int
    left: float
    right: float
    top: float
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    series: list[Series]  # only those with data, in legend order
    rows: list[tuple[Column, list[int], int]] = field(default_factory=list)  # for the data table
    chart_id: str = "chart"  # prefixes the pattern ids, unique on the page

    @property
    def legend(self) -> list[tuple[Series, str]]:
        return [(s, s.fill(self.chart_id)) for s in self.series]

    @property
    def total(self) -> int:
        return sum(bar.total for bar in self.bars)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @property
    def tick_x(self) -> float:
        return self.left - 6

    @property
    def hit_height(self) -> float:
        """From the top of the plot to the bottom of the month labels."""
        return round(self.height - self.top, 1)

    @property
    def label_y(self) -> float:
        return self.baseline + 17

    @property
    def sublabel_y(self) -> float:
        return self.baseline + 33


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most ``ticks`` gridlines above zero."""
    raw = max(maximum, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return max(1, int(multiple * magnitude))
    return max(1, int(10 * magnitude))  # pragma: no cover - the loop always returns


def stacked_bars(
    columns: list[Column],
    series: list[Series],
    values: dict[tuple[object, str], int],
    *,
    chart_id: str = "chart",
    width: int = 560,
    height: int = 250,
) -> StackedBars:
    """Lay out one stacked bar per column; ``values`` maps (column key, series key) to a count."""
    left, right, top, bottom = 30.0, width - 6.0, 22.0, height - 40.0
    totals = [sum(values.get((c.key, s.key), 0) for s in series) for c in columns]
    step = nice_step(max(totals, default=0))
    ceiling = step * max(1, math.ceil(max(totals, default=0) / step))
    scale = (bottom - top) / ceiling
    slot = (right - left) / max(len(columns), 1)
    bar_width = round(slot * 0.66, 1)

    bars, rows = [], []
    for index, (column, total) in enumerate(zip(columns, totals, strict=True)):
        x = round(left + index * slot + (slot - bar_width) / 2, 1)
        y, segments = bottom, []
        for s in series:
            value = values.get((column.key, s.key), 0)
            if value:
                h = value * scale
                y -= h
                segments.append(Segment(s, value, round(y, 1), round(h, 1), s.fill(chart_id)))
        slot_x = round(left + index * slot, 1)
        bars.append(Bar(column, total, x, bar_width, segments, round(y, 1), slot_x, round(slot, 1)))
        rows.append((column, [values.get((column.key, s.key), 0) for s in series], total))

    used = [s for s in series if any(values.get((c.key, s.key), 0) for c in columns)]
    keep = [series.index(s) for s in used]
    rows = [(column, [counts[i] for i in keep], total) for column, counts, total in rows]
    ticks = [Tick(v, round(bottom - v * scale, 1)) for v in range(0, ceiling + 1, step)]
    return StackedBars(width, height, left, right, top, bottom, bars, ticks, used, rows, chart_id)


@dataclass
class ListBar:
    """One row of a horizontal bar list: the name in HTML, the bar as a stretched SVG rect."""

    label: str
    value: int
    percent: float
    url: str
    key: str = ""


def bar_list(items: list[tuple[str, int, str, str]]) -> list[ListBar]:
    """(label, value, url, key) rows, longest bar 100 wide; the template stretches it to fit."""
    longest = max((value for _, value, _, _ in items), default=0) or 1
    return [
        ListBar(label, value, round(100 * value / longest, 1), url, key) for label, value, url, key in items
    ]


@dataclass
class HeatCell:
    value: int
    level: int  # 0 (none) to 4 (the most in the grid)
    title: str
    older: bool = False  # left out on a phone, where only the latest columns fit


@dataclass
class HeatRow:
    label: str
    context: str  # e.g. the parent topic
    url: str
    cells: list[HeatCell]

    @property
    def total(self) -> int:
        return sum(cell.value for cell in self.cells)


def heat_levels(
    rows: list[tuple[str, str, str, list[int]]], column_labels: list[str], *, keep_on_phone: int = 4
) -> list[HeatRow]:
    """Shade each cell by its share of the largest cell, in four steps; empty stays blank.

    All but the last ``keep_on_phone`` columns are marked ``older``, for a phone to leave out.
    """
    largest = max((v for *_, values in rows for v in values), default=0) or 1
    first_kept = len(column_labels) - keep_on_phone
    return [
        HeatRow(
            label,
            context,
            url,
            [
                HeatCell(v, math.ceil(4 * v / largest) if v else 0, f"{label}, {column}: {v}", i < first_kept)
                for i, (v, column) in enumerate(zip(values, column_labels, strict=True))
            ],
        )
        for label, context, url, values in rows
    ]

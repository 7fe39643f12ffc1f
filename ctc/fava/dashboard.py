"""The dashboard's panels, computed from the ledger through the report layer.

Each panel is a chart and the table of the very same figures, so the numbers
can be read by a screen reader, copied and checked. All figures come from
`ctc.reports`, the layer `ctc report` prints from, so the dashboard and the
command line agree to the öre. Nothing here knows about Flask: the extension
passes in the (filtered) entries and gets panels back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from beancount.core import data

from ctc.accounts import KINDS
from ctc.fava import svg
from ctc.numbers import format_sek
from ctc.reports.frame import CostLine, cost_lines
from ctc.reports.labels import label

UNIT = "tkr"
MOTION_SPAN = (2018, 2023)
"""The span a cost motion asked for; the cumulative chart marks it by default."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text, its exact amount (if a figure) and a link behind it."""

    text: str
    value: Decimal | None = None
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Panel:
    """One chart and the table of its figures."""

    key: str
    title: str
    chart: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every panel of the dashboard for one ledger and filter."""

    panels: tuple[Panel, ...]
    years: tuple[int, ...]
    span: tuple[int, int] | None
    synthetic: bool = False


AccountPredicate = Callable[[str], bool]
"""Whether a posting's account passes Fava's account filter."""


def journal_link(
    account: str | None = None, time: str | None = None, filter_: str | None = None
) -> str:
    """A link to Fava's journal narrowed to the entries behind a figure."""
    params = {k: v for k, v in (("account", account), ("time", time), ("filter", filter_)) if v}
    return f"../../journal/?{urlencode(params)}"


def _money(value: Decimal, href: str | None = None) -> Cell:
    return Cell(format_sek(value, UNIT), value, href)


def _pivot(
    lines: Sequence[CostLine], column: Callable[[CostLine], str]
) -> tuple[list[int], dict[tuple[int, str], Decimal]]:
    cells: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        cells[(line.year, column(line))] += line.amount
    return sorted({line.year for line in lines}), cells


def _pivot_panel(
    key: str,
    title: str,
    lines: Sequence[CostLine],
    columns: Sequence[tuple[str, str]],
    column: Callable[[CostLine], str],
    link: Callable[[str, int], str | None],
) -> Panel:
    """A stacked-bar panel of cost per year, one series per column, with its table."""
    years, cells = _pivot(lines, column)
    series = [
        svg.Series(name, tuple(cells.get((year, key_), Decimal(0)) for year in years))
        for key_, name in columns
    ]
    chart = svg.stacked_bars(title, [str(y) for y in years], series, UNIT)
    rows = []
    for year in years:
        values = [cells.get((year, key_), Decimal(0)) for key_, _ in columns]
        rows.append(
            (
                Cell(str(year)),
                *(_money(v, link(k, year)) for v, (k, _) in zip(values, columns, strict=True)),
                _money(sum(values, Decimal(0)), link("", year)),
            )
        )
    totals = [sum((cells.get((y, k), Decimal(0)) for y in years), Decimal(0)) for k, _ in columns]
    rows.append(
        (Cell(label("total")), *(_money(v) for v in totals), _money(sum(totals, Decimal(0))))
    )
    grand = sum(totals, Decimal(0))
    caption = (
        f"{title}. Totalt {format_sek(grand, 'mnkr')} mnkr för {years[0]}–{years[-1]}."
        if years
        else title
    )
    header = ("År", *(name for _, name in columns), label("total"))
    return Panel(key, title, chart, caption, header, tuple(rows), frozenset({len(rows) - 1}))


def yearly_by_committee(
    lines: Sequence[CostLine], committees: Sequence[str], programme: str
) -> Panel:
    """Cost per year stacked by committee, with the total on each bar."""
    present = [c for c in committees if any(line.committee == c for line in lines)]

    def link(committee: str, year: int) -> str:
        account = (
            f"Expenses:[^:]+:{committee}:{programme}" if committee else f"Expenses:.*:{programme}"
        )
        return journal_link(account, str(year))

    return _pivot_panel(
        "yearly-committee",
        "Kostnad per år och nämnd",
        lines,
        [(c, c) for c in present],
        lambda line: line.committee,
        link,
    )


def yearly_by_kind(lines: Sequence[CostLine], programme: str) -> Panel:
    """Cost per year stacked by kind: salary, PO and the kinds of other costs."""
    present = [k for k in KINDS if any(line.kind == k for line in lines)]

    def link(kind: str, year: int) -> str:
        return journal_link(f"Expenses:.*:{programme}", str(year))

    return _pivot_panel(
        "yearly-kind",
        "Kostnad per år och kostnadstyp",
        lines,
        [(k, label(k)) for k in present],
        lambda line: line.kind,
        link,
    )


def cumulative(lines: Sequence[CostLine], span: tuple[int, int] | None) -> Panel:
    """Cumulative cost over the years, with the total of a chosen span marked."""
    years, cells = _pivot(lines, lambda line: "all")
    yearly = [cells[(year, "all")] for year in years]
    running: list[Decimal] = []
    for value in yearly:
        running.append((running[-1] if running else Decimal(0)) + value)
    marked = None
    span_total = Decimal(0)
    if span is not None and years:
        first, last = max(span[0], years[0]), min(span[1], years[-1])
        chosen = [i for i, year in enumerate(years) if first <= year <= last]
        if chosen:
            marked = (chosen[0], chosen[-1])
            span_total = sum((yearly[i] for i in chosen), Decimal(0))
    title = "Ackumulerad kostnad"
    note = None
    if marked is not None:
        note = f"{years[marked[0]]}–{years[marked[1]]}: {format_sek(span_total, 'mnkr')} mnkr"
    chart = svg.lines(
        title,
        [str(y) for y in years],
        [svg.Series("Ackumulerat", tuple(running))],
        UNIT,
        marked,
        note,
        span_total if marked is not None else None,
    )
    rows = [
        (Cell(str(year)), _money(value), _money(total))
        for year, value, total in zip(years, yearly, running, strict=True)
    ]
    caption = title
    if marked is not None:
        first_year, last_year = years[marked[0]], years[marked[1]]
        rows.append((Cell(f"Summa {first_year}–{last_year}"), _money(span_total), Cell("")))
        caption = (
            f"Kostnaden {first_year}–{last_year} är {format_sek(span_total, 'mnkr')} mnkr "
            f"({format_sek(span_total, 'kr')} kr)."
        )
    header = ("År", "Årets kostnad", "Ackumulerat")
    totals = frozenset({len(rows) - 1}) if marked is not None else frozenset()
    return Panel("cumulative", title, chart, caption, header, tuple(rows), totals)


def filter_lines(lines: Sequence[CostLine], account_ok: AccountPredicate | None) -> list[CostLine]:
    """Keep the cost lines whose account passes the account filter."""
    return (
        list(lines) if account_ok is None else [line for line in lines if account_ok(line.account)]
    )


def build_dashboard(
    entries: Sequence[data.Directive],
    programme: str,
    committees: Sequence[str],
    account_ok: AccountPredicate | None = None,
    span: tuple[int, int] | None = MOTION_SPAN,
    synthetic: bool = False,
) -> Dashboard:
    """All panels for the given (already time-filtered) entries."""
    lines = filter_lines(cost_lines(entries, programme), account_ok)
    years = tuple(sorted({line.year for line in lines}))
    if not lines:
        return Dashboard((), years, span, synthetic)
    panels = (
        yearly_by_committee(lines, committees, programme),
        yearly_by_kind(lines, programme),
        cumulative(lines, span),
    )
    return Dashboard(panels, years, span, synthetic)

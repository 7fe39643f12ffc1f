"""The dashboard's panels, computed from the ledger through the report layer.

Each panel is one or more charts and the tables of the very same figures, so
the numbers can be read by a screen reader, copied and checked. All figures
come from `ctc.reports` (the frame and the report functions `ctc report`
prints from), so the dashboard and the command line agree to the öre.
Nothing here knows about Flask: the extension passes in a frame built from
Fava's filtered entries and gets panels back.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ctc.accounts import INCOME_KINDS, INTERNAL, KINDS, kommunbidrag_account
from ctc.errors import UserError
from ctc.fava import svg
from ctc.numbers import csv_amount, format_number, format_sek
from ctc.reports.budget import budget_rows, budget_table
from ctc.reports.frame import AccountPredicate, Frame
from ctc.reports.labels import label
from ctc.reports.positions import (
    committee_table,
    committee_years,
    distinct_positions,
    position_years,
    stints,
)
from ctc.reports.result import Cells, Table, display
from ctc.reports.sources import cite_id
from ctc.reports.transfers import TransferSummary, summary_table, transfer_summaries
from ctc.reports.yearly import yearly_rows
from ctc.transfers import Transfer

if TYPE_CHECKING:
    from ctc.fava.downloads import DownloadForm

UNIT = "tkr"
MOTION_SPAN = (2018, 2023)
"""The span a cost motion asked for; the cumulative chart marks it by default."""
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text, its exact figure (if any) and a link behind it."""

    text: str
    value: Decimal | None = None
    href: str | None = None
    header: bool = False
    """A row's label (shown as a row header)."""

    @property
    def data_value(self) -> str | None:
        """The exact figure for the `data-value` attribute: dot decimal, two decimals."""
        return csv_amount(self.value) if self.value is not None else None


@dataclass(frozen=True, slots=True)
class PanelTable:
    """A table of figures under a chart."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: frozenset[int] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Panel:
    """One question answered: charts, a caption with the key figure, and tables."""

    key: str
    title: str
    charts: tuple[str, ...]
    caption: str
    tables: tuple[PanelTable, ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every panel of the dashboard for one ledger and filter."""

    panels: tuple[Panel, ...]
    years: tuple[int, ...]
    span: tuple[int, int] | None
    synthetic: bool = False


# --- Links -------------------------------------------------------------------------------


def journal_link(
    account: str | None = None, time: str | None = None, filter_: str | None = None
) -> str:
    """A link to Fava's journal narrowed to the entries behind a figure."""
    params = {k: v for k, v in (("account", account), ("time", time), ("filter", filter_)) if v}
    return f"../../journal/?{urlencode(params)}"


def decision_link(ident: str) -> str:
    """Every entry citing a decision: its links, and `decision:` metadata on directives."""
    return journal_link(filter_=f'^{ident}, decision:"^{ident}$"')


# --- Tables -----------------------------------------------------------------------------


def _money(value: Decimal, href: str | None = None) -> Cell:
    return Cell(format_sek(value, UNIT), value, href)


def from_report_table(
    table: Table, unit: str, link: Callable[[Cells], str | None] | None = None
) -> PanelTable:
    """A report's table as a panel table: the same rows, cells and totals."""
    rows = []
    totals = set()
    for index, row in enumerate(table.rows):
        cells = []
        for position, (value, column) in enumerate(zip(row.cells, table.columns, strict=True)):
            text = display(value, column, unit)
            exact = (
                Decimal(value)
                if column.is_number and isinstance(value, Decimal | int) and column.kind != "int"
                else None
            )
            href = link(row.cells) if link and position == 0 and not row.total else None
            cells.append(Cell(text, exact, href, header=position == 0))
        rows.append(tuple(cells))
        if row.total:
            totals.add(index)
    header = tuple(f"{c.title} ({unit})" if c.kind == "money" else c.title for c in table.columns)
    return PanelTable(table.title, header, tuple(rows), frozenset(totals), table.notes)


# --- Yearly cost -----------------------------------------------------------------------------


def _pivot_panel(
    key: str,
    title: str,
    years: Sequence[int],
    columns: Sequence[tuple[str, str]],
    cells: dict[tuple[int, str], Decimal],
    link: Callable[[str, int], str],
) -> Panel:
    """A stacked-bar panel of cost per year, one series per column, with its table."""
    series = [
        svg.Series(name, tuple(cells.get((y, k), ZERO) for y in years)) for k, name in columns
    ]
    chart = svg.stacked_bars(title, [str(y) for y in years], series)
    rows = []
    for year in years:
        values = [cells.get((year, k), ZERO) for k, _ in columns]
        rows.append(
            (
                Cell(str(year), header=True),
                *(_money(v, link(k, year)) for v, (k, _) in zip(values, columns, strict=True)),
                _money(sum(values, ZERO), link("", year)),
            )
        )
    totals = [sum((cells.get((y, k), ZERO) for y in years), ZERO) for k, _ in columns]
    rows.append(
        (Cell(label("total"), header=True), *(_money(v) for v in totals), _money(sum(totals, ZERO)))
    )
    grand = sum(totals, ZERO)
    caption = f"{title}: totalt {format_sek(grand, 'mnkr')} mnkr {years[0]}–{years[-1]}."
    header = ("År", *(name for _, name in columns), label("total"))
    table = PanelTable(f"{title}, tkr", header, tuple(rows), frozenset({len(rows) - 1}))
    return Panel(key, title, (chart,), caption, (table,))


ROOTS = "(Expenses|Income)"
"""The roots of the programme's cost and income accounts, for journal links."""
INTERNAL_LEAVES = "(Ovrigt|Intakter):Interna"
"""The leaves of the internal items' accounts, for the eliminations' journal link."""


def cost_accounts(municipality: str, committee: str, programme: str) -> str:
    """A pattern for a committee's (or, with `.*`, every) cost and income accounts, not its kommunbidrag."""
    return (
        f"^(Expenses:{municipality}:{committee}:{programme}"
        f"|Income:{municipality}:{committee}:{programme}:Intakter)"
    )


def yearly_by_committee(frame: Frame) -> Panel:
    """Net cost per year stacked by committee, with the total on each bar (as `report yearly`).

    Each committee's own figure is its stack; the city-wide eliminations of
    internal items are a stack of their own, so each bar's total is the
    city's net cost, as the yearly CSV's rows sum to.
    """
    rows = yearly_rows(
        frame.city_lines,
        ("committee",),
        committee_order=frame.committee_order,
        qualify=frame.multi_municipality,
    )
    years = sorted({r.year for r in rows})
    cells: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        cells[(r.year, INTERNAL if r.cost_type == INTERNAL else r.committee)] += r.amount
    committees = list(dict.fromkeys(key for _, key in cells))
    municipality = {line.committee: line.municipality for line in frame.costs}

    def link(committee: str, year: int) -> str:
        if not committee:
            return journal_link(cost_accounts("[^:]+", "[^:]+", frame.programme), str(year))
        if committee == INTERNAL:
            return journal_link(f"^{ROOTS}:.*:{frame.programme}:{INTERNAL_LEAVES}$", str(year))
        short = committee.split(":")[-1]
        place = municipality.get(short, "[^:]+")
        return journal_link(cost_accounts(place, short, frame.programme), str(year))

    return _pivot_panel(
        "yearly-committee",
        "Kostnad per år och nämnd",
        years,
        [(c, label(c) if c == INTERNAL else c) for c in committees],
        cells,
        link,
    )


def yearly_by_kind(frame: Frame) -> Panel:
    """Net cost per year stacked by kind: salary, PO, the kinds of other costs, income, eliminations."""
    cells: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in frame.city_lines:
        cells[(line.year, INTERNAL if line.cost_type == INTERNAL else line.kind)] += line.amount
    years = sorted({line.year for line in frame.costs})
    present = [k for k in (*KINDS, *INCOME_KINDS, INTERNAL) if any(key == k for _, key in cells)]
    leaf = {line.kind: line.account.split(":", 4)[-1] for line in frame.costs}
    leaf[INTERNAL] = INTERNAL_LEAVES

    def link(kind: str, year: int) -> str:
        if not kind:
            return journal_link(cost_accounts("[^:]+", "[^:]+", frame.programme), str(year))
        return journal_link(f"^{ROOTS}:.*:{frame.programme}:{leaf[kind]}$", str(year))

    return _pivot_panel(
        "yearly-kind",
        "Kostnad per år och kostnadstyp",
        years,
        [(k, label(k)) for k in present],
        cells,
        link,
    )


def cumulative(frame: Frame, span: tuple[int, int] | None) -> Panel:
    """Cumulative cost over the years, with the total of a chosen span marked."""
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for line in frame.city_lines:
        per_year[line.year] += line.amount
    years = sorted(per_year)
    yearly = [per_year[y] for y in years]
    running: list[Decimal] = []
    for value in yearly:
        running.append((running[-1] if running else ZERO) + value)
    chosen = [i for i, y in enumerate(years) if span and span[0] <= y <= span[1]]
    title = "Ackumulerad kostnad"
    rows = [
        (Cell(str(y), header=True), _money(v), _money(t))
        for y, v, t in zip(years, yearly, running, strict=True)
    ]
    caption = f"{title}."
    marked = None
    if chosen:
        total = sum((yearly[i] for i in chosen), ZERO)
        first, last = years[chosen[0]], years[chosen[-1]]
        text = f"{first}–{last}: {format_sek(total, 'mnkr')} mnkr"
        marked = svg.Span(chosen[0], chosen[-1], text, total)
        caption = f"Nettokostnaden {first}–{last} är {format_sek(total, 'mnkr')} mnkr ({format_sek(total, 'kr')} kr)."
        rows.append((Cell(f"Summa {first}–{last}", header=True), _money(total), Cell("")))
    categories = [str(y) for y in years]
    chart = svg.lines(title, categories, [svg.Series("Ackumulerat", tuple(running))], span=marked)
    totals = frozenset({len(rows) - 1}) if chosen else frozenset()
    table = PanelTable(f"{title}, tkr", ("År", "Årets kostnad", "Ackumulerat"), tuple(rows), totals)
    return Panel("cumulative", title, (chart,), caption, (table,))


# --- Växlingar ---------------------------------------------------------------------------


def transfer_flows(transfers: Sequence[Transfer]) -> list[svg.Flow]:
    """Who gives to whom: each giving line paired with the receiving line it balances.

    The ledger writes a växling line as a pair of postings of equal size (the
    giver's and the receiver's, same cost type and position); what pairs
    cannot be found is matched from the committees' net amounts.
    """
    flows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for transfer in transfers:
        open_lines = list(transfer.lines)
        while open_lines:
            line = open_lines.pop(0)
            match = next(
                (
                    other
                    for other in open_lines
                    if other.amount == -line.amount
                    and other.cost_type == line.cost_type
                    and other.position == line.position
                ),
                None,
            )
            if match is None:
                continue
            open_lines.remove(match)
            giver, receiver = (line, match) if line.amount < 0 else (match, line)
            flows[(giver.committee, receiver.committee)] += receiver.amount
    return [svg.Flow(g, r, amount) for (g, r), amount in flows.items() if amount]


def transfer_panel(frame: Frame, summary: TransferSummary) -> Panel:
    """One växling: flows for the applicable months and the full year, and its table."""
    ident = cite_id(frame, summary.decision) or "utan beslut"
    applicable = [t for t in summary.transfers if t.period == "applicable-months"]
    full = [t for t in summary.transfers if t.period == "full-year"]
    year = summary.effective.year
    charts = []
    if applicable:
        title = f"Tillämpliga månader {year} ({summary.months}/12)"
        charts.append(svg.flows(title, transfer_flows(applicable)))
    if full:
        charts.append(svg.flows(f"Helårseffekt {year + 1}", transfer_flows(full)))
    table = summary_table(frame, summary, "kr", "sv")
    moved = summary.total("full_year") if full else ZERO
    given = sum((f.full_year or ZERO for f in summary.figures if (f.full_year or ZERO) < 0), ZERO)
    caption = (
        f"Växling enligt {ident}, i kraft {summary.effective}: "
        f"{format_sek(-given, 'kr')} kr i helårseffekt flyttas från "
        f"{', '.join(summary.givers) or '–'} till {', '.join(summary.receivers) or '–'}; "
        f"kontrollsumman är {format_number(moved, 0)} kr."
    )

    municipality = {li.committee: li.municipality for t in summary.transfers for li in t.lines}

    def link(cells: Cells) -> str | None:
        short = str(cells[0]).split(":")[-1]
        if summary.decision is None or short not in municipality:
            return None
        account = kommunbidrag_account(municipality[short], short, frame.programme)
        return journal_link(account, filter_=f"^{summary.decision}")

    panel_table = from_report_table(table, "kr", link)
    key = f"transfer-{summary.decision or summary.effective}"
    return Panel(key, f"Växling {ident}", tuple(charts), caption, (panel_table,))


# --- Positions ---------------------------------------------------------------------------


def fte_panel(frame: Frame, years: Sequence[int]) -> Panel | None:
    """FTE per committee over the years, and the moves of positions between committees."""
    every = position_years(frame)
    rows = [r for r in committee_years(every) if not years or r.year in years]
    if not rows:
        return None
    shown_years = sorted({r.year for r in rows})
    committees = [c for c in frame.committee_order if any(r.committee == c for r in rows)]
    committees += [c for c in dict.fromkeys(r.committee for r in rows) if c not in committees]
    fte = {(r.year, r.committee): r.fte for r in rows}
    series = [svg.Series(c, tuple(fte.get((y, c), ZERO) for y in shown_years)) for c in committees]
    chart = svg.stacked_bars(
        "Årsarbetare (FTE) per nämnd", [str(y) for y in shown_years], series, svg.fte, "årsarbetare"
    )
    moves = [s for s in stints(frame) if s.moved_from]
    move_rows = tuple(
        (
            Cell(s.position, header=True),
            Cell(s.moved_from or ""),
            Cell(s.committee),
            Cell(s.start.isoformat()),
            Cell(
                cite_id(frame, s.decision), href=decision_link(s.decision) if s.decision else None
            ),
        )
        for s in moves
    )
    last = shown_years[-1]
    total = sum((r.fte for r in rows if r.year == last), ZERO)
    vacant = sum((r.vacant_fte for r in rows if r.year == last), ZERO)
    count = distinct_positions(every).get(last, 0)
    caption = (
        f"Programmet finansierade {format_number(total, 2)} årsarbetare i {count} tjänster {last}"
        + (f" ({format_number(vacant, 2)} årsarbetare vakanta)" if vacant else "")
        + f"; {len(moves)} flyttar av tjänster mellan nämnder."
    )
    tables = [from_report_table(committee_table(rows, "sv", distinct_positions(every)), UNIT)]
    if move_rows:
        header = ("Tjänst", "Från nämnd", "Till nämnd", "Från och med", "Beslut")
        tables.append(PanelTable("Flyttar av tjänster", header, move_rows))
    return Panel("positions", "Tjänster per nämnd", (chart,), caption, tuple(tables))


# --- Kommunbidrag against cost ------------------------------------------------------------


def budget_panel(frame: Frame) -> Panel | None:
    """Kommunbidrag against cost per committee and year: the budget deviation."""
    try:
        rows = budget_rows(frame)
    except UserError:
        return None
    years = sorted({r.year for r in rows})
    committees = list(dict.fromkeys(r.committee for r in rows))
    deviation = {(r.year, r.committee): r.deviation for r in rows}
    series = [svg.Series(c, tuple(deviation.get((y, c), ZERO) for y in years)) for c in committees]
    title = "Budgetavvikelse per nämnd och år (kommunbidrag minus kostnad)"
    chart = svg.grouped_bars(title, [str(y) for y in years], series)
    total = sum((r.deviation for r in rows), ZERO)
    caption = (
        f"Budgetavvikelse (kommunbidrag minus kostnad), alla nämnder {years[0]}–{years[-1]}: "
        f"{format_sek(total, UNIT)} tkr. Positivt är överskott, negativt underskott."
    )
    table = from_report_table(budget_table(rows, "sv"), UNIT)
    return Panel("budget", "Kommunbidrag mot kostnad", (chart,), caption, (table,))


# --- The dashboard -------------------------------------------------------------------------


def build_dashboard(
    frame: Frame,
    account_ok: AccountPredicate | None = None,
    span: tuple[int, int] | None = MOTION_SPAN,
    date_range: tuple[datetime.date, datetime.date] | None = None,
) -> Dashboard:
    """All panels for a frame of (Fava-filtered) entries."""
    frame = frame.narrow(account_ok)
    years = tuple(sorted({line.year for line in frame.costs}))
    panels: list[Panel] = []
    if frame.costs:
        panels += [yearly_by_committee(frame), yearly_by_kind(frame), cumulative(frame, span)]
    try:
        summaries = transfer_summaries(frame)
    except UserError:
        summaries = []
    panels += [transfer_panel(frame, s) for s in summaries]
    # Fava's date range ends on the day after the last day it covers.
    last_day = date_range[1] - datetime.timedelta(days=1) if date_range else None
    in_range = range(date_range[0].year, last_day.year + 1) if date_range and last_day else years
    optional = [fte_panel(frame, list(in_range)), budget_panel(frame)]
    panels += [p for p in optional if p is not None]
    return Dashboard(tuple(panels), years, span, frame.options.synthetic)


def report_panels(frame: Frame, form: DownloadForm) -> tuple[Panel, ...]:
    """The dashboard's panels for a chosen report and span (the reports page's preview)."""
    first, last = (form.year, form.year) if form.year else (form.from_year, form.to_year)
    chosen = frame.within(first, last)
    if form.report in ("motion", "yearly") and chosen.costs:
        return (yearly_by_committee(chosen), cumulative(chosen, None))
    if form.report == "transfers":
        try:
            return tuple(transfer_panel(chosen, s) for s in transfer_summaries(chosen))
        except UserError:
            return ()
    if form.report == "positions":
        years = list(range(first, last + 1)) if first and last else []
        panel = fte_panel(frame, years)
        return (panel,) if panel else ()
    if form.report == "budget":
        panel = budget_panel(chosen)
        return (panel,) if panel else ()
    return ()

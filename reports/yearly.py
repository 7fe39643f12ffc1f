"""The programme's cost per year, grouped by committee, cost type, area and/or position.

The CSV form is the machine-readable contract (`year,committee,cost_type,
amount_sek`, a `*` in a column not grouped by, no total rows; `--by area` or
`position` adds an `area` and/or `position` column before `amount_sek`); the
table is for people: a pivot with totals per year and overall.

Amounts are net cost: income is a negative cost (cost type `income`). The
rows of each committee keep its own figure, internal items included; the
city-wide eliminations of internal items are rows of their own, with cost
type `internal` whatever the grouping, so that the rows of any `--by` sum to
the city's net cost of the programme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import INCOME, INTERNAL, REPORT_TYPES
from ctc.errors import UserError
from ctc.reports.frame import CostLine, Frame, in_span
from ctc.reports.labels import label
from ctc.reports.result import Cell, Column, Report, Row, Table
from ctc.reports.sources import notice, provenance

GROUPINGS = ("committee", "type", "area", "position")
"""What `--by` may name, in the order of the CSV's columns."""
CSV_HEADER = ("year", "committee", "cost_type", "amount_sek")
ALL = "*"
"""The value of a dimension the rows are not grouped by."""
COMMON = "gemensamt"
"""The area of costs booked on no area's unit (common costs)."""
NO_POSITION = ""
"""The position of costs that belong to none (other costs, unattributed payroll)."""

RowKey = tuple[int, *tuple[str, ...]]
"""A table row's key: the year, then its value of each dimension the rows are grouped by."""


@dataclass(frozen=True, slots=True)
class YearlyRow:
    """The cost of one year and group; `*` marks a dimension not grouped by."""

    year: int
    committee: str
    cost_type: str
    amount: Decimal
    area: str = ALL
    position: str = ALL


def parse_by(text: str) -> tuple[str, ...]:
    """Parse `--by committee,type` into the dimensions, in canonical order."""
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    if not wanted or wanted - set(GROUPINGS):
        raise UserError(
            f"Okänd gruppering {text!r} för --by; välj en eller flera av "
            f"{', '.join(GROUPINGS)}, åtskilda med komma."
        )
    return tuple(g for g in GROUPINGS if g in wanted)


def check_span(from_year: int | None, to_year: int | None) -> None:
    """Refuse a year range given backwards."""
    if from_year is not None and to_year is not None and from_year > to_year:
        raise UserError(
            f"--from {from_year} ligger efter --to {to_year}; ange det tidigaste året först."
        )


def span_text(from_year: int | None, to_year: int | None) -> str:
    """A year span as people write it: `2018–2023`, `2023`, `…–2023`."""
    if from_year is not None and from_year == to_year:
        return str(from_year)
    return f"{from_year or '…'}–{to_year or '…'}"


def group_order(*orders: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key for group names: in the given orders (registers), then by name."""
    rank: dict[str, int] = {}
    for name in [name for order in orders for name in order]:
        rank.setdefault(name, len(rank))
    return lambda name: (rank.get(name, len(rank)), name)


def select_span(
    lines: Sequence[CostLine], from_year: int | None, to_year: int | None
) -> list[CostLine]:
    """The cost lines within the span; an empty selection is the user's error."""
    check_span(from_year, to_year)
    selected = [line for line in lines if in_span(line.year, from_year, to_year)]
    if not selected:
        raise UserError(f"Inga kostnader för programmet under {span_text(from_year, to_year)}.")
    return selected


def yearly_rows(
    lines: Sequence[CostLine],
    by: Sequence[str],
    from_year: int | None = None,
    to_year: int | None = None,
    committee_order: Sequence[str] = (),
    area_order: Sequence[str] = (),
    position_order: Sequence[str] = (),
    qualify: bool | None = None,
) -> list[YearlyRow]:
    """Sum the cost lines per year and group, within the year span (inclusive).

    Committees are named `Malmo:KS` when `qualify` says so; by default, when
    the selected lines span more than one municipality. Reports pass the
    frame's choice, so every report names a committee the same way. An
    elimination line (cost type `internal`) keeps its cost type in every
    grouping, so it stays a row of its own.
    """
    selected = select_span(lines, from_year, to_year)
    if qualify is None:
        qualify = len({line.municipality for line in selected}) > 1
    sums: dict[tuple[int, str, str, str, str], Decimal] = defaultdict(Decimal)
    for line in selected:
        committee = line.committee if not qualify else f"{line.municipality}:{line.committee}"
        key = (
            line.year,
            committee if "committee" in by else ALL,
            line.cost_type if "type" in by or line.cost_type == INTERNAL else ALL,
            (line.area or COMMON) if "area" in by else ALL,
            (line.position or NO_POSITION) if "position" in by else ALL,
        )
        sums[key] += line.amount
    order = group_order(
        committee_order, REPORT_TYPES, area_order, [COMMON], position_order, [NO_POSITION]
    )
    keys = sorted(sums, key=lambda k: (k[0], k[2] == INTERNAL, *(order(part) for part in k[1:])))
    return [YearlyRow(y, c, t, sums[(y, c, t, a, p)], a, p) for (y, c, t, a, p) in keys]


def yearly_total(rows: Sequence[YearlyRow]) -> Decimal:
    """The sum of all rows: the programme's cost over the span."""
    return sum((row.amount for row in rows), Decimal(0))


# --- The result shape -------------------------------------------------------------

ATTRIBUTE = {"committee": "committee", "type": "cost_type", "area": "area", "position": "position"}
"""`--by` dimension -> the `YearlyRow` attribute holding it."""


def group_label(dimension: str, value: str, lang: str) -> str:
    """A group's name as people read it: cost types and the no-area/no-position groups translated."""
    if dimension == "type" or value == INTERNAL:
        return label(value, lang)
    if dimension == "area" and value == COMMON:
        return label("common_area", lang)
    if dimension == "position" and value == NO_POSITION:
        return label("no_position", lang)
    return value


def yearly_records(rows: Sequence[YearlyRow], by: Sequence[str]) -> Table:
    """The CSV form: issue 2's header, plus `area`/`position` when grouped by them."""
    extra = [d for d in ("area", "position") if d in by]
    columns = [
        Column("year", "year", "int"),
        Column("committee", "committee"),
        Column("cost_type", "cost_type"),
        *(Column(d, d) for d in extra),
        Column("amount_sek", "amount_sek", "exact"),
    ]
    records = [
        Row(
            (
                row.year,
                row.committee,
                row.cost_type,
                *(getattr(row, d) for d in extra),
                row.amount,
            )
        )
        for row in rows
    ]
    return Table("records", "records", tuple(columns), tuple(records))


def pivot_dimension(by: Sequence[str]) -> str | None:
    """The dimension that becomes the table's columns, if one fits 80 columns.

    Cost types (three) if grouped by them, else the committees when grouped by
    committee alone. Areas and positions have long names or many values, so
    they stay rows with one amount column.
    """
    if "type" in by:
        return "type"
    if tuple(by) == ("committee",):
        return "committee"
    return None


def _column_of(row: YearlyRow, pivot: str) -> str:
    """A row's column in the pivot: its group, or `internal` for the eliminations."""
    return INTERNAL if row.cost_type == INTERNAL else str(getattr(row, ATTRIBUTE[pivot]))


def _row_key(row: YearlyRow, row_dims: Sequence[str]) -> RowKey:
    """A row's key in the table: its year and groups; the eliminations a row of their own.

    A year's eliminations of internal items are summed into one row named for
    them, so that every committee's row keeps the committee's own figure.
    """
    groups: list[str] = [str(getattr(row, ATTRIBUTE[d])) for d in row_dims]
    if row.cost_type == INTERNAL and row_dims:
        groups = [INTERNAL, *([""] * (len(row_dims) - 1))]
    return (row.year, *groups)


def _row_names(row_key: RowKey, row_dims: Sequence[str], lang: str) -> list[Cell]:
    """The group names of a table row as people read them."""
    groups = list(row_key)[1:]
    if row_dims and groups[0] == INTERNAL:
        return [label(INTERNAL, lang), *([None] * (len(row_dims) - 1))]
    return [group_label(d, str(v), lang) for d, v in zip(row_dims, groups, strict=True)]


def net_note(lines: Sequence[CostLine], lang: str) -> tuple[str, ...]:
    """The footnote saying the amounts are net of income and eliminations, when either occurs."""
    if not any(line.cost_type in (INCOME, INTERNAL) for line in lines):
        return ()
    return (label("note_net", lang),)


def yearly_table(
    rows: Sequence[YearlyRow],
    by: Sequence[str],
    lang: str = "sv",
    title: str = "",
    key: str = "yearly",
    committee_order: Sequence[str] = (),
) -> Table:
    """A pivot for people: a row per year (and group), a column per group, and totals.

    The rows keep the order `yearly_rows` gave them (registers' order); the
    columns follow the committees' register order, or the cost types'. A year
    with several rows gets a sum row; the last row is the total over the span.
    """
    pivot = pivot_dimension(by)
    row_dims = [d for d in by if d != pivot]
    columns: list[str] = []
    if pivot is not None:
        found = {_column_of(row, pivot) for row in rows}
        columns = sorted(found, key=group_order(committee_order, REPORT_TYPES))
    row_keys: dict[RowKey, None] = {}
    cells: dict[tuple[RowKey, str | None], Decimal] = defaultdict(Decimal)
    for row in rows:
        row_key = _row_key(row, row_dims)
        row_keys.setdefault(row_key, None)
        column = _column_of(row, pivot) if pivot is not None else None
        cells[(row_key, column)] += row.amount

    def amounts(keys: Sequence[RowKey]) -> list[Cell]:
        if pivot is None:
            return [sum((cells[(k, None)] for k in keys), Decimal(0))]
        values = [sum((cells.get((k, c), Decimal(0)) for k in keys), Decimal(0)) for c in columns]
        return [*values, sum(values, Decimal(0))]

    header = [Column("year", label("year", lang), "year")]
    header += [Column(d, label(f"dim_{d}", lang)) for d in row_dims]
    if pivot is None:
        header.append(Column("amount", label("amount", lang), "money"))
    else:
        header += [Column(c, group_label(pivot, c, lang), "money") for c in columns]
        header.append(Column("total", label("total", lang), "money"))
    body: list[Row] = []
    years = list(dict.fromkeys(k[0] for k in row_keys))
    blanks: list[Cell] = [None] * len(row_dims)
    for year in years:
        keys = [k for k in row_keys if k[0] == year]
        for row_key in keys:
            names = _row_names(row_key, row_dims, lang)
            body.append(Row((year, *names, *amounts([row_key]))))
        if row_dims and len(years) > 1 and len(keys) > 1:
            body.append(Row((f"{label('sum', lang)} {year}", *blanks, *amounts(keys)), True))
    body.append(Row((label("total", lang), *blanks, *amounts(list(row_keys))), True))
    return Table(key, title, tuple(header), tuple(body))


def yearly_report(
    frame: Frame,
    by: Sequence[str] = ("committee",),
    from_year: int | None = None,
    to_year: int | None = None,
    unit: str = "tkr",
    lang: str = "sv",
) -> Report:
    """The yearly report: cost per year and group, in the result shape every writer reads."""
    lines = frame.city_lines
    rows = yearly_rows(
        lines,
        by,
        from_year,
        to_year,
        frame.committee_order,
        frame.areas,
        frame.position_order,
        frame.multi_municipality,
    )
    span = span_text(min(r.year for r in rows), max(r.year for r in rows))
    title = label("yearly_title", lang).format(programme=frame.programme, span=span, unit=unit)
    filters = [("--by", ",".join(by)), ("--from", from_year), ("--to", to_year)]
    notes = list(net_note([line for line in lines if in_span(line.year, from_year, to_year)], lang))
    if "position" in by:
        notes.append(label("note_positions", lang))
    if "area" in by:
        notes.append(label("note_areas", lang))
    return Report(
        name="yearly",
        title=title,
        tables=(
            yearly_table(rows, by, lang, "", label("sheet_yearly", lang), frame.committee_order),
        ),
        records=yearly_records(rows, by),
        provenance=provenance(frame, filters),
        notice=notice(frame, lang),
        footnotes=tuple(notes),
        unit=unit,
        lang=lang,
    )

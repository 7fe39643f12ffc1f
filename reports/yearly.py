"""The programme's cost per year, grouped by committee and/or cost type.

The CSV form is the machine-readable contract (`year,committee,cost_type,
amount_sek`, a `*` in any column not grouped by, no total rows); the table is
for people, with totals and Swedish number format.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import COST_TYPES
from ctc.errors import UserError
from ctc.numbers import csv_amount, format_sek
from ctc.reports.frame import CostLine
from ctc.reports.labels import label
from ctc.reports.table import TextTable

GROUPINGS = ("committee", "type")
CSV_HEADER = ("year", "committee", "cost_type", "amount_sek")
ALL = "*"


@dataclass(frozen=True, slots=True)
class YearlyRow:
    """The cost of one year and group; `*` marks a dimension not grouped by."""

    year: int
    committee: str
    cost_type: str
    amount: Decimal


def parse_by(text: str) -> tuple[str, ...]:
    """Parse `--by committee,type` into the dimensions, in canonical order."""
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    if not wanted or wanted - set(GROUPINGS):
        raise UserError(
            f"Okänd gruppering {text!r} för --by; välj committee, type eller committee,type."
        )
    return tuple(g for g in GROUPINGS if g in wanted)


def check_span(from_year: int | None, to_year: int | None) -> None:
    """Refuse a year range given backwards."""
    if from_year is not None and to_year is not None and from_year > to_year:
        raise UserError(
            f"--from {from_year} ligger efter --to {to_year}; ange det tidigaste året först."
        )


def group_order(committee_order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key for group names: committees in register order, then cost types."""
    rank: dict[str, int] = {}
    for name in [*committee_order, *COST_TYPES]:
        rank.setdefault(name, len(rank))
    return lambda name: (rank.get(name, len(rank)), name)


def in_span(line: CostLine, from_year: int | None, to_year: int | None) -> bool:
    """Whether a cost line falls within the year span (inclusive)."""
    return (from_year is None or line.year >= from_year) and (
        to_year is None or line.year <= to_year
    )


def yearly_rows(
    lines: Sequence[CostLine],
    by: Sequence[str],
    from_year: int | None = None,
    to_year: int | None = None,
    committee_order: Sequence[str] = (),
) -> list[YearlyRow]:
    """Sum the cost lines per year and group, within the year span (inclusive)."""
    check_span(from_year, to_year)
    selected = [line for line in lines if in_span(line, from_year, to_year)]
    if not selected:
        span = f"{from_year or '…'}–{to_year or '…'}"
        raise UserError(f"Inga kostnader för programmet under {span}.")
    qualify = len({line.municipality for line in selected}) > 1
    sums: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for line in selected:
        committee = line.committee if not qualify else f"{line.municipality}:{line.committee}"
        key = (
            line.year,
            committee if "committee" in by else ALL,
            line.cost_type if "type" in by else ALL,
        )
        sums[key] += line.amount
    order = group_order(committee_order)
    keys = sorted(sums, key=lambda k: (k[0], order(k[1]), order(k[2])))
    return [YearlyRow(*key, sums[key]) for key in keys]


def yearly_total(rows: Sequence[YearlyRow]) -> Decimal:
    """The sum of all rows: the programme's cost over the span."""
    return sum((row.amount for row in rows), Decimal(0))


def yearly_csv(rows: Sequence[YearlyRow]) -> str:
    """RFC 4180 CSV with the fixed header; dot decimal, two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.year, row.committee, row.cost_type, csv_amount(row.amount)])
    return out.getvalue()


def yearly_table(
    rows: Sequence[YearlyRow],
    by: Sequence[str],
    unit: str = "kr",
    lang: str = "sv",
    committee_order: Sequence[str] = (),
) -> TextTable:
    """A pivot: a row per year (and committee), a column per group, and totals."""
    two_level = tuple(by) == ("committee", "type")
    column_attr = "committee" if tuple(by) == ("committee",) else "cost_type"
    columns = sorted({getattr(row, column_attr) for row in rows}, key=group_order(committee_order))
    row_keys: dict[tuple, None] = {}
    cells: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in rows:
        row_key = (row.year, row.committee) if two_level else (row.year,)
        row_keys.setdefault(row_key, None)
        cells[(row_key, getattr(row, column_attr))] += row.amount

    def money(value: Decimal) -> str:
        return format_sek(value, unit)

    def total_row(lead: str, keys: Sequence[tuple]) -> list[str]:
        values = [sum((cells.get((k, c), Decimal(0)) for k in keys), Decimal(0)) for c in columns]
        return (
            [lead] + ([""] if two_level else []) + [money(v) for v in values] + [money(sum(values))]
        )

    header = [label("year", lang)] + ([label("committee", lang)] if two_level else [])
    header += [label(c, lang) for c in columns] + [label("total", lang)]
    body: list[list[str]] = []
    totals: set[int] = set()
    years = list(dict.fromkeys(key[0] for key in row_keys))
    for year in years:
        keys = [k for k in row_keys if k[0] == year]
        for row_key in keys:
            values = [cells.get((row_key, c), Decimal(0)) for c in columns]
            body.append(
                [str(part) for part in row_key] + [money(v) for v in values] + [money(sum(values))]
            )
        if two_level and len(years) > 1:
            totals.add(len(body))
            body.append(total_row(f"{label('sum', lang)} {year}", keys))
    totals.add(len(body))
    body.append(total_row(label("total", lang), list(row_keys)))
    return TextTable(header, body, frozenset(totals), left_columns=2 if two_level else 1)

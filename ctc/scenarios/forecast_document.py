"""The forecast report as a document, in Swedish: forecast against outcome.

`forecast_document` sets a scenario's forecast against the ledger's booked
outcome per year, committee and cost type, with the deviation in kronor and
per cent. It builds a `ctc.scenarios.document.Document`; the writers decide
the format.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.numbers import format_number, format_sek
from ctc.reports.labels import label
from ctc.reports.result import Report
from ctc.scenarios.document import (
    SYNTHETIC,
    Cell,
    Column,
    Document,
    Table,
    as_report,
    provenance,
    total_of,
)
from ctc.scenarios.forecast import (
    ForecastResult,
    ForecastRow,
    forecast_against_outcome,
    forecast_records,
)

if TYPE_CHECKING:
    from ctc.ledger import Ledger


def _forecast_row(lead: Sequence[str], row: ForecastRow) -> tuple[Cell, ...]:
    """A table row: its leading cells, then forecast, outcome and deviation."""
    return (*lead, row.forecast, row.outcome, row.deviation, row.deviation_percent)


def _summed(lead: Sequence[str], rows: Sequence[ForecastRow]) -> tuple[Cell, ...]:
    """A sum row: the rows' forecast and outcome summed, and the deviation of the sums."""
    forecast = total_of([r.forecast for r in rows])
    outcome = total_of([r.outcome for r in rows])
    return _forecast_row(lead, ForecastRow(None, "", "", forecast, outcome))


def _year_rows(result: ForecastResult, year: int) -> list[tuple[Cell, ...]]:
    """One year's committee × cost type rows, with a sum for a committee of several rows."""
    body: list[tuple[Cell, ...]] = []
    for committee in result.committees:
        rows = [r for r in result.rows if r.year == year and r.committee == committee]
        body += [_forecast_row((str(year), committee, label(r.cost_type)), r) for r in rows]
        if len(rows) > 1:
            body.append(_summed((str(year), committee, "Summa"), rows))
    return body


FORECAST_COLUMNS = (
    Column("År"),
    Column("Nämnd"),
    Column("Kostnadstyp"),
    Column("Prognos", "money"),
    Column("Utfall", "money"),
    Column("Avvikelse", "money"),
    Column("Avvikelse (%)", "number", 1),
)


def forecast_table(result: ForecastResult, unit: str) -> Table:
    """Per year: committee × cost type rows, a sum per committee and per year.

    Over more than one year, each committee's sum over the span and the total
    follow; the sums per year and the total are drawn as totals.
    """
    body: list[tuple[Cell, ...]] = []
    totals: set[int] = set()
    for year in result.years:
        body += _year_rows(result, year)
        totals.add(len(body))
        body.append(_summed((f"Summa {year}", "", ""), [r for r in result.rows if r.year == year]))
    if len(result.years) > 1:
        span = f"{result.years[0]}–{result.years[-1]}"
        body += [_forecast_row((span, r.committee, "Summa"), r) for r in result.by_committee()]
        totals.add(len(body))
        body.append(_summed((f"Totalt {span}", "", ""), result.rows))
    return Table(
        f"Prognos mot utfall ({unit})",
        "Prognos mot utfall",
        FORECAST_COLUMNS,
        tuple(body),
        frozenset(totals),
    )


def forecast_document(
    result: ForecastResult,
    unit: str,
    synthetic: bool,
) -> Document:
    """`ctc report forecast`: forecast against outcome with the deviation in kronor and per cent."""
    scenario = result.scenario
    forecast = total_of([r.forecast for r in result.rows])
    outcome = total_of([r.outcome for r in result.rows])
    deviation = outcome - forecast
    span = (
        f"{result.years[0]}–{result.years[-1]}" if len(result.years) > 1 else str(result.years[0])
    )
    percent = f" ({format_number(deviation / forecast * 100, 1)} %)" if forecast else ""
    paragraphs = []
    if synthetic or scenario.synthetic:
        paragraphs.append(SYNTHETIC)
    paragraphs.append(
        f"Prognosen ”{scenario.name}” (upprättad {scenario.written}) räknade med "
        f"{format_sek(forecast, 'kr')} kr för {span}; utfallet i huvudboken blev "
        f"{format_sek(outcome, 'kr')} kr, en avvikelse på {format_sek(deviation, 'kr')} kr{percent}."
    )
    footnotes = (
        "Avvikelse = utfall minus prognos: positiv när det kostade mer än prognosen. "
        "Avvikelse i procent av prognosen; tom när inget var prognostiserat.",
        "Prognosen är scenariots belopp i hela tusental kronor per år, nämnd och kostnadstyp; utfallet "
        "är bokförd kostnad i huvudboken, exakt till öret.",
        f"Källa: scenariofilen {scenario.path.name} och huvudbokens bokförda kostnader.",
    )
    return Document(
        "Prognos mot utfall",
        tuple(paragraphs),
        (forecast_table(result, unit),),
        footnotes,
        unit,
    )


def build_forecast_report(ledger: Ledger, path: Path, year: int | None, unit: str) -> Report:
    """`ctc report forecast` (every passed year, or one) in the shared result shape."""
    result = forecast_against_outcome(ledger, path, year, year)
    document = forecast_document(result, unit, ledger.options.synthetic)
    records = forecast_records(result.rows)
    return as_report(document, "forecast", records, provenance(ledger.path, path))

"""Measured unit costs brought to a scenario's base year, each step stated.

A draft measures what the programme cost over full years in the past (say
2019–2023) and plans years ahead (2026–2028). Using the measured figures as
the base year's prices would understate the cost: salaries, the PO rate and
prices have all risen since. So:

- a role's salary is its latest full-time salary in the position register
  (the highest of the role's positions, on the day of the last booked cost),
  raised by the assumed yearly salary increase for each year from that
  salary's year to the base year; never the measured average;
- the PO rate of each scenario year is the ledger's rate for the year, or its
  latest (SKR's published rate, or the ledger's marked estimate), never the
  measured average of past years;
- other costs, measured as yearly averages in the measured years' own prices,
  are raised by the assumed price index for each year from the middle of the
  measured years to the base year.

Every figure carries a source text that shows the uprating, so a reader can
redo it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ctc.numbers import ORE, format_number, format_sek
from ctc.registers import PoRate
from ctc.scenarios.actuals import LatestSalary, Measurement, RoleMeasure

HUNDRED = Decimal(100)


def _percent(value: Decimal) -> str:
    """A percentage as a Swedish reader writes it: `2,49 %`."""
    return f"{format_number(value, 2)} %"


def _kronor(value: Decimal) -> str:
    """Kronor and öre as a reader of the draft's notes reads them."""
    return f"{format_sek(value, 'kr', 2)} kr"


def growth(percent: Decimal, years: int) -> Decimal:
    """The factor of `years` years' growth at `percent` per year (1 for none)."""
    return (1 + percent / HUNDRED) ** max(years, 0)


@dataclass(frozen=True, slots=True)
class Uprating:
    """How the measurement is brought to the base year: the rates and the year."""

    measurement: Measurement
    base_year: int
    salary_increase: Decimal
    """Per cent per year, from the latest salary's year to the base year."""
    price_index: Decimal
    """Per cent per year, from the middle of the measured years to the base year."""

    @property
    def price_from(self) -> int:
        """The year the measured averages stand in: the middle of the measured years."""
        return int(self.measurement.mid_year)

    @property
    def price_factor(self) -> Decimal:
        """The factor that raises the measured other costs to the base year's prices."""
        return growth(self.price_index, self.base_year - self.price_from)

    def latest(self, role: RoleMeasure) -> LatestSalary | None:
        """The register's latest salary for the role, if any position of it has one."""
        return next(
            (
                s
                for s in self.measurement.latest
                if (s.role, s.central) == (role.role, role.central)
            ),
            None,
        )

    def salary(self, role: RoleMeasure) -> tuple[Decimal, str]:
        """The role's full-time monthly salary in the base year, and how it was reached."""
        latest = self.latest(role)
        if latest is None:
            years = self.base_year - self.price_from
            amount = (role.monthly_salary * growth(self.salary_increase, years)).quantize(ORE)
            return amount, (
                f"bokförd lön per heltidsmånad {self.measurement.span}, "
                f"{_kronor(role.monthly_salary)}, uppräknad med {_percent(self.salary_increase)} "
                f"per år i {years} år till {self.base_year}: {_kronor(amount)}"
            )
        years = self.base_year - latest.since.year
        amount = (latest.salary * growth(self.salary_increase, years)).quantize(ORE)
        return amount, (
            f"senaste lön i tjänsteregistret för rollen, {_kronor(latest.salary)} "
            f"({latest.position} från {latest.since}, den högsta av rollens tjänster), "
            f"uppräknad med {_percent(self.salary_increase)} per år i {years} år till "
            f"{self.base_year}: {_kronor(amount)} (före semestertillägg)"
        )

    def price_text(self) -> str:
        """How the other costs were raised to the base year, in words."""
        years = self.base_year - self.price_from
        return (
            f"mätt genomsnitt {self.measurement.span} (i {self.price_from} års priser), "
            f"uppräknat med prisindex {_percent(self.price_index)} per år i {years} år till "
            f"{self.base_year} (faktor {format_number(self.price_factor, 4)})"
        )

    def note(self) -> str:
        """The header note stating the whole uprating."""
        return (
            f"Löner: senaste lön i tjänsteregistret per roll, uppräknad med "
            f"{_percent(self.salary_increase)} per år till {self.base_year}. Övriga kostnader: "
            f"{self.price_text()}. PO: huvudbokens sats för året, annars dess senaste."
        )


def po_rate_for(measurement: Measurement, year: int) -> PoRate | None:
    """The ledger's PO rate for `year`, or its latest before it; None when it has none."""
    rates = measurement.po_rates
    known = [y for y in rates if y <= year]
    return rates[year] if year in rates else (rates[max(known)] if known else None)


def po_source(rate: PoRate, year: int) -> str:
    """Where a scenario year's PO rate comes from, in words."""
    kind = "uppskattning i huvudboken" if rate.estimate else "SKR:s publicerade sats"
    later = "" if rate.year == year else f"; senaste kända sats, för {year} ännu inte publicerad"
    return f"Huvudbokens PO-sats för {rate.year} ({kind}): {rate.source or 'källa saknas'}{later}"

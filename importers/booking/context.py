"""What the register importers need to know about the ledger they import into.

Positions, transfer decisions and kommunbidrag refer to committees,
decisions, positions and PO rates the ledger already holds. `LedgerContext`
takes those registers from the existing entries (beangulp's `existing`: the
ledger's entries and those of files staged earlier in the same import) by the
model's one reader, `ctc.model.read_registers`, and answers the questions rows
ask: is this a registered committee, is this decision in the register, what
did this position cost on that day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from beancount.core import data

from ctc.model import read_registers
from ctc.positions import History, Spell, spell_on
from ctc.registers import CommitteeRegister, DecisionRegister, PoRateRegister


@dataclass(frozen=True, slots=True)
class LedgerContext:
    """The registers of the ledger an import goes into."""

    committees: CommitteeRegister
    decisions: DecisionRegister
    history: History
    po_rates: PoRateRegister

    @classmethod
    def of(cls, entries: data.Entries) -> LedgerContext:
        """Read the registers from a ledger's entries (errors are `ctc check`'s business)."""
        registers = read_registers(entries)
        return cls(registers.committees, registers.decisions, registers.history, registers.po_rates)

    def committee(self, municipality: str, value: str) -> str | None:
        """A committee's short name from its short or full name, or None if not registered."""
        text = " ".join(value.split())
        for (town, short), committee in self.committees.items():
            if town == municipality and text.casefold() in (
                short.casefold(),
                committee.name.casefold(),
            ):
                return short
        return None

    def committee_name(self, municipality: str, short: str) -> str:
        """The full name of a registered committee."""
        committee = self.committees.get((municipality, short))
        return committee.name if committee else short

    def spell(self, position: str, day: datetime.date) -> Spell | None:
        """The position's state on `day`, or the day before (a change dated `day` is pending)."""
        return spell_on(self.history, position, day) or spell_on(
            self.history, position, day - datetime.timedelta(days=1)
        )

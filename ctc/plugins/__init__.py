"""Beancount plugins that check the domain rules of the ledger."""

RULES = (
    "registers",
    "decisions",
    "decision_dates",
    "transfers",
    "transfer_periods",
    "positions",
    "moves",
    "po_rates",
    "amounts",
    "closed_years",
)
"""The plugins that check rules, in the order a ledger lists them (`ctc.plugins.<name>`)."""

DERIVED = ("budgets", "documents")
"""The plugins that add entries made from others (Fava budgets, archived documents), last."""

"""The account naming convention of the ledger.

Every programme account names its municipality, committee and programme:

    Income:Malmo:AoS:CTC:Kommunbidrag       the committee's kommunbidrag
    Expenses:Malmo:AoS:CTC:Lon              salary
    Expenses:Malmo:AoS:CTC:PO               payroll overhead
    Expenses:Malmo:AoS:CTC:Ovrigt[:Kind]    other costs, optionally finer
    Expenses:Malmo:AoS:CTC:Ovrigt:Interna   internal purchases from other units of the city
    Income:Malmo:AoS:CTC:Intakter           the programme's own (external) income
    Income:Malmo:AoS:CTC:Intakter:Interna   internal sales to other units of the city

plus one counter-account per municipality for each kind of entry:
`Equity:<M>:KF:Kommunbidrag` for allocations (the council's side) and
`Liabilities:<M>:Avrakning` for booked costs. Reports and plugins find
committees and cost types by parsing account names with this module only.

Income is booked as the finance system books it: a credit, so negative on
the income account. In report terms (cost positive) an income line is a
negative cost, and a committee's net cost is the sum of its cost and income
lines. Internal purchases and sales are real cost and income for the
committee that books them; city-wide totals eliminate those between the
programme's own units (`ctc.reports.frame`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

KOMMUNBIDRAG = "Kommunbidrag"

COST_TYPES: tuple[str, ...] = ("salary", "po", "other")
"""The three cost types a växling is split into, in report order."""

INCOME = "income"
"""The cost type of income lines (negative in report terms)."""
INTERNAL = "internal"
"""The cost type of city-wide eliminations of internal items."""
INTERNAL_PURCHASE = "internal_purchase"
"""The kind of internal purchases from other units of the city (cost type other)."""
INTERNAL_INCOME = "internal_income"
"""The kind of internal sales to other units of the city."""

REPORT_TYPES: tuple[str, ...] = (*COST_TYPES, INCOME, INTERNAL)
"""Every cost type a report shows, in report order: costs, income, eliminations."""

KIND_LEAVES: dict[str, tuple[str, str]] = {
    "Lon": ("salary", "salary"),
    "PO": ("po", "po"),
    "Ovrigt": ("other", "other"),
    "Ovrigt:Enkat": ("other", "survey"),
    "Ovrigt:Utbildning": ("other", "training"),
    "Ovrigt:Licenser": ("other", "licence"),
    "Ovrigt:Program": ("other", "programmes"),
    "Ovrigt:Interna": ("other", INTERNAL_PURCHASE),
}
"""Account suffix after the programme -> (cost type, finer kind)."""

INCOME_LEAVES: dict[str, tuple[str, str]] = {
    "Intakter": (INCOME, INCOME),
    "Intakter:Interna": (INCOME, INTERNAL_INCOME),
}
"""Income account suffix after the programme -> (cost type, finer kind)."""

KINDS: tuple[str, ...] = tuple(kind for _, kind in KIND_LEAVES.values())
"""All finer kinds of cost, in report order."""

INCOME_KINDS: tuple[str, ...] = tuple(kind for _, kind in INCOME_LEAVES.values())
"""The kinds of income: external and internal."""

INTERNAL_KINDS = frozenset({INTERNAL_PURCHASE, INTERNAL_INCOME})
"""The kinds of the internal items: purchases from and sales to other units of the city."""

LEAF_OF_KIND: dict[str, str] = {
    kind: leaf for leaf, (_, kind) in (*KIND_LEAVES.items(), *INCOME_LEAVES.items())
}


@dataclass(frozen=True, slots=True)
class CommitteeAccount:
    """A programme account of one committee, parsed from its name."""

    root: str
    municipality: str
    committee: str
    programme: str
    cost_type: str | None
    """salary, po or other for cost accounts, income for income; None for kommunbidrag."""
    kind: str | None
    """The finer kind of cost or income (survey, training, internal, ...); None for kommunbidrag."""

    @property
    def is_kommunbidrag(self) -> bool:
        """Whether this is a committee's kommunbidrag account."""
        return self.cost_type is None

    @property
    def is_income(self) -> bool:
        """Whether this is a committee's own income account for the programme."""
        return self.cost_type == INCOME

    @property
    def is_cost(self) -> bool:
        """Whether this is a committee's cost account for the programme."""
        return self.root == "Expenses"


@lru_cache(maxsize=4096)
def parse_account(account: str) -> CommitteeAccount | None:
    """Parse a programme account name, or return None for any other account.

    Returns a `CommitteeAccount` also for a cost account with an unknown leaf,
    with `cost_type` "other" and `kind` "unknown", so that a plugin can report it.
    """
    parts = account.split(":")
    if len(parts) < 5 or parts[0] not in ("Income", "Expenses"):
        return None
    root, municipality, committee, programme = parts[:4]
    leaf = ":".join(parts[4:])
    if root == "Income":
        if leaf in INCOME_LEAVES:
            cost_type, kind = INCOME_LEAVES[leaf]
            return CommitteeAccount(root, municipality, committee, programme, cost_type, kind)
        if leaf != KOMMUNBIDRAG:
            return None
        return CommitteeAccount(root, municipality, committee, programme, None, None)
    cost_type, kind = KIND_LEAVES.get(leaf, ("other", "unknown"))
    return CommitteeAccount(root, municipality, committee, programme, cost_type, kind)


def kommunbidrag_account(municipality: str, committee: str, programme: str) -> str:
    """The account that holds a committee's kommunbidrag for a programme."""
    return f"Income:{municipality}:{committee}:{programme}:{KOMMUNBIDRAG}"


def cost_account(municipality: str, committee: str, programme: str, kind: str) -> str:
    """The cost account of a committee for a programme and kind of cost (or income)."""
    root = "Income" if kind in INCOME_KINDS else "Expenses"
    return f"{root}:{municipality}:{committee}:{programme}:{LEAF_OF_KIND[kind]}"


def allocation_counter_account(municipality: str) -> str:
    """The council's side of every kommunbidrag allocation."""
    return f"Equity:{municipality}:KF:{KOMMUNBIDRAG}"


def cost_counter_account(municipality: str) -> str:
    """The settlement account every booked cost is credited to."""
    return f"Liabilities:{municipality}:Avrakning"

"""The account naming convention of the ledger.

Every programme account names its municipality, committee and programme:

    Income:Malmo:AoS:CTC:Kommunbidrag       the committee's kommunbidrag
    Expenses:Malmo:AoS:CTC:Lon              salary
    Expenses:Malmo:AoS:CTC:PO               payroll overhead
    Expenses:Malmo:AoS:CTC:Ovrigt[:Kind]    other costs, optionally finer

plus one counter-account per municipality for each kind of entry:
`Equity:<M>:KF:Kommunbidrag` for allocations (the council's side) and
`Liabilities:<M>:Avrakning` for booked costs. Reports and plugins find
committees and cost types by parsing account names with this module only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

KOMMUNBIDRAG = "Kommunbidrag"

COST_TYPES: tuple[str, ...] = ("salary", "po", "other")
"""The three cost types a växling is split into, in report order."""

KIND_LEAVES: dict[str, tuple[str, str]] = {
    "Lon": ("salary", "salary"),
    "PO": ("po", "po"),
    "Ovrigt": ("other", "other"),
    "Ovrigt:Enkat": ("other", "survey"),
    "Ovrigt:Utbildning": ("other", "training"),
    "Ovrigt:Licenser": ("other", "licence"),
    "Ovrigt:Program": ("other", "programmes"),
}
"""Account suffix after the programme -> (cost type, finer kind)."""

KINDS: tuple[str, ...] = tuple(kind for _, kind in KIND_LEAVES.values())
"""All finer kinds of cost, in report order."""

LEAF_OF_KIND: dict[str, str] = {kind: leaf for leaf, (_, kind) in KIND_LEAVES.items()}


@dataclass(frozen=True, slots=True)
class CommitteeAccount:
    """A programme account of one committee, parsed from its name."""

    root: str
    municipality: str
    committee: str
    programme: str
    cost_type: str | None
    """salary, po or other for cost accounts; None for kommunbidrag."""
    kind: str | None
    """The finer kind of cost (survey, training, ...); None for kommunbidrag."""

    @property
    def is_kommunbidrag(self) -> bool:
        """Whether this is a committee's kommunbidrag account."""
        return self.cost_type is None


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
        if leaf != KOMMUNBIDRAG:
            return None
        return CommitteeAccount(root, municipality, committee, programme, None, None)
    cost_type, kind = KIND_LEAVES.get(leaf, ("other", "unknown"))
    return CommitteeAccount(root, municipality, committee, programme, cost_type, kind)


def kommunbidrag_account(municipality: str, committee: str, programme: str) -> str:
    """The account that holds a committee's kommunbidrag for a programme."""
    return f"Income:{municipality}:{committee}:{programme}:{KOMMUNBIDRAG}"


def cost_account(municipality: str, committee: str, programme: str, kind: str) -> str:
    """The cost account of a committee for a programme and kind of cost."""
    return f"Expenses:{municipality}:{committee}:{programme}:{LEAF_OF_KIND[kind]}"


def allocation_counter_account(municipality: str) -> str:
    """The council's side of every kommunbidrag allocation."""
    return f"Equity:{municipality}:KF:{KOMMUNBIDRAG}"


def cost_counter_account(municipality: str) -> str:
    """The settlement account every booked cost is credited to."""
    return f"Liabilities:{municipality}:Avrakning"

"""Reading a scenario file: Beancount's parser, then each `custom "scenario…"` directive.

`parse_scenario` reads a file into a `ctc.scenarios.model.Scenario` and
reports every malformed directive with its file and line, so a finance
officer sees all the mistakes of a file at once; `ctc.scenarios.check` then
holds the scenario against the ledger. `scenario_files` finds the scenarios
kept beside a ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import parser

from ctc.errors import UserError
from ctc.scenarios.model import (
    ASSUMPTIONS,
    COMMITTEE,
    COST,
    DIRECTIVES,
    FINANCING,
    HEADER,
    OTHER_KINDS,
    POSITION,
    Assumption,
    Location,
    Scenario,
    ScenarioCommittee,
    ScenarioCost,
    ScenarioError,
    ScenarioPosition,
    location_of,
    report_order,
)

SCENARIO_FOLDER = "scenarios"
"""The folder beside the main ledger file that holds the ledger's scenario files."""


def scenario_files(ledger_path: Path) -> list[Path]:
    """The scenario files beside the ledger (`scenarios/*.beancount`), in name order."""
    folder = ledger_path.parent / SCENARIO_FOLDER
    return sorted(folder.glob("*.beancount")) if folder.is_dir() else []


# --- Reading metadata -----------------------------------------------------------


class _Reader:
    """Reads one directive's values and metadata, collecting its problems."""

    def __init__(self, entry: data.Custom, errors: list[ScenarioError]) -> None:
        self.entry = entry
        self.errors = errors
        self.location = location_of(entry.meta)
        self.ok = True

    def fail(self, message: str) -> None:
        """Note a problem; only the directive's first, since later ones often follow from it."""
        if self.ok:
            self.errors.append(ScenarioError(self.location, message))
        self.ok = False

    def only(self, *keys: str) -> None:
        """Refuse metadata the directive does not know: a misspelt key must not pass silently."""
        allowed = {*keys, "note", "filename", "lineno"}
        unknown = [
            key for key in self.entry.meta if key not in allowed and not key.startswith("__")
        ]
        if unknown:
            known = ", ".join(k for k in (*keys, "note"))
            self.fail(f"Okänt fält {unknown[0]}; {self.entry.type} känner {known}.")

    def value(self, index: int, kind: type, what: str) -> Any:
        """The directive's `index`-th value if it has the type asked for, else None."""
        values = self.entry.values
        value = values[index].value if len(values) > index else None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.fail(f"{what} saknas eller har fel typ.")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str:
        """A text field, stripped; "" when missing (a problem only when `required`)."""
        value = self.entry.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{key}: saknas.")
            return ""
        if not isinstance(value, str):
            self.fail(f"{key}: ska vara text inom citattecken.")
            return ""
        return value.strip()

    def number(self, key: str, default: Decimal | None = None) -> Decimal | None:
        """A number field (never a TRUE/FALSE flag); None when missing or not a number."""
        value = self.entry.meta.get(key, default)
        if value is None:
            self.fail(f"{key}: saknas.")
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal):
            self.fail(f"{key}: ska vara ett tal, inte {value!r}.")
            return None
        return value

    def whole(self, key: str, default: int | None = None, minimum: int = 0) -> int:
        """A whole number of at least `minimum` (a year, a count); `minimum` when bad."""
        value = self.number(key, None if default is None else Decimal(default))
        if value is None:
            return minimum
        if value != value.to_integral_value() or value < minimum:
            self.fail(f"{key}: ska vara ett heltal, minst {minimum}, inte {value}.")
            return minimum
        return int(value)

    def flag(self, key: str) -> bool:
        """A TRUE/FALSE field; a missing one is FALSE."""
        value = self.entry.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{key}: ska vara TRUE eller FALSE.")
            return False
        return value

    def sek(self, value: Any, what: str) -> Decimal:
        """An amount in SEK, never negative (a scenario states costs, not savings)."""
        if not isinstance(value, Amount) or value.currency != "SEK" or value.number is None:
            self.fail(f"{what} ska vara ett belopp i SEK, till exempel 41000 SEK.")
            return Decimal(0)
        if value.number < 0:
            self.fail(f"{what} får inte vara negativt.")
        return value.number


HEADER_KEYS = frozenset(
    {
        "municipality",
        "programme",
        "first_year",
        "last_year",
        "base_year",
        "areas",
        "estimate",
        "synthetic",
        "source",
        "financing",
        "filename",
        "lineno",
    }
)


def _header(entry: data.Custom, errors: list[ScenarioError]) -> dict[str, Any]:
    """The header's fields, as `Scenario`'s keyword arguments; unknown keys become notes."""
    read = _Reader(entry, errors)
    name = read.value(0, str, "Scenariots namn")
    first = read.whole("first_year", minimum=1900)
    last = read.whole("last_year", minimum=1900)
    municipality = read.text("municipality")
    programme = read.text("programme", required=False) or None
    base = read.whole("base_year", default=first, minimum=1900)
    fields = {
        "name": name or "",
        "written": entry.date,
        "municipality": municipality,
        "programme": programme,
        "first_year": first,
        "last_year": last,
        "base_year": base,
        "areas": read.whole("areas", minimum=0),
        "estimate": read.flag("estimate"),
        "synthetic": read.flag("synthetic"),
        "source": read.text("source"),
        "notes": {k: v for k, v in entry.meta.items() if k not in HEADER_KEYS},
        "location": read.location,
        "financing": read.text("financing", required=False) or None,
    }
    if read.ok and fields["financing"] not in (None, *FINANCING):
        read.fail(f"financing ska vara {' eller '.join(FINANCING)}, inte {fields['financing']!r}.")
    if read.ok and first > last:
        read.fail(f"first_year {first} ligger efter last_year {last}.")
    elif read.ok and base > first:
        read.fail(
            f"base_year {base} ligger efter first_year {first}; "
            "beloppen ska anges i ett år före eller lika med scenariots första år."
        )
    return fields


def _position(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioPosition | None:
    """A position directive, or None when it has a problem (noted in `errors`)."""
    read = _Reader(entry, errors)
    read.only("committee", "fte", "per_area", "monthly_salary", "source")
    role = read.value(0, str, "Tjänstens roll")
    committee = read.text("committee")
    fte = read.number("fte")
    if fte is not None and not (0 < fte <= 1):
        read.fail(
            f"FTE (tjänstgöringsgrad) ska vara större än 0 och högst 1, inte {fte}; "
            "dela upp en större tjänst i flera."
        )
    if entry.date.day != 1:
        read.fail(f"En tjänst börjar den 1 i en månad, inte {entry.date}.")
    salary = read.sek(entry.meta.get("monthly_salary"), "monthly_salary")
    per_area = read.flag("per_area")
    source = read.text("source")
    if not read.ok or fte is None:
        return None
    return ScenarioPosition(
        role.strip(), committee, fte, entry.date, salary, per_area, source, read.location
    )


def _cost(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioCost | None:
    """A cost item directive, or None when it has a problem (noted in `errors`)."""
    read = _Reader(entry, errors)
    read.only("committee", "per_area", "every", "once", "text", "source")
    kind = read.value(0, str, "Kostnadens slag")
    if kind is not None and kind not in OTHER_KINDS:
        read.fail(f"Okänt kostnadsslag {kind!r}; välj {', '.join(OTHER_KINDS)}.")
    amount = read.sek(entry.values[1].value if len(entry.values) > 1 else None, "Beloppet")
    committee = read.text("committee")
    once = read.flag("once")
    every = read.whole("every", default=1, minimum=1)
    per_area = read.flag("per_area")
    text = read.text("text", required=False)
    source = read.text("source")
    if not read.ok:
        return None
    return ScenarioCost(
        kind,
        committee,
        amount,
        entry.date.year,
        0 if once else every,
        per_area,
        text or kind,
        source,
        read.location,
    )


def _assumption(entry: data.Custom, errors: list[ScenarioError]) -> Assumption | None:
    """An assumption directive, or None when it has a problem (noted in `errors`)."""
    read = _Reader(entry, errors)
    read.only("source")
    name = read.value(0, str, "Antagandets namn")
    if name is not None and name not in ASSUMPTIONS:
        read.fail(f"Okänt antagande {name!r}; välj {', '.join(ASSUMPTIONS)}.")
    percent = read.value(1, Decimal, "Procentsatsen")
    if percent is not None and not (-50 < percent < 100):
        read.fail(f"Procentsatsen {percent} är orimlig; ange procent, till exempel 2.5.")
    if (entry.date.month, entry.date.day) != (1, 1):
        read.fail("Ett antagande gäller ett kalenderår och dateras den 1 januari.")
    source = read.text("source")
    if not read.ok:
        return None
    return Assumption(name, entry.date.year, percent, source, read.location)


def _committee(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioCommittee | None:
    """A committee directive, or None when it has a problem (noted in `errors`)."""
    read = _Reader(entry, errors)
    read.only()
    short = read.value(0, str, "Nämndens kortnamn")
    if read.ok and not short.strip():
        read.fail("Nämndens kortnamn saknas.")
    return ScenarioCommittee(short.strip(), read.location) if read.ok else None


@dataclass
class _Parts:
    """What a scenario file's directives add up to, gathered while they are read."""

    path: Path
    errors: list[ScenarioError] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)
    committees: list[ScenarioCommittee] = field(default_factory=list)
    positions: list[ScenarioPosition] = field(default_factory=list)
    costs: list[ScenarioCost] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)

    def add_committee(self, committee: ScenarioCommittee | None) -> None:
        """Keep a committee once; naming it twice is a mistake worth a line."""
        if committee is None:
            return
        if committee.short in (c.short for c in self.committees):
            message = f"Nämnden {committee.short} står redan med."
            self.errors.append(ScenarioError(committee.location, message))
        else:
            self.committees.append(committee)

    def add_assumption(self, assumption: Assumption | None) -> None:
        """Keep one value per assumption and year: two would leave the figure in doubt."""
        if assumption is None:
            return
        key = (assumption.name, assumption.year)
        seen = next((a for a in self.assumptions if (a.name, a.year) == key), None)
        if seen is None:
            self.assumptions.append(assumption)
            return
        self.errors.append(
            ScenarioError(
                assumption.location or Location(str(self.path), 0),
                f"Antagandet {assumption.name} för {assumption.year} finns redan på rad "
                f"{seen.location.lineno if seen.location else 0}.",
            )
        )

    def read(self, entry: data.Directive) -> None:
        """Read one directive into its list, or note why it does not belong in the file."""
        if not isinstance(entry, data.Custom) or entry.type not in DIRECTIVES:
            kinds = ", ".join(f'custom "{d}"' for d in DIRECTIVES)
            message = f"En scenariofil innehåller bara {kinds}; det här är inget av dem."
            self.errors.append(ScenarioError(location_of(entry.meta), message))
        elif entry.type == HEADER:
            self.headers.append(_header(entry, self.errors))
        elif entry.type == COMMITTEE:
            self.add_committee(_committee(entry, self.errors))
        elif entry.type == POSITION:
            if (position := _position(entry, self.errors)) is not None:
                self.positions.append(position)
        elif entry.type == COST:
            if (cost := _cost(entry, self.errors)) is not None:
                self.costs.append(cost)
        else:
            self.add_assumption(_assumption(entry, self.errors))

    def header_error(self) -> ScenarioError | None:
        """The problem with the file's headers, unless it has exactly one."""
        if len(self.headers) == 1:
            return None
        where = self.headers[1]["location"] if self.headers else Location(str(self.path), 1)
        return ScenarioError(
            where,
            f'En scenariofil har exakt ett custom "{HEADER}"-direktiv, inte {len(self.headers)}.',
        )

    def scenario(self) -> Scenario:
        """The scenario the directives describe (assumptions in report order)."""
        return Scenario(
            path=self.path,
            committees=tuple(self.committees),
            positions=tuple(self.positions),
            costs=tuple(self.costs),
            assumptions=tuple(sorted(self.assumptions, key=report_order)),
            **self.headers[0],
        )


def parse_entries(
    entries: list[data.Directive], path: Path
) -> tuple[Scenario | None, list[ScenarioError]]:
    """Build a scenario from parsed directives; report every malformed one.

    Without exactly one header there is no scenario to build (None), but the
    problems of the other directives are still reported.
    """
    parts = _Parts(path)
    for entry in entries:
        parts.read(entry)
    problem = parts.header_error()
    if problem is not None:
        return None, [*parts.errors, problem]
    return parts.scenario(), parts.errors


def parse_scenario(path: Path) -> tuple[Scenario | None, list[ScenarioError]]:
    """Parse a scenario file; Beancount's syntax errors come first, with their lines."""
    if not path.is_file():
        raise UserError(f"Scenariofilen {path} finns inte.")
    entries, syntax_errors, _ = parser.parse_file(str(path))
    errors = [
        ScenarioError(location_of(e.source), " ".join(str(e.message).split()))
        for e in syntax_errors
    ]
    scenario, problems = parse_entries(entries, path)
    return scenario, errors + problems

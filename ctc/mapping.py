"""The import mapping: from a finance system's codes to the ledger's terms.

A TOML file versioned with the ledger says which responsibility codes belong
to which committee and area, which project or activity values mark the
programme, and which account ranges are which kind of cost. It is
configuration, not code: finance officers change it without touching Python.
Codes match exactly, or by prefix when written with a trailing `*`; of
several matching account ranges the narrowest wins.

Income accounts are declared like cost accounts, as `[[income_type]]` ranges
of kind `external` or `internal` (sales to other units of the city); an
internal purchase is the cost kind `internal_purchase`. `[internal]` says what the
export's `Motpart` column holds (the counterparty's responsibility code, or
only an E/I flag) and which internal items city-wide totals eliminate: by
default those whose counterparty is a unit of one of the mapping's
committees, since that unit's programme costs are counted already.

Personnel kinds of cost (salary and PO unless a `[[cost_type]]` says
`personnel = false`) never get their free text copied into the ledger, since
exports carry names there; such entries are described by the account's name
from `[account_names]` instead. `[privacy] copy_personnel_text = true` turns
that off for a ledger whose exports are known to hold no names.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctc.accounts import INCOME, INTERNAL_INCOME, INTERNAL_KINDS, KINDS
from ctc.errors import UserError
from ctc.source_formats import DEFAULT_FORMATS, SourceFormats, parse_source_formats

PERSONNEL_KINDS = frozenset({"salary", "po"})
"""Kinds of cost whose rows are personnel costs unless the mapping says otherwise."""

INCOME_TYPES = {"external": INCOME, "internal": INTERNAL_INCOME}
"""`[[income_type]]` kind -> the ledger's kind of income."""

COUNTERPARTY_CODE = "code"
"""`Motpart` holds the counterparty's responsibility code on internal rows."""
COUNTERPARTY_FLAG = "flag"
"""`Motpart` holds only a flag: E (external), I (internal) or blank."""
COUNTERPARTY_MODES = (COUNTERPARTY_CODE, COUNTERPARTY_FLAG)

ELIMINATE_PROGRAMME = "programme"
"""Eliminate internal items whose counterparty is a unit of one of the mapping's committees."""
ELIMINATE_ALL = "all"
"""Eliminate every internal item (the counterparty is taken to be the programme's)."""
ELIMINATE_NONE = "none"
"""Eliminate nothing: city-wide totals add every committee's own figure."""
ELIMINATION_RULES = (ELIMINATE_PROGRAMME, ELIMINATE_ALL, ELIMINATE_NONE)


@dataclass(frozen=True, slots=True)
class CodeRule:
    """A responsibility code pattern: exact, or a prefix when it ends in `*`."""

    pattern: str

    def matches(self, code: str) -> bool:
        """Whether `code` matches this pattern."""
        if self.pattern.endswith("*"):
            return code.startswith(self.pattern[:-1])
        return code == self.pattern

    @property
    def specificity(self) -> int:
        """Longer patterns, and exact ones, are more specific."""
        return len(self.pattern.rstrip("*")) * 2 + (0 if self.pattern.endswith("*") else 1)


@dataclass(frozen=True, slots=True)
class AccountRange:
    """An inclusive range of account numbers mapped to a kind of cost."""

    first: int
    last: int
    kind: str

    @property
    def width(self) -> int:
        """How many accounts the range spans; the narrowest match wins."""
        return self.last - self.first


@dataclass(frozen=True, slots=True)
class Mapping:
    """A parsed mapping file."""

    path: Path
    municipality: str
    programme: str
    projects: frozenset[str]
    activities: frozenset[str]
    committees: tuple[tuple[CodeRule, str], ...]
    areas: tuple[tuple[CodeRule, str], ...]
    accounts: tuple[AccountRange, ...]
    personnel: frozenset[str] = PERSONNEL_KINDS
    """Kinds of cost whose free text is not copied into the ledger (it may hold names)."""
    account_names: dict[str, str] = field(default_factory=dict)
    """Account number -> its name, used as the text of personnel entries."""
    copy_personnel_text: bool = False
    formats: SourceFormats = DEFAULT_FORMATS
    """How SIE 4 and CSV exports are read (`[sie]`, `[csv]`)."""
    counterparty: str = COUNTERPARTY_CODE
    """What `Motpart` holds: the counterparty's responsibility code, or an E/I flag."""
    eliminate: str = ELIMINATE_PROGRAMME
    """Which internal items city-wide totals eliminate (see `ELIMINATION_RULES`)."""
    _answers: dict[tuple[str, str], str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """(question, code) -> answer: an export or a ledger repeats few codes many times."""

    def is_programme(self, project: str | None, activity: str | None) -> bool:
        """Whether a row's project or activity marks it as the programme's."""
        return (project or "") in self.projects or (activity or "") in self.activities

    def committee_of(self, code: str) -> str | None:
        """The committee a responsibility code belongs to, or None if unknown."""
        return self._answer("committee", code)

    def area_of(self, code: str) -> str | None:
        """The area whose unit a responsibility code is, or None (common cost)."""
        return self._answer("area", code)

    def kind_of(self, account: str) -> str | None:
        """The kind of cost of an account number, or None if no range holds it."""
        return self._answer("kind", account)

    def counterparty_committee(self, counterparty: str | None) -> str | None:
        """The committee whose unit an internal row's `Motpart` names, when it names one.

        None when `Motpart` holds only a flag, is blank, or is a code no
        committee of the mapping has (a unit outside the programme).
        """
        if self.counterparty != COUNTERPARTY_CODE or not counterparty:
            return None
        return self.committee_of(counterparty)

    def eliminates(self, kind: str, counterparty: str | None) -> bool:
        """Whether city-wide totals eliminate an internal item of this kind and counterparty."""
        if kind not in INTERNAL_KINDS or self.eliminate == ELIMINATE_NONE:
            return False
        return (
            self.eliminate == ELIMINATE_ALL or self.counterparty_committee(counterparty) is not None
        )

    def _answer(self, question: str, code: str) -> str | None:
        """A question about a code, worked out once per mapping and code."""
        key = (question, code)
        if key not in self._answers:
            self._answers[key] = _QUESTIONS[question](self, code)
        return self._answers[key]


def _kind_of(mapping: Mapping, account: str) -> str | None:
    if not account.isdigit():
        return None
    number = int(account)
    matches = [r for r in mapping.accounts if r.first <= number <= r.last]
    return min(matches, key=lambda r: r.width).kind if matches else None


_QUESTIONS = {
    "committee": lambda mapping, code: _most_specific(mapping.committees, code),
    "area": lambda mapping, code: _most_specific(mapping.areas, code),
    "kind": _kind_of,
}


def _most_specific(rules: tuple[tuple[CodeRule, str], ...], code: str) -> str | None:
    matches = [(rule, value) for rule, value in rules if rule.matches(code)]
    return max(matches, key=lambda m: m[0].specificity)[1] if matches else None


def _codes(table: dict[str, Any], key: str, where: str) -> list[str]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
        raise UserError(f"{where}: {key} ska vara en lista med koder.")
    return [str(v) for v in values]


def _range(text: str, kind: str, where: str) -> AccountRange:
    first, _, last = str(text).partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise UserError(
            f"{where}: kontointervallet {text!r} ska se ut som 5000-5599 eller 5011."
        ) from None
    if low > high:
        raise UserError(f"{where}: kontointervallet {text!r} är baklänges.")
    return AccountRange(low, high, kind)


def parse_mapping(raw: dict[str, Any], path: Path) -> Mapping:
    """Build a `Mapping` from parsed TOML, with a clear error for each mistake."""
    where = str(path)
    programme = raw.get("programme", {})
    internal = raw.get("internal", {})
    committees = tuple(
        (CodeRule(code), str(entry["short"]))
        for index, entry in enumerate(raw.get("committee", []))
        for code in _codes(entry, "responsibility", f"{where} [[committee]] nr {index + 1}")
    )
    areas = tuple(
        (CodeRule(code), str(entry["name"]))
        for index, entry in enumerate(raw.get("area", []))
        for code in _codes(entry, "responsibility", f"{where} [[area]] nr {index + 1}")
    )
    ranges, personnel = _cost_types(raw.get("cost_type", []), where)
    ranges += _income_types(raw.get("income_type", []), where)
    if not committees or not ranges:
        raise UserError(f"{where}: mappningen behöver minst en [[committee]] och en [[cost_type]].")
    return Mapping(
        path=path,
        municipality=str(raw.get("municipality", {}).get("name", "")),
        programme=str(programme.get("name", "CTC")),
        projects=frozenset(_codes(programme, "project", f"{where} [programme]")),
        activities=frozenset(_codes(programme, "activity", f"{where} [programme]")),
        committees=committees,
        areas=areas,
        accounts=tuple(ranges),
        personnel=personnel,
        account_names=_account_names(raw.get("account_names", {}), where),
        copy_personnel_text=_flag(raw.get("privacy", {}), "copy_personnel_text", where),
        formats=parse_source_formats(raw, where),
        counterparty=_choice(internal, "counterparty", COUNTERPARTY_MODES, where),
        eliminate=_choice(internal, "eliminate", ELIMINATION_RULES, where),
    )


def _cost_types(entries: list[Any], where: str) -> tuple[list[AccountRange], frozenset[str]]:
    """The `[[cost_type]]` ranges, and the kinds whose free text is personal data."""
    ranges = []
    personnel = set(PERSONNEL_KINDS)
    for index, entry in enumerate(entries):
        here = f"{where} [[cost_type]] nr {index + 1}"
        kind = entry.get("kind")
        if kind not in KINDS:
            raise UserError(f"{here}: okänd kostnadstyp {kind!r} (kända: {', '.join(KINDS)}).")
        flag = entry.get("personnel")
        if flag is not None and not isinstance(flag, bool):
            raise UserError(f"{here}: personnel ska vara true eller false.")
        if flag is not None:
            (personnel.add if flag else personnel.discard)(kind)
        ranges += [_range(text, kind, here) for text in entry.get("accounts", [])]
    return ranges, frozenset(personnel)


def _income_types(entries: list[Any], where: str) -> list[AccountRange]:
    """The `[[income_type]]` ranges: external income and internal sales."""
    ranges = []
    for index, entry in enumerate(entries):
        here = f"{where} [[income_type]] nr {index + 1}"
        kind = INCOME_TYPES.get(str(entry.get("kind")))
        if kind is None:
            raise UserError(
                f"{here}: okänd intäktstyp {entry.get('kind')!r} (kända: external, internal)."
            )
        ranges += [_range(text, kind, here) for text in entry.get("accounts", [])]
    return ranges


def _choice(table: Any, key: str, choices: tuple[str, ...], where: str) -> str:
    """One of a setting's allowed values; the first is the default."""
    value = table.get(key, choices[0]) if isinstance(table, dict) else choices[0]
    if value not in choices:
        raise UserError(
            f"{where} [internal]: {key} ska vara {' eller '.join(choices)}, inte {value!r}."
        )
    return str(value)


def _account_names(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise UserError(f'{where}: [account_names] ska ha formen "5011" = "Månadslön".')
    return {str(code): name for code, name in table.items()}


def _flag(table: Any, key: str, where: str) -> bool:
    value = table.get(key, False) if isinstance(table, dict) else False
    if not isinstance(value, bool):
        raise UserError(f"{where}: {key} ska vara true eller false.")
    return value


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; a broken file is a `UserError` naming it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"Mappningsfilen {path} finns inte.") from None
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"Mappningsfilen {path} går inte att läsa: {error}.") from None
    except KeyError as error:
        raise UserError(f"Mappningsfilen {path}: fältet {error} saknas.") from None
    try:
        return parse_mapping(raw, path)
    except KeyError as error:
        raise UserError(f"Mappningsfilen {path}: fältet {error} saknas.") from None

"""The registers kept in the ledger as `custom` directives.

Committees, areas, decisions, PO rates and the ledger's own options are data in
the books, not in code. Each `parse_*` function reads one kind of directive and
returns `(register, errors)`: it reports every problem with the entry's file
and line and keeps going, so one bad directive never hides the others.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

from beancount.core import data

from ctc.errors import RuleError, rule_error

COMMITTEE = "committee"
AREA = "area"
DECISION = "decision"
PO_RATE = "po-rate"
OPTION = "ctc-option"

CITY_BODIES = ("KF", "KS", "KSAU")
"""Bodies every municipality has; committees add their own short names."""

DECISION_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d{4}-\d{2}-\d{2}(?:-p\d+)?$")
"""The shape of a decision id: body, date and optionally `p` and the §."""


def customs(entries: Iterable[data.Directive], type_: str) -> list[data.Custom]:
    """The `custom` directives of one type, in ledger order."""
    return [e for e in entries if isinstance(e, data.Custom) and e.type == type_]


def first_value(entry: data.Custom) -> Any:
    """The first value of a custom directive, or None if it has none."""
    return entry.values[0].value if entry.values else None


def text_meta(entry: data.Directive, key: str) -> str | None:
    """A metadata value as a stripped string, or None when absent or empty."""
    value = entry.meta.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --- Committees and areas -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Committee:
    """A committee (nämnd) of a municipality: the unit that bears costs."""

    municipality: str
    short: str
    name: str


CommitteeRegister = dict[tuple[str, str], Committee]
"""(municipality, short name) -> committee, in ledger order."""


def parse_committees(
    entries: Iterable[data.Directive],
) -> tuple[CommitteeRegister, list[RuleError]]:
    """Read `custom "committee" "AoS"` directives (meta: municipality, name)."""
    register: CommitteeRegister = {}
    errors: list[RuleError] = []
    for entry in customs(entries, COMMITTEE):
        short = first_value(entry)
        municipality = text_meta(entry, "municipality")
        if not isinstance(short, str) or not municipality:
            errors.append(
                rule_error(
                    "register",
                    entry.meta,
                    "En nämnd behöver ett kortnamn och metadata municipality.",
                    entry,
                )
            )
            continue
        key = (municipality, short)
        if key in register:
            errors.append(
                rule_error(
                    "register",
                    entry.meta,
                    f"Nämnden {short} i {municipality} är redan registrerad.",
                    entry,
                )
            )
            continue
        register[key] = Committee(municipality, short, text_meta(entry, "name") or short)
    return register, errors


MUNICIPALITY = "municipality"

MunicipalityNames = dict[str, str]
"""A municipality as account names write it (`Linkoping`) -> its name as written (`Linköping`)."""


def parse_municipalities(entries: Iterable[data.Directive]) -> MunicipalityNames:
    """Read `custom "municipality" "Linkoping"` directives (meta: name, as written)."""
    names: MunicipalityNames = {}
    for entry in customs(entries, MUNICIPALITY):
        key = first_value(entry)
        name = text_meta(entry, "name")
        if isinstance(key, str) and name:
            names[key] = name
    return names


def municipality_name(names: MunicipalityNames, municipality: str) -> str:
    """How a reader sees a municipality: its name as written, else the key itself."""
    return names.get(municipality, municipality)


AreaRegister = dict[tuple[str, str], data.Custom]
"""(municipality, area name) -> its directive."""


def parse_areas(entries: Iterable[data.Directive]) -> tuple[AreaRegister, list[RuleError]]:
    """Read `custom "area" "Kirseberg"` directives (meta: municipality)."""
    register: AreaRegister = {}
    errors: list[RuleError] = []
    for entry in customs(entries, AREA):
        name = first_value(entry)
        municipality = text_meta(entry, "municipality")
        if not isinstance(name, str) or not municipality:
            errors.append(
                rule_error(
                    "register",
                    entry.meta,
                    "Ett område behöver ett namn och metadata municipality.",
                    entry,
                )
            )
            continue
        register[(municipality, name)] = entry
    return register, errors


# --- Decisions ---------------------------------------------------------------


STATUSES = ("förslag", "beslut", "besvarad", "upphävd")
"""A decision's status: a proposal, a decision, a motion answered, or repealed since."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision in the register, under its link-safe id, with what is known of its provenance.

    Only body, municipality and title are required; the rest is optional, so
    a register written before these fields stays valid: a decision without a
    status is a decision (`beslut`), and its date is taken as exact.
    """

    id: str
    date: datetime.date
    body: str
    municipality: str
    paragraph: str | None
    diary: str | None
    title: str
    synthetic: bool
    meta: dict[str, Any]
    status: str | None = None
    """One of `STATUSES`, when the register says."""
    date_exact: bool = True
    """False when the day is a placeholder (the documents give only the month, say)."""
    protocol: str | None = None
    """A link to the minutes (protokoll) the decision stands in."""
    span: tuple[int, int] | None = None
    """For a question about costs: the years it asks about (`from_year`, `to_year`)."""
    published: Decimal | None = None
    """A figure the decision published (kronor), to reconcile the ledger's against."""
    published_note: str | None = None
    """What the published figure is said to contain or how it was rounded."""
    closes: int | None = None
    """The year whose books the decision closes (bokslut, årsredovisning)."""


DecisionRegister = dict[str, Decision]
"""Decision id -> decision."""


def decision_id(body: str, date: datetime.date, paragraph: str | None) -> str:
    """The link-safe id of a decision: `KF-2024-09-26-p190`.

    Beancount links cannot hold `§`, `:` or spaces, so the § becomes `p`.
    """
    base = f"{body}-{date.isoformat()}"
    return f"{base}-p{paragraph}" if paragraph else base


def _paragraph(entry: data.Custom) -> str | None:
    value = entry.meta.get("paragraph")
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else str(value)
    return str(value).strip().lstrip("§").strip() or None


def _check_decision(entry: data.Custom, committees: CommitteeRegister) -> str | None:
    """Why a decision directive is malformed, or None if it is fine."""
    ident = first_value(entry)
    body = text_meta(entry, "body")
    municipality = text_meta(entry, "municipality")
    if not isinstance(ident, str) or not DECISION_ID_RE.match(ident):
        return f"Beslutets id {ident!r} ska ha formen ORGAN-ÅÅÅÅ-MM-DD eller ORGAN-ÅÅÅÅ-MM-DD-pNN."
    if not body or not municipality or not text_meta(entry, "title"):
        return f"Beslutet {ident} saknar body, municipality eller title."
    if body not in CITY_BODIES and (municipality, body) not in committees:
        return f"Beslutet {ident}: organet {body} är varken KF, KS, KSAU eller en registrerad nämnd i {municipality}."
    expected = decision_id(body, entry.date, _paragraph(entry))
    if ident != expected:
        return f"Beslutets id {ident} stämmer inte med organ, datum och paragraf; det ska vara {expected}."
    return _check_provenance(entry, ident)


def _check_provenance(entry: data.Custom, ident: str) -> str | None:
    """Why a decision's optional provenance fields are malformed, or None."""
    meta = entry.meta
    status = meta.get("status")
    problems = [
        f"status ska vara {', '.join(STATUSES)}, inte {status!r}"
        if status is not None and status not in STATUSES
        else None,
        *(
            f"{key} ska vara TRUE eller FALSE"
            for key in ("synthetic", "date_exact")
            if key in meta and not isinstance(meta[key], bool)
        ),
        _span_problem(meta),
        "published ska vara ett belopp i SEK (50000000 SEK)"
        if "published" in meta and _amount(meta["published"]) is None
        else None,
        "closes ska vara ett årtal" if "closes" in meta and not _is_year(meta["closes"]) else None,
    ]
    found = next((p for p in problems if p), None)
    return f"Beslutet {ident}: {found}." if found else None


def _span_problem(meta: dict[str, Any]) -> str | None:
    """Why a question's years are malformed, or None."""
    first, last = meta.get("from_year"), meta.get("to_year")
    if first is None and last is None:
        return None
    if not (_is_year(first) and _is_year(last)):
        return "from_year och to_year ska båda vara årtal"
    return "from_year ligger efter to_year" if first > last else None


def _is_year(value: object) -> TypeGuard[Decimal]:
    """Whether a metadata value is a four-digit year (Beancount reads 2018 as a number)."""
    return isinstance(value, Decimal) and value == value.to_integral() and 1000 <= value <= 9999


def _amount(value: object) -> Decimal | None:
    """A published figure: `50000000 SEK` (an amount) or a bare number, in kronor."""
    number = getattr(value, "number", value)
    currency = getattr(value, "currency", "SEK")
    return number if isinstance(number, Decimal) and currency == "SEK" else None


def _span(entry: data.Custom) -> tuple[int, int] | None:
    """The years a question asks about, when the register records them."""
    first, last = entry.meta.get("from_year"), entry.meta.get("to_year")
    return (int(first), int(last)) if _is_year(first) and _is_year(last) else None


def _decision(entry: data.Custom, ident: str) -> Decision:
    """A well-formed decision directive as a `Decision`."""
    meta = entry.meta
    closes = meta.get("closes")
    return Decision(
        id=ident,
        date=entry.date,
        body=text_meta(entry, "body") or "",
        municipality=text_meta(entry, "municipality") or "",
        paragraph=_paragraph(entry),
        diary=text_meta(entry, "diary"),
        title=text_meta(entry, "title") or "",
        synthetic=meta.get("synthetic") is True,
        meta=meta,
        status=text_meta(entry, "status"),
        date_exact=meta.get("date_exact") is not False,
        protocol=text_meta(entry, "protocol"),
        span=_span(entry),
        published=_amount(meta.get("published")) if "published" in meta else None,
        published_note=text_meta(entry, "published_note"),
        closes=int(closes) if _is_year(closes) else None,
    )


def parse_decisions(
    entries: Iterable[data.Directive], committees: CommitteeRegister
) -> tuple[DecisionRegister, list[RuleError]]:
    """Read `custom "decision" "KF-2024-09-26-p190"` directives.

    Meta: body, municipality, title, and where known paragraph (the §) and
    diary (diarienummer). The id must be built from body, date and §.
    Optional provenance: status, date_exact, synthetic, protocol; for a
    question about costs from_year/to_year and a published figure; closes
    for the decision that closes a year's books.
    """
    register: DecisionRegister = {}
    errors: list[RuleError] = []
    for entry in customs(entries, DECISION):
        problem = _check_decision(entry, committees)
        ident = first_value(entry)
        if problem is None and ident in register:
            problem = f"Beslutet {ident} är redan registrerat."
        if problem is not None:
            errors.append(rule_error("decision-register", entry.meta, problem, entry))
            continue
        register[ident] = _decision(entry, ident)
    return register, errors


# --- PO rates ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoRate:
    """The payroll overhead rate (PO-pålägg) of one year, as a percentage."""

    year: int
    percent: Decimal
    estimate: bool
    source: str | None

    @property
    def fraction(self) -> Decimal:
        """The rate as a fraction: 39.15 % -> 0.3915."""
        return self.percent / 100


PoRateRegister = dict[int, PoRate]
"""Year -> its PO rate."""


def parse_po_rates(entries: Iterable[data.Directive]) -> tuple[PoRateRegister, list[RuleError]]:
    """Read `YYYY-01-01 custom "po-rate" 39.15` directives (meta: source, estimate)."""
    register: PoRateRegister = {}
    errors: list[RuleError] = []
    for entry in customs(entries, PO_RATE):
        percent = first_value(entry)
        problem = None
        if not isinstance(percent, Decimal) or not (0 <= percent < 100):
            problem = f"PO-satsen ska vara ett tal i procent mellan 0 och 100, inte {percent!r}."
        elif (entry.date.month, entry.date.day) != (1, 1):
            problem = "En PO-sats gäller ett kalenderår och dateras den 1 januari."
        elif entry.date.year in register:
            problem = f"Det finns redan en PO-sats för {entry.date.year}."
        if problem is not None:
            errors.append(rule_error("po-rate-exists", entry.meta, problem, entry))
            continue
        register[entry.date.year] = PoRate(
            entry.date.year, percent, entry.meta.get("estimate") is True, text_meta(entry, "source")
        )
    return register, errors


# --- Options -------------------------------------------------------------------

KNOWN_OPTIONS = {
    "synthetic": bool,
    "programme": str,
    "mapping": str,
    "scope": str,
    "scope-excluded": str,
}


@dataclass(frozen=True, slots=True)
class LedgerOptions:
    """The ledger's own settings, from `custom "ctc-option" NAME VALUE`."""

    synthetic: bool = False
    synthetic_note: str | None = None
    programme: str = "CTC"
    mapping: str | None = None
    """Path of the import mapping, relative to the file that names it."""
    scope: str | None = None
    """What the programme's cost figures contain, in the city's own words."""
    scope_excluded: str | None = None
    """What they do not contain (premises, overhead, partners' time ...)."""


def parse_options(entries: Iterable[data.Directive]) -> tuple[LedgerOptions, list[RuleError]]:
    """Read the `ctc-option` directives; unknown names and wrong types are errors."""
    values: dict[str, Any] = {}
    note: str | None = None
    errors: list[RuleError] = []
    for entry in customs(entries, OPTION):
        name = first_value(entry)
        value = entry.values[1].value if len(entry.values) > 1 else None
        expected = KNOWN_OPTIONS.get(name) if isinstance(name, str) else None
        if expected is None or not isinstance(value, expected):
            known = ", ".join(KNOWN_OPTIONS)
            errors.append(
                rule_error(
                    "register",
                    entry.meta,
                    f"Okänt eller felaktigt ctc-option {name!r} (kända: {known}).",
                    entry,
                )
            )
            continue
        if name == "mapping" and isinstance(value, str):
            value = _relative_to_entry(entry, value)
        if name == "synthetic":
            note = text_meta(entry, "note")
        values[name.replace("-", "_")] = value
    return LedgerOptions(synthetic_note=note, **values), errors


def _relative_to_entry(entry: data.Custom, path: str) -> str:
    """Resolve a path written in a ledger file against that file's folder."""
    from pathlib import Path

    filename = entry.meta.get("filename")
    if filename and not Path(path).is_absolute():
        return str(Path(filename).parent / path)
    return path

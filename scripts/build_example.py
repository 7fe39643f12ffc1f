"""Regenerate the bundled example ledger deterministically, through the importers.

    python scripts/build_example.py                  # rewrite ledger/ and importers/examples/
    python scripts/build_example.py --out DIR --examples DIR2   # write elsewhere (tests compare)

The world it describes lives in `example_world.py`. The script writes it out
as the Excel files a finance officer would get (a finance-system export per
year, the positions roster, the two transfer decisions, the kommunbidrag
sheet) into `importers/examples/`, writes the ledger's registers (accounts,
decisions, PO rates), and then builds the rest of the ledger by running
`ctc import` on those workbooks: the example is what the importers produce.
Running it twice gives byte-identical workbooks and ledger files.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import example_exports
import example_scenarios
import example_world as world
from synthetic_xlsx import write_xlsx

from ctc.accounts import (
    INCOME_KINDS,
    KINDS,
    allocation_counter_account,
    cost_account,
    cost_counter_account,
    kommunbidrag_account,
)
from ctc.files import atomic_write
from ctc.importers.run import run_import
from ctc.importers.summary import rejection_message
from ctc.importers.writing.ledger_files import header_of
from ctc.ledger import load_ledger
from ctc.numbers import format_number
from ctc.plugins import DERIVED, RULES
from ctc.recording import publish
from ctc.transfers import TransferItem, TransferPlan, transfer_transactions
from ctc.writer import render_entries

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledger"
PROGRAMME = "CTC"
SEK = "SEK"
D = Decimal

HEADER = """\
; CTC – kostnader, tjänster och växlingar av kommunbidrag i Malmö och Linköping
;
; OBS: SYNTETISKA EXEMPELDATA. Nämnderna, att första fasen gällde fem områden,
; besluten, datumen och diarienumren följer de offentliga handlingarna om CTC i
; Malmö (2017–2024) och Linköping (2019–2022); beslut vars datum är en
; platshållare har date_exact: FALSE. De fem områdenas namn finns inte i
; handlingarna: de är påhittade. Alla belopp – löner, kostnader, intäkter,
; kommunbidrag och växlingar – är påhittade men rimliga, och kalibrerade så att
; CTC:s bruttokostnad 2018–2023 är cirka 50 mnkr, den siffra staden redovisade
; (KSAU 2024-12-02 § 604). Beslut som inte finns i handlingarna (nämndernas
; yttranden, KF:s budgetbeslut) är markerade med synthetic: TRUE.
;
; Genererad av scripts/build_example.py; ändra där, inte här.
"""


OWNED = (
    "main.beancount",
    "accounts.beancount",
    "decisions.beancount",
    "po-rates.beancount",
    "positions.beancount",
    "kommunbidrag.beancount",
    "transfers.beancount",
    "sources.beancount",
    "published.beancount",
)
"""The ledger files the script writes; all but main.beancount are included by it."""

PUBLISHED_SPAN = {"from_year": 2018, "to_year": 2023}
"""The span of KSAU 2024-12-02 § 604's answer (about 50 mnkr), recorded as published."""
IMPORT_DAY = datetime.date(2026, 1, 15)
"""The day of import every example file's record carries, pinned so the example regenerates
byte for byte (a real import records the day it ran)."""


def meta(**values: object) -> dict:
    """Entry metadata with the placeholder source the printer ignores."""
    return {
        "filename": "<example>",
        "lineno": 0,
        **{k: v for k, v in values.items() if v is not None},
    }


def custom(day: datetime.date, type_: str, *values: object, **meta_values: object) -> data.Custom:
    """A `custom` directive with typed values."""
    typed = [ValueType(v, type(v)) for v in values]
    return data.Custom(meta(**meta_values), day, type_, typed)


def sek(amount: Decimal) -> Amount:
    """An amount in kronor."""
    return Amount(amount, SEK)


# --- Static registers ------------------------------------------------------------

START = datetime.date(world.FIRST_YEAR, 1, 1)


SCOPE = (
    "direkta kostnader som bokförts med projektkoden CTC hos de nämnder som bar dem: lön och "
    "personalomkostnader (PO) för programmets tjänster, CTC-enkäten, utbildning, licenser, "
    "insatsprogram och trycksaker; programmets egna intäkter (sålda utbildningar, bidrag) "
    "dras av i nettokostnaden"
)
"""What the example city's figures contain, in its own words (syntetiskt exempel)."""

SCOPE_EXCLUDED = (
    "lokaler, gemensamma kostnader för ledning, administration och IT (overhead), och den "
    "arbetstid som andra medarbetare och samverkansparter (skola, socialtjänst, polis, "
    "föreningar) lagt i områdesteamen, eftersom inget av det bokförts med projektkoden CTC"
)
"""What the example city's figures do not contain."""

MUNICIPALITY_NAMES = {world.MUNICIPALITY: "Malmö", world.LINKOPING: "Linköping"}
"""Each municipality's name as written; account names keep the ASCII form."""


def main_file() -> str:
    """The top file: notice, options, plugins, includes."""
    options = render_entries(
        [
            custom(
                START,
                "ctc-option",
                "synthetic",
                True,
                note="Beloppen är syntetiska exempeldata; beslut och datum följer offentliga handlingar.",
            ),
            custom(START, "ctc-option", "programme", PROGRAMME),
            custom(START, "ctc-option", "mapping", "mapping.toml"),
            custom(START, "ctc-option", "scope", SCOPE),
            custom(START, "ctc-option", "scope-excluded", SCOPE_EXCLUDED),
            custom(START, "fava-option", "language", "sv"),
            custom(START, "fava-option", "locale", "sv_SE"),
            custom(START, "fava-option", "invert-income-liabilities-equity", "true"),
            custom(START, "fava-option", "default-page", "extension/CtcDashboard/"),
            custom(START, "fava-extension", "ctc.fava"),
        ]
    )
    plugins = "\n".join(f'plugin "ctc.plugins.{name}"' for name in (*RULES, *DERIVED))
    includes = "\n".join(f'include "{name}"' for name in (*OWNED[1:], "costs/*.beancount"))
    return (
        f"{HEADER}\n"
        'option "title" "CTC Malmö och Linköping (syntetiska exempeldata)"\n'
        'option "operating_currency" "SEK"\n\n'
        f"{plugins}\n\n{options}\n{includes}\n"
    )


def accounts_file() -> str:
    """Currency, committees, areas and every account the example uses."""
    entries: list[data.Directive] = [data.Commodity(meta(name="Svenska kronor"), START, SEK)]
    for municipality, name in MUNICIPALITY_NAMES.items():
        entries.append(custom(START, "municipality", municipality, name=name))
    for municipality, short, name in world.COMMITTEES:
        entries.append(custom(START, "committee", short, municipality=municipality, name=name))
    for area in world.AREAS:
        entries.append(custom(START, "area", area, municipality=world.MUNICIPALITY))
    for municipality in (world.MUNICIPALITY, world.LINKOPING):
        entries.append(
            data.Open(meta(), START, allocation_counter_account(municipality), [SEK], None)
        )
        entries.append(data.Open(meta(), START, cost_counter_account(municipality), [SEK], None))
    for municipality, short, _ in world.COMMITTEES:
        entries.append(
            data.Open(
                meta(), START, kommunbidrag_account(municipality, short, PROGRAMME), [SEK], None
            )
        )
        for kind in (*KINDS, *INCOME_KINDS):
            entries.append(
                data.Open(
                    meta(), START, cost_account(municipality, short, PROGRAMME, kind), [SEK], None
                )
            )
    return "; Valuta, nämnder, områden och konton.\n\n" + render_entries(entries)


def decisions_file() -> str:
    """The decision register: every decision named in the seeds, plus synthetic budgets.

    Each carries what is known of its provenance: its status, whether its day
    is exact, whether it is synthetic; the question about CTC's yearly costs
    (KSAU 2024-12-02 § 604) the years it asks about and the figure it published.
    """
    entries = [
        custom(
            d.date,
            "decision",
            d.id,
            body=d.body,
            municipality=d.municipality,
            paragraph=d.paragraph,
            diary=d.diary,
            title=d.title,
            synthetic=True if d.synthetic else None,
            status=d.status,
            date_exact=False if not d.date_exact else None,
            note=d.note,
            **dict(d.extra),
        )
        for d in world.DECISIONS
    ]
    return "; Beslutsregistret. Id = organ-datum[-p§].\n\n" + render_entries(entries)


def po_rates_file() -> str:
    """PO rates per year, SKR's published figures where known."""
    entries = [
        custom(
            datetime.date(r.year, 1, 1), "po-rate", r.percent, source=r.source, estimate=r.estimate
        )
        for r in world.PO_RATES
    ]
    return "; PO-pålägg per år, procent av lönen.\n\n" + render_entries(entries)


# --- The positions roster ------------------------------------------------------------------

ROSTER_HEADER = (
    "Tjänst",
    "Roll",
    "Nämnd",
    "Område",
    "Ansvar",
    "Tjänstgöringsgrad",
    "Månadslön",
    "Från",
    "Till",
    "Beslut",
    "Anteckning",
)


def roster_rows() -> list[list[object]]:
    """HR's roster: each position's opening, yearly salary revisions and 2024 move, as states."""
    rows: list[list[object]] = [list(ROSTER_HEADER)]
    for p in world.POSITIONS:
        days = [p.start, *world.revision_days(p)]
        if p.move_to is not None:
            days.append(world.REORG_DATE)
        for day in sorted(set(days)):
            committee, unit = world.holder_on(p, day)
            if day == p.start:
                decision, note = world.KS_2017.id, None
            elif day == world.REORG_DATE and p.move_to is not None:
                decision, note = world.KF_2024.id, None
            else:
                decision, note = None, f"Lönerevision {day.year}"
            salary = world.salary_on(p, day)
            rows.append(
                [p.id, p.role, committee, p.area, unit, p.fte, salary, day, None, decision, note]
            )
    return rows


# --- Växlingar ---------------------------------------------------------------------------


def position_items(
    positions: list[world.Position], day: datetime.date, giver_of, receiver_of
) -> list[TransferItem]:
    """Salary and PO lines for positions whose funding moves on `day`."""
    items = []
    for p in positions:
        salary = world.round_kr(world.salary_on(p, day) * p.fte * 12)
        po = world.round_kr(salary * world.PO[day.year])
        for cost_type, amount in (("salary", salary), ("po", po)):
            items.append(TransferItem(giver_of(p), receiver_of(p), cost_type, amount, p.id))
    return items


LOCAL_OTHER_2018 = D(world.AREA_PROGRAMMES[2019] + world.AREA_TRAINING + world.AREA_PRINT)
LOCAL_OTHER_2024 = D(world.AREA_PROGRAMMES_LATER + world.AREA_TRAINING + world.AREA_PRINT)
CENTRAL_OTHER_2024 = D(
    world.CENTRAL_PROGRAMMES_FULL_YEAR + world.CENTRAL_TRAINING_FULL_YEAR + world.LICENCE_FULL_YEAR
)
UL = [p for p in world.POSITIONS if p.id.startswith("UL-")]
MOVING_CENTRAL = [p for p in world.POSITIONS if p.move_to and p.move_to[0] == "AoS"]
MOVING_LOCAL = [p for p in world.POSITIONS if p.move_to and p.move_to[0] == "FrN"]


def plan_2018() -> TransferPlan:
    """KS hands the local development leaders' money to their committees (KS 2017)."""
    items = position_items(UL, world.UL_START, lambda p: "KS", lambda p: p.committee)
    items += [TransferItem("KS", p.committee, "other", LOCAL_OTHER_2018) for p in UL]
    return TransferPlan(
        world.KS_2017.id,
        (world.KS_2017.id,),
        world.MUNICIPALITY,
        PROGRAMME,
        world.UL_START,
        "lokala utvecklingsledare till fem nämnder",
        tuple(items),
    )


def plan_2024() -> TransferPlan:
    """The 2024 reorganisation: seven positions KS -> AoS, four leaders -> FrN."""
    day = world.REORG_DATE
    items = position_items(MOVING_CENTRAL, day, lambda p: "KS", lambda p: "AoS")
    items.append(TransferItem("KS", "AoS", "other", CENTRAL_OTHER_2024))
    items += position_items(MOVING_LOCAL, day, lambda p: p.committee, lambda p: "FrN")
    items += [TransferItem(p.committee, "FrN", "other", LOCAL_OTHER_2024) for p in MOVING_LOCAL]
    links = (world.KF_2024.id, *(d.id for d in world.COMMITTEE_2024))
    return TransferPlan(
        world.KF_2024.id,
        links,
        world.MUNICIPALITY,
        PROGRAMME,
        day,
        "CTC-omorganisation (samordning till AoS, utvecklingsledare till FrN)",
        tuple(items),
    )


PLANS = [plan_2018(), plan_2024()]


def transfer_sheet(plan: TransferPlan, links: tuple[str, ...]) -> list[list[object]]:
    """A transfer decision as the finance department writes it: key cells, then the lines.

    Salary and PO of a moving position are left blank: the importer takes them
    from the positions register and the year's PO rate.
    """
    rows: list[list[object]] = [
        ["Växling av kommunbidrag"],
        [],
        ["Beslut", plan.decision],
        ["Ikraftträdande", plan.effective],
        ["Rubrik", plan.title],
    ]
    if links:
        rows.append(["Nämndbeslut", ", ".join(links)])
    rows += [[], ["Tjänst", "Från nämnd", "Till nämnd", "Lön", "PO", "Övrigt", "Text"]]
    seen: set[str] = set()
    for item in plan.items:
        if item.position is not None:
            if item.position not in seen:
                seen.add(item.position)
                rows.append([item.position, item.giver, item.receiver, None, None, None, None])
        else:
            rows.append(
                [None, item.giver, item.receiver, None, None, item.full_year, "Övriga kostnader"]
            )
    return rows


# --- Kommunbidrag ---------------------------------------------------------------------------


def budget_holder(p: world.Position, year: int) -> str | None:
    """The committee whose base budget funds a position in `year`, before växlingar.

    KF's base budgets hold the local leaders at KS until their first full-year
    växling (2019) has run, and every position at its original committee until
    the 2024 växling's full-year effect (2025) has run; the example ends there.
    """
    if p.start.year > year:
        return None
    return "KS" if p in UL and year <= world.UL_START.year + 1 else p.committee


def personnel_budget(p: world.Position, year: int) -> Decimal:
    """A position's budgeted salary and PO for the months it exists in `year`."""
    first = max(p.start, datetime.date(year, 1, 1))
    months = 13 - first.month
    salary = world.salary_on(p, first) * p.fte * months
    return salary * (1 + world.PO[year])


def other_budget(committee: str, year: int) -> Decimal:
    """The planned other costs in a committee's base budget (before växlingar)."""
    area_year = D(world.AREA_PROGRAMMES.get(year, world.AREA_PROGRAMMES_LATER))
    area_year += D(world.AREA_TRAINING + world.AREA_PRINT) if year > 2018 else D(0)
    local = {p.committee for p in UL}
    if committee in local:
        return area_year if year > world.UL_START.year + 1 else D(0)
    if committee != "KS":
        return D(0)
    central = D(
        world.KS_TRAINING.get(year, 0)
        + world.KS_PROGRAMMES.get(year, 0)
        + world.SURVEY.get(year, 0)
        + 30000
    )
    central += D(95000 if year == 2017 else world.LICENCE)
    if year >= world.REORG_DATE.year:
        central = CENTRAL_OTHER_2024 + D(world.SURVEY.get(year, 0) + 30000)
    if year <= world.UL_START.year + 1:
        central += area_year * len(UL)
    return central


def full_year_items(year: int) -> list[TransferItem]:
    """The lines of every växling whose full-year effect falls in `year`."""
    return [item for plan in PLANS if plan.effective.year + 1 == year for item in plan.items]


INCLUDED = {world.REORG_DATE.year + 1: world.KF_2024.id}
"""Budget year -> the växling whose full-year effect KF's budget for the year already holds.

KF's 2025 budget was decided after the 2024 reorganisation, so its frames are
the new ones: each committee's 2025 allocation includes the växling's
full-year effect, which the ledger then counts once. (KF's 2019 budget is
modelled the older way: the 2018 växling's full-year effect moves the money.)
"""


def allocations() -> dict[tuple[int, str], Decimal]:
    """Each committee's base kommunbidrag per year, before växlingar.

    The base covers the committee's positions and planned other costs,
    rounded to 1 000 kr. What a växling moves in its full-year effect is held
    in the giver's base at exactly the amount the växling moves, so that the
    giver keeps neither a surplus nor a deficit from the move.
    """
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for year in range(world.FIRST_YEAR, world.LAST_YEAR + 1):
        moved = full_year_items(year)
        moved_positions = {item.position for item in moved if item.position}
        for p in world.POSITIONS:
            holder = budget_holder(p, year)
            if holder is not None and p.id not in moved_positions:
                totals[(year, holder)] += personnel_budget(p, year)
        for _, short, _ in world.COMMITTEES[:6]:
            moved_other = sum(
                (i.full_year for i in moved if i.giver == short and i.position is None), D(0)
            )
            totals[(year, short)] += other_budget(short, year) - moved_other
        for key, value in list(totals.items()):
            if key[0] == year:
                totals[key] = world.round_kr(value, "1000")
        for item in moved:
            holder = item.receiver if year in INCLUDED else item.giver
            totals[(year, holder)] += item.full_year
    return {
        key: value
        for key, value in totals.items()
        if value or (key[0] in INCLUDED and involved(key[1], key[0]))
    }


def involved(committee: str, year: int) -> bool:
    """Whether a committee gives or receives in the växling whose full-year effect falls in `year`."""
    return any(committee in (item.giver, item.receiver) for item in full_year_items(year))


def kommunbidrag_rows() -> list[list[object]]:
    """One row per committee and year, citing KF's budget decision (or KS's 2017 decision).

    A budget that already holds a växling's full-year effect names the växling
    (`Inkluderar växling`), a committee that gave all its programme money away
    with a zero frame.
    """
    order = [short for _, short, _ in world.COMMITTEES[:6]]
    rows: list[list[object]] = [
        ["År", "Nämnd", "Program", "Kommunbidrag", "Beslut", "Datum", "Inkluderar växling"]
    ]
    for (year, committee), amount in sorted(
        allocations().items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))
    ):
        decision = world.BUDGET_DECISIONS.get(year, world.KS_2017)
        day = decision.date if year == decision.date.year else None
        includes = INCLUDED.get(year) if involved(committee, year) else None
        rows.append([year, committee, PROGRAMME, amount, decision.id, day, includes])
    return rows


# --- Finance-system exports ---------------------------------------------------------------

RAINDANCE = (
    "Ver.datum",
    "Ver.nr",
    "Konto",
    "Kontonamn",
    "Ansvar",
    "Verksamhet",
    "Projekt",
    "Text",
    "Belopp",
)
AGRESSO = (
    "Period",
    "Bokföringsdatum",
    "TransNo",
    "Konto",
    "Ansvar",
    "Projekt",
    "Aktivitet",
    "Beskrivning",
    "Belopp",
)


def swedish_amount(amount: Decimal) -> str:
    """An amount as some systems export it: text with space thousands and a decimal comma."""
    return format_number(amount, 2)


def raindance_rows(year: int, rows: list[world.CostRow]) -> list[list[object]]:
    """A Raindance-shaped export: title rows, real dates, numeric amounts and a sum row.

    A year with internal rows has a `Motpart` column, holding the other unit's
    responsibility code on those rows (as the mapping says, counterparty = "code").
    """
    motpart = any(r.counterparty for r in rows)
    header = list(RAINDANCE)
    if motpart:
        header.insert(header.index("Projekt") + 1, "Motpart")
    sheet: list[list[object]] = [
        [f"Malmö stad – Utfall per verifikationsrad {year} (syntetiska exempeldata)"],
        [f"Urval: period {year}01–{year}12, projekt {PROGRAMME}"],
        [],
        header,
    ]
    for r in rows:
        codes: list[object] = [r.unit, r.activity, PROGRAMME]
        if motpart:
            codes.append(r.counterparty or None)
        name = world.ACCOUNT_NAMES[r.account]
        sheet.append([r.date, r.voucher, int(r.account), name, *codes, r.text, r.amount])
    total = sum((r.amount for r in rows), D(0))
    sheet.append(["Summa", *([None] * (len(header) - 2)), total])
    return sheet


def export_rows(year: int) -> list[list[object]]:
    """A year's booked rows, shaped like one of two finance systems' exports.

    Odd years look like Raindance (title rows, real dates, numeric amounts and
    a sum row); even years like Agresso (a period column and amounts as
    Swedish text). The rows and amounts are `example_world`'s, unchanged.
    """
    rows = world.cost_rows(year)
    if year % 2:
        return raindance_rows(year, rows)
    sheet = [list(AGRESSO)]
    sheet += [
        [
            f"{r.date:%Y%m}",
            r.date.isoformat(),
            r.voucher,
            r.account,
            r.unit,
            PROGRAMME,
            r.activity,
            r.text,
            swedish_amount(r.amount),
        ]
        for r in rows
    ]
    return sheet


# --- Writing --------------------------------------------------------------------------------

EXAMPLES = ROOT / "importers" / "examples"
ARCHIVE_FROM_LEDGER = "../importers/examples"
"""Where the ledger finds the example's sources: they are committed, not archived."""


def workbooks() -> dict[str, list[tuple[str, list[list[object]]]]]:
    """Every example workbook: file name -> sheets, in the order they are imported."""
    plan_2018, plan_2024 = PLANS
    books: dict[str, list[tuple[str, list[list[object]]]]] = {
        "tjanster.xlsx": [("Tjänster", roster_rows())],
        "kommunbidrag.xlsx": [("Kommunbidrag", kommunbidrag_rows())],
        "vaxling_2018.xlsx": [("Beslut", transfer_sheet(plan_2018, ()))],
        "vaxling_2024.xlsx": [
            ("Beslut", transfer_sheet(plan_2024, tuple(d.id for d in world.COMMITTEE_2024)))
        ],
    }
    for year in range(world.FIRST_YEAR, world.LAST_YEAR + 1):
        books[f"utfall_{year}.xlsx"] = [("Utfall" if year % 2 else "Blad1", export_rows(year))]
    return books


TEXT_EXPORT_YEAR = 2018
"""The year whose rows are also written as SIE 4 and CSV (`example_exports`; not imported)."""


def write_workbooks(examples: Path) -> list[Path]:
    """Write the example workbooks and text exports, byte-identically on every run."""
    paths = []
    for name, sheets in workbooks().items():
        path = examples / name
        write_xlsx(path, sheets)
        paths.append(path)
    for suffix, render in ((".se", example_exports.sie_text), (".csv", example_exports.csv_text)):
        path = examples / f"utfall_{TEXT_EXPORT_YEAR}{suffix}"
        path.write_bytes(render(TEXT_EXPORT_YEAR))
        paths.append(path)
    return paths


def check_transfers(out: Path) -> None:
    """The imported växlingar must be exactly the world's plans (salary and PO from the ledger)."""
    ledger = load_ledger(out / "main.beancount")
    expected = [entry for plan in PLANS for entry in transfer_transactions(plan)]
    imported = [
        e for e in ledger.entries if isinstance(e, data.Transaction) and "vaxling" in e.tags
    ]
    numbers = [[p.units.number for p in e.postings] for e in imported]
    if numbers != [[p.units.number for p in e.postings] for e in expected]:
        raise SystemExit("the imported växlingar differ from the example world's plans")


def write(out: Path, examples: Path) -> list[Path]:
    """Write the workbooks, the registers, then import the workbooks into `out`."""
    written = write_workbooks(examples)
    for name in OWNED:
        (out / name).unlink(missing_ok=True)
    for path in (out / "costs").glob("*.beancount"):
        path.unlink()
    files = {
        "main.beancount": main_file(),
        "accounts.beancount": accounts_file(),
        "decisions.beancount": decisions_file(),
        "po-rates.beancount": po_rates_file(),
    }
    targets = [
        *OWNED[4:],
        *(f"costs/{y}.beancount" for y in range(world.FIRST_YEAR, world.LAST_YEAR + 1)),
    ]
    files.update({relative: header_of(relative) for relative in targets})
    for relative, text in files.items():
        atomic_write(out / relative, text)
        written.append(out / relative)
    if out != LEDGER:
        atomic_write(out / "mapping.toml", (LEDGER / "mapping.toml").read_text(encoding="utf-8"))
    sources = [examples / name for name in workbooks()]
    kept_at = {path: f"{ARCHIVE_FROM_LEDGER}/{path.name}" for path in sources}
    summary = run_import(sources, out / "main.beancount", kept_at=kept_at, imported_on=IMPORT_DAY)
    if summary.rejected:
        raise SystemExit(rejection_message(summary))
    check_transfers(out)
    written += [Path(p) for p in summary.written]
    # The motion answer the city published, recorded by the same path `--publish` takes.
    _, recorded = publish(
        out / "main.beancount",
        "motion",
        dict(PUBLISHED_SPAN),
        ("tkr", "sv"),
        world.KSAU_2024_MOTION.id,
    )
    written += [Path(p) for p in recorded.written]
    # The scenarios are drafted from the ledger the import just wrote.
    ledger = example_scenarios.load_example(out / "main.beancount")
    for relative, make in (
        (example_scenarios.PILOT, example_scenarios.linkoping_pilot),
        (example_scenarios.FORECAST, example_scenarios.malmo_forecast),
    ):
        atomic_write(out / relative, make(ledger))
        written.append(out / relative)
    return written


def main() -> int:
    """Parse arguments and write the example."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=LEDGER, help="ledger folder to write (default: ledger/)"
    )
    parser.add_argument(
        "--examples",
        type=Path,
        default=EXAMPLES,
        help="folder for the example workbooks (default: importers/examples/)",
    )
    args = parser.parse_args()
    for path in sorted(set(write(args.out, args.examples))):
        print(path)
    if args.out.resolve() == LEDGER.resolve():
        # The worked examples in ledger/README.md hold digests of the example's entries.
        import readme_records

        readme_records.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

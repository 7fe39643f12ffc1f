"""Deterministic synthetic inputs for the benchmark suite.

Finance-system exports in the example coding (written with a streaming
writer, so a 1 048 575-row sheet never sits in memory) and ledgers with N
programme transactions over ten years and all committees. Everything is
seeded: the same arguments give the same files. Inputs go to a cache folder
outside the repository and are reused while their parameters are unchanged.
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "ledger"
EXCEL_MAX_ROWS = 1_048_575
"""Data rows that fit under one header row on an Excel sheet."""

HEADER = [
    "Ver.datum",
    "Ver.nr",
    "Konto",
    "Kontonamn",
    "Ansvar",
    "Verksamhet",
    "Projekt",
    "Motpart",
    "Text",
    "Belopp",
]
ACCOUNTS = [
    (5011, "Månadslön"),
    (5021, "Semesterlön"),
    (5611, "Arbetsgivaravgifter"),
    (5711, "Pensionskostnader"),
    (6410, "Kurser och konferenser"),
    (6530, "Trycksaker"),
    (7010, "Konsulttjänster"),
    (7620, "Licenser"),
]
UNITS = {
    "KS": ["110100", "110240"],
    "AoS": ["310310", "310455"],
    "GrN": ["520101"],
    "FsN": ["540110"],
    "KuN": ["610020"],
    "FrN": ["650030", "650031"],
}
OTHER_PROJECTS = ["OMRLYFT", "TRYGG", "SOMMAR24", ""]
PROGRAMME = "CTC"


@dataclass(frozen=True, slots=True)
class ExportTruth:
    """What a correct import of a generated export reproduces."""

    rows: int
    programme_rows: int
    programme_total: Decimal
    by_year_committee: dict[str, Decimal]


SHAPES = ("full", "sparse")
"""Export layouts: `full` has every code filled in; `sparse` (11 columns) leaves Aktivitet
and Motpart empty, Projekt blank on most other rows, and adds a column no kind knows."""
SPARSE_HEADER = [
    "Ver.datum",
    "Ver.nr",
    "Konto",
    "Kontonamn",
    "Ansvar",
    "Ansvarsnamn",
    "Aktivitet",
    "Projekt",
    "Motpart",
    "Text",
    "Belopp",
]
SPARSE_BLANK_PROJECT = 0.6
"""Of a sparse export's other rows, the share with no project at all."""


def export_path(cache: Path, rows: int, seed: int, share: float, shape: str = "full") -> Path:
    """Where the export with these parameters is cached."""
    suffix = "" if shape == "full" else f"_{shape}"
    return cache / f"export_{rows}_{seed}_{round(share * 1000)}{suffix}.xlsx"


def truth_path(export: Path) -> Path:
    """Where the figures a correct import of `export` gives are kept."""
    return export.with_suffix(".truth.json")


def ensure_export(cache: Path, rows: int, seed: int, share: float, shape: str = "full") -> Path:
    """The export with these parameters, written (with its truth) unless already cached."""
    path = export_path(cache, rows, seed, share, shape)
    if not (path.exists() and truth_path(path).exists()):
        truth = write_export(path, rows, seed, share, shape=shape)
        record = {
            "rows": truth.rows,
            "programme_rows": truth.programme_rows,
            "programme_total": str(truth.programme_total),
            "by_year_committee": {
                key: str(value) for key, value in truth.by_year_committee.items()
            },
        }
        truth_path(path).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return path


def read_truth(export: Path) -> dict:
    """The figures `ensure_export` recorded for an export."""
    return json.loads(truth_path(export).read_text(encoding="utf-8"))


def write_export(
    path: Path,
    rows: int,
    seed: int = 1,
    share: float = 0.05,
    year: int = 2023,
    shape: str = "full",
) -> ExportTruth:
    """Write a one-sheet export of `rows` booked lines; `share` of them are the programme's."""
    import xlsxwriter

    if shape not in SHAPES:
        raise ValueError(f"unknown export shape {shape!r}")
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    workbook = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    workbook.set_properties({"created": datetime.datetime(2024, 1, 1)})
    sheet = workbook.add_worksheet("Utfall")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    write_row = _full_row if shape == "full" else _sparse_row
    sheet.write_row(0, 0, HEADER if shape == "full" else SPARSE_HEADER)
    committees = list(UNITS)
    programme_rows = 0
    total = Decimal(0)
    by_committee: dict[str, Decimal] = {}
    for index in range(1, rows + 1):
        committee = committees[rng.randrange(len(committees))]
        unit = rng.choice(UNITS[committee])
        account = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        is_programme = rng.random() < share
        cents = (
            rng.randrange(-50_000, 9_000_000)
            if rng.random() < 0.03
            else rng.randrange(100, 9_000_000)
        )
        amount = Decimal(cents) / 100
        day = datetime.datetime(year, rng.randrange(1, 13), rng.randrange(1, 29))
        sheet.write_datetime(index, 0, day, date_format)
        sheet.write_string(index, 1, f"V{year}{index:07d}")
        write_row(sheet, index, rng, unit, account, is_programme)
        sheet.write_number(index, len(HEADER) - 1 if shape == "full" else 10, float(amount))
        if is_programme:
            programme_rows += 1
            total += amount
            by_committee[committee] = by_committee.get(committee, Decimal(0)) + amount
    workbook.close()
    tmp.replace(path)
    by_year = {f"{year}|{c}": v for c, v in sorted(by_committee.items())}
    return ExportTruth(rows, programme_rows, total, by_year)


def _full_row(sheet, index, rng, unit, account, is_programme) -> None:
    """Columns C-I of the full layout: every code filled in."""
    number, name = account
    sheet.write_number(index, 2, number)
    sheet.write_string(index, 3, name)
    sheet.write_string(index, 4, unit)
    sheet.write_string(index, 5, rng.choice(["410", "420", "509"]))
    sheet.write_string(index, 6, PROGRAMME if is_programme else rng.choice(OTHER_PROJECTS))
    sheet.write_string(index, 7, rng.choice(["I", "E", ""]))
    sheet.write_string(index, 8, f"{name} {index}")


def _sparse_row(sheet, index, rng, unit, account, is_programme) -> None:
    """Columns C-J of the sparse layout: no activity or counterparty, few projects."""
    number, name = account
    sheet.write_number(index, 2, number)
    sheet.write_string(index, 3, name)
    sheet.write_string(index, 4, unit)
    sheet.write_string(index, 5, f"Enhet {unit}")
    if is_programme:
        sheet.write_string(index, 7, PROGRAMME)
    elif rng.random() >= SPARSE_BLANK_PROJECT:
        sheet.write_string(index, 7, rng.choice(OTHER_PROJECTS[:-1]))
    sheet.write_string(index, 9, f"{name} {index}")


# --- Ledgers ----------------------------------------------------------------------------

REGISTER_FILES = (
    "accounts.beancount",
    "decisions.beancount",
    "po-rates.beancount",
    "positions.beancount",
    "transfers.beancount",  # the money the positions' moves take along (rule move-with-money)
)
KINDS = [
    "Lon",
    "PO",
    "Ovrigt",
    "Ovrigt:Enkat",
    "Ovrigt:Utbildning",
    "Ovrigt:Licenser",
    "Ovrigt:Program",
]


def ensure_ledger(folder: Path, transactions: int, seed: int = 1, plugins: bool = True) -> Path:
    """The generated ledger in `folder`, written unless it is already complete there."""
    main = folder / "main.beancount"
    done = folder / ".complete-2"  # 2: with the växlingar and a 2016 PO rate the rules need
    if not (main.exists() and done.exists()):
        write_ledger(folder, transactions, seed, plugins)
        done.write_text("", encoding="utf-8")
    return main


def write_ledger(folder: Path, transactions: int, seed: int = 1, plugins: bool = True) -> Path:
    """A ledger with the example's registers and `transactions` cost entries over ten years."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*REGISTER_FILES, "mapping.toml"):
        shutil.copyfile(EXAMPLE / name, folder / name)
    accounts = (folder / "accounts.beancount").read_text(encoding="utf-8")
    # Ten years of costs start in 2016, a year before the example opens its accounts;
    # a year with PO booked needs its PO rate (rule po-rate-exists).
    (folder / "accounts.beancount").write_text(
        accounts.replace("2017-01-01 ", "2016-01-01 "), encoding="utf-8"
    )
    with (folder / "po-rates.beancount").open("a", encoding="utf-8") as rates:
        rates.write('\n2016-01-01 custom "po-rate" 38.46\n  source: "Benchmark input"\n')
    main = (EXAMPLE / "main.beancount").read_text(encoding="utf-8")
    kept = [
        line
        for line in main.splitlines()
        if not line.startswith("include ") and (plugins or not line.startswith("plugin "))
    ]
    includes = [f'include "{name}"' for name in REGISTER_FILES] + ['include "costs.beancount"']
    (folder / "main.beancount").write_text("\n".join(kept + includes) + "\n", encoding="utf-8")
    committees = list(UNITS)
    lines: list[str] = []
    for index in range(transactions):
        year = 2016 + index % 10
        day = datetime.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
        committee = committees[rng.randrange(len(committees))]
        kind = KINDS[rng.randrange(len(KINDS))]
        amount = Decimal(rng.randrange(100, 5_000_000)) / 100
        lines.append(
            f'{day} * "Kostnad {index}"\n'
            f'  responsibility: "{UNITS[committee][0]}"\n'
            f"  Expenses:Malmo:{committee}:CTC:{kind}  {amount} SEK\n"
            f"  Liabilities:Malmo:Avrakning\n"
        )
    (folder / "costs.beancount").write_text("\n".join(lines), encoding="utf-8")
    return folder / "main.beancount"

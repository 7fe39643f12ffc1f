"""The example's text exports: one year's booked rows as SIE 4 and as CSV (synthetic).

`build_example.py` writes them beside the example workbooks. They hold the
same programme rows as that year's workbook (`example_world.cost_rows`),
shaped as two other kinds of export, plus a few rows of other work, so a
dry run of any of the three files gives the same control totals. They are
not imported into the example ledger: that would count the year twice.

- `utfall_YEAR.se`: SIE 4I as a finance system writes it for an auditor's
  tool: `#FORMAT PC8` (code page 437), dimension 1 the responsibility code
  and 6 the project, one voucher per row balanced against account 2440,
  and the `#KSUMMA` checksum.
- `utfall_YEAR.csv`: semicolon-separated Windows-1252 text with two title
  rows, Swedish amounts (`-1 234,50`) and a sum row at the bottom.
"""

from __future__ import annotations

import datetime
import re
import zlib
from decimal import Decimal

import example_world as world

PROGRAMME = "CTC"
SETTLEMENT = "2440"
OTHER_WORK = (
    ("6530", "310310", "OMRLYFT", "Trycksaker, annat projekt", Decimal("4312.50")),
    ("7010", "520101", "", "Konsult, ordinarie verksamhet", Decimal("18000.00")),
    ("6410", "650031", "IDROTT", "Kurs, annat projekt", Decimal("-950.00")),
)
"""Rows of other work in the same coding: counted and left out by a correct import."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _other_rows(year: int) -> list[tuple[datetime.date, str, str, str, str, Decimal]]:
    return [
        (datetime.date(year, 3 + 3 * i, 15), account, unit, project, text, amount)
        for i, (account, unit, project, text, amount) in enumerate(OTHER_WORK)
    ]


def _all_rows(year: int) -> list[tuple[datetime.date, str, str, str, str, Decimal]]:
    rows = [(r.date, r.account, r.unit, PROGRAMME, r.text, r.amount) for r in world.cost_rows(year)]
    return sorted(rows + _other_rows(year), key=lambda r: (r[0], r[1], r[2], r[4]))


def _fields(line: str) -> list[str]:
    """The fields of one SIE record for the checksum: unquoted, braces left out."""
    out = []
    for quoted, word in re.findall(r'"((?:[^"\\]|\\.)*)"|([^\s"{}]+)', line):
        out.append(quoted.replace('\\"', '"').replace("\\\\", "\\") if quoted or not word else word)
    return out


def sie_text(year: int) -> bytes:
    """The year's rows as a SIE 4I file in code page 437."""
    head = [
        "#FLAGGA 0",
        '#PROGRAM "Exempelsystemet" "1.0"',
        "#FORMAT PC8",
        f"#GEN {year + 1}0115",
        "#SIETYP 4",
        '#FNAMN "Malmö stad (syntetiska exempeldata)"',
        f"#RAR 0 {year}0101 {year}1231",
        '#DIM 1 "Ansvar"',
        '#DIM 6 "Projekt"',
    ]
    body: list[str] = []
    for number, (day, account, unit, project, text, amount) in enumerate(_all_rows(year), 1):
        objects = f'1 "{unit}"' + (f' 6 "{project}"' if project else "")
        body += [
            f"#VER A {number} {day:%Y%m%d} {_quote(text)}",
            "{",
            f"\t#TRANS {account} {{{objects}}} {amount}",
            f"\t#TRANS {SETTLEMENT} {{}} {-amount}",
            "}",
        ]
    checksum = 0
    for line in body:
        for field in _fields(line):
            checksum = zlib.crc32(field.encode("cp437"), checksum)
    lines = [*head, "#KSUMMA", *body, f"#KSUMMA {checksum}"]
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def _swedish(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{groups},{cents}"


def csv_text(year: int) -> bytes:
    """The year's rows as a semicolon-separated Windows-1252 export with a sum row."""
    rows = _all_rows(year)
    lines = [
        f"Malmö stad – Utfall per verifikationsrad {year} (syntetiska exempeldata);;;;;;",
        f"Urval: period {year}01–{year}12;;;;;;",
        "Datum;Konto;Ansvar;Projekt;Text;Ver.nr;Belopp",
    ]
    for number, (day, account, unit, project, text, amount) in enumerate(rows, 1):
        quoted = '"' + text.replace('"', '""') + '"' if ";" in text or '"' in text else text
        lines.append(
            f"{day.isoformat()};{account};{unit};{project};{quoted};B{number};{_swedish(amount)}"
        )
    total = sum((r[5] for r in rows), Decimal(0))
    lines.append(f"Summa;;;;;;{_swedish(total)}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")

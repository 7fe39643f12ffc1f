"""Excel templates (mallar) for the files a finance officer fills in by hand.

A växling decision, a positions roster and a kommunbidrag sheet, generated
from the ledger they will be imported into. Each template's data sheet has
exactly the header (and, for the decision, the key cells) its importer reads,
in the first header word of each column of its kind (`ctc.importers.kinds`),
so a filled-in template imports without edits. The ledger's registers
(committees, positions, areas, decisions, växlingar, municipalities) are
offered as drop-down lists (data validation over a hidden sheet of lists),
dates, years and amounts are validated as such, the year's PO rate is filled
in, and the instructions are on a sheet of their own, written so that no
cell there reads as a header. The templates hold no data rows: a user never
has to delete an example before importing.

The drop-downs help; they do not decide. Whatever a filled template holds,
the importer checks every row against the ledger and refuses a mistake with
its sheet, row, column and reason.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ctc.errors import UserError
from ctc.importers.kinds.kommunbidrag import KOMMUNBIDRAG
from ctc.importers.kinds.roster import TJANSTER
from ctc.importers.kinds.vaxling import KEYS, VAXLING
from ctc.importers.reading.layout import Kind
from ctc.ledger import Ledger
from ctc.numbers import format_number

LISTS_SHEET = "Listor"
INSTRUCTIONS_SHEET = "Instruktioner"
ROWS = 500
"""Data rows a template validates: more than any one decision, roster or budget needs."""
FIRST_DATE = "DATE(2000,1,1)"
LAST_DATE = "DATE(2100,12,31)"
DATE_FORMAT = "yyyy-mm-dd"
KRONOR_FORMAT = "#,##0"
AMOUNT_FORMAT = "#,##0.00"


@dataclass(frozen=True, slots=True)
class Lists:
    """The registers a template offers, as the importer reads them."""

    committees: tuple[str, ...]
    municipalities: tuple[str, ...]
    positions: tuple[str, ...]
    areas: tuple[str, ...]
    decisions: tuple[str, ...]
    """Most recent first: the one a user is after is usually new."""
    transfers: tuple[str, ...]
    """Decisions that carry a växling (what a budget may include)."""
    programmes: tuple[str, ...]

    @classmethod
    def of(cls, ledger: Ledger) -> Lists:
        """The lists of a loaded ledger's registers."""
        registers = ledger.registers
        decisions = sorted(registers.decisions.values(), key=lambda d: (d.date, d.id))
        return cls(
            committees=tuple(dict.fromkeys(c.short for c in registers.committees.values())),
            municipalities=tuple(dict.fromkeys(town for town, _ in registers.committees)),
            positions=tuple(sorted(registers.history)),
            areas=registers.area_names(),
            decisions=tuple(d.id for d in reversed(decisions)),
            transfers=tuple(dict.fromkeys(t.decision for t in registers.transfers if t.decision)),
            programmes=(registers.options.programme,),
        )


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a template: its header, what it takes, and how it is checked."""

    field: str
    """The kind's field (`Column.field`): the header is the column's first word."""
    help: str
    """What to write, for the instructions and the cell's input message (Swedish)."""
    check: Callable[[Lists], DataValidation | None] = lambda _: None
    number_format: str | None = None
    width: int = 14


@dataclass(frozen=True, slots=True)
class Template:
    """A template of one kind of file."""

    kind: Kind
    title: str
    sheet: str
    fields: tuple[Field, ...]
    about: tuple[str, ...]
    """The instructions' opening paragraphs."""


def _list(name: str, what: str, strict: bool = True) -> Callable[[Lists], DataValidation | None]:
    """A drop-down of one list; `strict` refuses other values, else only warns."""

    def make(lists: Lists) -> DataValidation | None:
        column = LIST_COLUMNS.index(name) + 1
        count = len(getattr(lists, name))
        if not count:
            return None
        letter = get_column_letter(column)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${count + 1}"
        check = DataValidation(type="list", formula1=source, allow_blank=True)
        check.showErrorMessage = True
        check.errorStyle = "stop" if strict else "information"
        check.errorTitle = "Finns inte i huvudboken"
        check.error = f"Välj {what} ur listan (huvudbokens register)."
        if not strict:
            check.error = f"{what.capitalize()} finns inte i huvudboken än; stämmer det?"
        return check

    return make


CheckType = Literal["whole", "decimal", "date"]
Operator = Literal["between", "greaterThanOrEqual"]


def _bounded(
    kind: CheckType, operator: Operator, first: str, second: str | None, message: str
) -> Callable[[Lists], DataValidation]:
    """A number or date check (`kind` is Excel's: whole, decimal, date)."""

    def make(_: Lists) -> DataValidation:
        check = DataValidation(
            type=kind, operator=operator, formula1=first, formula2=second, allow_blank=True
        )
        check.showErrorMessage = True
        check.errorStyle = "stop"
        check.errorTitle = "Fel värde"
        check.error = message
        return check

    return make


DATE = _bounded("date", "between", FIRST_DATE, LAST_DATE, "Skriv ett datum, ÅÅÅÅ-MM-DD.")
KRONOR = _bounded("whole", "greaterThanOrEqual", "0", None, "Skriv ett belopp i hela kronor.")
AMOUNT = _bounded("decimal", "greaterThanOrEqual", "0", None, "Skriv ett belopp i kronor.")
FTE = _bounded("decimal", "between", "0", "1", "Tjänstgöringsgraden är större än 0 och högst 1.")
YEAR = _bounded("whole", "between", "1900", "2200", "Skriv året med fyra siffror.")

LIST_COLUMNS = (
    "committees",
    "municipalities",
    "positions",
    "areas",
    "decisions",
    "transfers",
    "programmes",
)
LIST_TITLES = {
    "committees": "Nämnder (kortnamn)",
    "municipalities": "Kommuner (som i kontona)",
    "positions": "Tjänster (id)",
    "areas": "Områden (namn)",
    "decisions": "Beslut (id), senaste först",
    "transfers": "Beslut med växling",
    "programmes": "Program (kortnamn)",
}
"""The hidden lists' captions: none of them is a header word of any kind."""

MUNICIPALITY = Field(
    "municipality",
    "Kommunen som den skrivs i kontona; lämna tomt för mappningens kommun.",
    _list("municipalities", "kommunen"),
)

VAXLING_TEMPLATE = Template(
    kind=VAXLING,
    title="Växling av kommunbidrag",
    sheet="Beslut",
    fields=(
        Field(
            "position",
            "Tjänstens id om raden flyttar en tjänst; lön och PO räknas då ur huvudboken om du "
            "lämnar dem tomma.",
            _list("positions", "tjänsten", strict=False),
        ),
        Field("giver", "Nämnden som lämnar kommunbidrag (kortnamn).", _list("committees", "nämnd")),
        Field("receiver", "Nämnden som tar emot (kortnamn).", _list("committees", "nämnd")),
        Field("salary", "Lön för helår, i hela kronor.", KRONOR, KRONOR_FORMAT),
        Field("po", "PO för helår, i hela kronor.", KRONOR, KRONOR_FORMAT),
        Field("other", "Övriga kostnader för helår, i hela kronor.", KRONOR, KRONOR_FORMAT),
        Field("text", "Vad raden avser (inga namn på personer).", width=40),
    ),
    about=(
        "En växling flyttar kommunbidrag från en nämnd till en annan enligt ett beslut. "
        "Fyll i beslutet och ikraftträdandet överst och en rad per flytt under rubrikerna. "
        "Beloppen är helårsbelopp i hela kronor: huvudboken räknar själv fram de tillämpliga "
        "månaderna och bokför helårseffekten året efter.",
        "Beslutet och nämndernas beslut (Nämndbeslut, med komma emellan) måste finnas i "
        "huvudbokens beslutsregister. Kommun och Program kan lämnas tomma.",
    ),
)

ROSTER_TEMPLATE = Template(
    kind=TJANSTER,
    title="Tjänsteförteckning",
    sheet="Tjänster",
    fields=(
        Field(
            "position",
            "Tjänstens id (en roll, aldrig en person). Ett nytt id inrättar en ny tjänst.",
            _list("positions", "tjänsten", strict=False),
        ),
        Field("role", "Rollen, t.ex. Lokal utvecklingsledare.", width=28),
        Field(
            "committee",
            "Nämnden som finansierar tjänsten från datumet.",
            _list("committees", "nämnd"),
        ),
        Field("area", "Området, om tjänsten hör till ett.", _list("areas", "området")),
        Field("unit", "Ansvarskoden som lönen bokförs på.", number_format="@"),
        Field("fte", "Tjänstgöringsgrad: större än 0 och högst 1.", FTE, "0.00"),
        Field("salary", "Månadslön för heltid, i kronor.", AMOUNT, AMOUNT_FORMAT),
        Field("start", "Från och med detta datum gäller raden.", DATE, DATE_FORMAT, 12),
        Field("end", "Sista dagen tjänsten finansieras, om den upphör.", DATE, DATE_FORMAT, 12),
        Field("decision", "Beslutet bakom ändringen.", _list("decisions", "beslutet"), width=24),
        Field("note", "Varför (t.ex. Lönerevision); inga namn.", width=30),
        MUNICIPALITY,
    ),
    about=(
        "En rad säger hur en tjänst ser ut från ett datum: nämnd, roll, område, "
        "tjänstgöringsgrad och månadslön. En ny nämnd på en rad är en flytt av tjänsten; den "
        "behöver en växling enligt samma beslut (läs in båda filerna samtidigt).",
        "Rader som redan finns i huvudboken känns igen och läses inte in igen.",
    ),
)

KOMMUNBIDRAG_TEMPLATE = Template(
    kind=KOMMUNBIDRAG,
    title="Kommunbidrag",
    sheet="Kommunbidrag",
    fields=(
        Field("year", "Budgetåret, fyra siffror.", YEAR, "0", 8),
        Field("committee", "Nämnden (kortnamn).", _list("committees", "nämnd")),
        Field(
            "programme",
            "Programmet; lämna tomt för huvudbokens.",
            _list("programmes", "programmet"),
        ),
        Field("amount", "Kommunbidraget för året, i kronor.", AMOUNT, AMOUNT_FORMAT, 16),
        Field("decision", "Budgetbeslutet.", _list("decisions", "beslutet"), width=24),
        Field("date", "Datum för en ram som ges mitt i året; annars tomt.", DATE, DATE_FORMAT, 12),
        Field(
            "includes",
            "Växlingen vars helårseffekt redan ingår i ramen, om någon.",
            _list("transfers", "växlingens beslut"),
            width=24,
        ),
        MUNICIPALITY,
    ),
    about=(
        "En rad per nämnd och år: fullmäktiges kommunbidrag för programmet och beslutet bakom det.",
        "En budget som beslutas efter en växling innehåller redan växlingens helårseffekt: "
        "ange då växlingens beslut under Inkluderar växling.",
    ),
)

TEMPLATES: dict[str, Template] = {
    "vaxling": VAXLING_TEMPLATE,
    "tjanster": ROSTER_TEMPLATE,
    "kommunbidrag": KOMMUNBIDRAG_TEMPLATE,
}
"""The templates by the name of their kind (`ctc import` tells them apart by content)."""

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def check_kind(name: str) -> Template:
    """The template of a name; a clear error for any other."""
    template = TEMPLATES.get(name)
    if template is None:
        known = ", ".join(TEMPLATES)
        raise UserError(f"Det finns ingen mall {name[:40]!r}; välj en av {known}.")
    return template


def header(field: Field, kind: Kind) -> str:
    """The header word of a field: the first its importer knows it by."""
    return kind.column(field.field).words[0]


def filename(name: str, year: int | None) -> str:
    """The file name a template downloads as."""
    return f"mall_{name}_{year}.xlsx" if name == "vaxling" and year else f"mall_{name}.xlsx"


def template_workbook(name: str, ledger: Ledger, year: int | None = None) -> bytes:
    """The template `name` for `ledger` as .xlsx bytes; `year` chooses the växling's PO rate."""
    template = check_kind(name)
    lists = Lists.of(ledger)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = template.sheet
    first = _write_top(sheet, template, ledger, lists, year)
    _write_fields(sheet, template, lists, first)
    _write_instructions(book.create_sheet(INSTRUCTIONS_SHEET), template, ledger, year)
    _write_lists(book.create_sheet(LISTS_SHEET), lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_top(
    sheet: Worksheet, template: Template, ledger: Ledger, lists: Lists, year: int | None
) -> int:
    """The title, a pointer to the instructions and (for a decision) its key cells.

    Returns the header's row.
    """
    sheet["A1"] = template.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "Fyll i under rubrikerna; bladet Instruktioner säger vad varje kolumn tar."
    if template.kind is not VAXLING:
        return 4
    keys = (
        ("decision", _list("decisions", "beslutet")(lists)),
        ("effective", DATE(lists)),
        ("title", None),
        ("links", None),
        ("municipality", _list("municipalities", "kommunen")(lists)),
        ("programme", _list("programmes", "programmet")(lists)),
    )
    for row, (key, check) in enumerate(keys, start=4):
        sheet.cell(row, 1, KEYS[key][0]).font = Font(bold=True)
        cell = sheet.cell(row, 2)
        if key == "effective":
            cell.number_format = DATE_FORMAT
        if check is not None:
            sheet.add_data_validation(check)
            check.add(cell.coordinate)
    row = 4 + len(keys)
    sheet.cell(row, 1, f"PO-sats {year or ''}".strip()).font = Font(italic=True)
    sheet.cell(row, 2, _po_text(ledger, year))
    return row + 2


def _write_fields(sheet: Worksheet, template: Template, lists: Lists, row: int) -> None:
    """The header row, and each column's format, width and check over the data rows."""
    for column, field in enumerate(template.fields, start=1):
        cell = sheet.cell(row, column, header(field, template.kind))
        cell.font = Font(bold=True)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(field.width, len(str(cell.value)) + 2)
        cells = f"{letter}{row + 1}:{letter}{row + ROWS}"
        check = field.check(lists)
        if check is not None:
            check.promptTitle = str(cell.value)[:32]
            check.prompt = field.help[:255]
            check.showInputMessage = True
            sheet.add_data_validation(check)
            check.add(cells)
        if field.number_format:
            for (data_cell,) in sheet[cells]:
                data_cell.number_format = field.number_format
    sheet.freeze_panes = f"A{row + 1}"


def _po_text(ledger: Ledger, year: int | None) -> str:
    """The year's PO rate as the instructions and the decision sheet show it."""
    if year is None:
        return "inget år valt"
    rate = ledger.registers.po_rates.get(year)
    if rate is None:
        return f"saknas i huvudboken för {year}; ange PO på raderna"
    estimate = " (uppskattning)" if rate.estimate else ""
    return f"{format_number(rate.percent, 2)} %{estimate}"


def _write_instructions(
    sheet: Worksheet, template: Template, ledger: Ledger, year: int | None
) -> None:
    """The instructions: what the file is, each column, and how to read it in."""
    kind = template.kind
    lines: list[str] = [f"Mall: {template.title.lower()}", *template.about, ""]
    if kind is VAXLING:
        lines += [
            "Överst, i cellen till höger om respektive ord: "
            f"{KEYS['decision'][0]} (beslutets id ur registret), {KEYS['effective'][0]} "
            f"(datum), {KEYS['title'][0]} (vad växlingen gäller), {KEYS['links'][0]} "
            f"(nämndernas beslut), {KEYS['municipality'][0]} och {KEYS['programme'][0]}.",
            f"PO-satsen {year or ''}: {_po_text(ledger, year)}. Lämnar du PO tom på en rad med "
            "tjänst räknas PO som lönen gånger ikraftträdandeårets PO-sats; på en rad utan "
            "tjänst skriver du PO själv.",
            "",
        ]
    lines.append("Kolumnerna (lägg inte till, ta inte bort och byt inte namn på rubrikerna):")
    lines += [f"• {header(field, kind)}: {field.help}" for field in template.fields]
    lines += [
        "",
        "Listorna kommer ur huvudbokens register den dag mallen hämtades "
        f"({datetime.date.today().isoformat()}); en ny nämnd, ett nytt område eller ett nytt "
        "beslut läggs först in i huvudboken.",
        "Läs in filen på sidan Läs in i Fava (förhandsgranska, sedan Läs in) eller med "
        "ctc import. En rad med fel avvisas med blad, rad, kolumn och skäl, och då skrivs "
        "ingenting; rätta raden och läs in filen igen.",
        "Skriv aldrig namn på personer: en tjänst är en roll.",
    ]
    sheet.column_dimensions["A"].width = 110
    for row, text in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)


def _write_lists(sheet: Worksheet, lists: Lists) -> None:
    """The hidden sheet the drop-downs read: one register per column."""
    for column, name in enumerate(LIST_COLUMNS, start=1):
        sheet.cell(1, column, LIST_TITLES[name]).font = Font(bold=True)
        values: Sequence[str] = getattr(lists, name)
        for row, value in enumerate(values, start=2):
            cell = sheet.cell(row, column, value)
            cell.data_type = "s"  # a register's text, never a formula (even if it starts with =)
        sheet.column_dimensions[get_column_letter(column)].width = 24
    sheet.sheet_state = "hidden"

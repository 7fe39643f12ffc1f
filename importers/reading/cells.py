"""Reading one cell: amounts, dates, periods and codes, exactly.

Finance systems write the same value in many ways: an amount as an Excel
number or as Swedish text ("12 345,67", "-1 234,00", "1 234,50 kr", with
non-breaking or thin spaces and the minus sign "−"); a date as an Excel date,
ISO text or YYYYMMDD; a code as text or as a number. Each parser here turns
one cell into one exact value, or raises `CellError` with the reason in
Swedish. Money never passes through float arithmetic: an Excel float becomes
the `Decimal` of its shortest representation and must then be whole öre.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from decimal import Decimal, InvalidOperation

ORE = Decimal("0.01")
FLOAT_TOLERANCE = Decimal("0.000001")
"""How far an Excel float may sit from whole öre (binary noise), before it is refused."""
FAST_LIMIT = 1e11
ORE_NOISE = 1e-4
"""How far `value * 100` may sit from a whole number of öre (binary noise)."""

EXCEL_EPOCH = datetime.date(1899, 12, 30)
SPACES = dict.fromkeys(map(ord, " \u00a0\u2009\u202f\u2007\t'"), None)
"""Thousands separators finance systems use: space, no-break, thin, narrow no-break, figure, apostrophe."""
MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
CURRENCY = re.compile(r"(?i)\s*(?:kr\.?|sek|:-)\s*$|^\s*(?:sek|kr)\s*")
PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
ISO_DATE = re.compile(
    r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
"""A year-first date: 2024-09-01 (ISO), or 2024/09/01 or 2024.09.01 as some systems write it."""
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
PERIOD = re.compile(r"^(\d{4})[-/ ]?(\d{2})$")


EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
    | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)
"""The error values a formula cell shows; the readers hand them on as text."""


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says why, in Swedish."""


def is_blank(value: object) -> bool:
    """Whether a cell is empty (calamine gives '' for an empty cell)."""
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def parse_amount(value: object) -> Decimal:
    """An amount in kronor, exact to the öre."""
    if isinstance(value, bool):
        raise CellError(f"väntade ett belopp, fick sanningsvärdet {value}")
    if isinstance(value, int):
        return Decimal(value).quantize(ORE)
    if isinstance(value, float):
        return _from_float(value)
    if isinstance(value, str):
        return _from_text(value)
    if is_blank(value):
        raise CellError("beloppet saknas")
    raise CellError(f"väntade ett belopp, fick {value!r}")


def _from_float(value: float) -> Decimal:
    """An Excel float as exact öre: its value in öre must be a whole number, give or take noise.

    Below `FAST_LIMIT` kronor, `value * 100` lies within a millionth of an öre of
    the true number of öre, so rounding it recovers them exactly; above, the
    float's shortest representation is used.
    """
    if math.isnan(value) or math.isinf(value):
        raise CellError("beloppet är inget tal")
    if -FAST_LIMIT < value < FAST_LIMIT:
        scaled = value * 100
        ore = round(scaled)
        if abs(scaled - ore) > ORE_NOISE:
            raise CellError(f"beloppet {value!r} har bråkdelar av öre")
        return Decimal(ore).scaleb(-2)
    exact = Decimal(repr(value))
    rounded = exact.quantize(ORE)
    if abs(exact - rounded) > FLOAT_TOLERANCE:
        raise CellError(f"beloppet {exact} har bråkdelar av öre")
    return rounded


def _excel_error(text: str) -> CellError | None:
    """The error for a cell that shows an Excel error value, or None."""
    if text.upper() in EXCEL_ERRORS:
        return CellError(
            f"cellen visar Excels felvärde {text.upper()} (formeln går inte att räkna ut)"
        )
    return None


def _from_text(value: str) -> Decimal:
    text = value.strip()
    if not text:
        raise CellError("beloppet saknas")
    if text[0] == "#" and (error := _excel_error(text)):
        raise error
    cleaned = CURRENCY.sub("", text.translate(MINUSES)).translate(SPACES)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-") and not cleaned.startswith("-"):
        negative, cleaned = True, cleaned[:-1]
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    if not PLAIN_NUMBER.match(cleaned):
        raise CellError(f"oläsbart belopp {text!r}")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"oläsbart belopp {text!r}") from None
    if amount != amount.quantize(ORE):
        raise CellError(f"beloppet {text!r} har fler än två decimaler")
    return -amount.quantize(ORE) if negative else amount.quantize(ORE)


def parse_date(value: object) -> datetime.date:
    """A date from an Excel date, ISO text ("2024-09-01"), YYYYMMDD or an Excel serial number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"väntade ett datum, fick {value}")
    if isinstance(value, int | float):
        return _date_from_number(value)
    if isinstance(value, str):
        return _date_from_text(value.strip())
    raise CellError("datumet saknas" if is_blank(value) else f"oläsbart datum {value!r}")


def _date_from_number(value: float) -> datetime.date:
    """A date written as a number: YYYYMMDD, or an Excel serial day."""
    if value == int(value) and 19000101 <= value <= 99991231:
        return _compact(str(int(value)))
    if value == int(value) and 1 <= value < 2958466:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    raise CellError(f"oläsbart datum {value!r}")


def _date_from_text(text: str) -> datetime.date:
    """A date written as text: ISO (ÅÅÅÅ-MM-DD) or compact (ÅÅÅÅMMDD)."""
    if not text:
        raise CellError("datumet saknas")
    if text[0] == "#" and (error := _excel_error(text)):
        raise error
    if match := ISO_DATE.match(text):
        year, _, month, day = match.groups()
        return _date(text, int(year), int(month), int(day))
    if COMPACT_DATE.match(text):
        return _compact(text)
    raise CellError(f"oläsbart datum {text!r} (väntade ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)")


def _compact(text: str) -> datetime.date:
    match = COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"oläsbart datum {text!r}")
    return _date(text, *map(int, match.groups()))


def _date(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"datumet {text!r} finns inte") from None


def parse_period(value: object) -> tuple[int, int]:
    """(year, month) of a booking period YYYYMM; period 13, the closing period, is December.

    Returns the month as written (1-13), so the period can be kept as it was.
    """
    if isinstance(value, bool):
        raise CellError(f"väntade en period ÅÅÅÅMM, fick {value}")
    if isinstance(value, int | float) and value == int(value):
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise CellError("perioden saknas" if is_blank(value) else f"oläsbar period {value!r}")
    match = PERIOD.match(text)
    if match is None:
        raise CellError(f"oläsbar period {text!r} (väntade ÅÅÅÅMM)")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 13) or year < 1900:
        raise CellError(f"perioden {text!r} finns inte (månad 01-13)")
    return year, month


def period_end(year: int, month: int) -> datetime.date:
    """The last day of a period; period 13 ends on 31 December."""
    month = min(month, 12)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_code(value: object) -> str:
    """A code (account, responsibility, project) as text: 5011.0 becomes "5011"."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def parse_text(value: object) -> str:
    """Free text, with runs of whitespace made single spaces."""
    if isinstance(value, str):
        return " ".join(value.split())
    return parse_code(value)


def parse_fte(value: object) -> Decimal:
    """A degree of employment: 1, 0.75, "75 %" or "0,75"."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return parse_number(value.strip()[:-1]) / 100
    return parse_number(value)


def parse_number(value: object) -> Decimal:
    """Any exact number, Swedish text allowed ("0,75", "1 234")."""
    if isinstance(value, bool) or is_blank(value):
        raise CellError("talet saknas")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).normalize()
    text = str(value).strip().translate(MINUSES).translate(SPACES).replace(",", ".")
    if not PLAIN_NUMBER.match(text):
        raise CellError(f"oläsbart tal {value!r}")
    return Decimal(text)

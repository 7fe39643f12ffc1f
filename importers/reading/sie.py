"""Reading a SIE 4 file (types 4E and 4I): its vouchers and their transaction rows.

SIE is the Swedish standard every accounting and finance system exchanges
books in. A file is lines of labelled records: `#FLAGGA` first, then the
company, its fiscal years (`#RAR`), dimensions and objects (`#DIM`,
`#UNDERDIM`, `#OBJEKT`), and the vouchers:

    #VER series number date "text" regdate sign
    {
       #TRANS account {dim "object" ...} amount date "text" quantity sign
    }

Fields are separated by spaces or tabs; a field with spaces is quoted, a
quote inside it escaped `\\"`. An `#RTRANS` row was added to the voucher
afterwards and is followed by an identical `#TRANS` for readers that do not
know it: together they count once. A `#BTRANS` row was removed and does not
count. Unknown labels are passed over, as the standard asks.

`#FORMAT PC8` declares IBM code page 437; files that declare it but were in
fact written in Windows-1252 or UTF-8 are recognised by their letters. Each
voucher must balance, lie within a declared fiscal year, and the `#KSUMMA`
checksum (CRC-32 over the fields between the two `#KSUMMA` records), when
present, must hold; anything else is a problem reported with its line.

Reading stops at nothing: `read_sie` returns every counted row and every
problem, and the caller refuses a file with problems.
"""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ctc.errors import UserError
from ctc.importers.reading.cells import CellError, parse_date
from ctc.importers.reading.text import decode, encoding_name, read_bytes
from ctc.numbers import format_number

TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"?|(\{)|(\})|([^\s"{}]+)')
"""A field: quoted (escapes allowed, an unclosed quote runs to the end), a brace, or a word."""
AMOUNT = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
"""An amount: the standard writes a decimal point; a comma is read too."""
CP437_LETTERS = frozenset(b"\x86\x84\x94\x8f\x8e\x99\x82\x81\x9a")
"""å ä ö Å Ä Ö é ü Ü in code page 437."""
CP1252_LETTERS = frozenset(b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9\xfc\xdc")
"""The same letters in Windows-1252 and ISO-8859-1."""
TRANS_LABELS = frozenset({"#TRANS", "#RTRANS", "#BTRANS"})
Transaction = tuple[str, tuple[tuple[str, str], ...], str, str, str]
"""A transaction row's account, (dimension, object) pairs, amount, date and text, as written."""


FIRST_LABELS = (b"#FLAGGA", b"#PROGRAM", b"#FORMAT", b"#GEN", b"#SIETYP")
"""The records a SIE file opens with: `#FLAGGA` by the standard, the others by careless writers."""


def is_sie(head: bytes) -> bool:
    """Whether a file's first bytes are a SIE file's: its first record is `#FLAGGA` (or another
    of the identification records that must come first)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    word = text.split(None, 1)[0].upper() if text else b""
    return word in FIRST_LABELS


@dataclass(frozen=True, slots=True)
class SieRow:
    """One counted transaction row of a voucher."""

    line: int
    voucher: str
    """Series and number, `A 12`."""
    date: datetime.date
    """The row's own date, else its voucher's."""
    account: str
    objects: tuple[tuple[str, str], ...]
    """(dimension, object) pairs of the row's object list."""
    amount: Decimal
    text: str
    """The row's own text, else its voucher's."""


@dataclass(slots=True)
class SieFile:
    """Everything a SIE file holds that an import needs."""

    lines: int = 0
    rows: list[SieRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(line, reason in Swedish) of every voucher, row or checksum that is wrong."""
    codec: str = "cp437"
    declared: str = "PC8"
    sie_type: str = ""
    years: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    dimensions: dict[str, str] = field(default_factory=dict)
    """Dimension number -> its name (`#DIM`, `#UNDERDIM`)."""
    parents: dict[str, str] = field(default_factory=dict)
    """Sub-dimension -> the dimension it belongs to (`#UNDERDIM`)."""
    vouchers: int = 0
    removed: int = 0
    """`#BTRANS` rows, not counted."""
    checksum: str | None = None
    """`ok` when `#KSUMMA` was present and held."""

    def object_of(self, objects: tuple[tuple[str, str], ...], dimension: int | None) -> str:
        """The row's object in a dimension, or in a sub-dimension of it; '' if none."""
        if dimension is None:
            return ""
        wanted = str(dimension)
        for dim, obj in objects:
            if dim == wanted:
                return obj
        for dim, obj in objects:
            if self.parents.get(dim) == wanted:
                return obj
        return ""


def tokens(line: str) -> list[str]:
    """A record's fields, unquoted; an object list's braces are fields `{` and `}` of their own."""
    if '"' not in line and "{" not in line and "}" not in line:
        return line.split()
    out: list[str] = []
    for quoted, opening, closing, word in TOKEN.findall(line):
        if opening or closing or word:
            out.append(opening or closing or word)
        else:
            out.append(
                quoted.replace('\\"', '"').replace("\\\\", "\\") if "\\" in quoted else quoted
            )
    return out


def choose_codec(data: bytes, declared: str) -> str:
    """The codec a SIE file was really written in; see the module docstring."""
    if declared.upper() not in ("", "PC8"):
        return "cp437"  # the only format the standard has; anything else is read as PC8
    if not data.isascii():
        try:
            data.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    cp437 = sum(data.count(bytes([b])) for b in CP437_LETTERS)
    cp1252 = sum(data.count(bytes([b])) for b in CP1252_LETTERS)
    return "cp1252" if cp1252 > cp437 else "cp437"


def _declared_format(data: bytes) -> str:
    match = re.search(rb"(?m)^\s*#FORMAT\s+\"?(\w+)", data[: 1 << 16])
    return match.group(1).decode("ascii", "replace") if match else ""


def read_sie(path: Path) -> SieFile:
    """Read a SIE 4 file whole; see the module docstring. Problems are listed, not raised."""
    data = read_bytes(path)
    declared = _declared_format(data)
    codec = choose_codec(data, declared)
    text = decode(path, data, codec)
    sie = SieFile(codec=codec, declared=declared or "(ingen)")
    _Reader(path, sie).read(text.splitlines())
    if sie.sie_type and not sie.sie_type.startswith("4"):
        raise UserError(
            f"{path.name}: SIE-filen är av typ {sie.sie_type}, som bara har saldon; "
            "exportera verifikationerna som SIE typ 4 (4E eller 4I)."
        )
    return sie


def describe(sie: SieFile) -> str:
    """What the summary says about a SIE file, in Swedish."""
    if sie.codec == "cp437":
        coding = "PC8 (CP437)"
    else:
        coding = f"{encoding_name(sie.codec)} (deklarerad {sie.declared})"
    kind = f"SIE typ {sie.sie_type}" if sie.sie_type else "SIE (typ ej angiven)"
    parts = [f"{kind}, teckenkodning {coding}, {sie.vouchers} verifikationer"]
    if sie.removed:
        parts.append(f"{sie.removed} borttagna rader (#BTRANS) räknades inte")
    if sie.checksum == "ok":
        parts.append("kontrollsumman #KSUMMA stämmer")
    return "; ".join(parts) + "."


class _Checksum:
    """The `#KSUMMA` CRC-32: every field between the two `#KSUMMA` records, unquoted.

    The standard sums the fields' characters in the file's code page, without
    separators or quotes. Writers differ in the details (whether an object
    list's braces count; some sum the lines as written), so a checksum that
    holds by any of these readings is accepted: a file changed after it was
    written matches none of them.
    """

    __slots__ = ("codec", "sums")

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.sums = [0] * 5
        """Fields without braces, fields with braces, lines stripped, with LF, with CR LF."""

    def add(self, line: str, fields: list[str]) -> None:
        sums, codec = self.sums, self.codec
        for item in fields:
            data = item.encode(codec, "replace")
            sums[1] = zlib.crc32(data, sums[1])
            if item not in ("{", "}"):
                sums[0] = zlib.crc32(data, sums[0])
        raw = line.strip().encode(codec, "replace")
        sums[2] = zlib.crc32(raw, sums[2])
        sums[3] = zlib.crc32(raw + b"\n", sums[3])
        sums[4] = zlib.crc32(raw + b"\r\n", sums[4])

    def holds(self, stated: str) -> bool:
        try:
            value = int(stated) & 0xFFFFFFFF
        except ValueError:
            return False
        return value in self.sums


@dataclass(slots=True)
class _Voucher:
    line: int
    name: str
    date: datetime.date | None
    text: str
    total: Decimal = Decimal(0)
    rows: int = 0


class _Reader:
    """Walks a SIE file's records once, keeping vouchers, rows and problems."""

    def __init__(self, path: Path, sie: SieFile) -> None:
        self.path = path
        self.sie = sie
        self.voucher: _Voucher | None = None
        self.pending: Transaction | None = None
        """The fields of an `#RTRANS`, whose identical `#TRANS` copy follows."""
        self.checksum = _Checksum(sie.codec)
        self.checksum_open = False

    def problem(self, line: int, reason: str) -> None:
        self.sie.problems.append((line, reason))

    def read(self, lines: list[str]) -> None:
        sie = self.sie
        sie.lines = len(lines)
        for number, raw in enumerate(lines, start=1):
            fields = tokens(raw)
            if not fields:
                continue
            label = fields[0].upper()
            if self.checksum_open and label != "#KSUMMA":
                self.checksum.add(raw, fields)
            self.record(number, label, fields)
        if self.voucher is not None:
            self.problem(
                self.voucher.line, f"verifikationen {self.voucher.name} avslutas aldrig (}})"
            )
        if self.checksum_open:
            self.problem(sie.lines, "filen slutar utan den avslutande #KSUMMA (avkortad?)")

    def record(self, number: int, label: str, fields: list[str]) -> None:
        if label in TRANS_LABELS:
            self.transaction(number, label, fields[1:])
            return
        values = [f for f in fields[1:] if f != "{"]
        if label == "#VER":
            self.open_voucher(number, values)
        elif label == "}" and self.voucher is not None:
            self.close_voucher()
        elif label == "#KSUMMA":
            self.ksumma(number, values)
        elif label in _HEADS:
            _HEADS[label](self, number, values)

    def ksumma(self, number: int, values: list[str]) -> None:
        if not values:
            self.checksum_open = True
            return
        self.checksum_open = False
        if self.checksum.holds(values[0]):
            self.sie.checksum = "ok"
        else:
            self.problem(
                number,
                f"kontrollsumman #KSUMMA {values[0]} stämmer inte med filens innehåll "
                "(filen har ändrats efter exporten eller är skadad)",
            )

    def open_voucher(self, number: int, values: list[str]) -> None:
        if self.voucher is not None:
            self.problem(
                self.voucher.line, f"verifikationen {self.voucher.name} avslutas aldrig (}})"
            )
        series = values[0] if values else ""
        name = f"{series} {values[1] if len(values) > 1 else ''}".strip()
        day = self.date(number, values[2] if len(values) > 2 else "", "verifikationsdatumet")
        text = values[3] if len(values) > 3 else ""
        self.voucher = _Voucher(number, name or "(utan nummer)", day, text)
        self.sie.vouchers += 1
        if day is not None:
            self.check_year(number, name, day)

    def check_year(self, number: int, name: str, day: datetime.date) -> None:
        years = self.sie.years
        if years and not any(start <= day <= end for start, end in years):
            self.problem(
                number,
                f"verifikationen {name} är daterad {day.isoformat()}, utanför räkenskapsåren i #RAR",
            )

    def close_voucher(self) -> None:
        voucher = self.voucher
        assert voucher is not None
        self.voucher = None
        self.pending = None
        if voucher.total:
            self.problem(
                voucher.line,
                f"verifikationen {voucher.name} balanserar inte: raderna summerar till "
                f"{format_number(voucher.total, 2)} kr",
            )

    def date(self, number: int, text: str, what: str) -> datetime.date | None:
        try:
            return parse_date(text)
        except CellError as error:
            self.problem(number, f"{what}: {error}")
            return None

    def transaction(self, number: int, label: str, fields: list[str]) -> None:
        voucher = self.voucher
        if voucher is None:
            self.problem(number, f"{label} står utanför en verifikation (#VER {{ … }})")
            return
        parsed = _split_transaction(fields)
        if label == "#BTRANS":
            self.sie.removed += 1
            return
        if label == "#TRANS" and self.pending is not None:
            copy, self.pending = self.pending, None
            if copy == parsed:
                return  # the copy of the #RTRANS above: counted once
        if label == "#RTRANS":
            self.pending = parsed
        self.add_row(number, voucher, parsed)

    def add_row(self, number: int, voucher: _Voucher, parsed: Transaction) -> None:
        account, objects, amount_text, date_text, text = parsed
        if not account:
            self.problem(number, "kontonumret saknas")
            return
        amount = _amount(amount_text)
        if amount is None:
            self.problem(number, f"oläsbart belopp {amount_text!r} (väntade t.ex. -1234.50)")
            return
        voucher.total += amount
        day = self.date(number, date_text, "transaktionsdatumet") if date_text else voucher.date
        if day is None:
            return
        self.sie.rows.append(
            SieRow(
                number,
                voucher.name,
                day,
                account,
                objects,
                amount,
                text or voucher.text,
            )
        )


def _amount(text: str) -> Decimal | None:
    """An amount exact to the öre, or None (not a number, or fractions of an öre)."""
    if not AMOUNT.match(text):
        return None
    amount = Decimal(text.replace(",", "."))
    return amount if amount == amount.quantize(Decimal("0.01")) else None


def _split_transaction(fields: list[str]) -> Transaction:
    """(account, object pairs, amount, date, text) of a `#TRANS` record's fields."""
    account = fields[0] if fields else ""
    index = 1
    objects: list[str] = []
    if len(fields) > 1 and fields[1] == "{":
        end = fields.index("}", 2) if "}" in fields[2:] else len(fields)
        objects = fields[2:end]
        index = end + 1
    rest = [*fields[index : index + 3], "", "", ""]
    pairs = tuple(zip(objects[::2], objects[1::2], strict=False))
    return (account, pairs, rest[0], rest[1], rest[2])


def _iter_years(values: list[str]) -> Iterator[tuple[datetime.date, datetime.date]]:
    if len(values) >= 3:
        try:
            yield parse_date(values[1]), parse_date(values[2])
        except CellError:
            return


def _rar(reader: _Reader, number: int, values: list[str]) -> None:
    years = list(_iter_years(values))
    if not years:
        reader.problem(number, "#RAR har inga läsbara datum (väntade #RAR 0 ÅÅÅÅMMDD ÅÅÅÅMMDD)")
    reader.sie.years += years


def _dim(reader: _Reader, number: int, values: list[str]) -> None:
    if values:
        reader.sie.dimensions[values[0]] = values[1] if len(values) > 1 else ""


def _underdim(reader: _Reader, number: int, values: list[str]) -> None:
    if len(values) >= 3:
        reader.sie.dimensions[values[0]] = values[1]
        reader.sie.parents[values[0]] = values[2]


def _sietyp(reader: _Reader, number: int, values: list[str]) -> None:
    if values:
        reader.sie.sie_type = values[0].upper()


_HEADS = {"#RAR": _rar, "#DIM": _dim, "#UNDERDIM": _underdim, "#SIETYP": _sietyp}
"""The header records an import uses; every other label is passed over."""

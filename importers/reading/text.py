"""Telling a text export from a workbook, and decoding its bytes.

Finance systems write text exports in the code page of the machine they
run on: UTF-8 (with or without a byte-order mark), Windows-1252 or
ISO-8859-1 on Windows, IBM PC code page 437 in SIE files ("PC8"). The bytes
say which: valid UTF-8 with letters beyond ASCII is UTF-8 (Windows-1252
text with å, ä or ö almost never is); otherwise Windows-1252, unless the
file holds bytes Windows-1252 leaves undefined, which only ISO-8859-1 can
mean. The name of the encoding found is stated in the import summary.
"""

from __future__ import annotations

from pathlib import Path

from ctc.errors import UserError

MAX_TEXT_BYTES = 2 << 30
"""Largest text export read (2 GiB): far above a whole city's general ledger."""
SNIFF_BYTES = 1 << 16
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
"""Bytes Windows-1252 does not define: a file holding them is ISO-8859-1."""
NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 med BOM",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
    "cp437": "PC8 (CP437)",
}


def encoding_name(codec: str) -> str:
    """The encoding as a finance officer knows it: `Windows-1252`, `UTF-8 med BOM`."""
    return NAMES.get(codec, codec)


def is_text(head: bytes) -> bool:
    """Whether the first bytes of a file look like text: no NUL, few control characters."""
    if head.startswith(tuple(UTF16_BOMS)):
        return True
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls * 100 <= len(head)


def read_bytes(path: Path) -> bytes:
    """A text export's bytes, refusing one too big to be an export."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise UserError(
            f"{path.name}: filen är {size >> 20} MB, mer än gränsen {MAX_TEXT_BYTES >> 20} MB "
            "för en textexport; den vägras."
        )
    return path.read_bytes()


def detect(data: bytes) -> str:
    """The codec of a text export's bytes (a Python codec name); see the module docstring."""
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    for bom, codec in UTF16_BOMS.items():
        if data.startswith(bom):
            return codec
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1" if CP1252_UNDEFINED.intersection(data) else "cp1252"
    return "utf-8"


def decode(path: Path, data: bytes, codec: str) -> str:
    """The text of a file in a codec; a byte the codec cannot read is a `UserError`."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(
            f"{path.name}: rad {line}: byten 0x{data[error.start]:02X} går inte att läsa som "
            f"{encoding_name(codec)}; ange filens teckenkodning i mappningen."
        ) from None
    except LookupError:
        raise UserError(f"{path.name}: okänd teckenkodning {codec!r}.") from None
    return text.removeprefix("\ufeff")

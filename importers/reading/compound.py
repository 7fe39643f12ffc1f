"""Reading an OLE compound file (the container of an .xls) by hand, and checking it.

An .xls is a small file system: a header, a table of sector chains (the
FAT), a directory of named streams, and the streams themselves as chains of
sectors. A broken or hostile file can make a chain loop, point outside the
file, or declare a stream far larger than its chain; a reader that trusts
it runs forever or allocates without bound. This module walks every chain
it uses with those checks, in time and memory proportional to the file, so
the Rust reader is only handed a container that holds together.

`CompoundFile.stream(name)` gives a stream's bytes (the workbook stream is
what `ctc.importers.reading.biff` reads); `offset_of` maps a position in a
stream to its position in the file, so a single field can be corrected in a
copy of the file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ctc.errors import UserError

SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
HEADER_DIFAT = 109
DIRECTORY_ENTRY = 128
STREAM = 2
ROOT = 5


class CompoundError(ValueError):
    """A compound file that does not hold together; the message says how, in Swedish."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A directory entry: a stream (or the root storage) and where its chain starts."""

    name: str
    kind: int
    start: int
    size: int


class CompoundFile:
    """A compound file's sectors, FAT, mini FAT and directory, read and checked."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(SIGNATURE):
            raise CompoundError("filhuvudet saknas eller är avkortat")
        self.data = data
        (_major, order, shift, mini_shift) = struct.unpack_from("<HHHH", data, 26)
        if order != 0xFFFE or shift not in (9, 12) or mini_shift != 6:
            raise CompoundError("filhuvudet har ogiltiga fält")
        self.sector = 1 << shift
        self.sectors = max(0, (len(data) - 512 + self.sector - 1) // self.sector)
        (fat_sectors, first_dir, _, self.cutoff, first_mini, _, first_difat, difat_sectors) = (
            struct.unpack_from("<IIIIIIII", data, 44)
        )
        self.fat = self._read_fat(fat_sectors, first_difat, difat_sectors)
        self.entries = self._directory(first_dir)
        root = next((e for e in self.entries if e.kind == ROOT), None)
        if root is None:
            raise CompoundError("rotkatalogen saknas")
        self.mini_stream = self._chain_bytes(root.start, root.size) if root.size else b""
        self.mini_chain = self.chain(root.start) if root.size else []
        self.mini_fat = (
            _ints(self._chain_bytes(first_mini, None)) if first_mini < ENDOFCHAIN else []
        )

    def _sector_bytes(self, number: int) -> bytes:
        start = 512 + number * self.sector
        if number >= self.sectors:
            raise CompoundError(f"en kedja pekar på sektor {number}, utanför filen")
        return self.data[start : start + self.sector]

    def _read_fat(self, count: int, first_difat: int, difat_count: int) -> list[int]:
        difat = list(struct.unpack_from(f"<{HEADER_DIFAT}I", self.data, 76))
        seen: set[int] = set()
        sector = first_difat
        per = self.sector // 4 - 1
        while sector < ENDOFCHAIN and len(seen) <= difat_count:
            if sector in seen:
                raise CompoundError("DIFAT-kedjan går i en slinga")
            seen.add(sector)
            values = _ints(self._sector_bytes(sector))
            difat += values[:per]
            sector = values[per]
        locations = [s for s in difat if s < ENDOFCHAIN][: max(count, 0)]
        if len(locations) > self.sectors:
            raise CompoundError("FAT-tabellen är större än filen")
        return _ints(b"".join(self._sector_bytes(s) for s in locations))

    def chain(self, start: int, table: list[int] | None = None) -> list[int]:
        """The sectors of a chain from `start`; a loop or a pointer outside the table is refused."""
        table = self.fat if table is None else table
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != ENDOFCHAIN:
            if sector >= len(table) or sector in seen:
                why = "går i en slinga" if sector in seen else "pekar utanför filen"
                raise CompoundError(f"en sektorkedja {why} (sektor {sector})")
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, size: int | None) -> bytes:
        chain = self.chain(start)
        if size is not None and size > len(chain) * self.sector:
            raise CompoundError(f"en ström säger sig vara {size} byte men dess kedja är kortare")
        data = b"".join(self._sector_bytes(s) for s in chain)
        return data if size is None else data[:size]

    def _directory(self, first: int) -> list[Entry]:
        raw = self._chain_bytes(first, None)
        entries = []
        for offset in range(0, len(raw) - DIRECTORY_ENTRY + 1, DIRECTORY_ENTRY):
            length, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (1, STREAM, ROOT):
                continue
            name = raw[offset : offset + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, offset + 116)
            if self.sector == 512:
                size &= 0xFFFFFFFF
            entries.append(Entry(name, kind, start, size))
        return entries

    def find(self, *names: str) -> Entry | None:
        """The first stream with one of `names` (case-insensitive), or None."""
        wanted = [n.casefold() for n in names]
        for name in wanted:
            for entry in self.entries:
                if entry.kind == STREAM and entry.name.casefold() == name:
                    return entry
        return None

    def stream(self, entry: Entry) -> bytes:
        """A stream's bytes, from the mini stream when it is small."""
        if entry.size < self.cutoff:
            chain = self.chain(entry.start, self.mini_fat) if entry.size else []
            if entry.size > len(chain) * 64:
                raise CompoundError(f"strömmen {entry.name} är längre än sin kedja")
            data = b"".join(self.mini_stream[s * 64 : s * 64 + 64] for s in chain)
            return data[: entry.size]
        return self._chain_bytes(entry.start, entry.size)

    def offset_of(self, entry: Entry, position: int) -> int:
        """Where byte `position` of a stream lies in the file."""
        if entry.size < self.cutoff:
            mini = self.chain(entry.start, self.mini_fat)[position // 64]
            in_stream = mini * 64 + position % 64
            sector = self.mini_chain[in_stream // self.sector]
            return 512 + sector * self.sector + in_stream % self.sector
        sector = self.chain(entry.start)[position // self.sector]
        return 512 + sector * self.sector + position % self.sector


def _ints(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


def open_compound(path: Path, data: bytes) -> CompoundFile:
    """A compound file read and checked; a broken one is a `UserError` naming the file."""
    try:
        return CompoundFile(data)
    except (CompoundError, struct.error) as error:
        raise UserError(
            f"{path.name}: arbetsboken är trasig; dess filstruktur (OLE) håller inte ihop: {error}."
        ) from None

"""Reading a workbook once in a child process with hard limits, before the importer does.

The Rust readers (python-calamine, fastexcel) are fast and mostly sturdy,
but a hostile or broken workbook can make them panic, allocate hundreds of
gigabytes for one stray cell at XFD1048576, or loop. None of that may reach
the user as a traceback, an abort or a hang. So a workbook is first read by
`probe_child.py` in a child process whose memory (RLIMIT_DATA) and CPU time
(RLIMIT_CPU) the kernel caps, with a wall-clock safety net: if the child
reads it, the importer's own read of the same bytes by the same reader
stays within the same bounds; if not, the failure becomes one line naming
the file and, where it can be found, the sheet and cell at fault.

The child imports only python-calamine, so a probe of a small workbook
costs a few tens of milliseconds. Big .xlsx exports on the column-wise path
are probed only when their own structure looks wrong: the cells their sheet
XML holds (`bounds`), and from 10 MB on also their declared dimensions (`fastread`).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from ctc.errors import UserError
from ctc.importers.reading.columns import column_letter

CHILD = Path(__file__).with_name("probe_child.py")
SITE = str(Path(python_calamine.__file__).resolve().parent.parent)
"""Where python-calamine is installed: the child starts without `site` and looks only there."""
MIN_MEMORY = 256 << 20
"""The least memory a probe may use: far more than any workbook under 10 MB needs."""
MEMORY_PER_BYTE = 16
"""Memory allowed per byte of file above `MIN_MEMORY / MEMORY_PER_BYTE` (a genuine big export)."""
CPU_SECONDS = 4
MB_PER_CPU_SECOND = 2
"""CPU time a probe may use: 4 s, and 1 s more for every 2 MB of file (a genuine 10 MB .xls
needs about 2 s)."""
WALL_FACTOR = 4
"""The wall-clock safety net, as a multiple of the CPU limit (a busy machine is slow, not wrong)."""
STOPPED = {-getattr(signal, name) for name in ("SIGXCPU", "SIGKILL") if hasattr(signal, name)}
"""Exit codes of a child the kernel stopped for its CPU time (or the parent for its wall time)."""
CODEPAGE = re.compile(r"Codepage (\w+) not found", re.IGNORECASE)
"""How the reader says it does not know an .xls's code page."""
MAX_SHEETS = 1000
MAX_COLUMNS = 4096
"""The widest sheet read: real exports have tens of columns; this is 4 096 (column FEP)."""


@dataclass(frozen=True, slots=True)
class SheetSize:
    """A sheet's kind and cell range as the reader built it."""

    name: str
    kind: str
    """WorkSheet, MacroSheet, ChartSheet, DialogSheet or Vba."""
    height: int = 0
    width: int = 0
    end: tuple[int, int] | None = None
    """0-based (row, column) of the range's last cell."""


def limits(size: int) -> tuple[int, int]:
    """(memory in bytes, CPU seconds) a probe of a file of `size` bytes may use."""
    memory = max(MIN_MEMORY, size * MEMORY_PER_BYTE)
    return memory, CPU_SECONDS + (size >> 20) // MB_PER_CPU_SECOND


def probe(
    path: Path, data: bytes | None = None, hint: Callable[[], str | None] | None = None
) -> list[SheetSize]:
    """Read a workbook (or its corrected bytes `data`) in the child; its sheets' sizes.

    Every way the read can fail is a `UserError` naming the file; `hint`
    names the cell at fault when the read needs too much memory.
    """
    size = len(data) if data is not None else path.stat().st_size
    memory, cpu = limits(size)
    command = [sys.executable, "-I", "-S", str(CHILD), SITE, "-" if data is not None else str(path)]
    command += [str(memory), str(cpu), str(MAX_SHEETS)]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=cpu * WALL_FACTOR, check=False
        )
    except subprocess.TimeoutExpired:
        raise _too_slow(path, cpu * WALL_FACTOR) from None
    result = _result(done.stdout)
    if result is None:
        raise _died(path, done, memory, cpu, hint)
    return _sheets(path, result, memory)


def _result(stdout: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _too_slow(path: Path, seconds: int) -> UserError:
    return UserError(
        f"{path.name}: läsningen tog mer än {seconds} s och avbröts; arbetsboken är trasig "
        "eller byggd för att läsaren ska fastna. Öppna den i Excel och spara den som .xlsx."
    )


def _died(
    path: Path,
    done: subprocess.CompletedProcess[bytes],
    memory: int,
    cpu: int,
    hint: Callable[[], str | None] | None,
) -> UserError:
    """The child ended without an answer: out of memory, out of time, or crashed."""
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode in STOPPED:
        return _too_slow(path, cpu)
    if "memory allocation" in stderr or "MemoryError" in stderr:
        return _too_big(path, memory, hint() if hint else None)
    return UserError(
        f"{path.name}: läsaren kraschade på arbetsboken (kod {done.returncode}); den är trasig. "
        "Öppna den i Excel och spara den som .xlsx."
    )


def _too_big(path: Path, memory: int, far: str | None = None) -> UserError:
    why = f"{far} ligger långt utanför tabellen" if far else "en cell långt utanför tabellen?"
    return UserError(
        f"{path.name}: arbetsboken skulle kräva mer än {memory >> 20} MB minne för att läsas "
        f"({why}); den vägras. Ta bort cellerna utanför tabellen och spara igen."
    )


def _sheets(path: Path, result: dict[str, Any], memory: int) -> list[SheetSize]:
    if "too_many_sheets" in result:
        raise UserError(
            f"{path.name}: arbetsboken har {result['too_many_sheets']} blad, fler än "
            f"{MAX_SHEETS}; spara bladet med exporten i en egen fil."
        )
    error = result.get("error")
    if error == "password":
        raise UserError(f"{path.name}: arbetsboken är lösenordsskyddad; spara den utan lösenord.")
    if error == "memory":
        raise _too_big(path, memory)
    if error is not None:
        message = result.get("message", "")
        codepage = CODEPAGE.search(message)
        if codepage:
            raise UserError(
                f"{path.name}: arbetsboken är skriven i teckentabell {_number(codepage.group(1))}, som "
                "inte kan läsas; öppna den i Excel (eller LibreOffice) och spara den som .xlsx."
            )
        what = "läsaren gav upp (panik)" if error == "panic" else "den är trasig eller avkortad"
        raise UserError(f"{path.name}: arbetsboken går inte att läsa; {what} ({message}).")
    sheets = [_size(item) for item in result.get("sheets", [])]
    for sheet in sheets:
        if sheet.width > MAX_COLUMNS and sheet.end is not None:
            far = f"{column_letter(sheet.end[1])}{sheet.end[0] + 1}"
            raise UserError(
                f"{path.name}: blad {sheet.name} har värden ända ut till cell {far} "
                f"({sheet.width} kolumner, gränsen är {MAX_COLUMNS}); ta bort cellerna långt "
                "utanför tabellen och spara igen."
            )
    return sheets


def _number(hexadecimal: str) -> str:
    """A code page as Windows numbers it (the reader writes it in hexadecimal)."""
    try:
        return str(int(hexadecimal, 16))
    except ValueError:
        return hexadecimal


def _size(item: dict[str, Any]) -> SheetSize:
    end = item.get("end")
    return SheetSize(
        str(item.get("name", "")),
        str(item.get("kind", "")),
        int(item.get("height") or 0),
        int(item.get("width") or 0),
        (int(end[0]), int(end[1])) if isinstance(end, list) and len(end) == 2 else None,
    )

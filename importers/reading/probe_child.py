"""The child process of `ctc.importers.reading.sandbox`: read a workbook under hard limits.

Run as a script (`python -I -S probe_child.py SITE FILE DATA_BYTES CPU_SECONDS
MAX_SHEETS`: SITE the folder python-calamine is installed in, FILE `-` for the
workbook's bytes on standard input). It caps its own
memory (RLIMIT_DATA) and CPU time (RLIMIT_CPU), opens the workbook with
python-calamine exactly as the importer will, builds every sheet's cell
range and walks its rows, and prints one JSON line: each sheet's kind and
size, or what went wrong. A reader that panics is caught here; one that
allocates without bound or loops is stopped by the kernel, and the parent
reports that. It imports nothing of `ctc`, so it starts in milliseconds.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any


def _limit(data_bytes: int, cpu_seconds: int) -> None:
    """Cap memory and CPU time; where the system has no `resource` (Windows), the parent's
    wall-clock limit is the only one."""
    try:
        import resource
    except ImportError:
        return
    resource.setrlimit(resource.RLIMIT_DATA, (data_bytes, data_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _sheet(workbook: Any, meta: Any) -> dict[str, Any]:
    """One sheet's kind and the size of its cell range, every row walked."""
    kind = str(meta.typ).rsplit(".", 1)[-1]
    found: dict[str, Any] = {"name": meta.name, "kind": kind}
    if kind != "WorkSheet":
        return found
    sheet = workbook.get_sheet_by_name(meta.name)
    found.update(height=sheet.height, width=sheet.width, start=sheet.start, end=sheet.end)
    for _ in sheet.iter_rows():
        pass
    return found


def probe(source: str, max_sheets: int) -> dict[str, Any]:
    """What reading the workbook gives, as a JSON-ready dict."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        if source == "-":
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
        else:
            workbook = CalamineWorkbook.from_path(source)
        metas = workbook.sheets_metadata
        if len(metas) > max_sheets:
            return {"too_many_sheets": len(metas)}
        return {"sheets": [_sheet(workbook, meta) for meta in metas]}
    except PasswordError:
        return {"error": "password"}
    except MemoryError:
        return {"error": "memory"}
    except BaseException as error:  # a Rust panic is a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        kind = "panic" if type(error).__name__ == "PanicException" else "reader"
        return {"error": kind, "message": " ".join(str(error).split())[:300]}


def main() -> None:
    """Parse the arguments, set the limits, probe, print one JSON line."""
    site, source, data_bytes, cpu_seconds, max_sheets = sys.argv[1:6]
    sys.path.insert(0, site)  # started without `site` (-S): it costs more than the probe
    _limit(int(data_bytes), int(cpu_seconds))
    result = probe(source, int(max_sheets))
    sys.stdout.write(json.dumps(result, default=list) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

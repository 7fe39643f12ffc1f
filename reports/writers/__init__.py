"""Output formats: thin writers over the one result shape (`ctc.reports.result.Report`).

Each writer turns a `Report` into bytes without querying the ledger again, so
a figure is the same in every format. `render` picks the writer; `choose_format`
decides the format from `--format` and the output file's extension.
"""

from __future__ import annotations

from pathlib import Path

from ctc.errors import UserError
from ctc.reports.result import Report

FORMATS = ("table", "csv", "xlsx", "md")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".txt": "table"}
"""Output file extension -> the format it implies."""


def choose_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: `--format` if given, else `-o`'s extension, else `table`.

    A format that contradicts the file's extension, an extension we do not
    know, and xlsx without a file are the user's mistakes.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"Okänt format {fmt!r}; välj {', '.join(FORMATS)}.")
    implied = None
    if output is not None:
        suffix = output.suffix.lower()
        implied = EXTENSIONS.get(suffix)
        if implied is None and fmt is None:
            known = ", ".join(EXTENSIONS)
            raise UserError(
                f"Filändelsen {suffix or '(ingen)'} i {output} säger inte vilket format "
                f"som avses ({known}); ange --format."
            )
        if implied is not None and fmt is not None and implied != fmt:
            raise UserError(
                f"--format {fmt} stämmer inte med filändelsen {output.suffix} i {output}."
            )
    chosen = fmt or implied or "table"
    if chosen == "xlsx" and output is None:
        raise UserError("Formatet xlsx skrivs till en fil; ange -o FIL.xlsx.")
    return chosen


def render(report: Report, fmt: str, bold: bool = False) -> bytes:
    """The report in format `fmt` as bytes (UTF-8 text for table, csv and md).

    `bold` draws total rows of a terminal table in ANSI bold.
    """
    if fmt == "table":
        from ctc.reports.writers.text import write_text

        return write_text(report, bold).encode("utf-8")
    if fmt == "csv":
        from ctc.reports.writers.csvfile import write_csv

        return write_csv(report).encode("utf-8")
    if fmt == "md":
        from ctc.reports.writers.markdown import write_markdown

        return write_markdown(report).encode("utf-8")
    if fmt == "xlsx":
        from ctc.reports.writers.xlsx import write_xlsx

        return write_xlsx(report)
    raise UserError(f"Okänt format {fmt!r}; välj {', '.join(FORMATS)}.")

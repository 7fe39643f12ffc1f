"""The Markdown format: GitHub-flavoured tables with the report's figures and footnotes.

Made to be pasted into a tjänsteskrivelse or an issue: the notice first, the
title, the summary, each table with numbers right-aligned and totals in bold,
then the numbered footnotes. A last line says when the file was made.
"""

from __future__ import annotations

from ctc.reports.labels import label
from ctc.reports.result import Report, Table, display


def escape(text: str) -> str:
    """Text safe inside a table cell: no line breaks, pipes and backslashes escaped."""
    flat = " ".join(text.split())
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(table: Table, unit: str) -> str:
    """One table in GitHub-flavoured Markdown."""
    header = [escape(c.title) for c in table.columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if c.is_number else "---" for c in table.columns) + "|",
    ]
    for row in table.rows:
        cells = [escape(display(v, c, unit)) for v, c in zip(row.cells, table.columns, strict=True)]
        if row.total:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_markdown(report: Report) -> str:
    """The report as Markdown."""
    blocks = []
    if report.notice:
        blocks.append(f"**{report.notice}**\n")
    heading = "#" * report.heading_level
    blocks.append(f"{heading} {report.title}\n")
    blocks += [f"{line}\n" for line in report.summary]
    for table in report.tables:
        if table.title:
            blocks.append(f"{heading}# {table.title}\n")
        blocks.append(markdown_table(table, report.unit))
        blocks += [f"*{note}*\n" for note in table.notes]
    if report.footnotes:
        notes = [f"{n}. {note}" for n, note in enumerate(report.footnotes, start=1)]
        blocks.append(f"**{label('footnotes', report.lang)}**\n\n" + "\n".join(notes) + "\n")
    moment = report.provenance.generated_at
    if moment is not None:
        blocks.append(
            f"{label('generated_at', report.lang)}: {moment.isoformat(timespec='seconds')}\n"
        )
    return "\n".join(blocks)

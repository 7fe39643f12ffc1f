"""Report downloads in the browser: the same files `ctc report` writes.

The page's form names a report and its span or year; this module turns the
form into the report function's arguments, builds the report from the frame
of the whole ledger (as `ctc report` does, ignoring Fava's filters) and
renders it with the same writers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ctc.errors import UserError
from ctc.fava.params import Span, clip, year_param
from ctc.reports.budget import budget_report
from ctc.reports.frame import Frame
from ctc.reports.motion import motion_report
from ctc.reports.positions import positions_report
from ctc.reports.result import Report, stamp
from ctc.reports.transfers import transfers_report
from ctc.reports.writers import render
from ctc.reports.yearly import check_span, parse_by, yearly_report

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
UNITS = ("kr", "tkr", "mnkr")


@dataclass(frozen=True, slots=True)
class DownloadForm:
    """What the user picked: a report and its span, year, grouping and unit."""

    report: str = "motion"
    from_year: int | None = 2018
    to_year: int | None = 2023
    year: int | None = None
    by: str = "committee"
    unit: str = "tkr"

    def query(self, fmt: str) -> str:
        """The download's query string for this form and format."""
        from urllib.parse import urlencode

        params = {
            "report": self.report,
            "from": self.from_year or "",
            "to": self.to_year or "",
            "year": self.year or "",
            "by": self.by,
            "unit": self.unit,
            "format": fmt,
        }
        return urlencode(params)


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report the page offers: what it answers and how it is built from the form."""

    title: str
    build: Callable[[Frame, DownloadForm], Report]
    uses_span: bool


REPORTS: dict[str, ReportSpec] = {
    "motion": ReportSpec(
        "Motionssvar: programmets årliga kostnader",
        lambda f, form: motion_report(f, form.from_year, form.to_year, form.unit),
        True,
    ),
    "yearly": ReportSpec(
        "Kostnad per år",
        lambda f, form: yearly_report(
            f, parse_by(form.by), form.from_year, form.to_year, form.unit
        ),
        True,
    ),
    "transfers": ReportSpec(
        "Växlingar av kommunbidrag",
        lambda f, form: transfers_report(f, None, form.year, form.unit),
        False,
    ),
    "positions": ReportSpec(
        "Tjänster och årsarbetare", lambda f, form: positions_report(f, form.year, form.unit), False
    ),
    "budget": ReportSpec(
        "Kommunbidrag mot kostnad", lambda f, form: budget_report(f, form.year, form.unit), False
    ),
}


@dataclass(frozen=True, slots=True)
class Download:
    """A rendered report file, or the reason there is none."""

    content: bytes
    filename: str
    mimetype: str
    error: str | None = None

    @classmethod
    def failed(cls, reason: str) -> Download:
        """No file: the report could not be built (an empty selection, say)."""
        return cls(b"", "", "text/plain", reason)

    @property
    def text(self) -> str:
        """The content as text (for the Markdown preview)."""
        return self.content.decode("utf-8")


def parse_form(args: Mapping[str, str], span: Span | None = None) -> DownloadForm:
    """The form from the request's query; unknown reports, units and years are the user's mistakes.

    `from` and `to` are clipped to the ledger's `span` (`ctc.fava.params`).
    """
    if "report" not in args:
        return DownloadForm()
    report = args["report"]
    unit = args.get("unit", "tkr")
    if report not in REPORTS or unit not in UNITS:
        raise UserError(f"Okänd rapport {report[:40]!r} eller enhet {unit[:40]!r}.")
    return DownloadForm(
        report=report,
        from_year=clip(year_param(args, "from"), span),
        to_year=clip(year_param(args, "to"), span),
        year=year_param(args, "year"),
        by=args.get("by", "committee"),
        unit=unit,
    )


def check_format(fmt: str) -> None:
    """Refuse a download format the writers do not have."""
    if fmt not in MIMETYPES:
        raise UserError(f"Okänt format {fmt[:40]!r}; välj xlsx, md eller csv.")


def build_download(frame: Frame, form: DownloadForm, fmt: str) -> Download:
    """The chosen report as a file in `fmt` (xlsx, md or csv)."""
    check_format(fmt)
    spec = REPORTS[form.report]
    if spec.uses_span:
        check_span(form.from_year, form.to_year)
    report = stamp(
        spec.build(frame, form), datetime.datetime.now().astimezone().replace(microsecond=0)
    )
    span = (
        f"_{form.from_year or ''}-{form.to_year or ''}"
        if spec.uses_span
        else (f"_{form.year}" if form.year else "")
    )
    filename = f"ctc_{form.report}{span}.{fmt}"
    return Download(render(report, fmt), filename, MIMETYPES[fmt])

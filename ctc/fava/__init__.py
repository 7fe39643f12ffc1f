"""Fava extensions: the CTC dashboard and the report downloads.

Enable them in a ledger with `custom "fava-extension" "ctc.fava"`. Both draw
every figure from `ctc.reports`, compute it once per ledger load and filter,
and answer only GET requests, so they work in Fava's read-only mode.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, g, request

from ctc.errors import UserError
from ctc.fava.dashboard import MOTION_SPAN, Dashboard, Panel, build_dashboard, report_panels
from ctc.fava.downloads import REPORTS, Download, DownloadForm, build_download, parse_form
from ctc.ledger import Ledger
from ctc.reports.frame import Frame

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from beancount.core import data
    from fava.beans.abc import Directive as FavaDirective
    from fava.core import FavaLedger

CacheKey = tuple[str | None, str | None, str | None, tuple[int, int] | None]
"""(account filter, advanced filter, time filter, chosen span)."""


def account_predicate(value: str | None) -> Callable[[str], bool] | None:
    """Fava's account-filter rule (a component, or a regular expression) for one account."""
    if not value:
        return None
    try:
        pattern = re.compile(value, re.IGNORECASE)
    except re.error:
        pattern = None

    def matches(account: str) -> bool:
        return value in account.split(":") or bool(pattern and pattern.match(account))

    return matches


def beancount_entries(entries: Sequence[FavaDirective]) -> list[data.Directive]:
    """Fava's entries as what they are: Beancount's own.

    Fava loads the ledger with Beancount and types the entries by its own
    abstract classes (`fava.beans.abc`), with which Beancount's are registered.
    """
    return cast("list[data.Directive]", entries)


def chosen_span() -> tuple[int, int] | None:
    """The span chosen on the page (`?from=2018&to=2023`), else the motion's."""
    first, last = request.args.get("from"), request.args.get("to")
    if first and last and first.isdigit() and last.isdigit():
        return (min(int(first), int(last)), max(int(first), int(last)))
    return MOTION_SPAN


class _CachedFrames(FavaExtensionBase):
    """Our model of the ledger Fava loaded, once per load, and its frame per Fava filter."""

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._model: Ledger | None = None
        self._frames: dict[tuple[str | None, ...], Frame] = {}

    def after_load_file(self) -> None:
        """Forget the model and every computed figure when the ledger changes."""
        self._model = None
        self._frames.clear()

    def model(self) -> Ledger:
        """The ledger as `ctc` sees it (registers, mapping, frame), over Fava's entries."""
        if self._model is None:
            fava = self.ledger
            self._model = Ledger.of(
                Path(fava.beancount_file_path),
                beancount_entries(fava.all_entries),
                fava.errors,
                fava.options,
            )
        return self._model

    def frame(self, filtered: bool = True) -> Frame:
        """The frame of Fava's filtered entries (or of the whole ledger).

        Fava applies its time and advanced filters to the entries; the frame of
        the whole ledger is narrowed to those (`Frame.restrict`), never rebuilt.
        """
        whole = self.model().frame
        entries = g.filtered.entries if filtered else self.ledger.all_entries
        if entries is self.ledger.all_entries:
            return whole
        args = request.args
        key: tuple[str | None, ...] = (args.get("account"), args.get("filter"), args.get("time"))
        if key not in self._frames:
            self._frames[key] = whole.restrict(beancount_entries(entries))
        return self._frames[key]


class CtcDashboard(_CachedFrames):
    """The first screen: yearly cost, kinds, cumulative cost, växlingar, FTE, budget."""

    report_title = "CTC-översikt"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._boards: dict[CacheKey, Dashboard] = {}
        self._scenarios: tuple[Panel, ...] | None = None

    def after_load_file(self) -> None:
        """Forget every computed dashboard when the ledger changes."""
        super().after_load_file()
        self._boards.clear()
        self._scenarios = None

    def scenarios(self) -> tuple[Panel, ...]:
        """Scenario and forecast panels (whole ledger, computed once per load)."""
        if self._scenarios is None:
            from ctc.fava.scenarios import scenario_panels

            self._scenarios = scenario_panels(self.model())
        return self._scenarios

    def dashboard(self) -> Dashboard:
        """The dashboard for the current filter, computed once per load and filter."""
        span = chosen_span()
        account = request.args.get("account")
        key: CacheKey = (account, request.args.get("filter"), request.args.get("time"), span)
        if key not in self._boards:
            date_range = g.filtered.date_range
            dates = (date_range.begin, date_range.end) if date_range else None
            self._boards[key] = build_dashboard(
                self.frame(), account_predicate(account), span, dates
            )
        return self._boards[key]


class CtcReports(_CachedFrames):
    """Every `ctc report` in the browser: pick a report and a span, download xlsx or Markdown."""

    report_title = "CTC-rapporter"

    def reports(self) -> dict[str, str]:
        """Report name -> what it answers, for the page's form."""
        return {name: spec.title for name, spec in REPORTS.items()}

    def form(self) -> DownloadForm:
        """The form as the user filled it in (defaults for what is missing or wrong)."""
        try:
            return parse_form(request.args)
        except UserError:
            return DownloadForm()

    def years(self) -> list[int]:
        """The years the ledger has costs or kommunbidrag in, for the span pickers."""
        frame = self.frame(filtered=False)
        return sorted({line.year for line in frame.costs} | {b.year for b in frame.budget})

    def preview(self) -> Download:
        """The chosen report rendered as its Markdown text, to read before downloading."""
        try:
            return build_download(self.frame(filtered=False), parse_form(request.args), "md")
        except UserError as error:
            return Download.failed(str(error))

    def panels(self) -> tuple[Panel, ...]:
        """Charts and tables of the chosen report's figures, as on the dashboard."""
        return report_panels(self.frame(filtered=False), self.form())

    def download_url(self, fmt: str) -> str:
        """The link that downloads the chosen report in `fmt`."""
        return f"download?{self.form().query(fmt)}"

    @extension_endpoint
    def download(self) -> Response:
        """The report file, exactly as `ctc report` writes it."""
        fmt = request.args.get("format", "xlsx")
        try:
            result = build_download(self.frame(filtered=False), parse_form(request.args), fmt)
        except UserError as error:
            return Response(f"Fel: {error}\n", status=400, mimetype="text/plain")
        return Response(
            result.content,
            mimetype=result.mimetype,
            headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
        )

"""Fava extensions: the CTC dashboard, the report downloads and the import page.

Enable them in a ledger with `custom "fava-extension" "ctc.fava"`. The
dashboard and the reports draw every figure from `ctc.reports`, compute it
once per ledger load and filter, and answer only GET requests, so they work
in Fava's read-only mode. The import page ("Läs in", `CtcImport`) previews,
imports and undoes through `ctc import`'s own functions
(`ctc.fava.import_page`), only when served `ctc serve --editable`, and
offers Excel templates generated from the ledger (`ctc.importers.templates`).

They answer every request: before a page or a download computes anything,
every query parameter is checked (`check_request`: years as ASCII digits,
known reports, units, groupings and formats, and Fava's own filters parsed
by Fava), and anything wrong is a 400 with one line saying what. Patterns in
Fava's filters are matched on a time budget (`ctc.fava.matching`), spans are
clipped to the ledger's years (`ctc.fava.params`), and the computed figures
are kept for a bounded number of filters. When Fava (re)loads the books, an
import a crash interrupted is recovered first (`ctc.recovery`), and the
dashboard says so.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fava.core.filters import FilterError
from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup

from ctc import frame_cache, load_cache
from ctc.errors import UserError
from ctc.fava import import_page, importing, matching
from ctc.fava.dashboard import MOTION_SPAN, Dashboard, Panel, build_dashboard, report_panels
from ctc.fava.downloads import (
    REPORTS,
    Download,
    DownloadForm,
    build_download,
    check_format,
    parse_form,
)
from ctc.fava.params import Span, check_years, clip, year_param
from ctc.fava.uploads import UPLOAD_LIMIT
from ctc.importers import templates
from ctc.importers.summary import KIND_NAMES, kronor
from ctc.ledger import Ledger
from ctc.recovery import open_books
from ctc.reports.frame import Frame
from ctc.reports.yearly import parse_by

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from decimal import Decimal

    from beancount.core import data
    from fava.beans.abc import Directive as FavaDirective
    from fava.core import FavaLedger
    from werkzeug.wrappers import Response as WerkzeugResponse

CacheKey = tuple[str | None, str | None, str | None, tuple[int, int] | None]
"""(account filter, advanced filter, time filter, chosen span)."""


def beancount_entries(entries: Sequence[FavaDirective]) -> list[data.Directive]:
    """Fava's entries as what they are: Beancount's own.

    Fava loads the ledger with Beancount and types the entries by its own
    abstract classes (`fava.beans.abc`), with which Beancount's are registered.
    """
    return cast("list[data.Directive]", entries)


def chosen_span(span: Span | None) -> tuple[int, int] | None:
    """The span chosen on the page (`?from=2018&to=2023`, clipped to `span`), else the motion's."""
    first = clip(year_param(request.args, "from"), span)
    last = clip(year_param(request.args, "to"), span)
    if first is not None and last is not None:
        return (min(first, last), max(first, last))
    return MOTION_SPAN


K = TypeVar("K")
V = TypeVar("V")
CACHE_SIZE = 32
"""Filters whose figures a page keeps: enough for a session, bounded against a flood of URLs."""
_cache_lock = threading.Lock()
log = logging.getLogger(__name__)


def remember(cache: OrderedDict[K, V], key: K, compute: Callable[[], V]) -> V:
    """`cache[key]`, computed once; the least recently used entry goes past `CACHE_SIZE`."""
    with _cache_lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = compute()
    with _cache_lock:
        cache[key] = value
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return value


def is_request_for(extension: str) -> bool:
    """Whether the current request is for one of `extension`'s pages or endpoints."""
    view_args = request.view_args or {}
    return view_args.get("extension_name") == extension and request.endpoint in (
        "extension_report",
        "extension_endpoint",
    )


Endpoint = TypeVar("Endpoint", bound="Callable[..., object]")


def post_endpoint(name: str) -> Callable[[Endpoint], Endpoint]:
    """Fava's `extension_endpoint` for a POST, typed (Fava's own annotation leaves it open)."""
    return cast("Callable[[Endpoint], Endpoint]", extension_endpoint(name, ["POST"]))


def refuse(message: str) -> Response:
    """A plain 400 with one line."""
    return Response(f"Fel: {message}\n", status=400, mimetype="text/plain")


class _CachedFrames(FavaExtensionBase):
    """Our model of the ledger Fava loaded, once per load, and its frame per Fava filter."""

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        matching.install()
        self._model: Ledger | None = None
        self._summary: Frame | None = None
        self._span: Span | None = None
        self._frames: OrderedDict[tuple[str | None, ...], Frame] = OrderedDict()
        self.notice: str | None = None
        """What opening the books did (an interrupted import recovered), shown on the page."""

    def after_load_file(self) -> None:
        """Forget the model and every computed figure when the ledger changes.

        An import a crash interrupted is recovered here (the changed files make
        Fava load the books again), and logged.
        """
        self._model = None
        self._summary = None
        self._span = None
        self._frames.clear()
        try:
            notice = open_books(Path(self.ledger.beancount_file_path))
        except UserError as error:
            notice = str(error)
        if notice:
            self.notice = notice
            log.warning("%s", notice)

    def before_request(self) -> None:
        """Refuse a request for this extension whose query is not valid, before any work."""
        if is_request_for(self.name):
            problem = self.check_request(request.args)
            if problem is not None:
                abort(refuse(problem))

    def check_request(self, args: Mapping[str, str]) -> str | None:
        """What is wrong with the query, or None; Fava's filters applied (on a matching budget)."""
        try:
            check_years(args)
            self.check_params(args)
            g.filtered  # noqa: B018 (Fava's filters, parsed and applied once per request)
        except UserError as error:
            return str(error)
        except FilterError as error:
            return error.message
        except (ValueError, OverflowError) as error:
            return f"filtret går inte att läsa ({error})."
        return None

    def check_params(self, args: Mapping[str, str]) -> None:
        """Refuse parameters of this page that are not valid (a `UserError`)."""

    def span(self) -> Span | None:
        """The years the ledger has entries in, first and last (None for an empty ledger)."""
        entries = self.model().entries
        if self._span is None and entries:
            self._span = (min(e.date for e in entries).year, max(e.date for e in entries).year)
        return self._span

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

    def summary(self) -> Frame:
        """The whole ledger's frame with its cost lines summed per group (`ctc.frame_cache`).

        Right for pages that only add cost lines up by their dimensions (the
        dashboard's panels). Read from the frame cache when it is current for
        the books' files (a `ctc report` stored it), so the first page after
        Fava's load builds no frame; else summed from the whole frame. The
        server never writes the cache. Should a file change between Fava's
        load and this read, the cache is stale and not used, or describes the
        new files, which Fava loads on its next request anyway.
        """
        if self._summary is None:
            fava = self.ledger
            filename = fava.options.get("filename")
            if filename and not fava.errors and load_cache.enabled():
                main = Path(str(filename))
                self._summary = frame_cache.summary_frame(
                    Path(os.path.abspath(main)),  # noqa: PTH100 (as `ctc` keys it)
                    Path(fava.beancount_file_path),
                )
            if self._summary is None:
                whole = self.model().frame
                self._summary = dataclasses.replace(whole, costs=frame_cache.summarise(whole.costs))
        return self._summary

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
        return remember(self._frames, key, lambda: whole.restrict(beancount_entries(entries)))


class CtcDashboard(_CachedFrames):
    """The first screen: yearly cost, kinds, cumulative cost, växlingar, FTE, budget."""

    report_title = "CTC-översikt"

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._boards: OrderedDict[CacheKey, Dashboard] = OrderedDict()
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
        span = chosen_span(self.span())
        account = request.args.get("account")
        key: CacheKey = (account, request.args.get("filter"), request.args.get("time"), span)

        def build() -> Dashboard:
            date_range = g.filtered.date_range
            dates = (date_range.begin, date_range.end) if date_range else None
            predicate = matching.account_predicate(account)
            # Without a time or advanced filter the panels only add up the whole ledger's
            # cost lines: the summary gives the same sums without building the frame.
            whole = g.filtered.entries is self.ledger.all_entries
            frame = self.summary() if whole else self.frame()
            return build_dashboard(frame, predicate, span, dates)

        return remember(self._boards, key, build)


class CtcReports(_CachedFrames):
    """Every `ctc report` in the browser: pick a report and a span, download xlsx or Markdown."""

    report_title = "CTC-rapporter"

    def reports(self) -> dict[str, str]:
        """Report name -> what it answers, for the page's form."""
        return {name: spec.title for name, spec in REPORTS.items()}

    def check_params(self, args: Mapping[str, str]) -> None:
        """The report, unit, grouping and (for a download) format must be known ones."""
        parse_form(args)
        if "by" in args:
            parse_by(args["by"])
        if "format" in args or request.endpoint == "extension_endpoint":
            check_format(args.get("format", "xlsx"))

    def form(self) -> DownloadForm:
        """The form as the user filled it in (defaults for what is missing or wrong)."""
        try:
            return parse_form(request.args, self.span())
        except UserError:
            return DownloadForm()

    def years(self) -> list[int]:
        """The years the ledger has costs or kommunbidrag in, for the span pickers."""
        frame = self.frame(filtered=False)
        return sorted({line.year for line in frame.costs} | {b.year for b in frame.budget})

    def preview(self) -> Download:
        """The chosen report rendered as its Markdown text, to read before downloading."""
        try:
            return build_download(self.frame(filtered=False), self.form(), "md")
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
            form = parse_form(request.args, self.span())
            result = build_download(self.frame(filtered=False), form, fmt)
        except UserError as error:
            return refuse(str(error))
        return Response(
            result.content,
            mimetype=result.mimetype,
            headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
        )


class CtcImport(_CachedFrames):
    """ "Läs in": import files with a preview first, undo an import, download templates.

    Every run is the command line's own (`ctc.fava.import_page`); the page is
    only a form around it. It imports only when served `ctc serve --editable`;
    read-only, Fava refuses every upload before this code sees it, and the
    page says why.
    """

    report_title = "Läs in"
    has_js_module = True
    rejected_shown = 2000
    """Rejected rows a preview lists per file (its first line sums up every reason)."""

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._outcomes = importing.Outcomes()
        self._token = secrets.token_urlsafe(24)

    def form_token(self) -> str:
        """The token every form of the page carries (a form from elsewhere lacks it)."""
        return self._token

    def check_params(self, args: Mapping[str, str]) -> None:
        """Only the page's own links: a file's SHA-256 to undo, an outcome, a known template."""
        importing.check_page_params(args)
        if (
            request.endpoint == "extension_endpoint"
            and (request.view_args or {}).get("endpoint") == "template"
        ):
            templates.check_kind(args.get("kind", ""))

    def editable(self) -> bool:
        """Whether the server was started `--editable` (the page imports only then)."""
        return current_app.config.get(import_page.EDITABLE_CONFIG) is True

    def url(self, endpoint: str = "", **query: str) -> str:
        """The absolute path of the page, or of one of its endpoints (Fava's filters kept)."""
        values: dict[str, Any] = {"extension_name": self.name, **query}
        page = url_for("extension_report", **values)
        path, mark, rest = page.partition("?")
        return f"{path}{endpoint}{mark}{rest}"

    def files(self) -> list[importing.ImportedFile]:
        """The files imported into the ledger, most recently imported first."""
        return importing.imported_files(self.model())

    def confirmation(self) -> importing.UndoPlan | str | None:
        """What undoing the file named by `?undo=` removes (or why it cannot), if asked."""
        sha = request.args.get("undo")
        if not sha:
            return None
        try:
            return importing.undo_plan(self.model(), sha)
        except UserError as error:
            return str(error)

    def outcome(self) -> importing.Outcome | None:
        """What the import or undo that redirected here did."""
        return self._outcomes.get(request.args.get("outcome"))

    def result(self) -> import_page.Result | None:
        """The preview or refusal this response shows (a POST answered with the page)."""
        return cast("import_page.Result | None", getattr(g, "ctc_result", None))

    def decisions(self) -> list[str]:
        """The decision register's ids, most recent first, for the form's options."""
        return list(templates.Lists.of(self.model()).decisions)

    def template_years(self) -> tuple[list[int], int | None]:
        """The years with a PO rate, and the one a växling template uses by default."""
        years = sorted(self.model().registers.po_rates)
        return years, (years[-1] if years else None)

    def kind_name(self, kind: str) -> str:
        """A file kind in Swedish, as `ctc import` names it."""
        return KIND_NAMES.get(kind, kind)

    def upload_limit(self) -> int:
        """Bytes one upload may hold in all."""
        return UPLOAD_LIMIT

    def kr(self, amount: Decimal) -> str:
        """Kronor with öre, as `ctc import` prints them."""
        return kronor(amount)

    def value(self, amount: Decimal) -> str:
        """An amount for `data-value`: dot-decimal kronor."""
        return importing.amount_value(amount)

    def _ledger_path(self) -> Path:
        return Path(self.ledger.beancount_file_path)

    def _books(self) -> import_page.Books:
        decisions = self.model().registers.decisions
        return import_page.Books(self._ledger_path(), decisions, self._token)

    def _page(self, result: import_page.Result) -> Response:
        """The whole page (in Fava's layout) showing `result`, with its status."""
        g.ctc_result = result
        g.extension = self
        page = self.jinja_env.get_template(f"{self.name}.html")
        content = Markup(page.render(ledger=g.ledger, extension=self))  # noqa: S704 (our template, escaped)
        html = render_template("_layout.html", content=content, page_title=self.report_title)
        return Response(html, status=result.status, mimetype="text/html")

    def _fragment(self, result: import_page.Result) -> Response:
        """Only the preview, for the page's script to put in place.

        Always 200: a refusal is what the preview shows (its status is in
        `data-status`); the whole page answers with the status itself.
        """
        macros = self.jinja_env.get_template("_ctc_import.html")
        html = macros.module.preview(result, self)  # type: ignore[attr-defined]
        return Response(str(html), mimetype="text/html")

    def _done(self, outcome: importing.Outcome, written: Sequence[str]) -> WerkzeugResponse:
        """After a change: tell Fava's watcher what changed, and 303 back to the page."""
        for path in written:
            self.ledger.watcher.notify(Path(path))
        return redirect(self.url(outcome=self._outcomes.add(outcome)), code=303)

    def _not_editable(self) -> Response | None:
        if self.editable():
            return None
        return self._page(import_page.refused(import_page.NOT_EDITABLE, 403))

    @post_endpoint("preview")
    def preview(self) -> WerkzeugResponse:
        """The dry run of the chosen files (`ctc import --dry-run`), as a fragment or the page."""
        refusal = self._not_editable()
        if refusal is not None:
            return refusal
        result = import_page.preview(request, self._books())
        if request.args.get("fragment") == "1":
            return self._fragment(result)
        return self._page(result)

    @post_endpoint("commit")
    def commit(self) -> WerkzeugResponse:
        """Import the previewed files (`ctc import`), then 303 back to the page."""
        refusal = self._not_editable()
        if refusal is not None:
            return refusal
        result = import_page.commit(request, self._books())
        if result.summary is None or not result.ready:
            return self._page(result)
        root = self._ledger_path().parent
        outcome = importing.import_outcome(result.summary, root, result.notices)
        return self._done(outcome, result.summary.written)

    @post_endpoint("undo")
    def undo(self) -> WerkzeugResponse:
        """Undo one file's import (`ctc import --undo`), then 303 back to the page."""
        refusal = self._not_editable()
        if refusal is not None:
            return refusal
        result = import_page.undo(request, self._books())
        if result.undone is None:
            return self._page(result)
        return self._done(
            importing.undo_outcome(result.undone, result.notices), result.undone.written
        )

    @extension_endpoint
    def template(self) -> Response:
        """An Excel template generated from the ledger (växling, roster or kommunbidrag)."""
        kind = request.args.get("kind", "")
        year = year_param(request.args, "year") or self.template_years()[1]
        try:
            content = templates.template_workbook(kind, self.model(), year)
        except UserError as error:
            return refuse(str(error))
        return Response(
            content,
            mimetype=templates.MIMETYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{templates.filename(kind, year)}"'
            },
        )

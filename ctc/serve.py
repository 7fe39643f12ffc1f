"""Serving the ledger in Fava, safely by default.

Fava has no login. So `ctc serve` binds to 127.0.0.1, refuses any other
address unless the caller also says `public`, and is read-only unless asked
otherwise: Fava then answers every request that is not a GET (the editor,
adding entries, uploading and deleting documents) with 401. Serving never
writes to the ledger's folder: Fava loads through Beancount's uncached loader,
Beancount's pickle cache (which writes beside the ledger) is switched off as
well, and ctc's own load cache is not used here.

Served `editable`, every request that may write holds the ledger's lock
(`ctc.lock`) while Fava handles it, so an edit and an import never interleave:
while an import or undo holds the lock, a save is refused with 423 and a
message, and an import started during a save is refused by the lock. The
import page ("Läs in", `ctc.fava.import_page`) imports and undoes only when
served `editable`, through `ctc import`'s own functions, which take the lock
themselves. Fava's
filter patterns are matched on a time budget (`ctc.fava.matching`) and a
filter Fava cannot read is a 400 on every page, not a 500.
"""

from __future__ import annotations

import contextlib
import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.errors import UserError
from ctc.fava.import_page import EDITABLE_CONFIG
from ctc.lock import try_ledger_lock

if TYPE_CHECKING:
    from fava.core.filters import FilterError
    from flask import Flask, Response

LOCALHOST = "127.0.0.1"
DEFAULT_LANGUAGE = "sv"
DASHBOARD_EXTENSION = "CtcDashboard"
IMPORT_EXTENSION = "CtcImport"
"""The import page: its runs take the ledger's lock themselves (`ctc.importers.run`)."""
FAVA_DEFAULT_PAGE = "income_statement/"

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOCKED = (
    "En import skriver i huvudboken just nu; ändringen sparades inte. "
    "Försök igen när importen är klar."
)
"""Fava's answer to a save while an import holds the ledger's lock."""

PROXY_WARNING = (
    "Varning: Fava har ingen inloggning. Servern lyssnar på {host} och måste stå bakom "
    "stadens autentiserande omvända proxy; exponera den aldrig direkt."
)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, public: bool) -> str | None:
    """Refuse a non-loopback address without `public`; return a warning to print, if any."""
    if is_loopback(host):
        return None
    if not public:
        raise UserError(
            f"Fava har ingen inloggning; att lyssna på {host} kräver även --public "
            "(och en autentiserande omvänd proxy framför)."
        )
    return PROXY_WARNING.format(host=host)


def _apply_defaults(app: Flask) -> None:
    """Swedish and our dashboard as Fava's defaults, unless the ledger chooses itself."""
    for ledger in app.config["LEDGERS"].ledgers:
        options = ledger.fava_options
        if options.language is None:
            options.language = DEFAULT_LANGUAGE
        has_dashboard = any(
            e.name == DASHBOARD_EXTENSION for e in ledger.extensions.extension_details
        )
        if has_dashboard and options.default_page == FAVA_DEFAULT_PAGE:
            options.default_page = f"extension/{DASHBOARD_EXTENSION}/"


def create_app(ledger: Path, editable: bool = False) -> Flask:
    """The Fava application for `ledger`, read-only unless `editable`."""
    from beancount import loader
    from fava.application import create_app as create_fava_app
    from fava.core.filters import FilterError

    from ctc.fava import matching

    matching.install()
    loader.initialize(use_cache=False)
    app = create_fava_app([str(ledger.resolve())], read_only=not editable)
    app.config[EDITABLE_CONFIG] = editable
    app.before_request(lambda: _apply_defaults(app))
    app.register_error_handler(FilterError, _bad_filter)
    if editable:
        _lock_while_writing(app, ledger.resolve())
    return app


def _bad_filter(error: FilterError) -> tuple[str, int]:
    """A filter Fava cannot read (or a pattern too slow to match): 400 with Fava's message."""
    return f"Fel: {error.message}\n", 400


def _lock_while_writing(app: Flask, ledger: Path) -> None:
    """Hold the ledger's lock through every request that may write; refuse it while taken."""
    from flask import g, request

    @app.before_request
    def _take_lock() -> Response | None:
        if request.method not in WRITE_METHODS or _takes_its_own_lock():
            return None
        stack = contextlib.ExitStack()
        try:
            held = stack.enter_context(try_ledger_lock(ledger))
        except OSError:
            return None  # no lock file possible here: the write itself will say why
        if not held:
            stack.close()
            return _locked(request.path)
        g.ctc_write_lock = stack
        return None

    @app.teardown_request
    def _release_lock(_: BaseException | None) -> None:
        stack = getattr(g, "ctc_write_lock", None)
        if stack is not None:
            g.ctc_write_lock = None
            stack.close()


def _takes_its_own_lock() -> bool:
    """Whether the request is for the import page, whose import and undo hold the lock."""
    from flask import request

    view_args = request.view_args or {}
    return (
        request.endpoint == "extension_endpoint"
        and view_args.get("extension_name") == IMPORT_EXTENSION
    )


def _locked(path: str) -> Response:
    """423 Locked, as JSON for Fava's API (its editor shows the message) or as text."""
    from flask import jsonify, make_response

    if "/api/" in path:
        response = jsonify({"error": LOCKED})
    else:
        response = make_response(LOCKED + "\n")
        response.mimetype = "text/plain"
    response.status_code = 423
    return response


def serve(ledger: Path, host: str = LOCALHOST, port: int = 5000, editable: bool = False) -> None:
    """Run Fava on `ledger` until interrupted."""
    from cheroot.wsgi import Server

    server = Server((host, port), create_app(ledger, editable))
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    except OSError as error:
        raise UserError(f"Kan inte starta Fava på {host}:{port}: {error}") from error

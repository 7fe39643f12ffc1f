"""Serving the ledger in Fava, safely by default.

Fava has no login. So `ctc serve` binds to 127.0.0.1, refuses any other
address unless the caller also says `public`, and is read-only unless asked
otherwise: Fava then answers every request that is not a GET (the editor,
adding entries, uploading and deleting documents) with 401. Serving never
writes to the ledger's folder: Fava loads through Beancount's uncached loader,
Beancount's pickle cache (which writes beside the ledger) is switched off as
well, and ctc's own load cache is not used here.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.errors import UserError

if TYPE_CHECKING:
    from flask import Flask

LOCALHOST = "127.0.0.1"
DEFAULT_LANGUAGE = "sv"
DASHBOARD_EXTENSION = "CtcDashboard"
FAVA_DEFAULT_PAGE = "income_statement/"

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

    loader.initialize(use_cache=False)
    app = create_fava_app([str(ledger.resolve())], read_only=not editable)
    app.before_request(lambda: _apply_defaults(app))
    return app


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

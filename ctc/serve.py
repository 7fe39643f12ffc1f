"""Serving the ledger in Fava.

Fava has no login, so the server binds to 127.0.0.1 and is read-only unless
the caller asks otherwise.
"""

from __future__ import annotations

from pathlib import Path

from ctc.errors import UserError

LOCALHOST = "127.0.0.1"


def serve(ledger: Path, host: str = LOCALHOST, port: int = 5000, editable: bool = False) -> None:
    """Run Fava on `ledger` until interrupted."""
    from cheroot.wsgi import Server
    from fava.application import create_app

    app = create_app([str(ledger.resolve())], read_only=not editable)
    server = Server((host, port), app)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
    except OSError as error:
        raise UserError(f"Kan inte starta Fava på {host}:{port}: {error}") from error

"""``rashomon serve``: a local web app and JSON API over a Rashomon store.

``create_app(db)`` builds the Starlette application; ``serve`` runs it on uvicorn. Reads
come from an in-memory snapshot of the store (``snapshot``), so many requests run at
once and a ``rashomon analyze`` writing the same file never makes a request fail; one
background writer (``jobs``) adds uploaded articles through the code path of
``rashomon analyze``. Pages and API are described in the README section
"rashomon serve".
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from .app import create_app

LOOPBACK = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000, *, read_only: bool = False,
          token: str | None = None, log_level: str = "warning") -> None:
    """Run the server until interrupted."""
    import uvicorn

    app = create_app(db, read_only=read_only, token=token)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)


__all__ = ["create_app", "is_loopback", "serve"]

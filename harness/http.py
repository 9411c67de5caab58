"""HTTP plumbing shared by msal, the BC API client and the admin client: TLS trust and timeouts."""

from __future__ import annotations

import ssl
from pathlib import Path


def ssl_context(extra_ca: str | Path | None = None) -> ssl.SSLContext:
    """The system trust store plus, when given, the sandbox CA: one context serves twins and real hosts."""
    context = ssl.create_default_context()
    if extra_ca:
        context.load_verify_locations(str(extra_ca))
    return context

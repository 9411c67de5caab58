"""HTTP plumbing shared by msal, the BC API client and the admin client: TLS trust and timeouts."""

from __future__ import annotations

import functools
import ssl
from pathlib import Path

import httpx

from harness import transcripts


def ssl_context(extra_ca: str | Path | None = None) -> ssl.SSLContext:
    """The system trust store plus, when given, the sandbox CA: one context serves twins and real hosts.

    Built once per CA file version: loading the system store costs ~100 ms, and a fresh msal client per token
    attempt (to dodge msal's 400 replay) would otherwise pay it every time."""
    if not extra_ca:
        return _context("", 0.0)
    path = Path(extra_ca)
    return _context(str(path.resolve()), path.stat().st_mtime)


@functools.lru_cache(maxsize=8)
def _context(extra_ca: str, mtime: float) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if extra_ca:
        context.load_verify_locations(extra_ca)
    return context


def client(ca_cert: str | Path | None, timeout_s: float, **kwargs: object) -> httpx.Client:
    """An httpx client that trusts the sandbox CA (when given) and records transcripts for the report."""
    return httpx.Client(verify=ssl_context(ca_cert), timeout=timeout_s, event_hooks=transcripts.event_hooks(),
                        **kwargs)  # type: ignore[arg-type]

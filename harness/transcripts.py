"""Readable HTTP transcripts of the token and BC API exchanges, for the report.

`event_hooks()` plugs into every httpx client the harness builds (`harness.http.client`); each finished exchange is
recorded already masked, so a clear credential never sits in the log: the `Authorization`/cookie headers and the
fields `client_secret`, `client_assertion`, `access_token`, `refresh_token`, `id_token` (and `password`) are masked
in headers, URLs, form bodies and JSON bodies, and every JWT is replaced by its decoded claims. Values revealed
through `Secret` are scrubbed from whatever is left (an echoed error body, say). The reporting plugin calls
`drain()` after each step and attaches `render(entries)`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from harness.secrets import MASK, revealed_values

SENSITIVE_FIELDS = frozenset({"client_secret", "client_assertion", "access_token", "refresh_token", "id_token",
                              "password"})
# An authorization code or state in a redirect URL is as good as a credential for a few minutes.
SENSITIVE_QUERY = SENSITIVE_FIELDS | {"code", "state", "session_state"}
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
MAX_BODY_CHARS = 4000

_local = threading.local()


def _log() -> list[dict[str, Any]]:
    if not hasattr(_local, "entries"):
        _local.entries = []
    return _local.entries


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, decoded without verification (for display only); None when it isn't one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def scrub(text: str) -> str:
    """Mask JWTs and every value revealed through `Secret` in free text."""
    text = JWT_RE.sub(f"{MASK}(JWT)", text)
    for value in sorted(revealed_values(), key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return scrub(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, MASK if k.lower() in SENSITIVE_QUERY else v) for k, v in pairs]
    return scrub(urlunsplit(parts._replace(query=urlencode(query, safe=MASK))))


class _Claims:
    """Collects decoded token claims while a message is masked, to show them under the message."""

    def __init__(self) -> None:
        self.found: list[tuple[str, dict[str, Any]]] = []

    def mask_value(self, name: str, value: Any) -> str:
        claims = jwt_claims(value) if isinstance(value, str) else None
        if claims is not None:
            self.found.append((name, claims))
            return f"{MASK} (JWT, claims below)"
        return MASK

    def mask_header(self, name: str, value: str) -> str:
        scheme, _, credential = value.partition(" ")
        if credential and scheme.lower() == "bearer":
            return f"Bearer {self.mask_value(name, credential)}"
        return f"{scheme} {MASK}" if credential else MASK

    def mask_json(self, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: self.mask_value(k, v) if k.lower() in SENSITIVE_FIELDS else self.mask_json(v)
                    for k, v in data.items()}
        if isinstance(data, list):
            return [self.mask_json(item) for item in data]
        return data

    def mask_body(self, body: bytes, content_type: str) -> str:
        if not body:
            return ""
        text = body.decode("utf-8", errors="replace")
        if "json" in content_type:
            with suppress(ValueError):
                text = json.dumps(self.mask_json(json.loads(text)), indent=2, ensure_ascii=False)
        elif "x-www-form-urlencoded" in content_type:
            pairs = parse_qsl(text, keep_blank_values=True)
            text = "\n".join(f"{k}={self.mask_value(k, v) if k.lower() in SENSITIVE_FIELDS else v}" for k, v in pairs)
        text = scrub(text)
        if len(text) > MAX_BODY_CHARS:
            text = text[:MAX_BODY_CHARS] + f"\n… ({len(text) - MAX_BODY_CHARS} more characters)"
        return text

    def headers(self, headers: httpx.Headers) -> list[str]:
        return [f"{k}: {self.mask_header(k, v) if k.lower() in SENSITIVE_HEADERS else scrub(v)}"
                for k, v in headers.multi_items()]


def record(response: httpx.Response) -> dict[str, Any]:
    """One exchange as a masked, display-ready dict."""
    request = response.request
    claims = _Claims()
    entry = {
        "time": datetime.now(UTC).strftime("%H:%M:%S"),
        "method": request.method,
        "url": mask_url(str(request.url)),
        "status": response.status_code,
        "reason": response.reason_phrase,
        "elapsed_ms": _elapsed_ms(request),
        "request_headers": claims.headers(request.headers),
        "request_body": claims.mask_body(request.content, request.headers.get("content-type", "")),
        "response_headers": claims.headers(response.headers),
        "response_body": claims.mask_body(response.content, response.headers.get("content-type", "")),
    }
    entry["claims"] = claims.found
    return entry


def _elapsed_ms(request: httpx.Request) -> int | None:
    started = request.extensions.get("harness_started")
    return None if started is None else int((time.monotonic() - started) * 1000)


def _on_request(request: httpx.Request) -> None:
    request.extensions["harness_started"] = time.monotonic()


def _on_response(response: httpx.Response) -> None:
    response.read()
    _log().append(record(response))


def event_hooks() -> dict[str, list[Any]]:
    return {"request": [_on_request], "response": [_on_response]}


def drain() -> list[dict[str, Any]]:
    """Entries recorded since the last drain (the reporting plugin attaches them per step)."""
    entries = list(_log())
    _log().clear()
    return entries


def _claim_lines(name: str, claims: dict[str, Any]) -> list[str]:
    lines = [f"  decoded {name} claims:"]
    lines += ["    " + line for line in json.dumps(claims, indent=2, ensure_ascii=False).splitlines()]
    for key in ("nbf", "iat", "exp"):
        if isinstance(claims.get(key), int | float):
            lines.append(f"    {key} = {datetime.fromtimestamp(claims[key], UTC).isoformat()}")
    return lines


def render(entries: list[dict[str, Any]]) -> str:
    """A plain-text transcript, one block per exchange."""
    blocks: list[str] = []
    for e in entries:
        took = f" ({e['elapsed_ms']} ms)" if e.get("elapsed_ms") is not None else ""
        lines = [f"[{e['time']}] {e['method']} {e['url']}", *("  > " + h for h in e["request_headers"])]
        if e["request_body"]:
            lines += ["  >", *("  > " + line for line in e["request_body"].splitlines())]
        lines.append(f"  < HTTP {e['status']} {e['reason']}{took}")
        lines += ["  < " + h for h in e["response_headers"]]
        if e["response_body"]:
            lines += ["  <", *("  < " + line for line in e["response_body"].splitlines())]
        for name, claims in e.get("claims", []):
            lines += _claim_lines(name, claims)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")

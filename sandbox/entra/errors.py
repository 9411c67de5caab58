"""Entra error responses exactly as the token service shapes them (FIDELITY.md §b.6, §b.7).

`error_description` is "AADSTSnnnnnn: <message>" plus Trace ID, Correlation ID and Timestamp lines; ids and
timestamp are fresh per response. The HTTP status per code can be overridden with the option `aadsts_status`
(a dict code → status) because several real statuses are unverified.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse

from sandbox.context import Sandbox

# code -> (error, default HTTP status)
CODES: dict[int, tuple[str, int]] = {
    7000215: ("invalid_client", 401),  # wrong secret or Secret ID pasted (real captures: 401)
    7000222: ("invalid_client", 401),  # expired secret
    7000218: ("invalid_client", 401),  # no secret
    700016: ("unauthorized_client", 400),  # unknown client id (or not yet replicated)
    90002: ("invalid_request", 400),  # unknown tenant (discovery answers invalid_tenant)
    500011: ("invalid_resource", 400),  # resource principal not in the tenant
    70011: ("invalid_scope", 400),
    900144: ("invalid_request", 400),  # missing parameter
    70003: ("unsupported_grant_type", 400),
    9001023: ("invalid_request", 400),  # client credentials over /common or /organizations
    90055: ("temporarily_unavailable", 429),  # throttled
    90033: ("temporarily_unavailable", 503),  # transient outage
    # Malformed requests. 9000411 (a parameter twice) is `invalid_request` with HTTP 400 in real captures
    # (Azure/azure-sdk-for-java issue #31733). 900561 (wrong method) and 9002313 (malformed) are real codes and
    # messages, but their `error` and status on the token endpoint are not public: the twin answers invalid_request
    # and 400 (413 for an oversized body). Entra's body-size and parameter-count limits are not public either.
    9000411: ("invalid_request", 400),
    900561: ("invalid_request", 400),
    9002313: ("invalid_request", 400),
}


def message(code: int, **values: str) -> str:
    """The Entra message text for a code (FIDELITY §b.7 wording where known)."""
    texts = {
        7000215: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                 "value, not the client secret ID, for a secret added to app '{app_id}'.",
        7000222: "The provided client secret keys for app '{app_id}' are expired. Visit the Azure portal to create "
                 "new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials "
                 "for added security: https://aka.ms/certCreds.",
        7000218: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        700016: "Application with identifier '{app_id}' was not found in the directory '{tenant}'. This can happen "
                "if the application has not been installed by the administrator of the tenant or consented to by "
                "any user in the tenant. You may have sent your authentication request to the wrong tenant.",
        90002: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into "
               "the correct cloud. Check with your subscription administrator, this may happen if there are no "
               "active subscriptions for the tenant.",
        500011: "The resource principal named {resource} was not found in the tenant named {tenant}. This can "
                "happen if the application has not been installed by the administrator of the tenant or consented "
                "to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
        70011: "The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.",
        900144: "The request body must contain the following parameter: '{parameter}'.",
        70003: "The app requested an unsupported grant type '{grant_type}'.",
        9001023: "The grant type isn't supported over the /common or /consumers endpoints. Please use the "
                 "/organizations or tenant-specific endpoint.",
        90055: "There are too many incoming requests. Please try again later.",
        90033: "A transient error has occurred. Please try again.",
        9000411: "The request is not properly formatted. The parameter '{parameter}' is duplicated.",
        900561: "The endpoint only accepts POST requests. Received a {method} request.",
        9002313: "Invalid request. Request is malformed or invalid.",
    }
    return texts[code].format(**values)


def status_for(sandbox: Sandbox, code: int) -> int:
    """The option's status for this code when it is a usable HTTP error status, else the default."""
    overrides = sandbox.option("aadsts_status", {}) or {}
    override = overrides.get(str(code)) if isinstance(overrides, dict) else None
    if isinstance(override, str) and override.isdigit():
        override = int(override)
    if isinstance(override, int) and not isinstance(override, bool) and 400 <= override <= 599:
        return override
    return CODES[code][1]


def body(sandbox: Sandbox, code: int, *, error: str | None = None, **values: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    trace_id, correlation_id = str(uuid.uuid4()), str(uuid.uuid4())
    description = (f"AADSTS{code}: {message(code, **values)}\r\nTrace ID: {trace_id}\r\n"
                   f"Correlation ID: {correlation_id}\r\nTimestamp: {now.strftime('%Y-%m-%d %H:%M:%SZ')}")
    return {
        "error": error or CODES[code][0],
        "error_description": description,
        "error_codes": [code],
        "timestamp": now.strftime("%Y-%m-%d %H:%M:%SZ"),
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": f"{sandbox.urls['login']}/error?code={code}",
    }


def response(sandbox: Sandbox, code: int, *, error: str | None = None, status: int | None = None,
             headers: dict[str, str] | None = None, **values: str) -> JSONResponse:
    """The JSON error response for `code`; `error` overrides the usual one (discovery uses invalid_tenant)."""
    payload = body(sandbox, code, error=error, **values)
    all_headers = {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache",
                   "x-ms-request-id": payload["trace_id"], "x-ms-ests-server": "2.1.sandbox"}
    all_headers.update(headers or {})
    return JSONResponse(payload, status_code=status or status_for(sandbox, code), headers=all_headers)

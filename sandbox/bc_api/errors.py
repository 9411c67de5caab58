"""Business Central API error responses: `{"error": {"code", "message"}}` (FIDELITY.md §e)."""

from __future__ import annotations

import uuid

from starlette.responses import JSONResponse

ODATA_HEADERS = {"OData-Version": "4.0"}


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=ODATA_HEADERS)


def invalid_credentials() -> JSONResponse:
    """The one 401 BC gives for every authentication/authorisation failure (two spaces around CorrelationId:)."""
    return error(401, "Authentication_InvalidCredentials",
                 f"The server has rejected the client credentials.  CorrelationId:  {uuid.uuid4()}.")


def not_found(what: str = "") -> JSONResponse:
    detail = f" '{what}'" if what else ""
    return error(404, "BadRequest_NotFound", f"The request URI{detail} is not valid. CorrelationId:  "
                 f"{uuid.uuid4()}.")


def fault(status: int) -> JSONResponse:
    if status == 429:
        return error(429, "Application_TooManyRequests", "Too many requests reached. Please try again later.")
    return error(503, "Internal_ServiceUnavailable", "The service is temporarily unavailable. Please try again.")

"""Business Central API twin: `/v2.0/[{tenant}/]{environment}/api/v2.0/companies[({id})]` (FIDELITY.md §e).

Order of checks: route → bearer token (signature, lifetime, issuer, audience, URL tenant) → environment →
API role and Microsoft Entra Applications record → method → query. Every token or app failure is the single
`Authentication_InvalidCredentials` 401. Options: `bc_environment_not_found` ({"status", "code"}) and
`bc_company_not_found` (same) for the unverified not-found answers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data, directory
from sandbox.bc_api import auth, odata
from sandbox.bc_api.errors import ODATA_HEADERS, error, fault, invalid_credentials, not_found
from sandbox.context import Sandbox
from sandbox.faults import with_faults

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
_ENTITY = re.compile(r"^companies(?:\(([^)]*)\))?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class ApiPath:
    tenant: str | None  # None: the tenant-less form (tenant from the token)
    environment: str
    base: str  # …/v2.0/[tenant/]environment, echoed in @odata.context
    company_key: str | None  # the text inside companies(…), if any


def parse_path(request: Request) -> ApiPath | None:
    parts = request.url.path.strip("/").split("/")
    if len(parts) < 5 or parts[0] != "v2.0":
        return None
    if parts[2:4] == ["api", "v2.0"] and len(parts) == 5:
        tenant, environment, entity = None, parts[1], parts[4]
    elif len(parts) == 6 and parts[3:5] == ["api", "v2.0"]:
        tenant, environment, entity = parts[1], parts[2], parts[5]
    else:
        return None
    match = _ENTITY.match(entity)
    if not match:
        return None
    root = str(request.base_url).rstrip("/")
    base = f"{root}/v2.0/{tenant + '/' if tenant else ''}{environment}"
    return ApiPath(tenant, environment, base, match.group(1))


def _configured_error(sandbox: Sandbox, option: str, default_code: str, message: str) -> JSONResponse:
    settings = sandbox.option(option, {}) or {}
    return error(int(settings.get("status", 404)), str(settings.get("code", default_code)), message)


def _odata(payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse(payload, headers={**ODATA_HEADERS, "Content-Type": CONTENT_TYPE})


def _resolve_tenant(sandbox: Sandbox, key: str | None) -> str | None:
    """The URL tenant as a GUID (domains resolve), or the raw text when unknown (then it cannot match a tid)."""
    if key is None:
        return None
    tenant = directory.tenant(sandbox.store, key)
    return tenant.id if tenant else key


def _companies(sandbox: Sandbox, request: Request, path: ApiPath, tenant_id: str) -> Response:
    rows = bc_data.companies(sandbox.store, tenant_id, path.environment)
    context = f"{path.base}/api/v2.0/$metadata#companies"
    if path.company_key is not None:
        key = path.company_key.strip("'")
        row = next((r for r in rows if r["id"].lower() == key.lower()), None) if _GUID.match(key) else None
        if row is None:
            return _configured_error(sandbox, "bc_company_not_found", "Internal_CompanyNotFound",
                                     f"The company '{key}' does not exist.")
        return _odata({"@odata.context": context + "/$entity", **odata.company(row)})
    selected = rows
    text = request.query_params.get("$filter")
    if text is not None:
        try:
            clauses = odata.parse_filter(text)
        except odata.FilterError as exc:
            return error(400, "BadRequest_NotFound", f"Bad Request - Error in query syntax near '{exc}'.")
        selected = [r for r in rows if odata.matches(r, clauses)]
    return _odata({"@odata.context": context, "value": [odata.company(r) for r in selected]})


def _api(sandbox: Sandbox):
    async def endpoint(request: Request) -> Response:
        path = parse_path(request)
        if path is None:
            return not_found(request.url.path)
        try:
            caller = auth.authenticate(sandbox, request.headers.get("authorization", ""),
                                       _resolve_tenant(sandbox, path.tenant))
        except auth.Rejected as exc:
            log.info("401 on %s: %s", request.url.path, exc)
            return invalid_credentials()
        if bc_data.environment(sandbox.store, caller.tenant_id, path.environment) is None:
            return _configured_error(sandbox, "bc_environment_not_found", "BadRequest_NotFound",
                                     f"The environment '{path.environment}' does not exist for this tenant.")
        try:
            auth.authorise(sandbox, caller, path.environment)
        except auth.Rejected as exc:
            log.info("401 on %s: %s", request.url.path, exc)
            return invalid_credentials()
        if request.method != "GET":
            return error(405, "BadRequest_MethodNotAllowed",
                         f"'{request.method}' requests for 'companies' of EdmType 'Entity' are not allowed within "
                         "Dynamics 365 Business Central OData web services.")
        return _companies(sandbox, request, path, caller.tenant_id)

    return endpoint


def create_app(sandbox: Sandbox) -> Starlette:
    endpoint = with_faults(sandbox, fault, _api(sandbox))
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=METHODS)])

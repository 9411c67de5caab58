"""What the Dynamics Mobile SaaS agent does with a role's Backend Connection settings (FIDELITY §f: the real
agent's OAuth path is UNVERIFIED, presumably §b.4): take a client-credentials token from Entra, list the Business
Central companies, and find the saved company by name.

Exposed as the admin route `POST /admin/dm/agent-check` with body {"area", "role"}; the answer is
{"ok", "stage": "config"|"token"|"bc_api"|"company"|"done", "error", "message"} and never carries the secret.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox import dm_data
from sandbox.admin.registry import admin_route
from sandbox.admin.validation import read_object
from sandbox.context import Sandbox
from sandbox.tls import client_ssl_context

BC_SCOPE = "https://api.businesscentral.dynamics.com/.default"
TIMEOUT_S = 30.0


def _result(ok: bool, stage: str, error: str | None, message: str) -> dict[str, Any]:
    return {"ok": ok, "stage": stage, "error": error, "message": message}


def _backend(settings: dict[str, Any]) -> dict[str, Any]:
    return ((settings.get("agent") or {}).get("backend")) or {}


def _config_problem(settings: dict[str, Any]) -> str | None:
    agent = settings.get("agent") or {}
    backend = _backend(settings)
    if not backend:
        return "the role has no AGENT › Backend Connection settings"
    if agent.get("deploymentType") != "SaaS":
        return f"Agent Deployment Type is {agent.get('deploymentType')!r}; only SaaS agents connect from the cloud"
    if backend.get("type") != "d365bc" or backend.get("deployment") != "cloud":
        return "the Backend Connection is not Microsoft Dynamics 365 Business Central on Microsoft Cloud"
    missing = [k for k in ("tenantId", "environment", "clientId", "clientSecret", "company") if not backend.get(k)]
    if missing:
        return "missing settings: " + ", ".join(missing)
    return None


def _token_error(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}", response.text[:200]
    codes = body.get("error_codes") or []
    code = f"AADSTS{codes[0]}" if codes else str(body.get("error") or f"HTTP {response.status_code}")
    description = str(body.get("error_description") or "").splitlines()
    return code, description[0] if description else str(body.get("error", ""))


def _bc_error(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return f"HTTP {response.status_code}", response.text[:200]
    return str(error.get("code") or f"HTTP {response.status_code}"), str(error.get("message") or "")


async def check_role(sandbox: Sandbox, area: str, role_id: str) -> dict[str, Any]:
    role = dm_data.role(sandbox.store, area, role_id)
    if role is None:
        raise KeyError(f"role {role_id} in application area {area}")
    problem = _config_problem(role["settings"])
    if problem:
        return _result(False, "config", "incomplete_settings", problem)
    backend = _backend(role["settings"])
    tenant = backend["tenantId"]
    verify = client_ssl_context(sandbox.tls.ca_cert)
    # Async client: the admin API shares the event loop with the Entra and BC twins it calls.
    async with httpx.AsyncClient(verify=verify, timeout=TIMEOUT_S) as client:
        try:
            token_response = await client.post(
                f"{sandbox.urls['login']}/{quote(tenant, safe='')}/oauth2/v2.0/token",
                data={"client_id": backend["clientId"], "client_secret": backend["clientSecret"],
                      "grant_type": "client_credentials", "scope": BC_SCOPE})
        except httpx.HTTPError as exc:
            return _result(False, "token", "connection_error", f"token endpoint unreachable: {type(exc).__name__}")
        if token_response.status_code != 200:
            code, message = _token_error(token_response)
            return _result(False, "token", code, message)
        access_token = token_response.json().get("access_token", "")
        url = (f"{sandbox.urls['bc_api']}/v2.0/{quote(tenant, safe='')}/{quote(backend['environment'], safe='')}"
               "/api/v2.0/companies")
        try:
            companies_response = await client.get(url, headers={"Authorization": f"Bearer {access_token}"})
        except httpx.HTTPError as exc:
            return _result(False, "bc_api", "connection_error", f"Business Central API unreachable: "
                                                                 f"{type(exc).__name__}")
    if companies_response.status_code != 200:
        code, message = _bc_error(companies_response)
        return _result(False, "bc_api", code, message)
    names = [str(c.get("name", "")) for c in companies_response.json().get("value", [])]
    if backend["company"] not in names:
        return _result(False, "company", "company_not_found",
                       f"company {backend['company']!r} is not among {', '.join(map(repr, names)) or 'no companies'}")
    return _result(True, "done", None, f"connected to {backend['company']!r} in {backend['environment']!r}")


@admin_route("POST", "/admin/dm/agent-check")
async def agent_check(sandbox: Sandbox, request: Request) -> Response:
    body = await read_object(request)
    area, role_id = body.get("area"), body.get("role")
    if not isinstance(area, str) or not area or not isinstance(role_id, str) or not role_id:
        raise ValueError("body must name the application area and role: {\"area\": \"DEMO01\", \"role\": \"DMSAGENT\"}")
    return JSONResponse(await check_role(sandbox, area, role_id))

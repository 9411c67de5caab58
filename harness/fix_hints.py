"""One-line fixes for the errors the procedure can produce, naming the UI and the field to look at.

`aadsts_hint(code)` for Entra token errors, `bc_hint(status, code)` for Business Central API errors, and
`bc_401_hint(claims)` which uses the token's claims to narrow BC's single 401 down to its likely cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

BC_API_ROLE = "API.ReadWrite.All"
BC_AUDIENCES = {"https://api.businesscentral.dynamics.com", "https://api.businesscentral.dynamics.com/",
                "996def3d-b36c-4153-8607-a6fd3c01b89f"}

AADSTS_HINTS: dict[int, str] = {
    7000215: "Azure portal > App registrations > <app> > Certificates & secrets: copy the secret's Value (not its "
             "Secret ID) into Dynamics Mobile Portal > Client Secret",
    7000222: "the client secret has expired: Azure portal > App registrations > <app> > Certificates & secrets > "
             "New client secret, then paste its Value into Dynamics Mobile Portal > Client Secret",
    7000218: "no client secret was sent: fill Dynamics Mobile Portal > Client Secret with the secret's Value",
    700016: "check Dynamics Mobile Portal > Client Id against Azure portal > App registrations > <app> > Overview > "
            "Application (client) ID; a brand-new app can take a minute to replicate",
    90002: "check Dynamics Mobile Portal > Tenant Id against Azure portal > App registrations > <app> > Overview > "
           "Directory (tenant) ID (a typo or another tenant)",
    500011: "the requested resource is not in this tenant: the scope must be "
            "https://api.businesscentral.dynamics.com/.default",
    70011: "the scope must name one resource and end with /.default, e.g. "
           "https://api.businesscentral.dynamics.com/.default",
    900144: "the token request is missing a parameter (grant_type, client_id or scope)",
    70003: "the token request must use grant_type=client_credentials",
    9001023: "use the tenant-specific authority (Directory (tenant) ID), not /common or /organizations",
    501051: "the app is not assigned to a role of Business Central: grant admin consent in Azure portal > "
            "App registrations > <app> > API permissions",
    90055: "the identity provider throttled the request: retry after the Retry-After interval",
    90033: "the identity provider had a transient outage: retry later",
}

BC_401_CAUSES = ("admin consent not granted (Azure portal > API permissions > Grant admin consent)",
                 "the app is missing from Business Central > Microsoft Entra Applications (Client ID)",
                 "its State is not Enabled",
                 "it has no User Permission Sets (e.g. D365 AUTOMATION)")


def aadsts_hint(code: int | None) -> str:
    if code is None:
        return "the identity provider did not return an AADSTS code: check Tenant Id and the login URL"
    return AADSTS_HINTS.get(code, f"see https://login.microsoftonline.com/error?code={code}")


def bc_hint(status: int, code: str, *, environment: str = "", company: str = "") -> str:
    if status == 401 or code == "Authentication_InvalidCredentials":
        return "Business Central rejected the app; likely causes: " + "; ".join(BC_401_CAUSES)
    if code == "Internal_CompanyNotFound":
        return f"company {company!r} not found: check Dynamics Mobile Portal > Company against the BC company name"
    if status == 404:
        env = f" {environment!r}" if environment else ""
        return (f"environment{env} not found: Dynamics Mobile Portal > Environment Id must be the environment "
                "name shown in the Business Central admin center (e.g. Production)")
    if status == 403:
        return "the app's permission sets do not cover this call: add one in Microsoft Entra Application Card"
    if status in (429, 503):
        return "Business Central throttled or is briefly unavailable: retry after the Retry-After interval"
    return "see the Business Central API error codes (BadRequest_*, Authentication_*, Authorization_*, Internal_*)"


def company_missing_hint(company: str, listed: Iterable[str]) -> str:
    names = ", ".join(repr(n) for n in listed) or "none"
    return (f"company {company!r} is not listed (companies: {names}): set Dynamics Mobile Portal > Company to "
            "one of them")


def bc_401_hint(claims: dict[str, Any], *, client_id: str = "", tenant_id: str = "",
                    required_role: str = BC_API_ROLE) -> str:
    """The most likely reason for BC's 401 given what the token says."""
    roles = claims.get("roles") or []
    if claims.get("aud") not in BC_AUDIENCES:
        return f"the token's audience is {claims.get('aud')!r}, not Business Central: request the BC scope"
    if tenant_id and str(claims.get("tid", "")).lower() != tenant_id.lower():
        return "the token is for another tenant than the API URL: check Tenant Id"
    if not roles:
        return ("admin consent not granted: the token has no roles claim (Azure portal > App registrations > <app> "
                "> API permissions > Grant admin consent); then request a new token")
    if required_role not in roles:
        return (f"the token's roles lack {required_role}: add it under API permissions (Application permissions) "
                "and grant admin consent")
    app = client_id or claims.get("appid") or claims.get("azp") or "the app"
    return (f"the token is fine, so Business Central does not accept {app}: check Microsoft Entra Applications "
            "(Client ID present, State Enabled, a User Permission Set such as D365 AUTOMATION)")

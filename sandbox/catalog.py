"""Resource APIs the twins know: Business Central's and Microsoft Graph's permissions, with real ids.

Source: FIDELITY.md §c.4 (resource appId and permission ids as Entra publishes them).
"""

from __future__ import annotations

from dataclasses import dataclass

BC_RESOURCE_APP_ID = "996def3d-b36c-4153-8607-a6fd3c01b89f"
BC_RESOURCE_URI = "https://api.businesscentral.dynamics.com"
BC_DISPLAY_NAME = "Dynamics 365 Business Central"
GRAPH_RESOURCE_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_RESOURCE_URI = "https://graph.microsoft.com"
GRAPH_DISPLAY_NAME = "Microsoft Graph"


@dataclass(frozen=True)
class Permission:
    resource_app_id: str
    id: str
    value: str
    kind: str  # "Application" (app role) or "Delegated" (OAuth2 scope)
    description: str
    admin_consent_required: bool


PERMISSIONS: tuple[Permission, ...] = (
    Permission(BC_RESOURCE_APP_ID, "a42b0b75-311e-488d-b67e-8fe84f924341", "API.ReadWrite.All", "Application",
               "Full access to web services API", True),
    Permission(BC_RESOURCE_APP_ID, "d365bc00-a990-0000-00bc-160000000001", "Automation.ReadWrite.All",
               "Application", "Full access to automation", True),
    Permission(BC_RESOURCE_APP_ID, "a20fe46f-4f63-4666-8e0e-9b882d90b837", "AdminCenter.ReadWrite.All",
               "Application", "Full access to Admin Center API", True),
    Permission(BC_RESOURCE_APP_ID, "3983b928-ed40-4111-bbad-e7910cf234bd", "app_access", "Application",
               "Access according to the application permissions in Business Central", True),
    Permission(BC_RESOURCE_APP_ID, "2fb13c28-9d89-417f-9af2-ec3065bc16e6", "Financials.ReadWrite.All", "Delegated",
               "Access Dynamics 365 Business Central as the signed-in user", False),
    Permission(BC_RESOURCE_APP_ID, "bce0976a-cb0b-473b-8800-84eda9f8e447", "user_impersonation", "Delegated",
               "Access as the signed-in user", False),
    Permission(GRAPH_RESOURCE_APP_ID, "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", "Delegated",
               "Sign in and read user profile", False),
)

RESOURCES = {
    BC_RESOURCE_APP_ID: (BC_DISPLAY_NAME, BC_RESOURCE_URI),
    GRAPH_RESOURCE_APP_ID: (GRAPH_DISPLAY_NAME, GRAPH_RESOURCE_URI),
}


def permission(resource_app_id: str, value: str) -> Permission | None:
    return next((p for p in PERMISSIONS if p.resource_app_id == resource_app_id and p.value == value), None)


def permissions_of(resource_app_id: str, kind: str) -> list[Permission]:
    return [p for p in PERMISSIONS if p.resource_app_id == resource_app_id and p.kind == kind]


def resource_by_uri(uri: str) -> str | None:
    """Resource app id for an App ID URI (with or without trailing slash), or None."""
    wanted = uri.rstrip("/").lower()
    return next((app_id for app_id, (_, u) in RESOURCES.items() if u.lower() == wanted), None)

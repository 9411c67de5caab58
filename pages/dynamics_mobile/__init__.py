"""Page objects for the Dynamics Mobile Portal (captions from `labels.py`; the twin keeps its own)."""

from pages.dynamics_mobile.errors import PortalError, PortalLoginError, PortalValidationError
from pages.dynamics_mobile.login_page import PortalLoginPage
from pages.dynamics_mobile.role_settings_page import BackendConnection, RoleSettingsPage
from pages.dynamics_mobile.roles_page import RoleCreateForm, RolesListPage
from pages.dynamics_mobile.shell import PortalShell

__all__ = ["BackendConnection", "PortalError", "PortalLoginError", "PortalLoginPage", "PortalShell",
           "PortalValidationError", "RoleCreateForm", "RoleSettingsPage", "RolesListPage"]

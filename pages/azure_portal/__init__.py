"""Page objects for the Azure portal's App registrations (twin and real portal alike)."""

from pages.azure_portal.api_permissions import ApiPermissions, PermissionRow, RequestApiPermissions
from pages.azure_portal.app_registrations import AppRegistrations, RegisterApplication
from pages.azure_portal.certificates_secrets import CertificatesAndSecrets, NewClientSecret, SecretRow
from pages.azure_portal.overview import AppOverview, Essentials
from pages.azure_portal.portal import AzurePortal, PortalError

__all__ = ["ApiPermissions", "AppOverview", "AppRegistrations", "AzurePortal", "CertificatesAndSecrets",
           "Essentials", "NewClientSecret", "PermissionRow", "PortalError", "RegisterApplication",
           "RequestApiPermissions", "SecretRow"]

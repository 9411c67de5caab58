"""Apps for TARGET=live, made once per session through the UIs and reused by every scenario that needs one.

Each is made by the golden path's own procedure: in the Azure portal, register the app (Web redirect URI
OAuthLanding.htm), add the Business Central application permissions, grant admin consent when wanted, add a
client secret; in Business Central, the Microsoft Entra Application with its user and permission sets, Enabled or
left Disabled, or none at all. Each gets its own run-id name (`APP_NAME <run id>`, BC Description
`Dynamics Mobile <run id>`), so `bcoauth sweep` finds it if the session crashes. When the session ends the
portals' own Delete actions remove them (CLEANUP=false keeps them).

The backstage asks for these on live only (`Backstage.provision_app`); on the sandbox it uses the admin API.
The pytest fixture `live_apps` is loaded from the root conftest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from flows import azure_portal, business_central, sign_in
from flows.tokens import companies_once_accepted, token_with_roles
from harness import oauth
from harness.backstage import Backstage, ProvisionedApp
from harness.cleanup import CleanupLedger
from harness.run_context import new_run_id
from harness.settings import Settings
from pages.azure_portal import ApiPermissions, AppOverview, AppRegistrations, AzurePortal, CertificatesAndSecrets

BC_API = "Dynamics 365 Business Central"
LANDING = "https://businesscentral.dynamics.com/OAuthLanding.htm"
BC_STATES = ("enabled", "disabled", "absent")


def bc_description(run_id: str) -> str:
    """The Description a run gives its Microsoft Entra Application (BC allows 50 characters)."""
    return f"Dynamics Mobile {run_id}"[:50]


class SessionApps:
    """`app(consent=…, bc_state=…)`: the session's app in that state, made the first time it is asked for."""

    def __init__(self, new_context: Callable[[], BrowserContext], settings: Settings) -> None:
        self._new_context = new_context
        self._settings = settings
        self._ledger = CleanupLedger(enabled=settings.cleanup)
        self._backstage = Backstage(None, settings, lambda: self._ledger)  # live: no admin API to fall back on
        self._context: BrowserContext | None = None
        self._made: dict[tuple[bool, str], ProvisionedApp] = {}
        self._failed: dict[tuple[bool, str], str] = {}

    def __repr__(self) -> str:
        return f"SessionApps({len(self._made)} made)"

    def _page(self) -> Page:
        if self._context is None:
            self._context = self._new_context()
            self._context.new_page().set_default_timeout(self._settings.ui_timeout_s * 1000)
        return self._context.pages[0]

    def app(self, *, consent: bool, bc_state: str) -> ProvisionedApp:
        if bc_state not in BC_STATES:
            raise ValueError(f"bc_state must be one of {', '.join(BC_STATES)}, not {bc_state!r}")
        key = (consent, bc_state)
        if key in self._failed:  # one failed attempt per session: later scenarios say why at once
            raise RuntimeError(f"the session's app ({describe(*key)}) could not be made: {self._failed[key]}")
        if key not in self._made:
            try:
                self._made[key] = self._make(consent, bc_state)
            except Exception as exc:
                self._failed[key] = f"{type(exc).__name__}: {exc}"
                raise
        return self._made[key]

    def _make(self, consent: bool, bc_state: str) -> ProvisionedApp:
        settings, page, run_id = self._settings, self._page(), new_run_id()
        name = f"{settings.app_name} {run_id}"
        # Azure portal: procedure steps 1-15.
        sign_in.to_azure_portal(page, settings)
        portal = AzurePortal(page)
        portal.search_and_open("App registrations")
        form = AppRegistrations(page).new_registration()
        form.enter_name(name)
        form.choose_first_account_type()
        form.set_redirect_uri("Web", LANDING)
        client_id = azure_portal.register_application(page, settings, name, self._ledger, self._backstage)
        essentials = AppOverview(page).essentials()
        tenant_id, object_id = essentials.tenant_id, essentials.object_id
        portal.open_section("API permissions")
        pane = ApiPermissions(page).request_permissions(BC_API)
        pane.choose_kind("Application")
        missing = pane.check(settings.bc_app_permissions)
        if missing:
            raise RuntimeError(f"{BC_API} does not offer {', '.join(missing)} (BC_APP_PERMISSIONS)")
        pane.add_permissions()
        if consent:
            ApiPermissions(page).grant_admin_consent(settings.tenant_name)
        portal.open_section("Certificates & secrets")
        secret = CertificatesAndSecrets(page).add_client_secret(name, settings.secret_expiry)
        # Business Central: procedure steps 16-18 (all but Enable for "disabled").
        if bc_state != "absent":
            sign_in.to_business_central(page, settings)
            business_central.open_entra_applications(page, settings)
            card = business_central.new_entra_application(page, settings, client_id, self._ledger)
            card.set_description(bc_description(run_id))
            card.create_user()
            for permission_set in settings.bc_permission_sets:
                card.permission_sets.add(permission_set)
            if bc_state == "enabled":
                card.set_state("Enabled", confirm=True)
            business_central.back_to_entra_applications(page)
        # Replication: the token service knows the app (with its roles when consented), BC accepts it if enabled.
        if consent:
            token_with_roles(settings, client_id, secret.value, tenant_id=tenant_id, roles=settings.bc_app_permissions)
            if bc_state == "enabled":
                companies_once_accepted(settings, client_id, secret.value, tenant_id=tenant_id,
                                        environment=settings.bc_environment)
        else:
            oauth.wait_until_replicated(settings, client_id, secret.value, tenant_id=tenant_id)
        return ProvisionedApp(client_id=client_id, tenant_id=tenant_id, object_id=object_id,
                              secret_id=secret.secret_id, client_secret=secret.value)

    def close(self) -> list[str]:
        """Delete every app through the portals (BC record first), close the browser context; what failed."""
        failures = self._ledger.run()
        if self._context is not None:
            self._context.close()
            self._context = None
        return failures


def describe(consent: bool, bc_state: str) -> str:
    return (f"{'admin consent' if consent else 'no admin consent'}, "
            + {"enabled": "Enabled in Business Central", "disabled": "left Disabled in Business Central",
               "absent": "not in Business Central"}[bc_state])


@pytest.fixture(scope="session")
def live_apps(browser: Browser, settings: Settings) -> Iterator[SessionApps]:
    """The session's UI-made apps (live), in a browser context of their own; removed through the portals when
    the session ends."""
    apps = SessionApps(lambda: browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US"),
                       settings)
    yield apps
    failures = apps.close()
    if failures:
        pytest.fail("the session's apps were not all removed:\n" + "\n".join(failures), pytrace=False)

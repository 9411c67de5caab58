"""Page objects against the Portal twin: readable errors, idempotent role creation, settings read-back, both UI
generations, and the secret never on the page."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import suppress

import pytest
from playwright.sync_api import Page

from flows.sign_in import to_dynamics_mobile_portal
from harness.sandbox_control import AdminClient, SandboxError
from harness.secrets import Secret
from harness.settings import Settings
from pages.dynamics_mobile import (
    PortalLoginError,
    PortalLoginPage,
    PortalShell,
    PortalValidationError,
    RoleSettingsPage,
    RolesListPage,
)

pytestmark = pytest.mark.ui


@pytest.fixture
def roles_list(page: Page, settings: Settings) -> RolesListPage:
    """ADM's roles list, signed in through the flow: the worker's saved Portal sign-in where the test is marked
    `reuse_sign_in` (the login page itself is tested below and in the feature)."""
    to_dynamics_mobile_portal(page, settings)
    shell = PortalShell(page)
    shell.open_application("ADM")
    shell.open_roles()
    return RolesListPage(page)


@pytest.fixture
def new_role_id(admin: AdminClient, settings: Settings) -> Iterator[Callable[[], str]]:
    made: list[str] = []

    def make() -> str:
        made.append("P" + secrets.token_hex(4).upper())
        return made[-1]

    yield make
    for role_id in made:
        with suppress(SandboxError):  # the test may have failed before creating it
            admin.call("DELETE", f"/admin/dm/roles/{settings.dm_application_area}/{role_id}")


@pytest.fixture
def app(admin: AdminClient) -> Iterator[dict]:
    created = admin.provision_app(name="dm page test")
    yield created
    admin.remove_app(created["client_id"])


def _configure(role_page: RoleSettingsPage, settings: Settings, app: dict, secret: Secret | None) -> None:
    role_page.open_agent_settings()
    role_page.select_agent_deployment_type("saas")  # captions match case-insensitively
    role_page.open_backend_connection()
    role_page.select_connection_type("Microsoft Dynamics 365 Business Central")
    role_page.select_bc_deployment_type("Microsoft Cloud")
    role_page.enter_tenant_and_environment(app["tenant_id"], settings.bc_environment)
    role_page.enter_client_id(app["client_id"])
    if secret is not None:
        role_page.enter_client_secret(secret)
    role_page.enter_company(settings.bc_company)
    role_page.update()


def test_wrong_password_is_a_readable_login_error(page: Page, settings: Settings) -> None:
    with pytest.raises(PortalLoginError) as caught:
        PortalLoginPage(page, settings.dm_portal_url).sign_in(settings.dm_application_area, settings.dm_user,
                                                              Secret("not-the-password", "dm_password"))
    assert caught.value.messages == ["The application area, email or password is incorrect."]


def test_malformed_area_is_a_readable_login_error(page: Page, settings: Settings) -> None:
    with pytest.raises(PortalLoginError, match="Application Area: may contain letters and digits only"):
        PortalLoginPage(page, settings.dm_portal_url).sign_in("DEMO 01", settings.dm_user, settings.dm_password)


@pytest.mark.reuse_sign_in
def test_shell_has_the_adm_menu(roles_list: RolesListPage, page: Page) -> None:
    assert PortalShell(page).menu_items() == ["Users", "Roles"]
    assert "ADM" in roles_list.role_ids()


@pytest.mark.reuse_sign_in
def test_bad_role_id_is_reported(roles_list: RolesListPage) -> None:
    with pytest.raises(PortalValidationError) as caught:
        roles_list.start_new().create("DMS AGENT", "Some name")
    assert caught.value.messages == ["Role Id: may contain letters and digits only"]


@pytest.mark.reuse_sign_in
def test_ensure_role_is_idempotent(roles_list: RolesListPage, new_role_id: Callable[[], str], page: Page) -> None:
    role_id = new_role_id()
    assert roles_list.ensure_role(role_id, role_id) is True
    assert roles_list.status() == f"Role {role_id} created."
    assert RolesListPage(page).ensure_role(role_id, role_id) is False
    assert RolesListPage(page).role_ids().count(role_id) == 1


@pytest.mark.reuse_sign_in
@pytest.mark.slow  # the feature's outline checks a malformed Tenant Id in `make test`
def test_malformed_tenant_and_blank_client_id_are_reported(roles_list: RolesListPage, settings: Settings,
                                                           new_role_id: Callable[[], str]) -> None:
    role_id = new_role_id()
    roles_list.ensure_role(role_id, role_id)
    role_page = roles_list.open_role(role_id)
    bad = {"tenant_id": "contoso.onmicrosoft", "client_id": ""}
    with pytest.raises(PortalValidationError) as caught:
        _configure(role_page, settings, bad, Secret("a-secret-value-123", "client_secret"))
    assert caught.value.messages == [
        "Tenant Id: must be a GUID such as 00000000-0000-0000-0000-000000000000", "Client Id: is required"]
    assert role_page.is_marked_invalid("tenant_id") and role_page.is_marked_invalid("client_id")
    assert role_page.field_error("client_id") == "is required"
    assert not role_page.is_marked_invalid("company")


@pytest.mark.reuse_sign_in
@pytest.mark.parametrize("generation", ["modern", pytest.param("classic", marks=pytest.mark.slow)])
def test_saved_connection_reads_back_and_the_secret_stays_hidden(
        roles_list: RolesListPage, settings: Settings, admin: AdminClient, app: dict,
        new_role_id: Callable[[], str], generation: str, page: Page) -> None:
    admin.set_options(dm_buttons=generation)
    try:
        role_id = new_role_id()
        roles_list.ensure_role(role_id, role_id)
        role_page = RolesListPage(page).open_role(role_id)
        secret = Secret(app["client_secret"], "client_secret")
        _configure(role_page, settings, app, secret)
        assert role_page.status() == "Role settings saved."
        read = role_page.read_backend_connection(reload=True)
        assert (read.agent_deployment_type, read.connection_type, read.bc_deployment_type) == (
            "SaaS", "Microsoft Dynamics 365 Business Central", "Microsoft Cloud")
        assert (read.tenant_id, read.environment, read.client_id, read.company) == (
            app["tenant_id"], settings.bc_environment, app["client_id"], settings.bc_company)
        assert read.secret_is_saved
        assert not role_page.shows_secret(secret)
        # Saving again without typing the secret keeps it.
        _configure(role_page, settings, app, None)
        assert role_page.read_backend_connection(reload=True).secret_is_saved
        assert not role_page.shows_secret(secret)
    finally:
        admin.set_options(dm_buttons="modern")

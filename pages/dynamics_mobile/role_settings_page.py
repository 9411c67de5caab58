"""A Portal role: its Settings section → AGENT → Backend Connection (FIDELITY §f; captions are procedure-only).

`enter_client_secret` types the secret when asked, into a field masked in screenshots. From then until UPDATE
has taken the page away the trace stays paused: every DOM snapshot records the field's value (password fields
too), and the actions in between (the Company, the step's screenshot) take snapshots. `update()` ends the pause
after its navigation; `end_secret_pauses()` ends it for a scenario that stopped before UPDATE.
"""

from __future__ import annotations

import weakref
from contextlib import ExitStack
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from harness.evidence import mask, secret_on_screen
from harness.secrets import Secret
from pages.dynamics_mobile.controls import alert_messages, button, field, status_message
from pages.dynamics_mobile.errors import PortalError, PortalValidationError
from pages.dynamics_mobile.labels import label, pattern, text_pattern

# The open trace pause of each page whose Client Secret field holds a typed value (page objects are rebuilt in
# every step, so the pause is kept per page, not per object).
_secret_pauses: weakref.WeakKeyDictionary[Page, ExitStack] = weakref.WeakKeyDictionary()


def end_secret_pauses() -> None:
    """Resume every trace paused by `enter_client_secret` (a scenario that failed before UPDATE)."""
    for page in list(_secret_pauses):
        _end_secret_pause(page)


def _end_secret_pause(page: Page) -> None:
    pause = _secret_pauses.pop(page, None)
    if pause is not None:
        pause.close()


@dataclass(frozen=True)
class BackendConnection:
    """What the role's Backend Connection shows (never the secret itself)."""

    agent_deployment_type: str
    connection_type: str
    bc_deployment_type: str
    tenant_id: str
    environment: str
    client_id: str
    company: str
    secret_is_saved: bool


class RoleSettingsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.settings_tab = page.get_by_role("tab", name=pattern("settings"))
        self.edit_button = button(page, "edit")
        self.update_button = button(page, "update")
        self.agent_deployment_type = field(page, "agent_deployment_type")
        self.connection_type = field(page, "connection_type")
        self.bc_deployment_type = field(page, "bc_deployment_type")
        self.tenant_id = field(page, "tenant_id")
        self.environment = field(page, "environment_id")
        self.client_id = field(page, "client_id")
        self.client_secret = field(page, "client_secret")
        self.company = field(page, "company")
        mask(page, self.client_secret)

    def landmarks(self) -> dict[str, Locator]:
        """What must resolve with Settings → AGENT → Backend Connection open (the drift check counts each)."""
        return {
            "role heading": self.heading,
            "Settings tab (or section)": self.settings_tab.or_(button(self.page, "settings")),
            "UPDATE button (older UI: Edit, then Save)": self.update_button.or_(self.edit_button),
            "Agent Deployment Type field": self.agent_deployment_type,
            "Connection Type field": self.connection_type,
            "Business Central Deployment Type field": self.bc_deployment_type,
            "Tenant Id field": self.tenant_id,
            "Environment Id field": self.environment,
            "Client Id field": self.client_id,
            "Client Secret field": self.client_secret,
            "Company field": self.company,
        }

    def wait_until_ready(self) -> None:
        self.heading.wait_for()
        self.page.wait_for_load_state()  # tabs and sections work once the page's script has run

    # --- navigation inside the role ---------------------------------------------------------------

    def _expand(self, key: str) -> None:
        section = button(self.page, key)
        if section.get_attribute("aria-expanded") == "false":
            section.click()

    def open_agent_settings(self) -> None:
        """Settings (a tab, or a section in other layouts) → AGENT."""
        if self.settings_tab.count():
            if self.settings_tab.get_attribute("aria-selected") != "true":
                self.settings_tab.click()
        else:
            self._expand("settings")
        self._expand("agent")
        self.agent_deployment_type.wait_for()

    def open_backend_connection(self) -> None:
        self._expand("backend_connection")
        self.connection_type.wait_for()

    def _begin_edit(self) -> None:
        """The older UI shows values read-only until Edit; the newer one is editable at once."""
        if self.edit_button.is_visible():
            self.edit_button.click()

    # --- entering values ---------------------------------------------------------------------------

    def _select(self, select: Locator, key: str, caption: str) -> None:
        self._begin_edit()
        options = [t.strip() for t in select.get_by_role("option").all_inner_texts()]
        match = next((o for o in options if o.lower() == caption.strip().lower()), None)
        if match is None:
            raise PortalError(f"{label(key)} has no option {caption!r}; it offers: {', '.join(options)}")
        select.select_option(label=match)

    def select_agent_deployment_type(self, caption: str) -> None:
        self._select(self.agent_deployment_type, "agent_deployment_type", caption)

    def select_connection_type(self, caption: str) -> None:
        self._select(self.connection_type, "connection_type", caption)

    def select_bc_deployment_type(self, caption: str) -> None:
        self._select(self.bc_deployment_type, "bc_deployment_type", caption)

    def _fill(self, locator: Locator, value: str) -> None:
        self._begin_edit()
        locator.fill(value)

    def enter_tenant_and_environment(self, tenant_id: str, environment: str) -> None:
        self._fill(self.tenant_id, tenant_id)
        self._fill(self.environment, environment)

    def enter_client_id(self, client_id: str) -> None:
        self._fill(self.client_id, client_id)

    def enter_client_secret(self, secret: Secret | None) -> None:
        """Type the secret now; the trace stays paused until `update()` has left the page."""
        if secret is None or not secret:
            raise ValueError("no client secret to enter: the scenario has not obtained one")
        self._begin_edit()
        self.client_secret.wait_for()
        if self.page not in _secret_pauses:
            pause = ExitStack()
            pause.enter_context(secret_on_screen(self.page))
            _secret_pauses[self.page] = pause
        self.client_secret.fill(secret.reveal())

    def enter_company(self, company: str) -> None:
        self._fill(self.company, company)

    def enter_value(self, caption: str, value: str) -> None:
        """Type into the text field with this caption (e.g. "Tenant Id"), for negative cases."""
        self._fill(self.page.get_by_label(text_pattern(caption)), value)

    def update(self) -> None:
        """Press UPDATE (older UI: Save); raises PortalValidationError with the Portal's messages."""
        self._begin_edit()
        try:
            with self.page.expect_navigation():
                self.update_button.click()
        finally:
            _end_secret_pause(self.page)  # the page that held the typed secret is gone (or the click failed)
        problems = alert_messages(self.page)
        if problems:
            raise PortalValidationError(problems, "role settings")

    # --- reading -------------------------------------------------------------------------------------

    def status(self) -> str:
        return status_message(self.page)

    def is_marked_invalid(self, key: str) -> bool:
        return field(self.page, key).get_attribute("aria-invalid") == "true"

    def is_caption_invalid(self, caption: str) -> bool:
        return self.page.get_by_label(text_pattern(caption)).get_attribute("aria-invalid") == "true"

    def field_error(self, key: str) -> str:
        """The error text the field points to with aria-describedby ("" when none)."""
        described_by = field(self.page, key).get_attribute("aria-describedby") or ""
        texts = [self.page.locator(f"[id='{ref}']").inner_text().strip() for ref in described_by.split() if ref]
        return " ".join(texts)

    def reload(self) -> None:
        self.page.reload()
        self.wait_until_ready()

    def read_backend_connection(self, *, reload: bool = False) -> BackendConnection:
        """The saved values as the Portal shows them (reload first to read what was persisted)."""
        if reload:
            self.reload()
        self.open_agent_settings()
        self.open_backend_connection()
        placeholder = (self.client_secret.get_attribute("placeholder") or "").strip().lower()
        saved_marker = label("secret_saved").lower()
        return BackendConnection(
            agent_deployment_type=_selected_caption(self.agent_deployment_type),
            connection_type=_selected_caption(self.connection_type),
            bc_deployment_type=_selected_caption(self.bc_deployment_type),
            tenant_id=self.tenant_id.input_value().strip(),
            environment=self.environment.input_value().strip(),
            client_id=self.client_id.input_value().strip(),
            company=self.company.input_value().strip(),
            # Twin: empty field with a "(saved)" placeholder; a portal that shows a masked value also counts.
            secret_is_saved=placeholder == saved_marker or "(saved)" in placeholder
            or bool(self.client_secret.input_value()),
        )

    def shows_secret(self, secret: Secret) -> bool:
        """Whether the secret is anywhere in the page: markup, scripts, or any field's current value."""
        value = secret.reveal()
        if value in self.page.content():
            return True
        values = self.page.evaluate(
            "() => Array.from(document.querySelectorAll('input, textarea')).map(e => e.value)")
        return any(value in v for v in values)


def _selected_caption(select: Locator) -> str:
    return select.evaluate("s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text.trim() : ''")

"""The one seam between the sandbox and a real tenant: what a scenario may ask of the world behind the UIs.

On TARGET=sandbox every method drives the twins' admin API. On TARGET=live there is no such API: each method
either skips the scenario with its reason, does nothing, or (apps) hands out what the session made once through
the UIs, as its docstring says. Steps and flows call these methods; none of them imports the admin client or
asks which target runs.

What the run creates (apps, Portal roles) is undone through the cleanup ledger, so CLEANUP=false keeps it for a
look; what the run only switches (clock, profile, options) is always switched back when the scenario ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import pytest

from harness import oauth
from harness.cleanup import CleanupLedger
from harness.sandbox_control import AdminClient
from harness.secrets import Secret
from harness.settings import Settings

# The variant of the Azure portal twin that mirrors today's real portal (2025-26): the one that runs on live.
REAL_PORTAL_VARIANT = ("top", "dropdown")


@dataclass(frozen=True)
class ProvisionedApp:
    """An app registration made without the UIs; the secret masks itself in reports."""

    client_id: str
    tenant_id: str
    object_id: str
    secret_id: str
    client_secret: Secret


class LiveApps(Protocol):
    """Apps a live run makes once per session through the UIs (the golden path's own procedure) and reuses;
    implemented by `flows.live_apps`, removed through the portals' Delete actions when the session ends."""

    def app(self, *, consent: bool, bc_state: str) -> ProvisionedApp: ...


@dataclass(frozen=True)
class Listed:
    """Something found in a tenant by its name: an app registration (name = display name) or a Business
    Central Microsoft Entra Application (name = Description)."""

    client_id: str
    name: str


@dataclass(frozen=True)
class AgentCheck:
    """What the Dynamics Mobile agent made of a role's settings: `stage` is where it stopped ("done" when ok)."""

    ok: bool
    stage: str
    error: str | None
    message: str

    @property
    def transient(self) -> bool:
        """Stopped by an outage or throttling that the next attempt may not meet (Entra's temporarily_unavailable
        codes, BC's 429/503 envelopes), not by the settings."""
        return self.error in TRANSIENT_AGENT_ERRORS


# Entra: AADSTS90033 (transient outage, 503), AADSTS90055 (throttled, 429); BC API: its 429 and 503 codes.
TRANSIENT_AGENT_ERRORS = frozenset({"AADSTS90033", "AADSTS90055", "Application_TooManyRequests",
                                    "Internal_ServiceUnavailable"})


class Backstage:
    def __init__(self, admin: AdminClient | None, settings: Settings, cleanup: Callable[[], CleanupLedger],
                 live_apps: Callable[[], LiveApps] | None = None) -> None:
        """`cleanup` hands out the scenario's ledger when something is registered, not before: the ledger then
        starts after the browser page and is undone while the page (which undoes through the UIs) is open.
        `live_apps` hands out the session's UI-made apps (live only; asked for when a scenario needs an app)."""
        self._admin = admin
        self._settings = settings
        self._ledger = cleanup
        self._live_apps = live_apps
        self._switched_back = CleanupLedger(enabled=True)  # not subject to CLEANUP: the sandbox must be as found

    def __repr__(self) -> str:  # a step parameter in the report
        return f"Backstage({'sandbox admin API' if self._admin else 'live: none'})"

    def _sandbox(self, why: str) -> AdminClient:
        if self._admin is None:
            pytest.skip(f"TARGET=live: {why}")
        return self._admin

    # --- app registrations ------------------------------------------------------------------------

    def provision_app(self, *, name: str | None = None, consent: bool = True, bc_state: str = "enabled",
                      secret_expired: bool = False) -> ProvisionedApp:
        """Sandbox: a ready (or deliberately broken) app, removed at teardown, returned once the token service
        knows it. Live: the session's app with that consent and Business Central state, made through the Azure
        portal and BC web client the first time it is asked for and reused (`name` is then the session app's
        own run-id name); an expired secret needs the sandbox clock, so that one skips."""
        if self._admin is None and self._live_apps is not None and not secret_expired:
            return self._live_apps().app(consent=consent, bc_state=bc_state)
        admin = self._sandbox("an expired secret needs the sandbox clock" if secret_expired
                              else "no live app maker (flows.live_apps) is loaded")
        options: dict[str, Any] = {"consent": consent, "bc_state": bc_state, "secret_expired": secret_expired}
        if name is not None:
            options["name"] = name
        info = admin.provision_app(**options)
        client_id = info["client_id"]
        self._ledger().add(f"app registration {client_id}", lambda: admin.remove_app(client_id))
        app = ProvisionedApp(client_id=client_id, tenant_id=info["tenant_id"], object_id=info["object_id"],
                             secret_id=info["secret_id"], client_secret=Secret(info["client_secret"], "client_secret"))
        oauth.wait_until_replicated(self._settings, client_id, app.client_secret, tenant_id=app.tenant_id)
        return app

    def remove_app(self, client_id: str) -> bool:
        """Sandbox: removes the app registration without the portal (when its Delete broke); True.
        Live: nothing can stand in for the portal's Delete; False."""
        if self._admin is None:
            return False
        self._admin.remove_app(client_id)
        return True

    # --- what crashed runs left (bcoauth sweep) ---------------------------------------------------------------

    def app_registrations(self) -> list[Listed] | None:
        """Sandbox: every app registration of the tenant. Live: None (the portal's App registrations list is
        read through the UI instead)."""
        if self._admin is None:
            return None
        return [Listed(a["client_id"], a["display_name"]) for a in self._admin.apps()]

    def bc_applications(self) -> list[Listed] | None:
        """Sandbox: every Microsoft Entra Application record of the BC environment. Live: None (page 9860)."""
        if self._admin is None:
            return None
        return [Listed(a["client_id"], a["description"]) for a in self._admin.bc_apps()]

    def remove_bc_application(self, client_id: str) -> bool:
        """Sandbox: deletes the BC record (the app registration stays); True. Live: False (the list's Delete)."""
        if self._admin is None:
            return False
        self._admin.call("DELETE", f"/admin/bc/apps/{quote(client_id, safe='')}")
        return True

    # --- cheaper undo for the cleanup ledger (harness.cleanup shortcuts) -------------------------------

    def undo_app_registration(self, client_id: str, name: str) -> bool:
        """Sandbox: removes an app the run registered through the portal (with its BC records), by client id or,
        when Register gave none, by display name; nothing when it was never created; True. Live: False (only
        the portal's Delete can)."""
        if self._admin is None:
            return False
        for app in self._admin.apps():
            if app["client_id"] == client_id or (not client_id and app["display_name"] == name):
                self._admin.remove_app(app["client_id"])
        return True

    def undo_bc_application(self, client_id: str) -> bool:
        """Sandbox: deletes the BC record the run made in the web client, if it is there; True. Live: False."""
        if self._admin is None:
            return False
        if any(a["client_id"] == client_id for a in self._admin.bc_apps()):
            self.remove_bc_application(client_id)
        return True

    def set_redirect_uris(self, client_id: str, redirect_uris: list[dict[str, str]]) -> None:
        """Sandbox: replaces the app's redirect URIs ([] removes them). Live: skips."""
        self._sandbox("redirect URIs are changed through the sandbox admin API").set_redirect_uris(
            client_id, redirect_uris)

    # --- Dynamics Mobile Portal roles -------------------------------------------------------------

    @staticmethod
    def _role_path(area: str, role_id: str) -> str:
        return f"/admin/dm/roles/{quote(area, safe='')}/{quote(role_id, safe='')}"

    def delete_role_at_teardown(self, area: str, role_id: str) -> str | None:
        """A role this run created. Sandbox: deleted at teardown; None. Live: the Portal documents no way to
        delete a role, so it stays; returns that note for the report."""
        if self._admin is None:
            return f"role {role_id} was created in {area} and is left in place (no Portal cleanup on this target)"
        admin, path = self._admin, self._role_path(area, role_id)
        self._ledger().add(f"delete Portal role {role_id} in {area}", lambda: admin.call("DELETE", path))
        return None

    def restore_role_at_teardown(self, area: str, role_id: str) -> str:
        """A role that existed before this run and is about to change. Sandbox: its settings are snapshotted now
        (inside the sandbox, secret included) and restored at teardown. Live: left changed. Returns the note."""
        if self._admin is None:
            return f"role {role_id} already existed in {area}; its settings were overwritten and are not restored"
        admin, path = self._admin, self._role_path(area, role_id)
        snapshot = admin.call("POST", path + "/snapshot")["snapshot"]
        self._ledger().add(f"restore Portal role {role_id} in {area}",
                          lambda: admin.call("POST", path + "/restore", json={"snapshot": snapshot}))
        return f"role {role_id} already existed in {area}; it was updated and its settings are restored at teardown"

    def agent_check(self, area: str, role_id: str) -> AgentCheck:
        """Sandbox: what the Dynamics Mobile agent does with the role's saved settings. Live: skips (the real
        agent runs on Dynamics Mobile's side)."""
        admin = self._sandbox("the agent check runs inside the sandbox")
        answer = admin.call("POST", "/admin/dm/agent-check", json={"area": area, "role": role_id})
        return AgentCheck(ok=bool(answer["ok"]), stage=answer["stage"], error=answer.get("error"),
                          message=answer.get("message", ""))

    # --- switches that are always switched back ---------------------------------------------------

    def _switch(self, description: str, undo: Callable[[], object]) -> None:
        self._switched_back.add(description, undo)

    def advance_clock(self, seconds: float) -> None:
        """Sandbox: moves the twins' clock forward (e.g. past a secret's end date); reset when the scenario ends.
        Live: skips."""
        admin = self._sandbox("only the sandbox clock can be moved")
        self._switch("reset the sandbox clock", admin.reset_clock)
        admin.advance_clock(seconds)

    def set_profile(self, profile: str) -> None:
        """Sandbox: switches the twins' profile (e.g. chaos); the previous one comes back at the end. Live: skips."""
        admin = self._sandbox(f"the {profile} profile is a sandbox profile")
        before = admin.call("GET", "/admin/health")["profile"]
        self._switch(f"sandbox profile back to {before}", lambda: admin.set_profile(before))
        admin.set_profile(profile)

    def show_azure_portal_as(self, layout: str, account_types_ui: str) -> None:
        """Sandbox: the Azure portal twin shows its blades in `layout` (top/iframe) and "Supported account types"
        as `account_types_ui` (dropdown/radios) until the scenario ends. Live: the real portal is what it is —
        nothing to do for the variant that mirrors it (REAL_PORTAL_VARIANT), any other skips."""
        if self._admin is None and (layout, account_types_ui) == REAL_PORTAL_VARIANT:
            return
        admin = self._sandbox("portal layout and account-type generation are sandbox options")
        before = admin.options()
        self._switch("Azure portal twin options back", lambda: admin.set_options(
            portal_layout=before.get("portal_layout", REAL_PORTAL_VARIANT[0]),
            account_types_ui=before.get("account_types_ui", REAL_PORTAL_VARIANT[1])))
        admin.set_options(portal_layout=layout, account_types_ui=account_types_ui)

    def switch_back(self) -> list[str]:
        """Undo every switch (teardown); returns what failed."""
        return self._switched_back.run()

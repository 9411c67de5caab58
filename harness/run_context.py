"""What one scenario learns and carries from step to step (the only way values travel between UIs).

Every value has a named, typed field. Its repr masks the secret and leaves out the token, so allure-pytest-bdd
can write it as a step parameter safely.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.secrets import Secret

if TYPE_CHECKING:
    import msal

    from harness.backstage import ProvisionedApp
    from harness.oauth import TokenResult


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%m%d%H%M") + "-" + secrets.token_hex(2)


@dataclass(repr=False)
class RunContext:
    run_id: str = field(default_factory=new_run_id)
    # The app registration, as the Azure portal (or the sandbox) gave it.
    app_name: str = ""
    permission_kind: str = ""  # "Application" or "Delegated", as chosen in Request API permissions
    client_id: str = ""
    tenant_id: str = ""
    object_id: str = ""
    client_secret: Secret | None = None
    secret_id: str = ""
    # Where Business Central is: the values the Portal gets (a failure mode may change them).
    environment: str = ""
    company: str = ""
    # The agent's side: its msal client, the last token (claims and source; the JWT stays a Secret), companies.
    msal_app: msal.ConfidentialClientApplication | None = None
    token: TokenResult | None = None
    companies: list[dict[str, Any]] = field(default_factory=list)
    last_error: Exception | None = None  # what a step that expects a refusal caught
    notes: list[str] = field(default_factory=list)  # discrepancies and remarks for the report

    def use_app(self, app: ProvisionedApp) -> None:
        """Carry an app registration made without the UIs."""
        self.client_id = app.client_id
        self.tenant_id = app.tenant_id
        self.object_id = app.object_id
        self.secret_id = app.secret_id
        self.client_secret = app.client_secret

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def __repr__(self) -> str:
        secret = "set" if self.client_secret else "unset"
        return (f"RunContext(run_id={self.run_id!r}, client_id={self.client_id!r}, tenant_id={self.tenant_id!r}, "
                f"client_secret={secret})")

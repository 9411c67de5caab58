"""What one scenario learns and carries from step to step (the only way values travel between UIs).

Its repr masks the secret, so allure-pytest-bdd can write it as a step parameter safely.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.secrets import Secret


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%m%d%H%M") + "-" + secrets.token_hex(2)


@dataclass
class RunContext:
    run_id: str = field(default_factory=new_run_id)
    app_name: str = ""
    client_id: str = ""
    tenant_id: str = ""
    object_id: str = ""
    client_secret: Secret | None = None
    secret_id: str = ""
    environment: str = ""
    company: str = ""
    token: dict[str, Any] = field(default_factory=dict)  # last token result (claims, source), never the JWT
    last_error: Exception | None = None
    notes: list[str] = field(default_factory=list)  # discrepancies and remarks for the report
    values: dict[str, Any] = field(default_factory=dict)  # anything else a feature needs to carry

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def __repr__(self) -> str:
        secret = "set" if self.client_secret else "unset"
        return (f"RunContext(run_id={self.run_id!r}, client_id={self.client_id!r}, tenant_id={self.tenant_id!r}, "
                f"client_secret={secret})")

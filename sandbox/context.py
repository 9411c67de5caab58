"""What every twin gets: the store, its own and the other twins' base URLs, keys and seeded facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.keys import SigningKey
from sandbox.store import Store
from sandbox.tls import TlsFiles

SERVICES = ("login", "azure_portal", "business_central", "bc_api", "dynamics_mobile", "admin")


@dataclass
class Sandbox:
    store: Store
    state_dir: Path
    tls: TlsFiles
    signing_key: SigningKey
    admin_token: str
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def seed(self) -> dict[str, Any]:
        return self.store.get("seed")

    def url(self, service: str, path: str = "") -> str:
        return self.urls[service] + path

    def option(self, key: str, default: Any = None) -> Any:
        """A run-time option (profile values, UI generation, layout), changeable through the admin API."""
        return self.store.get("opt:" + key, default)

    def set_option(self, key: str, value: Any) -> None:
        self.store.put("opt:" + key, value)


# Real public hosts the procedure names, and the twin that plays each (the sandbox acts as their DNS).
PUBLIC_ALIASES = {
    "https://businesscentral.dynamics.com": "business_central",
    "https://api.businesscentral.dynamics.com": "bc_api",
    "https://portal.azure.com": "azure_portal",
    "https://login.microsoftonline.com": "login",
}


def resolve_public(sandbox: Sandbox, url: str) -> str:
    """Map a real service URL (e.g. the OAuthLanding.htm redirect URI) onto the twin that plays that host."""
    for public, service in PUBLIC_ALIASES.items():
        if url == public or url.startswith(public + "/"):
            return sandbox.urls[service] + url[len(public):]
    return url

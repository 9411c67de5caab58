"""The portal's hash routes (`#view/Microsoft_AAD_RegisteredApps/...`, older `#blade/...`) parsed into blades.

The fragment never reaches the server: the shell's script sends it as `?route=` to `/api/blade` and `/frame`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXTENSION = "Microsoft_AAD_RegisteredApps"
LIST_HASH = f"#view/{EXTENSION}/ApplicationsListBlade"
CREATE_HASH = f"#view/{EXTENSION}/CreateApplicationBlade"
ENTRA_HASH = "#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview"

# Menu-blade sections: fragment name -> caption in the resource menu.
SECTIONS = {
    "Overview": "Overview",
    "Authentication": "Authentication",
    "Credentials": "Certificates & secrets",
    "CallAnAPI": "API permissions",
}

_MENU_RE = re.compile(rf"^(?:view|blade)/{EXTENSION}/ApplicationMenuBlade/(?:~/)?(?P<section>\w+)"
                      r"(?:/.*?)?/appId/(?P<app_id>[0-9a-fA-F-]{36})", re.IGNORECASE)


@dataclass(frozen=True)
class BladeRoute:
    blade: str  # "home", "entra", "list", "create", "app", "unknown"
    section: str = ""
    app_id: str = ""


def app_hash(app_id: str, section: str = "Overview") -> str:
    return f"#view/{EXTENSION}/ApplicationMenuBlade/~/{section}/appId/{app_id}/isMSAApp~/false"


def parse(route: str) -> BladeRoute:
    route = route.lstrip("#").strip("/")
    if route in ("", "home", "@microsoft.onmicrosoft.com"):
        return BladeRoute("home")
    match = _MENU_RE.match(route)
    if match:
        section = next((s for s in SECTIONS if s.lower() == match["section"].lower()), "")
        return BladeRoute("app", section or "Overview", match["app_id"].lower())
    tail = route.split("/", 1)[1] if "/" in route else ""
    if tail.startswith(f"{EXTENSION}/ApplicationsListBlade"):
        return BladeRoute("list")
    if tail.startswith(f"{EXTENSION}/CreateApplicationBlade"):
        return BladeRoute("create")
    if tail.startswith("Microsoft_AAD_IAM/ActiveDirectoryMenuBlade"):
        return BladeRoute("entra")
    return BladeRoute("unknown")

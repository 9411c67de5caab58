"""Running the harness with TARGET=live against twins started on the side: every URL and credential from the
twins' endpoints, no sandbox fixture, no admin API; Chromium trusts the twins' CA through an NSS database under a
throwaway HOME (as it would a corporate CA), httpx through CA_CERT."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from harness.settings import KNOWN_VARIABLES


def trusting_home(home: Path, ca_cert: str) -> Path:
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "twins", "-i", ca_cert], check=True)
    return home


def live_environment(e: dict[str, Any], home: Path, **overrides: str) -> dict[str, str]:
    """The environment of a live run against the twins of endpoints `e` (no other harness setting, no .env)."""
    base = {k: v for k, v in os.environ.items()
            if k not in KNOWN_VARIABLES and k != "HOME" and not k.startswith("PYTEST_")}
    return {**base, "ENV_FILE": os.devnull, "HOME": str(home),
            "TARGET": "live", "LOGIN_URL": e["login"], "AZURE_PORTAL_URL": e["azure_portal"],
            "BC_WEB_URL": e["business_central"], "BC_API_URL": e["bc_api"], "DM_PORTAL_URL": e["dynamics_mobile"],
            "CA_CERT": e["ca_cert"], "AZURE_TENANT_ID": e["tenant_id"], "AZURE_TENANT_NAME": e["tenant_name"],
            "AZURE_ADMIN_USER": e["admin_user"], "AZURE_ADMIN_PASSWORD": e["admin_password"],
            "BC_ENVIRONMENT": e["environment"], "DM_APPLICATION_AREA": e["dm_application_area"],
            "DM_USER": e["dm_user"], "DM_PASSWORD": e["dm_password"], **overrides}

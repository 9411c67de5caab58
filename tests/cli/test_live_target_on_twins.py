"""TARGET=live, pointed at the twins: the golden path must pass through the live code path alone (settings from
the environment, no sandbox fixture, no admin API, cleanup through the portals' own Delete actions), and leave
nothing behind. This keeps pages/ and steps/ honest about knowing nothing of the target.

Chromium trusts the twins' CA the way it would trust a corporate CA: through the NSS database under $HOME
(a throwaway HOME here), never through a sandbox-only switch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.sandbox_control import AdminClient, start_sandbox

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("certutil") is None,
                                reason="needs certutil (Debian libnss3-tools; `make setup` installs it as root)")


def _trusting_home(home: Path, ca_cert: str) -> None:
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "twins", "-i", ca_cert], check=True)


def test_the_golden_path_passes_as_a_live_run_and_cleans_up(tmp_path: Path) -> None:
    sandbox = start_sandbox(tmp_path / "state", tmp_path / "endpoints.json")
    try:
        e = sandbox.endpoints
        home = tmp_path / "home"
        _trusting_home(home, e["ca_cert"])
        live = {
            "TARGET": "live", "LOGIN_URL": e["login"], "AZURE_PORTAL_URL": e["azure_portal"],
            "BC_WEB_URL": e["business_central"], "BC_API_URL": e["bc_api"], "DM_PORTAL_URL": e["dynamics_mobile"],
            "CA_CERT": e["ca_cert"], "AZURE_TENANT_ID": e["tenant_id"], "AZURE_TENANT_NAME": e["tenant_name"],
            "AZURE_ADMIN_USER": e["admin_user"], "AZURE_ADMIN_PASSWORD": e["admin_password"],
            "BC_ENVIRONMENT": e["environment"], "DM_APPLICATION_AREA": e["dm_application_area"],
            "DM_USER": e["dm_user"], "DM_PASSWORD": e["dm_password"],
        }
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "PLAYWRIGHT_BROWSERS_PATH")}
        env.update(live, HOME=str(home))
        run = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e/test_full_setup.py", "-q",
                              "-p", "no:cacheprovider", "-o", f"cache_dir={tmp_path / 'cache'}",
                              "--basetemp", str(tmp_path / "run"), "--output", str(tmp_path / "test-results")],
                             cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert "1 passed" in run.stdout
        admin = AdminClient(e)
        assert admin.apps() == [], "the Azure portal's Delete left the app registration behind"
        assert admin.bc_apps() == [], "the BC list's Delete left the Microsoft Entra Application behind"
        admin.close()
    finally:
        sandbox.stop()

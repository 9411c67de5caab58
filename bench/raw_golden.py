"""The golden path as a minimal hand-written Playwright script: the yardstick for the harness's overhead.

Same twins, same sandbox start (`bcoauth sandbox serve` in a child process, as the session fixture starts it),
same clicks as features/full_setup.feature, same proof (a token from the values read back from the Portal lists
the company), the same cleanup on the sandbox (admin API) — and nothing else: no page objects, no reporting, no
secret masking, no polling helpers. Run as `python -m bench.raw_golden`; exit 0 when the path passed.

It is deliberately naive about variants: it drives the twins' default UI (what the real services show today).
With BENCH_TIMINGS=<file> it writes the time of its sign-ins, sandbox start, browser launch, context and page in
the format of bench/timing_plugin.py, so the benchmark can set the two side by side.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from playwright.sync_api import FrameLocator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser import find_browser, launch_args
from harness.http import ssl_context
from harness.sandbox_control import start_sandbox

TIMINGS: dict[str, dict[str, float]] = {}


@contextmanager
def timed(category: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        entry = TIMINGS.setdefault(category, {"count": 0, "seconds": 0.0})
        entry["count"] += 1
        entry["seconds"] += time.perf_counter() - started


PERMISSIONS = ("API.ReadWrite.All", "Automation.ReadWrite.All", "AdminCenter.ReadWrite.All", "app_access")
ROLE = "DMSAGENT"


def microsoft_sign_in(page: Page, user: str, password: str) -> None:
    """Whatever the sign-in pages ask, in the order they ask, until the browser leaves them."""
    host = page.url.split("/")[2]
    email, password_box = "input[name=loginfmt]:not(.moveOffScreen)", "input[name=passwd]:not(.moveOffScreen)"
    prompts = page.locator(f"#tilesHolder, {email}, {password_box}, #kmsiTitle")
    done: set[str] = set()
    deadline = time.monotonic() + 60
    while page.url.split("/")[2] == host:
        if time.monotonic() > deadline:
            raise TimeoutError(f"stuck on the sign-in pages at {page.url} after {sorted(done)}: "
                               + page.inner_text("body")[:300])
        try:
            prompts.first.wait_for(timeout=500)
        except PlaywrightTimeoutError:  # not there yet, or the page has left the sign-in host
            continue
        if "tiles" not in done and page.locator("#tilesHolder").is_visible():
            done.add("tiles")
            tile = page.locator(f"#tilesHolder [data-test-id='{user}' i]")
            (tile.first if tile.count() else page.locator("#otherTile")).click()
        elif "email" not in done and page.locator(email).count():
            done.add("email")
            page.fill(email, user)
            page.click("#idSIButton9")
        elif "password" not in done and page.locator(password_box).count():
            done.add("password")
            page.fill(password_box, password)
            page.click("#idSIButton9")
        elif "kmsi" not in done and page.locator("#kmsiTitle").is_visible():
            done.add("kmsi")
            page.click("#idBtn_Back")


def azure_portal(page: Page, e: dict, name: str) -> tuple[str, str, str]:
    """Register the app, add the BC application permissions, consent, add a secret; (client id, tenant, secret)."""
    search = page.get_by_role("combobox", name=re.compile("^Search resources"))
    with timed("sign-ins"):
        page.goto(e["azure_portal"] + "/")
        search.or_(page.locator("input[name=loginfmt]:not(.moveOffScreen)")).first.wait_for()
        if not search.is_visible():
            microsoft_sign_in(page, e["admin_user"], e["admin_password"])
            search.wait_for()
    search.fill("App registrations")
    page.get_by_role("option", name="App registrations", exact=True).first.click()
    titles = page.locator("h2.fxs-blade-title-titleText")
    titles.filter(has_text="App registrations").last.wait_for()
    page.get_by_role("button", name=re.compile("New registration$")).click()
    titles.filter(has_text="Register an application").last.wait_for()
    page.get_by_role("textbox", name=re.compile(r"^\s*Name")).fill(name)
    page.get_by_role("combobox", name=re.compile("Supported account types")).click()
    page.get_by_role("option").first.click()
    page.get_by_role("combobox", name=re.compile("platform", re.I)).click()
    page.get_by_role("option", name="Web", exact=True).click()
    page.get_by_role("textbox", name=re.compile("^Redirect URI", re.I)).fill(
        "https://businesscentral.dynamics.com/OAuthLanding.htm")
    page.get_by_role("button", name="Register", exact=True).click()
    titles.filter(has_text=re.compile(r"Overview\s*$")).last.wait_for()
    client_id = re.search(r"/appId/([0-9a-f-]{36})", page.url).group(1)
    tenant = page.locator(".fxc-essentials-item").filter(has_text=re.compile("^Directory")) \
        .locator(".fxc-essentials-value").first.inner_text().strip()

    page.get_by_role("link", name="API permissions", exact=True).click()
    titles.filter(has_text=re.compile(r"API permissions\s*$")).last.wait_for()
    page.get_by_role("button", name=re.compile("Add a permission$")).click()
    pane = page.get_by_role("dialog", name="Request API permissions")
    pane.get_by_role("tab", name="Microsoft APIs").click()
    pane.get_by_role("button", name=re.compile("^Dynamics 365 Business Central")).first.click()
    pane.get_by_role("button", name=re.compile("^Application permissions")).click()
    for permission in PERMISSIONS:
        pane.get_by_role("checkbox", name=permission, exact=True).check()
    pane.get_by_role("button", name="Add permissions", exact=True).click()
    pane.wait_for(state="hidden")
    page.get_by_role("button", name=re.compile(f"^Grant admin consent for {re.escape(e['tenant_name'])}$")).click()
    page.get_by_role("dialog").filter(has_text="Do you want to grant consent") \
        .get_by_role("button", name="Yes", exact=True).click()
    page.get_by_role("status").filter(has_text="Successfully granted admin consent").first.wait_for()

    page.get_by_role("link", name="Certificates & secrets", exact=True).click()
    titles.filter(has_text=re.compile(r"Certificates & secrets\s*$")).last.wait_for()
    page.get_by_role("tab", name=re.compile("^Client secrets")).click()
    page.get_by_role("button", name=re.compile("New client secret$")).click()
    dialog = page.get_by_role("dialog", name="Add a client secret")
    dialog.get_by_role("textbox", name="Description", exact=True).fill(name)
    dialog.get_by_role("combobox", name="Expires").click()
    dialog.get_by_role("option", name=re.compile("24 months")).first.click()
    dialog.get_by_role("button", name="Add", exact=True).click()
    dialog.wait_for(state="hidden")
    table = page.locator("table").filter(has_text="Secret ID").first
    columns = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has_text=name).last
    secret = row.locator("td").nth(columns.index("Value")).inner_text().strip()
    page.reload()  # leave the blade so the Value is gone, as the procedure's screenshot shows
    titles.filter(has_text=re.compile(r"Certificates & secrets\s*$")).last.wait_for()
    page.get_by_role("tab", name=re.compile("^Client secrets")).click()
    return client_id, tenant, secret


def business_central(page: Page, e: dict, client_id: str, description: str) -> None:
    """Tell Me → Microsoft Entra Applications → New: Client ID, Description, user, permission set, Enabled."""
    frame_element = page.locator("iframe.designer-client-frame")
    frame: FrameLocator = page.frame_locator("iframe.designer-client-frame")
    with timed("sign-ins"):
        page.goto(f"{e['business_central']}/{e['tenant_id']}/{e['environment']}/?company={quote(e['company'])}")
        frame_element.or_(page.locator("input[name=loginfmt]:not(.moveOffScreen)")).or_(
            page.locator("#tilesHolder")).first.wait_for()
        if not frame_element.count():
            microsoft_sign_in(page, e["admin_user"], e["admin_password"])
        frame.get_by_role("heading", level=1).first.wait_for()
    page.get_by_role("button", name=re.compile("^(Search|Tell me what you want to do.*)$")).first.click()
    tell_me = frame.get_by_role("dialog", name="Tell me what you want to do")
    tell_me.get_by_role("textbox").fill("Microsoft Entra Applications")
    tell_me.locator("[id^=GroupedListSection]").get_by_text("Microsoft Entra Applications", exact=True).first.click()
    frame.get_by_role("heading", name="Microsoft Entra Applications", level=1).wait_for()
    frame.get_by_role("menuitem", name="New", exact=True).click()
    saved = frame.get_by_role("status").filter(has_text=re.compile(r"^\s*Saved\s*$"))
    dialogs = frame.get_by_role("dialog").filter(has=frame.get_by_role("button", name=re.compile("^(OK|Yes|No)$")))

    def settle() -> None:
        saved.or_(dialogs).first.wait_for()

    for caption, value in (("Client ID", client_id), ("Description", description)):
        field = frame.get_by_role("textbox", name=caption, exact=True)
        field.fill(value)
        field.press("Tab")
        settle()
    frame.get_by_role("link", name=re.compile("initialize the user", re.I)).click()
    settle()
    if dialogs.last.get_by_role("button", name="Yes").count():  # "A user named … will be created. Continue?"
        dialogs.last.get_by_role("button", name="Yes").click()
        settle()
    if dialogs.count():  # "User has been created"
        dialogs.last.get_by_role("button", name="OK").click()
    permission_set = frame.get_by_role("grid", name="User Permission Sets") \
        .get_by_role("combobox", name="Permission Set").last
    permission_set.fill("D365 AUTOMATION")
    permission_set.press("Enter")
    settle()
    frame.get_by_role("combobox", name="State", exact=True).select_option(label="Enabled")
    settle()
    if dialogs.count():
        dialogs.last.get_by_role("button", name="Yes").click()
        settle()
    frame.get_by_role("button", name="Back", exact=True).click()
    row = frame.get_by_role("grid", name="Microsoft Entra Applications").locator("tr[rowkey]") \
        .filter(has_text=client_id)
    if "Enabled" not in row.inner_text():
        raise AssertionError("the BC record is not Enabled")


def dynamics_mobile(page: Page, e: dict, tenant: str, client_id: str, secret: str) -> dict[str, str]:
    """Portal: ADM → Roles → DMSAGENT (created) → Settings → AGENT → Backend Connection → UPDATE; the read-back."""
    apps = page.get_by_role("button", name="APPS")
    with timed("sign-ins"):
        page.goto(e["dynamics_mobile"])
        page.get_by_label("Application Area").fill(e["dm_application_area"])
        page.get_by_label("Email").fill(e["dm_user"])
        page.get_by_label("Password").fill(e["dm_password"])
        with page.expect_navigation():
            page.get_by_role("button", name="Login").click()
        apps.wait_for()
        page.wait_for_load_state()
    if apps.get_attribute("aria-expanded") != "true":
        apps.click()
    page.get_by_role("menuitem", name="ADM").click()
    menu = page.get_by_role("navigation", name="Application menu")
    menu.get_by_role("link", name="Roles").click()
    page.get_by_role("heading", name="Roles").wait_for()
    roles = page.get_by_role("table", name="Roles")
    if not roles.get_by_role("link", name=ROLE, exact=True).count():
        page.get_by_role("button", name="New").click()
        page.get_by_label("Role Id").fill(ROLE)
        page.get_by_label("Name", exact=True).fill("Dynamics Mobile agent")
        with page.expect_navigation():
            page.get_by_role("button", name="CREATE").click()
    page.get_by_role("table", name="Roles").get_by_role("link", name=ROLE, exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state()

    def open_backend_connection() -> None:
        tab = page.get_by_role("tab", name="Settings")
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
        for section in ("AGENT", "Backend Connection"):
            button = page.get_by_role("button", name=section)
            if button.get_attribute("aria-expanded") == "false":
                button.click()
        page.get_by_label("Connection Type").wait_for()

    open_backend_connection()
    page.get_by_label("Agent Deployment Type").select_option(label="SaaS")
    page.get_by_label("Connection Type").select_option(label="Microsoft Dynamics 365 Business Central")
    page.get_by_label("Business Central Deployment Type").select_option(label="Microsoft Cloud")
    for caption, value in (("Tenant Id", tenant), ("Environment Id", e["environment"]), ("Client Id", client_id),
                           ("Client Secret", secret), ("Company", e["company"])):
        page.get_by_label(caption).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name="UPDATE").click()
    page.reload()
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state()
    open_backend_connection()
    return {caption: page.get_by_label(caption).input_value()
            for caption in ("Tenant Id", "Environment Id", "Client Id", "Company")}


def companies(e: dict, read: dict[str, str], secret: str) -> list[str]:
    with httpx.Client(verify=ssl_context(e["ca_cert"]), timeout=30) as http:
        token = http.post(f"{e['login']}/{read['Tenant Id']}/oauth2/v2.0/token",
                          data={"grant_type": "client_credentials", "client_id": read["Client Id"],
                                "client_secret": secret,
                                "scope": "https://api.businesscentral.dynamics.com/.default"})
        token.raise_for_status()
        listed = http.get(f"{e['bc_api']}/v2.0/{read['Tenant Id']}/{quote(read['Environment Id'])}/api/v2.0/companies",
                          headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        listed.raise_for_status()
        return [c["name"] for c in listed.json()["value"]]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bcoauth-raw-") as root:
        with timed("sandbox starts"):
            sandbox = start_sandbox(Path(root) / "state", Path(root) / "endpoints.json")
        e = sandbox.endpoints
        admin = httpx.Client(base_url=e["admin_url"], verify=ssl_context(e["ca_cert"]),
                             headers={"Authorization": f"Bearer {e['admin_token']}"})
        client_id = ""
        try:
            executable = find_browser()
            with sync_playwright() as playwright:
                with timed("browser launches"):
                    browser = playwright.chromium.launch(args=launch_args(e["spki_sha256"]),
                                                         **({"executable_path": executable} if executable else {}))
                with timed("new contexts"):
                    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
                with timed("new pages"):
                    page = context.new_page()
                name = "Dynamics Mobile raw"
                client_id, tenant, secret = azure_portal(page, e, name)
                business_central(page, e, client_id, name)
                read = dynamics_mobile(page, e, tenant, client_id, secret)
                if read["Client Id"] != client_id or e["company"] not in companies(e, read, secret):
                    raise AssertionError("the connection read back from the Portal does not list the company")
                browser.close()
        finally:
            if client_id:
                admin.delete(f"/admin/apps/{client_id}")
            admin.delete(f"/admin/dm/roles/{e['dm_application_area']}/{ROLE}")
            admin.close()
            sandbox.stop()
    if os.environ.get("BENCH_TIMINGS"):
        Path(os.environ["BENCH_TIMINGS"]).write_text(json.dumps(TIMINGS, indent=1))
    print("raw golden path: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

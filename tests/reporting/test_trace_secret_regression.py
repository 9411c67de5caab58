"""Regression for issue 10: with tracing on, the Dynamics Mobile Portal's UPDATE form body reached the trace zips
with the client secret percent-encoded (Chromium writes `~` as `%7E`) in `resources/<sha1>.dat`, and neither the
trace scrubber nor the leak gate (both guessing encodings of the value) saw it.

A real browser drives the Portal twin through sign-in and UPDATE (Backend Connection, client secret) with tracing
on, exactly as the page objects do it. The raw trace files are kept aside; then they go through what the reporting
plugin does before anything is written (`evidence.scrub_trace`, then `scrubbing.scrub_attachment` in front of the
Allure writer) and the gate searches both.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import secrets
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import Browser, Page, Route

from harness import evidence, leak_scan
from harness.reporting import scrubbing
from harness.sandbox_control import AdminClient, SandboxError
from harness.secrets import MASK, Secret, revealed_values
from harness.settings import Settings
from pages.dynamics_mobile import PortalLoginPage, RolesListPage

pytestmark = pytest.mark.ui


@dataclass(frozen=True)
class TracedUpdate:
    raw: Path  # the trace zips as Playwright wrote them (final trace + the parts closed around secret entry)
    shipped: Path  # the same files after the harness's scrubbing, as they would be attached
    secret: Secret
    scrub_reports: dict[str, evidence.ScrubReport]


def _update_backend_connection(browser: Browser, settings: Settings, app: dict, role_id: str, trace: Path) -> None:
    context = browser.new_context()
    context.tracing.start(screenshots=True, snapshots=True, sources=False)
    try:
        page = context.new_page()
        shell = PortalLoginPage(page, settings.dm_portal_url).sign_in(
            settings.dm_application_area, settings.dm_user, settings.dm_password)
        shell.open_application("ADM")
        shell.open_roles()
        RolesListPage(page).ensure_role(role_id, role_id)
        role = RolesListPage(page).open_role(role_id)
        role.open_agent_settings()
        role.select_agent_deployment_type("SaaS")
        role.open_backend_connection()
        role.select_connection_type("Microsoft Dynamics 365 Business Central")
        role.select_bc_deployment_type("Microsoft Cloud")
        role.enter_tenant_and_environment(app["tenant_id"], settings.bc_environment)
        role.enter_client_id(app["client_id"])
        role.enter_client_secret(Secret(app["client_secret"], "client_secret"))
        role.enter_company(settings.bc_company)
        role.update()  # types the secret with tracing paused, presses UPDATE: a form POST
        assert role.status() == "Role settings saved."
        context.tracing.stop(path=str(trace))
    finally:
        context.close()


@pytest.fixture(scope="module")
def traced_update(browser: Browser, settings: Settings, admin: AdminClient,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[TracedUpdate]:
    root = tmp_path_factory.mktemp("trace-regression")
    raw, shipped = root / "raw", root / "shipped"
    raw.mkdir()
    app = admin.provision_app(name="trace regression")
    role_id = "T" + secrets.token_hex(4).upper()
    evidence.take_trace_parts()  # only this drive's parts below
    try:
        _update_backend_connection(browser, settings, app, role_id, raw / "trace.zip")
    finally:
        for part in evidence.take_trace_parts():
            shutil.move(part, raw / part.name)
        admin.remove_app(app["client_id"])
        with contextlib.suppress(SandboxError):  # the drive failed before the role existed
            admin.call("DELETE", f"/admin/dm/roles/{settings.dm_application_area}/{role_id}")
    shutil.copytree(raw, shipped)
    reports = {}
    for trace in sorted(shipped.glob("*.zip")):  # what pytest_runtest_makereport and the Allure writer do
        reports[trace.name] = evidence.scrub_trace(trace, revealed_values())
        body, replaced = scrubbing.scrub_attachment(trace.read_bytes(), revealed_values())
        assert not replaced
        trace.write_bytes(body)
    yield TracedUpdate(raw, shipped, Secret(app["client_secret"], "client_secret"), reports)


# Both read one traced UPDATE (~4 s to make): under xdist on one worker, so it is made once.
ONE_TRACED_UPDATE = pytest.mark.xdist_group("traced-update")


@ONE_TRACED_UPDATE
def test_the_raw_trace_would_have_been_caught_by_the_gate(traced_update: TracedUpdate) -> None:
    value = traced_update.secret.reveal()
    hits = leak_scan.scan([traced_update.raw], {"client_secret": value})
    in_resources = [h for h in hits if "!resources/" in h.path and h.encoding == "percent-decoded"]
    assert in_resources, f"the UPDATE body was expected in a trace resource; gate hits: {[str(h) for h in hits]}"
    archive, member = in_resources[0].path.split("!", 1)
    with zipfile.ZipFile(archive) as trace:
        body = trace.read(member)
    # What Chromium sent, and why guessing encodings of the value (plain, quote, quote_plus) found nothing there.
    assert b"clientSecret=" + value.replace("~", "%7E").encode() in body
    for old_guess in (value, quote(value, safe=""), quote(value), quote_plus(value)):
        assert old_guess.encode() not in body


@ONE_TRACED_UPDATE
def test_the_shipped_traces_are_clean_and_still_traces(traced_update: TracedUpdate) -> None:
    result = leak_scan.search([traced_update.shipped], revealed_values(), leak_scan.SHAPES)
    assert result.hits == []
    assert result.stats.files >= 2 and result.stats.values >= 3  # parts + final; client secret, passwords
    assert traced_update.secret.reveal() in revealed_values()
    # Masked in place, not thrown away: the trace still opens and the body says where the secret was.
    assert not any(report.replaced for report in traced_update.scrub_reports.values())
    with zipfile.ZipFile(traced_update.shipped / "trace.zip") as trace:
        names = trace.namelist()
        assert {"trace.trace", "trace.network"} <= set(names)
        bodies = [trace.read(n) for n in names if n.startswith("resources/") and n.endswith(".dat")]
    assert any(b"clientSecret=" + MASK.encode() + b"&" in body for body in bodies)


FORM_PAGE = ("<form method='post' action='/saved'><input name='secret' aria-label='Secret'><button>Save</button>"
             "</form><button id='fetch' onclick=\"fetch('/api/save', {method: 'POST', body: 'x'})\">Fetch</button>")


@pytest.mark.parametrize("how", ["form post", "in-page fetch"])
def test_secret_on_screen_ends_once_the_requests_it_started_have_finished(page: Page, how: str) -> None:
    """The trace restarts only after the request that carried the secret is over (no networkidle, no sleep)."""
    page.route("https://app.example.test/**", lambda route: route.fulfill(
        body="<h1>Saved</h1>" if route.request.method == "POST" else FORM_PAGE, content_type="text/html"))
    page.goto("https://app.example.test/form")
    finished: list[str] = []
    page.on("requestfinished", lambda request: finished.append(f"{request.method} {request.url}"))
    target = "https://app.example.test/saved" if how == "form post" else "https://app.example.test/api/save"
    with evidence.secret_on_screen(page):
        page.get_by_label("Secret").fill("not-really-a-secret")
        with page.expect_request(target):  # the block ends as soon as the request has gone out
            page.get_by_role("button", name="Save" if how == "form post" else "Fetch").click()
    assert f"POST {target}" in finished


def test_a_request_that_never_ends_does_not_hold_the_run(page: Page) -> None:
    held: list[Route] = []
    page.route("https://app.example.test/**", lambda route: held.append(route) if route.request.method == "POST"
               else route.fulfill(body=FORM_PAGE, content_type="text/html"))
    page.goto("https://app.example.test/form")
    with evidence.requests_settled(page.context, timeout_s=0.5), page.expect_request("**/api/save"):
        page.locator("#fetch").click()
    assert len(held) == 1  # still unanswered: the pause ended at its deadline, without an error
    held[0].abort()


# --- the scrubbers on their own (no browser) ------------------------------------------------------------------

FAKE_SECRET = "xYz7" + "Q" + "~" + "fake.Secret_for-scrub-tests-012345"  # built at run time, Entra-shaped


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_scrub_zip_masks_every_member_in_its_own_encoding() -> None:
    form = "clientSecret=" + quote_plus(FAKE_SECRET, safe="").replace("~", "%7E") + "&company=CRONUS"
    escaped = FAKE_SECRET.replace("~", "\\u007e")  # as a JSON writer that escapes '~' puts it
    network = ('{"snapshot":{"request":{"postData":{"text":"s=' + escaped + '","json":"{\\"s\\":\\"'
               + escaped.replace("\\", "\\\\") + '\\"}"},"headers":[{"name":"Cookie","value":"ESTSAUTH=abc"}]}}}')
    trace = _zip({"trace.network": network.encode(), "resources/1.dat": form.encode(),
                  "resources/2.html": f"<input value='{FAKE_SECRET.replace('~', '&#126;')}'>".encode(),
                  "resources/3.css": b"body{}", "inner.zip": _zip({"deep.txt": FAKE_SECRET.encode()})})
    cleaned, report = evidence.scrub_zip(trace, [FAKE_SECRET])
    members = _members(cleaned)
    assert members["resources/1.dat"] == f"clientSecret={MASK}&company=CRONUS".encode()
    assert members["resources/2.html"] == f"<input value='{MASK}'>".encode()
    assert members["resources/3.css"] == b"body{}"
    assert _members(members["inner.zip"]) == {"deep.txt": MASK.encode()}
    assert b"ESTSAUTH" not in members["trace.network"]  # credential headers go whatever their value
    assert report.masked == 5 and report.replaced == []
    assert leak_scan.find("", cleaned, {"secret": FAKE_SECRET.encode()}, leak_scan.SHAPES) == []


def test_scrub_zip_replaces_what_it_cannot_mask_in_place() -> None:
    trace = _zip({"resources/body.dat": gzip.compress(f"secret={FAKE_SECRET}".encode()), "trace.trace": b"{}"})
    cleaned, report = evidence.scrub_zip(trace, [FAKE_SECRET])
    assert _members(cleaned) == {"resources/body.dat": evidence.PLACEHOLDER, "trace.trace": b"{}"}
    assert report.replaced == ["resources/body.dat"]


def test_attachments_are_scrubbed_text_zip_and_binary_alike() -> None:
    text, replaced = scrubbing.scrub_attachment(f"body: s={FAKE_SECRET.replace('~', '%7e')}", [FAKE_SECRET])
    assert (text, replaced) == (f"body: s={MASK}", [])
    png = b"\x89PNG\r\n\x1a\n" + FAKE_SECRET.encode()  # pixels are not searched (and never hold text)
    assert scrubbing.scrub_attachment(png, [FAKE_SECRET]) == (png, [])
    blob = b"\x00\x01" + gzip.compress(FAKE_SECRET.encode())
    assert scrubbing.scrub_attachment(blob, [FAKE_SECRET]) == (evidence.PLACEHOLDER, [""])
    zipped, replaced = scrubbing.scrub_attachment(_zip({"a.txt": FAKE_SECRET.encode()}), [FAKE_SECRET])
    assert _members(zipped) == {"a.txt": MASK.encode()} and replaced == []

"""The portal shell: top bar search, blades (title + content), resource menu, and frame handling.

Blade content may live in the top document or inside the active react frame
(`iframe.fxs-reactview-frame-active`); pre-warmed hidden frames (`.fxs-display-none`) are never searched
(FIDELITY.md §c.6). `content()` answers where the current blade's content is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

Scope = Page | FrameLocator
ACTIVE_FRAME = "iframe.fxs-reactview-frame-active"
SEARCH_NAME = re.compile(r"^Search resources, services, and docs", re.IGNORECASE)
LIST_FRAGMENT = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
CREATE_FRAGMENT = "#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade"


class PortalError(Exception):
    """The portal refused an action; the message is the portal's own text."""


def app_fragment(client_id: str, section: str = "Overview") -> str:
    return f"#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/{section}/appId/{client_id}/isMSAApp~/false"


def title_pattern(text: str) -> re.Pattern[str]:
    """A blade title: exactly `text`, or a menu blade's "<resource> | <text>"."""
    return re.compile(rf"(^|\|\s*){re.escape(text)}\s*$", re.IGNORECASE)


@dataclass
class AzurePortal:
    page: Page

    def __post_init__(self) -> None:
        p = self.page
        self.search_box = p.get_by_role("combobox", name=SEARCH_NAME).or_(
            p.get_by_placeholder(SEARCH_NAME)).first
        self.blade_titles = p.locator("h2.fxs-blade-title-titleText")

    # --- navigation ------------------------------------------------------------------------------

    def open_fragment(self, portal_url: str, fragment: str) -> None:
        """Deep link: the portal's documented `#view/...` fragments."""
        self.page.goto(portal_url.rstrip("/") + "/" + fragment)

    def wait_for_shell(self, timeout_ms: float | None = None) -> None:
        self.search_box.wait_for(timeout=timeout_ms)

    def signed_in_user(self) -> str:
        """The account shown in the top bar."""
        return self.page.locator(".fxs-avatarmenu-username").inner_text().strip()

    def is_shell_visible(self) -> bool:
        return self.search_box.is_visible()

    def search_and_open(self, service: str) -> None:
        """Type into the top search box and open the service from the results (what people do)."""
        self.search_box.fill(service)
        self.page.get_by_role("option", name=service, exact=True).first.click()
        self.wait_for_blade(service)

    def open_section(self, caption: str) -> None:
        """A resource-menu item of the current menu blade, e.g. "API permissions"."""
        p = self.page
        item = p.get_by_role("link", name=caption, exact=True).or_(
            p.get_by_role("treeitem", name=caption, exact=True)).first
        item.click()
        self.wait_for_blade(caption)

    # --- the current blade -----------------------------------------------------------------------

    def blade_title(self, text: str) -> Locator:
        return self.blade_titles.filter(has_text=title_pattern(text)).last

    def wait_for_blade(self, text: str, timeout_ms: float | None = None) -> None:
        """Until the blade titled `text` has finished loading (the twin shows the title only then)."""
        self.blade_title(text).wait_for(timeout=timeout_ms)

    def content(self) -> Scope:
        """Where the current blade's content is: the active react frame if there is one, else the top document.

        Call after waiting for the blade (`wait_for_blade`): its title appears once the content has loaded.
        """
        if self.page.locator(ACTIVE_FRAME).count() > 0:
            return self.page.frame_locator(ACTIVE_FRAME)
        return self.page

    def wait_for_title_or_alert(self, text: str, scope: Scope, timeout_ms: float) -> None:
        """After a submit: the next blade appears, or the form shows validation alerts (raised as PortalError)."""
        alerts = scope.get_by_role("alert")
        waited = 0.0
        step = 250.0
        while True:
            try:
                self.blade_title(text).wait_for(timeout=step)
                return
            except PlaywrightTimeout:
                waited += step
            shown = [t.strip() for t in alerts.all_inner_texts() if t.strip()]
            if shown:
                raise PortalError("; ".join(shown))
            if waited >= timeout_ms:
                raise PortalError(f"the blade {text!r} did not open within {timeout_ms / 1000:.0f} s")

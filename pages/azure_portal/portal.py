"""The portal shell: top bar search, blades (title + content), resource menu, frame handling, and the first-login
dialog.

Blade content may live in the top document or inside the active react frame
(`iframe.fxs-reactview-frame-active`). Pre-warmed hidden frames (`fxs-display-none`) carry that class too, and
for a moment during navigation more than one frame is "active" (FIDELITY.md §c.6, §h): `content()` answers the
one visible active frame, so no locator meets two frames. The first-login "Maybe later" dialog may cover the
portal at any time after sign-in; it is dismissed before any action it would block.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from playwright.sync_api import FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

Scope = Page | FrameLocator
ACTIVE_FRAME = "iframe.fxs-reactview-frame-active"
SEARCH_NAME = re.compile(r"^Search resources, services, and docs", re.IGNORECASE)
MAYBE_LATER = "Maybe later"
# Exactly one visible frame with the active class: the moment two are shown during a navigation has passed.
_ONE_VISIBLE_ACTIVE_FRAME_JS = """selector => Array.from(document.querySelectorAll(selector))
  .filter(f => f.getClientRects().length > 0 && getComputedStyle(f).visibility !== "hidden").length === 1"""
LIST_FRAGMENT = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
CREATE_FRAGMENT = "#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade"


class PortalError(Exception):
    """The portal refused an action; the message is the portal's own text."""


_pages_with_dialog_handler: weakref.WeakSet[Page] = weakref.WeakSet()


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
        self.search_field = p.get_by_role("combobox", name=SEARCH_NAME).or_(p.get_by_placeholder(SEARCH_NAME))
        self.search_box = self.search_field.first
        self.blade_titles = p.locator("h2.fxs-blade-title-titleText")
        self.welcome_dialog = p.get_by_role("alertdialog").filter(
            has=p.get_by_role("button", name=MAYBE_LATER, exact=True))
        self._dismiss_welcome_dialog_whenever_it_blocks()

    def landmarks(self) -> dict[str, Locator]:
        return {"search box": self.search_field, "blade title": self.blade_titles}

    # --- the first-login dialog ------------------------------------------------------------------

    def _dismiss_welcome_dialog_whenever_it_blocks(self) -> None:
        """The dialog comes when the portal pleases (after the first blade, on a first sign-in): Playwright calls
        the handler before any action while the dialog is shown. Registered once per page."""
        if self.page in _pages_with_dialog_handler or self.page.is_closed():
            return
        _pages_with_dialog_handler.add(self.page)
        self.page.add_locator_handler(self.welcome_dialog, self._answer_maybe_later)

    def _maybe_later(self) -> Locator:
        return self.welcome_dialog.get_by_role("button", name=MAYBE_LATER, exact=True)

    def _answer_maybe_later(self) -> None:
        self._maybe_later().click()  # inside the handler no handler runs first

    def dismiss_welcome_dialog(self) -> None:
        """"Maybe later" on the first-login dialog, if it is shown now. Dispatched rather than clicked: a click is
        an action, before which the page's handler would answer the dialog first and leave the click nothing."""
        if self.welcome_dialog.is_visible():
            self._maybe_later().dispatch_event("click")

    # --- navigation ------------------------------------------------------------------------------

    def open_fragment(self, portal_url: str, fragment: str) -> None:
        """Deep link: the portal's documented `#view/...` fragments."""
        self.page.goto(portal_url.rstrip("/") + "/" + fragment)

    def wait_for_shell(self, timeout_ms: float | None = None) -> None:
        """Until the shell shows; a first-login dialog already covering it is dismissed (a later one is dismissed by
        the page's handler before the next action)."""
        self.search_box.wait_for(timeout=timeout_ms)
        self.dismiss_welcome_dialog()

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
        """Where the current blade's content is: the visible active react frame if there are frames, else the top
        document. Hidden pre-warmed frames carry the active class too and are never searched.

        Call after waiting for the blade (`wait_for_blade`): its title appears once the content has loaded.
        """
        frames = self.page.locator(ACTIVE_FRAME)
        if frames.count() == 0:
            return self.page
        self.page.wait_for_function(_ONE_VISIBLE_ACTIVE_FRAME_JS, arg=ACTIVE_FRAME)
        return frames.filter(visible=True).content_frame

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

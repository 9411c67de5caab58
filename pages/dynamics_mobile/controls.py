"""The Portal's controls by caption (fields, buttons) and its messages (alerts, status), shared by the page
objects; every caption comes from the labels table."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.dynamics_mobile.labels import pattern


def field(page: Page, key: str) -> Locator:
    return page.get_by_label(pattern(key))


def button(page: Page, key: str) -> Locator:
    return page.get_by_role("button", name=pattern(key))


def alert_messages(page: Page) -> list[str]:
    """The lines of every visible alert: its list items, or its text when it has no list."""
    messages: list[str] = []
    for alert in page.get_by_role("alert").all():
        if not alert.is_visible():
            continue
        items = [t.strip() for t in alert.get_by_role("listitem").all_inner_texts() if t.strip()]
        messages.extend(items or [line.strip() for line in alert.inner_text().splitlines() if line.strip()])
    return messages


def status_message(page: Page) -> str:
    statuses = [s.inner_text().strip() for s in page.get_by_role("status").all() if s.is_visible()]
    return " ".join(s for s in statuses if s)

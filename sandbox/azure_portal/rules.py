"""The portal's rules for what an administrator may enter: a registration (name, account types, redirect URI) and a
client secret's lifetime. Pure functions, so they are testable without a browser or a server."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any
from urllib.parse import urlparse

AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount")
PLATFORMS = ("Web", "Single-page application (SPA)", "Public client/native (mobile & desktop)")
EXPIRY_OPTIONS = (("180", "Recommended: 180 days (6 months)"), ("90", "90 days (3 months)"),
                  ("365", "365 days (12 months)"), ("545", "545 days (18 months)"), ("730", "730 days (24 months)"),
                  ("custom", "Custom"))
DEFAULT_EXPIRY = "180"
MAX_SECRET_DAYS = 730
REDIRECT_URI_RULE = ("The redirect URI must be an absolute URI starting with 'https' or 'http://localhost', "
                     "without a fragment.")

_LOCALHOST = re.compile(r"^http://(localhost|127\.0\.0\.1)(:\d+)?(/|$)", re.IGNORECASE)


def validate_registration(values: dict[str, str]) -> dict[str, str]:
    """Field ("name", "audience", "redirect") -> message, for each field the Register form refuses."""
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "The application name is required."
    if values["signInAudience"] not in AUDIENCES:
        errors["audience"] = "Select a supported account type."
    uri = values["redirectUri"]
    if uri:
        if values["platform"] not in PLATFORMS:
            errors["redirect"] = "Select a platform for the redirect URI."
        elif not _acceptable_redirect_uri(uri):
            errors["redirect"] = REDIRECT_URI_RULE
    return errors


def _acceptable_redirect_uri(uri: str) -> bool:
    try:
        parsed = urlparse(uri)
    except ValueError:  # e.g. an unclosed IPv6 bracket: refused like any malformed URI, never a 500
        return False
    absolute = (parsed.scheme == "https" and bool(parsed.hostname)) or bool(_LOCALHOST.match(uri))
    return absolute and not parsed.fragment and " " not in uri


def secret_period(data: dict[str, Any], now: float) -> tuple[float | None, float | None, float | None]:
    """(days, start, end) from the Expires choice; Custom takes Start/End dates (at most 24 months)."""
    choice = data.get("expires", DEFAULT_EXPIRY) or DEFAULT_EXPIRY
    if choice != "custom":
        if choice not in {value for value, _ in EXPIRY_OPTIONS}:
            raise ValueError("Choose an expiry from the list.")
        return float(choice), None, None
    start_at, end_at = _custom_dates(data)
    if end_at <= start_at:
        raise ValueError("The end date must be after the start date.")
    if end_at - start_at > MAX_SECRET_DAYS * 86400:
        raise ValueError("The secret can be valid for at most 24 months.")
    if end_at <= now:
        raise ValueError("The end date must be in the future.")
    return None, start_at, end_at


def _custom_dates(data: dict[str, Any]) -> tuple[float, float]:
    """The Custom choice's Start and End dates as UTC midnights."""
    try:
        start = date.fromisoformat(data.get("start", ""))
        end = date.fromisoformat(data.get("end", ""))
    except ValueError as exc:
        raise ValueError("Enter a start and an end date.") from exc
    return float(calendar.timegm(start.timetuple())), float(calendar.timegm(end.timetuple()))

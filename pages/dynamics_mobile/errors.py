"""Readable errors raised when the Portal refuses something; the text is the Portal's own."""

from __future__ import annotations


class PortalError(Exception):
    """The Portal did not do what the page object asked (missing option, unexpected page)."""


class PortalValidationError(PortalError):
    """The Portal refused a form; `messages` are its alert lines, e.g. "Tenant Id: must be a GUID …"."""

    def __init__(self, messages: list[str], form: str = "form") -> None:
        self.messages = messages
        super().__init__(f"the Portal refused the {form}: " + "; ".join(messages or ["(no message shown)"]))


class PortalLoginError(PortalValidationError):
    """The Portal refused the sign-in (wrong area, e-mail or password, or a malformed application area)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages, "sign-in")

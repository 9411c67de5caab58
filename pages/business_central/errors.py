"""Errors that Business Central shows; page objects raise them with BC's own text."""

from __future__ import annotations


class BusinessCentralError(Exception):
    """Business Central refused an action; `str()` is the text of its error dialog (or error page)."""

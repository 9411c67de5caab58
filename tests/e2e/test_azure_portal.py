"""Binds features/azure_app_registration.feature, run in both portal layouts (blades in the top document or in
react frames) and both generations of "Supported account types" (drop-down or radios) on the sandbox.

The twin reads these options per request; the variant fixture sets them through the admin API and restores the
previous values afterwards. On real tenants the portal is what it is: only the first variant runs there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import scenarios

from harness.settings import Settings

VARIANTS = [("top", "dropdown"), ("top", "radios"), ("iframe", "dropdown"), ("iframe", "radios")]


@pytest.fixture(autouse=True, params=VARIANTS, ids=[f"{layout}-{ui}" for layout, ui in VARIANTS])
def portal_variant(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[str, str]]:
    layout, ui = request.param
    if not settings.is_sandbox:
        if request.param != VARIANTS[0]:
            pytest.skip("portal layout and account-type generation are sandbox options")
        yield request.param
        return
    admin = request.getfixturevalue("admin")
    before = admin.options()
    admin.set_options(portal_layout=layout, account_types_ui=ui)
    yield request.param
    admin.set_options(portal_layout=before.get("portal_layout", "top"),
                      account_types_ui=before.get("account_types_ui", "dropdown"))


scenarios("azure_app_registration.feature")

"""Binds features/azure_app_registration.feature, run in both portal layouts (blades in the top document or in
react frames) and both generations of "Supported account types" (drop-down or radios) on the sandbox.

The twin reads these options per request; the backstage sets them for one scenario and switches them back
afterwards. On real tenants the portal is what it is: only the variant that mirrors it runs there.
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from harness.backstage import REAL_PORTAL_VARIANT, Backstage

VARIANTS = [("top", "dropdown"), ("top", "radios"), ("iframe", "dropdown"), ("iframe", "radios")]


# Only the variant that mirrors today's real portal runs on live; the others are sandbox options. That variant
# also proves the portal's own Delete (`ui_cleanup`); the others undo through the sandbox admin API (cheaper).
# The other three run in the full suite only (`slow`): `make test` runs the feature once.
PARAMS = [pytest.param(v, id=f"{v[0]}-{v[1]}",
                       marks=pytest.mark.ui_cleanup if v == REAL_PORTAL_VARIANT else
                       [pytest.mark.sandbox_only, pytest.mark.slow])
          for v in VARIANTS]


@pytest.fixture(autouse=True, params=PARAMS)
def portal_variant(request: pytest.FixtureRequest, backstage: Backstage) -> tuple[str, str]:
    layout, ui = request.param
    backstage.show_azure_portal_as(layout, ui)
    return request.param


scenarios("azure_app_registration.feature")

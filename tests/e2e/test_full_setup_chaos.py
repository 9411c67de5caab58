"""The golden path once more with the sandbox in the `chaos` profile: replication lag, about 10 % 429/503 on the
token service and the BC API, slow pages. The harness must still pass by waiting on conditions and retrying.

The backstage switches the profile for this module's scenario and switches it back afterwards. It is marked
`chaos` only (tests/e2e/conftest.py drops the feature's @golden and @smoke): `-m golden` is the quick check.
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from harness.backstage import Backstage

pytestmark = [pytest.mark.chaos, pytest.mark.sandbox_only,  # the chaos profile is a sandbox profile
              pytest.mark.portal_role, pytest.mark.slow]  # the full suite (make test-all) and make soak run it


@pytest.fixture(autouse=True)
def chaos_profile(backstage: Backstage) -> None:
    backstage.set_profile("chaos")


scenarios("full_setup.feature")

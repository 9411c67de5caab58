"""The golden path once more with the sandbox in the `chaos` profile: replication lag, about 10 % 429/503 on the
token service and the BC API, slow pages. The harness must still pass by waiting on conditions and retrying.

The profile is switched through the admin API for this module only and restored afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import scenarios

from harness.sandbox_control import AdminClient

pytestmark = pytest.mark.chaos


@pytest.fixture(autouse=True)
def chaos_profile(admin: AdminClient) -> Iterator[None]:
    before = admin.call("GET", "/admin/health")["profile"]
    admin.set_profile("chaos")
    yield
    admin.set_profile(before)


scenarios("full_setup.feature")

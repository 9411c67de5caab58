"""Binds features/full_setup.feature (the golden path)."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.portal_role  # it enters the connection in the Portal's agent role

scenarios("full_setup.feature")

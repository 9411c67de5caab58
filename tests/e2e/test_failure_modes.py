"""Binds features/failure_modes.feature."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.portal_role  # each mistake is entered in the Portal's agent role

scenarios("failure_modes.feature")

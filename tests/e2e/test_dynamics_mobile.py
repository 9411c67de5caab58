"""Binds features/dynamics_mobile_backend_connection.feature (steps in steps/dynamics_mobile_steps.py)."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.portal_role  # every scenario creates or changes the Portal's agent role

scenarios("dynamics_mobile_backend_connection.feature")

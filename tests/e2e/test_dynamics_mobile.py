"""Binds features/dynamics_mobile_backend_connection.feature (steps in steps/dynamics_mobile_steps.py)."""

from pytest_bdd import scenarios

scenarios("dynamics_mobile_backend_connection.feature")

"""Binds features/failure_modes.feature."""

from pytest_bdd import scenarios

scenarios("failure_modes.feature")

"""Binds features/full_setup.feature (the golden path)."""

from pytest_bdd import scenarios

scenarios("full_setup.feature")

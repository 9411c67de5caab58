"""Binds features/business_central_entra_app.feature (steps in steps/business_central_steps.py)."""

from pytest_bdd import scenarios

scenarios("business_central_entra_app.feature")

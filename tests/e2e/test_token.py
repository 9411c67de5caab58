"""Binds features/oauth_token_acquisition.feature (steps in steps/token_steps.py)."""

from pytest_bdd import scenarios

scenarios("oauth_token_acquisition.feature")

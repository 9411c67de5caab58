"""Binds the evidence sample (run only by tests/reporting in a subprocess; the name keeps pytest from collecting it)."""

from pathlib import Path

from pytest_bdd import scenarios

scenarios("evidence.feature", features_base_dir=Path(__file__).parent)

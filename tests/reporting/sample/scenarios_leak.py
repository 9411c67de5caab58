"""Binds the planted-leak sample (run only by tests/reporting in a subprocess)."""

from pathlib import Path

from pytest_bdd import scenarios

scenarios("leak.feature", features_base_dir=Path(__file__).parent)

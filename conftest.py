"""Root pytest configuration: shared fixtures, reporting, and every step module under steps/."""

from pathlib import Path

_STEPS = sorted(p.stem for p in (Path(__file__).parent / "steps").glob("*.py") if p.stem != "__init__")

pytest_plugins = ["harness.fixtures", "harness.reporting", *(f"steps.{name}" for name in _STEPS)]

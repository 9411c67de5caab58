"""Root pytest configuration: shared fixtures, reporting, and every step module under steps/."""

from pathlib import Path

from harness.reporting import PLUGINS as REPORTING_PLUGINS  # one module per reporting job, harness/reporting/

_STEPS = sorted(p.stem for p in (Path(__file__).parent / "steps").glob("*.py") if p.stem != "__init__")

# flows.live_apps: the `live_apps` fixture (apps a live run makes once through the UIs; harness.fixtures asks for it
# by name, since harness/ imports no flows/).
pytest_plugins = ["harness.fixtures", *REPORTING_PLUGINS, "flows.live_apps", *(f"steps.{name}" for name in _STEPS)]

"""The reporting plugins: an Allure report a QA lead can forward, JUnit for CI test tabs, and a gate proving no
secret leaked into either.

Results go through allure-pytest-bdd; the root conftest loads one plugin module per job (`PLUGINS`):
- `tags`: Gherkin tags → Allure labels and links;
- `titles`: one unique title per scenario run (example row, variant), used by Allure and JUnit;
- `step_evidence`: per step the masked HTTP transcript and a masked screenshot (SCREENSHOTS);
- `traces`: one scrubbed Playwright trace per scenario, kept on failure (TRACING);
- `discrepancies`: the run context's procedure notes, attached and printed;
- `scrubbing`: reports, Allure results and every attachment cleaned before they are written; steps show only their
  own parsed arguments;
- `metadata`: environment.properties, executor.json, categories.json;
- `junit`: scenario titles, feature names, one-line failure messages and attachment references in the JUnit XML;
- `retries`: `--reruns` on TARGET=live only (pytest-rerunfailures);
- `secret_gate`: the session-end search for secrets in every artifact (exit code in `exit_codes`).

Settings are read through `harness.fixtures.settings_of(config)`; state lives in `config.stash`, one key per module.
This package imports none of its modules: pytest imports each plugin itself, in this order (a module's plugin
dependencies first, so none is imported before pytest has registered it).
"""

PLUGINS = tuple(f"harness.reporting.{name}" for name in (
    "scrubbing", "titles", "junit", "tags", "step_evidence", "traces", "discrepancies", "metadata", "retries",
    "secret_gate"))

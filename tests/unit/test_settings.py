"""harness.settings: all problems at once, one line per variable with its fix, live requirements, secrets never
echoed, and the environment overriding `.env`."""

from __future__ import annotations

import pytest

from harness.settings import SPECS, Settings, SettingsError, describe, load_settings

SPEC = {spec.env: spec for spec in SPECS}
LIVE_REQUIRED = [spec.env for spec in SPECS if spec.required_live]


def _problems(env, dotenv_path=None):
    with pytest.raises(SettingsError) as raised:
        load_settings(env, dotenv_path=dotenv_path)
    return raised.value.problems, str(raised.value)


def test_defaults_are_a_valid_sandbox_run():
    settings = load_settings({}, dotenv_path=None)
    assert settings == Settings() and settings.is_sandbox


def test_every_problem_is_reported_at_once_one_line_each_with_its_fix():
    env = {"TARGET": "staging", "HTTP_TIMEOUT_S": "-1", "AZURE_TENANT_ID": "not-a-guid", "LOGIN_URL": "http://x",
           "HEADED": "maybe"}
    problems, text = _problems(env)
    assert len(problems) == len(env)
    assert text.count("\n") == len(env) - 1
    for variable in env:
        line = next(p for p in problems if p.startswith(variable))
        assert "\n" not in line
        assert SPEC[variable].fix in line, line
        assert repr(env[variable]) in line  # the bad value is shown (it is not a secret)


def test_live_requires_its_variables():
    problems, _ = _problems({"TARGET": "live"})
    for variable in LIVE_REQUIRED:
        assert any(p.startswith(variable) and "TARGET=live" in p for p in problems), variable
    assert any("AZURE_ADMIN_PASSWORD or AZURE_STORAGE_STATE" in p for p in problems)


def test_live_with_everything_set_is_valid(tmp_path):
    env = {"TARGET": "live", "DM_PORTAL_URL": "https://portal.example.com",
           "AZURE_TENANT_ID": "4A201F11-B5BA-421F-9458-05C805DC56A9", "AZURE_TENANT_NAME": "Contoso",
           "AZURE_ADMIN_USER": "admin@contoso.onmicrosoft.com", "AZURE_ADMIN_PASSWORD": "Adm1n-Pa55word!",
           "BC_ENVIRONMENT": "Production", "DM_APPLICATION_AREA": "DEMO01", "DM_USER": "me@example.com",
           "DM_PASSWORD": "Dm-Pa55word!"}
    settings = load_settings(env, dotenv_path=None)
    assert settings.tenant_id == "4a201f11-b5ba-421f-9458-05c805dc56a9"  # normalised
    assert settings.admin_password is not None and settings.admin_password.reveal() == "Adm1n-Pa55word!"


def test_secrets_are_never_echoed():
    secret_values = {"AZURE_ADMIN_PASSWORD": "Adm1n-Pa55word!", "DM_PASSWORD": "Dm-Pa55word!",
                     "AZURE_ADMIN_TOTP_SEED": "JBSWY3DPEHPK3PXP"}
    problems, text = _problems({"TARGET": "live", **secret_values, "HTTP_TIMEOUT_S": "zero"})
    for value in secret_values.values():
        assert value not in text
    settings = load_settings(secret_values, dotenv_path=None)
    described = describe(settings)
    for value in secret_values.values():
        assert value not in repr(settings) and value not in str(described)


def test_environment_wins_over_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("BC_COMPANY=From dotenv\nAPP_NAME=Dotenv App\n")
    settings = load_settings({"BC_COMPANY": "From environment"}, dotenv_path=dotenv)
    assert settings.bc_company == "From environment"
    assert settings.app_name == "Dotenv App"


def test_bad_value_in_dotenv_is_reported(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("UI_TIMEOUT_S=soon\n")
    problems, _ = _problems({}, dotenv_path=dotenv)
    assert len(problems) == 1 and problems[0].startswith("UI_TIMEOUT_S")

"""harness.settings: all problems at once, one line per variable with its fix, live requirements, secrets never
echoed, the environment overriding `.env`, misspelt variables named with the nearest setting, the TOTP seed, secret
lifetime and permission sets checked, and the project's `.env` found from any working folder."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pyotp
import pytest

from harness import settings as settings_module
from harness.settings import (
    KNOWN_VARIABLES,
    OWNED_PREFIXES,
    SPECS,
    Settings,
    SettingsError,
    describe,
    find_dotenv,
    load_settings,
    project_root,
    read_environment,
)

ROOT = Path(__file__).resolve().parents[2]

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


@pytest.mark.parametrize(("variable", "value"), [
    ("UI_TIMEOUT_S", "nan"), ("HTTP_TIMEOUT_S", "inf"), ("PROPAGATION_TIMEOUT_S", "-inf"), ("UI_TIMEOUT_S", "1e999"),
    ("HTTP_TIMEOUT_S", "0"), ("UI_TIMEOUT_S", "86401"), ("SANDBOX_PORT", "65531"), ("SANDBOX_PORT", "-1"),
    ("CA_CERT", "~nosuchuser-bcoauth/ca.pem"), ("CA_CERT", "/etc/passwd"), ("BROWSER_PATH", "~nosuchuser-bcoauth/x"),
])
def test_values_that_would_break_later_are_refused_now(variable, value):
    problems, _ = _problems({variable: value})
    assert len(problems) == 1 and problems[0].startswith(f"{variable}={value!r} is not valid")
    assert SPEC[variable].fix in problems[0]


def test_a_pem_ca_file_passes_and_is_expanded(tmp_path, monkeypatch):
    import certifi

    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "ca.pem").write_bytes(Path(certifi.where()).read_bytes())
    assert load_settings({"CA_CERT": "~/ca.pem"}, dotenv_path=None).ca_cert == tmp_path / "ca.pem"


def test_a_pem_marker_around_garbage_is_not_a_certificate(tmp_path):
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n")
    problems, _ = _problems({"CA_CERT": str(tmp_path / "ca.pem")})
    assert "do not load" in problems[0]


def test_dotenv_problems_name_lines_never_values(tmp_path):
    secret = "pw-" + "q9" * 10
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"\n# comment\nHEADED=true\n{secret}\nDM_PASSWORD \"{secret}\nAPP_NAME='x\nY={secret}'\n"
                      "BC_COMPANY=Fine\n")
    problems, text = _problems({}, dotenv_path=dotenv)
    assert secret not in text
    assert [p.split(":")[0] for p in problems] == [f"{dotenv} line 4", f"{dotenv} line 5", f"{dotenv} line 6"]
    assert "runs on to line 7" in problems[2]


def test_good_dotenv_lines_still_count_when_others_are_bad(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("UI_TIMEOUT_S=soon\nbroken line\n")
    problems, _ = _problems({}, dotenv_path=dotenv)
    assert [p.split("=")[0].split(":")[0] for p in problems] == [f"{dotenv} line 2", "UI_TIMEOUT_S"]


def test_a_dotenv_that_cannot_be_read_or_decoded_is_one_line(tmp_path, monkeypatch):
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(b"A=1\nB=\xff\n")
    problems, _ = _problems({}, dotenv_path=dotenv)
    assert problems == [f"{dotenv} is not UTF-8 text (the first bad byte is on line 2); save it as UTF-8."]

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(dotenv), "read_bytes", refuse)
    problems, _ = _problems({}, dotenv_path=dotenv)
    assert problems == [f"{dotenv} cannot be read (Permission denied); make it readable by this user, or remove it."]


def test_read_environment_refuses_a_bad_dotenv_too(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("A='open\n")
    with pytest.raises(SettingsError):
        read_environment({}, dotenv_path=dotenv)


# --- misspelt and misplaced variables --------------------------------------------------------------------------


def _value() -> str:
    return "v-" + uuid.uuid4().hex  # made at run time, so "never echoed" is a real check


def test_the_owned_prefixes_are_derived_from_the_known_names():
    assert OWNED_PREFIXES == ("ALLOW_", "ALLURE_", "AZURE_", "BC_", "DM_", "SANDBOX_")


@pytest.mark.parametrize(("name", "nearest"), [
    ("AZURE_ADMIN_TOTPSEED", "AZURE_ADMIN_TOTP_SEED"), ("SCREENSHOT", "SCREENSHOTS"), ("UI_TIMEOUT", "UI_TIMEOUT_S"),
    ("BC_PERMISSION_SET", "BC_PERMISSION_SETS"), ("SANDBOX_PROFILES", "SANDBOX_PROFILE"),
    ("AZURE_TENANT", "AZURE_TENANT_ID"),
    ("screenshots", "SCREENSHOTS"), ("ALLURE_ISSUES_URL", "ALLURE_ISSUE_URL"),
])
def test_a_misspelt_variable_in_the_environment_names_the_nearest_setting(name, nearest):
    value = _value()
    problems, text = _problems({name: value})
    assert problems == [f"{name} is not a setting this harness reads; did you mean {nearest}? "
                        "(set in the environment)"]
    assert value not in text


# Set by the Azure CLI and Azure Pipelines (AzureCLI@2), azure-identity, GitHub/GitLab runners, Allure TestOps and
# shells: they share our prefixes or look like our names, and are not ours.
TOOL_VARIABLES = (
    "AZURE_HTTP_USER_AGENT", "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR", "AZURE_CORE_OUTPUT",
    "AZURE_CORE_COLLECT_TELEMETRY", "AZURE_CORE_ONLY_SHOW_ERRORS", "AZURE_CORE_NO_COLOR", "AZURE_DEVOPS_EXT_PAT",
    "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_USERNAME", "AZURE_PASSWORD",
    "AZURE_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_SUBSCRIPTION_ID", "AZURE_STORAGE_ACCOUNT",
    "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_AUTH_MODE", "AZURE_DEFAULTS_GROUP",
    "BUILD_BUILDID", "BUILD_URL", "BUILD_NUMBER", "BUILD_SOURCESDIRECTORY", "SYSTEM_COLLECTIONURI", "TF_BUILD",
    "AGENT_TEMPDIRECTORY", "GITHUB_ACTIONS", "RUNNER_TEMP", "CI", "CI_PIPELINE_ID", "HTTP_PROXY", "HTTPS_PROXY",
    "http_proxy", "BROWSER", "PLAYWRIGHT_BROWSERS_PATH", "HEADLESS", "DEBUG", "ALLURE_TOKEN", "ALLURE_ENDPOINT",
    "ALLURE_PROJECT_ID", "ALLURE_LAUNCH_NAME", "ALLURE_TESTPLAN_PATH", "ALLURE_RESULTS", "DEBIAN_FRONTEND",
    "REPORTS", "TEST_RESULTS", "PYTHON", "HOME", "PATH", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SECRET_KEY",
)


def test_variables_that_tools_set_in_the_environment_are_left_alone():
    assert load_settings(dict.fromkeys(TOOL_VARIABLES, "x"), dotenv_path=None) == Settings()


def test_every_unknown_dotenv_name_with_our_prefix_is_named_with_its_line(tmp_path):
    value = _value()
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"# ours\nBC_COMPANY=Fine\nBC_COMPNY={value}\nAZURE_CLIENT_ID={value}\nSANDBOX_SPEED={value}\n"
                      f"COMPOSE_PROJECT_NAME={value}\nSCREENSHOT=on\nazure_tenant_id={value}\n")
    problems, text = _problems({}, dotenv_path=dotenv)
    assert value not in text
    assert problems == [
        f"BC_COMPNY is not a setting this harness reads; did you mean BC_COMPANY? (set in {dotenv} line 3)",
        "AZURE_CLIENT_ID is not a setting this harness reads; remove it, or rename it to a setting .env.example "
        f"lists (set in {dotenv} line 4)",
        "SANDBOX_SPEED is not a setting this harness reads; remove it, or rename it to a setting .env.example lists "
        f"(set in {dotenv} line 5)",
        f"SCREENSHOT is not a setting this harness reads; did you mean SCREENSHOTS? (set in {dotenv} line 7)",
        "azure_tenant_id is not a setting this harness reads; did you mean AZURE_TENANT_ID? "
        f"(set in {dotenv} line 8)",
    ]  # COMPOSE_PROJECT_NAME (line 6): not our prefix, not like our names


def test_a_name_set_in_both_places_is_one_line_naming_both(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("\nSCREENSHOT=off\n")
    problems, _ = _problems({"SCREENSHOT": "on"}, dotenv_path=dotenv)
    assert problems == ["SCREENSHOT is not a setting this harness reads; did you mean SCREENSHOTS? "
                        f"(set in the environment and set in {dotenv} line 2)"]


def test_environment_only_variables_in_dotenv_are_refused(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"ENV_FILE={tmp_path / 'other.env'}\nBCOAUTH_DEBUG=1\n")
    problems, _ = _problems({}, dotenv_path=dotenv)
    assert problems == [
        f"ENV_FILE is read from the environment only, not from .env (set in {dotenv} line 1); export it instead.",
        f"BCOAUTH_DEBUG is read from the environment only, not from .env (set in {dotenv} line 2); export it instead.",
    ]


def test_unknown_names_come_with_the_other_problems_one_line_each():
    problems, _ = _problems({"SCREENSHOT": "on", "HTTP_TIMEOUT_S": "soon", "TARGET": "prod"})
    assert sorted(p.split(" ")[0].split("=")[0] for p in problems) == ["HTTP_TIMEOUT_S", "SCREENSHOT", "TARGET"]


def test_env_example_is_complete_and_valid_as_a_dotenv(tmp_path):
    names = set(read_environment({}, dotenv_path=ROOT / ".env.example"))
    assert names <= KNOWN_VARIABLES
    assert {spec.env for spec in SPECS} <= names, "a setting is missing from .env.example"
    assert load_settings({}, dotenv_path=ROOT / ".env.example") == Settings()


# Environment variables read anywhere in the harness's own code: each must be a setting this module knows, or
# unlike any of them, or a run that sets it is stopped as a misspelling.
ENV_READ_RE = re.compile(r"""\b(?:environ|getenv|env)\s*(?:\.get\s*\(|\[|\()\s*["']([A-Z_][A-Z0-9_]*)["']""")


def test_every_variable_the_code_reads_is_known_or_unlike_ours():
    read: dict[str, str] = {}
    for folder in ("harness", "flows", "steps", "pages", "sandbox"):
        for source in (ROOT / folder).rglob("*.py"):
            for name in ENV_READ_RE.findall(source.read_text(encoding="utf-8")):
                read.setdefault(name, str(source.relative_to(ROOT)))
    assert "BCOAUTH_DEBUG" in read  # the pattern finds reads
    mistaken = {name: where for name, where in read.items() if name not in KNOWN_VARIABLES and (
                settings_module._suspect_in_environment(name) or settings_module._suspect_in_dotenv(name))}
    assert not mistaken, f"add these to harness.settings.OTHER_VARIABLES (or SPECS): {mistaken}"


def test_the_pipeline_files_set_only_variables_the_harness_accepts():
    yaml = pytest.importorskip("yaml")
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "env" and isinstance(value, dict):
                    names.update(value)
                if key == "variables" and isinstance(value, list):
                    names.update(item["name"] for item in value if isinstance(item, dict) and "name" in item)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    files = [path for path in (ROOT / "azure-pipelines.yml", *(ROOT / ".github" / "workflows").glob("*.yml"))
             if path.is_file()]
    if not files:
        pytest.skip("no pipeline files in this checkout")
    for path in files:
        walk(yaml.safe_load(path.read_text()))
    assert not settings_module.unknown_variable_problems(dict.fromkeys(names, "x"), {})


# --- TOTP seed -------------------------------------------------------------------------------------------------


def _seed() -> str:
    return pyotp.random_base32()  # 32 characters, made at run time


def test_a_seed_is_taken_as_authenticator_apps_take_it():
    seed = _seed()
    spaced = " ".join(seed[i:i + 4] for i in range(0, len(seed), 4)).lower()
    for written in (seed, spaced, seed + "====", f"  {seed}\t"):
        parsed = load_settings({"AZURE_ADMIN_TOTP_SEED": written}, dotenv_path=None).admin_totp_seed
        assert parsed is not None and parsed.reveal() == seed
        assert pyotp.TOTP(parsed.reveal()).at(0) == pyotp.TOTP(seed).at(0)


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda s: s[:-3] + "0O1", "base32 letters A-Z and digits 2-7"),
    (lambda s: s[:10] + "-" + s[10:], "base32 letters A-Z and digits 2-7"),
    (lambda s: s[:-2], "part of it is missing"),      # 30 characters: no base32 text is that long
    (lambda s: s[:10], "shorter than 16 characters"),
    (lambda s: f"otpauth://totp/Contoso:admin?secret={s}&issuer=Contoso", "otpauth:// link"),
])
def test_a_malformed_seed_is_one_line_naming_the_variable_never_the_seed(damage, reason):
    key = _seed()
    problems, text = _problems({"AZURE_ADMIN_TOTP_SEED": damage(key)})
    assert len(problems) == 1 and problems[0].startswith("AZURE_ADMIN_TOTP_SEED=(hidden) is not valid (")
    assert reason in problems[0] and SPEC["AZURE_ADMIN_TOTP_SEED"].fix in problems[0]
    assert key[:8] not in text and key[:8].lower() not in text


# --- secret lifetime -------------------------------------------------------------------------------------------

# FIDELITY.md §c.5, the portal's Expires options as it shows them.
PORTAL_EXPIRES = ("Recommended: 180 days (6 months)", "90 days (3 months)", "365 days (12 months)",
                  "545 days (18 months)", "730 days (24 months)", "Custom")


@pytest.mark.parametrize(("written", "option"), [
    ("730 days (24 months)", "730 days (24 months)"), ("24 months", "730 days (24 months)"),
    ("24months", "730 days (24 months)"), ("730 days", "730 days (24 months)"),
    (" 24  MONTHS ", "730 days (24 months)"),
    ("Recommended: 180 days (6 months)", "Recommended: 180 days (6 months)"),
    ("180 days (6 months)", "Recommended: 180 days (6 months)"), ("6 months", "Recommended: 180 days (6 months)"),
    ("3 months", "90 days (3 months)"), ("12 months", "365 days (12 months)"), ("18 months", "545 days (18 months)"),
])
def test_secret_expiry_accepts_the_portal_options_and_their_short_forms(written, option):
    from pages.azure_portal.certificates_secrets import expiry_pattern

    chosen = load_settings({"SECRET_EXPIRY": written}, dotenv_path=None).secret_expiry
    assert chosen == option
    # What the page object will click: exactly this option of the portal's list.
    assert [label for label in PORTAL_EXPIRES if expiry_pattern(chosen).search(label)] == [option]


@pytest.mark.parametrize("written", ["forever", "Never", "8 months", "2 years", "730 days (12 months)", "731 days",
                                     "36 months", "24"])
def test_secret_expiry_outside_the_portals_options_lists_them(written):
    problems, _ = _problems({"SECRET_EXPIRY": written})
    assert problems == [f"SECRET_EXPIRY={written!r} is not valid; expected {SPEC['SECRET_EXPIRY'].fix}."]
    for option in PORTAL_EXPIRES[:-1]:
        assert option in problems[0]


def test_secret_expiry_custom_is_refused_with_the_reason():
    problems, _ = _problems({"SECRET_EXPIRY": "Custom"})
    assert len(problems) == 1 and "Start and End dates" in problems[0]


# --- permission sets -------------------------------------------------------------------------------------------


def test_permission_sets_are_trimmed():
    settings = load_settings({"BC_PERMISSION_SETS": " D365 AUTOMATION , EXTEN. MGT. - ADMIN"}, dotenv_path=None)
    assert settings.bc_permission_sets == ("D365 AUTOMATION", "EXTEN. MGT. - ADMIN")


@pytest.mark.parametrize(("written", "reason"), [
    ("SUPER", "refuses SUPER for an application"), ("D365 AUTOMATION, super", "refuses SUPER for an application"),
    ("D365 AUTOMATION,,LOGIN", "an entry is empty"), ("D365 AUTOMATION,", "an entry is empty"),
    (",LOGIN", "an entry is empty"), ("  ", "an entry is empty"),
])
def test_bad_permission_sets_are_one_line(written, reason):
    problems, _ = _problems({"BC_PERMISSION_SETS": written})
    assert len(problems) == 1 and problems[0].startswith(f"BC_PERMISSION_SETS={written!r} is not valid (")
    assert reason in problems[0] and SPEC["BC_PERMISSION_SETS"].fix in problems[0]


# --- where .env is read from -------------------------------------------------------------------------------------


def test_the_project_root_is_the_folder_with_this_harness_pyproject():
    assert project_root() == ROOT and (ROOT / "pyproject.toml").is_file()


def test_the_project_dotenv_is_read_whatever_the_working_folder(tmp_path, monkeypatch):
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / ".env").write_text("APP_NAME=From the project\n")
    (elsewhere / ".env").write_text("APP_NAME=From the working folder\n")
    monkeypatch.setattr(settings_module, "project_root", lambda: root)
    monkeypatch.chdir(elsewhere)
    assert load_settings({}).app_name == "From the project"
    assert find_dotenv({}, root, cwd=elsewhere) == (root / ".env", [])


def test_env_file_wins_and_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    (root / ".env").write_text("APP_NAME=From the project\n")
    (tmp_path / "ci.env").write_text("APP_NAME=From ENV_FILE\n")
    monkeypatch.setattr(settings_module, "project_root", lambda: root)
    monkeypatch.chdir(tmp_path)
    assert load_settings({"ENV_FILE": "ci.env"}).app_name == "From ENV_FILE"
    assert load_settings({"ENV_FILE": os.devnull}).app_name == Settings.app_name  # /dev/null: no .env at all
    assert load_settings({"ENV_FILE": ""}).app_name == "From the project"  # empty = unset


def test_a_missing_env_file_is_one_line(tmp_path):
    problems, _ = _problems({"ENV_FILE": str(tmp_path / "missing.env")}, dotenv_path=settings_module.FIND_DOTENV)
    assert len(problems) == 1
    assert problems[0].startswith(f"ENV_FILE={str(tmp_path / 'missing.env')!r} is not valid (no such file)")
    assert "unset ENV_FILE to read" in problems[0]


def test_without_a_project_the_working_folder_dotenv_is_read(tmp_path):
    """Installed as a wheel there is no project root: `.env` in the working folder, as before."""
    assert find_dotenv({}, root=None, cwd=tmp_path) == (None, [])
    (tmp_path / ".env").write_text("APP_NAME=x\n")
    assert find_dotenv({}, root=None, cwd=tmp_path) == (tmp_path / ".env", [])

"""`bcoauth check-settings` (and so every settings load) through the real entry point: each bad setting or `.env`
is one line naming the variable or the `.env` line and the fix, exit code 2, no traceback, no secret value; a
misspelt variable names the nearest setting; the project's `.env` is read from any working folder."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import certifi
import pyotp
import pytest

from tests.cli.conftest import Run, assert_refused

ROOT = Path(__file__).resolve().parents[2]


def _fake_password() -> str:
    return "pw-" + uuid.uuid4().hex  # made at run time: no secret-shaped literal in the repo


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("CA_CERT", "~nosuchuser-bcoauth/ca.pem", "home folder"),
    ("CA_CERT", "/etc/passwd", "-----BEGIN CERTIFICATE-----"),
    ("CA_CERT", "/no/such/ca.pem", "no such file"),
    ("UI_TIMEOUT_S", "nan", "finite number of seconds"),
    ("HTTP_TIMEOUT_S", "inf", "finite number of seconds"),
    ("PROPAGATION_TIMEOUT_S", "1e999", "finite number of seconds"),
    ("UI_TIMEOUT_S", "0", "greater than 0"),
    ("HTTP_TIMEOUT_S", "-5", "greater than 0"),
    ("SANDBOX_PORT", "65531", "6 consecutive ports"),
    ("SANDBOX_PORT", "65533", "6 consecutive ports"),
    ("SANDBOX_PORT", "70000", "65530"),
    ("SANDBOX_PORT", "-1", "65530"),
    ("SECRET_EXPIRY", "forever", "Recommended: 180 days (6 months), 90 days (3 months), 365 days (12 months), "
                                 "545 days (18 months), 730 days (24 months)"),
    ("SECRET_EXPIRY", "Custom", "Start and End dates"),
    ("BC_PERMISSION_SETS", "SUPER", "refuses SUPER for an application"),
    ("BC_PERMISSION_SETS", "D365 AUTOMATION,,LOGIN", "an entry is empty"),
])
def test_a_bad_setting_is_one_line_naming_it(bcoauth: Run, variable: str, value: str, said: str) -> None:
    line, = assert_refused(bcoauth("check-settings", env={variable: value}), said)
    assert line.startswith(f"{variable}=")


@pytest.mark.parametrize(("variable", "value"), [
    ("CA_CERT", certifi.where()), ("UI_TIMEOUT_S", "0.5"), ("HTTP_TIMEOUT_S", "86400"), ("SANDBOX_PORT", "65530"),
    ("SANDBOX_PORT", "0"), ("SECRET_EXPIRY", "24 months"), ("BC_PERMISSION_SETS", "D365 AUTOMATION, LOGIN"),
])
def test_good_values_at_the_edges_pass(bcoauth: Run, variable: str, value: str) -> None:
    result = bcoauth("check-settings", env={variable: value})
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == "settings OK (TARGET=sandbox)\n"


def test_every_problem_is_its_own_line(bcoauth: Run) -> None:
    env = {"UI_TIMEOUT_S": "nan", "HTTP_TIMEOUT_S": "inf", "SANDBOX_PORT": "65533", "CA_CERT": "/etc/passwd"}
    lines = assert_refused(bcoauth("check-settings", env=env), lines=len(env))
    assert sorted(line.split("=")[0] for line in lines) == sorted(env)


def test_a_dotenv_that_is_not_utf8_is_named(bcoauth: Run, tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"APP_NAME=Dynamics Mobile\nBC_COMPANY=Caf\xe9 GmbH\n")
    assert_refused(bcoauth("check-settings"), ".env", "not UTF-8", "line 2", "save it as UTF-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc/self/mem as the unreadable file")
def test_an_unreadable_dotenv_is_named(bcoauth: Run, tmp_path: Path) -> None:
    """/proc/self/mem is a file that read() refuses even for root, which ignores file modes."""
    (tmp_path / ".env").symlink_to("/proc/self/mem")
    assert_refused(bcoauth("check-settings"), ".env cannot be read", "readable")


def test_malformed_dotenv_lines_are_named_by_number_never_by_content(bcoauth: Run, tmp_path: Path) -> None:
    password, pasted = _fake_password(), _fake_password()
    (tmp_path / ".env").write_text("\n".join([
        "# a comment",
        "TARGET=sandbox",
        pasted,                                   # 3: a value pasted without a name: dotenv sees a bare name
        f"export DM_PASSWORD {password}",         # 4: no '=': python-dotenv only warns and drops it
        "",
        f"AZURE_ADMIN_PASSWORD='{password}",      # 6: a quote never closed
        "APP_NAME=Dynamics Mobile",
    ]) + "\n")
    lines = assert_refused(bcoauth("check-settings"), lines=3, secrets=[password, pasted])
    dotenv = tmp_path / ".env"
    assert [line.split(":")[0] for line in lines] == [f"{dotenv} line 3", f"{dotenv} line 4", f"{dotenv} line 6"]


def test_an_unclosed_quote_that_swallows_the_password_line_is_an_error(bcoauth: Run, tmp_path: Path) -> None:
    """python-dotenv reads lines 1-3 as APP_NAME's value, silently: the password line would just vanish."""
    password = _fake_password()
    (tmp_path / ".env").write_text(f'APP_NAME="Dynamics Mobile\nAZURE_ADMIN_PASSWORD={password}\n'
                                   'SECRET_EXPIRY=730 days (24 months)"\nBC_COMPANY=CRONUS USA, Inc.\n')
    line, = assert_refused(bcoauth("check-settings"), secrets=[password])
    assert line.startswith(f"{tmp_path / '.env'} line 1: the quoted value of APP_NAME runs on to line 3"), line


def test_a_secret_with_live_problems_is_never_echoed(bcoauth: Run, tmp_path: Path) -> None:
    password = _fake_password()
    (tmp_path / ".env").write_text(f"TARGET=live\nAZURE_ADMIN_PASSWORD={password}\nDM_PASSWORD={password}\n")
    result = bcoauth("check-settings", env={"HTTP_TIMEOUT_S": "never"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert password not in result.stderr + result.stdout
    assert any(line.startswith("HTTP_TIMEOUT_S=") for line in result.stderr.splitlines())


def test_a_malformed_totp_seed_names_the_variable_never_the_seed(bcoauth: Run) -> None:
    key = pyotp.random_base32()
    line, = assert_refused(bcoauth("check-settings", env={"AZURE_ADMIN_TOTP_SEED": key[:-2] + "18"}),
                           "base32", secrets=[key[:8], key[:-2] + "18"])
    assert line.startswith("AZURE_ADMIN_TOTP_SEED=(hidden) is not valid")


def test_a_spaced_lower_case_totp_seed_passes(bcoauth: Run) -> None:
    key = pyotp.random_base32()
    spaced = " ".join(key[i:i + 4] for i in range(0, len(key), 4)).lower()
    result = bcoauth("check-settings", env={"AZURE_ADMIN_TOTP_SEED": spaced})
    assert (result.returncode, result.stderr) == (0, ""), result.stderr


# --- misspelt variables ------------------------------------------------------------------------------------------


def test_misspelt_variables_in_the_environment_name_the_nearest_setting(bcoauth: Run) -> None:
    value = _fake_password()
    lines = assert_refused(bcoauth("check-settings", env={"AZURE_ADMIN_TOTPSEED": value, "SCREENSHOT": "on"}),
                           lines=2, secrets=[value])
    assert lines == [
        "AZURE_ADMIN_TOTPSEED is not a setting this harness reads; did you mean AZURE_ADMIN_TOTP_SEED? "
        "(set in the environment)",
        "SCREENSHOT is not a setting this harness reads; did you mean SCREENSHOTS? (set in the environment)",
    ]


def test_misspelt_variables_in_dotenv_are_named_with_their_line(bcoauth: Run, tmp_path: Path) -> None:
    value = _fake_password()
    (tmp_path / ".env").write_text(f"TARGET=sandbox\nAZURE_ADMIN_PASWORD={value}\nBC_SOMETHING=1\n")
    lines = assert_refused(bcoauth("check-settings"), lines=2, secrets=[value])
    assert lines[0] == ("AZURE_ADMIN_PASWORD is not a setting this harness reads; did you mean AZURE_ADMIN_PASSWORD? "
                        f"(set in {tmp_path / '.env'} line 2)")
    assert lines[1].startswith("BC_SOMETHING is not a setting this harness reads; remove it")


def test_what_the_azure_tools_and_ci_runners_set_is_not_flagged(bcoauth: Run) -> None:
    tools = {name: "x" for name in ("AZURE_HTTP_USER_AGENT", "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR",
                                    "AZURE_CORE_OUTPUT", "AZURE_CORE_COLLECT_TELEMETRY", "AZURE_CLIENT_ID",
                                    "AZURE_STORAGE_SAS_TOKEN", "BUILD_BUILDID", "BUILD_URL", "SYSTEM_TEAMPROJECT",
                                    "TF_BUILD", "GITHUB_ACTIONS", "ALLURE_TOKEN")}
    result = bcoauth("check-settings", env=tools)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "settings OK (TARGET=sandbox)\n")


# --- where .env is read from ---------------------------------------------------------------------------------------


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A project root like this one (pyproject.toml + the harness's packages, linked), whose `.env` the tests may
    write: the real project's `.env` belongs to the person running the tests."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    for package in ("harness", "sandbox", "pages", "steps", "flows"):
        (root / package).symlink_to(ROOT / package, target_is_directory=True)
    return root


def test_the_project_dotenv_is_read_from_any_working_folder(bcoauth: Run, project_copy: Path,
                                                            tmp_path: Path) -> None:
    """The real `bcoauth`, run from another folder (with a `.env` of its own, ignored) and with no ENV_FILE, reads
    the `.env` of the project it belongs to; PYTHONPATH makes the console script import the copy's harness."""
    (project_copy / ".env").write_text("APP_NAME=Dynamics Mobile\nSCREENSHOT=on\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".env").write_text("TRACE=on\n")
    for cwd in (elsewhere, Path("/")):
        result = bcoauth("check-settings", cwd=cwd, env={"ENV_FILE": "", "PYTHONPATH": str(project_copy)})
        line, = assert_refused(result)
        assert line == ("SCREENSHOT is not a setting this harness reads; did you mean SCREENSHOTS? "
                        f"(set in {project_copy / '.env'} line 2)")


def test_env_file_points_elsewhere(bcoauth: Run, project_copy: Path, tmp_path: Path) -> None:
    (project_copy / ".env").write_text("SCREENSHOT=on\n")
    (tmp_path / "nightly.env").write_text("TARGET=sandbox\nSCREENSHOTS=on-failure\n")
    env = {"ENV_FILE": str(tmp_path / "nightly.env"), "PYTHONPATH": str(project_copy)}
    result = bcoauth("check-settings", cwd=Path("/"), env=env)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr

    missing = tmp_path / "missing.env"
    line, = assert_refused(bcoauth("check-settings", env={"ENV_FILE": str(missing)}), "no such file")
    assert line.startswith(f"ENV_FILE={str(missing)!r} is not valid")

"""Most CLI tests run `bcoauth` in-process (tests/cli/conftest.py): the same commands through the installed console
script must say exactly the same, or those tests would judge something users never see."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import BCOAUTH, clean_environment, in_process_safe, run_in_process

CASES = {
    "bad setting": (["check-settings"], {"HTTP_TIMEOUT_S": "never"}),
    "misspelt variable": (["check-settings"], {"SCREENSHOT": "on"}),
    "good settings": (["check-settings"], {}),
    "unknown command": (["nonsense"], {}),
    "missing endpoints file": (["sandbox", "clock", "--advance", "60", "--endpoints-file", "missing.json"], {}),
    "bad clock value": (["sandbox", "clock", "--advance=nan", "--endpoints-file", "missing.json"], {}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_in_process_runs_match_the_console_script(case: str, tmp_path: Path) -> None:
    args, overrides = CASES[case]
    env = clean_environment(**overrides)
    real = subprocess.run([str(BCOAUTH), *args], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    here = run_in_process(args, env, tmp_path)
    assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr)


def test_servers_and_browsers_get_a_process_of_their_own() -> None:
    assert not in_process_safe(["sandbox", "serve", "--port", "0"])
    assert not in_process_safe(["doctor"])
    assert in_process_safe(["sandbox", "clock", "--advance", "60"])

"""SANDBOX_UI_VARIANTS: the option preset the session's sandbox gets after start (default | hostile)."""

from __future__ import annotations

import os

import pytest

from harness.settings import SettingsError, load_settings
from sandbox.admin.options import PRESETS


def test_the_default_changes_nothing_and_hostile_is_accepted() -> None:
    assert load_settings({}, os.devnull).sandbox_ui_variants == "default"
    assert load_settings({"SANDBOX_UI_VARIANTS": "hostile"}, os.devnull).sandbox_ui_variants == "hostile"


def test_every_value_but_default_is_a_preset_of_the_admin_api() -> None:
    from harness.settings import UI_VARIANT_SETS

    assert set(UI_VARIANT_SETS) - {"default"} == set(PRESETS)


def test_a_wrong_value_is_one_line_naming_the_variable_and_the_choices() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"SANDBOX_UI_VARIANTS": "nasty"}, os.devnull)
    assert len(refused.value.problems) == 1
    assert "SANDBOX_UI_VARIANTS" in refused.value.problems[0] and "default, hostile" in refused.value.problems[0]

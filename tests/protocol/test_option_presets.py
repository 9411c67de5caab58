"""Admin API: named option presets (`POST /admin/options/preset/{name}`) and removing a Business Central record
alone (`DELETE /admin/bc/apps/{client_id}`, what `bcoauth sweep` uses on the sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.sandbox_control import AdminClient, SandboxError
from sandbox.admin.options import OPTIONS, PRESETS


@pytest.fixture
def options_restored(admin: AdminClient) -> Iterator[dict[str, Any]]:
    before = admin.options()
    yield before
    admin.call("POST", "/admin/options/preset/default")
    admin.set_options(**before)


def test_hostile_turns_on_every_variant_of_the_preset_and_default_turns_them_off(
        admin: AdminClient, options_restored: dict[str, Any]) -> None:
    hostile = PRESETS["hostile"]
    assert {"portal_layout", "account_types_ui", "bc_caption", "dm_buttons"} <= hostile.keys()
    answer = admin.call("POST", "/admin/options/preset/hostile")
    assert {key: answer.get(key) for key in hostile} == hostile
    assert {key: admin.options().get(key) for key in hostile} == hostile
    reset = admin.call("POST", "/admin/options/preset/default")
    assert not set(reset) & hostile.keys(), "default left a hostile option set"


def test_the_renamed_control_of_the_drift_check_is_an_option_but_never_hostile() -> None:
    assert "drift_rename" in OPTIONS
    assert all("drift_rename" not in preset for preset in PRESETS.values())


def test_an_unknown_preset_is_a_400_naming_the_known_ones(admin: AdminClient) -> None:
    with pytest.raises(SandboxError) as refused:
        admin.call("POST", "/admin/options/preset/nasty")
    assert "→ 400" in str(refused.value) and "unknown preset 'nasty'; known: default, hostile" in str(refused.value)


def test_a_body_is_refused(admin: AdminClient) -> None:
    with pytest.raises(SandboxError, match="→ 400"):
        admin.call("POST", "/admin/options/preset/hostile", json={"portal_layout": "top"})


def test_a_bc_record_can_be_removed_without_its_app_registration(admin: AdminClient) -> None:
    app = admin.provision_app(name="Dynamics Mobile record only")
    try:
        admin.call("DELETE", f"/admin/bc/apps/{app['client_id']}")
        assert app["client_id"] not in {a["client_id"] for a in admin.bc_apps()}
        assert app["client_id"] in {a["client_id"] for a in admin.apps()}
        with pytest.raises(SandboxError, match="→ 404"):
            admin.call("DELETE", f"/admin/bc/apps/{app['client_id']}")
    finally:
        admin.remove_app(app["client_id"])

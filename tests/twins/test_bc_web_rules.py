"""The BC web client twin's rules (table 9012 / page 9861, FIDELITY.md §d) and Tell Me search, without HTTP."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from sandbox import bc_data
from sandbox.bc_web import rules, search
from sandbox.seed import ensure_seed
from sandbox.tables import open_store

# Literal texts of table 9012 / page 9861 from the sources (FIDELITY.md §d "Strings", [BCAPPS]).
MUST_DISABLE = "You must set the State field to Disabled before you can make changes to this app."
NEED_SUPER = "You need to have either SUPER or SECURITY permission set to update the state of the application."
NEED_USER = "Register a user before enabling the Microsoft Entra Application"
NO_RENAME = "You cannot rename a Microsoft Entra Application."
INIT_USER = ("You must initialize the user before you can add permission sets. Click here to create the "
             "application user.")
ENTRA_APPS_PAGE = 9860


@pytest.fixture
def scope(tmp_path: Path) -> rules.Scope:
    store = open_store(tmp_path / "sandbox.sqlite3")
    seed = ensure_seed(store)
    return rules.Scope(store, seed["tenant_id"], seed["environment"], acting_user_is_admin=True)


def new_app(scope: rules.Scope, description: str = "Dynamics Mobile") -> str:
    client_id = rules.insert(scope, str(uuid.uuid4())).client_id
    if description:
        rules.set_field(scope, client_id, "description", description)
    return client_id


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(rules.BcError) as raised:
        call(*args, **kwargs)
    return str(raised.value)


def test_a_new_record_starts_disabled_and_needs_a_guid(scope: rules.Scope) -> None:
    client_id = new_app(scope, "")
    assert scope.app(client_id).state == "Disabled"
    assert "not a valid GUID" in refusal(rules.insert, scope, "dynamics-mobile")
    assert "already exists" in refusal(rules.insert, scope, client_id.upper())


def test_rename_is_refused(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    assert refusal(rules.rename, scope, client_id, str(uuid.uuid4())) == NO_RENAME
    assert rules.rename(scope, client_id, "{" + client_id.upper() + "}").client_id == client_id


def test_description_is_limited_to_50_characters(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    assert "less than or equal to 50" in refusal(rules.set_field, scope, client_id, "description", "x" * 51)
    assert scope.app(client_id).description == "Dynamics Mobile"


def test_first_enable_asks_to_create_the_user_then_enables(scope: rules.Scope) -> None:
    client_id = new_app(scope, "Dynamics Mobile Agent")
    question = rules.set_state(scope, client_id, "Enabled")
    assert question == rules.Confirm("A user named Dynamics Mobile Agent will be created. Do you want to continue?")
    assert scope.app(client_id).state == "Disabled"
    enabled = rules.set_state(scope, client_id, "Enabled", confirmed=True)
    assert isinstance(enabled, bc_data.EntraApp) and enabled.enabled and enabled.user_name


def test_enable_without_description_is_refused(scope: rules.Scope) -> None:
    client_id = new_app(scope, "")
    assert refusal(rules.set_state, scope, client_id, "Enabled") == NEED_USER


def test_only_super_or_security_users_change_the_state(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    clerk = rules.Scope(scope.store, scope.tenant_id, scope.environment, acting_user_is_admin=False)
    assert refusal(rules.set_state, clerk, client_id, "Enabled", confirmed=True) == NEED_SUPER


def test_an_enabled_app_cannot_be_changed(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    rules.create_user(scope, client_id)
    rules.add_permission_set(scope, client_id, "D365 AUTOMATION")
    rules.set_state(scope, client_id, "Enabled")
    assert refusal(rules.set_field, scope, client_id, "description", "Changed") == MUST_DISABLE
    assert refusal(rules.add_permission_set, scope, client_id, "LOGIN") == MUST_DISABLE
    assert refusal(rules.rename, scope, client_id, str(uuid.uuid4())) == MUST_DISABLE
    rules.set_state(scope, client_id, "Disabled")
    assert rules.set_field(scope, client_id, "description", "Changed").description == "Changed"


def test_permission_sets_need_the_user_and_never_super(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    assert refusal(rules.add_permission_set, scope, client_id, "D365 AUTOMATION") == INIT_USER
    rules.create_user(scope, client_id)
    assert "SUPER" in refusal(rules.add_permission_set, scope, client_id, "super")  # wording not public (§d)
    assert "cannot be found" in refusal(rules.add_permission_set, scope, client_id, "NO SUCH SET")
    assert "cannot be found" in refusal(rules.add_permission_set, scope, client_id, "LOGIN", "No Such Company")
    rules.add_permission_set(scope, client_id, "d365 automation")
    rules.add_permission_set(scope, client_id, "EXTEN. MGT. - ADMIN", "CRONUS USA, Inc.")
    sets = bc_data.permission_sets(scope.store, scope.tenant_id, scope.environment, client_id)
    assert sets == [{"role_id": "D365 AUTOMATION", "company": ""},
                    {"role_id": "EXTEN. MGT. - ADMIN", "company": "CRONUS USA, Inc."}]


def test_the_api_authorises_only_an_enabled_app_with_a_permission_set(scope: rules.Scope) -> None:
    client_id = new_app(scope)
    rules.create_user(scope, client_id)
    rules.set_state(scope, client_id, "Enabled")
    assert not bc_data.authorised(scope.store, scope.tenant_id, scope.environment, client_id)
    rules.set_state(scope, client_id, "Disabled")
    rules.add_permission_set(scope, client_id, "D365 AUTOMATION")
    assert not bc_data.authorised(scope.store, scope.tenant_id, scope.environment, client_id)
    rules.set_state(scope, client_id, "Enabled")
    assert bc_data.authorised(scope.store, scope.tenant_id, scope.environment, client_id)
    rules.delete(scope, client_id)
    assert not bc_data.authorised(scope.store, scope.tenant_id, scope.environment, client_id)


@pytest.mark.parametrize(("query", "generation", "found"), [
    ("entra", "current", True),
    ("applications", "current", True),
    ("Microsoft Entra", "current", True),
    ("Azure", "current", False),  # page 9860 has no AdditionalSearchTerms (FIDELITY §g row 7)
    ("Azure", "legacy", True),
    ("azure active directory applications", "legacy", True),
    ("entra", "legacy", False),
])
def test_tell_me_finds_page_9860_by_its_caption_words(query: str, generation: str, found: bool) -> None:
    hits = [p for p in search.search(query, generation) if p.page_id == ENTRA_APPS_PAGE]
    assert bool(hits) is found

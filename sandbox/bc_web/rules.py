"""What page 9861 and table 9012 allow, as in BCApps `AADApplicationCard.Page.al` / `AADApplication.Table.al`
(FIDELITY.md §d). The web client twin calls these; each refusal is a `BcError` whose text the client shows in an
error dialog. Texts marked UNVERIFIED are the twin's choice and live only here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sandbox import bc_data
from sandbox.bc_data import EntraApp
from sandbox.store import Store

MUST_DISABLE = "You must set the State field to Disabled before you can make changes to this app."
NEED_SUPER = "You need to have either SUPER or SECURITY permission set to update the state of the application."
NEED_USER = "Register a user before enabling the Microsoft Entra Application"
NO_RENAME = "You cannot rename a Microsoft Entra Application."
CONFIRM_USER = "A user named {name} will be created. Do you want to continue?"
INIT_USER_WARNING = ("You must initialize the user before you can add permission sets. Click here to create the "
                     "application user.")
USER_CREATED = "User has been created. You can now add permission sets."
CONSENT_OK = "Consent was given successfully."
CONSENT_FAILED = "Failed to give consent."
CONSENT_WAITING = "Waiting for a response. Do not close this page."
# UNVERIFIED texts (BC-like; the platform refuses SUPER for applications, its wording is not public).
SUPER_REFUSED = "The SUPER permission set cannot be assigned to a Microsoft Entra Application."
NOT_A_GUID = ("The value '{value}' is not a valid GUID. Client ID must be a GUID, e.g. "
              "00000000-0000-0000-0000-000000000000.")
ALREADY_EXISTS = "The Microsoft Entra Application already exists. Identification fields and values: Client ID='{id}'"
DESCRIPTION_TOO_LONG = ("The length of the string is {length}, but it must be less than or equal to 50 characters. "
                        "Value: {value}")
UNKNOWN_PERMISSION_SET = "The field Permission Set of table Access Control contains a value ({value}) that cannot be " \
                         "found in the related table (Aggregate Permission Set)."
DELETE_CONFIRM = "Delete the Microsoft Entra Application?"
NO_CLIENT_ID = "Enter a Client ID before you fill in other fields."

EDITABLE_FIELDS = ("description", "contact_information", "app_id", "app_name")
STATES = ("Enabled", "Disabled")
DESCRIPTION_MAX = 50


class BcError(Exception):
    """A refusal the web client shows in an error dialog."""


@dataclass(frozen=True)
class Confirm:
    """The change needs the user's Yes first (BC's Confirm())."""

    question: str


@dataclass(frozen=True)
class Scope:
    store: Store
    tenant_id: str
    environment: str
    acting_user_is_admin: bool
    confirm_user_creation: bool = True  # the warning link asks first (BCApps today)

    def app(self, client_id: str) -> EntraApp:
        app = bc_data.entra_app(self.store, self.tenant_id, self.environment, client_id)
        if app is None:
            raise BcError(f"The Microsoft Entra Application does not exist. Identification fields and values: "
                          f"Client ID='{client_id}'")
        return app


def parse_client_id(value: str) -> str:
    text = value.strip().strip("{}")
    try:
        return str(uuid.UUID(text))
    except ValueError as exc:
        raise BcError(NOT_A_GUID.format(value=value)) from exc


def insert(scope: Scope, client_id_text: str) -> EntraApp:
    """A new card gets its key: the record is inserted when Client ID is entered (it starts Disabled)."""
    client_id = parse_client_id(client_id_text)
    if bc_data.entra_app(scope.store, scope.tenant_id, scope.environment, client_id):
        raise BcError(ALREADY_EXISTS.format(id=client_id))
    return bc_data.upsert_entra_app(scope.store, scope.tenant_id, scope.environment, client_id)


def rename(scope: Scope, client_id: str, new_text: str) -> EntraApp:
    app = scope.app(client_id)
    if parse_client_id(new_text) == app.client_id:
        return app
    if app.enabled:
        raise BcError(MUST_DISABLE)
    raise BcError(NO_RENAME)


def set_field(scope: Scope, client_id: str, name: str, value: str) -> EntraApp:
    if name not in EDITABLE_FIELDS:
        raise BcError(f"The field {name} cannot be changed.")
    app = scope.app(client_id)
    if app.enabled:
        raise BcError(MUST_DISABLE)
    value = value.strip()
    if name == "description" and len(value) > DESCRIPTION_MAX:
        raise BcError(DESCRIPTION_TOO_LONG.format(length=len(value), value=value))
    return bc_data.upsert_entra_app(scope.store, scope.tenant_id, scope.environment, app.client_id, **{name: value})


def set_state(scope: Scope, client_id: str, state: str, confirmed: bool = False) -> EntraApp | Confirm:
    if state not in STATES:
        raise BcError(f"'{state}' is not an option. The existing options are: Enabled,Disabled")
    app = scope.app(client_id)
    if state == app.state:
        return app
    if not scope.acting_user_is_admin:
        raise BcError(NEED_SUPER)
    if state == "Enabled" and not app.user_id:
        if not app.description:
            raise BcError(NEED_USER)
        if not confirmed:
            return Confirm(CONFIRM_USER.format(name=app.description))
        create_user(scope, client_id)
    return bc_data.upsert_entra_app(scope.store, scope.tenant_id, scope.environment, app.client_id, state=state)


def _may_create_user(scope: Scope, client_id: str) -> EntraApp:
    app = scope.app(client_id)
    if app.enabled:
        raise BcError(MUST_DISABLE)
    if not app.description:
        raise BcError(NEED_USER)
    return app


def user_creation_question(scope: Scope, client_id: str) -> Confirm:
    """The warning link checks the record first, then asks before it creates the user."""
    app = _may_create_user(scope, client_id)
    return Confirm(CONFIRM_USER.format(name=app.description))


def create_user(scope: Scope, client_id: str) -> EntraApp:
    """The warning link (or the first Enable): a user named after the Description."""
    app = _may_create_user(scope, client_id)
    return bc_data.create_app_user(scope.store, scope.tenant_id, scope.environment, app.client_id)


def _may_edit_permissions(scope: Scope, client_id: str) -> EntraApp:
    app = scope.app(client_id)
    if app.enabled:
        raise BcError(MUST_DISABLE)
    if not app.user_id:
        raise BcError(INIT_USER_WARNING)
    return app


def add_permission_set(scope: Scope, client_id: str, role_id: str, company: str = "") -> None:
    app = _may_edit_permissions(scope, client_id)
    role = role_id.strip().upper()
    if role == "SUPER":
        raise BcError(SUPER_REFUSED)
    if role not in bc_data.PERMISSION_SETS:
        raise BcError(UNKNOWN_PERMISSION_SET.format(value=role_id.strip()))
    _check_company(scope, company)
    bc_data.add_permission_set(scope.store, scope.tenant_id, scope.environment, app.client_id, role,
                               company.strip())


def set_permission_company(scope: Scope, client_id: str, role_id: str, old: str, new: str) -> None:
    app = _may_edit_permissions(scope, client_id)
    _check_company(scope, new)
    bc_data.remove_permission_set(scope.store, scope.tenant_id, scope.environment, app.client_id, role_id, old)
    bc_data.add_permission_set(scope.store, scope.tenant_id, scope.environment, app.client_id, role_id, new.strip())


def _check_company(scope: Scope, company: str) -> None:
    names = {c["name"] for c in bc_data.companies(scope.store, scope.tenant_id, scope.environment)}
    if company.strip() and company.strip() not in names:
        raise BcError(f"The field Company Name of table Access Control contains a value ({company.strip()}) that "
                      f"cannot be found in the related table (Company).")


def delete(scope: Scope, client_id: str) -> None:
    app = scope.app(client_id)
    bc_data.delete_entra_app(scope.store, scope.tenant_id, scope.environment, app.client_id)


def mark_consent(scope: Scope, client_id: str) -> None:
    bc_data.upsert_entra_app(scope.store, scope.tenant_id, scope.environment, client_id, permission_granted=1)

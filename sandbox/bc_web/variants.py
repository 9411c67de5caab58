"""The web client's real-world variants (FIDELITY.md §h "Business Central web client"), each a sandbox option
(POST /admin/options checks them with `OPTION_CHECKS`, registered in `sandbox.admin.options.OPTIONS`).

| Option | Values (default first) | What the web client twin shows |
|---|---|---|
| `bc_create_user_confirm` | `true`, `false` | the confirm before the application user is created (1) |
| `bc_tell_me_results` | `"grouped"`, `"listbox"` | how Tell Me shows its results (2) |
| `bc_tell_me_finds_entra` | `true`, `false` | `false`: Tell Me does not list page 9860 (3) |
| `bc_new_action` | `"menuitem"`, `"button"` | the role of the list's New and Delete (4) |
| `bc_back_buttons` | `"one"`, `"several"` | `several`: more than one "Back" button in the frame (5) |
| `bc_environment_type` | `"sandbox"`, `"production"` | the type on the top bar's environment badge (6) |

(1) "A user named <Description> will be created. Do you want to continue?" (Yes/No), then "User has been created.
    You can now add permission sets." (BCApps today); `false`: created at once, as the twin did before.
(2) Text items inside `[id^=GroupedListSection]` sections, clicked by exact text in the recordings; `listbox`:
    a listbox of `option`s (the twin's older rendering).
(3) E.g. a localised caption: only the `?page=9860` deep link opens it (not a UI variant: not in "hostile").
(4) `menuitem` in the BC 25.2 recordings, `button` in a BC 27 recording.
(5) The forms under the card (BC's page stack) keep their own Back buttons; the card's is the last (recordings
    use `.nth(2)`), next to the card's title.
(6) "Sandbox" or "Production", next to the environment's name; the production guard reads it (not in "hostile").

A stored value the twin cannot use (set around the admin API's checks) means the default.
"""

from __future__ import annotations

from typing import Any

from sandbox.admin.validation import Check, boolean, one_of
from sandbox.context import Sandbox

OPTION_CHECKS: dict[str, Check] = {
    "bc_create_user_confirm": boolean,
    "bc_tell_me_results": one_of("grouped", "listbox"),
    "bc_tell_me_finds_entra": boolean,
    "bc_new_action": one_of("menuitem", "button"),
    "bc_back_buttons": one_of("one", "several"),
    "bc_environment_type": one_of("sandbox", "production"),
}
DEFAULTS: dict[str, Any] = {
    "bc_create_user_confirm": True,
    "bc_tell_me_results": "grouped",
    "bc_tell_me_finds_entra": True,
    "bc_new_action": "menuitem",
    "bc_back_buttons": "one",
    "bc_environment_type": "sandbox",
}
ENVIRONMENT_TYPES = {"sandbox": "Sandbox", "production": "Production"}  # the badge's caption per option value


def variant(sandbox: Sandbox, name: str) -> Any:
    """The option as the twin applies it: the stored value when its check passes, else the default."""
    value = sandbox.option(name)
    if value is None or OPTION_CHECKS[name](value) is not None:
        return DEFAULTS[name]
    return value


def environment_type(sandbox: Sandbox) -> str:
    return ENVIRONMENT_TYPES[variant(sandbox, "bc_environment_type")]

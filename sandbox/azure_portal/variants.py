"""The Azure portal's real-world UI variants (FIDELITY.md §h "Azure portal"), each a sandbox option
(POST /admin/options), read per request.

| Option | Values (default first) | What the portal twin shows |
|---|---|---|
| `portal_frames` | `"clean"`, `"prewarmed"` | with `portal_layout=iframe`: pre-warmed hidden frames (1) |
| `portal_essentials` | `"classic"`, `"react"` | Overview Essentials without `fxc-essentials-*` classes (2) |
| `portal_dropdowns` | `"listbox"`, `"treeitem"` | the older drop-downs: platform and Expires (3) |
| `portal_grids` | `"table"`, `"div"` | Configured permissions and Client secrets as `div` grids (4) |
| `portal_welcome_dialog` | `false`, `true` | the first-login "Maybe later" dialog over the portal (5) |
| `portal_delete_ui` | `"pane"`, `"docked"` | the older app registration Delete (6) |

(1) Two more hidden frames (`fxs-display-none`) that also carry `fxs-reactview-frame-active`; on navigation the
    next frame takes the class while it loads hidden, so two frames are "active" at once; only one is visible.
(2) Generated `essentialsItem-NNN` / `essentialsLabel-NNN` / `essentialsValue-NNN` classes and no ARIA links
    between label and value: only the label text says which value is which.
(3) "Select a platform" as a `div` (no role, no name) listing `div[role=treeitem]` items; Expires as
    `div[aria-label=Expires]` listing `div[role=treeitem]` items ("730 days (24 months)" …).
(4) `div[role=grid]` with `row` / `columnheader` / `gridcell` / `rowheader` (group) children, no `<table>`.
(5) `div[role=alertdialog]` "Welcome to Microsoft Azure" with "Start tour" and "Maybe later", shown over the shell
    once the first blade has loaded, until dismissed in this browser tab.
(6) Toolbar `li[title=Delete]` (no button role), then a docked confirm `div[role=button][title=Delete]` without
    the acknowledgement checkbox.

A stored value the twin cannot use (set around the admin API's checks) means the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.admin.validation import Check, boolean, one_of
from sandbox.context import Sandbox

# The admin API validates these (sandbox.admin.options); the twin reads them through the same checks.
OPTION_CHECKS: dict[str, Check] = {
    "portal_frames": one_of("clean", "prewarmed"),
    "portal_essentials": one_of("classic", "react"),
    "portal_dropdowns": one_of("listbox", "treeitem"),
    "portal_grids": one_of("table", "div"),
    "portal_welcome_dialog": boolean,
    "portal_delete_ui": one_of("pane", "docked"),
}
DEFAULTS: dict[str, Any] = {"portal_frames": "clean", "portal_essentials": "classic", "portal_dropdowns": "listbox",
                            "portal_grids": "table", "portal_welcome_dialog": False, "portal_delete_ui": "pane"}
HOSTILE: dict[str, Any] = {"portal_frames": "prewarmed", "portal_essentials": "react", "portal_dropdowns": "treeitem",
                           "portal_grids": "div", "portal_welcome_dialog": True, "portal_delete_ui": "docked"}


@dataclass(frozen=True)
class Variants:
    """The variants one request renders (defaults: the twin's newer generation)."""

    frames: str = DEFAULTS["portal_frames"]
    essentials: str = DEFAULTS["portal_essentials"]
    dropdowns: str = DEFAULTS["portal_dropdowns"]
    grids: str = DEFAULTS["portal_grids"]
    welcome_dialog: bool = DEFAULTS["portal_welcome_dialog"]
    delete_ui: str = DEFAULTS["portal_delete_ui"]


def _usable(sandbox: Sandbox, name: str) -> Any:
    value = sandbox.option(name)
    return value if value is not None and OPTION_CHECKS[name](value) is None else DEFAULTS[name]


def current(sandbox: Sandbox) -> Variants:
    return Variants(frames=_usable(sandbox, "portal_frames"), essentials=_usable(sandbox, "portal_essentials"),
                    dropdowns=_usable(sandbox, "portal_dropdowns"), grids=_usable(sandbox, "portal_grids"),
                    welcome_dialog=_usable(sandbox, "portal_welcome_dialog"),
                    delete_ui=_usable(sandbox, "portal_delete_ui"))

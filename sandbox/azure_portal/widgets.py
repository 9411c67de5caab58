"""Reusable WAI-ARIA widgets the portal pages are built from (the portal's own patterns, plain HTML)."""

from __future__ import annotations

from html import escape


def e(value: object) -> str:
    return escape(str(value), quote=True)


COPY_ICON = ('<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M4 2h7v2H5v8H3V3a1 1 0 0 '
             '1 1-1zm3 4h6a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z" fill="currentColor"/></svg>')
TRASH_ICON = ('<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M6 2h4v1h4v2H2V3h4zm-3 '
              '4h10l-1 9H4z" fill="currentColor"/></svg>')


def copy_button(value: str) -> str:
    """The portal's copy button: named "Copy to clipboard"; page objects read the text next to it instead."""
    return (f'<button type="button" class="fxs-copy-button" aria-label="Copy to clipboard" title="Copy to clipboard" '
            f'data-copy="{e(value)}">{COPY_ICON}</button>')


def combobox(ident: str, label: str, name: str, options: list[tuple[str, str]], selected: str = "",
             placeholder: str = "", label_visible: bool = True) -> str:
    """Select-only combobox (button role=combobox + listbox), posting its value through a hidden input."""
    current = next((text for value, text in options if value == selected), placeholder)
    label_html = (f'<label id="{ident}-label" class="fxc-label" for="{ident}">{e(label)}</label>' if label_visible
                  else f'<span id="{ident}-label" hidden>{e(label)}</span>')
    items = "".join(f'<li role="option" id="{ident}-opt-{i}" data-value="{e(value)}" '
                    f'aria-selected="{"true" if value == selected else "false"}">{e(text)}</li>'
                    for i, (value, text) in enumerate(options))
    return (f'<div class="fxc-dropdown">{label_html}'
            f'<button type="button" id="{ident}" role="combobox" aria-haspopup="listbox" aria-expanded="false" '
            f'aria-controls="{ident}-list" aria-labelledby="{ident}-label" class="fxc-dropdown-button">'
            f'<span class="fxc-dropdown-value">{e(current)}</span><span aria-hidden="true">&#x2304;</span></button>'
            f'<ul role="listbox" id="{ident}-list" aria-labelledby="{ident}-label" class="fxc-dropdown-list" hidden>'
            f'{items}</ul><input type="hidden" name="{e(name)}" value="{e(selected)}"></div>')


def command_bar(buttons: str, label: str = "Command bar") -> str:
    return f'<div role="toolbar" aria-label="{e(label)}" class="fxs-commandBar">{buttons}</div>'


def command(text: str, *, icon: str = "", disabled: bool = False, attrs: str = "") -> str:
    glyph = f'<span class="fxs-commandBar-icon" aria-hidden="true">{icon}</span>' if icon else ""
    return (f'<button type="button" class="fxs-commandBar-item"{" disabled" if disabled else ""} {attrs}>'
            f'{glyph}{e(text)}</button>')


def alert(messages: list[str]) -> str:
    if not messages:
        return ""
    return "".join(f'<div role="alert" class="fxc-validation-error">{e(m)}</div>' for m in messages)


def dialog(ident: str, title: str, body: str, buttons: str, *, pane: bool = False) -> str:
    """A modal dialog (confirmation) or a context pane (`pane=True`), opened by script."""
    kind = "fxs-contextpane" if pane else "fxs-dialog"
    return (f'<div class="fxs-dialog-backdrop" id="{ident}-backdrop" hidden>'
            f'<section role="dialog" aria-modal="true" aria-labelledby="{ident}-title" id="{ident}" class="{kind}">'
            f'<h2 id="{ident}-title" class="fxs-dialog-title">{e(title)}</h2>'
            f'<button type="button" class="fxs-dialog-close" aria-label="Close" data-close="{ident}">&#x2715;'
            f'</button><div class="fxs-dialog-body">{body}</div>'
            f'<div class="fxs-dialog-buttons">{buttons}</div></section></div>')


def tabs(ident: str, label: str, panels: list[tuple[str, str]], selected: int = 0) -> str:
    """Tabs pattern: tablist + tabpanels, switched by script."""
    tab_html = "".join(
        f'<button type="button" role="tab" id="{ident}-tab-{i}" aria-controls="{ident}-panel-{i}" '
        f'aria-selected="{"true" if i == selected else "false"}" tabindex="{0 if i == selected else -1}">'
        f'{e(name)}</button>' for i, (name, _) in enumerate(panels))
    panel_html = "".join(
        f'<div role="tabpanel" id="{ident}-panel-{i}" aria-labelledby="{ident}-tab-{i}"'
        f'{"" if i == selected else " hidden"}>{body}</div>' for i, (_, body) in enumerate(panels))
    return f'<div role="tablist" aria-label="{e(label)}" class="fxc-tabs">{tab_html}</div>{panel_html}'

"""Whether a page can look different since it was last looked at, without taking a screenshot to find out.

A watcher in every document of the page (every frame, every later navigation) counts what can change the
picture: DOM changes still there at the next look, and the events that repaint without one (any input, typing into
a field, ticking a box, focus, scrolling, the pointer over an element, an image or a font loading, selection).
A step whose page shows the same count as at the last screenshot shows the same picture, so its screenshot can be
reused (a read-only Then step): a screenshot costs ~40 ms of the browser's CPU, the look ~2 ms.

The safe direction is built in: a page or frame the watcher cannot answer for (just opened, detached, a new
document) counts as changed, and so does every mutation the watcher does not recognise. Playwright's own
screenshot preparations (the style that hides the caret and stops animations, the mask overlays) are left out,
or every screenshot would count as a change. What the watcher cannot see is a repaint with no DOM change and no
event: a canvas or video redrawn by a timer. The twins have none; SCREENSHOT_REUSE=false shoots every step anew
where a real page does.
"""

from __future__ import annotations

import weakref

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

# Idempotent: the init script and the first look may both run it in one document. Mutations are kept until the
# next look and count only if they still differ then: Playwright's screenshot sets a style and removes it again,
# adds its mask overlay and takes it away; what is back as it was is no change.
WATCH_JS = """(() => {
  if (window.__bcoauthChanges) return;
  const added = new Set(), removed = new Set(), attributes = new Map(), texts = new Map();
  const state = window.__bcoauthChanges = {id: Math.random().toString(36).slice(2), count: 0};
  const overlay = (node) => node.nodeType === 1 && node.localName.startsWith("x-pw-");
  // An emptied style or class attribute (Playwright restores inline styles that way) looks like none at all.
  const same = (name, now, old) => now === old || ((name === "style" || name === "class") && !now && !old);
  const take = (records) => {
    for (const r of records) {
      if (r.type === "attributes") {
        if (!attributes.has(r.target)) attributes.set(r.target, new Map());
        const names = attributes.get(r.target);
        if (!names.has(r.attributeName)) names.set(r.attributeName, r.oldValue);
      } else if (r.type === "characterData") {
        if (!texts.has(r.target)) texts.set(r.target, r.oldValue);
      } else {
        for (const n of r.addedNodes) if (!overlay(n)) { if (removed.has(n)) state.count++; else added.add(n); }
        for (const n of r.removedNodes) if (!overlay(n)) { if (added.has(n)) added.delete(n); else removed.add(n); }
      }
    }
  };
  const observer = new MutationObserver(take);
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true,
                              attributeOldValue: true, characterDataOldValue: true});
  state.settle = () => {
    take(observer.takeRecords());
    let changed = added.size > 0 || removed.size > 0;
    for (const [node, names] of attributes)
      for (const [name, old] of names) if (!same(name, node.getAttribute(name), old)) changed = true;
    for (const [node, old] of texts) if (node.data !== old) changed = true;
    added.clear(); removed.clear(); attributes.clear(); texts.clear();
    if (changed) state.count++;
    return state.id + ":" + state.count + ":" + [scrollX, scrollY, innerWidth, innerHeight].join(",");
  };
  const bump = (event) => { if (!overlay(event.target)) state.count++; };
  // Every input counts (a scroll it causes is reported a frame later), and the events that repaint without a
  // mutation: typed values, ticked boxes, focus, the pointer over an element, loads, open/close, selection.
  for (const type of ["keydown", "keyup", "pointerdown", "pointerup", "pointermove", "click", "wheel", "input",
                      "change", "focusin", "focusout", "scroll", "pointerover", "pointerout", "load", "error",
                      "toggle", "selectionchange", "resize"]) {
    document.addEventListener(type, bump, true);
    window.addEventListener(type, bump, true);
  }
  if (document.fonts) document.fonts.addEventListener("loadingdone", () => { state.count++; });
})()"""
LOOK_JS = "() => window.__bcoauthChanges ? window.__bcoauthChanges.settle() : null"

_watched: weakref.WeakSet[Page] = weakref.WeakSet()


def look(page: Page) -> str | None:
    """A mark that stays the same while nothing on the page changes; None when that cannot be told (the first
    look at this page, which starts watching it; a closed page; a frame that did not answer or is new)."""
    if page.is_closed():
        return None
    if page not in _watched:
        _watch(page)
        return None
    marks = []
    try:
        for frame in page.frames:
            mark = frame.evaluate(LOOK_JS)
            if mark is None:
                return None
            marks.append(mark)
    except PlaywrightError:  # navigating or detached right now: changing, by definition
        return None
    return "|".join(marks)


def _watch(page: Page) -> None:
    try:
        page.add_init_script(WATCH_JS)  # every later document of the page, frames included
        for frame in page.frames:
            frame.evaluate(WATCH_JS)
    except PlaywrightError:
        return  # tried again at the next look
    _watched.add(page)

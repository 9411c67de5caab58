"""`harness.page_changes` tells a page that looks as it did from one that may not, without a screenshot: what
lets a read-only step reuse the previous step's picture (SCREENSHOT_REUSE). A change it missed would put a stale
picture in the manual, so every kind of change is tried here; so is a masked screenshot, which must not count."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from harness import evidence, page_changes
from harness.reporting import step_evidence

pytestmark = [pytest.mark.ui, pytest.mark.xdist_group("page-changes")]  # one shared page: one worker

APP = "https://app.example.test/"
PAGE = """<!doctype html><html><head><style>
  @keyframes spin { to { transform: rotate(360deg) } }
  .spinner { animation: spin 1s infinite; width: 20px; height: 20px; background: #0078d4 }
  .on { outline: 3px solid red }
</style></head><body>
  <div class="spinner"></div>
  <label>Client secret <input id="secret" value="kept-out-of-the-picture"></label>
  <label>Name <input id="name"></label>
  <label><input type="checkbox" id="tick"> Enabled</label>
  <button id="press" onclick="">Press</button>
  <p id="status">Ready</p>
  <iframe src="/frame" title="inner" style="height: 60px"></iframe>
  <div style="height: 3000px">tall</div>
</body></html>"""
FRAME = "<!doctype html><p id=inner>inside</p>"


def settled(page: Page) -> str | None:
    """The page's mark once events queued for later (scroll restoration, selectionchange) have fired: a look
    right after a load may be followed by such an event (the safe direction: a fresh picture)."""
    mark = page_changes.look(page)
    for _ in range(20):
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
        mark, previous = page_changes.look(page), mark
        if mark == previous:
            return mark
    raise AssertionError("the test page never stopped changing")


@pytest.fixture(scope="module")
def watched_page(browser: Browser) -> Iterator[Page]:
    """One page for the module (a context each would cost ~1 s a test here); each test loads a new document."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()

    def serve(route: Route) -> None:
        body = FRAME if route.request.url.endswith("/frame") else PAGE
        route.fulfill(body=body, content_type="text/html")

    page.route(f"{APP}**", serve)
    page.goto(APP)
    evidence.mask(page, page.get_by_label("Client secret"))
    assert page_changes.look(page) is None  # the first look only starts watching
    yield page
    context.close()


@pytest.fixture
def watched(watched_page: Page) -> Page:
    watched_page.goto(APP)  # a new document, watched from its start (the init script)
    assert settled(watched_page) is not None
    return watched_page


def test_a_page_left_alone_looks_the_same_even_after_masked_screenshots(watched: Page) -> None:
    before = page_changes.look(watched)
    assert before is not None
    watched.get_by_text("Ready").inner_text()  # reading changes nothing
    assert evidence.screenshot(watched) is not None  # mask overlay, caret style, stopped animations: all undone
    assert evidence.screenshot(watched) is not None
    assert page_changes.look(watched) == before


def _scroll_by_wheel(page: Page) -> None:
    start = page.evaluate("scrollY")
    page.mouse.wheel(0, 400)
    page.wait_for_function(f"scrollY > {start}")  # the wheel does not wait for the scroll; a step waits for its end


# In this order on one page, each a change of its own (the pointer moves to another element, and so on).
CHANGES: dict[str, Callable[[Page], None]] = {
    "text typed": lambda p: p.get_by_label("Name").fill("Contoso"),
    "box ticked": lambda p: p.get_by_label("Enabled").check(),
    "button clicked (no DOM change)": lambda p: p.get_by_role("button", name="Press").click(),
    "pointer over another element": lambda p: p.get_by_text("Ready").hover(),
    "focus moved by keyboard": lambda p: p.keyboard.press("Shift+Tab"),
    "scrolled by the wheel": _scroll_by_wheel,
    "scrolled by a script": lambda p: p.evaluate("window.scrollTo(0, 0)"),
    "text changed by a script": lambda p: p.evaluate("document.getElementById('status').textContent = 'Saved'"),
    "class added by a script": lambda p: p.evaluate("document.getElementById('status').classList.add('on')"),
    "element added by a script": lambda p: p.evaluate("document.body.append(document.createElement('hr'))"),
    "change inside a frame": lambda p: p.frame_locator("iframe").locator("#inner").evaluate(
        "node => { node.textContent = 'changed' }"),
}
NAVIGATIONS: dict[str, Callable[[Page], None]] = {
    "page reloaded": lambda p: p.reload(),
    "another page opened": lambda p: p.goto(f"{APP}other"),
}


def test_every_kind_of_change_is_seen(watched: Page) -> None:
    """One page for all, one change after the other (a context each would cost ~0.8 s a kind)."""
    missed = []
    for name, change in CHANGES.items():
        before = settled(watched)
        change(watched)
        if page_changes.look(watched) == before:  # seen at once, without waiting for anything
            missed.append(name)
    assert missed == []


def test_a_new_document_is_a_change(watched: Page) -> None:
    for name, navigate in NAVIGATIONS.items():
        before = page_changes.look(watched)
        navigate(watched)
        assert page_changes.look(watched) not in (before, None), name  # watched from its start (init script)


def test_a_change_undone_before_the_next_look_is_none_but_new_text_is(watched: Page) -> None:
    """Undone (as Playwright's screenshot undoes its own): an attribute set and restored, an element added and
    removed. The safe direction: a new text node is a change even when it reads the same (a fresh picture)."""
    before = page_changes.look(watched)
    watched.evaluate("""() => new Promise((done) => {
      const status = document.getElementById('status');
      status.classList.add('on'); status.style.color = 'red';
      const extra = document.body.appendChild(document.createElement('div'));
      setTimeout(() => { status.classList.remove('on'); status.removeAttribute('style'); extra.remove(); done(); });
    })""")
    assert page_changes.look(watched) == before
    watched.evaluate("document.getElementById('status').textContent = 'Ready'")
    assert page_changes.look(watched) != before


def test_step_screenshots_are_reused_only_while_nothing_changed(watched: Page) -> None:
    step_evidence._last_shots.pop(watched, None)
    first, name = step_evidence._screenshot(watched, "Screenshot", reuse=True)
    assert first is not None and name == "Screenshot"
    again, name = step_evidence._screenshot(watched, "Screenshot", reuse=True)
    assert again is first and name == "Screenshot" + step_evidence.UNCHANGED
    fresh, name = step_evidence._screenshot(watched, "Screenshot", reuse=False)  # SCREENSHOT_REUSE=false
    assert fresh is not first and name == "Screenshot"
    evidence.mask(watched, watched.get_by_label("Name"))  # a field masked late: the picture must show the mask
    masked, name = step_evidence._screenshot(watched, "Screenshot", reuse=True)
    assert masked is not first and name == "Screenshot"
    watched.get_by_label("Name").fill("Contoso")
    changed, name = step_evidence._screenshot(watched, "Screenshot", reuse=True)
    old_picture = changed == first
    assert changed is not None and not old_picture and name == "Screenshot"


def test_a_closed_page_cannot_be_told(watched: Page) -> None:
    other = watched.context.new_page()
    other.close()
    assert page_changes.look(other) is None

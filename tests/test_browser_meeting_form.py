"""The meeting page as a keyboard user meets it."""

import pytest

pytestmark = pytest.mark.browser

# Scrolling is smooth: measure once the page has come to rest.
SETTLED = """() => new Promise(resolve => {
  let last = -1, still = 0;
  const check = () => {
    if (window.scrollY === last && ++still > 3) return resolve();
    if (window.scrollY !== last) still = 0;
    last = window.scrollY;
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})"""
HIDDEN_BY_THE_BAR = """() => {
  const bar = document.querySelector('.meeting-form .form-actions').getBoundingClientRect();
  const el = document.activeElement;
  if (!el || el.closest('.form-actions')) return null;
  const box = el.getBoundingClientRect();
  return box.bottom > bar.top + 1 ? (el.id || el.getAttribute('aria-label') || el.textContent.trim()) : null;
}"""


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_sticky_save_bar_never_hides_the_focused_control(signed_in_page, live_server, width, height):
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/meetings/new/")
    page.locator("#id_title").focus()
    covered = []
    for _ in range(120):
        page.keyboard.press("Tab")
        page.evaluate(SETTLED)
        hidden = page.evaluate(HIDDEN_BY_THE_BAR)
        if hidden:
            covered.append(hidden)
        if page.evaluate("document.activeElement.closest('.form-actions') !== null"):
            break
    assert covered == [], f"the Save bar covers these controls when they have focus: {covered}"

"""The "Add new" dialogs of the meeting page, used quickly one after another.

A person who adds two new attendees in a row opens the second dialog while the first is
still fading out. On a loaded machine the fade takes longer; the route below makes it
slow on purpose, so the race a person could hit by chance happens every time.
"""

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Person

pytestmark = pytest.mark.browser

SLOW_FADE = "\n{selector} {{ transition-duration: 1.2s !important; }}\n"


def slow_fades(page: Page, selector: str) -> None:
    """Serve the app's stylesheet with a slow fade-out for ``selector``, as on a loaded machine."""

    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + SLOW_FADE.format(selector=selector))

    page.route("**/css/app*.css", handle)


def open_person_dialog(page: Page, index: int, name: str):
    control = page.locator(f"#id_attendees-{index}-person-ts-control")
    control.scroll_into_view_if_needed()
    control.click()
    control.press_sequentially(name, delay=10)
    create = page.locator(f"#id_attendees-{index}-person-ts-dropdown .create")
    create.wait_for(state="visible")
    create.click()
    dialog = page.locator("#quick-person")
    expect(dialog).to_be_visible()
    # Open and ready, not an earlier dialog still fading: the name typed is in focus.
    expect(dialog.get_by_label("Name")).to_be_focused()
    expect(dialog.get_by_label("Name")).to_have_value(name)
    return dialog


def chosen_person(page: Page, index: int):
    return page.locator(f"#id_attendees-{index}-person-ts-control").locator("..").locator(".item")


@pytest.mark.parametrize("fading", [".modal.fade", ".modal-backdrop.fade"])
def test_a_person_adds_two_new_people_one_straight_after_the_other(signed_in_page, live_server, fading):
    page = signed_in_page
    slow_fades(page, fading)
    page.goto(f"{live_server.url}/meetings/new/")

    first = open_person_dialog(page, 0, "Ada Quickfirst")
    first.get_by_role("button", name="Add person").click()
    # Straight on to the next attendee, while the first dialog is still going away.
    second = open_person_dialog(page, 1, "Bea Quicksecond")
    second.get_by_role("button", name="Add person").click()

    expect(second).to_be_hidden()
    expect(chosen_person(page, 0)).to_have_text("Ada Quickfirst")
    expect(chosen_person(page, 1)).to_have_text("Bea Quicksecond")
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Ada Quickfirst", "Bea Quicksecond"]
    # The page is usable again: no backdrop left behind, the page scrolls.
    expect(page.locator(".modal-backdrop")).to_have_count(0)
    expect(page.locator("body")).not_to_have_class("modal-open")


def test_focus_returns_to_the_box_that_opened_the_dialog(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/meetings/new/")

    dialog = open_person_dialog(page, 0, "Cyd Escapes")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_attendees-0-person-ts-control")).to_be_focused()
    expect(chosen_person(page, 0)).to_have_count(0)  # nothing was added

    dialog = open_person_dialog(page, 1, "Dee Submits")
    dialog.get_by_role("button", name="Add person").click()
    expect(dialog).to_be_hidden()
    expect(chosen_person(page, 1)).to_have_text("Dee Submits")
    expect(page.locator("#id_attendees-1-person-ts-control")).to_be_focused()
    assert page.evaluate("window.scrollY") > 0  # not thrown back to the top of the page

"""What a list says about itself in a real browser: the sorted column, the filters in force
as removable chips (by keyboard alone), and the type-ahead boxes' hints."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.conftest import serious_accessibility_violations

pytestmark = pytest.mark.browser


def test_the_sorted_column_shows_an_arrow_and_aria_sort(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/")
    date = page.locator("#list-results th", has_text="Date")
    expect(date).to_have_attribute("aria-sort", "descending")  # newest first by default
    expect(date.locator(".bi-arrow-down")).to_be_visible()
    assert page.locator("#list-results th[aria-sort]").count() == 1

    date.get_by_role("link").click()
    expect(page.locator("#list-results th", has_text="Date")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#list-results th", has_text="Date").locator(".bi-arrow-up")).to_be_visible()

    page.locator("#list-results th", has_text="Title").get_by_role("link").click()
    title = page.locator("#list-results th", has_text="Title")
    expect(title).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#list-results th", has_text="Date")).not_to_have_attribute("aria-sort", "ascending")
    assert serious_accessibility_violations(page) == []


def test_filters_in_force_are_chips_a_person_removes_by_keyboard(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/?country=GB&status=held&status=planned&q=BATUK")
    chips = page.locator("#filter-chips")
    expect(chips).to_contain_text("Country: United Kingdom")
    expect(chips).to_contain_text("Status: Held")
    expect(chips).to_contain_text("Status: Planned")
    expect(chips).to_contain_text("Search: BATUK")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="test-results/list-chips.png", full_page=True)
    assert serious_accessibility_violations(page) == []

    # Keyboard only: Tab along to the "Held" chip and press Enter.
    held = chips.get_by_role("link", name="Status: Held (remove this filter)")
    page.locator("#result-count").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if held.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(chips).not_to_contain_text("Held")
    expect(chips).to_contain_text("Status: Planned")
    # The side panel agrees with the list, and the address is the new filter.
    expect(page.get_by_label("Held")).not_to_be_checked()
    expect(page.get_by_label("Planned")).to_be_checked()
    assert "status=held" not in page.url and "status=planned" in page.url
    # Focus stays among the chips, not thrown to the top of the page.
    assert page.evaluate("document.activeElement.closest('#filter-chips, #result-count') !== null")

    page.keyboard.press("Tab")
    chips.get_by_role("link", name="Clear all").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filter-chips")).to_have_count(0)
    expect(page.get_by_label("Country")).to_have_value("")
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.locator("#result-count")).to_have_text(f"{Meeting.objects.count()} meetings")


def test_record_filters_show_their_hint_and_their_choice_as_a_chip(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/")
    for box in ("organization", "person", "topic"):
        control = page.locator(f"#id_{box}-ts-control")
        expect(control).to_have_attribute("placeholder", "Type to search")
        expect(control).to_be_visible()
    page.locator("#id_topic-ts-control").fill("Counter")
    page.locator("#id_topic-ts-dropdown .option", has_text="Counter-terrorism").first.click()
    expect(page.locator("#filter-chips")).to_contain_text("Topic (with subtopics): Counter-terrorism")
    page.locator("#filter-chips").get_by_role("link", name="Topic").click()
    expect(page.locator("#filter-chips")).to_have_count(0)
    expect(page.locator("#id_topic-ts-control")).to_have_attribute("placeholder", "Type to search")
    assert "topic=" not in page.url


def test_an_open_type_ahead_is_accessible_with_and_without_a_match(demo_page, live_server):
    page = demo_page
    meeting = Meeting.objects.get(title="Kenya–UK defence talks")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}edit/")
    page.get_by_role("button", name="Add attendee").click()
    box = page.locator("[id$='-person-ts-control']").last
    box_id = box.get_attribute("id").removesuffix("-ts-control")
    dropdown = page.locator(f"#{box_id}-ts-dropdown")

    box.press_sequentially("Zzyzx Quorble", delay=10)
    create = dropdown.locator(".create")
    expect(create).to_be_visible()
    expect(create).to_have_attribute("role", "option")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="test-results/type-ahead-no-match.png")
    assert serious_accessibility_violations(page) == []

    box.fill("")
    box.press_sequentially("Lloyd J. Austin III", delay=10)
    option = dropdown.locator(".option", has_text="Lloyd J. Austin III").first
    expect(option).to_be_visible()
    expect(option).not_to_contain_text("close match")
    page.screenshot(path="test-results/type-ahead-match.png")
    assert serious_accessibility_violations(page) == []

    box.fill("")
    box.press_sequentially("Lloyd Austin", delay=10)  # no middle initial: may be him, or another
    expect(dropdown.locator(".option", has_text="Lloyd J. Austin III").first).to_contain_text("close match")


def test_the_tracker_lists_open_actions_first_and_shows_closed_ones_when_asked(demo_page, live_server):
    page = demo_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/actions/")
    chips = page.locator("#filter-chips")
    expect(chips).to_contain_text("Status: open only; done, cancelled and carried-over actions are hidden")
    statuses = page.locator("#list-results tbody td[data-label='Status'] .badge:first-child")
    assert "Done" not in statuses.all_inner_texts()
    due = page.locator("#list-results tbody td[data-label='Due']").all_inner_texts()
    dated = [d for d in due if d != "—"]
    assert due[: len(dated)] == dated  # dated ones first, undated last
    expect(page.locator("#list-results th", has_text="Due")).to_have_attribute("aria-sort", "ascending")
    page.screenshot(path="test-results/actions-default.png", full_page=True)

    show_all = chips.get_by_role("link", name="Show all")
    page.locator("#result-count").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if show_all.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("#filter-chips")).not_to_contain_text("open only")
    expect(page.get_by_label("Done", exact=True)).to_be_checked()
    texts = statuses.all_inner_texts()
    assert "Done" in texts
    closed = {"Done", "Cancelled", "Carried over"}
    first_closed = next(i for i, text in enumerate(texts) if text in closed)
    assert all(text in closed for text in texts[first_closed:])  # open ones first
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="test-results/actions-all-phone.png", full_page=True)
    assert serious_accessibility_violations(page) == []

"""The meeting list in a real browser: narrow it to the reference meeting, choose columns, export."""

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import serious_accessibility_violations

pytestmark = pytest.mark.browser


def results(page):
    return page.locator("#list-results")


def go_back(page):
    """Back one step and wait for the page htmx reloads for that entry (its history cache is off)."""
    page.evaluate("window.beforeBack = true")
    try:
        page.go_back(wait_until="commit")
    except PlaywrightError as error:  # the reload can abort the same-document step it follows
        if "ERR_ABORTED" not in str(error):
            raise
    page.wait_for_function("() => window.beforeBack === undefined")
    page.wait_for_load_state()


def test_a_person_narrows_the_list_to_the_reference_meeting(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/")
    assert results(page).locator("tbody tr").count() == 25

    page.get_by_label("Country").select_option("GB")
    page.wait_for_url("**country=GB**")

    page.locator("#id_topic-ts-control").fill("Counter")
    page.locator(".ts-dropdown .option", has_text="Counter-terrorism").first.click()
    page.wait_for_url("**topic=**")

    page.get_by_label("Search").fill("BATUK")
    page.wait_for_url("**q=BATUK**")
    page.get_by_text("3 meetings match the filters").wait_for()
    page.get_by_label("from", exact=True).fill("2024-01-01")
    page.get_by_label("to", exact=True).fill("2024-12-31")
    page.get_by_label("to", exact=True).dispatch_event("change")
    page.get_by_text("1 meetings match the filters").wait_for()

    rows = results(page).locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.get_by_role("link", name="Kenya–UK defence talks").is_visible()
    query = parse_qs(urlparse(page.url).query)
    assert query["country"] == ["GB"] and query["q"] == ["BATUK"] and query["topic"]
    page.screenshot(path="test-results/meeting-list-filtered.png", full_page=True)

    # The filtered view is a link: opening it afresh shows the same single meeting.
    page.goto(page.url)
    assert results(page).locator("tbody tr").count() == 1
    # Back returns to the wider list.
    for _ in range(4):
        go_back(page)
        if "date_after=2024" not in page.url:
            break
    assert "date_after" not in page.url and "q=BATUK" in page.url
    page.get_by_text("3 meetings match the filters").wait_for()
    assert serious_accessibility_violations(page) == []


def test_a_person_chooses_columns_and_they_are_remembered(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/")
    header = results(page).locator("thead")
    assert "Series" not in header.inner_text()

    page.get_by_role("button", name="Columns").click()
    page.get_by_label("Series").check()
    header.get_by_text("Series").wait_for()
    page.get_by_label("Topics", exact=True).uncheck()
    page.wait_for_function(
        "() => !document.querySelector('#list-results thead').innerText.includes('Topics')"
    )

    page.reload()
    assert "Series" in results(page).locator("thead").inner_text()
    assert "Topics" not in results(page).locator("thead").inner_text()


def test_a_person_exports_the_filtered_view(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}/meetings/?country=SO&sort=start_date")
    expected = results(page).locator("tbody tr td:first-child").all_inner_texts()
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][0] == "Title"
    assert [row[0] for row in rows[1:]][: len(expected)] == expected
    assert all(
        "Somalia" in row[rows[0].index("Countries")] or "Somalia" in row[rows[0].index("Place")]
        for row in rows[1:]
    )


@pytest.mark.parametrize("path", ["/meetings/", "/actions/", "/people/", "/organizations/", "/topics/"])
def test_every_list_is_accessible_and_looked_at(demo_page, live_server, path):
    page = demo_page
    page.goto(f"{live_server.url}{path}")
    page.locator("#list-results").wait_for()
    name = path.strip("/") or "dashboard"
    page.screenshot(path=f"test-results/list-{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"test-results/list-{name}-phone.png", full_page=True)
    assert serious_accessibility_violations(page) == []

"""An editor imports meetings through /import/: upload, read the dry run, confirm, find them."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Meeting
from tests.factories import TopicFactory
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.browser

RESULTS = Path(os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parent.parent / "test-results"))
CSV = (
    "Title,Date,Kind,Host,Attendees,Topic notes,Actions\n"
    'Kenya–UK defence talks,2024-02-26,Bilateral,Kenya,"Aden Duale | Cabinet Secretary | | Kenya | Host\n'
    'James Heapey | Minister | | GB | Head of delegation",Training | BATUK,Share intelligence | 2024-06-30\n'
    "Somalia–UK call,2024-03-05,Call,,,,\n"
)


def test_an_editor_uploads_checks_and_imports_meetings(signed_in_page: Page, live_server, tmp_path):
    TopicFactory(name="Training")
    page, base = signed_in_page, live_server.url
    file = tmp_path / "meetings.csv"
    file.write_text(CSV, encoding="utf-8")
    page.goto(f"{base}/meetings/")
    page.get_by_role("link", name="Import").click()
    page.locator("#id_file").set_input_files(str(file))
    page.get_by_role("button", name="Check the file (dry run)").click()
    # The dry run waits for the worker, and the page says how far it is.
    expect(page.locator("#import-progress-text")).to_contain_text("0 of 2 rows checked")
    RESULTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(RESULTS / f"import-progress-{width}.png"), full_page=True)
    run_queued_tasks()
    expect(page.locator("#import-summary")).to_contain_text("create 2")
    expect(page.locator("#import-outcomes")).to_contain_text("new person: Aden Duale")
    page.screenshot(path=str(RESULTS / "import-dry-run.png"), full_page=True)
    assert not Meeting.objects.exists()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator("#import-progress-text")).to_contain_text("rows imported")
    run_queued_tasks()
    page.wait_for_url(f"{base}/meetings/")
    expect(page.get_by_role("alert")).to_contain_text("2 created")
    expect(page.get_by_role("link", name="Kenya–UK defence talks")).to_be_visible()
    expect(page.get_by_role("link", name="Somalia–UK call")).to_be_visible()
    assert Meeting.objects.get(title="Kenya–UK defence talks").attendances.count() == 2

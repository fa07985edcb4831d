"""An editor imports meetings through /import/: upload, read the dry run, confirm, find them."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Meeting
from tests.factories import TopicFactory

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
    expect(page.locator("#import-summary")).to_contain_text("create 2")
    expect(page.locator("#import-outcomes")).to_contain_text("new person: Aden Duale")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "import-dry-run.png"), full_page=True)
    assert not Meeting.objects.exists()
    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_url(f"{base}/meetings/")
    expect(page.get_by_role("alert")).to_contain_text("2 created")
    expect(page.get_by_role("link", name="Kenya–UK defence talks")).to_be_visible()
    expect(page.get_by_role("link", name="Somalia–UK call")).to_be_visible()
    assert Meeting.objects.get(title="Kenya–UK defence talks").attendances.count() == 2

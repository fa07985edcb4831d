"""The security officer's answer to "who read this meeting", in a real browser."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from meetings.audit.models import Event
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.browser


def test_the_officer_finds_who_read_a_meeting_from_its_page(page, live_server):
    meeting = MeetingFactory(title="Kenya–UK defence talks", classification=RESTRICTED)
    for n, name in enumerate(("a.wanjiru", "j.smith", "p.otieno")):
        reader = Client()
        reader.force_login(UserFactory(username=name, clearance=SECRET))
        reader.get(meeting.get_absolute_url(), REMOTE_ADDR=f"10.20.0.{n + 10}")
        if name == "j.smith":
            reader.get(f"/meetings/{meeting.pk}/brief.pdf", REMOTE_ADDR="10.20.0.11")
    Event.objects.filter(username="a.wanjiru").update(at=timezone.now() - datetime.timedelta(days=3))
    UserFactory(username="officer", role="administrator", clearance=CONFIDENTIAL, is_staff=True)

    page.goto(f"{live_server.url}/accounts/login/?next=/meetings/{meeting.pk}/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")

    readers = page.get_by_role("region", name="Who read it")
    readers.scroll_into_view_if_needed()
    readers.get_by_role("cell", name="p.otieno").wait_for()
    readers.get_by_role("link", name="All reads of this meeting").click()

    page.get_by_role("heading", name="Who read “Kenya–UK defence talks”").wait_for()
    rows = page.locator("#list-results tbody tr")
    assert rows.count() == 5  # three page views, one brief PDF, and the officer's own view
    assert page.get_by_role("cell", name="Brief PDF").count() == 1
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"test-results/who-read-meeting-{width}.png", full_page=True)

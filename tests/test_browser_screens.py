"""Every screen in a real browser over the demo data: no serious accessibility violation,
nothing blocked by the Content-Security-Policy, nothing loaded from another host, and a
screenshot of each at desktop and phone width for people to look at."""

from urllib.parse import urlparse

import pytest

from meetings.models import Meeting, Organization, Person, Topic
from tests.conftest import serious_accessibility_violations

pytestmark = pytest.mark.browser


def screens() -> dict[str, str]:
    reference = Meeting.objects.get(title="Kenya–UK defence talks")
    return {
        "dashboard": "/",
        "meeting": reference.get_absolute_url(),
        "meeting-edit": f"{reference.get_absolute_url()}edit/",
        "person": Person.objects.get(name="James Heapey").get_absolute_url(),
        "organization": Organization.objects.get(acronym="BATUK").get_absolute_url(),
        "topic": Topic.objects.get(name="Counter-terrorism").get_absolute_url(),
        "country": "/countries/KE/",
        "calendar": "/calendar/",
        "api-token": "/account/api-token/",
        "brief": f"{reference.get_absolute_url()}brief/",
    }


def test_every_screen_is_accessible_self_contained_and_looked_at(demo_page, live_server):
    page = demo_page
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    problems = {}
    for name, path in screens().items():
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.screenshot(path=f"test-results/screen-{name}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"test-results/screen-{name}-phone.png", full_page=True)
        violations = serious_accessibility_violations(page)
        if violations:
            problems[name] = violations
    assert problems == {}
    assert hosts == {urlparse(live_server.url).netloc}


def test_the_meeting_history_loads_when_scrolled_into_view(demo_page, live_server):
    page = demo_page
    page.goto(f"{live_server.url}{screens()['meeting']}")
    page.locator("#history-heading").scroll_into_view_if_needed()
    summary = page.locator("details summary", has_text="latest")
    summary.wait_for()
    summary.click()
    assert page.get_by_text("created").first.is_visible()

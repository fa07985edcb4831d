"""Script put into any text field comes out escaped on every page that shows it."""

import pytest
from django.urls import reverse

from meetings.models import MeetingCountry
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW_MARKERS = ["<script>alert", "<img src=x onerror"]


@pytest.fixture
def hostile_world():
    organization = OrganizationFactory(name=f"Ministry {PAYLOAD}", acronym="<b>M</b>")
    person = PersonFactory(name=f"Official {PAYLOAD}", title=f"Minister {PAYLOAD}", organization=organization)
    topic = TopicFactory(
        name=f"Topic {PAYLOAD}", description=PAYLOAD, parent=TopicFactory(name=f"Root {PAYLOAD}")
    )
    meeting = MeetingFactory(
        title=f"Talks {PAYLOAD}",
        summary=PAYLOAD,
        outcome=PAYLOAD,
        city=f"City {PAYLOAD}",
        venue=PAYLOAD,
        series=MeetingSeriesFactory(name=f"Series {PAYLOAD}"),
    )
    MeetingCountry.objects.create(meeting=meeting, country="KE")
    meeting.organizations.add(organization)
    AttendanceFactory(meeting=meeting, person=person, organization=organization, title=f"Title {PAYLOAD}")
    MeetingTopicFactory(meeting=meeting, topic=topic, note=PAYLOAD)
    action = ActionFactory(
        meeting=meeting, description=f"Action {PAYLOAD}", completion_note=PAYLOAD, responsible_person=person
    )
    ActionPartyFactory(action=action, country="", organization=organization)
    SourceFactory(meeting=meeting, title=f"Source {PAYLOAD}", text=PAYLOAD, url="https://example.org/?q=<x>")
    return {"meeting": meeting, "person": person, "organization": organization, "topic": topic}


def test_every_page_escapes_what_people_typed(editor_client, hostile_world):
    pages = [
        reverse("dashboard"),
        reverse("meeting-list"),
        reverse("meeting-list") + "?q=Talks",
        reverse("action-list"),
        reverse("person-list"),
        reverse("organization-list"),
        reverse("topic-list"),
        hostile_world["meeting"].get_absolute_url(),
        hostile_world["person"].get_absolute_url(),
        hostile_world["organization"].get_absolute_url(),
        hostile_world["topic"].get_absolute_url(),
        reverse("country-detail", args=["KE"]),
        reverse("meeting-update", args=[hostile_world["meeting"].pk]),
        reverse("person-update", args=[hostile_world["person"].pk]),
    ]
    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html, f"{url} shows raw {marker!r}"
        assert "&lt;script&gt;" in html or "&lt;img" in html, f"{url} does not show the escaped text"


def test_type_ahead_answers_are_json_not_html(editor_client, hostile_world):
    response = editor_client.get(reverse("autocomplete", args=["people"]), {"q": "Official"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["text"].startswith("Official <script>")

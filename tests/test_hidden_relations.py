"""Links to records the person may not see survive their edits untouched, on every path."""

import json
import re

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.conftest import RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tests.test_meeting_form import edit_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def side_meeting():
    summit = MeetingFactory(title="NIGHTJAR summit", classification=SECRET)
    return MeetingFactory(title="Talks on the margins", parent=summit, classification=RESTRICTED)


@pytest.fixture
def restricted_editor():
    return UserFactory(role="editor", clearance=RESTRICTED)


def test_saving_the_form_unchanged_keeps_a_hidden_parent(client, restricted_editor, side_meeting):
    client.force_login(restricted_editor)
    data = edit_post(side_meeting, restricted_editor)
    data["summary"] = "Notes added."
    response = client.post(reverse("meeting-update", args=[side_meeting.pk]), data)
    assert response.status_code == 302
    stored = Meeting.objects.get(pk=side_meeting.pk)
    assert stored.summary == "Notes added."
    assert stored.parent_id == side_meeting.parent_id


def test_a_visible_parent_chosen_on_purpose_replaces_it(client, restricted_editor, side_meeting):
    conference = MeetingFactory(title="Open conference", classification=RESTRICTED)
    client.force_login(restricted_editor)
    data = edit_post(side_meeting, restricted_editor) | {"parent": str(conference.pk)}
    assert client.post(reverse("meeting-update", args=[side_meeting.pk]), data).status_code == 302
    assert Meeting.objects.get(pk=side_meeting.pk).parent_id == conference.pk


def test_the_api_changes_the_summary_without_a_word_about_the_hidden_parent(
    client, restricted_editor, side_meeting
):
    client.force_login(restricted_editor)
    url = f"/api/v1/meetings/{side_meeting.pk}/"
    read = client.get(url).json()
    assert read["parent"] is None  # not named, not hinted at
    response = client.patch(
        url,
        json.dumps({"summary": "Patched.", "version": read["version"]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert "parent" not in json.dumps(response.json().get("errors", {}))
    stored = Meeting.objects.get(pk=side_meeting.pk)
    assert (stored.summary, stored.parent_id) == ("Patched.", side_meeting.parent_id)


def test_a_full_replacement_through_the_api_keeps_it_too(client, restricted_editor, side_meeting):
    client.force_login(restricted_editor)
    url = f"/api/v1/meetings/{side_meeting.pk}/"
    read = client.get(url).json()
    body = {k: read[k] for k in ("title", "kind", "status", "start_date", "version")} | {"parent": None}
    body |= {rows: [] for rows in ("attendees", "topics", "actions", "sources")}
    response = client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert Meeting.objects.get(pk=side_meeting.pk).parent_id == side_meeting.parent_id


def test_a_delete_page_says_hidden_side_meetings_exist_without_counting_them(client, restricted_editor):
    summit = MeetingFactory(title="Open summit", classification=RESTRICTED)
    MeetingFactory(title="Open side talks", parent=summit)
    MeetingFactory(title="NIGHTJAR side talks", parent=summit, classification=SECRET)
    MeetingFactory(title="NIGHTJAR more talks", parent=summit, classification=SECRET)
    client.force_login(restricted_editor)
    page = client.get(reverse("meeting-delete", args=[summit.pk])).content.decode()
    assert "Open side talks" in page
    assert "and meetings marked above your clearance" in page
    assert "NIGHTJAR" not in page
    notice = page[page.index('id="side-meetings"') : page.index("</div>", page.index('id="side-meetings"'))]
    assert "<li>and meetings marked above your clearance</li>" in notice
    assert not re.search(r"\b[0-9]+ (meeting|in all)", notice), notice  # nothing counted


def test_a_refused_delete_counts_only_visible_uses(client, restricted_editor):
    person = PersonFactory(name="Aden Duale")
    for classification in (RESTRICTED, RESTRICTED, SECRET):
        AttendanceFactory(person=person, meeting=MeetingFactory(classification=classification))
    organization = OrganizationFactory(name="Hidden ministry")
    MeetingFactory(classification=SECRET).organizations.add(organization)
    client.force_login(restricted_editor)

    response = client.post(reverse("person-delete", args=[person.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "recorded as attending 2 meeting(s); used by records above your clearance" in page
    assert "3 meeting" not in page

    response = client.post(reverse("organization-delete", args=[organization.pk]))
    page = response.content.decode()
    assert "in use: used by records above your clearance" in page
    assert "1 meeting" not in page


def test_an_action_carried_into_a_hidden_meeting_says_so_without_naming_it(client, restricted_editor):
    open_meeting = MeetingFactory(title="Open talks", classification=RESTRICTED)
    hidden = MeetingFactory(title="NIGHTJAR talks", classification=SECRET)
    original = ActionFactory(meeting=open_meeting, description="Deliver kit", status="carried")
    ActionFactory(meeting=hidden, description="Deliver kit", carried_from=original)
    client.force_login(restricted_editor)
    page = client.get(open_meeting.get_absolute_url()).content.decode()
    assert "Carried into" in page
    assert "a later meeting marked above your clearance" in page
    assert "NIGHTJAR" not in page

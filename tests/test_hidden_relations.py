"""Links to records the person may not see survive their edits untouched, on every path."""

import json

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.conftest import RESTRICTED, SECRET
from tests.factories import MeetingFactory, UserFactory
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

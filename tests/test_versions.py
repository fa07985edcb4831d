"""Every write path moves a record's version on, so that a writer holding an older one is
refused: the pages, the quick status update, carrying over, the admin and the API."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings import services
from meetings.models import Action
from tests.factories import ActionFactory, MeetingFactory, MeetingSeriesFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def test_the_person_page_refuses_a_save_from_before_someone_elses(editor_client, editor):
    person = PersonFactory(name="James Heapey", title="Minister for the Armed Forces")
    page = editor_client.get(reverse("person-update", args=[person.pk])).content.decode()
    assert 'name="version" value="1"' in page
    changed = api(editor).patch(
        f"/api/v1/people/{person.pk}/",
        {"version": 1, "title": "Former minister"},
        content_type="application/json",
    )
    assert changed.status_code == 200

    stale = editor_client.post(
        reverse("person-update", args=[person.pk]),
        {"name": "James Heapey", "title": "Minister", "version": 1},
    )

    assert stale.status_code == 409
    assert "Someone else saved this person since you read it" in stale.content.decode()
    person.refresh_from_db()
    assert (person.title, person.version) == ("Former minister", 2)


def test_saving_a_topic_on_its_page_moves_its_version_on(editor_client):
    topic = TopicFactory(name="Maritime security")
    response = editor_client.post(
        reverse("topic-update", args=[topic.pk]),
        {"name": "Maritime security", "description": "Red Sea", "version": 1},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.version == 2


def test_a_quick_status_update_moves_the_actions_version_on(editor_client, editor):
    action = ActionFactory(status="agreed")
    prefix = f"action-{action.pk}"
    editor_client.post(
        reverse("action-update-status", args=[action.pk]),
        {f"{prefix}-status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)
    stale = api(editor).patch(
        f"/api/v1/actions/{action.pk}/", {"version": 1, "status": "blocked"}, content_type="application/json"
    )
    assert stale.status_code == 409


def test_carrying_an_action_over_moves_the_originals_version_on(editor):
    series = MeetingSeriesFactory()
    first = MeetingFactory(series=series, start_date="2024-01-01")
    later = MeetingFactory(series=series, start_date="2025-01-01")
    original = ActionFactory(meeting=first, status="agreed")
    (copy,) = services.actions_carry_over(user=editor, source=first, target=later, actions=[original])
    original.refresh_from_db()
    assert (original.status, original.version, copy.version) == ("carried", 2, 1)


def test_a_meeting_save_moves_the_version_of_the_actions_it_changes_only(editor):
    action = ActionFactory(description="Deliver kit")
    untouched = ActionFactory(meeting=action.meeting, description="Train staff")
    response = api(editor).patch(
        f"/api/v1/meetings/{action.meeting_id}/",
        {
            "version": 1,
            "actions": [
                {"id": action.pk, "status": "done", "completed_on": "2024-05-01"},
                {"id": untouched.pk},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert Action.objects.get(pk=action.pk).version == 2
    assert Action.objects.get(pk=untouched.pk).version == 1


def test_admin_saves_move_versions_on(admin_client_secret):
    person = PersonFactory(name="Aden Duale")
    admin_client_secret.post(
        f"/admin/meetings/person/{person.pk}/change/", {"name": "Aden Duale", "title": "Cabinet Secretary"}
    )
    person.refresh_from_db()
    assert (person.title, person.version) == ("Cabinet Secretary", 2)
    topic = TopicFactory(name="Maritime security")
    admin_client_secret.post(
        f"/admin/meetings/topic/{topic.pk}/change/", {"name": "Maritime security", "description": "Red Sea"}
    )
    topic.refresh_from_db()
    assert (topic.description, topic.version) == ("Red Sea", 2)

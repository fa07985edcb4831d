"""One-click action updates from the tracker: htmx swaps the status cell in place."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action
from tests.factories import ActionFactory, MeetingFactory

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/actions/"}


def status_post(action: Action, **values) -> dict:
    prefix = f"action-{action.pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


@pytest.fixture
def action(db):
    return ActionFactory(description="Enhance cooperation in intelligence sharing", status="agreed")


def test_an_editor_marks_an_action_done_in_place(editor_client, action):
    url = reverse("action-update-status", args=[action.pk])
    response = editor_client.post(
        url, status_post(action, status="done", completed_on="2024-05-02", completion_note="Signed."), **HTMX
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<div class="action-status" id="action-status-{action.pk}">')
    assert "<html" not in fragment  # only the fragment htmx swaps in
    assert ">Done<" in fragment and "2 May 2024" in fragment
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.completion_note) == (
        "done",
        datetime.date(2024, 5, 2),
        "Signed.",
    )


def test_a_status_update_moves_the_meeting_version_on(editor_client, action):
    editor_client.post(
        reverse("action-update-status", args=[action.pk]), status_post(action, status="in_progress"), **HTMX
    )
    action.meeting.refresh_from_db()
    assert action.meeting.version == 2  # a meeting form opened earlier now sees the change


def test_done_without_a_date_is_refused_in_place(editor_client, action):
    response = editor_client.post(
        reverse("action-update-status", args=[action.pk]), status_post(action, status="done"), **HTMX
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "Give the date it was done." in fragment
    assert '<details class="action-update" open>' in fragment
    assert ">Agreed<" in fragment  # the badge shows what is stored, not what was typed
    action.refresh_from_db()
    assert action.status == "agreed"


def test_reopening_an_action_drops_its_completion_date(editor_client):
    done = ActionFactory(status="done", completed_on=datetime.date(2024, 5, 2))
    editor_client.post(
        reverse("action-update-status", args=[done.pk]),
        status_post(done, status="in_progress", completed_on="2024-05-02"),
        **HTMX,
    )
    done.refresh_from_db()
    assert (done.status, done.completed_on) == ("in_progress", None)


@pytest.mark.parametrize("status", ["", "finished", "<script>alert(1)</script>"])
def test_an_unknown_status_is_refused(editor_client, action, status):
    response = editor_client.post(
        reverse("action-update-status", args=[action.pk]), status_post(action, status=status), **HTMX
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    action.refresh_from_db()
    assert action.status == "agreed"


def test_without_htmx_the_person_goes_back_to_the_list_with_a_message(editor_client, action):
    response = editor_client.post(
        reverse("action-update-status", args=[action.pk]),
        {**status_post(action, status="blocked"), "next": "/actions/?status=blocked"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/actions/?status=blocked"
    assert "Updated “Enhance cooperation in intelligence sharing”: blocked." in response.content.decode()


def test_a_next_address_on_another_site_is_ignored(editor_client, action):
    response = editor_client.post(
        reverse("action-update-status", args=[action.pk]),
        {**status_post(action, status="blocked"), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("action-list")


def test_an_action_above_the_clearance_is_not_found(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="editor", clearance=0))
    secret = ActionFactory(meeting=MeetingFactory(classification=3))
    response = client.post(
        reverse("action-update-status", args=[secret.pk]), status_post(secret, status="done")
    )
    assert response.status_code == 404


def test_the_tracker_offers_one_click_updates_to_editors(editor_client, action):
    page = editor_client.get(reverse("action-list")).content.decode()
    assert f'hx-post="{reverse("action-update-status", args=[action.pk])}"' in page
    assert "Mark done" in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_the_tracker_query_count_does_not_grow_with_its_rows(editor_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = MeetingFactory()
    ActionFactory.create_batch(3, meeting=meeting)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(reverse("action-list"))
    ActionFactory.create_batch(12, meeting=meeting)
    with CaptureQueriesContext(connection) as many:
        editor_client.get(reverse("action-list"))
    assert len(many) == len(few)


def test_the_status_include_needs_only_the_action(rf, editor, viewer, action):
    """So the meeting page can show the same one-click update next to each action."""
    from django.template.loader import render_to_string

    for user, shown in ((editor, True), (viewer, False)):
        request = rf.get("/meetings/1/")
        request.user = user
        request.htmx = False
        html = render_to_string("meetings/includes/action_status.html", {"action": action}, request=request)
        assert ">Agreed<" in html
        assert ("Mark done" in html) is shown

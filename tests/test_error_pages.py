"""Error pages keep the site's layout and say in plain words what happened and what to do."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_viewer_refused_an_editors_page_is_told_why_and_what_to_do(viewer_client):
    response = viewer_client.get(reverse("meeting-create"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "Only editors and administrators change records." in page
    assert "can read records but not change them" in page
    assert "ask an administrator" in page
    assert 'aria-label="Main"' in page  # the site's navigation is there


def test_an_editor_refused_an_administrators_page_is_told_it_is_for_administrators(editor_client):
    response = editor_client.get(reverse("audit-list"))
    assert response.status_code == 403
    assert "Only administrators may see this page." in response.content.decode()


def test_an_unknown_address_or_a_hidden_meeting_is_a_404_page_with_the_layout(viewer_client):
    for address in ("/no-such-page/", MeetingFactory(classification=3).get_absolute_url()):
        response = viewer_client.get(address)
        assert response.status_code == 404
        page = response.content.decode()
        assert "There is nothing at this address" in page
        assert "not cleared to see" in page
        assert 'aria-label="Main"' in page


def test_the_500_page_renders_without_any_request_context():
    # Django renders it with an empty context: it must not need the user or the request.
    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page
    assert "marking-banner" in page

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import MeetingFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["dashboard", "admin:index"])
def test_anonymous_users_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_meeting_pages_need_sign_in(client):
    meeting = MeetingFactory()
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_health_check_answers_without_sign_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_sign_in_page_is_open_and_signs_in(client, viewer):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b"Sign in" in page.content
    response = client.post(reverse("login"), {"username": "viewer", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, viewer):
    response = client.post(reverse("login"), {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "editor", "administrator"])
def test_every_role_manages_its_own_api_token(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("api-token")).status_code == 200
    assert client.post(reverse("api-token-issue")).status_code == 302
    assert Token.objects.filter(user=user).exists()
    assert client.post(reverse("api-token-revoke")).status_code == 302
    assert not Token.objects.filter(user=user).exists()

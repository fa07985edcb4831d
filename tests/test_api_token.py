"""A person's own API token: made, shown once, replaced and revoked on their page."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
PAGE = reverse("api-token")
MEETINGS = "/api/v1/meetings/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def create_token(client) -> str:
    """Makes (or replaces) the signed-in person's token through the page; returns the key it shows."""
    page = client.post(reverse("api-token-issue"), follow=True).content.decode()
    return re.search(r'id="api-token-key" type="text" value="(\w+)"', page).group(1)


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_new_token_is_shown_once_and_the_api_accepts_it(viewer_client, viewer):
    assert "You have no API token" in viewer_client.get(PAGE).content.decode()

    key = create_token(viewer_client)

    assert Token.objects.get(user=viewer).key == key
    assert api(key).get(MEETINGS).status_code == 200
    again = viewer_client.get(PAGE).content.decode()
    assert key not in again
    assert f"starting <code>{key[:6]}…</code>" in again
    assert "Replace with a new token" in again and "Revoke the token" in again


def test_the_page_shows_a_curl_line_for_this_server_with_the_new_key(viewer_client, viewer):
    viewer_client.post(reverse("api-token-issue"))
    key = Token.objects.get(user=viewer).key

    page = viewer_client.get(PAGE).content.decode()

    assert f"curl -H &quot;Authorization: Token {key}&quot; http://testserver/api/v1/meetings/" in page
    assert key not in viewer_client.get(PAGE).content.decode()  # the example too: only the once


def test_replacing_stops_the_old_token_at_once(viewer_client, viewer):
    old = create_token(viewer_client)

    new = create_token(viewer_client)

    assert new != old
    assert api(old).get(MEETINGS).status_code == 401
    assert api(new).get(MEETINGS).status_code == 200
    assert Token.objects.filter(user=viewer).count() == 1


def test_revoking_stops_the_token_at_once(viewer_client, viewer):
    key = create_token(viewer_client)

    response = viewer_client.post(reverse("api-token-revoke"), follow=True)

    assert "programs using it are refused from now on" in response.content.decode()
    assert api(key).get(MEETINGS).status_code == 401
    assert not Token.objects.filter(user=viewer).exists()
    assert "Create my token" in viewer_client.get(PAGE).content.decode()


def test_a_viewers_token_reads_but_does_not_write(viewer_client):
    page = viewer_client.get(PAGE).content.decode()
    assert "as a viewer you read only" in page

    robot = api(create_token(viewer_client))

    assert robot.get("/api/v1/people/").status_code == 200
    refused = robot.post("/api/v1/people/", {"name": "Someone"}, content_type="application/json")
    assert refused.status_code == 403


def test_an_editors_token_writes(editor_client):
    robot = api(create_token(editor_client))
    created = robot.post("/api/v1/people/", {"name": "Aden Duale"}, content_type="application/json")
    assert created.status_code == 201


def test_an_inactive_persons_token_is_refused(viewer_client, viewer):
    key = create_token(viewer_client)
    viewer.is_active = False
    viewer.save()
    response = api(key).get(MEETINGS)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_each_person_manages_only_their_own_token(viewer_client, editor):
    someone_else = Token.objects.create(user=editor)
    create_token(viewer_client)
    viewer_client.post(reverse("api-token-revoke"))
    assert Token.objects.filter(pk=someone_else.pk).exists()
    assert someone_else.key[:6] not in viewer_client.get(PAGE).content.decode()


def test_the_buttons_need_the_csrf_token_and_a_post(viewer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(viewer)
    Token.objects.create(user=viewer)
    assert browser.post(reverse("api-token-issue")).status_code == 403
    assert browser.post(reverse("api-token-revoke")).status_code == 403
    assert browser.get(reverse("api-token-issue")).status_code == 405
    assert browser.get(reverse("api-token-revoke")).status_code == 405
    assert Token.objects.filter(user=viewer).count() == 1


def test_the_page_needs_sign_in(client):
    for name in ("api-token", "api-token-issue", "api-token-revoke"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Token.objects.exists()


def test_the_user_menu_links_to_the_page(viewer_client):
    assert f'href="{PAGE}"' in viewer_client.get(reverse("dashboard")).content.decode()


@pytest.mark.browser
def test_a_person_makes_copies_and_revokes_a_token_in_the_browser(signed_in_page, live_server):
    page = signed_in_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="editor").click()
    page.get_by_role("link", name="API token").click()
    page.get_by_role("button", name="Create my token").click()

    key_field = page.get_by_role("textbox", name="Token")
    key = key_field.input_value()
    assert re.fullmatch(r"\w{40}", key)
    page.get_by_role("button", name="Copy").first.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="test-results/screen-api-token-created.png", full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    assert api(key).get(MEETINGS).status_code == 401

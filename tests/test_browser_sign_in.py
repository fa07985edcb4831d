"""Sign-in in a real browser, and proof that pages load nothing from other hosts."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_a_person_signs_in_and_sees_the_dashboard(page, live_server, editor):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/**")
    page.get_by_role("navigation", name="Main").wait_for()
    assert page.locator(".marking-banner").first.inner_text() == "UNCLASSIFIED"
    page.screenshot(path="test-results/dashboard-signed-in.png", full_page=True)
    assert requested_hosts == {urlparse(live_server.url).netloc}


def test_a_wrong_password_keeps_the_person_on_the_sign_in_page(page, live_server, editor):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Please enter a correct username")
    assert page.get_by_label("Username").input_value() == "editor"

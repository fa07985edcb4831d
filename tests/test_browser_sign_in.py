"""Sign-in in a real browser, and proof that pages load nothing from other hosts."""

from urllib.parse import urlparse

import pytest

from tests.directory_server import directory_server  # noqa: F401  (the fixture)
from tests.oidc_server import oidc_provider  # noqa: F401  (the fixture)

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


def test_a_person_with_an_authenticator_signs_in_with_a_code(page, live_server, editor, settings):
    from tests.test_two_factor import code_for, with_authenticator

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the retyped code follows the wrong one at once

    device, _ = with_authenticator(editor)
    page.goto(f"{live_server.url}/meetings/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/code/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert "not right" in page.get_by_role("alert").inner_text()
    page.get_by_label("Code").fill(code_for(device, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/meetings/")
    page.get_by_role("navigation", name="Main").wait_for()


def test_an_administrator_sets_up_an_authenticator_at_sign_in(page, live_server, administrator, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.test_two_factor import code_for

    settings.MFA_REQUIRED = "admins"
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("administrator")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/set-up/")
    qr = page.get_by_role("img", name="QR code to add Defence meetings to an authenticator app")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"test-results/two-step-set-up-{width}.png", full_page=True)
    device = TOTPDevice.objects.get(user=administrator)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").wait_for()


def test_a_person_signs_in_with_their_directory_account(page, live_server, settings, directory_server):  # noqa: F811
    from tests.test_directory_sign_in import use_directory

    use_directory(settings, directory_server)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("brian")
    page.get_by_label("Password").fill("brian-directory-pass")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").wait_for()
    assert "Brian Kiprop" in page.get_by_role("navigation", name="Main").inner_text()


def test_a_person_signs_in_with_the_ministrys_provider_and_out_of_both(
    page,
    live_server,
    settings,
    oidc_provider,  # noqa: F811
):
    from tests.test_oidc_sign_in import use_provider

    use_provider(settings, oidc_provider)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("link", name="Sign in with Ministry sign-in").click()
    page.get_by_label("Provider username").fill("olivia")
    page.get_by_label("Provider password").fill("olivia-provider-pass")
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_url(f"{live_server.url}/meetings/")
    assert "Olivia Barasa" in page.get_by_role("navigation", name="Main").inner_text()
    authorize = next(url for url in requested if "/o/authorize/" in url)
    assert "code_challenge_method=S256" in authorize

    page.get_by_role("button", name="Olivia Barasa").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert any(url.startswith(f"{oidc_provider.url}/o/logout/") for url in requested)
    page.get_by_role("link", name="Sign in with Ministry sign-in").click()
    page.get_by_label("Provider username").wait_for()  # the provider asks for its password again

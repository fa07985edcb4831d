"""Signing in with OpenID Connect against a real provider (django-oauth-toolkit, in a
process of its own): the authorisation-code flow with PKCE, groups to role and clearance,
refusal, and signing out of both."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse

from meetings.accounts.config import oidc_settings
from meetings.audit.models import Event
from meetings.models import User
from tests.conftest import SECRET, UNCLASSIFIED
from tests.oidc_server import oidc_provider_for_client  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
BACKENDS = [
    "meetings.accounts.throttling.ThrottledBackend",
    "meetings.accounts.oidc.ProviderBackend",
    "meetings.accounts.backends.LocalAccounts",
]


def use_provider(settings, provider, **env):
    for name, value in oidc_settings(provider.env(**env)).items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    csp = {**settings.SECURE_CSP}
    csp["form-action"] = [*csp["form-action"], provider.url]
    settings.SECURE_CSP = csp


@pytest.fixture
def provider(settings, oidc_provider_for_client):  # noqa: F811
    use_provider(settings, oidc_provider_for_client)
    return oidc_provider_for_client


def provider_sign_in(browser: requests.Session, url: str, username: str) -> str:
    """Follows the provider's pages as a person would; returns where it sends them back."""
    response = browser.get(url, allow_redirects=False)
    if "/accounts/login/" in response.headers.get("Location", ""):
        login_url = requests.compat.urljoin(url, response.headers["Location"])
        page = browser.get(login_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        next_url = parse_qs(urlparse(login_url).query)["next"][0]
        response = browser.post(
            login_url,
            data={
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": f"{username}-provider-pass",
                "next": next_url,
            },
            headers={"Referer": login_url},
            allow_redirects=False,
        )
        response = browser.get(
            requests.compat.urljoin(url, response.headers["Location"]), allow_redirects=False
        )
    return response.headers["Location"]


def sign_in_with_provider(client: Client, browser: requests.Session, username: str):
    start = client.get(reverse("oidc_authentication_init"), {"next": "/meetings/"})
    back = provider_sign_in(browser, start["Location"], username)
    assert back.startswith("http://testserver/accounts/oidc/callback/?code=")
    return start, client.get(back.removeprefix("http://testserver"))


class TestSignIn:
    def test_the_sign_in_page_offers_the_provider(self, provider, client):
        page = client.get(reverse("login")).content.decode()
        assert "Sign in with Ministry sign-in" in page

    def test_the_code_flow_with_pkce_signs_in_with_role_and_clearance_from_groups(self, provider):
        client, browser = Client(), requests.Session()
        start, response = sign_in_with_provider(client, browser, "olivia")
        query = parse_qs(urlparse(start["Location"]).query)
        assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
        assert query["response_type"] == ["code"]
        assert response.status_code == 302 and response["Location"] == "/meetings/"
        assert client.get("/meetings/").status_code == 200
        olivia = User.objects.get(username="olivia")
        assert list(olivia.groups.values_list("name", flat=True)) == ["editor"]
        assert (olivia.clearance, olivia.email, olivia.get_full_name()) == (
            SECRET,
            "olivia@mod.example",
            "Olivia Barasa",
        )
        assert not olivia.has_usable_password()
        assert Event.objects.filter(kind=Event.Kind.SIGN_IN, username="olivia").exists()

    def test_the_provider_refuses_a_code_without_its_verifier(self, provider):
        """PKCE is real: the code alone, without the verifier the app kept, buys no token."""
        client, browser = Client(), requests.Session()
        start = client.get(reverse("oidc_authentication_init"))
        code = parse_qs(urlparse(provider_sign_in(browser, start["Location"], "paul")).query)["code"][0]
        token = requests.post(
            f"{provider.url}/o/token/",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "http://testserver/accounts/oidc/callback/",
                "client_id": "defence-meetings",
                "client_secret": "client-secret-for-tests",
            },
            timeout=10,
        )
        assert token.status_code == 400 and "id_token" not in token.text

    def test_someone_in_no_mapped_group_is_refused(self, provider):
        client, browser = Client(), requests.Session()
        _, response = sign_in_with_provider(client, browser, "quinn")
        assert response["Location"] == reverse("login")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "in no group that gives access" in page
        assert not User.objects.filter(username="quinn").exists()
        assert Event.objects.filter(kind=Event.Kind.DIRECTORY_REFUSED, username="quinn").exists()

    def test_roles_are_read_again_at_each_sign_in(self, provider, settings):
        client, browser = Client(), requests.Session()
        sign_in_with_provider(client, browser, "paul")
        assert User.objects.get(username="paul").groups.get().name == "viewer"
        settings.OIDC_ROLE_GROUPS = [("editor", "Meetings Readers")]
        settings.OIDC_CLEARANCE_GROUPS = []
        sign_in_with_provider(Client(), browser, "paul")
        paul = User.objects.get(username="paul")
        assert (paul.groups.get().name, paul.clearance) == ("editor", UNCLASSIFIED)


class TestSignOut:
    def test_signing_out_ends_the_app_session_and_the_providers(self, provider):
        client, browser = Client(), requests.Session()
        sign_in_with_provider(client, browser, "paul")
        response = client.post(reverse("logout"))
        assert response["Location"].startswith(f"{provider.url}/o/logout/?")
        assert "id_token_hint=" in response["Location"]
        assert client.get("/meetings/").status_code == 302
        ended = browser.get(response["Location"], allow_redirects=False)
        assert ended.headers["Location"] == "http://testserver/accounts/login/"
        # Signing in again takes the provider's password again.
        start = Client().get(reverse("oidc_authentication_init"))
        again = browser.get(start["Location"], allow_redirects=False)
        assert "/accounts/login/" in again.headers["Location"]

    def test_a_local_account_signs_out_as_before(self, provider, viewer):
        client = Client()
        client.post(reverse("login"), {"username": "viewer", "password": "correct-horse-battery"})
        assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_without_a_provider_its_addresses_are_not_found(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()

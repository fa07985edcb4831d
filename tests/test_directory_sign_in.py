"""Signing in with LDAP / Active Directory, against a real OpenLDAP server, through the
real sign-in form: roles and clearance from groups and attributes, revocation, refusals,
and the directory being down."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.accounts.config import ldap_settings
from meetings.audit.models import Event
from meetings.models import User
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET, UNCLASSIFIED
from tests.directory_server import BASE, directory_server  # noqa: F401  (the fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
BACKENDS = [
    "meetings.accounts.throttling.ThrottledBackend",
    "meetings.accounts.directory.DirectoryBackend",
    "meetings.accounts.backends.LocalAccounts",
]


def use_directory(settings, directory, **env):
    for name, value in ldap_settings(directory.env(**env)).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS


@pytest.fixture
def directory(settings, directory_server):  # noqa: F811
    use_directory(settings, directory_server)
    return directory_server


def sign_in(username, password):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    return response, client


def role_of(user) -> str:
    return ",".join(user.groups.values_list("name", flat=True))


class TestRolesAndClearance:
    def test_a_viewer_signs_in_with_the_role_and_clearance_of_their_groups(self, directory):
        response, client = sign_in("amina", "amina-directory-pass")
        assert response.status_code == 302
        assert client.get(reverse("dashboard")).status_code == 200
        amina = User.objects.get(username="amina")
        assert (role_of(amina), amina.clearance) == ("viewer", RESTRICTED)
        assert (amina.get_full_name(), amina.email) == ("Amina Odhiambo", "amina@mod.example")
        assert not amina.has_usable_password()
        assert Event.objects.filter(kind=Event.Kind.SIGN_IN, username="amina").exists()

    def test_an_editor_and_an_administrator_get_theirs(self, directory):
        sign_in("Brian", "brian-directory-pass")
        sign_in("carol", "carol-directory-pass")
        brian, carol = User.objects.get(username="brian"), User.objects.get(username="carol")
        assert (role_of(brian), brian.clearance, brian.is_staff) == ("editor", SECRET, False)
        # Carol's clearance comes from a directory attribute rather than a group.
        assert (role_of(carol), carol.clearance, carol.is_staff) == ("administrator", CONFIDENTIAL, True)

    def test_someone_in_no_mapped_group_gets_no_access(self, directory):
        response, client = sign_in("dan", "dan-directory-pass")
        assert response.status_code == 200
        assert "in no group that gives access" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert not User.objects.filter(username="dan").exists()
        assert Event.objects.filter(kind=Event.Kind.DIRECTORY_REFUSED, username="dan").exists()

    def test_a_disabled_account_cannot_sign_in(self, directory):
        response, _ = sign_in("erin", "erin-directory-pass")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
        assert not User.objects.filter(username="erin").exists()

    def test_a_wrong_password_is_refused_and_counted(self, directory):
        response, _ = sign_in("amina", "wrong")
        assert "Please enter a correct username and password" in response.content.decode()
        assert Event.objects.filter(kind=Event.Kind.SIGN_IN_FAILED, username="amina").count() == 1

    def test_directory_people_are_not_asked_for_the_apps_own_second_step(self, directory, settings):
        settings.MFA_REQUIRED = "all"
        response, client = sign_in("amina", "amina-directory-pass")
        assert response["Location"] == reverse("dashboard")
        assert "_auth_user_id" in client.session


class TestChangesInTheDirectory:
    def test_a_group_taken_away_counts_from_the_next_sign_in(self, directory):
        import ldap

        sign_in("brian", "brian-directory-pass")
        editors = f"cn=meetings-editors,ou=groups,{BASE}"
        brian_dn = f"uid=brian,ou=people,{BASE}"
        connection = directory.connect()
        connection.modify_s(editors, [(ldap.MOD_DELETE, "member", [brian_dn.encode()])])
        try:
            response, _ = sign_in("brian", "brian-directory-pass")
            assert "in no group that gives access" in response.content.decode()
            brian = User.objects.get(username="brian")
            assert role_of(brian) == "" and not brian.can_edit
        finally:
            connection.modify_s(editors, [(ldap.MOD_ADD, "member", [brian_dn.encode()])])
            connection.unbind_s()

    def test_a_clearance_taken_away_counts_from_the_next_sign_in(self, directory):
        import ldap

        sign_in("amina", "amina-directory-pass")
        assert User.objects.get(username="amina").clearance == RESTRICTED
        group = f"cn=clearance-restricted,ou=groups,{BASE}"
        amina_dn = f"uid=amina,ou=people,{BASE}"
        connection = directory.connect()
        connection.modify_s(group, [(ldap.MOD_DELETE, "member", [amina_dn.encode()])])
        try:
            assert sign_in("amina", "amina-directory-pass")[0].status_code == 302
            assert User.objects.get(username="amina").clearance == UNCLASSIFIED
        finally:
            connection.modify_s(group, [(ldap.MOD_ADD, "member", [amina_dn.encode()])])
            connection.unbind_s()


class TestLocalAccounts:
    def test_when_the_directory_is_down_people_are_told_and_break_glass_still_works(
        self,
        settings,
        directory_server,  # noqa: F811
    ):
        with socketless_port() as port:
            use_directory(settings, directory_server, LDAP_SERVER_URI=f"ldap://127.0.0.1:{port}")
            UserFactory(username="breakglass", role="administrator", clearance=SECRET, is_staff=True)
            response, _ = sign_in("amina", "amina-directory-pass")
            assert "The directory cannot be reached just now" in response.content.decode()
            response, client = sign_in("breakglass", "correct-horse-battery")
            assert response.status_code == 302
            assert "_auth_user_id" in client.session

    def test_a_setting_turns_local_accounts_off(self, directory, settings):
        UserFactory(username="local", role="viewer")
        settings.LOCAL_SIGN_IN = False
        assert sign_in("local", "correct-horse-battery")[0].status_code == 200
        assert sign_in("amina", "amina-directory-pass")[0].status_code == 302

    def test_a_local_account_signs_in_beside_the_directory(self, directory):
        UserFactory(username="local", role="viewer")
        assert sign_in("local", "correct-horse-battery")[0].status_code == 302


class socketless_port:
    """A loopback port that refuses connections: bound, never listening."""

    def __enter__(self) -> int:
        import socket

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        return self.socket.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.socket.close()

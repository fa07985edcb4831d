"""Two-step sign-in for local accounts: an authenticator app (TOTP) and recovery codes,
through the real sign-in pages, with codes made by the library as an app would."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.accounts import mfa
from meetings.audit.models import Event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
CODE = reverse("sign-in-code")
PASSWORD = "correct-horse-battery"


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows (optionally for the next time step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def with_authenticator(user):
    device = mfa.start_enrolment(user)
    codes = mfa.confirm_enrolment(device, code_for(device))
    return device, codes


def password_step(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    return client.post(f"{LOGIN}?next={next_url}" if next_url else LOGIN, data)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def no_waiting_between_codes(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


class TestSignInWithACode:
    def test_the_password_alone_does_not_sign_in_a_person_with_an_authenticator(self, editor):
        device, _ = with_authenticator(editor)
        client = Client()
        response = password_step(client, "editor", next_url="/meetings/")
        assert response.status_code == 302 and response["Location"] == CODE
        assert not signed_in(client)
        assert client.get(reverse("dashboard")).status_code == 302

        page = client.get(CODE)
        assert "Two-step sign-in" in page.content.decode()
        response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
        assert response.status_code == 302 and response["Location"] == "/meetings/"
        assert signed_in(client)
        event = Event.objects.filter(kind=Event.Kind.SIGN_IN).get()
        assert (event.username, event.detail) == ("editor", {"second_factor": "authenticator app"})

    def test_a_wrong_code_is_refused_next_to_the_field_and_recorded(self, editor):
        with_authenticator(editor)
        client = Client()
        password_step(client, "editor")
        response = client.post(CODE, {"code": "000000"})
        assert response.status_code == 200
        assert not signed_in(client)
        page = response.content.decode()
        assert 'id="id_code_error"' in page and "not right" in page
        assert 'value="000000"' in page
        assert Event.objects.filter(kind=Event.Kind.MFA_FAILED, username="editor").count() == 1

    def test_a_code_already_used_is_refused(self, editor):
        device, _ = with_authenticator(editor)
        code = code_for(device, steps_ahead=1)
        first = Client()
        password_step(first, "editor")
        assert first.post(CODE, {"code": code}).status_code == 302

        second = Client()
        password_step(second, "editor")
        response = second.post(CODE, {"code": code})
        assert response.status_code == 200
        assert not signed_in(second)
        assert "used already" in response.content.decode()

    def test_a_recovery_code_works_once(self, editor):
        _, codes = with_authenticator(editor)
        client = Client()
        password_step(client, "editor")
        response = client.post(CODE, {"code": codes[0].upper()}, follow=True)
        assert signed_in(client)
        assert "9 left" in response.content.decode()

        again = Client()
        password_step(again, "editor")
        assert again.post(CODE, {"code": codes[0]}).status_code == 200
        assert not signed_in(again)

    def test_wrong_codes_make_the_next_try_wait(self, editor, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 1
        device, _ = with_authenticator(editor)
        client = Client()
        password_step(client, "editor")
        client.post(CODE, {"code": "000000"})
        client.post(CODE, {"code": "000001"})
        response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
        assert "wait" in response.content.decode()
        assert not signed_in(client)

    def test_the_code_step_expires(self, editor):
        device, _ = with_authenticator(editor)
        client = Client()
        password_step(client, "editor")
        session = client.session
        session[mfa.PENDING] = {**session[mfa.PENDING], "until": time.time() - 1}
        session.save()
        response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
        assert response.status_code == 302 and response["Location"] == LOGIN
        assert not signed_in(client)

    def test_without_an_authenticator_the_code_page_sends_people_to_sign_in(self, editor):
        assert Client().get(CODE)["Location"] == LOGIN


class TestPolicy:
    def test_administrators_must_set_one_up_when_required(self, administrator, viewer, settings):
        settings.MFA_REQUIRED = "admins"
        client = Client()
        response = password_step(client, "administrator")
        assert response["Location"] == reverse("sign-in-enrol")
        assert not signed_in(client)
        page = client.get(reverse("sign-in-enrol")).content.decode()
        assert 'src="data:image/svg+xml' in page
        device = TOTPDevice.objects.get(user=administrator, confirmed=False)
        assert mfa.secret(device).replace(" ", "") in page.replace(" ", "")

        response = client.post(reverse("sign-in-enrol"), {"code": code_for(device)}, follow=True)
        assert signed_in(client)
        device.refresh_from_db()
        assert device.confirmed

        viewer_client = Client()
        assert password_step(viewer_client, "viewer")["Location"] == reverse("dashboard")
        assert signed_in(viewer_client)

    def test_everyone_must_when_the_policy_says_all(self, viewer, settings):
        settings.MFA_REQUIRED = "all"
        assert password_step(Client(), "viewer")["Location"] == reverse("sign-in-enrol")

    def test_nobody_must_when_it_is_off_but_those_who_set_one_up_are_asked(self, viewer, editor, settings):
        settings.MFA_REQUIRED = "off"
        with_authenticator(editor)
        assert password_step(Client(), "viewer")["Location"] == reverse("dashboard")
        assert password_step(Client(), "editor")["Location"] == CODE

    def test_the_admin_signs_in_through_the_same_pages(self, client):
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


class TestOwnPage:
    URL = reverse("two-factor")

    def test_a_person_turns_it_on_and_sees_recovery_codes_once(self, viewer_client, viewer):
        page = viewer_client.get(self.URL).content.decode()
        assert "Off." in page and 'src="data:image/svg+xml' in page
        device = TOTPDevice.objects.get(user=viewer, confirmed=False)

        response = viewer_client.post(self.URL, {"action": "enable", "code": "123"}, follow=True)
        assert "not right" in response.content.decode()
        assert not mfa.has_second_factor(viewer)

        response = viewer_client.post(self.URL, {"action": "enable", "code": code_for(device)}, follow=True)
        page = response.content.decode()
        assert "Two-step sign-in is on" in page
        assert page.count('<li class="col">') == 10
        assert '<li class="col">' not in viewer_client.get(self.URL).content.decode()
        assert password_step(Client(), "viewer")["Location"] == CODE

    def test_turning_it_off_needs_a_code_and_is_refused_when_required(self, viewer_client, viewer, settings):
        device, _ = with_authenticator(viewer)
        response = viewer_client.post(self.URL, {"action": "disable", "code": "000000"})
        assert "not right" in response.content.decode()
        assert mfa.has_second_factor(viewer)

        settings.MFA_REQUIRED = "all"
        next_code = code_for(device, steps_ahead=1)
        response = viewer_client.post(self.URL, {"action": "disable", "code": next_code})
        assert "must keep two-step sign-in" in response.content.decode()
        assert mfa.has_second_factor(viewer)

        settings.MFA_REQUIRED = "off"
        viewer_client.post(self.URL, {"action": "disable", "code": code_for(device, steps_ahead=1)})
        assert not mfa.has_second_factor(viewer)

    def test_new_recovery_codes_replace_the_old(self, viewer_client, viewer):
        device, old = with_authenticator(viewer)
        response = viewer_client.post(
            self.URL, {"action": "new-codes", "code": code_for(device, steps_ahead=1)}, follow=True
        )
        assert "New recovery codes are ready" in response.content.decode()
        client = Client()
        password_step(client, "viewer")
        assert client.post(CODE, {"code": old[0]}).status_code == 200
        assert not signed_in(client)


def test_a_viewer_cannot_reach_anyone_elses_pending_step(editor):
    """The code step belongs to the session that passed the password, nobody else's."""
    device, _ = with_authenticator(editor)
    password_step(Client(), "editor")
    other = Client()
    other.force_login(UserFactory(username="someone"))
    response = other.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == LOGIN


def test_administrators_remove_a_lost_authenticator_in_the_admin_without_seeing_its_key(
    editor, administrator
):
    device, _ = with_authenticator(editor)
    admin = Client()
    admin.force_login(administrator)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    page = admin.get(url).content.decode()
    assert "editor" in page
    assert device.key not in page and mfa.secret(device).replace(" ", "") not in page
    assert admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
    admin.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not mfa.has_second_factor(editor)
    assert mfa.recovery_codes_left(editor) == 0

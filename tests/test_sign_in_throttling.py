"""Sign-in throttling: one name from many addresses, many names from one address, password reset."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from meetings.audit.models import Event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
PASSWORD = "correct-horse-battery"


def sign_in(username, password, address):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response, client


def time_passes(seconds):
    Event.objects.update(at=F("at") - datetime.timedelta(seconds=seconds))


def fail_from_many_addresses(username, count):
    """Wrong passwords from a new address each time, each after the name's wait is over."""
    for n in range(count):
        response, _ = sign_in(username, "wrong", f"10.1.{n // 250}.{n % 250 + 1}")
        assert response.status_code == 200
        time_passes(3600)


class TestOneNameFromManyAddresses:
    def test_failures_from_many_addresses_slow_the_name_down(self, viewer, settings):
        settings.SIGN_IN_SLOW_AFTER = 3
        fail_from_many_addresses("viewer", 9)
        assert sign_in("viewer", "wrong", "10.8.8.8")[0].status_code == 200  # the tenth
        response, client = sign_in("viewer", PASSWORD, "10.9.9.9")
        assert response.status_code == 429
        wait = int(re.search(r"wait (\d+) seconds", response.content.decode()).group(1))
        assert 120 <= wait <= 129  # 2**(10 - 3) seconds after the latest failure
        assert "_auth_user_id" not in client.session
        assert response.context["form"]["username"].value() == "viewer"

        time_passes(130)
        response, client = sign_in("viewer", PASSWORD, "10.9.9.9")
        assert response.status_code == 302
        assert "_auth_user_id" in client.session

    def test_a_refused_try_is_not_counted_as_a_failure(self, viewer, settings):
        settings.SIGN_IN_SLOW_AFTER = 0
        fail_from_many_addresses("viewer", 3)
        sign_in("viewer", "wrong", "10.8.8.8")  # the fourth: the next try waits 16 seconds
        for _ in range(5):
            assert sign_in("viewer", "wrong", "10.9.9.9")[0].status_code == 429
        assert Event.objects.filter(kind=Event.Kind.SIGN_IN_FAILED).count() == 4
        assert Event.objects.filter(kind=Event.Kind.LOCKED_OUT, detail__reason="name-slowed").count() == 5

    def test_then_the_name_is_locked_until_an_administrator_unlocks_it(self, viewer, administrator, settings):
        settings.SIGN_IN_SLOW_AFTER, settings.SIGN_IN_LOCK_AFTER = 2, 6
        fail_from_many_addresses("viewer", 6)
        time_passes(30 * 24 * 3600)
        response, _ = sign_in("viewer", PASSWORD, "10.9.9.9")
        assert response.status_code == 429
        assert "An administrator can unlock it" in response.content.decode()
        assert Event.objects.filter(kind=Event.Kind.LOCKED_OUT, detail__reason="name-locked").exists()

        admin = Client()
        admin.force_login(administrator)
        page = admin.get(reverse("sign-in-locks")).content.decode()
        assert "<td>viewer</td>" in page
        admin.post(reverse("sign-in-unlock"), {"username": "viewer"})
        assert "<td>viewer</td>" not in admin.get(reverse("sign-in-locks")).content.decode()
        assert Event.objects.get(kind=Event.Kind.UNLOCKED).detail == {"by": "administrator"}

        assert sign_in("viewer", PASSWORD, "10.9.9.9")[0].status_code == 302

    def test_the_unlock_command_lifts_the_lock_too(self, viewer, settings):
        settings.SIGN_IN_SLOW_AFTER, settings.SIGN_IN_LOCK_AFTER = 50, 3
        fail_from_many_addresses("viewer", 3)
        assert sign_in("viewer", PASSWORD, "10.9.9.9")[0].status_code == 429
        call_command("unlock_sign_in", "viewer")
        assert sign_in("viewer", PASSWORD, "10.9.9.9")[0].status_code == 302

    def test_the_name_counts_whatever_its_letter_case(self, viewer, settings):
        settings.SIGN_IN_SLOW_AFTER, settings.SIGN_IN_LOCK_AFTER = 50, 3
        for n, name in enumerate(["viewer", "Viewer", "VIEWER"]):
            sign_in(name, "wrong", f"10.2.0.{n + 1}")
        assert sign_in("viewer", PASSWORD, "10.9.9.9")[0].status_code == 429

    def test_only_administrators_see_and_lift_locks(self, viewer_client):
        assert viewer_client.get(reverse("sign-in-locks")).status_code == 403
        assert viewer_client.post(reverse("sign-in-unlock"), {"username": "x"}).status_code == 403
        assert not Event.objects.filter(kind=Event.Kind.UNLOCKED).exists()


class TestManyNamesFromOneAddress:
    def test_password_spraying_from_one_address_is_stopped(self, settings):
        settings.SIGN_IN_ADDRESS_LIMIT = 30
        for n in range(30):
            assert sign_in(f"guess{n}", "Spring2024!", "10.5.5.5")[0].status_code == 200
        response, _ = sign_in("guess30", "Spring2024!", "10.5.5.5")
        assert response.status_code == 429
        assert "Too many failed sign-ins from your network address" in response.content.decode()
        assert Event.objects.filter(kind=Event.Kind.SIGN_IN_FAILED).count() == 30

    def test_colleagues_who_sign_in_from_that_address_keep_working(self, viewer, editor, settings):
        settings.SIGN_IN_ADDRESS_LIMIT = 10
        assert sign_in("editor", PASSWORD, "10.5.5.5")[0].status_code == 302
        for n in range(10):
            sign_in(f"guess{n}", "Spring2024!", "10.5.5.5")
        assert sign_in("editor", PASSWORD, "10.5.5.5")[0].status_code == 302
        # A name never seen from there waits; from another address it signs in as usual.
        assert sign_in("viewer", PASSWORD, "10.5.5.5")[0].status_code == 429
        assert sign_in("viewer", PASSWORD, "10.6.6.6")[0].status_code == 302

    def test_the_address_may_try_again_after_the_window(self, viewer, settings):
        settings.SIGN_IN_ADDRESS_LIMIT, settings.SIGN_IN_ADDRESS_MINUTES = 5, 15
        for n in range(5):
            sign_in(f"guess{n}", "x", "10.5.5.5")
        assert sign_in("viewer", PASSWORD, "10.5.5.5")[0].status_code == 429
        time_passes(16 * 60)
        assert sign_in("viewer", PASSWORD, "10.5.5.5")[0].status_code == 302


class TestBehindAProxy:
    def test_the_address_counted_is_the_one_the_proxy_saw_not_one_the_person_claims(self, settings):
        settings.AXES_IPWARE_PROXY_COUNT = 1
        settings.AXES_IPWARE_PROXY_ORDER = "right-most"
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
        for claimed in ("10.0.0.1", "10.0.0.2"):
            Client().post(
                LOGIN,
                {"username": "nobody", "password": "x"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"{claimed}, 10.3.3.3",
            )
        assert set(Event.objects.values_list("address", flat=True)) == {"10.3.3.3"}


class TestPasswordReset:
    URL = reverse("password_reset")

    def test_one_account_gets_at_most_a_few_mails_an_hour(self, viewer):
        client = Client()
        for n in range(20):
            response = client.post(self.URL, {"email": viewer.email}, REMOTE_ADDR=f"10.7.0.{n + 1}")
            assert response.status_code == 302
        assert len(mail.outbox) == 3
        assert Event.objects.filter(kind=Event.Kind.PASSWORD_RESET, username=viewer.email).count() == 20

    def test_one_address_is_answered_only_so_often(self):
        people = [UserFactory() for _ in range(12)]
        client = Client()
        address = {"REMOTE_ADDR": "10.7.7.9"}
        codes = [client.post(self.URL, {"email": p.email}, **address).status_code for p in people]
        assert codes == [302] * 10 + [429] * 2
        assert len(mail.outbox) == 10
        refused = client.post(self.URL, {"email": "x@example.org"}, **address)
        assert "Too many reset requests" in refused.content.decode()

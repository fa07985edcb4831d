"""Sign-in protection, sessions, CSRF, change history and the user command."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.history import meeting_history, record_history
from meetings.models import Attendance, Meeting, User
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


class TestLockout:
    def test_repeated_failures_lock_that_username_from_that_address(self, client, viewer):
        for _ in range(4):
            assert sign_in(client, "viewer", "wrong").status_code == 200
        assert sign_in(client, "viewer", "wrong").status_code == 429
        locked = sign_in(client, "viewer", "correct-horse-battery")
        assert locked.status_code == 429
        assert b"Too many failed sign-ins" in locked.content
        assert "_auth_user_id" not in client.session

    def test_a_colleague_behind_the_same_address_can_still_sign_in(self, client, viewer, editor):
        for _ in range(5):
            sign_in(client, "viewer", "wrong")
        other = Client()
        assert sign_in(other, "editor", "correct-horse-battery").status_code == 302

    def test_the_same_person_from_another_address_can_still_sign_in(self, client, viewer):
        for _ in range(5):
            sign_in(client, "viewer", "wrong")
        assert sign_in(Client(), "viewer", "correct-horse-battery", address="10.0.0.2").status_code == 302

    def test_an_administrator_can_lift_the_lockout(self, client, viewer):
        for _ in range(5):
            sign_in(client, "viewer", "wrong")
        call_command("axes_reset_username", "viewer")
        assert sign_in(client, "viewer", "correct-horse-battery").status_code == 302

    def test_failures_are_logged(self, client, viewer, caplog):
        with caplog.at_level("INFO", logger="meetings.security"):
            sign_in(client, "viewer", "wrong")
            sign_in(client, "viewer", "correct-horse-battery")
        assert "sign-in failed user=viewer address=10.0.0.1" in caplog.text
        assert "sign-in ok user=viewer address=10.0.0.1" in caplog.text


class TestSessions:
    def test_an_idle_session_expires(self, client, viewer):
        sign_in(client, "viewer", "correct-horse-battery")
        assert client.get(reverse("dashboard")).status_code == 200
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

    def test_the_idle_timeout_is_thirty_minutes_by_default(self, settings):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST

    def test_sign_out_ends_the_server_session(self, client, viewer):
        sign_in(client, "viewer", "correct-horse-battery")
        assert Session.objects.count() == 1
        client.post(reverse("logout"))
        assert Session.objects.count() == 0
        assert client.get(reverse("dashboard")).status_code == 302


class TestCsrf:
    def test_sign_in_without_a_csrf_token_is_refused(self, viewer):
        client = Client(enforce_csrf_checks=True)
        response = client.post(LOGIN, {"username": "viewer", "password": "correct-horse-battery"})
        assert response.status_code == 403

    def test_list_column_choice_without_a_csrf_token_is_refused(self, viewer):
        client = Client(enforce_csrf_checks=True)
        client.force_login(viewer)
        assert client.post(reverse("meeting-list"), {"columns": ["title"]}).status_code == 403


class TestHistory:
    def test_create_update_delete_and_inline_changes_are_kept_with_who_and_what(self, client, editor):

        client.force_login(editor)
        meeting = MeetingFactory(title="Kenya–UK defence talks")
        meeting.title = "Kenya–UK defence talks, Nairobi"
        meeting._history_user = editor
        meeting.save()
        attendance = AttendanceFactory(
            meeting=meeting, person=PersonFactory(name="James Heapey"), title="Minister"
        )
        attendance.title = "Minister for the Armed Forces"
        attendance.save()

        entries = meeting_history(meeting)
        kinds = [(entry.kind, entry.what) for entry in entries]
        assert ("created", "meeting") in kinds
        assert ("changed", "meeting") in kinds
        assert ("created", "attendance") in kinds
        title_change = next(e for e in entries if e.what == "attendance" and e.kind == "changed")
        assert [(c.field, c.old, c.new) for c in title_change.changes] == [
            ("title on the day", "Minister", "Minister for the Armed Forces")
        ]
        renamed = next(e for e in entries if e.what == "meeting" and e.kind == "changed")
        assert renamed.who == "editor"
        assert renamed.changes[0].new == "Kenya–UK defence talks, Nairobi"

        attendance.delete()
        assert meeting_history(meeting)[0].kind == "deleted"
        meeting_id = meeting.pk
        meeting.delete()
        assert Meeting.history.filter(id=meeting_id, history_type="-").exists()
        assert Attendance.history.filter(meeting_id=meeting_id).count() == 3

    def test_a_person_record_keeps_its_history(self):
        person = PersonFactory(name="Aden Duale", title="Cabinet Secretary for Defence")
        person.title = "Cabinet Secretary for Health"
        person.save()
        change = record_history(person)[0]
        assert (change.kind, change.changes[0].old, change.changes[0].new) == (
            "changed",
            "Cabinet Secretary for Defence",
            "Cabinet Secretary for Health",
        )


class TestCreateUserCommand:
    def test_it_creates_a_user_with_role_and_clearance(self):
        call_command(
            "create_user", "alice", role="editor", clearance="confidential", password="long-enough-pass-42"
        )
        alice = User.objects.get(username="alice")
        assert alice.clearance_label == "CONFIDENTIAL"
        assert alice.can_edit
        assert alice.check_password("long-enough-pass-42")

    def test_it_refuses_an_unknown_clearance_and_a_weak_password(self):
        with pytest.raises(CommandError, match="Unknown clearance"):
            call_command("create_user", "bob", role="viewer", clearance="TOP", password="long-enough-pass-42")
        with pytest.raises(CommandError, match=r"too common|too short"):
            call_command("create_user", "bob", role="viewer", clearance="SECRET", password="password")
        assert not User.objects.filter(username="bob").exists()

    def test_viewers_cannot_change_history_even_in_principle(self):
        viewer = UserFactory(role="viewer")
        editor = UserFactory(role="editor")
        assert viewer.has_perm("meetings.view_historicalmeeting")
        assert not editor.has_perm("meetings.change_historicalmeeting")
        assert not editor.has_perm("meetings.delete_historicalmeeting")


class TestHistoryOnPages:
    def test_the_meeting_page_shows_its_history_inline_rows_included(self, viewer_client):
        meeting = MeetingFactory(title="Kenya–UK defence talks")
        meeting.title = "Kenya–UK defence talks in Nairobi"
        meeting.save()
        AttendanceFactory(meeting=meeting, person=PersonFactory(name="James Heapey"))
        assert "Change history" in viewer_client.get(meeting.get_absolute_url()).content.decode()
        page = viewer_client.get(reverse("meeting-history", args=[meeting.pk])).content.decode()
        assert "Change history" in page
        assert "<del>Kenya–UK defence talks</del> → <ins>Kenya–UK defence talks in Nairobi</ins>" in page
        assert "attendance: James Heapey" in page

    def test_person_organisation_and_topic_pages_show_their_history(self, viewer_client):
        person = PersonFactory(name="Aden Duale", title="Cabinet Secretary for Defence")
        person.title = "Cabinet Secretary for Health"
        person.save()
        page = viewer_client.get(person.get_absolute_url()).content.decode()
        assert "<ins>Cabinet Secretary for Health</ins>" in page
        for record in (OrganizationFactory(name="KDF"), TopicFactory(name="CITSOS")):
            record.name = f"{record.name} renamed"
            record.save()
            assert (
                f"<ins>{record.name}</ins>" in viewer_client.get(record.get_absolute_url()).content.decode()
            )

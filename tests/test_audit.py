"""The read audit: who read, exported or downloaded which marked record, and the
security officer's page that answers "who read meeting X"."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from meetings.audit.models import SIGN_IN_KINDS, Event
from meetings.models import Source
from tests.conftest import CONFIDENTIAL, RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import AttendanceFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = Event.Kind
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def read_events():
    """Everything but sign-ins (which signing the test clients in records too)."""
    return Event.objects.exclude(kind__in=SIGN_IN_KINDS)


def reads(**filters):
    return list(read_events().filter(**filters).values_list("kind", "username", "meeting_id", "marking"))


class TestReadsAreRecorded:
    def test_a_marked_meeting_page_records_who_when_and_from_where(self, viewer_client, viewer):
        meeting = MeetingFactory(classification=RESTRICTED)
        before = timezone.now()
        viewer_client.get(meeting.get_absolute_url(), REMOTE_ADDR="10.4.4.4")
        event = read_events().get()
        assert (event.kind, event.user, event.username, event.meeting, event.marking) == (
            Kind.MEETING,
            viewer,
            "viewer",
            meeting,
            RESTRICTED,
        )
        assert event.address == "10.4.4.4"
        assert before <= event.at <= timezone.now()

    def test_the_lowest_marking_is_not_recorded_unless_asked(self, viewer_client, settings):
        meeting = MeetingFactory(classification=UNCLASSIFIED)
        viewer_client.get(meeting.get_absolute_url())
        assert not read_events().exists()
        settings.AUDIT_READS_FROM_LEVEL = UNCLASSIFIED
        viewer_client.get(meeting.get_absolute_url())
        assert reads() == [(Kind.MEETING, "viewer", meeting.pk, UNCLASSIFIED)]

    def test_a_page_above_the_reader_is_not_recorded_as_read(self, viewer_client):
        meeting = MeetingFactory(classification=SECRET)
        assert viewer_client.get(meeting.get_absolute_url()).status_code == 404
        assert not read_events().exists()

    def test_brief_pdf_calendar_file_and_api_record_each_view(self, viewer_client, viewer):
        meeting = MeetingFactory(classification=RESTRICTED)
        viewer_client.get(reverse("meeting-brief", args=[meeting.pk]))
        viewer_client.get(reverse("meeting-brief-pdf", args=[meeting.pk]))
        viewer_client.get(reverse("meeting-calendar", args=[meeting.pk]))
        token = Token.objects.create(user=viewer)
        api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200
        assert sorted(kind for kind, *_ in reads(meeting=meeting)) == sorted(
            [Kind.BRIEF, Kind.BRIEF_PDF, Kind.CALENDAR, Kind.API]
        )
        assert {username for _, username, *_ in reads()} == {"viewer"}

    def test_a_source_download_is_recorded(self, viewer_client, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        meeting = MeetingFactory(classification=RESTRICTED)
        source = Source.objects.create(
            meeting=meeting, title="Minutes", file=SimpleUploadedFile("m.pdf", PDF)
        )
        assert viewer_client.get(reverse("source-file", args=[source.pk])).status_code == 200
        event = Event.objects.get(kind=Kind.SOURCE)
        assert (event.meeting, event.marking, event.detail) == (
            meeting,
            RESTRICTED,
            {"source": source.pk, "title": "Minutes"},
        )


def statements(captured):
    control = ("BEGIN", "COMMIT", "SET LOCAL", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(control)]


class TestCost:
    def test_a_recorded_view_costs_one_insert_and_no_other_query(self, viewer_client):
        plain = MeetingFactory(classification=UNCLASSIFIED)
        marked = MeetingFactory(classification=RESTRICTED)
        for meeting in (plain, marked):
            AttendanceFactory(meeting=meeting)
        viewer_client.get(plain.get_absolute_url())  # warm the session and caches
        with CaptureQueriesContext(connection) as unaudited:
            viewer_client.get(plain.get_absolute_url())
        with CaptureQueriesContext(connection) as audited:
            viewer_client.get(marked.get_absolute_url())
        audit_queries = [q["sql"] for q in audited.captured_queries if "audit_event" in q["sql"]]
        assert len(audit_queries) == 1
        assert audit_queries[0].startswith("INSERT")
        # On PostgreSQL the insert commits on its own, without waiting for the disk.
        assert len(statements(audited)) == len(statements(unaudited)) + 1


class TestExports:
    def test_an_export_records_the_list_filters_rows_and_highest_marking(self, editor_client):
        MeetingFactory(classification=RESTRICTED, city="Nairobi")
        MeetingFactory(classification=CONFIDENTIAL, city="Nairobi")
        MeetingFactory(classification=UNCLASSIFIED, city="Mombasa")
        response = editor_client.get(reverse("meeting-list"), {"export": "csv", "q": "", "marking": ""})
        b"".join(response.streaming_content)
        response = editor_client.get(
            reverse("meeting-list"), {"export": "xlsx", "kind": ["bilateral", "visit"]}
        )
        events = list(Event.objects.filter(kind=Kind.EXPORT).order_by("id"))
        assert [(e.marking, e.detail) for e in events] == [
            (CONFIDENTIAL, {"list": "meetings", "filters": {}, "rows": 3, "format": "csv"}),
            (
                CONFIDENTIAL,
                {
                    "list": "meetings",
                    "filters": {"kind": ["bilateral", "visit"]},
                    "rows": 3,
                    "format": "xlsx",
                },
            ),
        ]

    def test_an_export_of_only_unmarked_rows_is_not_recorded(self, editor_client):
        MeetingFactory(classification=UNCLASSIFIED)
        editor_client.get(reverse("meeting-list"), {"export": "json"})
        editor_client.get(reverse("person-list"), {"export": "json"})
        assert not read_events().exists()

    def test_an_action_export_takes_its_meetings_marking(self, editor_client):
        from tests.factories import ActionFactory

        ActionFactory(meeting=MeetingFactory(classification=SECRET))
        editor_client.get(reverse("action-list"), {"export": "json"})
        event = Event.objects.get(kind=Kind.EXPORT)
        assert (event.marking, event.detail["list"], event.detail["rows"]) == (SECRET, "actions", 1)


@pytest.fixture
def security_officer(db):
    return UserFactory(username="officer", role="administrator", clearance=CONFIDENTIAL, is_staff=True)


@pytest.fixture
def officer_client(security_officer):
    client = Client()
    client.force_login(security_officer)
    return client


class TestAuditPage:
    URL = reverse("audit-list")

    def test_who_read_a_meeting(self, officer_client):
        meeting = MeetingFactory(title="Kenya–UK defence talks", classification=RESTRICTED)
        other = MeetingFactory(title="Somalia talks", classification=RESTRICTED)
        for name in ("alice", "bob"):
            reader = Client()
            reader.force_login(UserFactory(username=name, clearance=SECRET))
            reader.get(meeting.get_absolute_url())
            reader.get(other.get_absolute_url())
        page = officer_client.get(self.URL, {"meeting": meeting.pk}).content.decode()
        assert "Who read “Kenya–UK defence talks”" in page
        assert page.count("Somalia talks") == 0
        assert "alice" in page and "bob" in page

    def test_filters_by_person_kind_and_date(self, officer_client):
        meeting = MeetingFactory(classification=RESTRICTED)
        alice = Client()
        alice.force_login(UserFactory(username="alice", clearance=SECRET))
        alice.get(meeting.get_absolute_url())
        alice.get(reverse("meeting-brief", args=[meeting.pk]))
        Event.objects.filter(kind=Kind.BRIEF).update(at=timezone.now() - datetime.timedelta(days=40))
        bob = Client()
        bob.force_login(UserFactory(username="bob", clearance=SECRET))
        bob.get(meeting.get_absolute_url())

        def rows(**params):
            response = officer_client.get(self.URL, {**params, "export": "json"})
            found = json.loads(b"".join(response.streaming_content))
            return sorted(
                (row["Who"], row["What"]) for row in found if row["What"] not in ("Signed in", "Export")
            )

        assert rows(person="ALICE") == [("alice", "Brief page"), ("alice", "Meeting page")]
        assert rows(kind="brief") == [("alice", "Brief page")]
        today = timezone.localdate().isoformat()
        assert rows(date_after=today) == [("alice", "Meeting page"), ("bob", "Meeting page")]

    def test_an_officer_sees_nothing_of_a_meeting_above_their_clearance(self, officer_client):
        secret = MeetingFactory(title="Closed talks", classification=SECRET)
        reader = Client()
        reader.force_login(UserFactory(username="alice", clearance=SECRET))
        reader.get(secret.get_absolute_url())
        reader.get(reverse("meeting-list"), {"export": "json"})
        assert "Closed talks" not in officer_client.get(self.URL).content.decode()
        found = json.loads(b"".join(officer_client.get(self.URL, {"export": "json"}).streaming_content))
        assert {row["What"] for row in found} == {"Signed in"}
        assert "Closed talks" not in officer_client.get(self.URL, {"meeting": secret.pk}).content.decode()

    def test_a_meeting_re_marked_upwards_hides_its_earlier_reads(self, officer_client):
        meeting = MeetingFactory(title="Re-marked talks", classification=RESTRICTED)
        reader = Client()
        reader.force_login(UserFactory(username="alice", clearance=SECRET))
        reader.get(meeting.get_absolute_url())
        meeting.classification = SECRET
        meeting.save()
        assert "Re-marked talks" not in officer_client.get(self.URL).content.decode()

    def test_sign_in_events_are_on_the_same_page(self, officer_client, viewer):
        Client().post(reverse("login"), {"username": "viewer", "password": "wrong"})
        Client().post(reverse("login"), {"username": "viewer", "password": "correct-horse-battery"})
        response = officer_client.get(self.URL, {"person": "viewer", "export": "json"})
        kinds = [row["What"] for row in json.loads(b"".join(response.streaming_content))]
        assert kinds == ["Signed in", "Sign-in failed"]

    def test_it_exports_as_csv(self, officer_client):
        meeting = MeetingFactory(title="Kenya–UK defence talks", classification=RESTRICTED)
        officer_client.get(meeting.get_absolute_url())
        response = officer_client.get(self.URL, {"meeting": meeting.pk, "export": "csv"})
        text = b"".join(response.streaming_content).decode()
        assert '"Meeting page","officer"' in text and "Kenya–UK defence talks" in text

    def test_only_administrators_see_it(self, viewer_client, editor_client):
        assert viewer_client.get(self.URL).status_code == 403
        assert editor_client.get(self.URL).status_code == 403


class TestOnTheMeetingPage:
    def test_administrators_see_who_read_it(self, officer_client):
        meeting = MeetingFactory(classification=RESTRICTED)
        reader = Client()
        reader.force_login(UserFactory(username="alice", clearance=SECRET))
        reader.get(meeting.get_absolute_url())
        page = officer_client.get(meeting.get_absolute_url()).content.decode()
        assert "Who read it" in page
        readers = officer_client.get(reverse("meeting-readers", args=[meeting.pk])).content.decode()
        assert "<td>alice</td>" in readers and "<td>officer</td>" in readers

    def test_others_do_not(self, editor_client):
        meeting = MeetingFactory(classification=RESTRICTED)
        assert "Who read it" not in editor_client.get(meeting.get_absolute_url()).content.decode()
        assert editor_client.get(reverse("meeting-readers", args=[meeting.pk])).status_code == 403


class TestKeeping:
    def test_nobody_changes_or_deletes_a_row_through_the_admin(self):
        superuser = UserFactory(username="root", is_superuser=True, is_staff=True, clearance=SECRET)
        client = Client()
        client.force_login(superuser)
        meeting = MeetingFactory(classification=RESTRICTED)
        client.get(meeting.get_absolute_url())
        event = read_events().get()
        change = reverse("admin:audit_event_change", args=[event.pk])
        assert client.get(reverse("admin:audit_event_changelist")).status_code == 200
        client.post(change, {"username": "someone-else", "kind": "sign_in"})
        assert (
            client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert client.get(reverse("admin:audit_event_add")).status_code == 403
        event.refresh_from_db()
        assert (event.username, event.kind) == ("root", Kind.MEETING)

    def test_old_events_are_pruned_by_the_command(self, settings):
        settings.AUDIT_RETENTION_DAYS = 30
        old = Event.objects.create(
            kind=Kind.SIGN_IN, username="a", at=timezone.now() - datetime.timedelta(days=31)
        )
        recent = Event.objects.create(
            kind=Kind.SIGN_IN, username="b", at=timezone.now() - datetime.timedelta(days=29)
        )
        out = io.StringIO()
        call_command("prune_audit", stdout=out)
        assert "Removed 1 audit event older than 30 days" in out.getvalue()
        assert list(Event.objects.all()) == [recent]
        assert not Event.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's asynchronous commit")
def test_on_postgresql_an_audit_row_alone_does_not_wait_for_the_disk_but_a_callers_write_does():
    from django.db import transaction

    from meetings.audit.record import sign_in_event

    with CaptureQueriesContext(connection) as alone:
        sign_in_event(None, Kind.SIGN_IN_FAILED, "someone")
    assert any(q["sql"] == "SET LOCAL synchronous_commit TO OFF" for q in alone.captured_queries)
    with CaptureQueriesContext(connection) as inside, transaction.atomic():
        sign_in_event(None, Kind.SIGN_IN_FAILED, "someone")
    assert not any("synchronous_commit" in q["sql"] for q in inside.captured_queries)
    assert Event.objects.filter(username="someone").count() == 2

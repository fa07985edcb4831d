"""Bulk import, as an editor uses it: upload, read the dry run, confirm; and the command."""

import csv
import datetime
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    ImportRun,
    Meeting,
    MeetingCountry,
    MeetingSeries,
    Organization,
    Person,
    Topic,
)
from tests.conftest import CONFIDENTIAL, SECRET
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
)
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db
IMPORT = reverse("import")

MEETINGS_CSV = [
    [
        "Title",
        "Date",
        "Kind",
        "Status",
        "Host",
        "Marking",
        "City",
        "Country (where)",
        "Attendees",
        "Topic notes",
        "Actions",
    ],
    [
        "Kenya–UK defence talks",
        "2024-02-26",
        "Bilateral",
        "Held",
        "Kenya",
        "UNCLASSIFIED",
        "Nairobi",
        "KE",
        "Aden Duale | Cabinet Secretary for Defence | Ministry of Defence · Kenya | Kenya | Host\n"
        "James Heapey | Minister for the Armed Forces | Ministry of Defence (MOD) · United Kingdom | GB"
        " | Head of delegation",
        "Regional security › Horn of Africa | Somalia–Ethiopia relations\nTraining",
        "Enhance intelligence sharing | 2024-06-30 | Agreed | Kenya; UK\n"
        "Continue support for CITSOS | | In progress | Ministry of Defence (MOD) · United Kingdom"
        " | James Heapey",
    ],
]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def upload(client, content: bytes, name: str = "records.csv", **fields):
    """Uploads a file and, once the worker has run its dry run, returns the run's page."""
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content), **fields})
    if response.status_code != 302:
        return response
    run_queued_tasks()
    return client.get(response["Location"])


POLL = {"HX-Request": "true", "HX-Target": "import-progress"}  # the page asking for its progress


def confirm(client, response):
    """Confirms the dry run shown in ``response``; returns the answer once the import is done."""
    run = response.context["run"] if response.context and "run" in response.context else None
    url = reverse("import-confirm", args=[run.pk if run else "00000000-0000-0000-0000-000000000000"])
    confirmed = client.post(url, follow=False)
    run_queued_tasks()
    if confirmed.status_code == 302 and run and confirmed["Location"] == run.get_absolute_url():
        return client.get(confirmed["Location"], headers=POLL)
    return confirmed


def errors_of(response) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in response.context["report"].errors]


def record_counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Meeting, Person, Organization, Topic, Action)}


@pytest.fixture
def training():
    return TopicFactory(name="Training")


class TestDryRun:
    def test_it_lists_every_problem_of_every_row_and_writes_nothing(self, editor_client, training):
        rows = [
            ["Title", "Date", "End date", "Host", "Marking", "Attendees", "Actions"],
            ["Talks one", "2024-03-01", "2024-02-01", "Narnia", "UNCLASSIFIED", "", ""],
            ["", "2024-13-45", "", "", "TOP", "Ann Smith | Minister | | GB\nAnn Smith | Minister | | GB", ""],
            ["Talks three", "2024-05-01", "", "", "", "", "Early action | 2024-04-01"],
        ]
        before = record_counts()
        response = upload(editor_client, csv_bytes(rows))
        assert response.status_code == 422
        found = errors_of(response)
        assert (2, "End date", "The end date cannot be before the start date.") in found
        assert any(e[:2] == (2, "Host") and "Unknown country “Narnia”" in e[2] for e in found)
        assert (3, "Title", "This field is required.") in found
        assert (3, "Date", "Enter a real date, e.g. 2024-02-26.") in found
        assert any(e[:2] == (3, "Marking") and "Unknown marking “TOP”" in e[2] for e in found)
        assert any(e[:2] == (3, "Attendees") and "already listed as an attendee" in e[2] for e in found)
        assert any(e[:2] == (4, "Actions") and "cannot be before the meeting" in e[2] for e in found)
        page = response.content.decode()
        assert "Nothing was written." in page and "Narnia" in page and "2024-13-45" in page
        assert "Import 3 rows" not in page  # no confirm button
        assert record_counts() == before

    def test_a_clean_file_shows_what_would_be_created_and_matched(self, editor_client, training):
        heapey = PersonFactory(name="James Heapey", country="GB")
        response = upload(editor_client, csv_bytes(MEETINGS_CSV), create_topics="on")
        assert response.status_code == 200
        report = response.context["report"]
        assert report.errors == [] and report.counts == {"created": 1, "updated": 0, "matched": 0}
        references = report.outcomes[0].references
        assert ("matched", "person", str(heapey)) in references
        assert ("new", "person", "Aden Duale") in references
        assert ("new", "topic", "Regional security › Horn of Africa") in references
        assert ("matched", "topic", "Training") in references
        assert b"Import 1 row" in response.content
        assert not Meeting.objects.exists() and Person.objects.count() == 1

    def test_an_unknown_topic_is_refused_unless_new_topics_are_allowed(self, editor_client, training):
        response = upload(editor_client, csv_bytes(MEETINGS_CSV))
        assert any(
            e[:2] == (2, "Topic notes") and "Unknown topic “Regional security”" in e[2]
            for e in errors_of(response)
        )

    def test_a_file_of_the_wrong_type_or_size_gets_a_message_by_the_field(self, editor_client):
        response = upload(editor_client, b"%PDF-1.4", name="minutes.pdf")
        assert response.status_code == 422
        assert "cannot be imported. Use CSV, XLSX or JSON" in response.context["form"].errors["file"][0]
        big = b"Name\n" + b"x" * (5 * 1024 * 1024 + 1)
        assert "the limit is 5 MB" in upload(editor_client, big).context["form"].errors["file"][0]
        broken = upload(editor_client, b"not a workbook", name="people.xlsx")
        assert "not an Excel workbook" in broken.context["form"].errors["file"][0]

    def test_the_kind_is_told_from_the_columns(self, editor_client):
        response = upload(
            editor_client, csv_bytes([["Name", "Acronym", "Country"], ["Kenya Defence Forces", "KDF", "KE"]])
        )
        assert response.context["report"].kind == "organizations"
        response = upload(
            editor_client, csv_bytes([["Name", "Current title"], ["Aden Duale", "Cabinet Secretary"]])
        )
        assert response.context["report"].kind == "people"
        unclear = upload(editor_client, csv_bytes([["Colour"], ["blue"]]))
        assert "choose meetings, people or organisations" in unclear.context["form"].errors["kind"][0]


class TestImport:
    def test_confirming_creates_meetings_with_attendees_topics_and_actions(self, editor_client, training):
        response = upload(editor_client, csv_bytes(MEETINGS_CSV), create_topics="on")
        confirmed = confirm(editor_client, response)
        assert confirmed["HX-Redirect"] == reverse("meeting-list")
        meeting = Meeting.objects.get()
        assert (meeting.title, meeting.start_date, meeting.status) == (
            "Kenya–UK defence talks",
            datetime.date(2024, 2, 26),
            "held",
        )
        attendees = {a.person.name: a for a in meeting.attendances.select_related("person", "organization")}
        assert attendees["Aden Duale"].role == Attendance.Role.HOST
        assert attendees["James Heapey"].title == "Minister for the Armed Forces"
        assert str(attendees["James Heapey"].organization) == "Ministry of Defence (MOD)"
        assert attendees["James Heapey"].delegation.code == "GB"
        notes = {n.topic.path: n.note for n in meeting.topic_notes.all()}
        assert notes == {"Regional security › Horn of Africa": "Somalia–Ethiopia relations", "Training": ""}
        sharing, citsos = meeting.actions.order_by("description").reverse()
        assert sorted(p.country.code for p in sharing.parties.all()) == ["GB", "KE"]
        assert citsos.status == "in_progress" and citsos.responsible_person.name == "James Heapey"
        assert {c.country.code for c in meeting.countries.all()} == {"KE", "GB"}
        listed = editor_client.get(reverse("meeting-list"))
        assert "Imported records.csv: 1 created, 0 updated, 0 already recorded." in listed.content.decode()
        # The file is gone once imported: confirming twice imports nothing more.
        again = editor_client.post(reverse("import-confirm", args=[response.context["run"].pk]), follow=True)
        assert "no longer waiting" in again.content.decode() and Meeting.objects.count() == 1
        assert ImportRun.objects.get().content in (b"", memoryview(b""))

    def test_people_already_recorded_are_matched_not_duplicated(self, editor_client):
        ministry = OrganizationFactory(name="Ministry of Defence", acronym="MOD", country="GB")
        heapey = PersonFactory(name="James Heapey", country="GB", title="Minister", organization=ministry)
        rows = [
            ["Name", "Current title", "Organisation", "Country", "E-mail"],
            [
                "J. Heappey",
                "",
                "Ministry of Defence (MOD) · United Kingdom",
                "United Kingdom",
                "jh@example.org",
            ],
            ["Aden Duale", "Cabinet Secretary", "", "Kenya", ""],
        ]
        response = upload(editor_client, csv_bytes(rows), kind="people")
        first, second = response.context["report"].outcomes
        assert (first.action, first.label, first.changes) == ("updated", "James Heapey", ["E-mail"])
        assert second.action == "created"
        confirm(editor_client, response)
        assert Person.objects.count() == 2 and Organization.objects.count() == 1
        heapey.refresh_from_db()
        assert (heapey.email, heapey.title) == ("jh@example.org", "Minister")  # filled in, not overwritten

    def test_an_error_in_the_last_row_writes_nothing(self, editor, tmp_path):
        rows = [["Name", "Country"], *[[f"Person {word}", "KE"] for word in ("Alpha", "Bravo", "Charlie")]]
        rows.append(["Delta Echo", "Atlantis"])
        path = tmp_path / "people.csv"
        path.write_bytes(csv_bytes(rows))
        with pytest.raises(CommandError, match="1 problem"):
            call_command("import_records", str(path), "--user", editor.username, stderr=io.StringIO())
        assert not Person.objects.exists()
        rows.pop()
        path.write_bytes(csv_bytes(rows))
        out = io.StringIO()
        call_command("import_records", str(path), "--user", editor.username, "--dry-run", stdout=out)
        assert "Would import 3 people rows: 3 created" in out.getvalue() and not Person.objects.exists()
        call_command("import_records", str(path), "--user", editor.username, stdout=io.StringIO())
        assert Person.objects.count() == 3

    def test_a_row_marked_above_the_importers_clearance_is_refused(self, client):
        importer = UserFactory(role="editor", clearance=CONFIDENTIAL)
        client.force_login(importer)
        rows = [
            ["Title", "Date", "Marking"],
            ["Open talks", "2024-01-01", "CONFIDENTIAL"],
            ["Closed talks", "2024-01-02", "SECRET"],
        ]
        response = upload(client, csv_bytes(rows))
        assert errors_of(response) == [
            (3, "Marking", "Choose a marking at or below your clearance (CONFIDENTIAL).")
        ]
        assert not Meeting.objects.exists()

    def test_a_meeting_already_recorded_is_matched_only_if_the_importer_may_see_it(self, client):
        MeetingFactory(title="Kenya–UK defence talks", start_date=datetime.date(2024, 2, 26))
        MeetingFactory(title="Hidden talks", start_date=datetime.date(2024, 2, 27), classification=SECRET)
        importer = UserFactory(role="editor", clearance=CONFIDENTIAL)
        client.force_login(importer)
        rows = [["Title", "Date"], ["kenya–uk defence talks", "2024-02-26"], ["Hidden talks", "2024-02-27"]]
        outcomes = upload(client, csv_bytes(rows)).context["report"].outcomes
        assert [o.action for o in outcomes] == ["matched", "created"]
        assert "Hidden" not in outcomes[0].label

    def test_viewers_get_403_and_nothing_is_written(self, viewer_client):
        assert viewer_client.get(IMPORT).status_code == 403
        assert upload(viewer_client, csv_bytes([["Name"], ["Aden Duale"]])).status_code == 403
        assert viewer_client.post(reverse("import-confirm", args=[uuid.uuid4()])).status_code == 403
        assert not Person.objects.exists()

    def test_a_run_is_seen_and_confirmed_only_by_the_person_who_uploaded_it(self, editor_client, client):
        response = upload(editor_client, csv_bytes([["Name"], ["Aden Duale"]]))
        run = response.context["run"]
        other = UserFactory(role="editor")
        client.force_login(other)
        assert client.get(run.get_absolute_url()).status_code == 404
        for pk in (run.pk, uuid.uuid4()):
            assert client.post(reverse("import-confirm", args=[pk])).status_code == 302
        run_queued_tasks()
        assert not Person.objects.exists()
        assert client.get("/import/../../etc/passwd/").status_code == 404


# The round trip: export → import into an empty database → export again gives the same rows.


def build_world():
    """Records as the forms leave them: the host and every delegation take part."""
    kenya_mod = OrganizationFactory(
        name="Ministry of Defence", acronym="MoD", country="KE", contact_email="mod@ke.example"
    )
    uk_mod = OrganizationFactory(name="Ministry of Defence", acronym="MOD", country="GB")
    OrganizationFactory(name="British Army", kind="armed_force", country="GB", parent=uk_mod)
    OrganizationFactory(name="African Union", acronym="AU", kind="international", country="")
    duale = PersonFactory(
        name="Aden Duale",
        honorific="Hon.",
        country="KE",
        title="Cabinet Secretary",
        organization=kenya_mod,
        email="duale@ke.example",
    )
    heapey = PersonFactory(
        name="James Heapey",
        country="GB",
        title="Minister",
        organization=uk_mod,
        notes="Left office\nin 2024; see | notes",
    )
    security = TopicFactory(name="Regional security")
    horn = TopicFactory(name="Horn of Africa", parent=security)
    training = TopicFactory(name="Training")
    talks = MeetingFactory(
        title="Kenya–UK defence talks",
        summary="Talks | on security;\nand more",
        outcome="A joint statement",
        start_time=datetime.time(9, 30),
        end_date=datetime.date(2024, 2, 27),
        timezone="Africa/Nairobi",
        venue="Ulinzi House",
    )
    talks.organizations.set([kenya_mod, uk_mod])
    AttendanceFactory(meeting=talks, person=duale, organization=kenya_mod, delegation="KE", role="host")
    AttendanceFactory(
        meeting=talks,
        person=heapey,
        organization=uk_mod,
        delegation="GB",
        role="head",
        title="Minister for the Armed Forces",
    )
    MeetingTopicFactory(meeting=talks, topic=horn, note="Somalia–Ethiopia; relations | tension")
    MeetingTopicFactory(meeting=talks, topic=training)
    action = ActionFactory(
        meeting=talks,
        description="Share intelligence; regularly",
        due_date=datetime.date(2024, 6, 30),
        responsible_person=heapey,
    )
    ActionParty.objects.create(action=action, country="KE")
    ActionParty.objects.create(action=action, organization=uk_mod)
    ActionFactory(
        meeting=talks,
        description="Train KDF",
        status="done",
        completed_on=datetime.date(2024, 5, 1),
        completion_note="Done.",
    )
    call = MeetingFactory(
        title="Follow-up call",
        kind="call",
        status="planned",
        city="",
        country="",
        host_country="",
        start_date=datetime.date(2024, 3, 5),
        classification=CONFIDENTIAL,
    )
    for meeting, codes in ((talks, ("KE", "GB")), (call, ("GB", "SO"))):
        for code in codes:
            MeetingCountry.objects.create(meeting=meeting, country=code)
    MeetingCountry.objects.create(meeting=talks, country="ET", role="mentioned")
    call.series = MeetingSeries.objects.create(name="Kenya–UK dialogue")
    call.save()


def exported(client, url: str, fmt: str) -> list[list]:
    content = b"".join(client.get(url, {"export": fmt}).streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode())))
    if fmt == "json":
        data = json.loads(content)
        return [list(data[0])] + [list(row.values()) for row in data]
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def empty_database():
    Meeting.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.filter(parent__isnull=False).delete()
    Organization.objects.all().delete()
    Topic.objects.filter(parent__isnull=False).delete()
    Topic.objects.all().delete()
    MeetingSeries.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("url", ["/meetings/", "/people/", "/organizations/"])
def test_an_export_imports_back_unchanged(editor_client, url, fmt):
    build_world()
    before = exported(editor_client, url, fmt)
    content = b"".join(editor_client.get(url, {"export": fmt}).streaming_content)
    assert len(before) > 2
    empty_database()
    response = upload(editor_client, content, name=f"export.{fmt}", create_topics="on")
    assert response.context["report"].errors == []
    confirm(editor_client, response)
    assert exported(editor_client, url, fmt) == before


def test_the_meeting_export_reads_the_same_number_of_queries_for_more_rows(
    editor_client, django_assert_max_num_queries
):
    build_world()
    with django_assert_max_num_queries(20) as few:
        exported(editor_client, "/meetings/", "json")
    for number in range(10):
        talks = MeetingFactory(title=f"More talks {number}")
        AttendanceFactory(meeting=talks)
        ActionParty.objects.create(action=ActionFactory(meeting=talks), country="GB")
    with django_assert_max_num_queries(len(few.captured_queries)):
        exported(editor_client, "/meetings/", "json")

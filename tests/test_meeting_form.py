"""The meeting page: one form for the meeting with its attendees, topics, actions and sources.

Every rejected save is checked for its message and for leaving the database as it was.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.forms import MeetingEditor
from meetings.forms.data import management, page_data
from meetings.forms.data import meeting_post as page_post
from meetings.history import describe
from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Source,
)
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
)

ROW_MODELS = (Meeting, Attendance, MeetingTopic, Action, ActionParty, Source, MeetingCountry)


# Building what a browser would send ---------------------------------------------------------


REFERENCE_FIELDS = {
    "title": "Kenya–UK defence talks",
    "kind": "bilateral",
    "status": "held",
    "start_date": "2024-02-26",
    "timezone": "Africa/Nairobi",
    "city": "Nairobi",
    "country": "KE",
    "host_country": "KE",
    "classification": "0",
}


def meeting_post(meeting: dict | None = None, **rows: list[dict]) -> dict:
    """POST data for a new meeting: the meeting's fields plus rows per prefix."""
    return page_post(REFERENCE_FIELDS | (meeting or {}), rows)


def edit_post(meeting: Meeting, user, extra_rows: dict | None = None) -> dict:
    """What the edit page sends back unchanged: every field as the page shows it."""
    return page_data(MeetingEditor(user=user, instance=meeting), extra_rows)


def row_prefix(data: dict, prefix: str, field: str, value) -> str:
    """The field-name prefix ("actions-1") of the row whose ``field`` holds ``value``."""
    for key, given in data.items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and given == str(value):
            return key.removesuffix(f"-{field}")
    raise KeyError(value)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in ROW_MODELS}


def errors_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def reference_records(db):
    """The people, organisations and topics the reference meeting refers to."""
    ke_mod = OrganizationFactory(name="Ministry of Defence", acronym="MoD", country="KE")
    gb_mod = OrganizationFactory(name="Ministry of Defence", acronym="MoD", country="GB")
    citsos = OrganizationFactory(
        name="Counter Insurgency Terrorism and Stability Operation Centre", country="KE"
    )
    return {
        "duale": PersonFactory(name="Aden Duale", country="KE", title="Cabinet Secretary for Health"),
        "heapey": PersonFactory(
            name="James Heapey", country="GB", title="Former Minister for the Armed Forces"
        ),
        "ke_mod": ke_mod,
        "gb_mod": gb_mod,
        "citsos": citsos,
        "horn": TopicFactory(name="Horn of Africa"),
        "citsos_topic": TopicFactory(name="CITSOS"),
    }


def reference_post(records, meeting=None, **overrides) -> dict:
    rows = {
        "attendees": [
            {
                "person": records["duale"].pk,
                "organization": records["ke_mod"].pk,
                "title": "Cabinet Secretary for Defence",
                "delegation": "KE",
                "role": "head",
                "status": "attended",
            },
            {
                "person": records["heapey"].pk,
                "organization": records["gb_mod"].pk,
                "title": "Minister for the Armed Forces",
                "delegation": "GB",
                "role": "head",
                "status": "attended",
            },
        ],
        "topics": [
            {"topic": records["horn"].pk, "note": "Regional security concerns."},
            {"topic": records["citsos_topic"].pk, "note": "The UK reiterated its support."},
        ],
        "actions": [
            {
                "description": "Enhance cooperation in intelligence sharing",
                "countries": ["KE", "GB"],
                "status": "agreed",
            },
            {
                "description": "Continue UK support for CITSOS",
                "countries": ["GB"],
                "organizations": [records["citsos"].pk],
                "status": "in_progress",
                "due_date": "2024-12-31",
            },
        ],
        "sources": [
            {
                "kind": "joint_statement",
                "title": "Joint statement of Aden Duale and James Heapey",
                "published_on": "2024-02-26",
                "text": "Cooperation is essential to maintain peace and stability in the region.",
            }
        ],
    }
    rows.update(overrides)
    return meeting_post({"mentioned": ["CD", "SO", "ET", "US"], **(meeting or {})}, **rows)


# Creating ---------------------------------------------------------------------------------


def test_the_new_meeting_page_has_blank_rows_for_entering_without_javascript(editor_client):
    response = editor_client.get(reverse("meeting-create"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="attendees-TOTAL_FORMS" value="2"' in page
    assert 'name="attendees-1-person"' in page
    assert 'name="actions-1-description"' in page
    assert "attendees-__prefix__-person" in page  # the row template the script clones
    assert "<script>" not in page  # a strict CSP forbids inline scripts


def test_an_editor_enters_a_whole_meeting_on_one_page(editor_client, reference_records):
    response = editor_client.post(reverse("meeting-create"), reference_post(reference_records))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.version == 1
    titles = dict(meeting.attendances.values_list("person__name", "title"))
    assert titles == {
        "Aden Duale": "Cabinet Secretary for Defence",
        "James Heapey": "Minister for the Armed Forces",
    }
    assert [n.topic.name for n in meeting.topic_notes.all()] == ["Horn of Africa", "CITSOS"]
    citsos = meeting.actions.get(description="Continue UK support for CITSOS")
    assert sorted(str(p) for p in citsos.parties.all()) == [
        "Counter Insurgency Terrorism and Stability Operation Centre",
        "United Kingdom",
    ]
    assert citsos.due_date == datetime.date(2024, 12, 31)
    assert meeting.sources.get().kind == "joint_statement"
    roles = dict(meeting.countries.values_list("country", "role"))
    assert roles == {
        "KE": "participant",
        "GB": "participant",
        "CD": "mentioned",
        "SO": "mentioned",
        "ET": "mentioned",
        "US": "mentioned",
    }


def save_queries(client, size: int) -> int:
    """The queries a new meeting with ``size`` attendees, topics and actions costs to save."""
    organization = OrganizationFactory()
    people = PersonFactory.create_batch(size, organization=organization)
    topics = TopicFactory.create_batch(size)
    rows = {
        "attendees": [
            {
                "person": p.pk,
                "organization": organization.pk,
                "delegation": "GB",
                "role": "delegate",
                "status": "attended",
            }
            for p in people
        ],
        "topics": [{"topic": t.pk, "note": "Discussed."} for t in topics],
        "actions": [
            {
                "description": f"Action {i}",
                "countries": ["GB"],
                "organizations": [organization.pk],
                "status": "agreed",
            }
            for i in range(size)
        ],
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("meeting-create"), meeting_post({"title": f"Talks of {size}"}, **rows))
    assert response.status_code == 302, errors_of(response)
    assert Meeting.objects.get(title=f"Talks of {size}").attendances.count() == size
    return len(queries)


def test_saving_costs_the_same_queries_for_two_rows_or_ten(editor_client):
    """Chosen records are fetched once per field and new rows inserted once per kind, so a
    meeting with many attendees, topics and actions costs no more queries than one with few."""
    assert save_queries(editor_client, 10) == save_queries(editor_client, 2) <= 40


def test_blank_and_removed_rows_are_ignored(editor_client, reference_records):
    data = reference_post(reference_records)
    data.update(management("topics", total=4))
    data["topics-2-note"] = ""  # a blank row
    data["topics-3-topic"] = str(reference_records["horn"].pk)  # a duplicate, but removed
    data["topics-3-DELETE"] = "on"
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.status_code == 302
    assert MeetingTopic.objects.count() == 2


# Editing ----------------------------------------------------------------------------------


@pytest.fixture
def stored_meeting(editor_client, reference_records):
    editor_client.post(reverse("meeting-create"), reference_post(reference_records))
    return Meeting.objects.get()


def test_the_edit_page_shows_the_stored_rows(editor_client, stored_meeting):
    response = editor_client.get(reverse("meeting-update", args=[stored_meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Minister for the Armed Forces" in page
    assert 'name="version" value="1"' in page
    assert 'name="attendees-INITIAL_FORMS" value="2"' in page


def test_an_unchanged_save_changes_nothing_but_the_version(editor_client, editor, stored_meeting):
    before = counts()
    response = editor_client.post(
        reverse("meeting-update", args=[stored_meeting.pk]), edit_post(stored_meeting, editor)
    )
    assert response.status_code == 302
    assert counts() == before
    stored_meeting.refresh_from_db()
    assert stored_meeting.version == 2


def test_line_breaks_sent_by_browsers_do_not_count_as_changes(editor_client, editor, stored_meeting):
    stored_meeting.summary = "First line.\nSecond line."
    stored_meeting.save()
    data = edit_post(stored_meeting, editor)
    data["summary"] = data["summary"].replace("\n", "\r\n")  # what a browser's textarea sends
    editor_client.post(reverse("meeting-update", args=[stored_meeting.pk]), data)
    stored_meeting.refresh_from_db()
    assert stored_meeting.summary == "First line.\nSecond line."


def test_editing_changes_removes_and_adds_rows(editor_client, editor, stored_meeting, reference_records):
    data = edit_post(stored_meeting, editor, extra_rows={"topics": 1})
    data["title"] = "Kenya–UK defence talks, Nairobi"
    data["topics-1-DELETE"] = "on"
    new_topic = TopicFactory(name="Great Lakes region")
    data["topics-2-topic"] = str(new_topic.pk)
    heapey = row_prefix(data, "attendees", "person", reference_records["heapey"].pk)
    data[f"{heapey}-delegation"] = "US"  # changes who takes part
    intelligence = row_prefix(data, "actions", "description", "Enhance cooperation in intelligence sharing")
    data[f"{intelligence}-countries"] = ["KE"]

    response = editor_client.post(reverse("meeting-update", args=[stored_meeting.pk]), data)

    assert response.status_code == 302
    stored_meeting.refresh_from_db()
    assert stored_meeting.title == "Kenya–UK defence talks, Nairobi"
    assert [n.topic.name for n in stored_meeting.topic_notes.all()] == [
        "Horn of Africa",
        "Great Lakes region",
    ]
    first_action = stored_meeting.actions.get(description__contains="intelligence")
    assert [str(p) for p in first_action.parties.all()] == ["Kenya"]
    participants = set(stored_meeting.countries.filter(role="participant").values_list("country", flat=True))
    assert participants == {"KE", "US"}  # the UK no longer has a delegation
    mentioned = set(stored_meeting.countries.filter(role="mentioned").values_list("country", flat=True))
    assert mentioned == {"CD", "SO", "ET"}  # US takes part now, so it is no longer only mentioned


def test_other_participants_stored_before_are_kept(editor_client, editor):
    meeting = MeetingFactory(host_country="")
    MeetingCountry.objects.create(meeting=meeting, country="FR")
    data = edit_post(meeting, editor)
    assert data["participants"] == ["FR"]
    editor_client.post(reverse("meeting-update", args=[meeting.pk]), data)
    assert list(meeting.countries.values_list("country", "role")) == [("FR", "participant")]


# Rules: each message is shown, and nothing is saved --------------------------------------


def assert_refused(response, *messages: str) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    for message in messages:
        assert message in page, message


@pytest.fixture
def nothing_saved(db):
    before = counts()
    yield
    assert counts() == before


def test_it_requires_a_title_and_a_date(editor_client, nothing_saved):
    response = editor_client.post(reverse("meeting-create"), meeting_post({"title": "", "start_date": ""}))
    assert_refused(
        response, "This field is required.", 'href="#group-id_title"', 'href="#group-id_start_date"'
    )


def test_it_rejects_an_end_date_before_the_start(editor_client, nothing_saved):
    response = editor_client.post(reverse("meeting-create"), meeting_post({"end_date": "2024-02-25"}))
    assert_refused(response, "The end date cannot be before the start date.")


def test_it_rejects_an_end_time_before_the_start_time_on_one_day(editor_client, nothing_saved):
    response = editor_client.post(
        reverse("meeting-create"), meeting_post({"start_time": "14:00", "end_time": "09:30"})
    )
    assert_refused(response, "On a one-day meeting the end time cannot be before the start time.")


def test_it_rejects_an_impossible_date(editor_client, nothing_saved):
    response = editor_client.post(reverse("meeting-create"), meeting_post({"start_date": "2024-02-30"}))
    assert_refused(response, "Enter a real date")


def test_it_rejects_a_due_date_before_the_meeting(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["actions-0-due_date"] = "2024-02-25"
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(
        response, "The due date cannot be before the meeting (26 Feb 2024).", "Action 1 · Due date"
    )


def test_it_rejects_an_attendee_listed_twice(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["attendees-1-person"] = str(reference_records["duale"].pk)
    data["attendees-1-role"] = "delegate"
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "Aden Duale is already listed as an attendee.", 'href="#attendees-1"')
    assert '<select name="attendees-1-person" class="form-select is-invalid" aria-invalid="true"' in (
        response.content.decode()
    )  # marked on the row too


def test_it_rejects_two_heads_of_one_delegation(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["attendees-1-delegation"] = "KE"
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "A delegation has one head")


def test_it_rejects_a_topic_listed_twice(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["topics-1-topic"] = str(reference_records["horn"].pk)
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "“Horn of Africa” is already listed as a topic.")


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", 200),
        ("city", 100),
        ("summary", 20_000),
        ("topics-0-note", 5_000),
        ("actions-0-description", 500),
    ],
)
def test_it_rejects_text_longer_than_allowed(editor_client, reference_records, nothing_saved, field, limit):
    data = reference_post(reference_records)
    data[field] = "x" * (limit + 1)
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, f"Ensure this value has at most {limit} characters (it has {limit + 1}).")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("country", "XX"),
        ("host_country", "ZZ"),
        ("mentioned", ["KE", "QQ"]),
        ("participants", ["EU"]),
        ("attendees-0-delegation", "UK"),
        ("actions-0-countries", ["GB", "XK1"]),
    ],
)
def test_it_rejects_unknown_country_codes(editor_client, reference_records, nothing_saved, field, value):
    data = reference_post(reference_records)
    data[field] = value
    response = editor_client.post(reverse("meeting-create"), data)
    bad = value if isinstance(value, str) else value[-1]
    assert_refused(response, f"Unknown country code “{bad}”.")


def test_a_call_with_a_city_is_saved_with_a_warning(editor_client):
    response = editor_client.post(
        reverse("meeting-create"), meeting_post({"kind": "call", "city": "Nairobi"}), follow=True
    )
    assert Meeting.objects.filter(kind="call").count() == 1
    assert "is a phone or video call but has a place (Nairobi)" in response.content.decode()


def test_it_refuses_a_done_action_without_its_completion_date(
    editor_client, reference_records, nothing_saved
):
    data = reference_post(reference_records)
    data["actions-0-status"] = "done"
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "Give the date a done action was completed.")


def test_it_refuses_a_completion_date_on_an_open_action(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["actions-0-completed_on"] = "2024-03-01"
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "Only a done or cancelled action has a completion date.")


def test_it_refuses_a_source_without_link_file_or_text(editor_client, reference_records, nothing_saved):
    data = reference_post(reference_records)
    data["sources-0-text"] = ""
    response = editor_client.post(reverse("meeting-create"), data)
    assert_refused(response, "Give a link, a file or the text itself.")


def test_it_refuses_a_meeting_on_the_margins_of_its_own_side_meeting(editor_client, editor):
    summit = MeetingFactory()
    side = MeetingFactory(parent=summit)
    data = edit_post(summit, editor)
    data["parent"] = str(side.pk)
    response = editor_client.post(reverse("meeting-update", args=[summit.pk]), data)
    assert_refused(response, "cannot be on the margins of itself or of its own side meeting")
    summit.refresh_from_db()
    assert summit.parent is None


# Uploaded files ---------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def source_with_file(records, file: SimpleUploadedFile) -> dict:
    data = reference_post(records)
    data["sources-0-text"] = ""
    data["sources-0-file"] = file
    return data


def test_a_pdf_is_stored_with_its_source(editor_client, reference_records, media):
    pdf = upload("statement.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    response = editor_client.post(reverse("meeting-create"), source_with_file(reference_records, pdf))
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.file.name.endswith(".pdf")
    assert (media / source.file.name).exists()


def test_it_refuses_files_over_ten_megabytes(editor_client, reference_records, media, nothing_saved):
    big = upload("minutes.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")
    response = editor_client.post(reverse("meeting-create"), source_with_file(reference_records, big))
    assert_refused(response, "The file is 10.0 MB; the limit is 10 MB.")


def test_a_file_written_before_a_failed_save_is_removed(editor_client, reference_records, media, monkeypatch):
    def clash(*args, **kwargs):
        raise IntegrityError("simulated clash")

    monkeypatch.setattr(services.meetings, "_sync_countries", clash)
    pdf = upload("statement.pdf", b"%PDF-1.7\n", "application/pdf")
    before = counts()
    response = editor_client.post(reverse("meeting-create"), source_with_file(reference_records, pdf))
    assert response.status_code == 200
    assert "could not be saved because two rows clash" in response.content.decode()
    assert counts() == before
    assert not any(p.is_file() for p in media.rglob("*"))


# Errors are shown, and what was typed is kept --------------------------------------------


def test_errors_are_listed_at_the_top_and_the_typed_values_kept(editor_client, reference_records):
    data = reference_post(
        reference_records, meeting={"title": "Talks <b>typed</b>", "end_date": "2020-01-01"}
    )
    data["topics-0-note"] = "A note that must survive the error"
    response = editor_client.post(reverse("meeting-create"), data)
    page = response.content.decode()
    assert page.index('id="error-summary"') < page.index('id="meeting-form"')
    assert 'value="Talks &lt;b&gt;typed&lt;/b&gt;"' in page  # kept, and escaped
    assert "A note that must survive the error" in page
    assert 'id="id_end_date_error"' in page  # next to the field
    assert "is-invalid" in page
    assert f'<option value="{reference_records["duale"].pk}" selected>Aden Duale</option>' in page


def test_an_integrity_error_is_a_message_and_nothing_is_saved(editor_client, reference_records, monkeypatch):
    """A clash only the database sees (a row changed by someone else meanwhile), simulated
    when the attendees are written, after the meeting itself went in."""
    original = services.base.bulk_create_with_history

    def clash(rows, model, **kwargs):
        if model is Attendance:
            raise IntegrityError("simulated")
        return original(rows, model, **kwargs)

    monkeypatch.setattr(services.base, "bulk_create_with_history", clash)
    before = counts()
    response = editor_client.post(reverse("meeting-create"), reference_post(reference_records))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert counts() == before
    assert "Edit “" not in page  # still the new-meeting page, not an edit of a rolled-back id


# Clearance --------------------------------------------------------------------------------


def test_the_marking_choices_stop_at_the_persons_clearance(client, db):
    editor = UserFactory(role="editor", clearance=1)
    client.force_login(editor)
    page = client.get(reverse("meeting-create")).content.decode()
    assert ">RESTRICTED</option>" in page
    assert "CONFIDENTIAL" not in page and "SECRET" not in page


def test_nobody_creates_a_meeting_above_their_clearance(client, db, nothing_saved):
    client.force_login(UserFactory(role="editor", clearance=1))
    response = client.post(reverse("meeting-create"), meeting_post({"classification": "3"}))
    assert_refused(response, "Choose a marking at or below your clearance (RESTRICTED).")


def test_nobody_moves_a_meeting_above_their_clearance(client, db):
    low_editor = UserFactory(role="editor", clearance=1)
    meeting = MeetingFactory(classification=1)
    client.force_login(low_editor)
    data = edit_post(meeting, low_editor)
    data["classification"] = "2"
    response = client.post(reverse("meeting-update", args=[meeting.pk]), data)
    assert_refused(response, "Choose a marking at or below your clearance")
    meeting.refresh_from_db()
    assert meeting.classification == 1 and meeting.version == 1


def test_a_meeting_above_the_clearance_cannot_be_opened_for_editing(client, db):
    client.force_login(UserFactory(role="editor", clearance=1))
    secret = MeetingFactory(classification=3)
    assert client.get(reverse("meeting-update", args=[secret.pk])).status_code == 404
    assert client.post(reverse("meeting-delete", args=[secret.pk])).status_code == 404
    assert Meeting.objects.filter(pk=secret.pk).exists()


def test_the_service_refuses_a_marking_above_clearance_whoever_calls_it(db):
    editor = UserFactory(role="editor", clearance=1)
    marked = services.MeetingInput(title="x", start_date=datetime.date(2024, 1, 1), classification=3)
    with pytest.raises(services.MeetingInvalid) as refused:
        services.meeting_save(user=editor, data=marked)
    assert refused.value.errors == {
        "classification": ["Choose a marking at or below your clearance (RESTRICTED)."]
    }
    assert not Meeting.objects.exists()


def test_the_service_refuses_viewers(viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_save(
            user=viewer, data=services.MeetingInput(title="x", start_date=datetime.date(2024, 1, 1))
        )


# No lost updates --------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_lists_what_changed_meanwhile(client, editor, stored_meeting):
    other = UserFactory(role="editor", clearance=3)
    mine = edit_post(stored_meeting, editor)  # I open the page…
    theirs = edit_post(stored_meeting, other)  # …so does a colleague,
    theirs["title"] = "Kenya–UK defence talks (updated)"
    citsos = row_prefix(theirs, "actions", "description", "Continue UK support for CITSOS")
    theirs[f"{citsos}-status"] = "done"
    theirs[f"{citsos}-completed_on"] = "2024-06-01"
    client.force_login(other)
    assert client.post(reverse("meeting-update", args=[stored_meeting.pk]), theirs).status_code == 302

    client.force_login(editor)  # …and saves first. Now I save:
    mine["outcome"] = "My outcome text"
    response = client.post(reverse("meeting-update", args=[stored_meeting.pk]), mine)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this meeting while you were editing it" in page
    assert "Title: “Kenya–UK defence talks” → “Kenya–UK defence talks (updated)”" in page
    assert (
        "Action “Continue UK support for CITSOS”: Status “In progress” → “Done”; "
        "Completed on “—” → “2024-06-01”"
    ) in page
    assert "My outcome text" in page  # what I typed is kept
    stored_meeting.refresh_from_db()
    assert stored_meeting.title == "Kenya–UK defence talks (updated)"
    assert stored_meeting.outcome == ""
    assert stored_meeting.version == 2
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice

    again = {**mine, "version": "2"}
    assert client.post(reverse("meeting-update", args=[stored_meeting.pk]), again).status_code == 302
    stored_meeting.refresh_from_db()
    assert stored_meeting.outcome == "My outcome text"


def test_of_two_saves_from_the_same_version_only_the_first_wins(editor, stored_meeting):
    first = services.MeetingInput.of(stored_meeting)
    second = services.MeetingInput.of(stored_meeting)
    first.title = "First"
    services.meeting_save(user=editor, data=first, meeting=stored_meeting, expected_version=1)
    second.title = "Second"
    with pytest.raises(services.MeetingConflict) as conflict:
        services.meeting_save(user=editor, data=second, meeting=stored_meeting, expected_version=1)
    assert describe(conflict.value.changes) == ["Title: “Kenya–UK defence talks” → “First”"]
    assert Meeting.objects.get().title == "First"


def test_a_row_removed_meanwhile_is_reported_on_its_row(client, editor, stored_meeting):
    mine = edit_post(stored_meeting, editor)
    stored_meeting.topic_notes.last().delete()
    stored = Meeting.objects.get()
    services.meeting_save(
        user=editor, data=services.MeetingInput.of(stored), meeting=stored, expected_version=1
    )
    client.force_login(editor)
    response = client.post(reverse("meeting-update", args=[stored_meeting.pk]), {**mine, "version": "2"})
    assert_refused(response, "This row was removed by someone else meanwhile")


def test_a_missing_version_is_refused(editor_client, editor, stored_meeting, nothing_saved):
    data = edit_post(stored_meeting, editor)
    del data["version"]
    response = editor_client.post(reverse("meeting-update", args=[stored_meeting.pk]), data)
    assert_refused(response, "This form is incomplete: reload the page.")


# Deleting ---------------------------------------------------------------------------------


def test_deleting_a_meeting_asks_first_then_removes_it_with_its_rows(editor_client, stored_meeting):
    url = reverse("meeting-delete", args=[stored_meeting.pk])
    page = editor_client.get(url).content.decode()
    assert "2 attendees, 2 topics, 2 actions and 1 source" in page
    assert Meeting.objects.exists()
    response = editor_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting-list")
    assert sum(counts().values()) == 0


def test_a_meeting_with_side_meetings_is_not_deleted(editor_client):
    summit = MeetingFactory(title="NATO summit")
    MeetingFactory(title="Talks on the margins", parent=summit)
    url = reverse("meeting-delete", args=[summit.pk])
    assert "Talks on the margins" in editor_client.get(url).content.decode()
    response = editor_client.post(url)
    assert response.status_code == 409
    assert "the parent event of 1 meeting(s) held on its margins" in response.content.decode()
    assert Meeting.objects.filter(pk=summit.pk).exists()


def test_edit_buttons_include_shows_only_to_editors(rf, editor, viewer):
    from django.template.loader import render_to_string

    meeting = MeetingFactory()
    for user, shown in ((editor, True), (viewer, False)):
        html = render_to_string(
            "meetings/includes/meeting_edit_buttons.html", {"meeting": meeting, "user": user}
        )
        assert (reverse("meeting-update", args=[meeting.pk]) in html) is shown


def test_rows_of_existing_meetings_keep_their_parties(editor_client, editor):
    """A stored action's parties come back in the form, so an unchanged save keeps them."""
    action = ActionFactory()
    ActionPartyFactory(action=action, country="GB")
    AttendanceFactory(meeting=action.meeting)
    MeetingTopicFactory(meeting=action.meeting)
    data = edit_post(action.meeting, editor)
    assert data["actions-0-countries"] == ["GB"]
    editor_client.post(reverse("meeting-update", args=[action.meeting.pk]), data)
    assert [str(p) for p in action.parties.all()] == ["United Kingdom"]

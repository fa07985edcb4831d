"""Random and hostile input to every form and formset: never a 500, never a partial row.

Each example starts from a valid submission and overwrites a few fields with hostile
values (very long text, HTML and script, SQL fragments, mixed scripts and emoji, NUL
bytes, impossible dates and numbers, unknown codes, tampered ids) or drops fields,
management-form fields included. A rejected submission must leave the database exactly
as it was; an accepted one may only add rows belonging to the record it saved.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meetings.models import (
    Action,
    ActionParty,
    Attendance,
    Meeting,
    MeetingCountry,
    MeetingTopic,
    Organization,
    Person,
    Source,
    Topic,
)
from tests.factories import ActionFactory, AttendanceFactory, MeetingTopicFactory, SourceFactory
from tests.test_meeting_form import edit_post, meeting_post, reference_post

MODELS = (
    Meeting,
    Attendance,
    MeetingTopic,
    Action,
    ActionParty,
    Source,
    MeetingCountry,
    Person,
    Organization,
    Topic,
)
SCRIPT = "<script>alert(1)</script>"

HOSTILE_TEXT = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'; DROP TABLE meetings_meeting; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM meetings_person WHERE ('1'='1",
    "🇰🇪🤝🇬🇧 défense – Кенийско-британские переговоры – محادثات الدفاع – 国防会谈",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "nul\x00byte",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%x",
    "../../../../etc/passwd",
    "x" * 600,
    "y" * 25_000,
    " ",
    "",
]
HOSTILE_VALUES = [
    "0",
    "-1",
    "1",
    "2",
    "3",
    "99",
    "2147483648",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2024-02-26",
    "2024-02-30",
    "0000-00-00",
    "10000-01-01",
    "0001-01-01",
    "9999-12-31",
    "25:61",
    "on",
    "KE",
    "GB",
    "XX",
    "ke",
    "done",
    "head",
    "call",
    "UTC",
    "Mars/Olympus_Mons",
]
hostile_scalar = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=120),
)
hostile_value = st.one_of(hostile_scalar, st.lists(hostile_scalar, max_size=3))

MEETING_FIELDS = [
    "title",
    "kind",
    "status",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "timezone",
    "city",
    "venue",
    "country",
    "host_country",
    "parent",
    "series",
    "classification",
    "summary",
    "outcome",
    "organizations",
    "participants",
    "mentioned",
    "version",
]
ROW_FIELDS = {
    "attendees": ["id", "person", "organization", "title", "delegation", "role", "status", "DELETE"],
    "topics": ["id", "topic", "note", "DELETE"],
    "actions": [
        "id",
        "description",
        "countries",
        "organizations",
        "responsible_person",
        "due_date",
        "status",
        "completed_on",
        "completion_note",
        "DELETE",
    ],
    "sources": ["id", "kind", "title", "url", "published_on", "text", "DELETE"],
}
MANAGEMENT = ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]
MEETING_KEYS = (
    MEETING_FIELDS
    + [f"{prefix}-{i}-{name}" for prefix, names in ROW_FIELDS.items() for i in range(3) for name in names]
    + [f"{prefix}-{name}" for prefix in ROW_FIELDS for name in MANAGEMENT]
)
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def changes(keys: list[str]):
    """Some fields overwritten with hostile values, some dropped."""
    return st.tuples(
        st.dictionaries(st.sampled_from(keys), hostile_value, max_size=8),
        st.sets(st.sampled_from(keys), max_size=3),
    )


def tamper(data: dict, change) -> dict:
    overwrite, drop = change
    data = {**data, **overwrite}
    for key in drop:
        data.pop(key, None)
    return data


def snapshot() -> dict:
    return {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in MODELS}


def assert_safe(response) -> str:
    event(f"answered {response.status_code}")
    assert response.status_code < 500
    body = response.content.decode()
    assert SCRIPT not in body  # typed text comes back escaped, never as markup
    return body


def assert_unchanged_unless_saved(response, before: dict, saved_status: tuple[int, ...]) -> bool:
    if response.status_code in saved_status:
        return True
    assert snapshot() == before, "a rejected submission changed the database"
    return False


@pytest.fixture
def world(db, editor):
    """Existing records for the submissions to refer to (and for tampered ids to miss)."""
    attendance = AttendanceFactory(person__name="Aden Duale", meeting__title="Kenya–UK defence talks")
    meeting = attendance.meeting
    MeetingTopicFactory(meeting=meeting)
    ActionFactory(meeting=meeting)
    SourceFactory(meeting=meeting)
    return {"meeting": meeting}


@pytest.fixture
def records(db):
    from tests.factories import OrganizationFactory, PersonFactory, TopicFactory

    ke_mod = OrganizationFactory(name="Ministry of Defence", acronym="MoD", country="KE")
    return {
        "duale": PersonFactory(name="Aden Duale", country="KE"),
        "heapey": PersonFactory(name="James Heapey", country="GB"),
        "ke_mod": ke_mod,
        "gb_mod": OrganizationFactory(name="Ministry of Defence", acronym="MoD", country="GB"),
        "citsos": OrganizationFactory(name="CITSOS centre", country="KE"),
        "horn": TopicFactory(name="Horn of Africa"),
        "citsos_topic": TopicFactory(name="CITSOS"),
    }


@HYPOTHESIS
@given(change=changes(MEETING_KEYS))
def test_the_new_meeting_form_survives_hostile_input(editor_client, records, change):
    before = snapshot()
    response = editor_client.post(reverse("meeting-create"), tamper(reference_post(records), change))
    assert_safe(response)
    if assert_unchanged_unless_saved(response, before, (302,)):
        (new_id,) = Meeting.objects.exclude(pk__in=before["Meeting"]).values_list("pk", flat=True)
        for model in (Attendance, MeetingTopic, Action, Source, MeetingCountry):
            added = model.objects.exclude(pk__in=before[model.__name__])
            assert set(added.values_list("meeting_id", flat=True)) <= {new_id}
        assert editor_client.get(reverse("meeting-update", args=[new_id])).status_code == 200


@HYPOTHESIS
@given(change=changes(MEETING_KEYS))
def test_the_meeting_edit_form_survives_hostile_input(editor_client, editor, world, change):
    meeting = world["meeting"]
    meeting.refresh_from_db()
    before = snapshot()
    version = meeting.version
    data = tamper(edit_post(meeting, editor), change)
    response = editor_client.post(reverse("meeting-update", args=[meeting.pk]), data)
    assert_safe(response)
    meeting.refresh_from_db()
    if response.status_code != 302:
        assert meeting.version == version
        assert snapshot() == before, "a rejected submission changed the database"


@HYPOTHESIS
@given(change=changes(["start_date", "classification", "title", "kind"]))
def test_a_blank_meeting_form_with_no_rows_at_all_survives(editor_client, db, change):
    before = snapshot()
    data = tamper(meeting_post(), change)
    for key in [k for k in data if "FORMS" in k]:
        del data[key]  # every management form missing
    response = editor_client.post(reverse("meeting-create"), data)
    body = assert_safe(response)
    assert response.status_code == 200
    assert "ManagementForm data is missing or has been tampered with" in body
    assert snapshot() == before


RECORD_FORMS = [
    (
        "person-create",
        None,
        ["name", "honorific", "country", "organization", "title", "notes", "confirm_new"],
    ),
    ("organization-create", None, ["name", "acronym", "kind", "country", "parent", "confirm_new"]),
    ("topic-create", None, ["name", "parent", "description", "related_countries"]),
]
VALID_RECORDS = {
    "person-create": {"name": "Jane Official", "country": "KE", "title": "Director"},
    "organization-create": {"name": "Defence Staff College", "kind": "centre", "country": "KE"},
    "topic-create": {"name": "Cyber defence"},
}


@pytest.mark.parametrize(("url_name", "_kind", "fields"), RECORD_FORMS)
def test_record_forms_survive_hostile_input(editor_client, records, url_name, _kind, fields):
    @HYPOTHESIS
    @given(change=changes(fields))
    def run(change):
        before = snapshot()
        response = editor_client.post(reverse(url_name), tamper(VALID_RECORDS[url_name], change))
        assert_safe(response)
        assert_unchanged_unless_saved(response, before, (302,))

    run()


@pytest.mark.parametrize(
    ("url_name", "prefix", "fields"),
    [
        ("person-quick-create", "quick-person", ["name", "country", "organization", "title", "confirm_new"]),
        ("organization-quick-create", "quick-organization", ["name", "acronym", "kind", "country"]),
        ("topic-quick-create", "quick-topic", ["name", "parent"]),
    ],
)
def test_the_add_new_dialogs_survive_hostile_input(editor_client, records, url_name, prefix, fields):
    @HYPOTHESIS
    @given(change=changes([f"{prefix}-{name}" for name in fields]))
    def run(change):
        before = snapshot()
        response = editor_client.post(reverse(url_name), tamper({f"{prefix}-name": "Someone New"}, change))
        assert response.status_code in (201, 400)
        assert_unchanged_unless_saved(response, before, (201,))

    run()


def test_the_action_status_update_survives_hostile_input(editor_client, db):
    action = ActionFactory()
    prefix = f"action-{action.pk}"

    @HYPOTHESIS
    @given(
        change=changes([f"{prefix}-status", f"{prefix}-completed_on", f"{prefix}-completion_note", "next"])
    )
    def run(change):
        before = Action.objects.values().get(pk=action.pk)
        response = editor_client.post(
            reverse("action-update-status", args=[action.pk]),
            tamper({f"{prefix}-status": "done", f"{prefix}-completed_on": "2024-05-01"}, change),
            HTTP_HX_REQUEST="true",
        )
        assert_safe(response)
        after = Action.objects.values().get(pk=action.pk)
        if (
            "Give the date" in response.content.decode()
            or "Select a valid choice" in response.content.decode()
        ):
            assert after == before

    run()


@pytest.mark.parametrize("url_name", ["person-lookup", "organization-lookup"])
def test_look_ups_survive_hostile_queries(viewer_client, records, url_name):
    @HYPOTHESIS
    @given(query=hostile_scalar)
    def run(query):
        response = viewer_client.get(reverse(url_name), {"q": query})
        assert response.status_code == 200
        assert isinstance(response.json()["results"], list)

    run()


HUGE_ID = "99999999999999999999999"  # more than any database integer holds


@pytest.mark.parametrize(
    "url", ["/meetings/", "/actions/", "/people/", "/api/v1/meetings/", "/api/v1/actions/"]
)
@pytest.mark.parametrize("param", ["person", "organization", "topic", "meeting", "page", "per_page"])
def test_lists_take_ids_and_pages_no_database_integer_holds(viewer_client, db, url, param):
    response = viewer_client.get(url, {param: HUGE_ID})
    assert response.status_code in (200, 400, 404)


def test_the_meeting_form_takes_an_attendee_id_no_database_integer_holds(editor_client, records):
    data = meeting_post(attendees=[{"person": HUGE_ID, "role": "delegate", "status": "attended"}])
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.filter(title=data["title"]).exists()


def test_an_action_party_id_no_database_integer_holds_is_refused(editor_client, db):
    action = {"description": "Follow up", "organizations": [HUGE_ID], "status": "agreed"}
    data = meeting_post(actions=[action])
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.filter(title=data["title"]).exists()


@pytest.mark.parametrize("field", ["parent", "series", "organizations"])
def test_the_meeting_takes_a_record_id_no_database_integer_holds(editor_client, db, field):
    data = meeting_post({field: [HUGE_ID] if field == "organizations" else HUGE_ID})
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.filter(title=data["title"]).exists()


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("person-create", {"name": "Jane Doe", "organization": HUGE_ID}),
        ("organization-create", {"name": "Some ministry", "kind": "ministry", "parent": HUGE_ID}),
        ("topic-create", {"name": "Some topic", "parent": HUGE_ID}),
    ],
)
def test_record_forms_take_a_record_id_no_database_integer_holds(editor_client, db, url_name, data):
    response = editor_client.post(reverse(url_name), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()

"""The JSON API: same records, filters, rules and clearance as the pages."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from meetings.models import Action, Attendance, Meeting, Person
from tests.conftest import CONFIDENTIAL, SECRET, UNCLASSIFIED
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def token_client(user) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def api(editor):
    return token_client(editor)


@pytest.fixture
def viewer_api(viewer):
    return token_client(viewer)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


# A round trip ------------------------------------------------------------------------------


def test_a_meeting_round_trip_create_read_change_conflict_delete(api):
    duale, heapey = PersonFactory(name="Aden Duale", country="KE"), PersonFactory(name="James Heapey")
    mod = OrganizationFactory(name="Ministry of Defence", country="KE")
    security = TopicFactory(name="Regional security")
    created = post(
        api,
        "/api/v1/meetings/",
        {
            "title": "Kenya–UK defence talks",
            "kind": "bilateral",
            "status": "held",
            "start_date": "2024-02-26",
            "city": "Nairobi",
            "country": "KE",
            "host_country": "KE",
            "mentioned": ["SO", "ET"],
            "attendees": [
                {"person": duale.pk, "organization": mod.pk, "delegation": "KE", "role": "head"},
                {
                    "person": heapey.pk,
                    "delegation": "GB",
                    "role": "head",
                    "title": "Minister for the Armed Forces",
                },
            ],
            "topics": [{"topic": security.pk, "note": "The Horn of Africa"}],
            "actions": [
                {
                    "description": "Enhance intelligence sharing",
                    "countries": ["KE", "GB"],
                    "due_date": "2024-12-31",
                }
            ],
            "sources": [{"title": "Readout", "kind": "readout", "url": "https://example.org/readout"}],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert body["version"] == 1
    assert sorted(body["participants"]) == ["GB", "KE"]
    assert sorted(body["mentioned"]) == ["ET", "SO"]
    assert sorted(a["person_name"] for a in body["attendees"]) == ["Aden Duale", "James Heapey"]
    assert body["actions"][0]["countries"] == ["GB", "KE"]

    read = api.get(f"/api/v1/meetings/{pk}/").json()
    assert read["title"] == "Kenya–UK defence talks"
    assert read["topics"][0]["note"] == "The Horn of Africa"

    changed = patch(api, f"/api/v1/meetings/{pk}/", {"version": 1, "outcome": "A joint statement"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    assert len(changed.json()["attendees"]) == 2  # rows left out of a PATCH stay

    stale = patch(api, f"/api/v1/meetings/{pk}/", {"version": 1, "title": "Overwritten"})
    assert stale.status_code == 409
    conflict = stale.json()
    assert conflict["current_version"] == 2
    assert any(change["field"] == "outcome" for entry in conflict["changes"] for change in entry["changes"])
    assert Meeting.objects.get(pk=pk).title == "Kenya–UK defence talks"

    assert api.delete(f"/api/v1/meetings/{pk}/").status_code == 204
    assert not Meeting.objects.filter(pk=pk).exists()
    assert api.get(f"/api/v1/meetings/{pk}/").status_code == 404


# Refused input ------------------------------------------------------------------------------


def test_an_unknown_country_is_a_400_before_any_rule_is_checked(api):
    person = PersonFactory()
    response = post(
        api,
        "/api/v1/meetings/",
        {
            "title": "Talks",
            "start_date": "2024-03-10",
            "country": "XX",
            "attendees": [{"person": person.pk, "delegation": "ZZ"}],
        },
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["country"] == ["Unknown country code “XX”."]
    assert errors["attendees"] == [{"delegation": ["Unknown country code “ZZ”."]}]
    assert Meeting.objects.count() == Attendance.objects.count() == 0


def test_end_before_start_is_a_422_with_the_pages_messages_and_nothing_saved(api):
    person = PersonFactory()
    response = post(
        api,
        "/api/v1/meetings/",
        {
            "title": "Talks",
            "start_date": "2024-03-10",
            "end_date": "2024-03-09",
            "attendees": [{"person": person.pk, "delegation": "KE"}, {"person": 999999}],
            "actions": [{"description": "Follow up", "due_date": "2024-01-01"}],
        },
    )
    assert response.status_code == 422
    errors = response.json()
    assert errors["end_date"] == ["The end date cannot be before the start date."]
    assert errors["attendees"][0] == {}
    assert "person" in errors["attendees"][1]
    assert "cannot be before the meeting" in errors["actions"][0]["due_date"][0]
    assert Meeting.objects.count() == Attendance.objects.count() == Action.objects.count() == 0


@pytest.mark.parametrize("payload", [[1, 2], "text", {"title": {"nested": 1}, "start_date": "2024-01-01"}])
def test_malformed_json_is_a_400_never_a_500(api, payload):
    response = post(api, "/api/v1/meetings/", payload)
    assert response.status_code == 400
    assert Meeting.objects.count() == 0


def test_nobody_records_a_meeting_above_their_clearance(client):
    confidential = UserFactory(role="editor", clearance=CONFIDENTIAL)
    api = token_client(confidential)
    response = post(
        api, "/api/v1/meetings/", {"title": "T", "start_date": "2024-01-01", "classification": SECRET}
    )
    assert response.status_code == 422
    assert "at or below your clearance" in response.json()["classification"][0]
    meeting = MeetingFactory(classification=CONFIDENTIAL)
    moved = patch(api, f"/api/v1/meetings/{meeting.pk}/", {"version": 1, "classification": SECRET})
    assert moved.status_code == 422
    meeting.refresh_from_db()
    assert meeting.classification == CONFIDENTIAL


def test_a_patch_without_version_is_refused(api):
    meeting = MeetingFactory()
    response = patch(api, f"/api/v1/meetings/{meeting.pk}/", {"title": "New"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_row_list_replaces_the_rows_and_unknown_row_ids_are_refused(api):
    meeting = MeetingFactory()
    kept, dropped = AttendanceFactory(meeting=meeting), AttendanceFactory(meeting=meeting)
    other = AttendanceFactory()
    refused = patch(api, f"/api/v1/meetings/{meeting.pk}/", {"version": 1, "attendees": [{"id": other.pk}]})
    assert refused.status_code == 422
    assert "id" in refused.json()["attendees"][0]
    response = patch(
        api,
        f"/api/v1/meetings/{meeting.pk}/",
        {"version": 1, "attendees": [{"id": kept.pk, "title": "Chief"}]},
    )
    assert response.status_code == 200, response.json()
    assert [(a["id"], a["title"]) for a in response.json()["attendees"]] == [(kept.pk, "Chief")]
    assert not Attendance.objects.filter(pk=dropped.pk).exists()


# People, organisations, topics, actions ----------------------------------------------------


def test_people_are_written_through_the_person_form(api):
    PersonFactory(name="James Heapey")
    similar = post(api, "/api/v1/people/", {"name": "J. Heapey", "country": "GB"})
    assert similar.status_code == 422
    assert "similar name" in similar.json()["name"][0]
    created = post(api, "/api/v1/people/", {"name": "J. Heapey", "country": "GB", "confirm_new": True})
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = patch(api, f"/api/v1/people/{pk}/", {"version": 1, "title": "Minister"}).json()
    assert (changed["title"], changed["version"]) == ("Minister", 2)
    assert Person.objects.get(pk=pk).country == "GB"
    assert api.delete(f"/api/v1/people/{pk}/").status_code == 204


def test_a_record_still_in_use_is_not_deleted(api):
    attendance = AttendanceFactory()
    response = api.delete(f"/api/v1/people/{attendance.person_id}/")
    assert response.status_code == 409
    assert "recorded as attending 1 meeting" in response.json()["detail"]


def test_organisations_and_topics_round_trip(api):
    parent = post(api, "/api/v1/topics/", {"name": "Regional security"}).json()
    child = post(
        api,
        "/api/v1/topics/",
        {"name": "Horn of Africa", "parent": parent["id"], "related_countries": ["SO"]},
    )
    assert child.status_code == 201, child.json()
    assert child.json()["path"] == "Regional security › Horn of Africa"
    assert child.json()["related_countries"] == ["SO"]
    duplicate = post(api, "/api/v1/topics/", {"name": "horn of africa", "parent": parent["id"]})
    assert duplicate.status_code == 422
    org = post(
        api,
        "/api/v1/organizations/",
        {"name": "British Army Training Unit Kenya", "acronym": "BATUK", "kind": "unit", "country": "GB"},
    )
    assert org.status_code == 201, org.json()
    assert api.get(f"/api/v1/organizations/{org.json()['id']}/").json()["acronym"] == "BATUK"


def test_an_action_is_written_on_its_own_and_moves_its_meetings_version_on(api):
    meeting = MeetingFactory(start_date=datetime.date(2024, 2, 26))
    other = ActionFactory(meeting=meeting, description="Already agreed")
    other_updated = Action.objects.get(pk=other.pk).updated_at
    created = post(
        api, "/api/v1/actions/", {"meeting": meeting.pk, "description": "Support CITSOS", "countries": ["GB"]}
    )
    assert created.status_code == 201, created.json()
    action = created.json()
    assert action["countries"] == ["GB"] and action["meeting"] == meeting.pk and action["version"] == 1
    early = patch(api, f"/api/v1/actions/{action['id']}/", {"version": 1, "due_date": "2024-01-01"})
    assert early.status_code == 422
    assert "cannot be before the meeting" in early.json()["due_date"][0]
    done = patch(
        api,
        f"/api/v1/actions/{action['id']}/",
        {"version": 1, "status": "done", "completed_on": "2024-05-01"},
    )
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["version"], done.json()["countries"]) == ("done", 2, ["GB"])
    meeting.refresh_from_db()
    assert meeting.version == 3  # the meeting page opened before either write is refused
    assert Action.objects.get(pk=other.pk).updated_at == other_updated  # the rest of the meeting untouched
    assert api.delete(f"/api/v1/actions/{action['id']}/").status_code == 204
    assert list(meeting.actions.values_list("pk", flat=True)) == [other.pk]
    meeting.refresh_from_db()
    assert meeting.version == 4


def test_a_stale_action_version_is_a_409_with_what_changed(api):
    action = ActionFactory(description="Deliver kit", status="agreed")
    first = patch(api, f"/api/v1/actions/{action.pk}/", {"version": 1, "status": "in_progress"})
    assert first.status_code == 200, first.json()
    stale = patch(api, f"/api/v1/actions/{action.pk}/", {"version": 1, "description": "Overwritten"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert "since you read it" in body["detail"]
    changes = [change for entry in body["changes"] for change in entry["changes"]]
    assert {"field": "status", "old": "Agreed", "new": "In progress"} in changes
    action.refresh_from_db()
    assert (action.description, action.status, action.version) == ("Deliver kit", "in_progress", 2)


def test_put_requires_what_the_schema_requires_and_patch_changes_only_what_it_is_given(api):
    person = PersonFactory()
    action = ActionFactory(responsible_person=person, due_date=datetime.date(2099, 1, 1), status="blocked")
    empty = api.put(f"/api/v1/actions/{action.pk}/", {}, content_type="application/json")
    assert empty.status_code == 400
    assert set(empty.json()) == {"description", "version"}
    patched = patch(api, f"/api/v1/actions/{action.pk}/", {"version": 1, "completion_note": "Half"})
    assert patched.status_code == 200
    assert (patched.json()["responsible_person"], patched.json()["status"]) == (person.pk, "blocked")
    replaced = api.put(
        f"/api/v1/actions/{action.pk}/",
        {"version": 2, "description": "Anew"},
        content_type="application/json",
    )
    assert replaced.status_code == 200, replaced.json()
    body = replaced.json()
    assert (body["description"], body["responsible_person"], body["due_date"]) == ("Anew", None, None)
    assert (body["status"], body["completion_note"]) == ("agreed", "")


def test_an_actions_meeting_is_set_once(api):
    action = ActionFactory()
    elsewhere = MeetingFactory()
    moved = patch(api, f"/api/v1/actions/{action.pk}/", {"version": 1, "meeting": elsewhere.pk})
    assert moved.status_code == 422
    assert "stays with the meeting" in moved.json()["meeting"][0]
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert "meeting" not in schemas["PatchedActionUpdateRequest"]["properties"]
    assert "meeting" in schemas["ActionCreateRequest"]["required"]


@pytest.mark.parametrize(
    "url_of, field, value",
    [
        (lambda: f"/api/v1/people/{PersonFactory().pk}/", "title", "Chief of Staff"),
        (lambda: f"/api/v1/organizations/{OrganizationFactory().pk}/", "acronym", "MOD"),
        (lambda: f"/api/v1/topics/{TopicFactory().pk}/", "description", "Borders"),
    ],
)
def test_people_organisations_and_topics_refuse_a_stale_version(api, url_of, field, value):
    url = url_of()
    assert patch(api, url, {field: value}).status_code == 400  # the version is required
    assert patch(api, url, {"version": 1, field: value}).status_code == 200
    stale = patch(api, url, {"version": 1, field: "Overwritten"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert any(change["new"] == value for entry in stale.json()["changes"] for change in entry["changes"])
    assert api.get(url).json()[field] == value


def test_the_schema_requires_the_version_of_every_change(api):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    for name in ("Meeting", "Action", "Person", "Organization", "Topic"):
        for request in (f"{name}UpdateRequest", f"Patched{name}UpdateRequest"):
            assert "version" in schemas[request]["required"], request
        assert schemas[name]["properties"]["version"]["readOnly"]
    put = schemas["MeetingUpdateRequest"]["required"]
    assert {"title", "start_date", "attendees", "topics", "actions", "sources"} <= set(put)


def test_put_on_a_meeting_replaces_it_rows_included(api):
    meeting = MeetingFactory(summary="Long summary", city="Nairobi")
    AttendanceFactory(meeting=meeting)
    ActionFactory(meeting=meeting)
    body = {"version": 1, "title": "Talks", "start_date": "2024-01-01"}
    missing = api.put(f"/api/v1/meetings/{meeting.pk}/", body, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"attendees", "topics", "actions", "sources"}
    rows = {"attendees": [], "topics": [], "actions": [], "sources": []}
    replaced = api.put(f"/api/v1/meetings/{meeting.pk}/", body | rows, content_type="application/json")
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["summary"], replaced.json()["city"], replaced.json()["attendees"]) == ("", "", [])
    assert meeting.actions.count() == 0


def test_an_action_needs_a_meeting_the_person_may_see(api, editor):
    secret = MeetingFactory(classification=SECRET)
    low = token_client(UserFactory(role="editor", clearance=UNCLASSIFIED))
    for meeting_id in (secret.pk, 999999):
        response = post(low, "/api/v1/actions/", {"meeting": meeting_id, "description": "x"})
        assert response.status_code == 422
        assert response.json() == {"meeting": ["No meeting with this id."]}
    assert Action.objects.count() == 0


# Access -------------------------------------------------------------------------------------


def test_a_secret_meeting_is_invisible_to_a_low_clearance_token():
    low = token_client(UserFactory(role="viewer", clearance=UNCLASSIFIED))
    open_meeting = MeetingFactory(title="Open talks")
    secret = MeetingFactory(title="ZEBRAFINCH talks", classification=SECRET, parent=None)
    side = MeetingFactory(title="Side talks", parent=secret)
    ActionFactory(meeting=secret, description="ZEBRAFINCH action")
    listing = low.get("/api/v1/meetings/")
    assert listing.json()["count"] == 2
    assert "ZEBRAFINCH" not in listing.content.decode()
    assert low.get(f"/api/v1/meetings/{secret.pk}/").status_code == 404
    assert low.get(f"/api/v1/meetings/{side.pk}/").json()["parent"] is None
    assert low.get("/api/v1/actions/").json()["count"] == 0
    assert low.get("/api/v1/meetings/", {"q": "zebrafinch"}).json()["count"] == 0
    assert low.get(f"/api/v1/meetings/{open_meeting.pk}/").status_code == 200


def test_viewers_get_403_on_every_write(viewer_api):
    meeting = MeetingFactory()
    person, action = PersonFactory(), ActionFactory(meeting=meeting)
    writes = [
        ("post", "/api/v1/meetings/"),
        ("patch", f"/api/v1/meetings/{meeting.pk}/"),
        ("put", f"/api/v1/meetings/{meeting.pk}/"),
        ("delete", f"/api/v1/meetings/{meeting.pk}/"),
        ("post", "/api/v1/people/"),
        ("patch", f"/api/v1/people/{person.pk}/"),
        ("delete", f"/api/v1/people/{person.pk}/"),
        ("post", "/api/v1/organizations/"),
        ("post", "/api/v1/topics/"),
        ("post", "/api/v1/actions/"),
        ("patch", f"/api/v1/actions/{action.pk}/"),
        ("delete", f"/api/v1/actions/{action.pk}/"),
    ]
    for method, url in writes:
        response = getattr(viewer_api, method)(
            url, {"title": "x", "name": "x"}, content_type="application/json"
        )
        assert response.status_code == 403, (method, url)
    assert Meeting.objects.get().version == 1 and Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("url", ["/api/v1/meetings/", "/api/v1/people/", "/api/schema/"])
def test_anonymous_requests_get_401_json_not_a_redirect(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/")
    assert "Location" not in response
    assert client.get(url, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401


def test_session_writes_still_need_the_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.get("/api/v1/meetings/").status_code == 200
    response = post(browser, "/api/v1/people/", {"name": "Someone New"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_token_has_a_request_budget(settings, editor):
    settings.API_TOKEN_RATE = "3/minute"
    api = token_client(editor)
    assert [api.get("/api/v1/topics/").status_code for _ in range(4)] == [200, 200, 200, 429]


# Lists ----------------------------------------------------------------------------------


def test_filters_give_the_same_meetings_as_the_web_list(api, editor_client):
    topic = TopicFactory(name="Counter-terrorism")
    person = PersonFactory()
    for index in range(12):
        meeting = MeetingFactory(
            start_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=40 * index),
            country="GB" if index % 2 else "KE",
            kind="call" if index % 3 else "bilateral",
        )
        if index % 4 == 0:
            MeetingTopicFactory(meeting=meeting, topic=topic)
        if index % 5 == 0:
            AttendanceFactory(meeting=meeting, person=person)
    queries = [
        "country=GB",
        f"topic={topic.pk}",
        "date_after=2023-06-01&date_before=2024-06-01",
        "kind=call&kind=visit",
        f"person={person.pk}",
        "q=Defence",
        "status=held&country=KE",
    ]
    for query in queries:
        page = editor_client.get(f"/meetings/?{query}&export=json&columns=title")
        web = sorted(row["Title"] for row in json.loads(b"".join(page.streaming_content)))
        api_titles = sorted(
            m["title"] for m in api.get(f"/api/v1/meetings/?{query}&per_page=100").json()["results"]
        )
        assert api_titles == web, query
        assert web or query == "q=Defence"


def test_action_filters_match_the_action_tracker(api, editor_client):
    meeting = MeetingFactory()
    ActionFactory(meeting=meeting, due_date=datetime.date(2020, 1, 1))
    ActionFactory(meeting=meeting, due_date=datetime.date(2099, 1, 1))
    for query in ("overdue=true", "status=agreed", f"meeting={meeting.pk}"):
        web = json.loads(b"".join(editor_client.get(f"/actions/?{query}&export=json").streaming_content))
        assert api.get(f"/api/v1/actions/?{query}").json()["count"] == len(web), query


def test_an_invalid_filter_is_a_400(api):
    response = api.get("/api/v1/meetings/?country=XX")
    assert response.status_code == 400
    assert "country" in response.json()


def test_pages_are_sorted(api):
    for index in range(3):
        MeetingFactory(title=f"Talks {index}")
    body = api.get("/api/v1/meetings/?sort=title&per_page=100").json()
    assert [m["title"] for m in body["results"]] == ["Talks 0", "Talks 1", "Talks 2"]
    assert api.get("/api/v1/meetings/?sort=-title&per_page=2").json()["results"][0]["title"] == "Talks 2"


def full_meeting(index: int) -> Meeting:
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, organization=OrganizationFactory())
    MeetingTopicFactory(meeting=meeting)
    ActionFactory(meeting=meeting)
    meeting.organizations.add(OrganizationFactory())
    return meeting


@pytest.mark.parametrize(
    "url",
    ["/api/v1/meetings/", "/api/v1/actions/", "/api/v1/people/", "/api/v1/organizations/", "/api/v1/topics/"],
)
def test_list_query_counts_do_not_grow_with_rows(api, django_assert_max_num_queries, url):
    counts = []
    for total in (10, 50):
        while Meeting.objects.count() < total:
            full_meeting(Meeting.objects.count())
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, {"per_page": 100})
        assert response.status_code == 200
        assert response.json()["count"] >= total
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(14):
        api.get(url, {"per_page": 100})


def test_create_user_can_hand_out_a_token(capsys):
    from django.core.management import call_command

    call_command(
        "create_user",
        "robot",
        role="viewer",
        clearance="RESTRICTED",
        password="long-enough-pass-42",
        api_token=True,
    )
    key = capsys.readouterr().out.split("API token: ")[1].strip()
    robot = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert robot.get("/api/v1/meetings/").status_code == 200
    assert robot.post("/api/v1/people/", {"name": "x"}, content_type="application/json").status_code == 403


# Every answer is JSON, errors in one shape ------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "url", ["/api/v1/nothing/", "/api/v1/meetings/abc/", "/api/v1/meetings/-3/", "/api/x"]
)
def test_addresses_that_name_nothing_answer_in_json_whatever_debug_is(api, settings, debug, url):
    settings.DEBUG = debug
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("debug", [True, False])
def test_a_crash_answers_a_json_500(editor, settings, monkeypatch, debug):
    settings.DEBUG = debug
    token = Token.objects.create(user=editor)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}", raise_request_exception=False)

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("meetings.api.views.PersonViewSet.get_queryset", crash)
    response = client.get("/api/v1/people/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "Nothing was saved" in response.json()["detail"]
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_the_limit_is_a_json_413_and_saves_nothing(api, settings, debug):
    settings.DEBUG = debug
    big = {"name": "x" * (6 * 2**20 + 10)}
    response = post(api, "/api/v1/people/", big)
    assert response.status_code == 413
    assert "at most 6 MiB" in response.json()["detail"]
    assert Person.objects.count() == 0


def test_more_than_a_thousand_parameters_is_a_json_413(api):
    query = "&".join(f"kind=call&x{index}=1" for index in range(600))
    response = api.get(f"/api/v1/meetings/?{query}")
    assert response.status_code == 413
    assert "1,000 parameters" in response.json()["detail"]


def test_a_form_encoded_write_is_a_json_415(api):
    response = api.post("/api/v1/people/", {"name": "Aden Duale"})
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert Person.objects.count() == 0


def test_json_nested_a_hundred_thousand_levels_deep_is_a_400(api):
    depth = 100_000
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    for url in ("/api/v1/people/", "/api/v1/meetings/"):
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert "nested too deeply" in response.json()["detail"]


def test_a_method_the_api_does_not_offer_is_a_json_405_with_allow(api):
    response = api.generic("TRACE", "/api/v1/people/")
    assert response.status_code == 405
    assert "detail" in response.json()
    assert "GET" in response["Allow"]


def test_the_api_root_lists_the_endpoints_the_schema_and_the_docs(api, client):
    root = api.get("/api/v1/")
    assert root.status_code == 200
    links = root.json()
    assert links["meetings"] == "http://testserver/api/v1/meetings/"
    assert links["actions"] == "http://testserver/api/v1/actions/"
    assert links["schema"] == "http://testserver/api/schema/"
    assert links["docs"] == "http://testserver/api/docs/"
    for url in links.values():
        assert api.get(url).status_code == 200, url
    assert client.get("/api/v1/").status_code == 401


def test_the_schema_declares_one_error_shape_and_json_only_writes(api):
    schema = api.get("/api/schema/?format=json").json()
    error_ref = "#/components/schemas/Error"
    assert "detail" in schema["components"]["schemas"]["Error"]["properties"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body:
                assert list(body["content"]) == ["application/json"], (method, path)
            for code, response in operation["responses"].items():
                if code >= "400":
                    assert response["content"]["application/json"]["schema"] == {"$ref": error_ref}
    codes = set(schema["paths"]["/api/v1/meetings/{id}/"]["patch"]["responses"])
    assert {"400", "401", "403", "404", "409", "413", "415", "422", "429"} <= codes


# Types, ids and parameters as the schema says --------------------------------------------


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("per_page=0", "per_page"),
        ("per_page=-3", "per_page"),
        ("per_page=", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("sort=bogus", "sort"),
        ("sort=title,-id", "sort"),
        ("topic=abc", "topic"),
        ("topic=-4", "topic"),
        ("person=99999999999999999999", "person"),
        ("date_after=2024-13-01", "date_after"),
        ("date_before=yesterday", "date_before"),
        ("kind=party", "kind"),
        ("marking=9", "marking"),
    ],
)
def test_a_meeting_list_parameter_of_the_wrong_type_is_a_400_naming_it(api, query, parameter):
    response = api.get(f"/api/v1/meetings/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(
    "query, parameter",
    [("overdue=0", "overdue"), ("overdue=yes", "overdue"), ("due_after=2024-02-30", "due_after")],
)
def test_an_action_list_parameter_of_the_wrong_type_is_a_400_naming_it(api, query, parameter):
    response = api.get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_overdue_true_and_false_mean_what_they_say(api):
    meeting = MeetingFactory()
    late = ActionFactory(meeting=meeting, due_date=datetime.date(2020, 1, 1))
    ActionFactory(meeting=meeting, due_date=datetime.date(2099, 1, 1))
    assert [a["id"] for a in api.get("/api/v1/actions/?overdue=true").json()["results"]] == [late.pk]
    assert api.get("/api/v1/actions/?overdue=false").json()["count"] == 2


def test_an_id_that_names_no_record_is_an_empty_list_not_an_error(api):
    MeetingFactory()
    for url in ("/api/v1/meetings/?topic=999999", "/api/v1/actions/?meeting=999999"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] == 0


def test_a_hidden_meeting_filters_actions_like_an_unknown_one():
    secret = MeetingFactory(classification=SECRET)
    ActionFactory(meeting=secret)
    low = token_client(UserFactory(role="viewer", clearance=UNCLASSIFIED))
    response = low.get(f"/api/v1/actions/?meeting={secret.pk}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_the_schema_types_every_list_parameter(api):
    schema = api.get("/api/schema/?format=json").json()
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert params["topic"]["type"] == "integer" and params["topic"]["minimum"] == 1
    assert params["per_page"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "-start_date" in params["sort"]["enum"] and "bogus" not in params["sort"]["enum"]
    assert params["date_after"] == {"type": "string", "format": "date"}
    assert params["kind"]["items"]["enum"] == [value for value, _ in Meeting.Kind.choices]
    assert params["marking"]["type"] == "integer"
    actions = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert actions["overdue"] == {"type": "boolean"}
    assert "date" not in params and "due" not in actions


@pytest.mark.parametrize("bad_id", [-9223372036854775809, -1, 0, 9223372036854775808, "3", 1.5, True])
def test_every_id_in_a_list_of_ids_of_the_wrong_kind_is_a_400(api, bad_id):
    meeting = MeetingFactory()
    action = ActionFactory(meeting=meeting)
    writes = [
        ("post", "/api/v1/meetings/", {"title": "T", "start_date": "2024-01-01", "organizations": [bad_id]}),
        ("post", "/api/v1/actions/", {"meeting": meeting.pk, "description": "x", "organizations": [bad_id]}),
        ("patch", f"/api/v1/actions/{action.pk}/", {"organizations": [bad_id]}),
        ("post", "/api/v1/people/", {"name": "Someone", "organization": bad_id}),
    ]
    for method, url, body in writes:
        response = getattr(api, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        field = "organization" if "people" in url else "organizations"
        assert field in response.json(), url
    assert Meeting.objects.count() == 1 and Person.objects.count() == 0


def test_the_forms_take_a_negative_id_too_large_for_any_integer_as_no_record(editor_client):
    response = editor_client.get("/meetings/?organization=-9223372036854775809")
    assert response.status_code == 200


@pytest.mark.parametrize("name", [12345, True, ["a", "b"], {"x": 1}, None])
def test_a_value_of_the_wrong_json_type_is_refused_not_stored_as_text(api, name):
    response = post(api, "/api/v1/people/", {"name": name})
    assert response.status_code == 400
    assert "name" in response.json()
    assert Person.objects.count() == 0


def test_a_marking_is_the_number_not_its_text(api):
    response = post(
        api, "/api/v1/meetings/", {"title": "T", "start_date": "2024-01-01", "classification": "1"}
    )
    assert response.status_code == 400
    assert "classification" in response.json()


def test_times_are_read_as_they_are_written_without_an_offset(api):
    created = post(
        api, "/api/v1/meetings/", {"title": "Call", "start_date": "2024-01-01", "start_time": "09:30"}
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["start_time"] == "09:30:00"
    again = patch(
        api, f"/api/v1/meetings/{meeting['id']}/", {"version": 1, "start_time": meeting["start_time"]}
    )
    assert again.status_code == 200, again.json()
    offset = patch(api, f"/api/v1/meetings/{meeting['id']}/", {"version": 2, "start_time": "09:30:00Z"})
    assert offset.status_code == 400
    assert "without an offset" in offset.json()["start_time"][0]
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    start_time = schema["Meeting"]["properties"]["start_time"]
    assert "format" not in start_time and start_time["pattern"]


def test_e_mail_addresses_are_written_through_the_api_as_the_schema_says(api):
    person = PersonFactory()
    organization = OrganizationFactory()
    email = {"version": 1, "email": "duale@mod.example"}
    assert patch(api, f"/api/v1/people/{person.pk}/", email).status_code == 200
    contact = {"version": 1, "contact_email": "ir@mod.example"}
    changed = patch(api, f"/api/v1/organizations/{organization.pk}/", contact)
    assert changed.status_code == 200
    person.refresh_from_db()
    organization.refresh_from_db()
    assert (person.email, organization.contact_email) == ("duale@mod.example", "ir@mod.example")
    refused = patch(api, f"/api/v1/people/{person.pk}/", {"version": 2, "email": "not an address"})
    assert refused.status_code == 400
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert not schemas["Person"]["properties"]["email"].get("readOnly")
    assert "email" in schemas["PatchedPersonUpdateRequest"]["properties"]
    assert "contact_email" in schemas["PatchedOrganizationUpdateRequest"]["properties"]


def test_single_line_fields_are_declared_and_refused_as_the_schema_says(api):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    title = schemas["MeetingRequest"]["properties"]["title"]
    assert title["pattern"].startswith("^[^\n\r")
    venue = schemas["MeetingRequest"]["properties"]["venue"]
    assert "oneOf" not in venue and venue["pattern"] == title["pattern"]
    response = post(api, "/api/v1/meetings/", {"title": "Talks\r\nX-Injected: 1", "start_date": "2024-01-01"})
    assert response.status_code == 400
    assert "one line" in response.json()["title"][0]
    assert Meeting.objects.count() == 0

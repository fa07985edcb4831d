"""Names, titles and places are one line on every way in, and calendars survive any text."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Attendance, Meeting, Organization, Person, Topic
from tests.factories import AttendanceFactory, MeetingFactory, MeetingTopicFactory
from tests.test_import import csv_bytes, errors_of, upload
from tests.test_meeting_form import meeting_post

pytestmark = pytest.mark.django_db
BROKEN = "Kenya–UK talks\r\nInjected: line"
MESSAGE = "Keep this to one line: line breaks are not allowed here."


@pytest.mark.parametrize("field", ["title", "city", "venue"])
def test_the_meeting_form_refuses_a_line_break_next_to_the_field(editor_client, field):
    data = meeting_post({field: BROKEN})
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [MESSAGE]
    assert "Injected: line" in response.content.decode()  # what was typed is kept
    assert not Meeting.objects.exists()


def test_an_attendees_title_on_the_day_is_one_line(editor_client):
    person = Person.objects.create(name="Aden Duale", country="KE")
    data = meeting_post(attendees=[{"person": person.pk, "title": "Cabinet\nSecretary", "role": "head"}])
    response = editor_client.post(reverse("meeting-create"), data)
    assert response.context["editor"].attendees.forms[0].errors["title"] == [MESSAGE]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "url_name,field", [("person-create", "name"), ("organization-create", "name"), ("topic-create", "name")]
)
def test_record_forms_refuse_a_line_break(editor_client, url_name, field):
    response = editor_client.post(reverse(url_name), {field: "Two\rlines", "kind": "ministry"})
    assert response.status_code == 200
    assert MESSAGE in response.context["form"].errors[field]
    assert not (Person.objects.exists() or Organization.objects.exists() or Topic.objects.exists())


def test_the_api_refuses_a_line_break_by_field(editor_client):
    body = {"title": BROKEN, "start_date": "2024-02-26", "city": "Nairobi\nEast"}
    response = editor_client.post("/api/v1/meetings/", json.dumps(body), content_type="application/json")
    assert response.status_code in (400, 422)
    errors = response.json()
    assert errors["title"] == [MESSAGE] and errors["city"] == [MESSAGE]
    assert not Meeting.objects.exists()


def test_the_importer_refuses_a_line_break_in_a_title(editor_client):
    response = upload(editor_client, csv_bytes([["Title", "Date"], [BROKEN, "2024-02-26"]]))
    assert (2, "Title", MESSAGE) in errors_of(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("field", ["title", "city", "venue", "timezone"])
def test_the_database_refuses_a_line_break_whoever_writes(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(**{field: "one\ntwo"})
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(**{field: "one\rtwo"})


def test_a_calendar_file_is_written_whatever_the_text_holds(viewer_client):
    """Multi-line notes, and control characters the database takes in any text."""
    meeting = MeetingFactory(
        title="Talks\x0bwith\x1bcontrols\x7f",
        city="Nairobi\x0c",
        start_time="10:00",
        timezone="Africa/Nairobi",
    )
    MeetingTopicFactory(meeting=meeting, note="Line one\r\nLine two\rthree\nfour\x01five")
    AttendanceFactory(meeting=meeting, title="Host\x1d\x1e", person__honorific="Hon.\x85")
    response = viewer_client.get(reverse("meeting-calendar", args=[meeting.pk]))
    assert response.status_code == 200
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Talkswithcontrols"
    assert "Line one\nLine two\nthree\nfourfive" in str(event["DESCRIPTION"])

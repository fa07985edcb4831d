"""Meetings in people's calendars: one meeting's .ics file and the private subscription feed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import CalendarFeed, Meeting
from tests.conftest import RESTRICTED, SECRET, UNCLASSIFIED
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def calendar_program():
    """A client that never signs in, as a calendar program reading the feed."""
    return Client()


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@defence-meetings"


def subscribe(client) -> str:
    """Makes the signed-in person's address through the page, as they would; returns its path."""
    client.post(reverse("calendar-subscription-issue"))
    page = client.get(reverse("calendar-subscription")).content.decode()
    start = page.index("/calendar/feed/")
    return page[start : page.index('"', start)].split("testserver")[-1]


# --- One meeting -----------------------------------------------------------------------------


def test_a_meeting_downloads_as_an_all_day_event_with_place_people_and_topics(viewer_client):
    meeting = MeetingFactory(
        title="Kenya–UK defence talks",
        start_date=datetime.date(2024, 2, 26),
        venue="Ministry of Defence",
        city="Nairobi",
        country="KE",
    )
    duale = PersonFactory(name="Aden Duale", honorific="Hon.", country="KE")
    AttendanceFactory(
        meeting=meeting,
        person=duale,
        title="Cabinet Secretary for Defence",
        organization=OrganizationFactory(name="Ministry of Defence", country="KE"),
        role="head",
    )
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="James Heapey"), title="Minister for the Armed Forces"
    )
    MeetingTopicFactory(meeting=meeting, topic=TopicFactory(name="Horn of Africa"), note="Regional security.")

    response = viewer_client.get(reverse("meeting-calendar", args=[meeting.pk]))
    calendar = parse(response)

    assert "attachment" in response["Content-Disposition"] and ".ics" in response["Content-Disposition"]
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == uid(meeting)
    assert event.start == datetime.date(2024, 2, 26)
    assert event.end == datetime.date(2024, 2, 27)  # exclusive: one whole day
    assert event["SUMMARY"] == "Kenya–UK defence talks"
    assert event["LOCATION"] == "Ministry of Defence, Nairobi, Kenya"
    assert event["URL"] == f"http://testserver/meetings/{meeting.pk}/"
    description = str(event["DESCRIPTION"])
    assert "Kenya (host):" in description
    assert "Hon. Aden Duale (Cabinet Secretary for Defence, Ministry of Defence)" in description
    assert "James Heapey (Minister for the Armed Forces)" in description
    assert "Horn of Africa: Regional security." in description


def test_a_timed_meeting_keeps_its_own_time_zone(viewer_client):
    meeting = MeetingFactory(
        start_date=datetime.date(2024, 2, 26),
        start_time=datetime.time(10, 30),
        end_time=datetime.time(12, 0),
        timezone="Africa/Nairobi",
    )
    calendar = parse(viewer_client.get(reverse("meeting-calendar", args=[meeting.pk])))

    (event,) = calendar.walk("VEVENT")
    assert event.start == datetime.datetime(
        2024, 2, 26, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )
    assert event.end - event.start == datetime.timedelta(minutes=90)
    assert event["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]


def test_a_meeting_over_several_days_without_times_spans_them_all(viewer_client):
    meeting = MeetingFactory(start_date=datetime.date(2024, 6, 3), end_date=datetime.date(2024, 6, 5))
    (event,) = parse(viewer_client.get(reverse("meeting-calendar", args=[meeting.pk]))).walk("VEVENT")
    assert (event.start, event.end) == (datetime.date(2024, 6, 3), datetime.date(2024, 6, 6))


def test_a_call_has_no_location_and_a_marked_meeting_says_its_marking(viewer_client):
    call = MeetingFactory(
        title="Phone call", kind=Meeting.Kind.CALL, city="", country="", classification=RESTRICTED
    )
    (event,) = parse(viewer_client.get(reverse("meeting-calendar", args=[call.pk]))).walk("VEVENT")
    assert "LOCATION" not in event
    assert event["SUMMARY"] == "[RESTRICTED] Phone call"


def test_a_meeting_above_clearance_does_not_download(viewer_client):
    secret = MeetingFactory(classification=SECRET)
    assert viewer_client.get(reverse("meeting-calendar", args=[secret.pk])).status_code == 404


def test_the_meeting_page_links_to_its_calendar_file(viewer_client):
    meeting = MeetingFactory()
    page = viewer_client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="/meetings/{meeting.pk}/calendar.ics"' in page
    assert "Add to calendar" in page


# --- The subscription page -------------------------------------------------------------------


def test_the_address_is_made_shown_once_and_kept_only_as_a_digest(viewer_client, viewer):
    assert "Create my address" in viewer_client.get(reverse("calendar-subscription")).content.decode()

    path = subscribe(viewer_client)

    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    assert len(token) >= 40
    stored = CalendarFeed.objects.get(user=viewer)
    assert stored.token != token and token not in stored.token
    again = viewer_client.get(reverse("calendar-subscription")).content.decode()
    assert token not in again
    assert "Replace with a new address" in again and "Revoke the address" in again
    assert "Not read by any calendar yet" in again


def test_the_navigation_links_to_the_subscription_page(viewer_client):
    assert 'href="/calendar/"' in viewer_client.get(reverse("dashboard")).content.decode()


def test_the_page_shows_when_the_feed_was_last_read(calendar_program, viewer_client):
    path = subscribe(viewer_client)
    calendar_program.get(path)
    assert (
        "Last read by a calendar on" in viewer_client.get(reverse("calendar-subscription")).content.decode()
    )


def test_the_buttons_only_answer_posts(viewer_client):
    assert viewer_client.get(reverse("calendar-subscription-issue")).status_code == 405
    assert viewer_client.get(reverse("calendar-subscription-revoke")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_subscription_page_needs_sign_in(client):
    for name in ("calendar-subscription", "calendar-subscription-issue", "calendar-subscription-revoke"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not CalendarFeed.objects.exists()


# --- The feed --------------------------------------------------------------------------------


@pytest.fixture
def feed_meetings():
    return {
        "coming": MeetingFactory(
            title="Coming talks", start_date=TODAY + datetime.timedelta(days=10), status="planned"
        ),
        "recent": MeetingFactory(title="Recent talks", start_date=TODAY - datetime.timedelta(days=30)),
        "cancelled": MeetingFactory(
            title="Cancelled visit", start_date=TODAY + datetime.timedelta(days=5), status="cancelled"
        ),
        "old": MeetingFactory(title="Old talks", start_date=TODAY - datetime.timedelta(days=400)),
        "restricted": MeetingFactory(
            title="Restricted talks", start_date=TODAY + datetime.timedelta(days=3), classification=RESTRICTED
        ),
        "secret": MeetingFactory(
            title="Secret talks", start_date=TODAY + datetime.timedelta(days=2), classification=SECRET
        ),
    }


def test_the_feed_lists_what_its_owner_may_see_without_signing_in(
    calendar_program, viewer_client, feed_meetings
):
    path = subscribe(viewer_client)

    calendar = parse(calendar_program.get(path))

    assert calendar["X-WR-CALNAME"] == "Defence meetings"
    events = events_by_uid(calendar)
    summaries = {str(event["SUMMARY"]) for event in events.values()}
    assert summaries == {"Coming talks", "Recent talks", "Cancelled visit", "[RESTRICTED] Restricted talks"}
    assert events[uid(feed_meetings["cancelled"])]["STATUS"] == "CANCELLED"
    assert events[uid(feed_meetings["coming"])]["STATUS"] == "TENTATIVE"
    assert events[uid(feed_meetings["recent"])].start == feed_meetings["recent"].start_date
    assert "Secret" not in calendar_program.get(path).content.decode()


def test_the_feed_follows_the_owners_clearance_when_it_is_read(client, calendar_program, feed_meetings):
    owner = UserFactory(role="viewer", clearance=SECRET)
    client.force_login(owner)
    path = subscribe(client)
    assert uid(feed_meetings["secret"]) in events_by_uid(parse(calendar_program.get(path)))

    owner.clearance = UNCLASSIFIED
    owner.save()

    events = events_by_uid(parse(calendar_program.get(path)))
    assert uid(feed_meetings["secret"]) not in events
    assert uid(feed_meetings["restricted"]) not in events
    assert uid(feed_meetings["coming"]) in events


def test_a_revoked_address_answers_404_at_once(calendar_program, viewer_client, feed_meetings):
    path = subscribe(viewer_client)
    assert calendar_program.get(path).status_code == 200

    viewer_client.post(reverse("calendar-subscription-revoke"))

    assert calendar_program.get(path).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert "Create my address" in viewer_client.get(reverse("calendar-subscription")).content.decode()


def test_a_replaced_address_stops_and_the_new_one_works(calendar_program, viewer_client, feed_meetings):
    old = subscribe(viewer_client)
    new = subscribe(viewer_client)

    assert new != old
    assert calendar_program.get(old).status_code == 404
    assert calendar_program.get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_an_inactive_persons_feed_answers_404(calendar_program, viewer_client, viewer, feed_meetings):
    path = subscribe(viewer_client)
    viewer.is_active = False
    viewer.save()
    assert calendar_program.get(path).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-but-long-enough-to-look-like-one-00000"])
def test_an_unknown_address_answers_404(client, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_reading_the_feed_records_its_use_cheaply(calendar_program, viewer_client, viewer, feed_meetings):
    path = subscribe(viewer_client)
    calendar_program.get(path)
    first = CalendarFeed.objects.get(user=viewer).last_used_at
    assert first is not None

    calendar_program.get(path)

    assert CalendarFeed.objects.get(user=viewer).last_used_at == first  # not written on every poll


def test_the_feed_costs_the_same_queries_for_many_meetings(
    calendar_program, viewer_client, django_assert_max_num_queries
):
    path = subscribe(viewer_client)
    for day in range(30):
        meeting = MeetingFactory(start_date=TODAY + datetime.timedelta(days=day))
        AttendanceFactory(meeting=meeting)
        MeetingTopicFactory(meeting=meeting)
    calendar_program.get(path)  # records the first use

    with django_assert_max_num_queries(6):
        calendar = parse(calendar_program.get(path))

    assert len(calendar.walk("VEVENT")) == 30

"""Detail pages: a meeting, a person, an organisation, a topic and a country.

Each test asserts what a reader looks for on the page, that nothing above their clearance
shows anywhere, and that the number of queries does not grow with the rows shown.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action, Attendance, Meeting, MeetingCountry
from tests.conftest import RESTRICTED, SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def between(html: str, start: str, end: str) -> str:
    """The part of a page between two markers (e.g. one section's heading and the next)."""
    return html.split(start, 1)[1].split(end, 1)[0]


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_alongside(editor):
    """A second signed-in client: ``viewer_client`` and ``editor_client`` share one ``client``."""
    client = Client()
    client.force_login(editor)
    return client


def participants(meeting, *codes, role=MeetingCountry.Role.PARTICIPANT):
    for code in codes:
        MeetingCountry.objects.create(meeting=meeting, country=code, role=role)


def secret_meeting(**kwargs):
    return MeetingFactory(title="Secret talks on the border", classification=SECRET, **kwargs)


# --- Meeting -------------------------------------------------------------------------------


@pytest.fixture
def reference_meeting():
    """The Kenya–UK talks: two delegations, topics, actions, sources and countries."""
    meeting = MeetingFactory(
        title="Kenya–UK defence talks",
        kind=Meeting.Kind.BILATERAL,
        start_date=datetime.date(2024, 2, 26),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 30),
        timezone="Africa/Nairobi",
        city="Nairobi",
        country="KE",
        host_country="KE",
        summary="Talks on regional security in the Horn of Africa.",
        outcome="A joint statement on peace and stability.",
    )
    ke_mod = OrganizationFactory(name="Kenya Ministry of Defence", country="KE")
    gb_mod = OrganizationFactory(name="UK Ministry of Defence", country="GB")
    duale = PersonFactory(name="Aden Duale", country="KE", title="Cabinet Secretary for Environment")
    heapey = PersonFactory(name="James Heapey", country="GB", title="Former minister")
    # Created before the heads, so the page must put heads first on its own.
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Kenyan Delegate", country="KE"),
        delegation="KE",
        title="Principal Secretary",
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="British Note Taker", country="GB"),
        delegation="GB",
        role=Attendance.Role.NOTE_TAKER,
        status=Attendance.Status.DECLINED,
    )
    AttendanceFactory(
        meeting=meeting,
        person=duale,
        organization=ke_mod,
        delegation="KE",
        title="Cabinet Secretary for Defence",
        role=Attendance.Role.HEAD,
    )
    AttendanceFactory(
        meeting=meeting,
        person=heapey,
        organization=gb_mod,
        delegation="GB",
        title="Minister for the Armed Forces",
        role=Attendance.Role.HEAD,
    )
    participants(meeting, "KE", "GB")
    participants(meeting, "CD", "SO", role=MeetingCountry.Role.MENTIONED)
    security = TopicFactory(name="Regional security")
    horn = TopicFactory(name="Horn of Africa", parent=security)
    MeetingTopicFactory(meeting=meeting, topic=horn, note="Kenya's pivotal role in regional stability.")
    overdue = ActionFactory(meeting=meeting, description="Enhance intelligence sharing", due_date=YESTERDAY)
    ActionPartyFactory(action=overdue, country="KE")
    ActionPartyFactory(action=overdue, country="GB")
    done = ActionFactory(
        meeting=meeting,
        description="Continue UK support for CITSOS",
        due_date=YESTERDAY,
        status=Action.Status.DONE,
        completed_on=YESTERDAY,
        completion_note="Funding confirmed.",
        responsible_person=heapey,
    )
    ActionPartyFactory(action=done, country="GB")
    SourceFactory(meeting=meeting, title="Joint statement of Duale and Heapey", text="Both sides agreed.")
    meeting.organizations.add(ke_mod, gb_mod)
    return meeting


def test_meeting_page_shows_the_header(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    assert "<h1" in html and "Kenya–UK defence talks</h1>" in html
    assert "Monday 26 February 2024" in html
    assert "10:00–12:30" in html
    assert "Africa/Nairobi (UTC+03:00)" in html
    assert "Bilateral" in html
    assert "Held" in html
    assert "Nairobi, Kenya" in html
    assert "UNCLASSIFIED" in html
    assert "Talks on regional security in the Horn of Africa." in html
    assert "A joint statement on peace and stability." in html


def test_meeting_page_shows_each_title_held_on_the_day(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    attendees = between(html, 'id="attendees-heading"', 'id="topics-heading"')
    assert "Minister for the Armed Forces" in attendees
    assert "Cabinet Secretary for Defence" in attendees
    assert "Former minister" not in attendees  # Heapey's current title, not the one he held
    assert "Cabinet Secretary for Environment" not in attendees
    assert "Kenya Ministry of Defence" in attendees


def test_meeting_page_groups_attendees_by_delegation_host_and_heads_first(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    attendees = between(html, 'id="attendees-heading"', 'id="topics-heading"')
    order = [
        "Kenya</a>",
        "Host</span>",
        "Aden Duale",
        "Kenyan Delegate",
        "United Kingdom</a>",
        "James Heapey",
        "British Note Taker",
    ]
    positions = [attendees.index(text) for text in order]
    assert positions == sorted(positions)
    assert attendees.count("Host</span>") == 1  # only Kenya hosted
    assert "Declined" in attendees
    assert "Note-taker" in attendees
    assert (
        reverse(
            "person-detail", args=[reference_meeting.attendances.get(role="head", delegation="GB").person_id]
        )
        in attendees
    )


def test_meeting_page_shows_topics_with_path_and_note(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    topics = between(html, 'id="topics-heading"', 'id="actions-heading"')
    horn = reference_meeting.topic_notes.get().topic
    assert "Regional security" in topics
    assert f'href="{horn.get_absolute_url()}"' in topics
    assert f'href="{horn.parent.get_absolute_url()}"' in topics
    assert "Kenya&#x27;s pivotal role in regional stability." in topics


def test_meeting_page_flags_overdue_actions_only(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    overdue = reference_meeting.actions.get(status=Action.Status.AGREED)
    done = reference_meeting.actions.get(status=Action.Status.DONE)
    overdue_item = between(html, f'id="action-{overdue.pk}"', "</li>")
    done_item = between(html, f'id="action-{done.pk}"', "</li>")
    assert "Overdue" in overdue_item
    assert "Kenya</a>, <a" in overdue_item and "United Kingdom" in overdue_item
    assert YESTERDAY.strftime("%-d %b %Y") in overdue_item
    assert "Overdue" not in done_item
    assert "Done" in done_item
    assert "Funding confirmed." in done_item
    assert "James Heapey" in done_item


def test_meeting_page_shows_sources_countries_and_organisations(viewer_client, reference_meeting):
    html = page(viewer_client, reference_meeting.get_absolute_url())
    sources = between(html, 'id="sources-heading"', "</section>")
    assert "Joint statement of Duale and Heapey" in sources
    assert "https://example.org/statement" in sources
    assert "<details" in sources and "Both sides agreed." in sources
    countries = between(html, 'id="countries-heading"', "</section>")
    taking_part, mentioned = countries.split("Mentioned", 1)
    assert 'href="/countries/KE/"' in taking_part and 'href="/countries/GB/"' in taking_part
    assert "Somalia" in mentioned and "Congo" in mentioned and "Kenya" not in mentioned
    organizations = between(html, 'id="organizations-heading"', "</section>")
    assert "Kenya Ministry of Defence" in organizations and "UK Ministry of Defence" in organizations


def test_meeting_page_says_so_when_nothing_is_recorded(viewer_client):
    meeting = MeetingFactory(kind=Meeting.Kind.CALL, city="", country="", host_country="")
    html = page(viewer_client, meeting.get_absolute_url())
    assert "No actions agreed at this meeting." in html
    assert "No attendees recorded." in html
    assert "No topics recorded for this meeting." in html
    assert "No sources or documents recorded." in html
    assert "No summary recorded." in html
    assert "Call, no place" in html
    assert "No other meetings with the same countries." in html


def test_meeting_above_clearance_answers_404(viewer_client, editor_alongside):
    meeting = secret_meeting()
    assert viewer_client.get(meeting.get_absolute_url()).status_code == 404
    assert editor_alongside.get(meeting.get_absolute_url()).status_code == 200


def test_meeting_page_marking_is_the_meetings_own(viewer_client):
    meeting = MeetingFactory(classification=RESTRICTED)
    response = viewer_client.get(meeting.get_absolute_url())
    assert response.context["page_marking"] == RESTRICTED
    assert response.content.decode().count(">RESTRICTED</div>") == 2  # banner at top and bottom


def test_series_shows_previous_and_next_visible_meetings(viewer_client, editor_alongside):
    series = MeetingSeriesFactory(name="Kenya–UK staff talks")
    first = MeetingFactory(series=series, title="First round", start_date=datetime.date(2023, 11, 1))
    middle = MeetingFactory(series=series, title="Second round", start_date=datetime.date(2024, 11, 1))
    MeetingFactory(
        series=series,
        title="Secret extra round",
        start_date=datetime.date(2025, 3, 1),
        classification=SECRET,
    )
    last = MeetingFactory(series=series, title="Third round", start_date=datetime.date(2025, 11, 1))

    html = page(viewer_client, middle.get_absolute_url())
    assert first.title in between(html, 'id="series-previous"', "</div>")
    assert last.title in between(html, 'id="series-next"', "</div>")
    assert "Secret extra round" not in html

    html = page(editor_alongside, middle.get_absolute_url())
    assert "Secret extra round" in between(html, 'id="series-next"', "</div>")

    html = page(viewer_client, first.get_absolute_url())
    assert "This is the first meeting in the series." in html
    assert middle.title in between(html, 'id="series-next"', "</div>")


def test_series_neighbours_on_the_same_day_follow_the_order_of_entry(viewer_client):
    series = MeetingSeriesFactory()
    day = datetime.date(2024, 5, 1)
    morning, noon, evening = (
        MeetingFactory(series=series, start_date=day, title=f"{time} session")
        for time in ("Morning", "Noon", "Evening")
    )
    html = page(viewer_client, noon.get_absolute_url())
    previous = between(html, 'id="series-previous"', "</div>")
    following = between(html, 'id="series-next"', "</div>")
    assert morning.title in previous and evening.title not in previous
    assert evening.title in following and morning.title not in following


def test_parent_and_side_meetings_respect_clearance(viewer_client, editor_alongside):
    summit = secret_meeting(kind=Meeting.Kind.MULTILATERAL)
    side = MeetingFactory(title="Talks on the margins", parent=summit)
    html = page(viewer_client, side.get_absolute_url())
    assert "Secret talks on the border" not in html
    assert "On the margins of" not in html
    html = page(editor_alongside, side.get_absolute_url())
    assert "On the margins of" in html and "Secret talks on the border" in html

    summit_open = MeetingFactory(title="NATO summit")
    MeetingFactory(title="Open side talks", parent=summit_open)
    secret_meeting(parent=summit_open)
    html = page(viewer_client, summit_open.get_absolute_url())
    assert "Open side talks" in html
    assert "Secret talks on the border" not in html


def test_related_meetings_share_the_participants_and_respect_clearance(viewer_client, editor_alongside):
    meeting = MeetingFactory(title="Kenya–UK talks", start_date=datetime.date(2024, 2, 26))
    participants(meeting, "KE", "GB")
    wider = MeetingFactory(title="Kenya–UK–Somalia talks", start_date=datetime.date(2023, 5, 1))
    participants(wider, "KE", "GB", "SO")
    other = MeetingFactory(title="Kenya–Somalia talks")
    participants(other, "KE", "SO")
    hidden = secret_meeting(start_date=datetime.date(2024, 6, 1))
    participants(hidden, "KE", "GB")

    html = page(viewer_client, meeting.get_absolute_url())
    related = between(html, 'id="related-heading"', "</section>")
    assert "Kenya–UK–Somalia talks" in related
    assert "Kenya–Somalia talks" not in related
    assert "Secret talks on the border" not in html

    response = editor_alongside.get(meeting.get_absolute_url())
    assert "Secret talks on the border" in between(
        response.content.decode(), 'id="related-heading"', "</section>"
    )
    # The banner carries the highest marking shown on the page.
    assert response.context["page_marking"] == SECRET


def build_meeting(rows: int) -> Meeting:
    """A meeting with ``rows`` attendees, topics (two deep), actions, sources and countries."""
    meeting = MeetingFactory(series=MeetingSeriesFactory(), parent=MeetingFactory())
    codes = ["KE", "GB", "SO", "ET", "UG", "TZ", "RW", "BI", "DJ", "ER"][:rows]
    participants(meeting, *codes)
    root = TopicFactory()
    for index in range(rows):
        person = PersonFactory(country=codes[index], organization=OrganizationFactory())
        AttendanceFactory(meeting=meeting, person=person, organization=person.organization)
        MeetingTopicFactory(
            meeting=meeting, topic=TopicFactory(parent=TopicFactory(parent=root)), note="Said."
        )
        action = ActionFactory(meeting=meeting, due_date=YESTERDAY, responsible_person=person)
        ActionPartyFactory(action=action, country=codes[index])
        ActionPartyFactory(action=action, country="", organization=person.organization)
        SourceFactory(meeting=meeting, title=f"Readout {index}")
        meeting.organizations.add(person.organization)
        side = MeetingFactory(parent=meeting)
        participants(side, *codes)
    return meeting


def test_meeting_page_query_count_does_not_grow_with_rows(viewer_client, django_assert_max_num_queries):
    small = query_count(viewer_client, build_meeting(2).get_absolute_url())
    large = query_count(viewer_client, build_meeting(10).get_absolute_url())
    assert small == large
    url = build_meeting(10).get_absolute_url()
    with django_assert_max_num_queries(24):
        viewer_client.get(url)


def test_a_meeting_linked_every_way_costs_at_most_twelve_queries(editor_client):
    """Parent, side meetings, series neighbours, later meetings to carry actions into,
    actions carried from and into other meetings, related meetings: twelve queries, the
    session and the user included, whatever the meeting."""
    series = MeetingSeriesFactory()
    day = datetime.date(2024, 3, 1)
    summit = MeetingFactory(title="Summit", start_date=day)
    earlier = MeetingFactory(series=series, start_date=day - datetime.timedelta(days=90))
    meeting = MeetingFactory(series=series, parent=summit, start_date=day, title="The meeting")
    later = [
        MeetingFactory(series=series, start_date=day + datetime.timedelta(days=30 * n)) for n in (1, 2, 3)
    ]
    MeetingFactory(parent=meeting)
    for other in (meeting, earlier, *later):
        participants(other, "KE", "GB")
    carried = ActionFactory(meeting=earlier, status=Action.Status.CARRIED)
    ActionFactory(meeting=meeting, carried_from=carried, status=Action.Status.AGREED)
    original = ActionFactory(meeting=meeting, status=Action.Status.CARRIED)
    ActionFactory(meeting=later[0], carried_from=original)
    ActionFactory(meeting=meeting, status=Action.Status.AGREED, due_date=day)

    response = editor_client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert 'id="carry-over"' in html and 'id="series-previous"' in html and 'id="series-next"' in html
    assert response.context["related"] and response.context["side_meetings"]
    assert len(response.context["carry_over_form"].offered) == 3
    assert query_count(editor_client, meeting.get_absolute_url()) <= 12


# --- Person ---------------------------------------------------------------------------------


def test_person_page_shows_titles_over_time_newest_first(viewer_client):
    person = PersonFactory(name="James Heapey", honorific="Rt Hon", title="Former minister")
    older = MeetingFactory(title="UK–Somalia call", start_date=datetime.date(2021, 6, 15))
    newer = MeetingFactory(title="Kenya–UK defence talks", start_date=datetime.date(2024, 2, 26))
    AttendanceFactory(meeting=older, person=person, title="Parliamentary Under-Secretary of State")
    AttendanceFactory(meeting=newer, person=person, title="Minister for the Armed Forces")
    action = ActionFactory(
        meeting=newer, description="Fund CITSOS", responsible_person=person, due_date=YESTERDAY
    )

    html = page(viewer_client, person.get_absolute_url())
    assert "Rt Hon" in html and "Former minister" in html
    meetings = between(html, 'id="meetings-heading"', "</section>")
    assert meetings.index("Kenya–UK defence talks") < meetings.index("UK–Somalia call")
    assert meetings.index("Minister for the Armed Forces") < meetings.index("Parliamentary Under-Secretary")
    assert "Last met" in html and "as Minister for the Armed Forces" in html
    titles = between(html, 'id="titles-heading"', "</section>")
    assert "Minister for the Armed Forces" in titles and "Parliamentary Under-Secretary of State" in titles
    actions = between(html, 'id="actions-heading"', "</section>")
    assert "Fund CITSOS" in actions and "Overdue" in actions
    assert f'id="action-{action.pk}"' in actions


def test_person_page_hides_meetings_and_actions_above_clearance(viewer_client, editor_alongside):
    person = PersonFactory()
    AttendanceFactory(meeting=MeetingFactory(title="Open talks", classification=RESTRICTED), person=person)
    hidden = secret_meeting()
    AttendanceFactory(meeting=hidden, person=person, title="Secret title")
    ActionFactory(meeting=hidden, description="Secret action", responsible_person=person)

    response = viewer_client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "Open talks" in html
    for secret in ("Secret talks on the border", "Secret title", "Secret action"):
        assert secret not in html
    assert response.context["page_marking"] == RESTRICTED

    response = editor_alongside.get(person.get_absolute_url())
    assert "Secret action" in response.content.decode()
    assert response.context["page_marking"] == SECRET


def test_person_page_empty_states(viewer_client):
    html = page(viewer_client, PersonFactory(name="New Official").get_absolute_url())
    assert "No meetings recorded with New Official." in html
    assert "No actions name this person as responsible." in html


def test_person_page_query_count_does_not_grow_with_rows(viewer_client):
    def person_with(rows):
        person = PersonFactory()
        for _ in range(rows):
            meeting = MeetingFactory()
            AttendanceFactory(meeting=meeting, person=person, organization=OrganizationFactory())
            action = ActionFactory(meeting=meeting, responsible_person=person)
            ActionPartyFactory(action=action, organization=OrganizationFactory(), country="")
        return person

    small = query_count(viewer_client, person_with(2).get_absolute_url())
    large = query_count(viewer_client, person_with(10).get_absolute_url())
    assert small == large


# --- Organisation -----------------------------------------------------------------------------


def test_organization_page_shows_chain_units_people_meetings_and_open_actions(viewer_client):
    ministry = OrganizationFactory(name="UK Ministry of Defence")
    army = OrganizationFactory(name="British Army", parent=ministry)
    batuk = OrganizationFactory(name="British Army Training Unit Kenya", acronym="BATUK", parent=army)
    OrganizationFactory(name="BATUK Nanyuki detachment", parent=batuk)
    commander = PersonFactory(name="Tom Harding", organization=batuk, title="Commander, BATUK")
    attended = MeetingFactory(title="BATUK liaison committee", start_date=datetime.date(2025, 1, 1))
    AttendanceFactory(meeting=attended, person=commander, organization=batuk)
    involved = MeetingFactory(title="Kenya–UK defence talks", start_date=datetime.date(2024, 2, 26))
    involved.organizations.add(batuk)
    open_action = ActionFactory(meeting=attended, description="Agree a liaison plan", due_date=YESTERDAY)
    ActionPartyFactory(action=open_action, organization=batuk, country="")
    closed = ActionFactory(
        meeting=attended, description="Closed action", status=Action.Status.DONE, completed_on=YESTERDAY
    )
    ActionPartyFactory(action=closed, organization=batuk, country="")

    html = page(viewer_client, batuk.get_absolute_url())
    breadcrumb = between(html, 'aria-label="Breadcrumb"', "</nav>")
    assert breadcrumb.index("UK Ministry of Defence") < breadcrumb.index("British Army<")
    assert "BATUK Nanyuki detachment" in html
    assert "Tom Harding" in html and "Commander, BATUK" in html
    meetings = between(html, 'id="meetings-heading"', "</section>")
    assert meetings.index("BATUK liaison committee") < meetings.index("Kenya–UK defence talks")
    assert f"/meetings/?organization={batuk.pk}" in html
    actions = between(html, 'id="actions-heading"', "</section>")
    assert "Agree a liaison plan" in actions and "Overdue" in actions
    assert "Closed action" not in actions


def test_organization_page_hides_meetings_above_clearance(viewer_client, editor_alongside):
    organization = OrganizationFactory()
    AttendanceFactory(meeting=secret_meeting(), organization=organization)
    hidden = secret_meeting()
    hidden.organizations.add(organization)
    ActionPartyFactory(
        action=ActionFactory(meeting=hidden, description="Secret action"), organization=organization
    )

    html = page(viewer_client, organization.get_absolute_url())
    assert "Secret talks on the border" not in html and "Secret action" not in html
    assert "No meetings recorded for this organisation." in html
    assert "No open actions name this organisation." in html
    html = page(editor_alongside, organization.get_absolute_url())
    assert html.count("Secret talks on the border") >= 2 and "Secret action" in html


def test_organization_page_limits_meetings_and_links_to_the_list(viewer_client):
    organization = OrganizationFactory()
    for day in range(52):
        MeetingFactory(start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=day)).organizations.add(
            organization
        )
    response = viewer_client.get(organization.get_absolute_url())
    assert len(response.context["meetings"].rows) == 50
    assert "Showing the 50 most recent" in response.content.decode()


def test_organization_page_cuts_long_action_lists_and_links_to_the_tracker(viewer_client):
    organization = OrganizationFactory()
    meeting = MeetingFactory()
    for day in range(27):
        action = ActionFactory(meeting=meeting, due_date=TODAY + datetime.timedelta(days=day))
        ActionPartyFactory(action=action, organization=organization, country="")
    response = viewer_client.get(organization.get_absolute_url())
    html = response.content.decode()
    assert len(response.context["actions"].rows) == 25
    assert "Showing the first 25." in html
    assert f"/actions/?organization={organization.pk}&amp;status=proposed&amp;status=agreed" in html


def test_organization_page_query_count_does_not_grow_with_rows(viewer_client):
    def organization_with(rows):
        organization = OrganizationFactory(parent=OrganizationFactory(parent=OrganizationFactory()))
        for _ in range(rows):
            OrganizationFactory(parent=organization)
            person = PersonFactory(organization=organization)
            AttendanceFactory(meeting=MeetingFactory(), person=person, organization=organization)
            MeetingFactory().organizations.add(organization)
            action = ActionFactory(meeting=MeetingFactory(), responsible_person=person)
            ActionPartyFactory(action=action, organization=organization, country="")
        return organization

    small = query_count(viewer_client, organization_with(2).get_absolute_url())
    large = query_count(viewer_client, organization_with(10).get_absolute_url())
    assert small == large


# --- Topic ----------------------------------------------------------------------------------


def test_topic_page_shows_path_subtopics_countries_and_meetings_with_subtopics(viewer_client):
    security = TopicFactory(name="Regional security")
    horn = TopicFactory(name="Horn of Africa", parent=security, related_countries=["SO", "ET"])
    relations = TopicFactory(name="Somalia–Ethiopia relations", parent=horn)
    MeetingTopicFactory(
        meeting=MeetingFactory(title="IGAD dialogue", start_date=datetime.date(2025, 8, 30)),
        topic=horn,
        note="Regional threat picture.",
    )
    MeetingTopicFactory(
        meeting=MeetingFactory(title="Ethiopia–Kenya talks", start_date=datetime.date(2024, 6, 26)),
        topic=relations,
        note="Kenya offered to support dialogue.",
    )
    MeetingTopicFactory(meeting=MeetingFactory(title="Unrelated talks"), topic=security)

    html = page(viewer_client, horn.get_absolute_url())
    assert "Regional security" in between(html, 'aria-label="Breadcrumb"', "</nav>")
    assert "Somalia–Ethiopia relations" in between(html, 'id="subtopics-heading"', "</section>")
    countries = between(html, 'id="countries-heading"', "</section>")
    assert "Somalia" in countries and "Ethiopia" in countries
    meetings = between(html, 'id="meetings-heading"', "</section>")
    assert meetings.index("IGAD dialogue") < meetings.index("Ethiopia–Kenya talks")
    assert "Regional threat picture." in meetings
    assert "Kenya offered to support dialogue." in meetings
    assert "Unrelated talks" not in meetings
    assert f"/meetings/?topic={horn.pk}" in html


def test_topic_page_hides_meetings_above_clearance(viewer_client, editor_alongside):
    topic = TopicFactory()
    MeetingTopicFactory(meeting=secret_meeting(), topic=TopicFactory(parent=topic), note="Secret note")
    html = page(viewer_client, topic.get_absolute_url())
    assert "Secret talks on the border" not in html and "Secret note" not in html
    assert "No meetings recorded on this topic." in html
    assert "Secret note" in page(editor_alongside, topic.get_absolute_url())


def test_topic_page_query_count_does_not_grow_with_rows(viewer_client):
    def topic_with(rows):
        topic = TopicFactory(parent=TopicFactory(parent=TopicFactory()))
        for _ in range(rows):
            child = TopicFactory(parent=topic)
            meeting = MeetingFactory()
            MeetingTopicFactory(meeting=meeting, topic=topic, note="Said.")
            MeetingTopicFactory(meeting=meeting, topic=child, note="Said more.")
        return topic

    small = query_count(viewer_client, topic_with(2).get_absolute_url())
    large = query_count(viewer_client, topic_with(10).get_absolute_url())
    assert small == large


# --- Country --------------------------------------------------------------------------------


def test_unknown_country_answers_404(viewer_client):
    assert viewer_client.get(reverse("country-detail", args=["XX"])).status_code == 404
    assert viewer_client.get(reverse("country-detail", args=["Kenya"])).status_code == 404


def test_country_code_is_case_insensitive(viewer_client):
    html = page(viewer_client, reverse("country-detail", args=["ke"]))
    assert "Kenya</h1>" in html.replace(' <span class="fw-normal text-body-secondary fs-5">KE</span>', "")
    assert "/meetings/?country=KE" in html


def test_country_page_shows_engagement_by_year_and_actions_both_ways(viewer_client):
    talks = MeetingFactory(title="Kenya–UK defence talks", start_date=datetime.date(2024, 2, 26))
    participants(talks, "KE", "GB")
    hosted = MeetingFactory(
        title="Conference held in Nairobi", start_date=datetime.date(2025, 3, 1), country="KE"
    )
    mentioned_only = MeetingFactory(title="Talks that mention Kenya", country="GB", host_country="GB")
    participants(mentioned_only, "GB", "US")
    participants(mentioned_only, "KE", role=MeetingCountry.Role.MENTIONED)
    elsewhere = MeetingFactory(title="Talks without Kenya", country="GB", host_country="GB")
    participants(elsewhere, "GB", "FR")

    owed_by = ActionFactory(meeting=talks, description="Kenya shares intelligence", due_date=YESTERDAY)
    ActionPartyFactory(action=owed_by, country="KE")
    owed_to = ActionFactory(meeting=talks, description="UK funds CITSOS")
    ActionPartyFactory(action=owed_to, country="GB")
    closed = ActionFactory(
        meeting=talks, description="Closed action", status=Action.Status.DONE, completed_on=YESTERDAY
    )
    ActionPartyFactory(action=closed, country="KE")
    ActionPartyFactory(action=ActionFactory(meeting=elsewhere, description="Not about Kenya"), country="GB")
    MeetingTopicFactory(meeting=talks, topic=TopicFactory(name="Counter-terrorism"))
    MeetingTopicFactory(meeting=hosted, topic=TopicFactory(name="Maritime security"))
    counter_terrorism = talks.topic_notes.get().topic
    MeetingTopicFactory(meeting=hosted, topic=counter_terrorism)

    html = page(viewer_client, reverse("country-detail", args=["KE"]))
    timeline = between(html, 'id="timeline-heading"', 'id="mentioned-heading"')
    assert (
        timeline.index(">2025 <") < timeline.index("Conference held in Nairobi") < timeline.index(">2024 <")
    )
    assert timeline.index(">2024 <") < timeline.index("Kenya–UK defence talks")
    assert "With <a" in timeline and "United Kingdom" in timeline
    assert "Talks that mention Kenya" not in timeline
    assert "Talks that mention Kenya" in between(html, 'id="mentioned-heading"', "</section>")
    assert "Talks without Kenya" not in html

    by = between(html, 'id="owed-by-heading"', "</section>")
    assert "Kenya shares intelligence" in by and "Overdue" in by
    assert "UK funds CITSOS" not in by and "Closed action" not in by
    to = between(html, 'id="owed-to-heading"', "</section>")
    assert "UK funds CITSOS" in to
    assert "Kenya shares intelligence" not in to and "Not about Kenya" not in to

    topics = between(html, 'id="topics-heading"', "</section>")
    assert topics.index("Counter-terrorism") < topics.index("Maritime security")
    assert f"/meetings/?country=KE&amp;topic={counter_terrorism.pk}" in topics
    assert ">2</a>" in topics


def test_country_page_hides_meetings_above_clearance(viewer_client, editor_alongside):
    hidden = secret_meeting()
    participants(hidden, "KE")
    ActionPartyFactory(action=ActionFactory(meeting=hidden, description="Secret action"), country="KE")
    MeetingTopicFactory(meeting=hidden, topic=TopicFactory(name="Secret topic"))
    url = reverse("country-detail", args=["KE"])
    response = viewer_client.get(url)
    html = response.content.decode()
    for secret in ("Secret talks on the border", "Secret action", "Secret topic"):
        assert secret not in html
    assert "No open actions name it as responsible." in html
    assert response.context["page_marking"] == 0
    response = editor_alongside.get(url)
    assert "Secret action" in response.content.decode()
    assert response.context["page_marking"] == SECRET


def test_country_page_query_count_does_not_grow_with_rows(viewer_client):
    def meetings(rows, year):
        for index in range(rows):
            meeting = MeetingFactory(start_date=datetime.date(year - index, 1, 1))
            participants(meeting, "KE", "GB")
            MeetingTopicFactory(meeting=meeting, topic=TopicFactory(parent=TopicFactory()))
            ActionPartyFactory(action=ActionFactory(meeting=meeting), country="KE")
            ActionPartyFactory(
                action=ActionFactory(meeting=meeting), organization=OrganizationFactory(), country=""
            )

    meetings(2, 2024)
    small = query_count(viewer_client, reverse("country-detail", args=["KE"]))
    meetings(10, 2020)
    large = query_count(viewer_client, reverse("country-detail", args=["KE"]))
    assert small == large


# --- Printing -------------------------------------------------------------------------------


def test_detail_pages_keep_the_marking_banner_and_hide_navigation_in_print(viewer_client):
    meeting = MeetingFactory(classification=RESTRICTED)
    html = page(viewer_client, meeting.get_absolute_url())
    assert html.count('class="marking-banner marking-1"') == 2
    assert 'class="navbar navbar-expand-lg navbar-dark bg-dark d-print-none"' in html

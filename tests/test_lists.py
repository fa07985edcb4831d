"""The shared list mechanism, as people use it: filter, sort, page, choose columns, export."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Action, ListPreference, MeetingCountry
from tests.conftest import SECRET
from tests.factories import (
    ActionFactory,
    ActionPartyFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    OrganizationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
MEETINGS = reverse("meeting-list")
ACTIONS = reverse("action-list")


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def with_countries(meeting, *codes, role=MeetingCountry.Role.PARTICIPANT):
    for code in codes:
        MeetingCountry.objects.create(meeting=meeting, country=code, role=role)
    return meeting


class TestMeetingFilters:
    def test_topic_filter_includes_subtopics(self, viewer_client):
        security = TopicFactory(name="Regional security")
        horn = TopicFactory(name="Horn of Africa", parent=security)
        cyber = TopicFactory(name="Cyber")
        MeetingTopicFactory(meeting=MeetingFactory(title="Horn talks"), topic=horn)
        MeetingTopicFactory(meeting=MeetingFactory(title="Security talks"), topic=security)
        MeetingTopicFactory(meeting=MeetingFactory(title="Cyber talks"), topic=cyber)

        response = viewer_client.get(MEETINGS, {"topic": security.pk})
        assert sorted(titles(response)) == ["Horn talks", "Security talks"]
        assert titles(viewer_client.get(MEETINGS, {"topic": horn.pk})) == ["Horn talks"]

    def test_country_filter_finds_meetings_through_any_delegation_or_the_place(self, viewer_client):
        with_countries(MeetingFactory(title="Kenya–UK talks", country="KE"), "KE", "GB")
        MeetingFactory(title="Held in London", country="GB", host_country="GB")
        with_countries(MeetingFactory(title="Somalia mentioned UK", country="SO"), "SO")
        with_countries(MeetingFactory(title="UK only mentioned", country="KE"), "GB", role="mentioned")

        assert sorted(titles(viewer_client.get(MEETINGS, {"country": "GB"}))) == [
            "Held in London",
            "Kenya–UK talks",
        ]

    def test_text_search_looks_in_titles_summaries_topics_and_attendees(self, viewer_client):
        MeetingFactory(title="Talks on BATUK training")
        MeetingFactory(title="Summary match", summary="The role of batuk was discussed")
        MeetingTopicFactory(meeting=MeetingFactory(title="Topic match"), topic=TopicFactory(name="BATUK"))
        AttendanceFactory(
            meeting=MeetingFactory(title="Attendee match"), person=PersonFactory(name="Aden Duale")
        )
        MeetingFactory(title="Unrelated")

        assert sorted(titles(viewer_client.get(MEETINGS, {"q": "batuk"}))) == [
            "Summary match",
            "Talks on BATUK training",
            "Topic match",
        ]
        assert titles(viewer_client.get(MEETINGS, {"q": "duale"})) == ["Attendee match"]

    def test_person_organisation_date_kind_status_and_marking_filters(self, viewer_client):
        heapey = PersonFactory(name="James Heapey")
        ministry = OrganizationFactory(name="Ministry of Defence", country="GB")
        early = MeetingFactory(title="Early call", kind="call", start_date=datetime.date(2022, 5, 1))
        late = MeetingFactory(title="Late visit", kind="visit", status="planned", classification=1)
        late.start_date = datetime.date(2024, 6, 1)
        late.save()
        AttendanceFactory(meeting=early, person=heapey, organization=ministry)

        assert titles(viewer_client.get(MEETINGS, {"person": heapey.pk})) == ["Early call"]
        assert titles(viewer_client.get(MEETINGS, {"organization": ministry.pk})) == ["Early call"]
        assert titles(viewer_client.get(MEETINGS, {"date_after": "2024-01-01"})) == ["Late visit"]
        assert titles(viewer_client.get(MEETINGS, {"date_before": "2023-01-01"})) == ["Early call"]
        assert titles(viewer_client.get(MEETINGS, {"kind": ["call", "bilateral"]})) == ["Early call"]
        assert titles(viewer_client.get(MEETINGS, {"status": "planned"})) == ["Late visit"]
        assert titles(viewer_client.get(MEETINGS, {"marking": "1"})) == ["Late visit"]

    def test_filters_combine_to_answer_a_question(self, viewer_client):
        counter_terrorism = TopicFactory(name="Counter-terrorism")
        citsos = TopicFactory(name="CITSOS", parent=counter_terrorism)
        reference = with_countries(
            MeetingFactory(title="Kenya–UK defence talks", summary="BATUK"), "KE", "GB"
        )
        MeetingTopicFactory(meeting=reference, topic=citsos)
        other = with_countries(MeetingFactory(title="UK–Somalia call", summary="BATUK"), "SO", "GB")
        MeetingTopicFactory(meeting=other, topic=TopicFactory(name="Piracy"))

        response = viewer_client.get(MEETINGS, {"country": "GB", "topic": counter_terrorism.pk, "q": "BATUK"})
        assert titles(response) == ["Kenya–UK defence talks"]
        assert b"1 meetings match the filters" in response.content

    def test_a_bad_filter_value_is_reported_not_a_crash(self, viewer_client):
        MeetingFactory()
        response = viewer_client.get(
            MEETINGS, {"date_after": "not-a-date", "topic": "999999", "country": "ZZ"}
        )
        assert response.status_code == 200
        assert b"Enter a valid date" in response.content


class TestEmptyStateAndPaging:
    def test_no_match_offers_to_clear_the_filters(self, viewer_client):
        MeetingFactory(title="Something")
        response = viewer_client.get(MEETINGS, {"q": "nothing-like-this"})
        assert b"No meetings match these filters" in response.content
        assert b"Clear filters" in response.content

    def test_page_size_is_chosen_from_the_offered_sizes(self, viewer_client):
        MeetingFactory.create_batch(30)
        assert len(titles(viewer_client.get(MEETINGS, {"per_page": 10}))) == 10
        assert len(titles(viewer_client.get(MEETINGS))) == 25
        # An address asking for a huge page gets the largest offered size, not everything.
        assert viewer_client.get(MEETINGS, {"per_page": 100000}).context["table"].paginator.per_page == 100

    def test_a_page_past_the_end_shows_the_last_page(self, viewer_client):
        MeetingFactory.create_batch(12)
        response = viewer_client.get(MEETINGS, {"per_page": 10, "page": 99})
        assert response.status_code == 200
        assert len(titles(response)) == 2


class TestSorting:
    def test_sort_by_title_and_date_both_ways(self, viewer_client):
        for title, day in [("Bravo", 3), ("Alpha", 1), ("Charlie", 2)]:
            MeetingFactory(title=title, start_date=datetime.date(2024, 1, day))
        assert titles(viewer_client.get(MEETINGS)) == ["Bravo", "Charlie", "Alpha"]  # newest first
        assert titles(viewer_client.get(MEETINGS, {"sort": "title"})) == ["Alpha", "Bravo", "Charlie"]
        assert titles(viewer_client.get(MEETINGS, {"sort": "-title"})) == ["Charlie", "Bravo", "Alpha"]
        assert titles(viewer_client.get(MEETINGS, {"sort": "start_date"})) == ["Alpha", "Charlie", "Bravo"]


class TestHtmx:
    def test_htmx_requests_get_only_the_results(self, viewer_client):
        MeetingFactory(title="Kenya–UK defence talks")
        full = viewer_client.get(MEETINGS)
        partial = viewer_client.get(MEETINGS, headers={"HX-Request": "true", "HX-Target": "list-results"})
        assert b'id="list-filters"' in full.content
        assert b'id="list-filters"' not in partial.content
        assert b"Kenya\xe2\x80\x93UK defence talks" in partial.content
        assert b"<html" not in partial.content


class TestColumns:
    def test_chosen_columns_are_remembered_for_the_person(self, viewer_client, viewer):
        MeetingFactory(title="Kenya–UK defence talks")
        default = viewer_client.get(MEETINGS).context["table"]
        assert "series" not in [c.name for c in default.columns]
        assert "topics" in [c.name for c in default.columns]

        viewer_client.post(MEETINGS, {"columns": ["start_date", "series"]})
        later = viewer_client.get(MEETINGS).context["table"]
        assert [c.name for c in later.columns] == ["title", "start_date", "series"]
        assert ListPreference.objects.get(user=viewer, list_name="meetings").columns == [
            "start_date",
            "series",
        ]

    def test_the_title_column_cannot_be_hidden(self, viewer_client):
        viewer_client.post(MEETINGS, {"columns": []})
        assert [c.name for c in viewer_client.get(MEETINGS).context["table"].columns] == ["title"]


class TestExport:
    def test_csv_export_equals_the_filtered_sorted_view(self, viewer_client):
        for title in ["Alpha talks", "Bravo talks", "Other meeting"]:
            MeetingFactory(title=title)
        response = viewer_client.get(MEETINGS, {"q": "talks", "sort": "-title", "export": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0][:2] == ["Title", "Date"]
        assert [row[0] for row in rows[1:]] == ["Bravo talks", "Alpha talks"]
        assert rows[1][1] == "2024-02-26"

    def test_json_and_xlsx_exports_hold_the_same_rows(self, viewer_client):
        MeetingFactory(title="Kenya–UK defence talks")
        data = json.loads(b"".join(viewer_client.get(MEETINGS, {"export": "json"}).streaming_content))
        assert data == [
            {
                "Title": "Kenya–UK defence talks",
                "Date": "2024-02-26",
                "Kind": "Bilateral",
                "Status": "Held",
                "Place": "Nairobi, Kenya",
                "Host": "Kenya",
                "Countries": "",
                "Topics": "",
                "Series": "",
                "Marking": "UNCLASSIFIED",
                # What an import needs to rebuild the meeting (meetings/importing/).
                "End date": "",
                "Start time": "",
                "End time": "",
                "Time zone": "UTC",
                "Venue": "",
                "City": "Nairobi",
                "Country (where)": "Kenya",
                "Countries mentioned": "",
                "Organisations": "",
                "Summary": "",
                "Outcome": "",
                "Attendees": "",
                "Topic notes": "",
                "Actions": "",
            }
        ]
        xlsx = b"".join(viewer_client.get(MEETINGS, {"export": "xlsx"}).streaming_content)
        workbook = load_workbook(io.BytesIO(xlsx))
        sheet = workbook.active
        assert [cell.value for cell in sheet[2]][:2] == ["Kenya–UK defence talks", "2024-02-26"]

    def test_export_carries_every_column_whatever_is_shown(self, viewer_client):
        # Hiding a column is about the screen; an export must import back whole.
        MeetingFactory(title="Kenya–UK defence talks")
        viewer_client.post(MEETINGS, {"columns": ["start_date"]})
        rows = list(
            csv.reader(io.StringIO(b"".join(viewer_client.get(MEETINGS, {"export": "csv"})).decode()))
        )
        assert rows[0][:10] == [
            "Title",
            "Date",
            "Kind",
            "Status",
            "Place",
            "Host",
            "Countries",
            "Topics",
            "Series",
            "Marking",
        ]
        assert "Attendees" in rows[0] and rows[1][:2] == ["Kenya–UK defence talks", "2024-02-26"]


class TestClearance:
    def test_a_meeting_above_clearance_is_nowhere_in_lists_exports_or_type_ahead(self, viewer_client):
        MeetingFactory(title="Open talks")
        secret = MeetingFactory(title="Secret talks", classification=SECRET)
        ActionFactory(meeting=secret, description="Secret action")

        assert titles(viewer_client.get(MEETINGS)) == ["Open talks"]
        assert b"Secret talks" not in viewer_client.get(MEETINGS, {"q": "talks"}).content
        assert b"Secret talks" not in b"".join(
            viewer_client.get(MEETINGS, {"export": "csv"}).streaming_content
        )
        assert b"Secret" not in b"".join(viewer_client.get(MEETINGS, {"export": "json"}).streaming_content)
        assert b"Secret action" not in viewer_client.get(ACTIONS).content
        autocomplete = viewer_client.get(reverse("autocomplete", args=["meetings"]), {"q": "talks"}).json()
        assert [r["text"] for r in autocomplete["results"]] == ["Open talks (26 Feb 2024)"]

    def test_the_banner_shows_the_highest_marking_on_the_page(self, editor_client):
        MeetingFactory(title="Open talks")
        MeetingFactory(title="Confidential talks", classification=2)
        assert b'<div class="marking-banner marking-2"' in editor_client.get(MEETINGS).content
        response = editor_client.get(MEETINGS, {"marking": "0"})
        assert b'<div class="marking-banner marking-0"' in response.content


class TestActionList:
    def test_overdue_status_country_and_organisation_filters(self, viewer_client):
        ministry = OrganizationFactory(name="UK Ministry of Defence")
        late = ActionFactory(description="Late", due_date=datetime.date(2020, 1, 1))
        ActionPartyFactory(action=late, country="KE")
        done = ActionFactory(
            description="Done",
            due_date=datetime.date(2020, 1, 1),
            status="done",
            completed_on=datetime.date.today(),
        )
        ActionPartyFactory(action=done, country="", organization=ministry)
        ActionFactory(description="Future", due_date=datetime.date(2999, 1, 1))

        def descriptions(params):
            response = viewer_client.get(ACTIONS, params)
            return sorted(row.record.description for row in response.context["table"].page.object_list)

        assert descriptions({"overdue": "true"}) == ["Late"]
        assert descriptions({"status": "done"}) == ["Done"]
        assert descriptions({"country": "KE"}) == ["Late"]
        assert descriptions({"organization": ministry.pk}) == ["Done"]
        assert b"Overdue" in viewer_client.get(ACTIONS, {"overdue": "true"}).content

    def test_topic_filter_reaches_actions_through_their_meeting(self, viewer_client):
        topic = TopicFactory(name="Counter-terrorism")
        meeting = MeetingFactory()
        MeetingTopicFactory(meeting=meeting, topic=topic)
        ActionFactory(meeting=meeting, description="Support CITSOS")
        ActionFactory(description="Unrelated")
        response = viewer_client.get(ACTIONS, {"topic": topic.pk})
        assert [row.record.description for row in response.context["table"].page.object_list] == [
            "Support CITSOS"
        ]


class TestOtherLists:
    @pytest.mark.parametrize(
        ("url_name", "params", "expected"),
        [
            ("person-list", {"q": "heapey"}, "James Heapey"),
            ("organization-list", {"q": "BATUK"}, "British Army Training Unit Kenya"),
            ("topic-list", {"q": "somalia"}, "Somalia–Ethiopia relations"),
        ],
    )
    def test_search_finds_the_record(self, viewer_client, url_name, params, expected):
        PersonFactory(name="James Heapey")
        PersonFactory(name="Aden Duale")
        OrganizationFactory(name="British Army Training Unit Kenya", acronym="BATUK")
        OrganizationFactory(name="Kenya Defence Forces", acronym="KDF")
        TopicFactory(name="Somalia–Ethiopia relations")
        TopicFactory(name="Cyber")
        response = viewer_client.get(reverse(url_name), params)
        names = [row.record.name for row in response.context["table"].page.object_list]
        assert names == [expected]

    def test_people_filter_by_country_and_organisation(self, viewer_client):
        ministry = OrganizationFactory(name="Ministry of Defence", country="KE")
        PersonFactory(name="Aden Duale", country="KE", organization=ministry)
        PersonFactory(name="James Heapey", country="GB")
        response = viewer_client.get(reverse("person-list"), {"country": "KE"})
        assert [row.record.name for row in response.context["table"].page.object_list] == ["Aden Duale"]
        response = viewer_client.get(reverse("person-list"), {"organization": ministry.pk})
        assert [row.record.name for row in response.context["table"].page.object_list] == ["Aden Duale"]

    def test_topic_filter_by_related_country_matches_whole_codes(self, viewer_client):
        TopicFactory(name="Somalia–Ethiopia relations", related_countries=["SO", "ET"])
        TopicFactory(name="Eastern DR Congo", related_countries=["CD"])
        response = viewer_client.get(reverse("topic-list"), {"country": "ET"})
        assert [row.record.name for row in response.context["table"].page.object_list] == [
            "Somalia–Ethiopia relations"
        ]


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name", ["meeting-list", "action-list", "person-list", "organization-list", "topic-list"]
)
def test_query_count_does_not_grow_with_rows(editor_client, url_name):
    def add_rows(n):
        for _ in range(n):
            meeting = MeetingFactory()
            MeetingTopicFactory(meeting=meeting)
            with_countries(meeting, "KE", "GB")
            action = ActionFactory(meeting=meeting, responsible_person=PersonFactory())
            ActionPartyFactory(action=action, country="", organization=OrganizationFactory())
            OrganizationFactory(parent=OrganizationFactory())
            TopicFactory(parent=TopicFactory())

    url = reverse(url_name) + "?per_page=100"
    add_rows(10)
    few = query_count(editor_client, url)
    add_rows(90)
    many = query_count(editor_client, url)
    assert few == many
    assert many <= 12
    assert Action.objects.count() == 100


@pytest.mark.parametrize("common", [False, True], ids=["rare", "common"])
def test_an_organisation_person_or_topic_filter_lists_newest_first_however_common(
    viewer_client, monkeypatch, common
):
    """A filter that matches few rows is gathered and sorted, a common one walked for: the
    same meetings in the same order either way, attended or only involved."""
    from meetings import selectors

    monkeypatch.setattr(selectors, "FEW", 1 if common else 5000)
    ministry, person, topic = OrganizationFactory(), PersonFactory(), TopicFactory()
    day = datetime.date(2024, 5, 1)
    attended = MeetingFactory(title="Attended", start_date=day)
    involved = MeetingFactory(title="Involved", start_date=day + datetime.timedelta(days=9))
    older = MeetingFactory(title="Older", start_date=day - datetime.timedelta(days=400))
    MeetingFactory(title="Unrelated", start_date=day)
    for meeting in (attended, older):
        AttendanceFactory(meeting=meeting, organization=ministry, person=person)
        MeetingTopicFactory(meeting=meeting, topic=TopicFactory(parent=topic))
    involved.organizations.add(ministry)

    assert titles(viewer_client.get(MEETINGS, {"organization": ministry.pk})) == [
        "Involved",
        "Attended",
        "Older",
    ]
    assert titles(viewer_client.get(MEETINGS, {"person": person.pk})) == ["Attended", "Older"]
    assert titles(viewer_client.get(MEETINGS, {"topic": topic.pk, "sort": "start_date"})) == [
        "Older",
        "Attended",
    ]

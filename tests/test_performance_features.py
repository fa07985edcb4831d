"""What keeps the app fast at a million meetings, as a person sees it: capped counts, deep
pages, full-text search, the cached dashboard and sessions that are not written on every
request. The timings themselves are measured by ``make bench`` (bench/benchmark.py)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import pagination, search
from meetings.models import Action, Meeting
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    MeetingTopicFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
MEETINGS = reverse("meeting-list")


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def result_count(response) -> str:
    page = response.content.decode()
    start = page.index('id="result-count">') + len('id="result-count">')
    return page[start : page.index("</p>", start)]


@pytest.fixture
def small_limits(monkeypatch):
    """A count limit of 15 and deep pages from row 10 on, so that a few rows show the behaviour."""
    monkeypatch.setattr(pagination.CappedPaginator, "count_limit", 15)
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_OFFSET", 10)


class TestCappedCount:
    def test_a_long_list_says_more_than_the_limit_instead_of_counting(self, viewer_client, small_limits):
        MeetingFactory.create_batch(30)
        response = viewer_client.get(MEETINGS, {"per_page": 10})
        assert result_count(response) == "More than 15 meetings"
        assert len(titles(response)) == 10

    def test_a_short_list_gives_the_exact_count(self, viewer_client, small_limits):
        MeetingFactory.create_batch(12)
        assert result_count(viewer_client.get(MEETINGS, {"per_page": 10})) == "12 meetings"

    def test_the_last_page_of_a_long_list_knows_the_exact_count(self, viewer_client, small_limits):
        MeetingFactory.create_batch(30)
        response = viewer_client.get(MEETINGS, {"per_page": 10, "page": 3})
        assert len(titles(response)) == 10
        assert result_count(response) == "30 meetings"

    def test_a_page_past_the_end_of_a_long_list_shows_its_last_page(self, viewer_client, small_limits):
        MeetingFactory.create_batch(30)
        response = viewer_client.get(MEETINGS, {"per_page": 10, "page": 50})
        assert response.status_code == 200
        assert response.context["table"].page.number == 3
        assert len(titles(response)) == 10


class TestDeepPages:
    def test_pages_fetched_by_id_neither_overlap_nor_skip_rows(self, viewer_client, small_limits):
        # All on one day: only the id tells them apart, so the order must include it.
        for n in range(35):
            MeetingFactory(title=f"Talks {n:02d}", start_date=datetime.date(2024, 2, 26))
        pages = [titles(viewer_client.get(MEETINGS, {"per_page": 10, "page": n})) for n in (1, 2, 3, 4)]
        seen = [title for page in pages for title in page]
        assert seen == [f"Talks {n:02d}" for n in range(34, -1, -1)]

    def test_sorted_pages_stay_in_order_past_the_limit(self, viewer_client, small_limits):
        for n in range(25):
            MeetingFactory(title=f"Talks {n:02d}")
        page = titles(viewer_client.get(MEETINGS, {"per_page": 10, "page": 2, "sort": "title"}))
        assert page == [f"Talks {n:02d}" for n in range(10, 20)]

    def test_a_deep_page_costs_as_many_queries_for_ten_rows_as_for_a_hundred(
        self, viewer_client, monkeypatch
    ):
        monkeypatch.setattr(pagination, "DEFERRED_JOIN_OFFSET", 100)
        MeetingFactory.create_batch(210)

        def queries(per_page):
            page = 100 // per_page + 1
            url = f"{MEETINGS}?per_page={per_page}&page={page}"
            viewer_client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert viewer_client.get(url).status_code == 200
            return len(captured)

        assert queries(10) == queries(100) <= 12


class TestSearch:
    def test_a_word_finds_meetings_by_its_beginning_in_title_summary_or_outcome(self, viewer_client):
        MeetingFactory(title="Talks on hydrography")
        MeetingFactory(title="Naval staff talks", summary="Agreed joint hydrographic surveys.")
        MeetingFactory(title="Closing session", outcome="A hydrography working group.")
        MeetingFactory(title="Unrelated")
        assert sorted(titles(viewer_client.get(MEETINGS, {"q": "hydrograph"}))) == [
            "Closing session",
            "Naval staff talks",
            "Talks on hydrography",
        ]

    def test_every_word_must_match_somewhere_names_included(self, viewer_client):
        topic = TopicFactory(name="Maritime security")
        both = MeetingFactory(title="Kenya–UK defence talks")
        MeetingTopicFactory(meeting=both, topic=topic)
        AttendanceFactory(meeting=both, person=PersonFactory(name="Aden Duale"))
        MeetingFactory(title="Kenya–UK defence talks, second round")
        assert titles(viewer_client.get(MEETINGS, {"q": "kenya maritime duale"})) == [
            "Kenya–UK defence talks"
        ]
        assert titles(viewer_client.get(MEETINGS, {"q": "Duale"})) == ["Kenya–UK defence talks"]

    def test_an_edited_title_is_found_by_its_new_words_at_once(self, viewer_client):
        meeting = MeetingFactory(title="Staff talks")
        meeting.title = "Staff talks on icebreakers"
        meeting.save()
        assert titles(viewer_client.get(MEETINGS, {"q": "icebreakers"})) == ["Staff talks on icebreakers"]

    def test_punctuation_alone_matches_nothing_and_breaks_nothing(self, viewer_client):
        MeetingFactory(title="Talks")
        response = viewer_client.get(MEETINGS, {"q": "'&|!:*()"})
        assert response.status_code == 200
        assert titles(response) == []

    def test_postgresql_uses_the_indexed_document_and_sqlite_substrings(self):
        sql = str(search.filter_meetings(Meeting.objects.all(), "hydrography").query)
        if connection.vendor == "postgresql":
            assert "search_document" in sql and "ILIKE" not in sql.upper()
        else:
            assert "LIKE" in sql.upper()


class TestDashboardCache:
    @pytest.fixture
    def cached(self, settings):
        settings.DASHBOARD_CACHE_SECONDS = 600
        cache.clear()
        yield
        cache.clear()

    def test_a_second_view_reads_no_figures_from_the_database(self, editor_client, cached):
        MeetingFactory(status="planned", start_date=datetime.date.today() + datetime.timedelta(days=3))
        editor_client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse("dashboard")).status_code == 200
        figures = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert figures == []

    def test_a_write_shows_on_the_next_view(self, editor_client, cached):
        soon = datetime.date.today() + datetime.timedelta(days=3)
        MeetingFactory(title="First planned talks", status="planned", start_date=soon)
        assert b"First planned talks" in editor_client.get(reverse("dashboard")).content
        MeetingFactory(title="Second planned talks", status="planned", start_date=soon)
        assert b"Second planned talks" in editor_client.get(reverse("dashboard")).content
        action = ActionFactory(description="Send the draft", due_date=datetime.date(2020, 1, 1))
        assert b"Send the draft" in editor_client.get(reverse("dashboard")).content
        action.delete()
        assert b"Send the draft" not in editor_client.get(reverse("dashboard")).content

    def test_each_clearance_has_its_own_figures(self, viewer_client, cached, editor):
        from django.test import Client

        soon = datetime.date.today() + datetime.timedelta(days=3)
        MeetingFactory(title="Secret talks", status="planned", start_date=soon, classification=3)
        secret = Client()
        secret.force_login(editor)
        assert b"Secret talks" in secret.get(reverse("dashboard")).content
        assert b"Secret talks" not in viewer_client.get(reverse("dashboard")).content


class TestSessions:
    def session_writes(self, client) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    def test_requests_within_a_minute_write_nothing_to_the_session_table(self, viewer_client):
        viewer_client.get(reverse("dashboard"))
        assert self.session_writes(viewer_client) == 0
        assert self.session_writes(viewer_client) == 0

    def test_the_expiry_moves_on_once_the_refresh_interval_has_passed(self, viewer_client, settings):
        viewer_client.get(reverse("dashboard"))
        Session.objects.update(expire_date=Session.objects.get().expire_date - datetime.timedelta(minutes=5))
        before = Session.objects.get().expire_date
        settings.SESSION_REFRESH_SECONDS = 0
        assert self.session_writes(viewer_client) == 1
        assert Session.objects.get().expire_date > before + datetime.timedelta(minutes=4)


def test_the_open_actions_index_matches_the_open_statuses():
    index = next(i for i in Action._meta.indexes if i.name == "action_open_by_due")
    assert sorted(index.condition.children[0][1]) == sorted(str(s) for s in Action.OPEN_STATUSES)
